"""Recognising a risk to one's own life (docs/contract.md, `crisis`): flag every phrasing of it,
leave ordinary searches alone. The other situations: test_safety_situations.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_api.interpret import interpret
from search_api.safety import detect_crisis, recognise, safety_block
from search_api.safety import read as crisis_text

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


CRISIS_QUERIES = _lines("crisis_queries.txt")
ORDINARY_QUERIES = _lines("ordinary_queries.txt")


def test_the_query_sets_are_large_enough_to_mean_something() -> None:
    assert len(CRISIS_QUERIES) >= 60
    assert len(ORDINARY_QUERIES) >= 150


@pytest.mark.parametrize("query", CRISIS_QUERIES)
def test_every_crisis_phrasing_shows_the_crisis_block(query: str) -> None:
    assert detect_crisis(query), f"missed: {query!r} read as {crisis_text(query)!r}"


def test_ordinary_directory_queries_almost_never_show_the_crisis_block() -> None:
    flagged = [q for q in ORDINARY_QUERIES if detect_crisis(q)]
    print(f"\nflagged {len(flagged)} of {len(ORDINARY_QUERIES)} ordinary queries: {flagged}")
    assert len(flagged) / len(ORDINARY_QUERIES) <= 0.02, flagged


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


def test_crisis_block_has_the_contract_shape_and_the_three_resources() -> None:
    block = safety_block(recognise("i want to kill myself"))
    assert block is not None
    assert {"message", "resources"} <= set(block)  # the v1 contract; the rest was added
    assert isinstance(block["message"], str) and "help is available" in block["message"]
    resources = block["resources"]
    assert isinstance(resources, list)
    by_name = {r["name"]: r for r in resources}
    assert set(by_name) == {"988 Suicide & Crisis Lifeline", "Crisis Text Line", "Emergency services"}
    contract = ("name", "phone", "sms", "url")
    assert {k: by_name["988 Suicide & Crisis Lifeline"][k] for k in contract} == {
        "name": "988 Suicide & Crisis Lifeline",
        "phone": "988",
        "sms": "988",
        "url": "https://988lifeline.org",
    }
    assert {k: by_name["Crisis Text Line"][k] for k in contract} == {
        "name": "Crisis Text Line",
        "phone": None,
        "sms": "Text HOME to 741741",
        "url": "https://www.crisistextline.org",
    }
    assert {k: by_name["Emergency services"][k] for k in contract} == {
        "name": "Emergency services",
        "phone": "911",
        "sms": None,
        "url": None,
    }


def test_crisis_block_is_a_fresh_copy_each_time() -> None:
    block = safety_block(recognise("i want to die"))
    assert block is not None
    block["message"] = "changed"
    again = safety_block(recognise("i want to die"))
    assert again is not None and again["message"] != "changed"


def test_no_block_for_an_ordinary_query() -> None:
    assert safety_block(recognise("anxiety therapist")) is None


_CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "i": "і", "c": "с", "p": "р"})
_DIGITS = str.maketrans({"e": "3", "i": "1", "o": "0", "a": "4"})


@pytest.mark.parametrize(
    "query",
    [
        "k!ller headache",
        "dead t1red",
        "h1n1 flu",
        "covid19 anxiety",
        "within 10km",
        "4th floor office",
        "top 5 therapists",
        "help!",
        "$50 sessions",
        "ages 5 to 12",
        "a b c therapy",
        "i am ok",
        "ptsd after 9/11",
    ],
)
def test_undisguising_leaves_near_misses_alone(query: str) -> None:
    assert not detect_crisis(query), crisis_text(query)


def test_ordinary_queries_in_look_alike_letters_or_digits_almost_never_show_the_block() -> None:
    # the look-alike false alarms, measured: every ordinary query written with Cyrillic letters,
    # and with digits for letters, is read back to itself and stays quiet
    for table in (_CYRILLIC, _DIGITS):
        disguised = [q.lower().translate(table) for q in ORDINARY_QUERIES]
        flagged = [q for q in disguised if detect_crisis(q)]
        print(f"\nflagged {len(flagged)} of {len(disguised)} disguised ordinary queries: {flagged}")
        assert len(flagged) / len(disguised) <= 0.02, flagged
