"""What the legs ask the engine for and what comes back: doc values for ranking and facets
only, read back in the shape ranking expects; the page's documents in full, highlighted."""

from __future__ import annotations

from search_api.query_bodies import (
    PASSAGE_LEG_FIELDS,
    PROVIDER_LEG_FIELDS,
    LegPlan,
    leg_hit,
    leg_source,
    page_body,
    provider_bm25,
    with_leg_fields,
)
from search_api.shaping import provider_facets


def test_a_leg_asks_for_doc_values_and_no_stored_field() -> None:
    body = with_leg_fields("providers", provider_bm25(LegPlan("grief", [], 100, 200)))
    assert body["stored_fields"] == "_none_"
    assert "_source" not in body
    assert "highlight" not in body
    assert set(body["docvalue_fields"]) == {"id", *PROVIDER_LEG_FIELDS.values()}
    assert body["query"] == provider_bm25(LegPlan("grief", [], 100, 200))["query"]


def test_doc_values_read_back_with_the_primary_specialties_first() -> None:
    # doc values arrive sorted; ranking reads specialties[len(primary):] as the later ones
    fields = {
        "primary_specialties.keyword": ["Grief", "Trauma and PTSD"],
        "specialties.keyword": ["Anxiety", "Depression", "Grief", "Trauma and PTSD"],
        "ages_served": ["Adults"],
        "state.raw": ["Texas"],
        "telehealth": [True],
        "bio_quality": ["ok"],
    }
    source = leg_source("providers", fields)
    assert source["specialties"][:2] == ["Grief", "Trauma and PTSD"]
    assert set(source["specialties"][2:]) == {"Anxiety", "Depression"}
    assert source["state"] == "Texas"
    assert source["telehealth"] is True
    assert source["remote_only"] is None  # absent: no value, as a missing _source field
    assert source["insurance"] == []


def test_facets_over_doc_values_count_as_over_sources() -> None:
    full = {
        "specialties": ["Grief", "Anxiety"],
        "primary_specialties": ["Grief"],
        "state": "Texas",
        "telehealth": True,
        "insurance": ["Aetna"],
    }
    fields = {
        "primary_specialties.keyword": ["Grief"],
        "specialties.keyword": ["Anxiety", "Grief"],
        "state.raw": ["Texas"],
        "telehealth": [True],
        "insurance": ["Aetna"],
    }
    assert provider_facets([leg_source("providers", fields)]) == provider_facets([full])


def test_a_passage_leg_reads_only_its_topics() -> None:
    assert leg_source("passages", {"topics": ["grief", "sleep"]}) == {"topics": ["grief", "sleep"]}
    assert set(PASSAGE_LEG_FIELDS) == {"topics"}


def test_the_page_is_fetched_by_id_with_the_queries_highlights() -> None:
    body = page_body("passages", ["a", "b"], "can't sleep")
    assert body["query"] == {"ids": {"values": ["a", "b"]}}
    assert body["size"] == 2
    assert body["highlight"]["highlight_query"]["multi_match"]["query"] == "can't sleep"
    assert "embedding" in body["_source"]["excludes"]


def test_a_leg_hit_takes_its_id_from_doc_values() -> None:
    hit = {"_index": "p-v1", "_score": 2.5, "fields": {"id": ["p-42"], "topics": ["grief"]}}
    assert leg_hit("passages", hit) == {
        "_id": "p-42",
        "_index": "p-v1",
        "_score": 2.5,
        "_source": {"topics": ["grief"]},
    }
