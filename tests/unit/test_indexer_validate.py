"""Validation turns a raw record into an input record (docs/contract.md), or a one-line reason that names the
record (when it has an id) and each failing field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from indexer.readers.base import RawRecord, ReadError
from indexer.records import MAX_BIO_CHARS, MAX_FEE_DOLLARS, MAX_ITEM_CHARS, MAX_LIST_ITEMS, ProviderRecord
from indexer.validate import Located, unknown_fields, validate

GOOD: dict[str, Any] = {"id": "p1", "name": "Ana Ruiz", "credentials": [], "specialties": ["Anxiety"]}


def reason(data: dict[str, Any], kind: str = "provider") -> str:
    result = validate(RawRecord("f.jsonl", 7, kind, data))  # type: ignore[arg-type]
    assert isinstance(result, ReadError), result
    assert (result.path, result.line) == ("f.jsonl", 7)
    assert str(result).startswith("f.jsonl:7: ")
    return result.reason


def valid(data: dict[str, Any]) -> ProviderRecord:
    result = validate(RawRecord("f.jsonl", 7, "provider", data))
    assert isinstance(result, Located), result
    assert isinstance(result.record, ProviderRecord)
    return result.record


def test_a_valid_provider_becomes_a_located_record() -> None:
    result = validate(RawRecord("f.jsonl", 3, "provider", {**GOOD, "unknown_column": 1, "languages": None}))
    assert isinstance(result, Located)
    assert (result.path, result.line) == ("f.jsonl", 3)
    assert isinstance(result.record, ProviderRecord)
    assert result.record.languages == []


def test_a_missing_id_is_named_as_required() -> None:
    assert reason({k: v for k, v in GOOD.items() if k != "id"}) == "id is required"


def test_a_list_given_as_a_string_names_the_record_and_the_field() -> None:
    assert reason({**GOOD, "specialties": "Anxiety"}) == "record 'p1': specialties Input should be a valid list"


def test_a_too_long_bio_says_how_long_and_the_limit() -> None:
    text = reason({**GOOD, "bio": "x" * 5_000_000})
    assert text == f"record 'p1': bio is too long (5000000 characters; at most {MAX_BIO_CHARS})"


def test_booleans_are_strict() -> None:
    assert reason({**GOOD, "telehealth": "yes"}) == "record 'p1': telehealth Input should be a valid boolean"


def test_every_missing_field_is_listed_and_more_than_five_problems_are_counted() -> None:
    assert reason({"foo": 1}) == "id is required; name is required; credentials is required; specialties is required"
    many = {
        **GOOD,
        "name": 5,
        "credentials": "x",
        "specialties": "y",
        "telehealth": "z",
        "remote_only": "w",
        "accepting_new_clients": "v",
        "years_in_practice": "ten",
    }
    text = reason(many)
    assert text.startswith("record 'p1': ")
    assert text.endswith("and 2 more")
    assert text.count(";") == 5


def test_a_blank_id_is_not_used_to_name_the_record() -> None:
    assert not reason({**GOOD, "id": "   "}).startswith("record")


def test_a_passage_needs_an_id_and_text() -> None:
    assert reason({"title": "t"}, "passage") == "id is required; text is required"
    assert isinstance(validate(RawRecord("g.jsonl", 1, "passage", {"id": "a", "text": "b", "topics": None})), Located)


# ---- the practical conditions people choose by (issue 16)


def test_the_practical_conditions_are_read_and_all_optional() -> None:
    full = {
        **GOOD,
        "gender": "Non-binary",
        "faith": ["Jewish", "Buddhist"],
        "session_fee_min": 90,
        "session_fee_max": 140,
        "sliding_scale": True,
        "next_available": "2026-12-09",
    }
    record = valid(full)
    assert (record.gender, record.faith) == ("Non-binary", ["Jewish", "Buddhist"])
    assert (record.session_fee_min, record.session_fee_max, record.sliding_scale) == (90, 140, True)
    assert record.next_available == date(2026, 12, 9)
    bare = valid({**GOOD, "gender": None, "faith": None, "session_fee_min": None, "next_available": None})
    assert (bare.gender, bare.faith, bare.session_fee_min, bare.sliding_scale, bare.next_available) == (
        None,
        [],
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("written", "read"),
    [("female", "Female"), ("MALE", "Male"), (" Male ", "Male"), ("non-binary", "Non-binary"),
     ("Non Binary", "Non-binary"), ("NONBINARY", "Non-binary"), ("non_binary", "Non-binary"), ("", None)],
)  # fmt: skip
def test_gender_is_read_in_any_letter_case_and_written_one_way(written: str, read: str | None) -> None:
    assert valid({**GOOD, "gender": written}).gender == read


@pytest.mark.parametrize("word", ["woman", "F", "other", "Female; Male"])
def test_an_unknown_gender_word_is_rejected_saying_what_is_accepted(word: str) -> None:
    assert reason({**GOOD, "gender": word}) == (
        f"record 'p1': gender must be Female, Male or Non-binary (any letter case) or null, not {word!r}"
    )


def test_a_gender_that_is_not_text_is_rejected() -> None:
    assert reason({**GOOD, "gender": ["Female"]}).startswith("record 'p1': gender must be Female, Male or Non-binary")


def test_negative_fees_are_rejected_with_the_value() -> None:
    assert reason({**GOOD, "session_fee_min": -20}) == "record 'p1': session_fee_min must be at least 0, not -20"
    assert reason({**GOOD, "session_fee_max": -1}) == "record 'p1': session_fee_max must be at least 0, not -1"


def test_a_fee_in_cents_is_rejected_as_too_high() -> None:
    assert reason({**GOOD, "session_fee_max": 15000}) == (
        f"record 'p1': session_fee_max must be at most {MAX_FEE_DOLLARS}, not 15000"
    )


def test_an_inverted_fee_range_names_both_ends() -> None:
    assert reason({**GOOD, "session_fee_min": 200, "session_fee_max": 120}) == (
        "record 'p1': session_fee_min (200) is more than session_fee_max (120)"
    )
    assert valid({**GOOD, "session_fee_min": 120, "session_fee_max": 120}).session_fee_max == 120


def test_fees_are_whole_dollars_not_booleans_or_fractions() -> None:
    assert reason({**GOOD, "session_fee_min": True}) == (
        "record 'p1': session_fee_min must be whole US dollars or null, not true"
    )
    assert "session_fee_max" in reason({**GOOD, "session_fee_max": 99.5})
    assert valid({**GOOD, "session_fee_min": 100.0}).session_fee_min == 100


def test_an_impossible_date_is_rejected_saying_why() -> None:
    assert reason({**GOOD, "next_available": "2026-02-30"}) == (
        "record 'p1': next_available 2026-02-30 is not a date on the calendar (day is out of range for month)"
    )
    assert "month must be in 1..12" in reason({**GOOD, "next_available": "2026-13-01"})


@pytest.mark.parametrize("written", ["12/09/2026", "next week", "2026-12-09T10:00:00", 20261209, "2026-1-9"])
def test_next_available_is_an_iso_date_and_nothing_else(written: object) -> None:
    assert reason({**GOOD, "next_available": written}) == (
        f"record 'p1': next_available must be a date written YYYY-MM-DD or null, not {written!r}"
    )


def test_sliding_scale_is_a_strict_boolean_and_faith_a_list() -> None:
    assert reason({**GOOD, "sliding_scale": "yes"}) == "record 'p1': sliding_scale Input should be a valid boolean"
    assert reason({**GOOD, "faith": "Christian"}) == "record 'p1': faith Input should be a valid list"


def test_unknown_fields_are_found_at_the_top_and_inside_address_and_location() -> None:
    raw = RawRecord(
        "f.jsonl",
        1,
        "provider",
        {**GOOD, "pronouns": "she/her", "address": {"city": "Austin", "suite": "4"}, "location": {"lat": 1, "lon": 2}},
    )
    assert unknown_fields(raw) == ["pronouns", "address.suite"]
    assert unknown_fields(RawRecord("f.jsonl", 1, "provider", {**GOOD, "gender": "Male", "faith": []})) == []
    assert unknown_fields(RawRecord("g.jsonl", 1, "passage", {"id": "a", "text": "b", "votes": 3})) == ["votes"]
    # a null or an empty CSV cell loses nothing: not worth a word
    assert unknown_fields(RawRecord("f.csv", 2, "provider", {**GOOD, "npi": None, "suite": ""})) == []


# ------------------------------------------------------------------ bounds and ids (issue 21)


def test_a_list_of_more_items_than_any_directory_has_is_rejected_with_its_size() -> None:
    # finding 4: 25,000 specialties were indexed with exit 0 and broke every page they fell on
    assert reason({**GOOD, "specialties": ["Anxiety"] * 25_000}) == (
        f"record 'p1': specialties has too many items (25000; at most {MAX_LIST_ITEMS})"
    )
    assert valid({**GOOD, "specialties": ["Anxiety"] * MAX_LIST_ITEMS}).specialties == ["Anxiety"] * MAX_LIST_ITEMS
    for field in ("credentials", "therapy_types", "ages_served", "languages", "insurance", "faith"):
        assert "has too many items" in reason({**GOOD, field: ["x"] * (MAX_LIST_ITEMS + 1)}), field
    assert "topics has too many items" in reason({"id": "g1", "text": "t", "topics": ["x"] * 101}, "passage")


def test_a_list_item_longer_than_any_label_is_rejected() -> None:
    text = reason({**GOOD, "specialties": ["x" * (MAX_ITEM_CHARS + 1)]})
    assert text == f"record 'p1': specialties.0 is too long ({MAX_ITEM_CHARS + 1} characters; at most {MAX_ITEM_CHARS})"


@pytest.mark.parametrize(
    ("doc_id", "problem"),
    [
        ("😀" * 256, "id takes 1024 bytes in UTF-8; the engine takes at most 512"),  # finding 5
        ("a\u200bb", "id must not contain control or invisible characters (found U+200B)"),
        ("p\u202e1", "id must not contain control or invisible characters (found U+202E)"),
        ("p\x001", "id must not contain control or invisible characters (found U+0000)"),
        (".", "id must not be . or .. or start with _, not '.'"),
        ("..", "id must not be . or .. or start with _, not '..'"),
        ("_search", "id must not be . or .. or start with _, not '_search'"),
    ],
)
def test_ids_the_engine_or_a_url_cannot_carry_are_rejected(doc_id: str, problem: str) -> None:
    text = reason({**GOOD, "id": doc_id})
    assert text.endswith(problem), text
    assert len(text) < 200  # a long id is named by its start


def test_ids_are_written_in_one_unicode_spelling() -> None:
    assert valid({**GOOD, "id": "jose\u0301"}).id == "jos\u00e9"  # NFC: one spelling of é
    assert valid({**GOOD, "id": "é" * 256}).id == "é" * 256  # 512 bytes: the most the engine takes
    assert valid({**GOOD, "id": "p.1_x-2"}).id == "p.1_x-2"
