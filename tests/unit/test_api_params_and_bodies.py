"""Request validation and query bodies: what the engine is asked is decided by pure code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.engines import Dialect
from search_api.doc_types import PASSAGES, PROVIDERS
from search_api.interpret import interpret
from search_api.params import SearchParams
from search_api.plan import merged_filters
from search_api.query_bodies import LegPlan, provider_filters
from search_api.query_text import QueryText


def test_a_query_is_required_and_bounded() -> None:
    for bad in ({"q": ""}, {"q": "   "}, {"q": "x" * 501}, {"q": "a\x00b"}):
        with pytest.raises(ValidationError):
            SearchParams.model_validate(bad)


def test_page_size_offset_and_geo_are_validated() -> None:
    for bad in ({"size": 51}, {"from": -1}, {"lat": 10}, {"radius_km": 5}, {"mode": "magic"}, {"nope": 1}):
        with pytest.raises(ValidationError):
            SearchParams.model_validate({"q": "anxiety", **bad})
    ok = SearchParams.model_validate({"q": "anxiety", "from": 20, "lat": 37.3, "lon": -121.9, "radius_km": 10})
    assert ok.from_ == 20


def test_explicit_filters_win_over_understood_place_and_modality() -> None:
    params = SearchParams.model_validate({"q": "online therapist in Oakland", "city": "San Jose"})
    filters, applied = merged_filters(params, interpret(params.q))
    assert filters["city"] == "San Jose"
    assert applied["place"].startswith("ignored")
    assert filters["remote"] is True and applied["remote"] == "filter"


def test_filters_canonicalize_specialties_ages_and_states() -> None:
    clauses = provider_filters({"specialty": ["self-harm"], "age_group": ["teens"], "state": "CA"})
    assert {"terms": {"specialties.keyword": ["Self Harm"]}} in clauses
    assert {"terms": {"ages_served": ["Adolescents (13-17)"]}} in clauses
    assert {"term": {"state": "California"}} in clauses


def test_both_legs_carry_the_same_filters_and_knn_filters_inside_the_clause() -> None:
    filters = provider_filters({"state": "CA", "telehealth": True})
    plan = LegPlan(QueryText.of("anxiety"), filters, window=100, num_candidates=200)
    assert PROVIDERS.bm25(plan)["query"]["bool"]["filter"] == filters
    os_knn = PROVIDERS.knn(plan, Dialect.OPENSEARCH, [0.0] * 384)["query"]["knn"]["embedding"]
    assert os_knn["filter"] == {"bool": {"filter": filters}}
    es_knn = PROVIDERS.knn(plan, Dialect.ELASTICSEARCH, [0.0] * 384)["knn"]
    assert es_knn["filter"] == {"bool": {"filter": filters}} and es_knn["num_candidates"] == 200


def test_passage_vector_leg_asks_for_the_whole_window() -> None:
    body = PASSAGES.knn(
        LegPlan(QueryText.of("sleep"), [], window=100, num_candidates=150), Dialect.ELASTICSEARCH, [0.1] * 384
    )
    assert body["size"] == 100 and body["knn"]["k"] == 100
