"""`python -m indexer providers|passages|pages|delete` against the real engine with the real
model (docs/contract.md: Commands, exit codes, Input records).

Exit codes: 0 all records indexed; 1 some records rejected, each as `PATH:LINE: reason` on
stderr; 2 usage error or the cluster unreachable. A rejected run changes nothing the alias
serves unless --allow-invalid is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.engines import SyncEngine
from core.settings import Settings
from tests.conftest import shared_data
from tests.integration.indexer_support import Indexer, alias_target, builds, count, write_jsonl

SEED_PAGE = "seed/find-therapy-for-self-harm.txt"
SEED_PROVIDERS = {"Dog Fausto", "Ama Deus", "Mercy Fausto", "Aristotle Fernandez", "Olena Preprod", "Bibi Car"}


def provider(doc_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": doc_id,
        "name": f"Provider {doc_id}",
        "credentials": ["LCSW"],
        "specialties": ["Anxiety"],
        "address": {"city": "Austin", "state": "TX"},
        "bio": f"I help adults with anxiety ({doc_id}).",
        **fields,
    }


def sources(cluster: SyncEngine, alias: str, size: int = 100) -> dict[str, dict[str, Any]]:
    body = {"size": size, "query": {"match_all": {}}, "sort": [{"id": "asc"}]}
    hits = cluster.request("POST", f"/{alias}/_search", body)["hits"]["hits"]
    return {h["_id"]: h["_source"] for h in hits}


# ---------------------------------------------------------------- the seed page


def test_the_seed_page_yields_its_six_providers_normalized_and_its_eleven_questions(
    indexer: Indexer, cluster: SyncEngine, settings: Settings
) -> None:
    run = indexer("pages", str(shared_data(SEED_PAGE)))
    assert run.code == 0, run.err
    assert "providers: indexed 6, rejected 0" in run.out

    providers = {doc["name"]: doc for doc in sources(cluster, settings.providers_alias).values()}
    assert set(providers) == SEED_PROVIDERS
    # Self Harm and Self-Harm are one specialty
    assert providers["Mercy Fausto"]["specialties"] == ["Self Harm", "Self-Esteem"]
    assert all(doc["specialties"][0] == "Self Harm" for doc in providers.values())
    # "in undefined, undefined" is no place
    assert providers["Bibi Car"]["city"] is None and providers["Bibi Car"]["state"] is None
    assert providers["Bibi Car"]["remote_only"] is True
    assert (providers["Dog Fausto"]["city"], providers["Dog Fausto"]["state"]) == ("Santa Clara", "California")
    # filler bios are flagged, never dropped
    for name, bio in (
        ("Ama Deus", "test test test"),
        ("Aristotle Fernandez", "tt"),
        ("Olena Preprod", "bkjljlkmkk,"),
        ("Bibi Car", "testtest"),
    ):
        assert providers[name]["bio"] == bio
        assert providers[name]["bio_quality"] == "placeholder", name
    assert providers["Dog Fausto"]["bio_quality"] == "ok"
    assert providers["Mercy Fausto"]["bio_quality"] == "ok"

    passages = sources(cluster, settings.passages_alias).values()
    questions = {p["title"] for p in passages if p["title"] and p["title"].endswith("?")}
    assert len(questions) == 11
    assert "Can someone fully recover from self-harm?" in questions
    assert {p["guide"] for p in passages} == {"Self Harm"}
    # the vector is indexed, not kept in `_source`: every passage has one to search by
    assert all("embedding" not in p for p in passages)
    with_vector = {"query": {"exists": {"field": "embedding"}}}
    assert cluster.request("POST", f"/{settings.passages_alias}/_count", with_vector)["count"] == len(passages)


# ---------------------------------------------------------------- rejected records


def bad_file(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "bad.jsonl",
        [
            provider("good-3"),
            '{"id": "broken", "name": ',
            {k: v for k, v in provider("no-id").items() if k != "id"},
            provider("string-list", specialties="Anxiety"),
            provider("huge-bio", bio="x" * 5_000_000),
            provider("good-4"),
        ],
    )


def test_a_file_with_bad_lines_is_rejected_line_by_line_and_nothing_is_written(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    assert (
        indexer("providers", str(write_jsonl(tmp_path / "good.jsonl", [provider("good-1"), provider("good-2")]))).code
        == 0
    )
    alias = settings.providers_alias
    before = (alias_target(cluster, alias), count(cluster, alias))

    path = bad_file(tmp_path)
    run = indexer("providers", str(path))

    assert run.code == 1
    assert f"{path}:2: invalid JSON" in run.err
    assert f"{path}:3: id is required" in run.err
    assert f"{path}:4: record 'string-list': specialties Input should be a valid list" in run.err
    assert f"{path}:5: record 'huge-bio': bio is too long (5000000 characters; at most 20000)" in run.err
    assert f"{path}:1:" not in run.err and f"{path}:6:" not in run.err
    assert "4 record(s) rejected: nothing was written" in run.err
    assert (alias_target(cluster, alias), count(cluster, alias)) == before
    assert set(sources(cluster, alias)) == {"good-1", "good-2"}


def test_allow_invalid_indexes_the_good_lines_and_still_exits_1(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    assert indexer("providers", str(write_jsonl(tmp_path / "good.jsonl", [provider("good-1")]))).code == 0
    path = bad_file(tmp_path)

    run = indexer("providers", "--allow-invalid", str(path))

    assert run.code == 1  # docs/contract.md: 1 some records rejected
    assert f"{path}:5: record 'huge-bio'" in run.err
    assert "providers: indexed 2, rejected 4" in run.out
    assert set(sources(cluster, settings.providers_alias)) == {"good-1", "good-3", "good-4"}


def test_a_rejected_rebuild_makes_no_build_and_leaves_the_alias_alone(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    assert indexer("rebuild", "--providers", str(write_jsonl(tmp_path / "good.jsonl", [provider("good-1")]))).code == 0
    alias = settings.providers_alias
    before = alias_target(cluster, alias)

    run = indexer("rebuild", "--providers", str(bad_file(tmp_path)))

    assert run.code == 1
    assert "no new build, the aliases are unchanged" in run.err
    assert alias_target(cluster, alias) == before
    assert builds(cluster, alias) == before


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("latin1.jsonl", b'{"id": "a"}\n{"id": "caf\xe9"}\n', 2, "not valid UTF-8"),
        ("empty.jsonl", b"", 1, "empty file: no records"),
        ("latin1.csv", b"id,name\nc1,Jos\xe9\n", 2, "not valid UTF-8"),
        ("empty.csv", b"", 1, "empty file: no header row"),
    ],
)
def test_unreadable_provider_files_are_named_with_their_line_and_exit_1(
    indexer: Indexer,
    cluster: SyncEngine,
    settings: Settings,
    tmp_path: Path,
    name: str,
    content: bytes,
    line: int,
    reason: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = indexer("providers", str(path))
    assert run.code == 1
    assert f"{path}:{line}: {reason}" in run.err
    assert alias_target(cluster, settings.providers_alias) == []


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("latin1.txt", b"Find Therapy for Grief\n\nWhat is grief?\n\nIt is caf\xe9.\n", 5, "not valid UTF-8 text"),
        ("empty.txt", b"", 1, "empty page"),
        (
            "flat.txt",
            b"Find Therapy for Grief\n\nJust a paragraph.\n\nAnd another one.\n",
            1,
            "no question headings or provider cards found",
        ),
        (
            "flat.md",
            b"Some text without any heading.\n\nMore text.\n",
            1,
            "no question headings or provider cards found",
        ),
    ],
)
def test_unreadable_pages_are_named_with_their_line_and_exit_1(
    indexer: Indexer,
    cluster: SyncEngine,
    settings: Settings,
    tmp_path: Path,
    name: str,
    content: bytes,
    line: int,
    reason: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = indexer("pages", str(path))
    assert run.code == 1
    assert f"{path}:{line}: {reason}" in run.err
    assert alias_target(cluster, settings.passages_alias) == []


def test_usage_errors_exit_2_before_anything_is_read(indexer: Indexer, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [provider("good-1")])
    missing = indexer("providers", str(good), str(tmp_path / "nowhere.jsonl"))
    assert missing.code == 2
    assert f"{tmp_path / 'nowhere.jsonl'}: no such file" in missing.err
    wrong_kind = tmp_path / "providers.xml"
    wrong_kind.write_text("<providers/>", encoding="utf-8")
    assert indexer("providers", str(wrong_kind)).code == 2
    assert indexer("passages", str(tmp_path)).code == 2
    page_as_providers = tmp_path / "page.txt"
    page_as_providers.write_text("Title\n\nWhat?\n\nText.\n", encoding="utf-8")
    assert indexer("providers", str(page_as_providers)).code == 2
    assert indexer("rebuild").code == 2
    assert indexer("delete", "--type", "clinics", "x").code == 2


# ---------------------------------------------------------------- idempotence, CSV, delete


def test_loading_the_same_file_twice_changes_nothing_and_embeds_nothing_the_second_time(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "p.jsonl",
        [provider("a"), provider("b", bio="test test test"), provider("c", address=None, remote_only=True)],
    )
    first = indexer("providers", str(path))
    assert first.code == 0, first.err
    assert "providers: indexed 3, rejected 0; embedded 3, reused 0" in first.out
    alias = settings.providers_alias
    docs_before, target_before = sources(cluster, alias), alias_target(cluster, alias)

    second = indexer("providers", str(path))

    assert second.code == 0, second.err
    assert "providers: indexed 3, rejected 0; embedded 0, reused 3" in second.out
    assert alias_target(cluster, alias) == target_before
    assert count(cluster, alias) == 3
    assert sources(cluster, alias) == docs_before


def test_an_updated_record_replaces_the_old_one_by_id(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    assert indexer("providers", str(write_jsonl(tmp_path / "v1.jsonl", [provider("a"), provider("b")]))).code == 0
    run = indexer("providers", str(write_jsonl(tmp_path / "v2.jsonl", [provider("a", specialties=["Grief"])])))
    assert run.code == 0
    assert "embedded 1, reused 0" in run.out
    docs = sources(cluster, settings.providers_alias)
    assert set(docs) == {"a", "b"}
    assert docs["a"]["specialties"] == ["Grief"]


def test_csv_providers_with_semicolon_lists_load(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "providers.csv"
    path.write_text(
        "id,name,credentials,specialties,languages,street,city,state,zip,lat,lon,telehealth,years_in_practice,bio\n"
        "csv-1,Ana Ruiz,LMFT;LCSW,Self Harm;Self-Harm;Anxiety,English;Spanish,1 Main St,Austin,TX,78701,"
        '30.27,-97.74,yes,12,"I help teens, and their parents."\n'
        "csv-2,Bo Li,PsyD,Depression,,,undefined,ca,,,,no,,tt\n",
        encoding="utf-8",
    )

    run = indexer("providers", str(path))

    assert run.code == 0, run.err
    docs = sources(cluster, settings.providers_alias)
    assert docs["csv-1"]["credentials"] == ["LMFT", "LCSW"]
    assert docs["csv-1"]["specialties"] == ["Self Harm", "Anxiety"]
    assert docs["csv-1"]["languages"] == ["English", "Spanish"]
    assert (docs["csv-1"]["city"], docs["csv-1"]["state"], docs["csv-1"]["zip"]) == ("Austin", "Texas", "78701")
    assert docs["csv-1"]["location"] == {"lat": 30.27, "lon": -97.74}
    assert docs["csv-1"]["telehealth"] is True
    assert docs["csv-1"]["years_in_practice"] == 12
    assert docs["csv-1"]["bio"] == "I help teens, and their parents."
    assert (docs["csv-2"]["city"], docs["csv-2"]["state"]) == (None, "California")
    assert docs["csv-2"]["telehealth"] is False
    assert docs["csv-2"]["bio_quality"] == "placeholder"


def test_csv_rows_with_bad_values_are_rejected_by_line(indexer: Indexer, tmp_path: Path) -> None:
    path = tmp_path / "providers.csv"
    path.write_text(
        "id,name,credentials,specialties,telehealth,years_in_practice\n"
        "csv-1,Ana,LMFT,Anxiety,sometimes,3\n"
        "csv-2,Bo,LMFT,Anxiety,yes,ten\n",
        encoding="utf-8",
    )
    run = indexer("providers", str(path))
    assert run.code == 1
    assert f"{path}:2: record 'csv-1': telehealth Input should be a valid boolean" in run.err
    assert f"{path}:3: record 'csv-2': years_in_practice" in run.err


def test_delete_removes_a_provider_and_reports_unknown_ids(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    assert indexer("providers", str(write_jsonl(tmp_path / "p.jsonl", [provider("a"), provider("b")]))).code == 0

    gone = indexer("delete", "--type", "providers", "a")
    assert gone.code == 0, gone.err
    assert "providers: deleted 1, not found 0" in gone.out
    assert set(sources(cluster, settings.providers_alias)) == {"b"}

    unknown = indexer("delete", "--type", "providers", "b", "nobody")
    assert unknown.code == 1
    assert "providers: no record with id 'nobody'" in unknown.err
    assert "providers: deleted 1, not found 1" in unknown.out
    assert count(cluster, settings.providers_alias) == 0


def test_delete_from_an_index_that_does_not_exist_is_an_error(indexer: Indexer, settings: Settings) -> None:
    run = indexer("delete", "--type", "passages", "x")
    assert run.code == 2
    assert f"{settings.passages_alias} does not exist" in run.err


# ---------------------------------------------------------------- the practical conditions (issue 16)


def test_the_practical_conditions_are_indexed_from_json_lines_and_csv_and_unknown_fields_named_once(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    jsonl = write_jsonl(
        tmp_path / "p.jsonl",
        [
            provider("j-1", gender="female", faith=["Christian", "christian"], session_fee_min=90,
                     session_fee_max=140, sliding_scale=True, next_available="2026-12-09", npi="123"),
            provider("j-2", session_fee_min=120, npi="456"),
        ],
    )  # fmt: skip
    csv = tmp_path / "p.csv"
    csv.write_text(
        "id,name,credentials,specialties,gender,faith,session_fee_min,session_fee_max,sliding_scale,"
        "next_available,pronouns\n"
        "c-1,Ana Ruiz,LMFT,Anxiety,Non Binary,Jewish;Buddhist,$60,$100,yes,2027-01-04,they/them\n"
        "c-2,Bo Li,LCSW,Grief,,,,,,,he/him\n",
        encoding="utf-8",
    )

    run = indexer("providers", str(jsonl), str(csv))

    assert run.code == 0, run.err
    assert "providers: indexed 4, rejected 0" in run.out
    assert run.err.count("unknown field") == 2, run.err  # once per file and field, not per record
    assert f"{jsonl}:1: unknown field 'npi' is not indexed" in run.err
    assert f"{csv}:2: unknown field 'pronouns' is not indexed" in run.err
    docs = sources(cluster, settings.providers_alias)
    assert {k: docs["j-1"][k] for k in ("gender", "faith", "session_fee_min", "session_fee_max")} == {
        "gender": "Female", "faith": ["Christian"], "session_fee_min": 90, "session_fee_max": 140
    }  # fmt: skip
    assert (docs["j-1"]["sliding_scale"], docs["j-1"]["next_available"]) == (True, "2026-12-09")
    assert (docs["j-2"]["session_fee_min"], docs["j-2"]["session_fee_max"]) == (120, 120)
    assert (docs["c-1"]["gender"], docs["c-1"]["faith"]) == ("Non-binary", ["Jewish", "Buddhist"])
    assert (docs["c-1"]["session_fee_min"], docs["c-1"]["session_fee_max"]) == (60, 100)
    assert (docs["c-1"]["sliding_scale"], docs["c-1"]["next_available"]) == (True, "2027-01-04")
    assert [docs["c-2"][k] for k in ("gender", "session_fee_min", "sliding_scale", "next_available")] == [None] * 4
    assert "npi" not in docs["j-1"] and "pronouns" not in docs["c-1"]
    # the fields are indexed to filter on, not only stored
    conditions = [
        {"range": {"next_available": {"lte": "2026-12-31"}}},
        {"term": {"gender": "Female"}},
        {"range": {"session_fee_min": {"lte": 100}}},
    ]
    soon = {"query": {"bool": {"filter": conditions}}}
    assert cluster.request("POST", f"/{settings.providers_alias}/_count", soon)["count"] == 1


def test_bad_practical_conditions_are_rejected_by_line_saying_what_is_accepted(
    indexer: Indexer, cluster: SyncEngine, settings: Settings, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            provider("ok", gender="MALE", session_fee_min=0),
            provider("negative", session_fee_min=-40),
            provider("inverted", session_fee_min=200, session_fee_max=150),
            provider("no-such-day", next_available="2026-02-30"),
            provider("unknown-gender", gender="woman"),
        ],
    )
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "id,name,credentials,specialties,session_fee_min,next_available\nc-1,Ana,LMFT,Anxiety,-20,2026-04-31\n",
        encoding="utf-8",
    )

    run = indexer("providers", str(path), str(csv))

    assert run.code == 1
    assert f"{path}:2: record 'negative': session_fee_min must be at least 0, not -40" in run.err
    assert f"{path}:3: record 'inverted': session_fee_min (200) is more than session_fee_max (150)" in run.err
    assert f"{path}:4: record 'no-such-day': next_available 2026-02-30 is not a date on the calendar" in run.err
    assert (
        f"{path}:5: record 'unknown-gender': gender must be Female, Male or Non-binary (any letter case) or null, "
        "not 'woman'"
    ) in run.err
    assert f"{csv}:2: record 'c-1': session_fee_min must be at least 0, not -20; next_available 2026-04-31" in run.err
    assert f"{path}:1:" not in run.err
    assert "5 record(s) rejected: nothing was written" in run.err
    assert alias_target(cluster, settings.providers_alias) == []
