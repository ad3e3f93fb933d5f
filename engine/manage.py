#!/usr/bin/env python3
"""Start, stop and inspect the embedded search engine (standard library only).

    python3 engine/manage.py up [--mark FILE]   start in the background, return once green
    python3 engine/manage.py down               stop the node this script started (pid file)
    python3 engine/manage.py status             say what runs where

Environment: ENGINE (`opensearch`, the default: OpenSearch 2.19.1 in one JVM, engine/src; or
`elasticsearch`: Elastic's minimal distribution, engine/elastic.py), ES_VERSION (the
Elasticsearch version, default 8.19.0; 9.x works too), ES_PORT (default 9200), ES_HEAP
(default 1g), ES_URL (if set and not the embedded URL, nothing is started: that cluster is
checked instead), JAVA_HOME (else the best installed JDK: 21-25 for Lucene's Vector API, else
17+), ENGINE_JAVA_OPTS (extra JVM options), ENGINE_DATA (default .data: where the data, pid
files and lock live; relative to the project). Each engine and version keeps its data in a
directory of its own. Every failure is one line on stderr that says what to do, and a
non-zero exit.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "engine"))  # engine/elastic.py beside this script
import elastic  # noqa: E402

TARGET = ROOT / "engine" / "target"
# ENGINE_DATA: a second engine (e.g. `make soak`'s) keeps its data, pid and lock apart
DATA = ROOT / os.environ.get("ENGINE_DATA", ".data")
LOCK_FILE = DATA / "engine.lock"
OPENSEARCH_VERSION = "opensearch-2.19.1"
MAIN_CLASS = "org.caresearch.engine.EmbeddedEngine"
ENGINES = ("opensearch", "elasticsearch")
START_TIMEOUT_S = float(os.environ.get("ES_START_TIMEOUT", "180"))
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Layout:
    """Where one engine (and version) keeps its files, and how to recognise its process."""

    engine: str
    version: str  # as recorded in version_file: "opensearch-2.19.1", "elasticsearch-8.19.0"
    base: Path
    pid_file: Path
    log_file: Path
    main_class: str

    @property
    def version_file(self) -> Path:
        return self.base / "ENGINE_VERSION"

    @property
    def title(self) -> str:
        return "OpenSearch" if self.engine == "opensearch" else "Elasticsearch"


def layout_of(engine: str, es_version: str, data: Path) -> Layout:
    """OpenSearch keeps the directory it always had (.data/engine), so a node started before
    Elasticsearch was added is still found; each Elasticsearch version gets its own."""
    if engine == "opensearch":
        base = data / "engine"
        return Layout(engine, OPENSEARCH_VERSION, base, data / "engine.pid", base / "engine.log", MAIN_CLASS)
    base = data / f"elasticsearch-{es_version}"
    log = base / "logs" / "caresearch-dev.log"
    return Layout(engine, f"elasticsearch-{es_version}", base, base / "node.pid", log, elastic.MAIN_CLASS)


def chosen_layout() -> Layout:
    """ENGINE and ES_VERSION checked before anything is touched."""
    engine = os.environ.get("ENGINE", "opensearch").strip().lower() or "opensearch"
    if engine not in ENGINES:
        raise EngineFailure(
            f"ENGINE={engine!r} is not an engine: use ENGINE=opensearch (the default) or ENGINE=elasticsearch"
        )
    version = os.environ.get("ES_VERSION", elastic.DEFAULT_VERSION).strip()
    if engine == "elasticsearch" and not elastic.valid_version(version):
        raise EngineFailure(
            f"ES_VERSION={version!r} is not an Elasticsearch 8.x or 9.x version: e.g. ES_VERSION=8.19.0"
        )
    return layout_of(engine, version, DATA)


class EngineFailure(Exception):
    """A one-line, actionable reason to stop."""


def port() -> int:
    return int(os.environ.get("ES_PORT", "9200"))


def embedded_url() -> str:
    return f"http://127.0.0.1:{port()}"


def external_url() -> str | None:
    url = os.environ.get("ES_URL", "").rstrip("/")
    if not url or url in (embedded_url(), f"http://localhost:{port()}"):
        return None
    return url


# ------------------------------------------------------------------ small probes


def http_json(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def port_in_use(number: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", number)) == 0


def read_pid(layout: Layout) -> int | None:
    try:
        return int(layout.pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def running_port(layout: Layout, pid: int) -> int | None:
    """The HTTP port our engine was started with: OpenSearch's last command-line argument,
    Elasticsearch's `http.port` in the configuration written for it."""
    if layout.engine == "elasticsearch":
        try:
            text = (layout.base / "config" / "elasticsearch.yml").read_text()
        except OSError:
            return None
        match = re.search(r"^http\.port: (\d+)$", text, re.M)
        return int(match.group(1)) if match else None
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    words = [a.decode() for a in args if a]
    return int(words[-1]) if words and words[-1].isdigit() else None


def is_our_engine(layout: Layout, pid: int) -> bool:
    """True when pid is alive and is this engine's node (not a recycled pid): its main class
    and its own directory are on its command line."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return layout.main_class in cmdline and str(layout.base) in cmdline


def other_running(layout: Layout) -> tuple[Layout, int] | None:
    """Another embedded engine (or version) of this project that is running, if any."""
    for path in [DATA / "engine", *sorted(DATA.glob("elasticsearch-*"))]:
        engine = "opensearch" if path.name == "engine" else "elasticsearch"
        other = layout_of(engine, path.name.removeprefix("elasticsearch-"), DATA)
        if other.base == layout.base:
            continue
        pid = read_pid(other)
        if pid and is_our_engine(other, pid):
            return other, pid
    return None


def green(url: str) -> bool:
    health = http_json(f"{url}/_cluster/health?wait_for_status=green&timeout=1s", timeout=3)
    return bool(health) and health.get("status") == "green"


@contextlib.contextmanager
def start_lock() -> Iterator[None]:
    """Two `make es-up` at once: the second waits for the first, then finds it running."""
    DATA.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ------------------------------------------------------------------ prerequisites


# Lucene 9.12 runs its vector maths (HNSW search and graph building, postings decoding) on the
# JDK's Vector API from Java 21, when the incubator module is added; Java 17 gets plain loops.
# Measured at 5,000 providers: a build wrote 1,114-1,142 docs/s on Java 25 with it against
# 512-655 on Java 17, and the kNN leg at 100,000 took 7.3 ms (wall p50) against 10.8.
VECTOR_API_FROM = 21
# Lucene 9.12 knows the Vector API up to Java 23; it is told it may use it up to this version,
# the newest it has been run with here (the incubator API may change after it).
VECTOR_API_TESTED_UP_TO = 25
JVM_DIRS = (Path("/usr/lib/jvm"), Path("/Library/Java/JavaVirtualMachines"))


def java_version(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else None


def choose_java(found: dict[str, int]) -> str | None:
    """Of the Javas found (path -> major version), the one to run the engine: 17 or newer,
    preferring those whose Vector API Lucene is told to use, then the newest."""
    usable = {path: v for path, v in found.items() if v >= 17}
    if not usable:
        return None
    return max(usable, key=lambda path: (VECTOR_API_FROM <= usable[path] <= VECTOR_API_TESTED_UP_TO, usable[path]))


def vector_api_options(version: int) -> list[str]:
    if not VECTOR_API_FROM <= version <= VECTOR_API_TESTED_UP_TO:
        return []
    return [
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",  # Lucene's madvise through the foreign linker
        f"-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion={version}",
    ]


def installed_javas() -> list[str]:
    """`java` on the PATH and every JDK in the usual directories (Debian's /usr/lib/jvm)."""
    paths = [shutil.which("java") or ""]
    for directory in JVM_DIRS:
        for pattern in ("*/bin/java", "*/Contents/Home/bin/java"):
            paths += [str(p) for p in sorted(directory.glob(pattern))]
    return [p for p in dict.fromkeys(paths) if p and Path(p).exists()]


def java_binary() -> tuple[str, int]:
    """JAVA_HOME's Java when set; otherwise the best of those installed (choose_java)."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = str(Path(home) / "bin" / "java")
        version = java_version(java) if Path(java).exists() else None
        if version is None or version < 17:
            raise EngineFailure(f"JAVA_HOME={home} does not hold Java 17 or newer: set JAVA_HOME to a JDK 17+")
        return java, version
    found = {path: v for path in installed_javas() if (v := java_version(path)) is not None}
    chosen = choose_java(found)
    if chosen is None:
        raise EngineFailure(
            "Java 17+ is not installed: install OpenJDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"
            " or set JAVA_HOME"
        )
    return chosen, found[chosen]


def build_if_needed() -> None:
    jar = TARGET / "caresearch-engine.jar"
    sources = [ROOT / "engine" / "pom.xml", *(ROOT / "engine" / "src").rglob("*.java")]
    if jar.exists() and (TARGET / "knn").is_dir() and all(s.stat().st_mtime <= jar.stat().st_mtime for s in sources):
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise EngineFailure("Maven is not installed: install it (e.g. apt-get install maven) and run make setup")
    print("building the embedded engine with Maven (first time only)…", flush=True)
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(ROOT / "engine" / "pom.xml"), "package"], capture_output=True, text=True
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise EngineFailure("Maven could not build engine/ (is Maven Central reachable?): " + " | ".join(tail))


def check_data_version(layout: Layout) -> None:
    """A directory written by another engine or version is never touched: say so and stop."""
    if not layout.version_file.exists():
        return
    found = layout.version_file.read_text().strip()
    if found != layout.version:
        raise EngineFailure(
            f"{layout.base} holds data from {found}, this engine is {layout.version}: move that folder away "
            "(nothing was changed) and run make es-up again"
        )


# ------------------------------------------------------------------ commands


def up(mark: Path | None) -> int:
    layout = chosen_layout()
    url = external_url()
    if url:
        if not answers(url):
            raise EngineFailure(
                f"ES_URL={url} does not answer: start that cluster, or unset ES_URL to use the embedded engine"
            )
        print(f"using the cluster at ES_URL={url} (the embedded engine is not started)")
        return 0
    with start_lock():
        pid = read_pid(layout)
        if pid and is_our_engine(layout, pid) and running_port(layout, pid) not in (None, port()):
            held = running_port(layout, pid)
            raise EngineFailure(
                f"the embedded {layout.title} already runs on port {held} (pid {pid}): use ES_PORT="
                f"{held}, or stop it first with make es-down ES_PORT={held}"
            )
        if pid and is_our_engine(layout, pid):
            wait_until_green(layout, pid, lambda: is_our_engine(layout, pid))
            print(f"the embedded {layout.title} is already running at {embedded_url()} (pid {pid})")
            return 0
        if pid:
            print(f"removing a stale pid file ({layout.pid_file} named pid {pid}, which is not our engine)")
            layout.pid_file.unlink(missing_ok=True)
        if port_in_use(port()):
            raise EngineFailure(port_held_message(layout))
        check_data_version(layout)
        started = time.monotonic()
        if layout.engine == "opensearch":
            java, version = java_binary()
            build_if_needed()
            process = spawn(layout, java, version)
            pid = process.pid
            wait_until_green(layout, pid, lambda: process.poll() is None)
            how = f"Java {version} {'with' if vector_api_options(version) else 'without'} the Vector API"
        else:
            es_pid, how = start_elasticsearch(layout)
            wait_until_green(layout, es_pid, lambda: is_our_engine(layout, es_pid))
            pid = es_pid
        layout.version_file.write_text(layout.version + "\n")
        if mark:
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.write_text(str(pid))
        print(
            f"the embedded {layout.title} ({layout.version}) is up at {embedded_url()} (pid {pid}, green after"
            f" {time.monotonic() - started:.1f} s; {how})"
        )
        return 0


def port_held_message(layout: Layout) -> str:
    other = other_running(layout)
    if other and running_port(*other) == port():
        return (
            f"port {port()} is held by the embedded {other[0].title} ({other[0].version}, pid {other[1]}):"
            f" stop it first (make es-down ENGINE={other[0].engine}), or run with ES_PORT=<free port>"
        )
    return (
        f"port {port()} is already in use by another program: stop it, or run with ES_PORT=<free port>"
        f" (or ES_URL={embedded_url()} to use what runs there)"
    )


def answers(url: str) -> bool:
    """Any HTTP answer counts: Elastic's minimal distribution answers 405 to `GET /`."""
    try:
        with urllib.request.urlopen(url + "/_cluster/health", timeout=2.0):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def spawn(layout: Layout, java: str, version: int) -> subprocess.Popen[bytes]:
    base = layout.base
    base.mkdir(parents=True, exist_ok=True)
    heap = os.environ.get("ES_HEAP", "1g")
    classpath = os.pathsep.join(
        [str(TARGET / "caresearch-engine.jar"), str(TARGET / "lib" / "*"), str(TARGET / "knn" / "*")]
    )
    command = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-Xss1m",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-Dlog4j2.disable.jmx=true",
        "-Dlog4j.shutdownHookEnabled=false",
        "-Dopensearch.set.netty.runtime.available.processors=false",
        "-Dio.netty.allocator.numDirectArenas=0",
        f"-Djava.io.tmpdir={base / 'tmp'}",
        *vector_api_options(version),
        *os.environ.get("ENGINE_JAVA_OPTS", "").split(),  # extra JVM options, last so they win
        "-cp",
        classpath,
        MAIN_CLASS,
        str(base),
        str(port()),
    ]
    (base / "tmp").mkdir(parents=True, exist_ok=True)
    with open(layout.log_file, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True
        )
    layout.pid_file.write_text(f"{process.pid}\n")
    return process


def elasticsearch_java(version: str) -> tuple[str, int]:
    """JAVA_HOME's Java when set and new enough; otherwise the best installed for this version."""
    need = elastic.minimum_java(version)
    home = os.environ.get("JAVA_HOME")
    if home:
        java = str(Path(home) / "bin" / "java")
        found = java_version(java) if Path(java).exists() else None
        if found is None or found < need:
            raise EngineFailure(
                f"JAVA_HOME={home} does not hold Java {need} or newer, which Elasticsearch {version} needs:"
                f" set JAVA_HOME to a JDK {need}+"
            )
        return java, found
    javas = {path: v for path in installed_javas() if (v := java_version(path)) is not None}
    chosen = elastic.choose_java(javas, version)
    if chosen is None:
        have = ", ".join(str(v) for v in sorted(set(javas.values()))) or "none"
        raise EngineFailure(
            f"Elasticsearch {version} needs Java {need}+ (found: {have}): install a JDK {need}+"
            f" (e.g. apt-get install openjdk-{max(need, 17)}-jdk-headless) or set JAVA_HOME"
        )
    return chosen, javas[chosen]


def start_elasticsearch(layout: Layout) -> tuple[int, str]:
    """Unpack (once), configure, start as the service user when root; returns (pid, how)."""
    version = layout.version.removeprefix("elasticsearch-")
    try:
        java, java_major = elasticsearch_java(version)
        home = elastic.unpack(TARGET, version)
        owner = elastic.service_user_ids()
        config = elastic.prepare_node(home, layout.base, port(), os.environ.get("ES_HEAP", "1g"), owner)
    except elastic.Refusal as refusal:
        raise EngineFailure(str(refusal)) from None
    java_home = Path(java).resolve().parent.parent
    launcher_log = layout.base / "logs" / "launcher.log"
    with open(launcher_log, "ab") as log:
        try:
            result = subprocess.run(
                elastic.command(home, layout.base, owner),
                env=elastic.environment(java_home, layout.base, config),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=layout.base,
                timeout=START_TIMEOUT_S,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise EngineFailure(
                f"Elasticsearch did not start within {START_TIMEOUT_S:.0f} s (see {launcher_log}; make es-down"
                " ENGINE=elasticsearch stops it)"
            ) from None
    pid = read_pid(layout)
    if result.returncode != 0 or pid is None:
        raise EngineFailure(
            f"Elasticsearch exited during start-up: {last_error(layout, launcher_log)} (logs in {layout.base / 'logs'})"
        )
    user = f", as user {elastic.SERVICE_USER}" if owner else ""
    return pid, f"Java {java_major}{user}"


def wait_until_green(layout: Layout, pid: int, alive: Callable[[], bool]) -> None:
    """Poll until green; `alive` is asked, not /proc, because a child that has not yet
    exec'd java does not look like our engine."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not alive():
            layout.pid_file.unlink(missing_ok=True)
            raise EngineFailure(
                f"the engine exited during start-up: {last_error(layout)} (full log: {layout.log_file})"
            )
        if green(embedded_url()):
            return
        time.sleep(0.5)
    raise EngineFailure(
        f"the engine did not turn green within {START_TIMEOUT_S:.0f} s"
        f" (pid {pid} still running; see {layout.log_file}; make es-down stops it)"
    )


def last_error(layout: Layout, *logs: Path) -> str:
    """The most telling line of the node's log (an exception), else of the other logs."""
    for log in [layout.log_file, *logs]:
        try:
            lines = log.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in reversed(lines[-400:]):
            if re.search(r"ENGINE FAILED TO START|BindException|Exception:", line):
                return line.strip()[:300]
    for log in [*logs, layout.log_file]:
        try:
            lines = log.read_text(errors="replace").splitlines()
        except OSError:
            continue
        if lines:
            return lines[-1].strip()[:300]
    return "no log written"


def down() -> int:
    layout = chosen_layout()
    if external_url():
        print(f"ES_URL={external_url()} is not ours to stop: nothing done")
        return 0
    pid = read_pid(layout)
    if not pid:
        print(f"the embedded {layout.title} is not running (no pid file)")
        return 0
    if not is_our_engine(layout, pid):
        print(f"removing a stale pid file (pid {pid} is not our engine)")
        layout.pid_file.unlink(missing_ok=True)
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and is_our_engine(layout, pid):
        time.sleep(0.2)
    if is_our_engine(layout, pid):
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
    layout.pid_file.unlink(missing_ok=True)
    print(f"the embedded {layout.title} is stopped (pid {pid})")
    return 0


def status() -> int:
    layout = chosen_layout()
    url = external_url()
    if url:
        ok = answers(url)
        print(f"ES_URL={url}: {'answers' if ok else 'does not answer'}")
        return 0 if ok else 1
    pid = read_pid(layout)
    if pid and is_our_engine(layout, pid):
        health = http_json(embedded_url() + "/_cluster/health") or {}
        print(
            f"{layout.title} ({layout.version}) running at {embedded_url()} (pid {pid}),"
            f" status {health.get('status', 'not answering yet')}"
        )
        return 0
    print(f"{layout.title} ({layout.version}) not running")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--mark", type=Path, help="with up: create this file only if this call started the engine")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            return up(args.mark)
        if args.command == "down":
            return down()
        return status()
    except EngineFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
