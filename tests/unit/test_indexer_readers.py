"""The JSON Lines and CSV readers: every record with its line, every bad line named, never
an exception for bad input."""

from __future__ import annotations

from pathlib import Path

from indexer.readers.base import RawRecord, ReadError
from indexer.readers.csv_reader import read_provider_csv, row_to_record
from indexer.readers.jsonl import read_jsonl


def errors(items: list[RawRecord | ReadError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, ReadError)]


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_records_carry_their_line_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('\ufeff{"id": "a"}\n\n   \n{"id": "b"}\n', encoding="utf-8")
    items = list(read_jsonl(path, "provider"))
    assert [(i.line, i.data["id"]) for i in items if isinstance(i, RawRecord)] == [(1, "a"), (4, "b")]
    assert all(isinstance(i, RawRecord) and i.kind == "provider" and i.path == str(path) for i in items)


def test_jsonl_bad_lines_are_each_named_with_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": \n[1, 2]\n{"id": "caf\xe9"}\n"text"\n{"id": "z"}\n')
    items = list(read_jsonl(path, "provider"))
    assert errors(items) == [
        f"{path}:2: invalid JSON: Expecting value (column 8)",
        f"{path}:3: expected a JSON object, found list",
        f"{path}:4: not valid UTF-8 (byte 11 of the line)",
        f"{path}:5: expected a JSON object, found str",
    ]
    assert [i.data["id"] for i in items if isinstance(i, RawRecord)] == ["a", "z"]


def test_an_empty_jsonl_file_is_one_error_at_line_1(tmp_path: Path) -> None:
    for content in (b"", b"\n\n  \n"):
        path = tmp_path / "empty.jsonl"
        path.write_bytes(content)
        assert errors(list(read_jsonl(path, "passage"))) == [f"{path}:1: empty file: no records"]


# ---------------------------------------------------------------- CSV


def test_csv_lists_are_split_on_semicolons_and_trimmed() -> None:
    record = row_to_record(
        {
            "id": "c1",
            "name": "Ana",
            "credentials": "LMFT; LCSW ;",
            "specialties": "Anxiety;Self-Harm",
            "languages": "",
            "insurance": " Aetna ",
        }
    )
    assert record["credentials"] == ["LMFT", "LCSW"]
    assert record["specialties"] == ["Anxiety", "Self-Harm"]
    assert record["languages"] == []
    assert record["insurance"] == ["Aetna"]


def test_csv_address_and_location_columns_become_objects_either_way_they_are_named() -> None:
    flat = row_to_record(
        {
            "id": "c1",
            "street": "1 Main St",
            "city": "Austin",
            "state": "TX",
            "zip": "78701",
            "lat": "30.27",
            "lon": "-97.74",
        }
    )
    dotted = row_to_record(
        {
            "id": "c1",
            "address.street": "1 Main St",
            "address.city": "Austin",
            "address.state": "TX",
            "address.zip": "78701",
            "location.lat": "30.27",
            "location.lon": "-97.74",
        }
    )
    for record in (flat, dotted):
        assert record["address"] == {"street": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"}
        assert record["location"] == {"lat": "30.27", "lon": "-97.74"}
    assert row_to_record({"id": "c1", "city": "", "lat": ""})["address"] is None
    assert row_to_record({"id": "c1", "city": "", "lat": ""})["location"] is None


def test_csv_booleans_and_years_are_converted_and_anything_else_is_passed_on_for_validation() -> None:
    record = row_to_record(
        {
            "remote_only": "yes",
            "telehealth": "FALSE",
            "accepting_new_clients": "",
            "years_in_practice": "12",
            "bio": "",
            "profile_url": " https://x ",
        }
    )
    assert (record["remote_only"], record["telehealth"], record["accepting_new_clients"]) == (True, False, None)
    assert record["years_in_practice"] == 12
    assert record["bio"] is None
    assert record["profile_url"] == "https://x"
    odd = row_to_record({"telehealth": "sometimes", "years_in_practice": "ten"})
    assert odd["telehealth"] == "sometimes"
    assert odd["years_in_practice"] == "ten"


def test_csv_reads_the_practical_conditions_as_their_types() -> None:
    record = row_to_record(
        {
            "gender": "female",
            "faith": "Christian; Latter-day Saints ;",
            "session_fee_min": "$90",
            "session_fee_max": " 140 ",
            "sliding_scale": "Yes",
            "next_available": "2026-12-09",
        }
    )
    assert record["gender"] == "female"  # validation reads the spelling
    assert record["faith"] == ["Christian", "Latter-day Saints"]
    assert (record["session_fee_min"], record["session_fee_max"]) == (90, 140)
    assert record["sliding_scale"] is True
    assert record["next_available"] == "2026-12-09"
    empty = row_to_record({"gender": "", "faith": "", "session_fee_min": "", "sliding_scale": "", "next_available": ""})
    assert empty == {"gender": None, "faith": [], "session_fee_min": None, "sliding_scale": None,
                     "next_available": None, "address": None, "location": None}  # fmt: skip


def test_csv_passes_on_what_it_cannot_convert_so_validation_names_it() -> None:
    record = row_to_record({"session_fee_min": "-20", "session_fee_max": "about 100", "sliding_scale": "sometimes"})
    assert record["session_fee_min"] == -20  # a number, so that the reason is "at least 0"
    assert record["session_fee_max"] == "about 100"
    assert record["sliding_scale"] == "sometimes"


def test_csv_rows_carry_their_line_and_bad_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,name,credentials,specialties\n"
        "c1,Ana,LMFT,Anxiety;Grief\n"
        ",,,\n"
        "c2,Bo,LCSW,Depression,extra\n"
        "c3,Cy,,Insomnia\n",
        encoding="utf-8",
    )
    items = list(read_provider_csv(path))
    assert [(i.line, i.data["id"]) for i in items if isinstance(i, RawRecord)] == [(2, "c1"), (5, "c3")]
    assert errors(items) == [f"{path}:4: 1 more value(s) than header columns"]


def test_csv_empty_and_non_utf8_files_are_errors_with_a_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert errors(list(read_provider_csv(empty))) == [f"{empty}:1: empty file: no header row"]
    header_only = tmp_path / "header.csv"
    header_only.write_text("id,name\n", encoding="utf-8")
    assert errors(list(read_provider_csv(header_only))) == [f"{header_only}:1: empty file: no records"]
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"id,name\nc1,Ana\nc2,Jos\xe9\n")
    assert errors(list(read_provider_csv(latin1))) == [f"{latin1}:3: not valid UTF-8 (byte offset 21)"]
