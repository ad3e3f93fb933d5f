"""What the legs ask the engine for and what comes back: doc values for ranking and facets
only, read back in the shape ranking expects; the page's documents in full, highlighted."""

from __future__ import annotations

from datetime import date

from search_api.doc_types import PASSAGES, PROVIDERS
from search_api.engine_answers import passage_leg_source, provider_leg_source
from search_api.leg_fields import PASSAGE_LEG_FIELDS, PROVIDER_LEG_FIELDS
from search_api.query_bodies import FACET_FIELDS, FACET_FLAGS, LegPlan, facets_body
from search_api.query_text import QueryText
from search_api.shaping import provider_facets


def test_a_leg_asks_for_doc_values_and_no_stored_field() -> None:
    body = PROVIDERS.leg_request(PROVIDERS.bm25(LegPlan(QueryText.of("grief"), [], 100, 200)))
    assert body["stored_fields"] == "_none_"
    assert "_source" not in body
    assert "highlight" not in body
    names = {f["field"] if isinstance(f, dict) else f for f in body["docvalue_fields"]}
    assert names == {"id", *PROVIDER_LEG_FIELDS.values()}
    assert {"field": "next_available", "format": "yyyy-MM-dd"} in body["docvalue_fields"]  # dates as records write them
    assert body["query"] == PROVIDERS.bm25(LegPlan(QueryText.of("grief"), [], 100, 200))["query"]


def test_doc_values_read_back_with_the_primary_specialties_first() -> None:
    # doc values arrive sorted; ranking reads specialties[len(primary):] as the later ones
    fields = {
        "primary_specialties.keyword": ["Grief", "Trauma and PTSD"],
        "specialties.keyword": ["Anxiety", "Depression", "Grief", "Trauma and PTSD"],
        "ages_served": ["Adults"],
        "bio_quality": ["ok"],
    }
    source = provider_leg_source(fields)
    assert source["specialties"][:2] == ["Grief", "Trauma and PTSD"]
    assert set(source["specialties"][2:]) == {"Anxiety", "Depression"}
    assert source["bio_quality"] == "ok"
    assert source["therapy_types"] == []  # absent: no value, as a missing _source field


def test_facets_are_counted_by_the_engine_over_the_fused_ids() -> None:
    body = facets_body(["p-1", "p-2"], date(2026, 12, 6))
    assert body["size"] == 0 and body["query"] == {"ids": {"values": ["p-1", "p-2"]}}
    for name, field_name in FACET_FIELDS.items():
        terms = body["aggs"][name]["terms"]
        assert terms["field"] == field_name
        assert terms["order"] == [{"_count": "desc"}, {"_key": "asc"}]  # ties by value
    for flag in FACET_FLAGS:
        assert body["aggs"][flag] == {"filter": {"term": {flag: True}}}
    up_to_80 = body["aggs"]["fee_bands"]["filters"]["filters"]["80"]  # the max_fee filter's own rule
    assert {"term": {"sliding_scale": True}} in up_to_80["bool"]["should"]
    openings = body["aggs"]["next_available"]["filters"]["filters"]
    assert openings["7"] == {"range": {"next_available": {"lte": "2026-12-13"}}}  # this week, from today


def test_facets_read_from_the_engine_counts() -> None:
    answer = {
        "specialties": {"buckets": [{"key": "Grief", "doc_count": 3}, {"key": "Anxiety", "doc_count": 1}]},
        "state": {"buckets": [{"key": "Texas", "doc_count": 2}]},
        "telehealth": {"doc_count": 2},
    }
    facets = provider_facets(answer)
    assert facets["specialties"] == [  # with their display labels (mappings/specialty_labels.json)
        {"value": "Grief", "count": 3, "label": "Grief and loss"},
        {"value": "Anxiety", "count": 1, "label": "Anxiety"},
    ]
    assert facets["state"] == [{"value": "Texas", "count": 2}]
    assert facets["insurance"] == [] and facets["remote_only"] == 0 and facets["telehealth"] == 2
    assert provider_facets(None) == provider_facets({})  # nothing fused: every facet empty


def test_a_passage_leg_reads_only_its_topics() -> None:
    assert passage_leg_source({"topics": ["grief", "sleep"]}) == {"topics": ["grief", "sleep"]}
    assert set(PASSAGE_LEG_FIELDS) == {"topics"}


def test_the_page_is_fetched_by_id_with_the_queries_highlights() -> None:
    body = PASSAGES.page_body(["a", "b"], "can't sleep")
    assert body["query"] == {"ids": {"values": ["a", "b"]}}
    assert body["size"] == 2
    assert body["highlight"]["highlight_query"]["multi_match"]["query"] == "can't sleep"
    assert "embedding" in body["_source"]["excludes"]


def test_a_leg_hit_takes_its_id_from_doc_values() -> None:
    hit = {"_index": "p-v1", "_score": 2.5, "fields": {"id": ["p-42"], "topics": ["grief"]}}
    assert PASSAGES.leg_hit(hit) == {
        "_id": "p-42",
        "_index": "p-v1",
        "_score": 2.5,
        "_source": {"topics": ["grief"]},
    }


def test_a_public_distance_is_whole_kilometres() -> None:
    # issue 21, finding 7: distance_km to 0.1 km from four points placed an office within 15 m
    from search_api.fusion import Fused
    from search_api.shaping import provider_hit

    source = {"id": "p1", "name": "A", "location": {"lat": 40.7128, "lon": -74.0060}}
    for origin in ((40.7128, -74.0160), (40.7228, -74.0060), (40.7000, -73.9000), (40.7128, -74.0060)):
        hit = provider_hit(source, Fused("p1", 1.0), {}, origin, explain=False)
        assert hit["distance_km"] == round(hit["distance_km"]), hit["distance_km"]
    assert provider_hit(source, Fused("p1", 1.0), {}, (40.7000, -73.9000), explain=False)["distance_km"] == 9.0
