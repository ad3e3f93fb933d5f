"""Ranking one index's legs: fusion, then the boosts that come from understanding the
query. Pure: the same inputs give the same order (the sweep tool re-ranks saved legs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.taxonomy import fold
from search_api.fusion import Fused, add_boosts, linear, rrf
from search_api.practical import practical_boosts
from search_api.tuning import Tuning

Hits = list[dict[str, Any]]  # engine hits: _id, _score, _source


def rankings_of(legs: Mapping[str, Hits]) -> dict[str, list[tuple[str, float]]]:
    return {leg: [(h["_id"], float(h["_score"] or 0.0)) for h in hits] for leg, hits in legs.items()}


@dataclass(frozen=True)
class RankInputs:
    """What ranking one index's legs reads: the legs, how to fuse them, and what the query was
    understood to mean (the boosts)."""

    legs: Mapping[str, Hits]
    sources: Mapping[str, Mapping[str, Any]]  # doc id -> the fields ranking reads
    hybrid: bool
    bm25_weight: float
    window: int
    fusion: str
    rank_constant: int
    specialties: list[str] = field(default_factory=list)
    ages: list[str] = field(default_factory=list)
    therapy_types: list[str] = field(default_factory=list)
    affinities: Mapping[str, float] = field(default_factory=dict)
    topic_evidence: Mapping[str, float] = field(default_factory=dict)
    filters: Mapping[str, Any] = field(default_factory=dict)  # what availability, cost and distance boosts read
    today: date = field(default_factory=date.today)

    @property
    def boost_scale(self) -> float:
        """Boosts are added to fused scores: of order 1 with linear fusion, 1/k with RRF."""
        return 1.0 if self.fusion == "linear" else 1.0 / self.rank_constant


def fuse(legs: Mapping[str, Hits], bm25_weight: float, window: int, fusion: str, rank_constant: int) -> list[Fused]:
    rankings = rankings_of(legs)
    if len(rankings) == 1:
        leg = next(iter(rankings))
        fused = linear(rankings, {leg: 1.0}, window)
        for entry in fused:  # a single leg keeps its engine order and score
            entry.score = entry.legs[leg].score
        return fused
    if fusion == "rrf":
        return rrf(rankings, rank_constant, window)
    return linear(rankings, {"bm25": bm25_weight, "vector": 1.0 - bm25_weight}, window)


def provider_boosts(
    sources: Mapping[str, Mapping[str, Any]],
    specialties: list[str],
    ages: list[str],
    affinities: Mapping[str, float],
    tuning: Tuning,
    scale: float = 1.0,
    topic_evidence: Mapping[str, float] | None = None,
    therapy_types: list[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Per-document boosts: the specialty the query names (lay-term table), the specialties
    it is semantically about, the ages it names, and a small penalty for placeholder bios."""
    wanted = {fold(s) for s in specialties}
    semantic = {fold(k): v for k, v in affinities.items()}
    evidence = {fold(k): v for k, v in (topic_evidence or {}).items()}
    ages_wanted = set(ages)
    approaches_wanted = {fold(t) for t in therapy_types or []}
    guide: dict[str, float] = {}
    approach: dict[str, float] = {}
    named: dict[str, float] = {}
    meant: dict[str, float] = {}
    age: dict[str, float] = {}
    quality: dict[str, float] = {}
    for doc_id, source in sources.items():
        primary = [fold(s) for s in source.get("primary_specialties", [])]
        others = [fold(s) for s in source.get("specialties", [])][len(primary) :]
        if wanted:
            if wanted.intersection(primary):
                named[doc_id] = tuning.specialty_primary_boost * scale
            elif wanted.intersection(others):
                named[doc_id] = tuning.specialty_other_boost * scale
        if semantic:
            best_primary = max((semantic.get(s, 0.0) for s in primary), default=0.0)
            best_other = max((semantic.get(s, 0.0) for s in others), default=0.0)
            value = tuning.semantic_primary_weight * best_primary + tuning.semantic_other_weight * best_other
            if value:
                meant[doc_id] = value * scale
        if evidence:
            best_primary = max((evidence.get(s, 0.0) for s in primary), default=0.0)
            best_other = max((evidence.get(s, 0.0) for s in others), default=0.0)
            value = tuning.guide_topic_primary_weight * best_primary + tuning.guide_topic_other_weight * best_other
            if value:
                guide[doc_id] = value * scale
        if ages_wanted and ages_wanted.intersection(source.get("ages_served", [])):
            age[doc_id] = tuning.age_boost * scale
        if approaches_wanted and approaches_wanted.intersection(fold(t) for t in source.get("therapy_types", [])):
            approach[doc_id] = tuning.therapy_type_boost * scale
        if source.get("bio_quality") not in (None, "ok"):
            quality[doc_id] = -tuning.quality_penalty * scale
    return {
        "specialty": named,
        "semantic_specialty": meant,
        "guide_topics": guide,
        "age": age,
        "approach": approach,
        "quality": quality,
    }


def topic_votes(vector_hits: Hits, depth: int) -> dict[str, float]:
    """Pseudo-relevance feedback: the share of the top `depth` semantic hits carrying each
    topic (what the nearest answers are about is likely what the query is about)."""
    top = vector_hits[:depth]
    if not top:
        return {}
    counts: Counter[str] = Counter()
    for hit in top:
        counts.update(set(hit["_source"].get("topics", [])))
    return {topic: n / len(top) for topic, n in counts.items()}


def passage_boosts(
    sources: Mapping[str, Mapping[str, Any]], votes: Mapping[str, float], tuning: Tuning, scale: float = 1.0
) -> dict[str, dict[str, float]]:
    topic: dict[str, float] = {}
    for doc_id, source in sources.items():
        best = max((votes.get(t, 0.0) for t in source.get("topics", [])), default=0.0)
        if best:
            topic[doc_id] = tuning.topic_feedback_weight * best * scale
    return {"topic_feedback": topic}


def rank_providers(inputs: RankInputs, tuning: Tuning) -> list[Fused]:
    fused = fuse(inputs.legs, inputs.bm25_weight, inputs.window, inputs.fusion, inputs.rank_constant)
    if not inputs.hybrid:
        return fused
    boosts = provider_boosts(
        inputs.sources,
        inputs.specialties,
        inputs.ages,
        inputs.affinities,
        tuning,
        inputs.boost_scale,
        inputs.topic_evidence,
        inputs.therapy_types,
    )
    boosts.update(practical_boosts(inputs.sources, inputs.filters, inputs.today, tuning, inputs.boost_scale))
    return add_boosts(fused, boosts)


def rank_passages(inputs: RankInputs, tuning: Tuning) -> list[Fused]:
    fused = fuse(inputs.legs, inputs.bm25_weight, inputs.window, inputs.fusion, inputs.rank_constant)
    if not inputs.hybrid or "vector" not in inputs.legs:
        return fused
    votes = topic_votes(inputs.legs["vector"], tuning.topic_feedback_depth)
    return add_boosts(fused, passage_boosts(inputs.sources, votes, tuning, inputs.boost_scale))


def lead_with(
    fused: list[Fused],
    sources: Mapping[str, Mapping[str, Any]],
    field: str,
    wanted: Sequence[str],
    places: int | None = None,
) -> list[Fused]:
    """The documents whose `field` holds the first of `wanted` first, then those holding the
    next, and so on; each group in its fused order. With `places`, only that many of them move to
    the front and everything else keeps its fused order. Where a query signals abuse or assault,
    its specialists (every one) and the best guide answer about safety (one place: the answer to
    the exact question must not be pushed off the page) lead whatever else scored higher."""
    if not wanted:
        return fused
    tier = {fold(w): i for i, w in reversed(list(enumerate(wanted)))}

    def tier_of(entry: Fused) -> int:
        values = sources.get(entry.doc_id, {}).get(field, [])
        return min((tier[key] for key in map(fold, values) if key in tier), default=len(wanted))

    leaders = sorted((e for e in fused if tier_of(e) < len(wanted)), key=tier_of)[:places]  # stable
    chosen = {id(e) for e in leaders}
    return [*leaders, *(e for e in fused if id(e) not in chosen)]
