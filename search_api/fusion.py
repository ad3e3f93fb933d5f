"""Fusing the BM25 and kNN result lists: pure functions over (id, score) rankings.

- `rrf`: reciprocal rank fusion, sum of 1 / (rank_constant + rank) over the legs.
- `linear`: weighted sum of min-max normalized scores (a leg that did not return a document
  contributes 0 for it).
Both return `Fused` entries that keep each leg's rank and score for `explain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Ranking = Sequence[tuple[str, float]]  # (doc id, score), best first


@dataclass
class LegHit:
    rank: int  # 1-based
    score: float
    normalized: float = 0.0


@dataclass
class Fused:
    doc_id: str
    score: float
    legs: dict[str, LegHit] = field(default_factory=dict)
    boosts: dict[str, float] = field(default_factory=dict)


def min_max(scores: Sequence[float]) -> list[float]:
    """Scaled to [0, 1]; a list whose scores are all equal maps to 1.0 each (they tie)."""
    if not scores:
        return []
    low, high = min(scores), max(scores)
    if high == low:
        return [1.0] * len(scores)
    return [(s - low) / (high - low) for s in scores]


def _legs(rankings: Mapping[str, Ranking], window: int) -> dict[str, dict[str, LegHit]]:
    per_doc: dict[str, dict[str, LegHit]] = {}
    for leg, ranking in rankings.items():
        top = list(ranking)[:window]
        for rank, ((doc_id, score), norm) in enumerate(zip(top, min_max([s for _, s in top]), strict=True), 1):
            per_doc.setdefault(doc_id, {})[leg] = LegHit(rank, score, norm)
    return per_doc


def _sorted(fused: list[Fused]) -> list[Fused]:
    # ties broken by the best rank in any leg, then by id, so pages are stable
    return sorted(fused, key=lambda f: (-f.score, min(h.rank for h in f.legs.values()), f.doc_id))


def rrf(
    rankings: Mapping[str, Ranking],
    rank_constant: int = 60,
    window: int = 100,
    weights: Mapping[str, float] | None = None,
) -> list[Fused]:
    per_doc = _legs(rankings, window)
    fused = []
    for doc_id, legs in per_doc.items():
        score = sum((weights or {}).get(leg, 1.0) / (rank_constant + hit.rank) for leg, hit in legs.items())
        fused.append(Fused(doc_id, score, legs))
    return _sorted(fused)


def linear(rankings: Mapping[str, Ranking], weights: Mapping[str, float], window: int = 100) -> list[Fused]:
    per_doc = _legs(rankings, window)
    fused = []
    for doc_id, legs in per_doc.items():
        score = sum(weights.get(leg, 0.0) * hit.normalized for leg, hit in legs.items())
        fused.append(Fused(doc_id, score, legs))
    return _sorted(fused)


def add_boosts(fused: list[Fused], boosts: Mapping[str, Mapping[str, float]]) -> list[Fused]:
    """Add named, per-document boosts (e.g. a specialty match) to fused scores and re-sort."""
    for entry in fused:
        for name, per_doc in boosts.items():
            value = per_doc.get(entry.doc_id, 0.0)
            if value:
                entry.boosts[name] = value
                entry.score += value
    return _sorted(fused)
