"""Typeahead specialties (search_api.suggest): prefixes of any word, and one typo away."""

from __future__ import annotations

import pytest

from search_api.suggest import MAX_PER_KIND, suggest_specialties, suggestions


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anx", "Anxiety"),
        ("ANX", "Anxiety"),
        ("dep", "Depression"),
        ("soc", "Social Anxiety"),
        ("anxeity", "Anxiety"),  # two letters swapped
        ("anxirty", "Anxiety"),  # one letter wrong
        ("depresion", "Depression"),  # one letter missing
        ("depresssion", "Depression"),  # one letter too many
        ("greif", "Grief"),
    ],
)
def test_suggests(typed: str, expected: str) -> None:
    assert expected in suggest_specialties(typed)


def test_exact_prefixes_come_before_typo_matches() -> None:
    found = suggest_specialties("anx")
    assert found[0] == "Anxiety"
    assert len(found) <= MAX_PER_KIND


@pytest.mark.parametrize("typed", ["", " ", "*", "(((", "😀", "\x00", "zzzzqqq", "a" * 100])
def test_nothing_or_something_but_never_an_error(typed: str) -> None:
    found = suggest_specialties(typed)
    assert isinstance(found, list) and len(found) <= MAX_PER_KIND


def test_short_input_is_not_typo_matched() -> None:
    # under four letters only real prefixes count
    assert "Anxiety" not in suggest_specialties("anz")


def test_the_answer_lists_specialties_then_the_names_and_questions_the_engine_found() -> None:
    provider = {"_source": {"id": "p1", "name": "Ana Ruiz", "city": "Austin", "state": "TX", "bio": "..."}}
    question = {"_source": {"id": "q1", "title": "Why am I anxious?", "guide": "Anxiety", "url": "/g#q1"}}
    answer = suggestions("anx", {"responses": [{"hits": {"hits": [provider]}}, {"hits": {"hits": [question]}}]})
    assert answer["query"] == "anx"
    assert {"text": "Anxiety"} in answer["specialties"]
    assert answer["providers"] == [{"id": "p1", "text": "Ana Ruiz", "city": "Austin", "state": "TX"}]
    assert answer["questions"] == [{"id": "q1", "text": "Why am I anxious?", "guide": "Anxiety", "url": "/g#q1"}]
    assert suggestions("anx", {"responses": [{}, {}]})["providers"] == []  # an index that answered nothing
