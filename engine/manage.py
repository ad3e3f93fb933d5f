#!/usr/bin/env python3
"""Start, stop and inspect the embedded OpenSearch node (standard library only).

    python3 engine/manage.py up [--mark FILE]   start in the background, return once green
    python3 engine/manage.py down               stop the node this script started (pid file)
    python3 engine/manage.py status             say what runs where

Environment: ES_PORT (default 9200), ES_HEAP (default 1g), ES_URL (if set and not the
embedded URL, nothing is started: that cluster is checked instead), JAVA_HOME (else the
best installed JDK: 21-25 for Lucene's Vector API, else 17+), ENGINE_JAVA_OPTS (extra JVM options),
ENGINE_DATA (default .data: where the data, pid file and lock live; relative to the project).
Every failure is one line on stderr that says what to do, and a non-zero exit.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "engine" / "target"
# ENGINE_DATA: a second engine (e.g. `make soak`'s) keeps its data, pid and lock apart
DATA = ROOT / os.environ.get("ENGINE_DATA", ".data")
BASE = DATA / "engine"
PID_FILE = DATA / "engine.pid"
LOCK_FILE = DATA / "engine.lock"
LOG_FILE = BASE / "engine.log"
VERSION_FILE = BASE / "ENGINE_VERSION"
ENGINE_VERSION = "opensearch-2.19.1"
MAIN_CLASS = "org.caresearch.engine.EmbeddedEngine"
START_TIMEOUT_S = float(os.environ.get("ES_START_TIMEOUT", "180"))
STOP_TIMEOUT_S = 30.0


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


def read_pid() -> int | None:
    try:
        return int(PID_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def running_port(pid: int) -> int | None:
    """The HTTP port our engine was started with (its last command-line argument)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    words = [a.decode() for a in args if a]
    return int(words[-1]) if words and words[-1].isdigit() else None


def is_our_engine(pid: int) -> bool:
    """True when pid is alive and is this launcher (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return MAIN_CLASS in cmdline and str(BASE) in cmdline


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


def check_data_version() -> None:
    """A .data/ written by another engine version is never touched: say so and stop."""
    if not VERSION_FILE.exists():
        return
    found = VERSION_FILE.read_text().strip()
    if found != ENGINE_VERSION:
        raise EngineFailure(
            f"{BASE} holds data from {found}, this engine is {ENGINE_VERSION}: move that folder away "
            "(nothing was changed) and run make es-up again"
        )


# ------------------------------------------------------------------ commands


def up(mark: Path | None) -> int:
    url = external_url()
    if url:
        if http_json(url + "/") is None:
            raise EngineFailure(
                f"ES_URL={url} does not answer: start that cluster, or unset ES_URL to use the embedded engine"
            )
        print(f"using the cluster at ES_URL={url} (the embedded engine is not started)")
        return 0
    with start_lock():
        pid = read_pid()
        if pid and is_our_engine(pid) and running_port(pid) not in (None, port()):
            raise EngineFailure(
                f"the embedded engine already runs on port {running_port(pid)} (pid {pid}): use ES_PORT="
                f"{running_port(pid)}, or stop it first with make es-down ES_PORT={running_port(pid)}"
            )
        if pid and is_our_engine(pid):
            wait_until_green(pid, lambda: is_our_engine(pid))
            print(f"the embedded engine is already running at {embedded_url()} (pid {pid})")
            return 0
        if pid:
            print(f"removing a stale pid file ({PID_FILE} named pid {pid}, which is not our engine)")
            PID_FILE.unlink(missing_ok=True)
        if port_in_use(port()):
            raise EngineFailure(
                f"port {port()} is already in use by another program: stop it, or run with ES_PORT=<free port>"
                f" (or ES_URL={embedded_url()} to use what runs there)"
            )
        java, version = java_binary()
        build_if_needed()
        check_data_version()
        process = spawn(java, version)
        pid = process.pid
        started = time.monotonic()
        wait_until_green(pid, lambda: process.poll() is None)
        VERSION_FILE.write_text(ENGINE_VERSION + "\n")
        if mark:
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.write_text(str(pid))
        vectors = "with" if vector_api_options(version) else "without"
        print(
            f"the embedded engine is up at {embedded_url()} (pid {pid}, green after {time.monotonic() - started:.1f} s;"
            f" Java {version} {vectors} the Vector API)"
        )
        return 0


def spawn(java: str, version: int) -> subprocess.Popen[bytes]:
    BASE.mkdir(parents=True, exist_ok=True)
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
        f"-Djava.io.tmpdir={BASE / 'tmp'}",
        *vector_api_options(version),
        *os.environ.get("ENGINE_JAVA_OPTS", "").split(),  # extra JVM options, last so they win
        "-cp",
        classpath,
        MAIN_CLASS,
        str(BASE),
        str(port()),
    ]
    (BASE / "tmp").mkdir(parents=True, exist_ok=True)
    with open(LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True
        )
    PID_FILE.write_text(f"{process.pid}\n")
    return process


def wait_until_green(pid: int, alive: Callable[[], bool]) -> None:
    """Poll until green; `alive` is asked, not /proc, because a child that has not yet
    exec'd java does not look like our engine."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not alive():
            PID_FILE.unlink(missing_ok=True)
            raise EngineFailure(f"the engine exited during start-up: {last_error()} (full log: {LOG_FILE})")
        if green(embedded_url()):
            return
        time.sleep(0.5)
    raise EngineFailure(
        f"the engine did not turn green within {START_TIMEOUT_S:.0f} s"
        f" (pid {pid} still running; see {LOG_FILE}; make es-down stops it)"
    )


def last_error() -> str:
    try:
        lines = LOG_FILE.read_text(errors="replace").splitlines()
    except OSError:
        return "no log written"
    for line in reversed(lines[-400:]):
        if "ENGINE FAILED TO START" in line or "BindException" in line or "Exception:" in line:
            return line.strip()[:300]
    return lines[-1].strip()[:300] if lines else "no log written"


def down() -> int:
    if external_url():
        print(f"ES_URL={external_url()} is not ours to stop: nothing done")
        return 0
    pid = read_pid()
    if not pid:
        print("the embedded engine is not running (no pid file)")
        return 0
    if not is_our_engine(pid):
        print(f"removing a stale pid file (pid {pid} is not our engine)")
        PID_FILE.unlink(missing_ok=True)
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and is_our_engine(pid):
        time.sleep(0.2)
    if is_our_engine(pid):
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
    PID_FILE.unlink(missing_ok=True)
    print(f"the embedded engine is stopped (pid {pid})")
    return 0


def status() -> int:
    url = external_url()
    if url:
        ok = http_json(url + "/") is not None
        print(f"ES_URL={url}: {'answers' if ok else 'does not answer'}")
        return 0 if ok else 1
    pid = read_pid()
    if pid and is_our_engine(pid):
        health = http_json(embedded_url() + "/_cluster/health") or {}
        print(f"running at {embedded_url()} (pid {pid}), status {health.get('status', 'not answering yet')}")
        return 0
    print("not running")
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
