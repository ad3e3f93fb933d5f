"""`python -m indexer rebuild` and `rollback` against the real engine with the real model:
fresh versioned builds from exactly the sources named, one atomic alias swap, the previous
build kept for rollback and older ones removed; searches never see an empty or half-built
index; a cluster that goes away mid-run is retried, then the run fails (exit 2) with the
alias unchanged."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.engines import SyncEngine
from core.settings import Settings
from indexer import store as indexer_store
from indexer.demo.providers import generate_providers
from tests.integration.api_fixtures import TcpProxy
from tests.integration.indexer_support import Indexer, Run, alias_target, builds, count, provider, write_jsonl


def ids(cluster: SyncEngine, alias: str) -> set[str]:
    body = {"size": 1000, "_source": False, "query": {"match_all": {}}}
    return {h["_id"] for h in cluster.request("POST", f"/{alias}/_search", body)["hits"]["hits"]}


# ---------------------------------------------------------------- builds, swap, rollback


def test_rebuild_serves_exactly_the_sources_named_keeps_the_previous_build_and_removes_older_ones(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    first = indexer(
        "rebuild", "--providers", str(write_jsonl(tmp_path / "v1.jsonl", [provider("a"), provider("b"), provider("c")]))
    )
    assert first.code == 0, first.err
    [build_1] = alias_target(cluster, alias)
    assert f"{alias} now serves {build_1}" in first.out
    assert ids(cluster, alias) == {"a", "b", "c"}

    # "c" is gone from the export: it is gone from the index
    second = indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v2.jsonl", [provider("a"), provider("b")])))
    assert second.code == 0, second.err
    assert "providers: indexed 2, rejected 0; embedded 0, reused 2" in second.out
    [build_2] = alias_target(cluster, alias)
    assert build_2 > build_1
    assert ids(cluster, alias) == {"a", "b"}
    assert builds(cluster, alias) == [build_1, build_2]

    third = indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v3.jsonl", [provider("a"), provider("d")])))
    assert third.code == 0, third.err
    [build_3] = alias_target(cluster, alias)
    assert ids(cluster, alias) == {"a", "d"}
    assert builds(cluster, alias) == [build_2, build_3]  # the one before is kept, older ones removed
    assert f"providers: removed old builds {build_1}" in third.out

    back = indexer("rollback", "--type", "providers")
    assert back.code == 0, back.err
    assert f"{alias}: {build_3} -> {build_2}" in back.out
    assert alias_target(cluster, alias) == [build_2]
    assert ids(cluster, alias) == {"a", "b"}
    # a rebuild naming only providers leaves the passages alias alone (it never existed here)
    assert alias_target(cluster, settings.passages_alias) == []


def test_rollback_without_a_previous_build_is_an_error(indexer: Indexer, tmp_path: Path) -> None:
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "p.jsonl", [provider("a")]))).code == 0
    run = indexer("rollback", "--type", "providers")
    assert run.code == 2
    assert "no previous build" in run.err


# ---------------------------------------------------------------- reads during a rebuild


def generated(n: int) -> list[dict[str, Any]]:
    # Bios are left out to keep the real model's work (and the test) short: what is tested
    # here is what searches see while a build fills up, not the embedding text.
    return [{**p, "bio": None} for p in islice(generate_providers(max(n, 100)), n)]


def test_a_search_during_a_rebuild_sees_the_old_or_the_new_index_never_a_partial_one(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    old, new = 40, 300
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "old.jsonl", generated(old)))).code == 0
    assert count(cluster, alias) == old
    new_file = write_jsonl(tmp_path / "new.jsonl", generated(new))

    result: list[Run] = []
    worker = threading.Thread(target=lambda: result.append(indexer("rebuild", "--providers", str(new_file))))
    seen: list[int] = []
    worker.start()
    while worker.is_alive():
        seen.append(count(cluster, alias))  # an error here fails the test too
        time.sleep(0.02)
    worker.join()
    seen.append(count(cluster, alias))

    assert result and result[0].code == 0, result[0].err if result else "the rebuild thread died"
    assert set(seen) <= {old, new}, sorted(set(seen))
    assert seen.count(old) >= 10  # the reads really overlapped the build
    assert seen[-1] == new


# ---------------------------------------------------------------- the cluster goes away


class FlakyProxy(TcpProxy):
    """A TcpProxy that lets `allow` whole HTTP requests through to the engine, then goes down
    (every connection, open or new, reset): the cluster "goes away" without touching the engine."""

    def __init__(self, target: tuple[str, int], allow: int) -> None:
        self.allow = allow
        self.requests = 0
        super().__init__(target)

    @property
    def down(self) -> bool:
        return self.mode == "down"

    def go_down(self) -> None:
        self.mode = "down"

    def _send_upstream(self, client: socket.socket, upstream: socket.socket) -> None:
        """One whole HTTP request at a time (the clients send Content-Length), counted."""
        reader = client.makefile("rb")
        try:
            while True:
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    line = reader.readline()
                    if not line:
                        return
                    head += line
                length = next(
                    (int(h.split(b":", 1)[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")),
                    0,
                )
                body = reader.read(length) if length else b""
                with self._lock:
                    self.requests += 1
                    over = self.requests > self.allow
                if over:
                    self.go_down()
                    return
                upstream.sendall(head + body)
        except OSError:
            return


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Callable[[int], FlakyProxy]]:
    monkeypatch.setattr(indexer_store, "RETRY_DELAYS_S", (0.01, 0.02, 0.05))
    started: list[FlakyProxy] = []

    def start(allow: int) -> FlakyProxy:
        url = httpx.URL(settings.es_url)
        proxy = FlakyProxy((url.host, url.port or 9200), allow)
        started.append(proxy)
        monkeypatch.setenv("ES_URL", proxy.url)
        return proxy

    yield start
    for proxy in started:
        proxy.close()


def test_the_cluster_going_away_mid_rebuild_is_retried_then_exits_2_with_the_alias_unchanged(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path, flaky: Callable[[int], FlakyProxy]
) -> None:
    alias = settings.providers_alias
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v1.jsonl", [provider("a")]))).code == 0
    before = alias_target(cluster, alias)
    v2 = write_jsonl(tmp_path / "v2.jsonl", [provider("a"), provider("b")])

    # GET / (which engine), the live build's _mapping, its (id, hash) page (it differs) and
    # the PUT of the new build get through; the first bulk does not
    proxy = flaky(4)
    run = indexer("rebuild", "--providers", str(v2))

    assert proxy.down
    assert run.code == 2
    assert run.err.count("the cluster is not answering") >= 3  # retried with backoff
    assert "retrying in" in run.err
    assert "nothing the aliases serve was changed" in run.err
    assert alias_target(cluster, alias) == before
    assert ids(cluster, alias) == {"a"}


def test_the_cluster_going_away_while_the_live_build_is_compared_exits_2_with_no_new_build(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path, flaky: Callable[[int], FlakyProxy]
) -> None:
    alias = settings.providers_alias
    path = str(write_jsonl(tmp_path / "v1.jsonl", [provider("a")]))
    assert indexer("rebuild", "--providers", path).code == 0
    before = (alias_target(cluster, alias), builds(cluster, alias))

    proxy = flaky(2)  # GET / (which engine) and the live build's _mapping; not its (id, hash) page
    run = indexer("rebuild", "--providers", path)

    assert proxy.down
    assert run.code == 2
    assert run.err.count("the cluster is not answering") >= 3
    assert "nothing the aliases serve was changed" in run.err
    assert (alias_target(cluster, alias), builds(cluster, alias)) == before


def test_an_unreachable_cluster_exits_2_with_a_clear_message(
    indexer: Indexer, tmp_path: Path, flaky: Callable[[int], FlakyProxy]
) -> None:
    proxy = flaky(0)
    proxy.go_down()
    run = indexer("providers", str(write_jsonl(tmp_path / "p.jsonl", [provider("a")])))
    assert run.code == 2
    assert f"no search engine answers at {proxy.url}" in run.err


def test_a_build_left_unfinished_by_a_failed_run_is_never_rolled_back_to_and_is_cleaned_up(
    indexer: Indexer,
    cluster: SyncEngine,
    settings: Settings,
    tmp_path: Path,
    flaky: Callable[[int], FlakyProxy],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alias = settings.providers_alias
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v1.jsonl", [provider("a")]))).code == 0
    [good] = alias_target(cluster, alias)
    flaky(4)  # GET /, the live build's _mapping and (id, hash) page, the PUT; not the bulk
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v2.jsonl", [provider("b")]))).code == 2
    [unfinished] = [b for b in builds(cluster, alias) if b != good]  # the cluster went away before its removal

    monkeypatch.setenv("ES_URL", settings.es_url)  # the cluster is back
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v3.jsonl", [provider("c")]))).code == 0
    [latest] = alias_target(cluster, alias)
    assert unfinished not in builds(cluster, alias)
    assert builds(cluster, alias) == [good, latest]

    back = indexer("rollback", "--type", "providers")
    assert back.code == 0, back.err
    assert alias_target(cluster, alias) == [good]
    assert ids(cluster, alias) == {"a"}
