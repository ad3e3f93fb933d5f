"""Loading sources: a field the records do not have is not indexed, and the run says so once
per file and field, without rejecting the record (docs/contract.md: Input records)."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.sources import load

PROVIDER = {"id": "p1", "name": "Ana Ruiz", "credentials": [], "specialties": ["Anxiety"]}


def write_jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_an_unknown_json_key_is_noted_once_per_file_at_its_first_line_and_the_record_kept(tmp_path: Path) -> None:
    first = write_jsonl(
        tmp_path / "a.jsonl",
        [PROVIDER, {**PROVIDER, "id": "p2", "pronouns": "she/her"}, {**PROVIDER, "id": "p3", "pronouns": "he/him"}],
    )
    second = write_jsonl(tmp_path / "b.jsonl", [{**PROVIDER, "id": "p4", "pronouns": "they/them"}])
    loaded = load(providers=[first, second])
    assert not loaded.rejections
    assert set(loaded.providers) == {"p1", "p2", "p3", "p4"}
    assert loaded.notes == [
        f"{first}:2: unknown field 'pronouns' is not indexed (said once per file)",
        f"{second}:1: unknown field 'pronouns' is not indexed (said once per file)",
    ]


def test_an_unknown_csv_column_is_noted_once_at_the_first_row_with_a_value(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,name,credentials,specialties,gender,session_fee_min,npi,address.suite\n"
        "c1,Ana,LMFT,Anxiety,female,90,,\n"
        "c2,Bo,LCSW,Grief,,,1234567890,4B\n"
        "c3,Cy,LCSW,Grief,,,1234567891,\n",
        encoding="utf-8",
    )
    loaded = load(providers=[str(path)])
    assert not loaded.rejections
    assert loaded.notes == [
        f"{path}:3: unknown field 'npi' is not indexed (said once per file)",
        f"{path}:3: unknown field 'address.suite' is not indexed (said once per file)",
    ]
    record = loaded.providers["c1"].record
    assert (record.gender, record.session_fee_min) == ("Female", 90)  # type: ignore[union-attr]


def test_the_new_provider_fields_are_not_unknown(tmp_path: Path) -> None:
    full = {**PROVIDER, "gender": "Male", "faith": ["Muslim"], "session_fee_min": 80, "session_fee_max": 100,
            "sliding_scale": True, "next_available": "2026-12-09"}  # fmt: skip
    assert load(providers=[write_jsonl(tmp_path / "p.jsonl", [full])]).notes == []


def test_an_unknown_passage_key_is_noted_but_a_pages_own_bookkeeping_is_not(tmp_path: Path) -> None:
    passages = write_jsonl(tmp_path / "g.jsonl", [{"id": "g1", "text": "Grief comes in waves.", "votes": 3}])
    page = tmp_path / "grief.md"
    page.write_text("# Find Therapy for Grief\n\n## What is grief?\n\nGrief comes in waves.\n", encoding="utf-8")
    loaded = load(passages=[passages], pages=[str(page)])
    assert not loaded.rejections
    assert loaded.notes == [f"{passages}:1: unknown field 'votes' is not indexed (said once per file)"]
    assert len(loaded.passages) == 2


def test_a_rejected_record_with_an_unknown_field_is_both_rejected_and_noted(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [{**PROVIDER, "gender": "woman", "npi": "1"}])
    loaded = load(providers=[path])
    assert [str(r) for r in loaded.rejections] == [
        f"{path}:1: record 'p1': gender must be Female, Male or Non-binary (any letter case) or null, not 'woman'"
    ]
    assert loaded.notes == [f"{path}:1: unknown field 'npi' is not indexed (said once per file)"]
