"""Validation turns a raw record into an input record (docs/contract.md), or a one-line reason that names the
record (when it has an id) and each failing field."""

from __future__ import annotations

from typing import Any

from indexer.readers.base import RawRecord, ReadError
from indexer.records import MAX_BIO_CHARS, ProviderRecord
from indexer.validate import Located, validate

GOOD: dict[str, Any] = {"id": "p1", "name": "Ana Ruiz", "credentials": [], "specialties": ["Anxiety"]}


def reason(data: dict[str, Any], kind: str = "provider") -> str:
    result = validate(RawRecord("f.jsonl", 7, kind, data))  # type: ignore[arg-type]
    assert isinstance(result, ReadError), result
    assert (result.path, result.line) == ("f.jsonl", 7)
    assert str(result).startswith("f.jsonl:7: ")
    return result.reason


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
