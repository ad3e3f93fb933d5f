"""A build is filled with refresh off and no replicas, then, before it can be swapped in,
merged to one segment and given the refresh and replicas its mapping configures."""

from __future__ import annotations

from typing import Any

import pytest

from core.engines import SyncEngine
from core.settings import Settings
from indexer import store as indexer_store
from indexer.store import IndexStore


def index_settings(cluster: SyncEngine, index: str) -> dict[str, Any]:
    found = cluster.request("GET", f"/{index}/_settings", params={"include_defaults": "true"})[index]
    merged = {**found["defaults"]["index"], **found["settings"]["index"]}
    return {"refresh_interval": merged["refresh_interval"], "number_of_replicas": merged["number_of_replicas"]}


def segments(cluster: SyncEngine, index: str) -> int:
    shards = cluster.request("GET", f"/{index}/_segments")["indices"][index]["shards"]
    return sum(len(copy["segments"]) for copies in shards.values() for copy in copies if copy["routing"]["primary"])


def fill(store: IndexStore, index: str, n: int, batches: int) -> None:
    """Several bulk requests with a flush between them: several segments to merge."""
    for b in range(batches):
        docs = [{"id": f"p{b}-{i}", "name": f"Provider {b}-{i}", "bio": "I help with grief."} for i in range(n)]
        assert store.bulk_index(index, docs) == []
        store._call("POST", f"/{index}/_flush")


def test_a_build_fills_without_refresh_or_replicas_and_is_served_merged_with_its_configured_settings(
    cluster: SyncEngine, settings: Settings
) -> None:
    store = IndexStore(cluster, settings)
    index = store.create_build("providers", bulk_load=True)
    assert index_settings(cluster, index) == {"refresh_interval": "-1", "number_of_replicas": "0"}
    fill(store, index, 20, 3)
    assert segments(cluster, index) == 3

    store.finish_build(index)

    assert index_settings(cluster, index) == {"refresh_interval": "1s", "number_of_replicas": "0"}
    assert segments(cluster, index) == 1
    assert store.count(index) == 60


def test_replicas_the_mapping_asks_for_are_restored_even_where_one_node_cannot_place_them(
    cluster: SyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = indexer_store.index_body

    def with_a_replica(doc_type: str, dialect: Any, **options: Any) -> dict[str, Any]:
        body = original(doc_type, dialect, **options)
        body["settings"]["index"]["number_of_replicas"] = 1
        return body

    monkeypatch.setattr(indexer_store, "index_body", with_a_replica)
    store = IndexStore(cluster, settings.model_copy(update={"es_timeout_s": 2.0}))
    index = store.create_build("providers", bulk_load=True)
    assert index_settings(cluster, index)["number_of_replicas"] == "0"
    fill(store, index, 5, 1)

    store.finish_build(index)  # the wait for a green index times out on one node: not an error

    assert index_settings(cluster, index) == {"refresh_interval": "1s", "number_of_replicas": "1"}
    assert store.count(index) == 5
