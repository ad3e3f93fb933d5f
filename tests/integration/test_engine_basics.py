"""The engine we test against does what the search service relies on: keyword filters,
English-analyzed text, 384-dim cosine vectors with an HNSW graph, and data that survives
a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.embedder import SentenceTransformerEmbedder
from core.engines import (
    Dialect,
    SyncEngine,
    knn_body,
    ndjson,
    vector_field_mapping,
    vector_index_settings,
)
from core.settings import Settings
from indexer.index_body import analysis_for, index_body

DOCS = [
    ("1", "Self Harm", "I help teenagers who are cutting find safer ways to cope.", "CA"),
    ("2", "Insomnia", "Sleep therapy for adults who lie awake at night.", "CA"),
    ("3", "Self Harm", "Dialectical behavior therapy for self-injury in adults.", "NY"),
    ("4", "Grief", "Support after the loss of a parent or a child.", "NY"),
]


def create_index(cluster: SyncEngine, name: str) -> None:
    """The bio is analysed as the service's indices analyse text: the full English analysis,
    or the reduced one (Hunspell) on an engine without analysis-common."""
    analysis = index_body("passages", cluster.dialect, analysis=analysis_for(cluster.info))["settings"]["analysis"]
    cluster.request(
        "PUT",
        f"/{name}",
        {
            "settings": {
                "index": {"number_of_shards": 1, "number_of_replicas": 0, **vector_index_settings(cluster.dialect)},
                "analysis": analysis,
            },
            "mappings": {
                "properties": {
                    "specialty": {"type": "keyword"},
                    "state": {"type": "keyword"},
                    "bio": {"type": "text", "analyzer": "english_index"},
                    "embedding": vector_field_mapping(cluster.dialect),
                }
            },
        },
    )


@pytest.fixture
def small_index(cluster: SyncEngine, settings: Settings, real_embedder: SentenceTransformerEmbedder) -> str:
    name = f"{settings.index_prefix}-basics"
    create_index(cluster, name)
    vectors = real_embedder.embed_documents([d[2] for d in DOCS])
    lines: list[dict] = []
    for (doc_id, specialty, bio, state), vector in zip(DOCS, vectors, strict=True):
        lines.append({"index": {"_index": name, "_id": doc_id}})
        lines.append({"specialty": specialty, "bio": bio, "state": state, "embedding": vector})
    result = cluster.request("POST", "/_bulk", ndjson(lines), params={"refresh": "true"})
    assert not result["errors"]
    return name


def test_filtered_knn_finds_the_semantically_closest_document_within_the_filter(
    cluster: SyncEngine, small_index: str, real_embedder: SentenceTransformerEmbedder
) -> None:
    vector = real_embedder.embed_query("my teen keeps hurting herself")
    body = {"size": 3, **knn_body(cluster.dialect, "embedding", vector, 3, 50, [{"term": {"state": "CA"}}])}
    hits = cluster.request("POST", f"/{small_index}/_search", body)["hits"]["hits"]
    assert hits[0]["_id"] == "1"
    assert {h["_source"]["state"] for h in hits} == {"CA"}


def test_english_analyzed_match_finds_stemmed_words(cluster: SyncEngine, small_index: str) -> None:
    body = {"query": {"match": {"bio": "teenager cut"}}}
    hits = cluster.request("POST", f"/{small_index}/_search", body)["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]


def test_keyword_filter_is_exact(cluster: SyncEngine, small_index: str) -> None:
    body = {"query": {"bool": {"filter": [{"term": {"specialty": "Self Harm"}}]}}}
    hits = cluster.request("POST", f"/{small_index}/_search", body)["hits"]["hits"]
    assert sorted(h["_id"] for h in hits) == ["1", "3"]
    body = {"query": {"bool": {"filter": [{"term": {"specialty": "self harm"}}]}}}
    assert cluster.request("POST", f"/{small_index}/_search", body)["hits"]["total"]["value"] == 0


def test_vectors_are_indexed_as_an_hnsw_graph(cluster: SyncEngine, small_index: str) -> None:
    mapping = cluster.request("GET", f"/{small_index}/_mapping")[small_index]["mappings"]
    field = mapping["properties"]["embedding"]
    if cluster.dialect is Dialect.OPENSEARCH:
        assert field["type"] == "knn_vector"
        assert field["method"]["name"] == "hnsw"
        settings = cluster.request("GET", f"/{small_index}/_settings")[small_index]["settings"]
        assert settings["index"]["knn"] == "true"
    else:
        assert field["type"] == "dense_vector"
        assert field["index_options"]["type"] == vector_field_mapping(cluster.dialect)["index_options"]["type"]
        assert field["index_options"]["type"] in ("hnsw", "int8_hnsw")


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    bool(os.environ.get("ES_URL")) and "127.0.0.1" not in os.environ.get("ES_URL", ""),
    reason="restarts only the embedded engine, not a cluster given by ES_URL",
)
def test_the_embedded_engine_restarts_with_its_data_intact(cluster: SyncEngine, small_index: str) -> None:
    manage = [sys.executable, str(ROOT / "engine" / "manage.py")]
    if subprocess.run([*manage, "status"], capture_output=True).returncode != 0:
        pytest.skip("the engine at ES_URL was not started by engine/manage.py")
    before = cluster.request("GET", f"/{small_index}/_count")["count"]
    assert subprocess.run([*manage, "down"], capture_output=True).returncode == 0
    started = subprocess.run([*manage, "up"], capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        health = cluster.request(
            "GET", f"/_cluster/health/{small_index}", params={"wait_for_status": "green", "timeout": "5s"}
        )
        if health["status"] == "green":
            break
    assert cluster.request("GET", f"/{small_index}/_count")["count"] == before == len(DOCS)
