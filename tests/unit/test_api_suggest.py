"""Typeahead (search_api.suggest): specialties by prefix of any word and one typo away; as careful
as search with a prefix that signals a risk."""

from __future__ import annotations

import pytest

from search_api.safety import NOTHING, recognise
from search_api.suggest import MAX_PER_KIND, msearch_lines, name_body, question_body, suggest_specialties, suggestions


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
    answer = suggestions(
        "anx", NOTHING, {"responses": [{"hits": {"hits": [provider]}}, {"hits": {"hits": [question]}}]}
    )
    assert answer["query"] == "anx"
    assert {"text": "Anxiety"} in answer["specialties"]
    assert answer["providers"] == [{"id": "p1", "text": "Ana Ruiz", "city": "Austin", "state": "TX"}]
    assert answer["questions"] == [{"id": "q1", "text": "Why am I anxious?", "guide": "Anxiety", "url": "/g#q1"}]
    assert answer["crisis"] is None
    assert suggestions("anx", NOTHING, {"responses": [{}, {}]})["providers"] == []  # an index that answered nothing


def test_a_risky_prefix_carries_the_safety_block_and_suggests_no_names() -> None:
    safety = recognise("i want to kill", prefix=True)
    lines = msearch_lines("i want to kill", safety, "providers", "passages")
    assert [line.get("index") for line in lines[::2]] == ["passages"]  # no provider-name search at all
    question = {"_source": {"id": "q1", "title": "Thoughts of suicide", "guide": None, "url": None}}
    answer = suggestions("i want to kill", safety, {"responses": [{"hits": {"hits": [question]}}]})
    assert answer["crisis"] is not None and answer["crisis"]["resources"][0]["phone"] == "988"
    assert answer["providers"] == []
    assert answer["questions"][0]["id"] == "q1"


def test_abuse_typed_in_the_box_suggests_its_specialists_first() -> None:
    safety = recognise("my husband hits", prefix=True)
    answer = suggestions("my husband hits", safety, {"responses": [{}]})
    assert answer["specialties"][0] == {"text": "Domestic Abuse"}
    assert answer["crisis"]["situations"][0]["id"] == "partner_violence"


@pytest.mark.parametrize("typed", ["kill", "rape", "abuse my", "he hits"])
def test_fuzzy_matching_never_turns_a_risk_word_into_a_name(typed: str) -> None:
    for body in (name_body(typed), question_body(typed)):
        assert '"fuzziness": "0"' in str(body).replace("'", '"')


def test_ordinary_prefixes_stay_typo_tolerant() -> None:
    assert name_body("anxeity")["query"]["multi_match"]["fuzziness"] == "AUTO"
