"""Versioned builds: which build a rollback returns to, which builds are pruned, and the
retry with backoff while the cluster is unreachable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import indexer.store
from core.engines import EngineUnavailable
from indexer.store import (
    build_name,
    builds_to_prune,
    bulk_load_body,
    previous_build,
    serving_settings,
    with_retry,
)

A = "cs-providers-v20240101000000000000"
B = "cs-providers-v20240201000000000000"
C = "cs-providers-v20240301000000000000"
D = "cs-providers-v20240401000000000000"


def test_build_names_sort_in_time_order() -> None:
    early = build_name("cs-providers", datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    late = build_name("cs-providers", datetime(2024, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    assert early == "cs-providers-v20240102030405000006"
    assert early < late


def test_the_previous_build_is_the_newest_one_older_than_the_live_one() -> None:
    assert previous_build([A, B, C], C) == B
    assert previous_build([C, A, B], B) == A
    assert previous_build([A, B, C], A) is None
    assert previous_build([], None) is None
    assert previous_build([A, B], None) == B


def test_all_but_the_live_build_and_the_one_before_it_are_pruned() -> None:
    assert builds_to_prune([A, B, C, D], D) == [A, B]
    assert builds_to_prune([A, B], B) == []
    assert builds_to_prune([A], A) == []


def test_builds_newer_than_the_live_one_are_kept_after_a_rollback() -> None:
    # rolled back from D to C: D stays (it is what a roll-forward would need), A and B go
    assert builds_to_prune([A, B, C, D], C) == [A]


def test_an_unfinished_build_left_by_a_failed_run_is_never_kept_for_rollback() -> None:
    # B was left half-built when the cluster went away; C is the rebuild after it
    assert builds_to_prune([A, B, C], C, unfinished={B}) == [B]
    # a build still being filled (newer than the live one) is left alone
    assert builds_to_prune([A, B, C], B, unfinished={C}) == []


def test_with_retry_retries_an_unreachable_cluster_with_the_delays_then_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(indexer.store.time, "sleep", slept.append)
    seen: list[float] = []
    calls = 0

    def down() -> None:
        nonlocal calls
        calls += 1
        raise EngineUnavailable("no answer")

    with pytest.raises(EngineUnavailable):
        with_retry(down, delays=(0.1, 0.2, 0.4), on_retry=lambda delay, exc: seen.append(delay))
    assert calls == 4
    assert slept == seen == [0.1, 0.2, 0.4]


def test_with_retry_returns_as_soon_as_the_cluster_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer.store.time, "sleep", lambda s: None)
    answers = iter([EngineUnavailable("down"), "ok"])

    def flaky() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert with_retry(flaky, delays=(1.0, 2.0)) == "ok"


def test_with_retry_uses_the_module_delays_as_they_are_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(indexer.store.time, "sleep", slept.append)
    monkeypatch.setattr(indexer.store, "RETRY_DELAYS_S", (0.01, 0.02))

    def down() -> None:
        raise EngineUnavailable("no answer")

    with pytest.raises(EngineUnavailable):
        with_retry(down)
    assert slept == [0.01, 0.02]


def test_with_retry_does_not_retry_other_errors() -> None:
    calls = 0

    def broken() -> None:
        nonlocal calls
        calls += 1
        raise ValueError("bad request")

    with pytest.raises(ValueError):
        with_retry(broken, delays=(0.0, 0.0))
    assert calls == 1


# ---------------------------------------------------------------- settings while a build is filled


def test_a_build_is_filled_without_refreshes_or_replicas_and_serves_with_what_its_mapping_configures() -> None:
    body, serving = bulk_load_body({"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 2}}})
    assert body["settings"]["index"] == {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}
    assert serving == {"refresh_interval": "1s", "number_of_replicas": 2}


def test_a_mapping_silent_on_replicas_serves_with_the_engines_default_of_one() -> None:
    body, serving = bulk_load_body({"mappings": {}})
    assert body["settings"]["index"]["number_of_replicas"] == 0
    assert serving == {"refresh_interval": "1s", "number_of_replicas": 1}


def test_a_refresh_interval_the_mapping_sets_is_what_the_build_serves_with() -> None:
    assert serving_settings({"refresh_interval": "30s", "number_of_replicas": 0}) == {
        "refresh_interval": "30s",
        "number_of_replicas": 0,
    }


# ------------------------------------------------------------------ a refused bulk request


class RefusingEngine:
    """Refuses a whole bulk request holding an id past 512 bytes, as the engine does."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def request(self, method: str, path: str, body: object = None, params: object = None) -> object:
        import json

        from core.engines import EngineError

        lines = [json.loads(line) for line in str(body).splitlines() if line]
        ids = [line["index"]["_id"] for line in lines if "index" in line]
        if any(len(i.encode()) > 512 for i in ids):
            raise EngineError(
                400, {"error": {"type": "action_request_validation_exception", "reason": "id is too long"}}
            )
        self.written += ids
        return {"errors": False, "items": [{"index": {"_id": i, "result": "created"}} for i in ids]}


def test_a_batch_the_engine_refuses_whole_is_halved_so_every_good_document_is_written() -> None:
    # issue 21, finding 5: one bad id lost the good records of its batch and the run exited 2
    from core.settings import Settings
    from indexer.store import IndexStore

    engine = RefusingEngine()
    store = IndexStore(engine, Settings())  # type: ignore[arg-type]
    docs = [{"id": f"p{i}"} for i in range(9)] + [{"id": "😀" * 256}] + [{"id": "p9"}]
    failures = store.bulk_index("cs-providers", docs)
    assert [(f.doc_id, f.reason) for f in failures] == [
        ("😀" * 256, "action_request_validation_exception: id is too long")
    ]
    assert sorted(engine.written) == sorted(f"p{i}" for i in range(10))
