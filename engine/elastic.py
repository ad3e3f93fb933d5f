"""The embedded Elasticsearch node: Elastic's minimal distribution from Maven Central
(`org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip`), unpacked under
engine/target, its configuration, data and logs in one directory per version under .data/.

Standard library only (engine/manage.py runs before the virtualenv exists). The pure functions
(configuration text, the Java a version needs, the dictionary) are unit-tested.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

DEFAULT_VERSION = "8.19.0"
GROUP_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MAIN_CLASS = "org.elasticsearch.bootstrap.Elasticsearch"
# Elasticsearch refuses to run as root: as root, the node runs as this system user
SERVICE_USER = "caresearch"
HUNSPELL_DIR = Path("/usr/share/hunspell")
HUNSPELL_LOCALE = "en_US"
# The newest Java each line has been started with here (8.19 on OpenJDK 17 and Temurin 25;
# 9.2 on Temurin 25); a newer one is second choice, as for OpenSearch.
TESTED_UP_TO = 25


class Refusal(Exception):
    """A one-line, actionable reason not to start (nothing was changed)."""


def major(version: str) -> int:
    return int(version.split(".")[0])


def valid_version(version: str) -> bool:
    return re.fullmatch(r"(8|9)\.\d+\.\d+", version) is not None


def minimum_java(version: str) -> int:
    """Elasticsearch 8 runs on Java 17+, 9 on Java 21+ (its launcher refuses older)."""
    return 21 if major(version) >= 9 else 17


def choose_java(found: dict[str, int], version: str) -> str | None:
    """Of the Javas found (path -> major), the newest this version accepts within the tested
    range, else the newest it accepts."""
    usable = {path: v for path, v in found.items() if v >= minimum_java(version)}
    if not usable:
        return None
    return max(usable, key=lambda path: (usable[path] <= TESTED_UP_TO, usable[path]))


def elasticsearch_yml(base: Path, port: int) -> str:
    """Single node on loopback, a fixed HTTP port (a busy one fails the start), security off
    (local development and CI only), disk thresholds off (small CI disks would turn indices
    read-only at 95%)."""
    return "\n".join(
        [
            "cluster.name: caresearch-dev",
            "node.name: caresearch",
            "network.host: 127.0.0.1",
            f"http.port: {port}",
            "transport.port: 9300-9399",
            "discovery.type: single-node",
            "xpack.security.enabled: false",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.auto_create_index: true",
            f"path.data: {base / 'data'}",
            f"path.logs: {base / 'logs'}",
            "",
        ]
    )


def jvm_options(distribution_options: str, heap: str, logs: Path) -> str:
    """The distribution's JVM options with the heap set and every file it names (GC log, heap
    dump, error file) moved into our logs directory: relative paths would land in the
    working directory."""
    kept = [
        line
        for line in distribution_options.splitlines()
        if line.strip()
        and not line.lstrip().startswith("#")
        and not re.search(r"-Xm[sx]|-Xlog:gc|HeapDumpPath|ErrorFile|HeapDumpOnOutOfMemoryError", line)
    ]
    return "\n".join([*kept, f"-Xms{heap}", f"-Xmx{heap}", f"-XX:ErrorFile={logs}/hs_err_pid%p.log", ""])


def prefix_rules(aff: str) -> dict[str, list[str]]:
    """Prefix flag -> the prefixes it adds (en_US's all strip nothing, on any word)."""
    rules: dict[str, list[str]] = {}
    for line in aff.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0] == "PFX" and parts[2] == "0" and parts[4] == ".":
            rules.setdefault(parts[1], []).append(parts[3])
    return rules


def prefixes_in_dictionary(aff: str, dic: str) -> tuple[str, str]:
    """(the affix file without prefix rules, the word list with every prefixed word as a root
    of its own). With the prefix rules, Lucene's Hunspell stemmer strips prefixes: "depressed"
    becomes "press" and "disorders" "order", matching unrelated words. Here "press/CADSG"
    (C: de-, A: re-) also gives "depress/DSG" and "repress/DSG", so "depressed" stems to
    "depress" and "disorders" to "disorder"."""
    rules = prefix_rules(aff)
    kept_aff = "".join(line for line in aff.splitlines(keepends=True) if not line.startswith("PFX"))
    lines = dic.splitlines()
    entries = lines[1:] if lines and lines[0].strip().isdigit() else lines
    words: list[str] = []
    for entry in entries:
        word, _, flags = entry.partition("/")
        suffixes = "".join(f for f in flags if f not in rules)
        words.append(f"{word}/{suffixes}" if suffixes else word)
        for flag in flags:
            for prefix in rules.get(flag, []):
                words.append(f"{prefix}{word}/{suffixes}" if suffixes else f"{prefix}{word}")
    return kept_aff, "\n".join([str(len(words)), *words, ""])


def service_user_ids() -> tuple[int, int] | None:
    """(uid, gid) the node runs as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if not useradd:
            raise Refusal(
                f"Elasticsearch refuses to run as root and useradd is missing: create a user {SERVICE_USER!r}"
                " or run make as an ordinary user"
            ) from None
        subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


def unpack(target: Path, version: str) -> Path:
    """The distribution unpacked under `target` (Maven resolves and unpacks it once)."""
    home = target / f"elasticsearch-{version}"
    marker = home / ".unpacked"
    if marker.exists():
        return home
    mvn = shutil.which("mvn")
    if not mvn:
        raise Refusal("Maven is not installed: install it (e.g. apt-get install maven) and run make setup")
    print(f"fetching Elasticsearch {version} with Maven (first time only)…", flush=True)
    result = subprocess.run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(target.parent / "pom.xml"),  # the project: the plugin keeps its markers in its target/
            f"{DEPENDENCY_PLUGIN}:unpack",
            f"-Dartifact={GROUP_ARTIFACT}:{version}:zip",
            f"-DoutputDirectory={target}",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not (home / "bin" / "elasticsearch").exists():
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        raise Refusal(
            f"Maven could not fetch {GROUP_ARTIFACT}:{version}:zip (a published version? Maven Central"
            " reachable?): " + " | ".join(tail)
        )
    # the zip's config files are 0660: readable by any user who runs the node (as root unpacked it)
    for path in [home, *home.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    marker.touch()
    return home


def hunspell_files() -> tuple[Path, Path]:
    aff, dic = (HUNSPELL_DIR / f"{HUNSPELL_LOCALE}.{ext}" for ext in ("aff", "dic"))
    if not (aff.exists() and dic.exists()):
        raise Refusal(
            f"the {HUNSPELL_LOCALE} Hunspell dictionary is missing ({aff}): run make setup as root,"
            " or apt-get install hunspell-en-us"
        )
    return aff, dic


def prepare_node(home: Path, base: Path, port: int, heap: str, owner: tuple[int, int] | None) -> Path:
    """Write the node's configuration under `base` (config/, data/, logs/, tmp/); return the
    config directory. Rewritten on every start: it follows ES_PORT and ES_HEAP."""
    try:
        return _prepare_node(home, base, port, heap, owner)
    except OSError as exc:
        raise Refusal(f"could not write the node's configuration in {base} ({exc.strerror}: {exc.filename})") from None


def _prepare_node(home: Path, base: Path, port: int, heap: str, owner: tuple[int, int] | None) -> Path:
    aff, dic = hunspell_files()
    config = base / "config"
    for sub in ("config", "data", "logs", "tmp"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    for name in ("log4j2.properties", "roles.yml", "role_mapping.yml", "users", "users_roles"):
        if (home / "config" / name).exists():
            shutil.copyfile(home / "config" / name, config / name)
    (config / "elasticsearch.yml").write_text(elasticsearch_yml(base, port))
    distribution = (home / "config" / "jvm.options").read_text()
    (config / "jvm.options").write_text(jvm_options(distribution, heap, base / "logs"))
    (config / "jvm.options.d").mkdir(exist_ok=True)
    words = config / "hunspell" / HUNSPELL_LOCALE
    words.mkdir(parents=True, exist_ok=True)
    kept_aff, expanded = prefixes_in_dictionary(aff.read_text("utf-8"), dic.read_text("utf-8"))
    (words / f"{HUNSPELL_LOCALE}.aff").write_text(kept_aff, "utf-8")
    (words / f"{HUNSPELL_LOCALE}.dic").write_text(expanded, "utf-8")
    if owner:
        for path in [base, *base.rglob("*")]:
            os.chown(path, *owner, follow_symlinks=False)
    return config


def command(home: Path, base: Path, owner: tuple[int, int] | None) -> list[str]:
    """The launcher, daemonized (it returns once the node has started, or with its error)."""
    launch = [str(home / "bin" / "elasticsearch"), "-d", "-p", str(base / "node.pid")]
    return ["runuser", "-u", SERVICE_USER, "--", *launch] if owner else launch


def environment(java_home: Path, base: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "JAVA_"))}
    env.update(
        {
            "ES_JAVA_HOME": str(java_home),
            "ES_PATH_CONF": str(config),
            "ES_TMPDIR": str(base / "tmp"),
            "ES_JAVA_OPTS": os.environ.get("ENGINE_JAVA_OPTS", ""),
        }
    )
    return env
