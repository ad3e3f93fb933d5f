"""`python -m indexer rebuild` keeps a type's live build when it already holds exactly what the
sources would produce (every id and content hash), made by the same embedder and index
definition: no new index, no swap, no pruning for that type. Any change to the records, another
embedder, a build from before definitions were recorded, or `--force` builds and swaps as
before. Against the real engine with the real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.embedding_meta import DEFINITION_KEY, META_KEY
from core.engines import SyncEngine
from core.settings import Settings
from indexer import store as indexer_store
from indexer.normalize import provider_document
from indexer.records import ProviderRecord
from indexer.store import IndexStore
from tests.integration.indexer_support import Indexer, alias_target, builds, provider, write_jsonl


def passage(doc_id: str, text: str) -> dict[str, Any]:
    return {"id": doc_id, "title": f"About {doc_id}", "text": text, "guide": "Grief"}


PROVIDERS = [provider("a"), provider("b"), provider("c")]
PASSAGES = [passage("g1", "Grief comes in waves."), passage("g2", "Talking to a counselor can help.")]


def served(cluster: SyncEngine, alias: str) -> dict[str, dict[str, Any]]:
    body = {"size": 1000, "query": {"match_all": {}}, "_source": {"excludes": ["embedding"]}}
    return {h["_id"]: h["_source"] for h in cluster.request("POST", f"/{alias}/_search", body)["hits"]["hits"]}


def live_meta(cluster: SyncEngine, alias: str) -> tuple[str, dict[str, Any]]:
    [(index, body)] = cluster.request("GET", f"/{alias}/_mapping").items()
    return index, body["mappings"]["_meta"]


def set_live_meta(cluster: SyncEngine, alias: str, meta: dict[str, Any]) -> None:
    index, _ = live_meta(cluster, alias)
    cluster.request("PUT", f"/{index}/_mapping", {"_meta": meta})


@pytest.fixture
def sources(tmp_path: Path) -> list[str]:
    providers = write_jsonl(tmp_path / "providers.jsonl", PROVIDERS)
    passages = write_jsonl(tmp_path / "passages.jsonl", PASSAGES)
    return ["--providers", str(providers), "--passages", str(passages)]


def test_rebuilding_the_same_files_keeps_both_live_builds_and_says_so(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, sources: list[str]
) -> None:
    assert indexer("rebuild", *sources).code == 0
    aliases = (settings.providers_alias, settings.passages_alias)
    before = {a: (alias_target(cluster, a), builds(cluster, a)) for a in aliases}

    again = indexer("rebuild", *sources)

    assert again.code == 0, again.err
    assert {a: (alias_target(cluster, a), builds(cluster, a)) for a in aliases} == before
    [providers_live] = before[settings.providers_alias][0]
    [passages_live] = before[settings.passages_alias][0]
    assert f"providers: unchanged (3 documents match the live build {providers_live}), kept" in again.out
    assert f"passages: unchanged (2 documents match the live build {passages_live}), kept" in again.out
    assert f"{settings.providers_alias} still serves {providers_live}" in again.out
    assert "indexed" not in again.out and "now serves" not in again.out and "removed" not in again.out


def test_an_unchanged_type_is_kept_while_a_changed_one_in_the_same_run_is_built_and_swapped(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, sources: list[str], tmp_path: Path
) -> None:
    assert indexer("rebuild", *sources).code == 0
    passages_before = (alias_target(cluster, settings.passages_alias), builds(cluster, settings.passages_alias))
    [providers_before] = alias_target(cluster, settings.providers_alias)
    changed = write_jsonl(tmp_path / "changed.jsonl", [*PROVIDERS, provider("d")])

    run = indexer("rebuild", "--providers", str(changed), "--passages", sources[3])

    assert run.code == 0, run.err
    assert (alias_target(cluster, settings.passages_alias), builds(cluster, settings.passages_alias)) == passages_before
    assert "passages: unchanged (2 documents" in run.out
    [providers_after] = alias_target(cluster, settings.providers_alias)
    assert providers_after != providers_before
    assert f"providers: the live build {providers_before} differs from these records (1 added" in run.out
    assert f"{settings.providers_alias} now serves {providers_after}" in run.out
    assert set(served(cluster, settings.providers_alias)) == {"a", "b", "c", "d"}


@pytest.mark.parametrize(
    ("edit", "difference", "expect"),
    [
        (
            lambda records: [provider("a"), provider("b", bio="Now I also see couples."), provider("c")],
            "0 added, 0 removed, 1 changed",
            lambda docs: docs["b"]["bio"] == "Now I also see couples.",
        ),
        (
            lambda records: [*records, provider("new")],
            "1 added, 0 removed, 0 changed",
            lambda docs: set(docs) == {"a", "b", "c", "new"},
        ),
        (
            lambda records: records[:2],
            "0 added, 1 removed, 0 changed",
            lambda docs: set(docs) == {"a", "b"},
        ),
    ],
    ids=["one field changed", "one record added", "one record removed"],
)
def test_any_change_to_the_records_makes_a_new_build_and_a_swap_that_serves_it(
    indexer: Indexer,
    cluster: SyncEngine,
    settings: Settings,
    tmp_path: Path,
    edit: Any,
    difference: str,
    expect: Any,
) -> None:
    alias = settings.providers_alias
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v1.jsonl", PROVIDERS))).code == 0
    [before] = alias_target(cluster, alias)

    run = indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "v2.jsonl", edit(PROVIDERS))))

    assert run.code == 0, run.err
    [after] = alias_target(cluster, alias)
    assert after != before
    assert builds(cluster, alias) == [before, after]  # the old one kept for rollback
    assert f"providers: the live build {before} differs from these records ({difference}): building" in run.out
    assert expect(served(cluster, alias))


def test_force_builds_and_swaps_even_when_nothing_changed(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    path = str(write_jsonl(tmp_path / "p.jsonl", PROVIDERS))
    assert indexer("rebuild", "--providers", path).code == 0
    [before] = alias_target(cluster, alias)

    run = indexer("rebuild", "--force", "--providers", path)

    assert run.code == 0, run.err
    [after] = alias_target(cluster, alias)
    assert after != before
    assert "unchanged" not in run.out
    assert "providers: indexed 3, rejected 0; embedded 0, reused 3" in run.out
    assert f"{alias} now serves {after}" in run.out


def test_a_live_build_with_another_embedders_vectors_is_rebuilt(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    path = str(write_jsonl(tmp_path / "p.jsonl", PROVIDERS))
    assert indexer("rebuild", "--providers", path).code == 0
    before, meta = live_meta(cluster, alias)
    ours = meta[META_KEY]
    set_live_meta(cluster, alias, {**meta, META_KEY: "some-other-model/torch"})

    run = indexer("rebuild", "--providers", path)

    assert run.code == 0, run.err
    after, meta_after = live_meta(cluster, alias)
    assert after != before
    assert f"holds vectors from some-other-model/torch, this run embeds with {ours}: building" in run.out
    assert meta_after[META_KEY] == ours


def test_a_live_build_from_before_index_definitions_were_recorded_is_rebuilt(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    path = str(write_jsonl(tmp_path / "p.jsonl", PROVIDERS))
    assert indexer("rebuild", "--providers", path).code == 0
    before, meta = live_meta(cluster, alias)
    set_live_meta(cluster, alias, {k: v for k, v in meta.items() if k != DEFINITION_KEY})

    run = indexer("rebuild", "--providers", path)

    assert run.code == 0, run.err
    after, meta_after = live_meta(cluster, alias)
    assert after != before
    assert "records no index definition" in run.out
    assert meta_after[DEFINITION_KEY] == meta[DEFINITION_KEY]  # the new build records it again


def test_with_allow_invalid_the_same_valid_records_keep_the_build_and_the_run_still_exits_1(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    alias = settings.providers_alias
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "p.jsonl", PROVIDERS))).code == 0
    before = (alias_target(cluster, alias), builds(cluster, alias))
    lines: list[dict[str, Any] | str] = [*PROVIDERS, '{"id": "broken", "name": ']
    with_a_bad_line = write_jsonl(tmp_path / "bad.jsonl", lines)

    rejected = indexer("rebuild", "--providers", str(with_a_bad_line))
    kept = indexer("rebuild", "--allow-invalid", "--providers", str(with_a_bad_line))

    assert rejected.code == 1 and "no new build, the aliases are unchanged" in rejected.err
    assert kept.code == 1
    assert f"{with_a_bad_line}:4: invalid JSON" in kept.err
    assert "providers: unchanged (3 documents" in kept.out
    assert (alias_target(cluster, alias), builds(cluster, alias)) == before


def test_the_live_fingerprints_are_read_page_by_page_from_doc_values(
    cluster: SyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer_store, "FINGERPRINT_PAGE", 7)  # 20 documents: three pages
    store = IndexStore(cluster, settings)
    index = store.create_build("providers", bulk_load=False)
    docs = [provider_document(ProviderRecord.model_validate(provider(f"p{i:02d}"))) for i in range(20)]
    assert store.bulk_index(index, docs, refresh=True) == []

    assert store.live_fingerprints(index) == {d["id"]: d["content_hash"] for d in docs}
