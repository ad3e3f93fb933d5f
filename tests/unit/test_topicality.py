"""Judging whether a query is about anything the directory can help with, from what was
understood and the nearest guide answer's score."""

from __future__ import annotations

import pytest

from search_api.interpret import interpret
from search_api.query_text import QueryText
from search_api.topicality import on_topic, spelling_suggestion

FLOOR = 0.70


def judged(query: str, nearest: float | None) -> bool:
    return on_topic(interpret(query), QueryText.of(query), nearest, FLOOR)


@pytest.mark.parametrize("query", ["anxeity", "cant sleep", "my teen is cutting", "I want to die"])
def test_a_named_need_or_a_risk_is_on_topic_whatever_the_score(query: str) -> None:
    assert judged(query, 0.1)


@pytest.mark.parametrize("query", ["help", "therapist near me", "help me"])
def test_the_directory_s_own_words_alone_are_a_request_for_it(query: str) -> None:
    assert judged(query, 0.1)


def test_a_typo_of_a_need_word_is_on_topic() -> None:
    assert judged("greif", 0.1)
    assert not judged("asdfgh", 0.6)


def test_speaking_of_oneself_is_a_personal_concern_but_near_me_is_a_place() -> None:
    assert judged("people make me sick", 0.6)
    assert not judged("best pizza near me", 0.6)


def test_otherwise_the_nearest_answer_decides() -> None:
    assert not judged("pizza delivery", 0.64)
    assert judged("pizza delivery", 0.71)
    assert judged("pizza delivery", None)  # nothing to judge by: never hidden


def test_a_spelling_suggestion_replaces_words_two_typos_from_a_need() -> None:
    assert spelling_suggestion(QueryText.of("anixety attcks")) == "anxiety attacks"
    assert spelling_suggestion(QueryText.of("pizza delivery")) is None
