"""`make soak`: steady load with faults, on loopback, against an engine of its own.

    .venv/bin/python -m bench.soak [--seconds N] [--concurrency 16] [--providers 2000] [--json OUT]

It starts a second embedded engine (ES_PORT=9260, data in .data/soak/: the development engine
on 9200 is never touched), loads the demo corpus (generated providers and the guide passages,
embeddings from the shared cache), starts the API as a subprocess with an API key, and runs
`--concurrency` callers searching back to back with a fixed mix of queries (with and without
filters; hybrid, bm25, vector) for `--seconds` (SOAK_SECONDS, default 210). Meanwhile it
stops the engine (engine/manage.py down), starts it again, and later runs an indexer rebuild
that swaps the aliases.

The outage window, and how a request is classified (by its start and end times):
  * the window opens when `manage.py down` has returned (the engine process is gone) and
    closes at the send time of the last health poll (every 0.2 s) that did not find the
    engine green: up to then it was stopped, starting, or recovering its shards;
  * "outage": started and ended inside the window; every one must be a 503;
  * "edges": overlapping the stop (from the down command's start to its return) or the
    restart (from the window's close to the first green poll's answer): 200 or 503;
  * "before" ended before the stop began; "restarted" started after the engine was seen
    green and before the rebuild; "rebuild" overlaps the rebuild command; "after" started
    once the rebuild command had returned.
Checks (exit 1 if one fails): no 500 (no 5xx but 503) at any time; no transport error
(the API stays up); every outage request answered 503, and there were some; every request
during and after the rebuild answered 200; no document lost, across the restart and across
the rebuild (alias counts and the full id sets; 50 ids fetched through the API afterwards);
the rebuild did move the aliases; the API exits 0 on SIGTERM at the end.
Prints a table, writes JSON (default .data/bench/soak.json). Cleans up its engine and API on
any exit, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent
SOAK_DATA = ROOT / ".data" / "soak"
PREFIX = "soak"
GUIDE_PASSAGES = ROOT / "indexer" / "demo" / "guide_passages.jsonl"
DEV_ENGINE_PORT = 9200
POLL_S = 0.2

# a fixed mix: (mode, type, filters); the query text rotates independently of it
QUERIES = [
    "anxiety therapist",
    "grief after losing my mother",
    "couples counseling",
    "I can't sleep and I worry all the time",
    "trauma EMDR",
    "teen depression",
    "how do I find a therapist for self-harm",
    "panic attacks at work",
    "spanish speaking counselor",
    "ocd",
    "marriage problems",
    "postpartum depression",
]
SHAPES: list[dict[str, Any]] = [
    {"mode": "hybrid"},
    {"mode": "bm25", "type": "providers"},
    {"mode": "vector", "type": "passages"},
    {"mode": "hybrid", "type": "providers", "telehealth": "true", "accepting": "true"},
    {"mode": "bm25", "type": "providers", "insurance": "Aetna", "language": "English"},
    {"mode": "vector", "type": "providers", "specialty": "Anxiety"},
    {"mode": "hybrid", "type": "passages"},
    {"mode": "hybrid", "type": "providers", "lat": "34.05", "lon": "-118.24", "radius_km": "50"},
]


# ------------------------------------------------------------------ records and classification (pure)


@dataclass(frozen=True)
class Sample:
    start: float  # seconds since the load began
    end: float
    status: int  # 0: no HTTP answer (transport error)
    mode: str


@dataclass
class Marks:
    """Moments (seconds since the load began) the fault schedule passed through."""

    stop_called: float | None = None
    stopped: float | None = None  # manage.py down returned: the window opens
    last_not_green: float | None = None  # send time of the last poll that did not find green
    green_seen: float | None = None  # answer time of the first poll that found green
    rebuild_started: float | None = None
    rebuild_done: float | None = None
    load_ended: float | None = None


PHASES = ("before", "edges", "outage", "restarted", "rebuild", "after")


def phase_of(s: Sample, m: Marks) -> str:
    """The rule in the module docstring."""
    assert m.stop_called is not None and m.stopped is not None
    assert m.last_not_green is not None and m.green_seen is not None
    assert m.rebuild_started is not None and m.rebuild_done is not None
    if s.end < m.stop_called:
        return "before"
    if s.start >= m.stopped and s.end <= m.last_not_green:
        return "outage"
    if s.start < m.green_seen:
        return "edges"
    if s.start >= m.rebuild_done:
        return "after"
    if s.end >= m.rebuild_started:
        return "rebuild"
    return "restarted"


def summarize(samples: list[Sample]) -> dict[str, Any]:
    statuses = Counter(s.status for s in samples)
    latencies = [(s.end - s.start) * 1000 for s in samples]
    row: dict[str, Any] = {"requests": len(samples), "status": {str(k): v for k, v in sorted(statuses.items())}}
    for name, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        row[name] = round(percentile(latencies, share), 1) if latencies else None
    return row


def by_phase(samples: list[Sample], marks: Marks) -> dict[str, list[Sample]]:
    phases: dict[str, list[Sample]] = {p: [] for p in PHASES}
    for s in samples:
        phases[phase_of(s, marks)].append(s)
    return phases


@dataclass
class Corpus:
    """What the aliases serve at one moment."""

    indices: dict[str, str]  # alias -> the index behind it
    counts: dict[str, int]
    ids: dict[str, list[str]]


def check_results(
    samples: list[Sample], phases: dict[str, list[Sample]], corpora: dict[str, Corpus], extra: dict[str, Any]
) -> list[dict[str, Any]]:
    """[{name, ok, detail}], in the order the module docstring gives."""
    statuses = Counter(s.status for s in samples)
    server_errors = {k: v for k, v in statuses.items() if k >= 500 and k != 503}
    outage = Counter(s.status for s in phases["outage"])
    settled = Counter(s.status for s in phases["rebuild"] + phases["after"])
    first, restarted, rebuilt = corpora["before_stop"], corpora["after_restart"], corpora["after_rebuild"]

    def same(a: Corpus, b: Corpus) -> tuple[bool, str]:
        lost = {alias: len(set(a.ids[alias]) - set(b.ids[alias])) for alias in a.ids}
        ok = a.counts == b.counts and not any(lost.values())
        return ok, f"counts {a.counts} -> {b.counts}; ids missing afterwards {lost}"

    restart_ok, restart_detail = same(first, restarted)
    rebuild_ok, rebuild_detail = same(restarted, rebuilt)
    moved = all(restarted.indices[a] != rebuilt.indices[a] for a in rebuilt.indices)
    return [
        {"name": "no 5xx but 503, at any time", "ok": not server_errors, "detail": f"{server_errors or 'none'}"},
        {"name": "no transport error (the API stayed up)", "ok": statuses[0] == 0, "detail": f"{statuses[0]}"},
        {
            "name": "every answer in the outage window was a 503",
            "ok": bool(outage) and set(outage) == {503},
            "detail": f"{dict(outage)}",
        },
        {
            "name": "every answer during and after the rebuild was a 200",
            "ok": bool(settled) and set(settled) == {200},
            "detail": f"{dict(settled)}",
        },
        {"name": "no document lost across the engine restart", "ok": restart_ok, "detail": restart_detail},
        {"name": "no document lost across the rebuild", "ok": rebuild_ok, "detail": rebuild_detail},
        {"name": "the rebuild swapped the aliases", "ok": moved, "detail": f"{restarted.indices} -> {rebuilt.indices}"},
        {
            "name": "ids fetched through the API after the rebuild",
            "ok": extra["fetched_ok"] == extra["fetched"] > 0,
            "detail": f"{extra['fetched_ok']}/{extra['fetched']} answered 200",
        },
        {"name": "the API exits 0 on SIGTERM", "ok": extra["api_exit"] == 0, "detail": f"exit {extra['api_exit']}"},
    ]


# ------------------------------------------------------------------ the engine, the indexer, the API (I/O)


@dataclass
class Config:
    seconds: float
    concurrency: int
    providers: int
    es_port: int
    es_heap: str
    json_out: Path
    down_s: float
    api_key: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def es_url(self) -> str:
        return f"http://127.0.0.1:{self.es_port}"

    def engine_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("ES_URL", "ES_USERNAME", "ES_PASSWORD")}
        return {**env, "ENGINE_DATA": str(SOAK_DATA), "ES_PORT": str(self.es_port), "ES_HEAP": self.es_heap}

    def indexer_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("ES_USERNAME", "ES_PASSWORD")}
        # the shared cache: the corpus is embedded once per machine, not once per soak
        cache = ROOT / ".data" / "embedding-cache.sqlite"
        return {**env, "ES_URL": self.es_url, "INDEX_PREFIX": PREFIX, "EMBEDDING_CACHE": str(cache)}

    def app_env(self, api_port: int) -> dict[str, str]:
        env = {k: v for k, v in self.indexer_env().items() if k not in ("API_KEYS_FILE", "PUBLIC_SEARCH_KEY")}
        return {
            **env,
            "PORT": str(api_port),
            "API_KEYS": f"soak:{self.api_key}",
            "ALLOW_ANONYMOUS": "false",
            "RATE_LIMIT_PER_MINUTE": "0",  # one caller at 16x: limits are not what is measured
        }


def log(message: str, t0: float | None = None, clock: str = "") -> None:
    """`clock`: which origin t0 is ("load" for the load's own, whose seconds the marks use)."""
    stamp = f"[{clock}{time.monotonic() - t0:7.1f} s] " if t0 is not None else ""
    print(f"soak: {stamp}{message}", flush=True)


def manage(config: Config, command: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "engine" / "manage.py"), command],
        env=config.engine_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"engine/manage.py {command} failed: {(result.stderr or result.stdout).strip()}")


def indexer(config: Config, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "indexer", *args], cwd=ROOT, env=config.indexer_env(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"python -m indexer {' '.join(args)} failed ({result.returncode}): {result.stderr[-800:]}")
    return result.stdout.strip()


def engine_green(url: str) -> bool:
    try:
        health = httpx.get(f"{url}/_cluster/health", timeout=1).json()
    except (httpx.HTTPError, ValueError):
        return False
    return health.get("status") == "green"


def snapshot(config: Config) -> Corpus:
    aliases = [f"{PREFIX}-providers", f"{PREFIX}-passages"]
    indices, counts, ids = {}, {}, {}
    with httpx.Client(base_url=config.es_url, timeout=30) as es:
        for alias in aliases:
            found = es.get(f"/_alias/{alias}").raise_for_status().json()
            indices[alias] = next(iter(found))
            counts[alias] = es.get(f"/{alias}/_count").raise_for_status().json()["count"]
            body = {"size": 10_000, "_source": False, "sort": ["_doc"], "query": {"match_all": {}}}
            hits = es.post(f"/{alias}/_search", json=body).raise_for_status().json()["hits"]["hits"]
            ids[alias] = sorted(h["_id"] for h in hits)
    return Corpus(indices, counts, ids)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    """`python -m search_api` in a session of its own (a Ctrl-C reaches it through us only)."""

    def __init__(self, config: Config) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = SOAK_DATA / "api.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "search_api"],
                cwd=ROOT,
                env=config.app_env(self.port),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, headers: dict[str, str], within_s: float = 180) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the API exited during start-up ({self.process.returncode}); see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", headers=headers, timeout=2).status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"the API was not ready within {within_s:.0f} s; see {self.log_path}")

    def stop(self, grace_s: float = 30) -> int | None:
        """SIGTERM, as a process manager stops it; killed if it does not leave in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        return self.process.returncode


# ------------------------------------------------------------------ the load and the faults


def request_params(i: int) -> dict[str, Any]:
    """Query texts and shapes rotate at coprime rates: every text meets every shape."""
    return {"q": QUERIES[i % len(QUERIES)], "size": 10, **SHAPES[(i // len(QUERIES) + i) % len(SHAPES)]}


async def caller(client: httpx.AsyncClient, n: int, t0: float, stop: asyncio.Event, out: list[Sample]) -> None:
    i = n * 7
    while not stop.is_set():
        params = request_params(i)
        started = time.monotonic()
        try:
            status = (await client.get("/v1/search", params=params)).status_code
        except httpx.HTTPError:
            status = 0
        out.append(Sample(started - t0, time.monotonic() - t0, status, params["mode"]))
        i += 1


async def watch_green(url: str, t0: float, marks: Marks) -> None:
    """Poll health every POLL_S from the stop on: the window closes at the send time of the
    last poll that did not find green; the first that does ends the restart."""
    while True:
        sent = time.monotonic() - t0
        if await asyncio.to_thread(engine_green, url):
            marks.green_seen = time.monotonic() - t0
            return
        marks.last_not_green = sent
        await asyncio.sleep(POLL_S)


async def faults(config: Config, t0: float, marks: Marks, corpora: dict[str, Corpus]) -> None:
    """Stop and restart the engine at a fifth of the run, rebuild at 55 %."""
    await asyncio.sleep(config.seconds * 0.2)
    corpora["before_stop"] = await asyncio.to_thread(snapshot, config)
    marks.stop_called = time.monotonic() - t0
    log("stopping the engine (manage.py down)", t0, "load +")
    await asyncio.to_thread(manage, config, "down")
    marks.stopped = time.monotonic() - t0
    marks.last_not_green = marks.stopped
    watcher = asyncio.create_task(watch_green(config.es_url, t0, marks))
    await asyncio.sleep(config.down_s)
    log("starting the engine again (manage.py up)", t0, "load +")
    await asyncio.to_thread(manage, config, "up")
    await watcher
    log(f"engine green again; outage window {marks.stopped:.1f} s – {marks.last_not_green:.1f} s", t0, "load +")
    corpora["after_restart"] = await asyncio.to_thread(snapshot, config)

    await asyncio.sleep(max(0.0, config.seconds * 0.55 - (time.monotonic() - t0)))
    marks.rebuild_started = time.monotonic() - t0
    log("rebuilding (indexer rebuild: new versioned indices, one alias swap)", t0, "load +")
    # --force: the same corpus again would be kept as unchanged, and the swap under load is the point
    summary = await asyncio.to_thread(indexer, config, "rebuild", "--force", *corpus_args(config))
    marks.rebuild_done = time.monotonic() - t0
    log(f"rebuild done: {' | '.join(summary.splitlines())}", t0, "load +")
    corpora["after_rebuild"] = await asyncio.to_thread(snapshot, config)


async def run_load(config: Config, api: Api, marks: Marks, corpora: dict[str, Corpus]) -> list[Sample]:
    headers = {"Authorization": f"Bearer {config.api_key}"}
    limits = httpx.Limits(max_connections=config.concurrency, max_keepalive_connections=config.concurrency)
    samples: list[Sample] = []
    stop = asyncio.Event()
    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=api.url, headers=headers, timeout=60, limits=limits) as client:
        callers = [asyncio.create_task(caller(client, n, t0, stop, samples)) for n in range(config.concurrency)]
        try:
            await faults(config, t0, marks, corpora)
            assert marks.rebuild_done is not None
            # at least the planned length, and some settled load after the rebuild
            await asyncio.sleep(
                max(config.seconds - (time.monotonic() - t0), marks.rebuild_done + 15 - (time.monotonic() - t0), 0)
            )
        finally:
            stop.set()
            await asyncio.gather(*callers, return_exceptions=True)
            marks.load_ended = time.monotonic() - t0
    log(f"load stopped after {marks.load_ended:.1f} s, {len(samples)} requests", t0, "load +")
    return samples


async def fetch_ids(api: Api, config: Config, corpus: Corpus) -> tuple[int, int]:
    """50 provider and passage ids of the rebuilt corpus, fetched through the API."""
    headers = {"X-API-Key": config.api_key}
    wanted = [("providers", i) for i in corpus.ids[f"{PREFIX}-providers"][::40][:40]]
    wanted += [("passages", i) for i in corpus.ids[f"{PREFIX}-passages"][::9][:10]]
    async with httpx.AsyncClient(base_url=api.url, headers=headers, timeout=30) as client:
        answers = [await client.get(f"/v1/{kind}/{doc_id}") for kind, doc_id in wanted]
    return len(wanted), sum(a.status_code == 200 for a in answers)


def corpus_args(config: Config) -> list[str]:
    from indexer.demo_corpus import write_providers

    providers = write_providers(config.providers, SOAK_DATA / "corpus")
    return ["--providers", str(providers), "--passages", str(GUIDE_PASSAGES)]


# ------------------------------------------------------------------ report


def machine() -> dict[str, Any]:
    memory = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(phases: dict[str, dict[str, Any]], total: dict[str, Any], checks: list[dict[str, Any]]) -> None:
    print(f"\n{'phase':<11}{'requests':>9}{'200':>7}{'503':>7}{'other':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, row in [*phases.items(), ("all", total)]:
        status = row["status"]
        other = sum(v for k, v in status.items() if k not in ("200", "503"))

        def ms(value: float | None) -> str:
            return f"{value:>9.1f}" if value is not None else f"{'-':>9}"

        print(
            f"{name:<11}{row['requests']:>9}{status.get('200', 0):>7}{status.get('503', 0):>7}{other:>7}"
            f"{ms(row['p50_ms'])}{ms(row['p95_ms'])}{ms(row['p99_ms'])}"
        )
    print()
    for check in checks:
        print(f"{'PASS' if check['ok'] else 'FAIL'}  {check['name']}: {check['detail']}")


# ------------------------------------------------------------------ main


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """A SIGTERM to the soak cleans up as a Ctrl-C does."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def soak(config: Config) -> int:
    t0 = time.monotonic()
    log(f"engine: {config.es_url}, data in {SOAK_DATA.relative_to(ROOT)} (the one on {DEV_ENGINE_PORT} is not touched)")
    manage(config, "up")
    log(f"engine up; loading {config.providers} providers and the guide passages under INDEX_PREFIX={PREFIX}", t0)
    log(" | ".join(indexer(config, "rebuild", *corpus_args(config)).splitlines()), t0)
    api = Api(config)
    api_exit: int | None = None
    try:
        api.wait_ready({"X-API-Key": config.api_key})
        log(f"API ready at {api.url}; {config.concurrency} callers for {config.seconds:.0f} s", t0)
        marks, corpora = Marks(), dict[str, Corpus]()
        samples = asyncio.run(run_load(config, api, marks, corpora))
        fetched, fetched_ok = asyncio.run(fetch_ids(api, config, corpora["after_rebuild"]))
    finally:
        api_exit = api.stop()
    phases = by_phase(samples, marks)
    rows = {name: summarize(group) for name, group in phases.items()}
    total = summarize(samples)
    checks = check_results(
        samples, phases, corpora, {"fetched": fetched, "fetched_ok": fetched_ok, "api_exit": api_exit}
    )
    print_table(rows, total, checks)
    by_mode = {mode: summarize([s for s in samples if s.mode == mode]) for mode in ("hybrid", "bm25", "vector")}
    document = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": {**{k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items() if k != "api_key"}},
        "marks_s": asdict(marks),
        "outage_window_s": round((marks.last_not_green or 0) - (marks.stopped or 0), 2),
        "phases": rows,
        "all": total,
        "by_mode": by_mode,
        "throughput_rps": round(len(samples) / (marks.load_ended or 1), 1),
        "corpus": {k: {"indices": c.indices, "counts": c.counts} for k, c in corpora.items()},
        "checks": checks,
        "machine": machine(),
        "total_wall_s": round(time.monotonic() - t0, 1),
    }
    config.json_out.parent.mkdir(parents=True, exist_ok=True)
    config.json_out.write_text(json.dumps(document, indent=2) + "\n")
    failed = [c["name"] for c in checks if not c["ok"]]
    log(f"{len(samples)} requests, {document['throughput_rps']} req/s; wrote {config.json_out}")
    log("all checks passed" if not failed else f"FAILED: {'; '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", "210")))
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--providers", type=int, default=2000)
    parser.add_argument("--es-port", type=int, default=int(os.environ.get("SOAK_ES_PORT", "9260")))
    parser.add_argument("--es-heap", default=os.environ.get("SOAK_ES_HEAP", "512m"))
    parser.add_argument(
        "--down",
        type=float,
        default=None,
        help="seconds the engine stays stopped (default 8%% of the run, 10 s at least)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / ".data" / "bench" / "soak.json")
    args = parser.parse_args(argv)
    if args.es_port == DEV_ENGINE_PORT:
        print(f"error: port {DEV_ENGINE_PORT} is the development engine's; the soak stops its engine", file=sys.stderr)
        return 2
    if args.seconds < 60:
        print(
            "error: --seconds must be at least 60 (the schedule needs room for a restart and a rebuild)",
            file=sys.stderr,
        )
        return 2
    config = Config(
        seconds=args.seconds,
        concurrency=args.concurrency,
        providers=args.providers,
        es_port=args.es_port,
        es_heap=args.es_heap,
        json_out=args.json,
        down_s=args.down if args.down is not None else max(10.0, args.seconds * 0.08),
    )
    with sigterm_as_interrupt():
        try:
            return soak(config)
        except KeyboardInterrupt:
            log("interrupted: cleaning up")
            return 130
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        finally:
            with contextlib.suppress(Exception):
                manage(config, "down")
                log("soak engine stopped")


if __name__ == "__main__":
    sys.exit(main())
