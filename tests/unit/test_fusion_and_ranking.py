"""Fusion and ranking are pure functions: the same legs give the same order."""

from __future__ import annotations

import pytest

from search_api.fusion import add_boosts, linear, min_max, rrf
from search_api.ranking import passage_boosts, provider_boosts, topic_votes
from search_api.tuning import Tuning


def test_min_max_scales_to_unit_range_and_ties_map_to_one() -> None:
    assert min_max([2.0, 4.0, 3.0]) == [0.0, 1.0, 0.5]
    assert min_max([5.0, 5.0]) == [1.0, 1.0]
    assert min_max([]) == []


def test_rrf_sums_reciprocal_ranks_over_the_legs() -> None:
    fused = rrf({"bm25": [("a", 9.0), ("b", 5.0)], "vector": [("b", 0.9), ("c", 0.8)]}, rank_constant=60)
    scores = {f.doc_id: f.score for f in fused}
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61)
    assert fused[0].doc_id == "b"


def test_rrf_only_counts_the_window() -> None:
    fused = rrf({"bm25": [("a", 3.0), ("b", 2.0), ("c", 1.0)]}, window=2)
    assert {f.doc_id for f in fused} == {"a", "b"}


def test_linear_fusion_weights_normalized_scores_and_keeps_each_legs_rank() -> None:
    fused = linear(
        {"bm25": [("a", 10.0), ("b", 0.0)], "vector": [("b", 0.9), ("a", 0.5)]}, {"bm25": 0.3, "vector": 0.7}
    )
    scores = {f.doc_id: f.score for f in fused}
    assert scores == pytest.approx({"a": 0.3, "b": 0.7})
    b = next(f for f in fused if f.doc_id == "b")
    assert (b.legs["bm25"].rank, b.legs["vector"].rank) == (2, 1)


def test_a_document_missing_from_a_leg_gets_nothing_from_it() -> None:
    fused = linear({"bm25": [("a", 1.0)], "vector": [("b", 1.0)]}, {"bm25": 0.2, "vector": 0.8})
    assert [(f.doc_id, f.score) for f in fused] == [("b", 0.8), ("a", 0.2)]


def test_ties_are_broken_by_best_rank_then_id_so_pages_are_stable() -> None:
    fused = linear({"bm25": [("z", 1.0), ("y", 1.0)]}, {"bm25": 1.0})
    assert [f.doc_id for f in fused] == ["z", "y"]


def test_boosts_are_named_added_and_resorted() -> None:
    fused = linear({"vector": [("a", 1.0), ("b", 0.5), ("c", 0.0)]}, {"vector": 1.0})
    boosted = add_boosts(fused, {"specialty": {"c": 2.0}})
    assert boosted[0].doc_id == "c" and boosted[0].boosts == {"specialty": 2.0}


PROVIDERS = {
    "focus": {
        "primary_specialties": ["Self Harm", "Anxiety"],
        "specialties": ["Self Harm", "Anxiety"],
        "ages_served": ["Adolescents (13-17)"],
        "therapy_types": ["Dialectical Behavior Therapy (DBT)"],
        "bio_quality": "ok",
    },
    "later": {
        "primary_specialties": ["Grief", "Anxiety", "Depression"],
        "specialties": ["Grief", "Anxiety", "Depression", "Self-Harm"],
        "ages_served": ["Adults"],
        "therapy_types": [],
        "bio_quality": "ok",
    },
    "placeholder": {
        "primary_specialties": ["Self Harm"],
        "specialties": ["Self Harm"],
        "ages_served": [],
        "therapy_types": [],
        "bio_quality": "placeholder",
    },
}


def test_providers_whose_first_three_specialties_match_rise_more_than_those_listing_it_later() -> None:
    tuning = Tuning()
    boosts = provider_boosts(PROVIDERS, ["Self Harm"], [], {}, tuning)["specialty"]
    assert boosts["focus"] == tuning.specialty_primary_boost
    assert boosts["later"] == tuning.specialty_other_boost  # "Self-Harm" folds to the same specialty


def test_named_ages_and_approaches_lift_the_providers_who_serve_them() -> None:
    tuning = Tuning()
    boosts = provider_boosts(
        PROVIDERS, [], ["Adolescents (13-17)"], {}, tuning, therapy_types=["Dialectical Behavior Therapy (DBT)"]
    )
    assert boosts["age"] == {"focus": tuning.age_boost}
    assert boosts["approach"] == {"focus": tuning.therapy_type_boost}


def test_placeholder_profiles_sink() -> None:
    boosts = provider_boosts(PROVIDERS, [], [], {}, Tuning())
    assert boosts["quality"] == {"placeholder": -Tuning().quality_penalty}


def test_topic_votes_are_the_share_of_the_nearest_answers_carrying_each_topic() -> None:
    hits = [
        {"_source": {"topics": ["depression"]}},
        {"_source": {"topics": ["depression", "sleep-improvement"]}},
        {"_source": {"topics": []}},
        {"_source": {"topics": ["anxiety"]}},
    ]
    assert topic_votes(hits, depth=2) == {"depression": 1.0, "sleep-improvement": 0.5}
    assert topic_votes([], depth=5) == {}


def test_passages_sharing_the_voted_topics_rise_in_proportion_to_the_vote() -> None:
    sources = {"a": {"topics": ["depression"]}, "b": {"topics": ["anxiety"]}, "c": {"topics": []}}
    boosts = passage_boosts(sources, {"depression": 0.5}, Tuning(topic_feedback_weight=0.2))["topic_feedback"]
    assert boosts == {"a": pytest.approx(0.1)}
