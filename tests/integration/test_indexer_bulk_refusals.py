"""A document the engine refuses does not take its batch with it (issue 21, finding 5): against
the real engine, an id past its 512-byte limit made it refuse the whole bulk request (400), so
the good records beside it were not written. Validation now refuses such ids first
(tests/unit/test_indexer_validate.py); the store still halves a refused batch, so every good
document is written and the refused one comes back with its reason."""

from __future__ import annotations

from pathlib import Path

from core.engines import SyncEngine
from core.settings import Settings
from indexer.normalize import provider_document
from indexer.records import ProviderRecord
from indexer.store import IndexStore
from tests.integration.indexer_support import Indexer, count, provider, write_jsonl


def test_a_refused_batch_is_halved_until_only_the_refused_document_is_left(
    cluster: SyncEngine, settings: Settings
) -> None:
    store = IndexStore(cluster, settings)
    index = store.create_build("providers", bulk_load=False)
    docs = [provider_document(ProviderRecord.model_validate(provider(f"p{i:02d}"))) for i in range(7)]
    bad_id = "😀" * 256  # 1,024 bytes in UTF-8
    docs[4] = {**docs[4], "id": bad_id}

    failures = store.bulk_index(index, docs, refresh=True)

    assert [f.doc_id for f in failures] == [bad_id]
    assert failures[0].reason.startswith("action_request_validation_exception") and len(failures[0].reason) <= 300
    written = cluster.request("GET", f"/{index}/_count")["count"]
    assert written == 6


def test_a_bad_id_and_an_oversized_record_are_rejected_by_line_and_the_good_records_are_written(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    # findings 4 and 5 through the command: exit 2 with a raw engine error and the good records
    # lost, or exit 0 with a 1.5 MB record indexed; now each is named by PATH:LINE, exit 1
    records = [
        provider("p1"),
        provider("😀" * 256),
        provider("p3", specialties=["Anxiety"] * 25_000),
        provider("p4"),
    ]
    path = write_jsonl(tmp_path / "providers.jsonl", records)

    run = indexer("providers", "--allow-invalid", str(path))

    assert run.code == 1, run.err
    assert f"{path}:2: record '" in run.err and "the engine takes at most 512" in run.err
    assert f"{path}:3: record 'p3': specialties has too many items (25000; at most 100)" in run.err
    assert count(cluster, settings.providers_alias) == 2
