"""Reading the practical conditions people type beside their need: the many ways each is written,
and the everyday look-alikes that must not become a condition."""

from __future__ import annotations

from datetime import date

import pytest

from search_api.conditions import read_conditions
from search_api.interpret import interpret
from search_api.params import SearchParams
from search_api.plan import merged_filters, plan
from search_api.tuning import DEFAULT_TUNING

TODAY = date(2026, 12, 6)


def conditions(query: str) -> dict[str, object]:
    return {
        k: v for k, v in read_conditions(query, TODAY).as_dict().items() if v is not None and v is not False and v != []
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("spanish speaking therapist for my son's anxiety", {"languages": ["Spanish"]}),
        ("Spanish-speaking counselor", {"languages": ["Spanish"]}),
        ("therapist who speaks mandarin", {"languages": ["Mandarin"]}),
        ("counseling in vietnamese", {"languages": ["Vietnamese"]}),
        ("persian therapist", {"languages": ["Farsi"]}),
        ("therapist who takes aetna", {"insurance": ["Aetna"]}),
        ("accepts medi-cal", {"insurance": ["Medi-Cal"]}),
        ("takes medical", {"insurance": ["Medi-Cal"]}),
        ("in network with united healthcare", {"insurance": ["UnitedHealthcare"]}),
        ("kaiser therapist for anxiety", {"insurance": ["Kaiser Permanente"]}),
        ("female therapist", {"genders": ["Female"]}),
        ("a woman counselor", {"genders": ["Female"]}),
        ("therapist who is a man", {"genders": ["Male"]}),
        ("non-binary therapist", {"genders": ["Non-binary"]}),
        ("I'd like to talk to a woman", {"genders": ["Female"]}),
        ("christian counselor for marriage problems", {"faiths": ["Christian"]}),
        ("therapist who is jewish", {"faiths": ["Jewish"]}),
        ("LDS therapist", {"faiths": ["Latter-day Saints"]}),
        ("cheap therapy for grief", {"max_fee": 80}),
        ("affordable counselor", {"max_fee": 100}),
        ("therapy under $100 a session", {"max_fee": 100}),
        ("therapist $75 or less", {"max_fee": 75}),
        ("free counseling", {"max_fee": 0}),
        ("free or low cost counseling", {"max_fee": 80}),
        ("I can't afford therapy", {"max_fee": 80}),
        ("sliding scale counselor", {"sliding_scale": True}),
        ("pay what you can therapy", {"sliding_scale": True}),
        ("therapist accepting new clients", {"accepting": True}),
        ("therapist available this week", {"available_by": "2026-12-13"}),
        ("appointment tomorrow", {"available_by": "2026-12-07"}),
        ("see someone within 2 weeks", {"available_by": "2026-12-20"}),
    ],
)
def test_each_condition_is_read_however_it_is_written(query: str, expected: dict[str, object]) -> None:
    assert conditions(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "therapist for women's issues",
        "support group for men",
        "my husband is korean",
        "my christian parents won't accept me",
        "ex mormon therapist",
        "stress free living",
        "what do i do with my free time",
        "medical leave for anxiety",
        "united we stand",
        "I can't afford to lose my job",
        "why am I so sad today",
        "i feel like i'm going to explode soon",
        "my son is becoming a man",
        "budget stress",
    ],
)
def test_look_alikes_state_no_condition(query: str) -> None:
    assert conditions(query) == {}


def test_the_words_that_state_a_condition_leave_the_text_the_bm25_legs_search() -> None:
    searching = plan(SearchParams(q="spanish speaking therapist for anxiety in person"), DEFAULT_TUNING, TODAY)
    assert searching.search_text is not None
    assert searching.search_text.typed == "therapist for anxiety"  # "in person" used to match Personality
    assert searching.query.typed == "spanish speaking therapist for anxiety in person"  # the rest reads it whole


def test_conditions_become_filters_and_explicit_parameters_win() -> None:
    params = SearchParams(q="spanish speaking female therapist under $90", language=["Korean"])
    filters, applied = merged_filters(params, interpret(params.q or "", TODAY), TODAY)
    assert filters["language"] == ["Korean"]  # the caller's own filter wins
    assert filters["gender"] == ["Female"] and filters["max_fee"] == 90
    assert applied["gender:Female"] == "filter" and "language:Spanish" not in applied


def test_a_plan_relaxed_keeps_the_explicit_filters_and_drops_the_read_ones() -> None:
    searching = plan(SearchParams(q="female therapist in person", state="Texas"), DEFAULT_TUNING, TODAY)
    assert searching.text_conditions == {"gender": ["Female"], "in_person": True}
    relaxed = searching.relax()
    assert relaxed.relaxed and "gender" not in relaxed.filters and relaxed.filters["state"] == "Texas"
    assert relaxed.applied["gender:Female"].startswith("relaxed")


def test_a_relative_date_is_counted_from_the_settings_today() -> None:
    later = read_conditions("therapist available this week", date(2027, 3, 1))
    assert later.available_by == "2027-03-08"
