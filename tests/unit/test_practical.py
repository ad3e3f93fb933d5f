"""Ranking, sorting and browsing by the practical conditions: what each filter asks of the
engine, which providers meet a condition, the small boosts for sooner, cheaper and nearer, and
the explicit sorts with relevance breaking ties."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from search_api.fusion import Fused
from search_api.params import SearchParams, Sort
from search_api.plan import plan
from search_api.practical import conditions_met, meets, most_conditions_first, practical_boosts, sorted_by
from search_api.query_bodies import browse_sort, provider_filters
from search_api.tuning import Tuning

TODAY = date(2026, 12, 6)
SOURCES = {
    "soon-cheap": {"next_available": "2026-12-08", "session_fee_min": 60, "gender": "Female", "languages": ["Spanish"]},
    "late-dear": {"next_available": "2027-01-20", "session_fee_min": 200, "gender": "Male", "languages": ["English"]},
    "sliding": {"next_available": None, "session_fee_min": 180, "sliding_scale": True, "gender": "Female"},
}


def fused(*ids: str) -> list[Fused]:
    return [Fused(doc_id, 1.0 - i / 10) for i, doc_id in enumerate(ids)]


def test_each_filter_asks_the_engine_what_the_contract_says() -> None:
    clauses = provider_filters(
        {"gender": ["female"], "faith": ["Jewish"], "max_fee": 90, "sliding_scale": True, "available_by": "2026-12-13"}
    )
    assert {"terms": {"gender": ["Female"]}} in clauses and {"terms": {"faith": ["Jewish"]}} in clauses
    assert {"range": {"next_available": {"lte": "2026-12-13"}}} in clauses
    fee = {
        "bool": {
            "should": [{"range": {"session_fee_min": {"lte": 90}}}, {"term": {"sliding_scale": True}}],
            "minimum_should_match": 1,
        }
    }
    assert fee in clauses  # a sliding scale meets any fee
    in_person = provider_filters({"in_person": True})[0]["bool"]["filter"]
    assert {"term": {"remote_only": False}} in in_person


def test_available_within_days_is_dated_from_today() -> None:
    searching = plan(SearchParams(q="grief", available_within_days=7), Tuning(), TODAY)
    assert searching.filters["available_by"] == "2026-12-13"


@pytest.mark.parametrize(
    ("key", "value", "meeting"),
    [
        ("max_fee", 80, {"soon-cheap", "sliding"}),
        ("gender", ["Female"], {"soon-cheap", "sliding"}),
        ("available_by", "2026-12-13", {"soon-cheap"}),
        ("language", ["Spanish"], {"soon-cheap"}),
    ],
)
def test_who_meets_a_condition(key: str, value: object, meeting: set[str]) -> None:
    assert {doc_id for doc_id, source in SOURCES.items() if meets(source, key, value)} == meeting


def test_when_nobody_meets_them_all_the_most_conditions_met_lead() -> None:
    wanted = {"gender": ["Female"], "language": ["Spanish"], "max_fee": 70}
    assert conditions_met(SOURCES["soon-cheap"], wanted) == 3
    order = most_conditions_first(fused("late-dear", "sliding", "soon-cheap"), SOURCES, wanted)
    assert [e.doc_id for e in order] == ["soon-cheap", "sliding", "late-dear"]


def test_boosts_only_for_what_the_query_or_filters_ask() -> None:
    tuning = Tuning()
    assert practical_boosts(SOURCES, {}, TODAY, tuning) == {"opening": {}, "fee": {}, "distance": {}}
    soon = practical_boosts(SOURCES, {"accepting": True}, TODAY, tuning)["opening"]
    assert soon["soon-cheap"] > soon.get("late-dear", 0.0) and "sliding" not in soon
    cheap = practical_boosts(SOURCES, {"max_fee": 100}, TODAY, tuning)["fee"]
    assert cheap["sliding"] == tuning.fee_boost and cheap["soon-cheap"] > 0 and "late-dear" not in cheap
    assert max(soon.values()) <= tuning.opening_boost


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (Sort.AVAILABILITY, ["soon-cheap", "late-dear", "sliding"]),  # no opening given: last
        (Sort.FEE, ["sliding", "soon-cheap", "late-dear"]),  # a sliding scale counts as low
        (Sort.RELEVANCE, ["late-dear", "sliding", "soon-cheap"]),
    ],
)
def test_explicit_sorts_keep_relevance_for_ties(sort: Sort, order: list[str]) -> None:
    ranked = sorted_by(fused("late-dear", "sliding", "soon-cheap"), SOURCES, sort, {}, TODAY)
    assert [e.doc_id for e in ranked] == order


def test_browsing_needs_filters_or_a_sort_and_lists_providers_only() -> None:
    with pytest.raises(ValidationError, match="q"):
        SearchParams.model_validate({"size": 3})
    with pytest.raises(ValidationError, match="guide answers"):
        SearchParams.model_validate({"type": "passages", "gender": ["Female"]})
    with pytest.raises(ValidationError, match="distance needs lat and lon, a city or zip"):
        SearchParams.model_validate({"sort": "distance", "gender": ["Female"]})
    SearchParams.model_validate({"sort": "distance", "city": "Oakland"})  # from the middle of a place
    searching = plan(SearchParams.model_validate({"gender": ["Female"], "sort": "fee"}), Tuning(), TODAY)
    assert searching.browsing and [d.name for d in searching.doc_types] == ["providers"]
    assert not searching.needs_vector and not searching.needs_feedback_leg  # nothing to embed
    assert browse_sort(Sort.FEE, {})[0] == {"sliding_scale": {"order": "desc"}}
    assert browse_sort(Sort.RELEVANCE, {})[-1] == {"id": {"order": "asc"}}  # stable pages


def test_distance_from_a_place_counts_from_the_middle_of_its_providers() -> None:
    sources = {
        "edge": {"location": (37.90, -122.30)},
        "middle": {"location": (37.80, -122.27)},
        "other-edge": {"location": (37.70, -122.24)},
        "unplaced": {},
    }
    ranked = sorted_by(
        fused("edge", "unplaced", "other-edge", "middle"), sources, Sort.DISTANCE, {"city": "Oakland"}, TODAY
    )
    assert ranked[0].doc_id == "middle" and ranked[-1].doc_id == "unplaced"
    assert (
        sorted_by(fused("edge", "middle"), sources, Sort.DISTANCE, {}, TODAY)[0].doc_id == "edge"
    )  # no place: relevance
