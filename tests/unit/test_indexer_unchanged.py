"""When a rebuild may keep the live build: the same embedder, the same index definition and
exactly the same (id, content_hash) pairs; anything else is a difference that builds."""

from __future__ import annotations

from typing import Any

from core.embedding_meta import DEFINITION_KEY, META_KEY
from indexer.index_body import body_fingerprint
from indexer.unchanged import Difference, difference, meta_mismatch

RECORDS = {"a": "hash-a", "b": "hash-b", "c": "hash-c"}
EMBEDDER = "all-minilm-l6-v2/onnx-qint8"
DEFINITION = "d" * 64


def meta(**fields: Any) -> dict[str, Any]:
    return {META_KEY: EMBEDDER, DEFINITION_KEY: DEFINITION, "building": False, **fields}


# ---------------------------------------------------------------- the documents


def test_the_same_ids_with_the_same_hashes_are_no_difference() -> None:
    found = difference(RECORDS, dict(RECORDS))
    assert found == Difference(added=0, removed=0, changed=0)
    assert found.none


def test_a_live_document_the_records_no_longer_hold_is_removed() -> None:
    found = difference(RECORDS, {**RECORDS, "z": "hash-z"})
    assert found == Difference(added=0, removed=1, changed=0)
    assert not found.none


def test_a_record_the_live_build_lacks_is_added() -> None:
    live = {k: v for k, v in RECORDS.items() if k != "b"}
    found = difference(RECORDS, live)
    assert found == Difference(added=1, removed=0, changed=0)
    assert not found.none


def test_a_record_whose_hash_differs_is_changed() -> None:
    found = difference(RECORDS, {**RECORDS, "c": "hash-c-before"})
    assert found == Difference(added=0, removed=0, changed=1)
    assert not found.none


def test_a_live_document_without_a_hash_never_matches() -> None:
    assert difference(RECORDS, {**RECORDS, "a": None}) == Difference(added=0, removed=0, changed=1)


def test_every_kind_of_difference_is_counted_and_said() -> None:
    found = difference({"a": "1", "b": "2", "new": "3"}, {"a": "1", "b": "changed", "gone": "4"})
    assert str(found) == "1 added, 1 removed, 1 changed"


def test_no_records_against_an_empty_live_build_is_no_difference() -> None:
    assert difference({}, {}).none


# ---------------------------------------------------------------- how the live build was made


def test_a_build_with_this_embedder_and_definition_may_be_kept() -> None:
    assert meta_mismatch(meta(), EMBEDDER, DEFINITION) is None


def test_a_build_from_before_definitions_were_recorded_is_never_kept() -> None:
    recorded = meta()
    del recorded[DEFINITION_KEY]
    why = meta_mismatch(recorded, EMBEDDER, DEFINITION)
    assert why is not None and "no index definition" in why


def test_a_build_with_another_mapping_or_analysis_is_not_kept() -> None:
    why = meta_mismatch(meta(**{DEFINITION_KEY: "e" * 64}), EMBEDDER, DEFINITION)
    assert why is not None and "another mapping" in why


def test_a_build_with_another_embedders_vectors_is_not_kept() -> None:
    why = meta_mismatch(meta(**{META_KEY: "all-minilm-l6-v2/torch"}), EMBEDDER, DEFINITION)
    assert why == f"holds vectors from all-minilm-l6-v2/torch, this run embeds with {EMBEDDER}"


def test_a_build_recording_no_embedder_is_not_kept() -> None:
    recorded = meta()
    del recorded[META_KEY]
    assert meta_mismatch(recorded, EMBEDDER, DEFINITION) == "records no embedder"


def test_an_unfinished_build_is_not_kept() -> None:
    assert meta_mismatch(meta(building=True), EMBEDDER, DEFINITION) == "was never finished"


# ---------------------------------------------------------------- the definition's fingerprint


def test_the_definition_fingerprint_ignores_key_order_and_follows_every_value() -> None:
    body = {"settings": {"index": {"knn": True, "number_of_shards": 1}}, "mappings": {"properties": {"id": {}}}}
    reordered = {"mappings": {"properties": {"id": {}}}, "settings": {"index": {"number_of_shards": 1, "knn": True}}}
    changed = {"settings": {"index": {"knn": True, "number_of_shards": 2}}, "mappings": {"properties": {"id": {}}}}
    assert body_fingerprint(body) == body_fingerprint(reordered)
    assert body_fingerprint(body) != body_fingerprint(changed)
    assert len(body_fingerprint(body)) == 64
