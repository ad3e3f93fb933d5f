"""Crisis detection (DESIGN: Safety): flag every risk to life, leave ordinary searches alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_api.crisis import crisis_block, crisis_text, detect_crisis
from search_api.interpret import interpret

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


CRISIS_QUERIES = _lines("crisis_queries.txt")
ORDINARY_QUERIES = _lines("ordinary_queries.txt")


def test_the_query_sets_are_large_enough_to_mean_something() -> None:
    assert len(CRISIS_QUERIES) >= 60
    assert len(ORDINARY_QUERIES) >= 120


@pytest.mark.parametrize("query", CRISIS_QUERIES)
def test_every_crisis_phrasing_shows_the_crisis_block(query: str) -> None:
    assert detect_crisis(query), f"missed: {query!r} read as {crisis_text(query)!r}"


def test_ordinary_directory_queries_almost_never_show_the_crisis_block() -> None:
    flagged = [q for q in ORDINARY_QUERIES if detect_crisis(q)]
    print(f"\nflagged {len(flagged)} of {len(ORDINARY_QUERIES)} ordinary queries: {flagged}")
    assert len(flagged) / len(ORDINARY_QUERIES) < 0.05, flagged


@pytest.mark.parametrize(
    "query",
    [
        "self harm therapist",
        "cutting",
        "someone to help my teen stop cutting",
        "depression therapist near me",
        "grief counseling",
        "DBT for teens",
        "anxiety medication",
        "kill time",
        "dying to know",
        "killer headache",
        "dead tired",
        "panic attacks at work",
        "my dog died",
        "i dont want to die, i want to feel better",
        "",
        "   ",
        "!!!",
    ],
)
def test_near_misses_do_not_show_the_crisis_block(query: str) -> None:
    assert not detect_crisis(query)


@pytest.mark.parametrize(
    "query", ["therapist for suicidal ideation", "Suicidal Ideation", "suicide loss support group"]
)
def test_a_query_naming_suicide_shows_the_block_and_still_finds_providers(query: str) -> None:
    result = interpret(query)
    assert result.crisis is True
    assert result.specialties or "suicide" in query.lower()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("sucidal", "suicidal"),
        ("suiside", "suicide"),
        ("kil my self", "kill myself"),
        ("i wanna diiie", "i want to die"),
        ("wnat to die", "want to die"),
        ("end my lfe", "end my life"),
        ("my dad is ill", "my dad is ill"),
        ("a lie", "a lie"),
    ],
)
def test_misspellings_are_repaired_but_real_words_are_left_alone(typed: str, read: str) -> None:
    assert crisis_text(typed) == read


def test_interpret_reports_crisis_and_the_specialty() -> None:
    result = interpret("my son is talking about suicide")
    assert result.crisis is True
    assert "Suicidal Ideation" in result.specialties


def test_crisis_block_has_the_spec_shape_and_the_three_resources() -> None:
    block = crisis_block()
    assert set(block) == {"message", "resources"}
    assert isinstance(block["message"], str) and "help is available" in block["message"]
    resources = block["resources"]
    assert isinstance(resources, list)
    by_name = {r["name"]: r for r in resources}
    assert by_name["988 Suicide & Crisis Lifeline"] == {
        "name": "988 Suicide & Crisis Lifeline",
        "phone": "988",
        "sms": "988",
        "url": "https://988lifeline.org",
    }
    assert by_name["Crisis Text Line"] == {
        "name": "Crisis Text Line",
        "phone": None,
        "sms": "Text HOME to 741741",
        "url": "https://www.crisistextline.org",
    }
    assert by_name["Emergency services"] == {"name": "Emergency services", "phone": "911", "sms": None, "url": None}
    for resource in resources:
        assert set(resource) == {"name", "phone", "sms", "url"}


def test_crisis_block_is_a_fresh_copy_each_time() -> None:
    block = crisis_block()
    block["message"] = "changed"
    assert crisis_block()["message"] != "changed"
