"""`make bench`: the whole service measured at directory scale, in one run.

    BENCH_N=100000 .venv/bin/python -m bench.scale [--prefix bench] [--skip-index] [--stages ...]

Stages (all by default; `--stages` picks some, `--skip-index` drops `index`):
  corpus   the project's generator writes BENCH_N providers (deterministic; kept under .data/bench/corpus)
  index    a first build (--force), an unchanged rebuild (the live builds are kept) and a forced rebuild
           of the same files, each timed (docs/s over the wall time) through `python -m indexer rebuild`
  queries  the API (uvicorn, with a key) over the fixed query set bench/queries.tsv: per mode,
           sequential and at --concurrency; the split per query from `took_ms` and the wall time
  floor    the engine's BM25 alone and kNN alone (the API's bodies, a precomputed vector), the
           model's encode alone; the API's hybrid p50 over (encode + kNN)
  memory   the engine's heap and resident size, the API's resident size
Indices are `{prefix}-providers` and `{prefix}-passages` (prefix `bench`): nothing the demo serves
is touched. Vectors come from the shared embedding cache, so a second run skips the model
(`--fresh-cache` measures a cold first build). Prints a table; writes .data/bench/scale.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.queryset import DEFAULT_QUERIES, BenchQuery, QuerySetError, read_query_set
from bench.stats import summarize
from core.engines import Dialect, detect_engine
from core.settings import PROJECT_ROOT, Settings

STAGES = ("corpus", "index", "queries", "floor", "memory")
MODES = ("bm25", "vector", "hybrid")
OUT_DIR = PROJECT_ROOT / ".data" / "bench"
SHARED_PASSAGES = PROJECT_ROOT.parent / "shared" / "data" / "counsel_chat" / "passages.jsonl"
PY = sys.executable
SUMMARY_LINE = re.compile(
    r"^(?P<type>providers|passages): indexed (?P<indexed>\d+), rejected (?P<rejected>\d+).*?"
    r"embedded (?P<embedded>\d+), reused (?P<reused>\d+); (?P<seconds>[\d.]+) s"
)
# a type whose live build already holds these documents is kept: no summary of writes
UNCHANGED_LINE = re.compile(r"^(?P<type>providers|passages): unchanged \((?P<documents>\d+) documents")


# ------------------------------------------------------------------ machine and processes


def machine() -> dict[str, Any]:
    cpu_model = ""
    ram_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "cpu_model": cpu_model or platform.processor(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ corpus and index


def corpus(n: int) -> dict[str, Any]:
    from indexer.demo.passages import guide_passages_path
    from indexer.demo_corpus import write_providers

    started = time.perf_counter()
    providers = write_providers(n, OUT_DIR / "corpus")
    passages = [str(guide_passages_path())]
    if SHARED_PASSAGES.exists():  # the development guide answers, when beside the checkout
        passages.append(str(SHARED_PASSAGES))
    return {
        "providers_file": str(providers),
        "passages_files": passages,
        "seconds": round(time.perf_counter() - started, 1),
    }


def parse_summary(text: str) -> dict[str, dict[str, float]]:
    """The indexer's own summary lines: indexed, rejected, embedded, reused, seconds per type."""
    found: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        m = SUMMARY_LINE.match(line.strip())
        if m:
            found[m["type"]] = {k: float(v) for k, v in m.groupdict().items() if k != "type"}
    return found


def parse_unchanged(text: str) -> dict[str, int]:
    """Types the indexer kept as they were, with their document counts."""
    return {m["type"]: int(m["documents"]) for line in text.splitlines() if (m := UNCHANGED_LINE.match(line.strip()))}


def rebuild(env: dict[str, str], files: dict[str, Any], label: str, *, force: bool = False) -> dict[str, Any]:
    cmd = [PY, "-m", "indexer", "rebuild", "--allow-invalid", "--providers", files["providers_file"]]
    cmd += ["--passages", *files["passages_files"]]
    if force:
        cmd.append("--force")
    print(f"[index] {label}: {' '.join(cmd[1:])}", flush=True)
    load_before = load_average()
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the generator's deliberate faults were rejected
        raise RuntimeError(f"the indexer failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    per_type = parse_summary(done.stdout)
    kept = parse_unchanged(done.stdout)
    # written or kept, every document the run covered, over the whole run's wall time
    docs = sum(v["indexed"] for v in per_type.values()) + sum(kept.values())
    result: dict[str, Any] = {
        "wall_s": round(wall, 1),
        "documents": int(docs),
        "docs_per_s": round(docs / wall, 1) if wall else None,
        "load_before": load_before,
        "types": {
            **{t: {"unchanged": n} for t, n in kept.items()},
            **{
                t: {**{k: int(v) for k, v in row.items() if k != "seconds"}, "write_s": row["seconds"]}
                for t, row in per_type.items()
            },
        },
    }
    providers = per_type.get("providers")
    if providers:  # the providers' own rate, as the issue's target counts it
        result["providers_per_s"] = (
            round(providers["indexed"] / providers["seconds"], 1) if providers["seconds"] else None
        )
    return result


# ------------------------------------------------------------------ the API


@contextmanager
def running_api(env: dict[str, str], port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    cmd = [PY, "-m", "uvicorn", "search_api.app:create_app", "--factory", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--log-level", "warning"]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited ({process.returncode}); see {log_path}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API did not become ready in 180 s; see {log_path}")
            time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def split_of(took: dict[str, float], wall: float) -> dict[str, float]:
    """Where one request's time went: the model, the engine round trip, fusion and ranking,
    and the rest (query understanding, building and serializing the response, HTTP)."""
    known = {k: float(took.get(k, 0.0)) for k in ("embedding", "search", "fusion")}
    return {**known, "rest": max(0.0, wall - sum(known.values())), "wall": wall}


def sequential(client: httpx.Client, queries: list[BenchQuery], mode: str) -> dict[str, Any]:
    walls: list[float] = []
    splits: list[dict[str, float]] = []
    errors = 0
    started = time.perf_counter()
    for query in queries:
        t = time.perf_counter()
        try:
            response = client.get("/v1/search", params=query.params(mode))
            wall = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                errors += 1
                continue
            walls.append(wall)
            splits.append(split_of(response.json().get("took_ms", {}), wall))
        except httpx.HTTPError:
            errors += 1
    elapsed = time.perf_counter() - started
    return {
        **summarize(walls),
        "errors": errors,
        "rps": round(len(walls) / elapsed, 1),
        "split_p50_ms": {k: summarize([s[k] for s in splits]).get("p50_ms") for k in splits[0]} if splits else {},
    }


async def concurrent(
    base: str, headers: dict[str, str], queries: list[BenchQuery], mode: str, workers: int
) -> dict[str, Any]:
    walls: list[float] = []
    errors = 0
    pending: asyncio.Queue[BenchQuery] = asyncio.Queue()
    for query in queries:
        pending.put_nowait(query)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not pending.empty():
            query = pending.get_nowait()
            t = time.perf_counter()
            try:
                response = await client.get("/v1/search", params=query.params(mode))
                if response.status_code == 200:
                    walls.append((time.perf_counter() - t) * 1000)
                else:
                    errors += 1
            except httpx.HTTPError:
                errors += 1

    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(workers)))
        elapsed = time.perf_counter() - started
    return {**summarize(walls), "errors": errors, "rps": round(len(walls) / elapsed, 1), "concurrency": workers}


def query_stage(
    env: dict[str, str], queries: list[BenchQuery], concurrency: int, rounds: int, report: dict[str, Any]
) -> None:
    key = secrets.token_urlsafe(24)
    port = free_port()
    # the bench's own key; no rate limit (one caller sends every request)
    env = {
        **env,
        "API_KEYS": f"bench:{key}",
        "ALLOW_ANONYMOUS": "false",
        "PORT": str(port),
        "RATE_LIMIT_PER_MINUTE": "0",
    }
    base = f"http://127.0.0.1:{port}"
    headers = {"X-API-Key": key}
    print(f"[queries] starting the API on {base} (uvicorn, one process, with a key)", flush=True)
    with running_api(env, port, OUT_DIR / "api.log") as api:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            # warm: connections, lazy structures, and the engine's caches for every query's terms
            # and vectors (a hybrid search runs every leg). With 20 queries only, the first mode
            # measured read a freshly built index from disk: bm25 came out slower than hybrid.
            for query in queries:
                client.get("/v1/search", params=query.params("hybrid"))
            results: dict[str, Any] = {"load_before": load_average()}
            for mode in MODES:
                print(f"[queries] {mode}: sequential, then {concurrency} at once", flush=True)
                results[f"{mode}_sequential"] = sequential(client, queries, mode)
                many = queries * rounds
                results[f"{mode}_concurrent"] = asyncio.run(concurrent(base, headers, many, mode, concurrency))
            results["load_after"] = load_average()
        report["queries"] = results
        report.setdefault("memory", {})["api_rss_mb"] = rss_mb(api.pid)


# ------------------------------------------------------------------ the floor


def floor_stage(settings: Settings, queries: list[BenchQuery], report: dict[str, Any]) -> None:
    """What the API cannot go below: the engine's work for one leg, the model's for one query."""
    from core.embedder import LazyEmbedder
    from core.engines import SyncEngine
    from search_api.doc_types import PROVIDERS
    from search_api.plan import plan
    from search_api.tuning import DEFAULT_TUNING

    # the model as the API loads it (search_api/app.py)
    embedder = LazyEmbedder(
        settings.embedding_model, threads=settings.api_embedding_threads, backend=settings.embedding_backend
    )
    embedder.embed_query("warm up")
    encode: list[float] = []
    vectors: list[list[float]] = []
    for query in queries:
        t = time.perf_counter()
        vectors.append(embedder.embed_query(query.text))
        encode.append((time.perf_counter() - t) * 1000)

    engine = SyncEngine(settings)
    alias = settings.providers_alias
    bm25_wall: list[float] = []
    bm25_took: list[float] = []
    knn_wall: list[float] = []
    knn_took: list[float] = []
    try:
        for query, vector in zip(queries, vectors, strict=True):
            leg = plan(query.search_params(), DEFAULT_TUNING).leg_plan(PROVIDERS)
            for body, walls, tooks in (
                (PROVIDERS.leg_request(PROVIDERS.bm25(leg)), bm25_wall, bm25_took),
                (PROVIDERS.leg_request(PROVIDERS.knn(leg, engine.dialect, vector)), knn_wall, knn_took),
            ):
                t = time.perf_counter()
                found = engine.request("POST", f"/{alias}/_search", body)
                walls.append((time.perf_counter() - t) * 1000)
                tooks.append(float(found.get("took", 0)))
    finally:
        engine.close()
    report["floor"] = {
        "encode": summarize(encode),
        "bm25_wall": summarize(bm25_wall),
        "bm25_engine_took": summarize(bm25_took),
        "knn_wall": summarize(knn_wall),
        "knn_engine_took": summarize(knn_took),
        "note": "the API's provider leg bodies (window, filters, doc values) sent straight to the engine",
    }
    hybrid = report.get("queries", {}).get("hybrid_sequential", {}).get("p50_ms")
    floor = report["floor"]["encode"]["p50_ms"] + report["floor"]["knn_wall"]["p50_ms"]
    report["floor"]["encode_plus_knn_p50_ms"] = round(floor, 2)
    if hybrid:
        report["floor"]["hybrid_over_floor"] = round(hybrid / floor, 2)


# ------------------------------------------------------------------ memory and the index


def engine_facts(settings: Settings, report: dict[str, Any]) -> None:
    auth = (settings.es_username, settings.es_password or "") if settings.es_username else None
    with httpx.Client(base_url=settings.es_url, timeout=30, auth=auth) as es:
        info = detect_engine(settings)  # not GET /: Elastic's minimal distribution answers it 405
        report["machine"]["engine"] = f"{info.dialect.value} {info.version}"
        stats = es.get("/_nodes/stats/jvm").json()
        nodes = list(stats["nodes"].values())
        memory = report.setdefault("memory", {})
        if nodes:
            heap = nodes[0]["jvm"]["mem"]
            memory["engine_heap_used_mb"] = round(heap["heap_used_in_bytes"] / 2**20, 1)
            memory["engine_heap_max_mb"] = round(heap["heap_max_in_bytes"] / 2**20, 1)
        pid_file = (
            PROJECT_ROOT
            / ".data"
            / ("engine.pid" if info.dialect is Dialect.OPENSEARCH else f"elasticsearch-{info.version}/node.pid")
        )
        if pid_file.exists() and not os.environ.get("ES_URL"):
            memory["engine_rss_mb"] = rss_mb(int(pid_file.read_text().split()[0]))
        corpus_facts: dict[str, Any] = {}
        for doc_type in ("providers", "passages"):
            alias = settings.alias_for(doc_type)
            rows = es.get(f"/_cat/indices/{alias}", params={"format": "json", "bytes": "mb"})
            if rows.status_code != 200:
                continue
            row = rows.json()[0]
            segments = es.get(f"/{alias}/_segments").json()
            count = sum(
                len(shard["segments"])
                for i in segments["indices"].values()
                for s in i["shards"].values()
                for shard in s
            )
            corpus_facts[doc_type] = {
                "index": row["index"],
                "documents": int(row["docs.count"]),
                "store_mb": float(row["store.size"]),
                "segments": count,
            }
        report["corpus"] = {**report.get("corpus", {}), "indices": corpus_facts}


# ------------------------------------------------------------------ output


def print_report(report: dict[str, Any]) -> None:
    m = report["machine"]
    print()
    print(
        f"machine: {m['cores']} cores, {m['ram_gb']} GB, {m['cpu_model']}; Python {m['python']}; {m.get('engine', '')}"
    )
    for doc_type, facts in report.get("corpus", {}).get("indices", {}).items():
        print(f"{doc_type}: {facts['documents']:,} documents, {facts['store_mb']} MB, {facts['segments']} segment(s)")
    for label in ("first_build", "unchanged_rebuild", "forced_rebuild"):
        row = report.get("index", {}).get(label)
        if row:
            types = ", ".join(
                f"{t} kept ({v['unchanged']:,} unchanged)"
                if "unchanged" in v
                else f"{t} embedded {v['embedded']:,} reused {v['reused']:,}"
                for t, v in row["types"].items()
            )
            writing = f"providers {row['providers_per_s']}/s while writing; " if "providers_per_s" in row else ""
            print(
                f"{label}: {row['documents']:,} docs in {row['wall_s']} s = {row['docs_per_s']:,} docs/s "
                f"({writing}{types})"
            )
    queries = report.get("queries")
    if queries:
        print()
        print(f"{'mode':<8}{'how':<12}{'p50':>8}{'p95':>8}{'p99':>8}{'rps':>8}{'errors':>8}")
        for mode in MODES:
            for how in ("sequential", "concurrent"):
                r = queries[f"{mode}_{how}"]
                label = how if how == "sequential" else f"x{r['concurrency']}"
                cells = "".join(f"{r.get(k, 0):>8.1f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
                print(f"{mode:<8}{label:<12}{cells}{r['rps']:>8.1f}{r['errors']:>8}")
        print()
        print(
            "split per query, p50 ms (sequential): "
            + "; ".join(
                f"{mode}: " + ", ".join(f"{k} {v}" for k, v in queries[f"{mode}_sequential"]["split_p50_ms"].items())
                for mode in MODES
            )
        )
    floor = report.get("floor")
    if floor:
        print(
            f"floor p50 ms: encode {floor['encode']['p50_ms']}, engine BM25 {floor['bm25_wall']['p50_ms']} "
            f"(took {floor['bm25_engine_took']['p50_ms']}), engine kNN {floor['knn_wall']['p50_ms']} "
            f"(took {floor['knn_engine_took']['p50_ms']}); hybrid / (encode + kNN) = {floor.get('hybrid_over_floor')}"
        )
    memory = report.get("memory")
    if memory:
        print("memory MB: " + ", ".join(f"{k} {v}" for k, v in memory.items()))
    print(f"load average: {report['load_average_start']} at start, {report.get('load_average_end')} at end")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", "100000")), help="providers (BENCH_N)")
    p.add_argument("--prefix", default=os.environ.get("BENCH_PREFIX", "bench"), help="index prefix (default bench)")
    p.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, of {', '.join(STAGES)}")
    p.add_argument("--skip-index", action="store_true", help="reuse the build the prefix serves")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2, help="passes over the query set at concurrency")
    p.add_argument("--fresh-cache", action="store_true", help="an empty embedding cache: a cold first build")
    p.add_argument("--json", type=Path, default=OUT_DIR / "scale.json")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        print(f"error: unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}", file=sys.stderr)
        return 2
    if args.skip_index and "index" in stages:
        stages.remove("index")
    try:
        queries = read_query_set(args.queries)
    except (QuerySetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = Settings(index_prefix=args.prefix)
    env = {**os.environ, "INDEX_PREFIX": args.prefix}
    cache = Path(env.get("EMBEDDING_CACHE", PROJECT_ROOT / ".data" / "embedding-cache.sqlite"))
    if args.fresh_cache:
        cache = OUT_DIR / "cold-embedding-cache.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        env["EMBEDDING_CACHE"] = str(cache)
    report: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {
            "n": args.n,
            "prefix": args.prefix,
            "stages": stages,
            "queries": len(queries),
            "filtered_queries": sum(q.filtered for q in queries),
            "concurrency": args.concurrency,
            "rounds": args.rounds,
            "embedding_cache": str(cache),
        },
        "load_average_start": load_average(),
    }
    try:
        files = corpus(args.n) if "corpus" in stages or "index" in stages else None
        if files:
            report["corpus"] = files
        if "index" in stages and files:
            print(
                f"[index] embedding cache {cache}: vectors are reused by content hash, so a second run "
                "of the bench skips the model (--fresh-cache measures a cold first build)",
                flush=True,
            )
            # the first build is forced: a live build of the same files (an earlier run) would be kept
            report["index"] = {"first_build": rebuild(env, files, "first build", force=True)}
            report["index"]["unchanged_rebuild"] = rebuild(env, files, "unchanged rebuild")
            report["index"]["forced_rebuild"] = rebuild(env, files, "forced rebuild", force=True)
        if "queries" in stages:
            query_stage(env, queries, args.concurrency, args.rounds, report)
        if "floor" in stages:
            print("[floor] encode alone, engine BM25 alone, engine kNN alone", flush=True)
            floor_stage(settings, queries, report)
        engine_facts(settings, report)
    except (RuntimeError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report["load_average_end"] = load_average()
    print_report(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
