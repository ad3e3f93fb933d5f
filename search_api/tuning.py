"""Ranking defaults, chosen by measurement on the development sets (see README, Relevance).
Analysts override any of them per request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    fusion: str = "linear"
    provider_bm25_weight: float = 0.3
    passage_bm25_weight: float = 0.2
    rank_constant: int = 60
    window: int = 100
    num_candidates: int = 200
    # added to the fused (0..1) score of a provider whose specialties match what the query
    # was understood to be about: more when it is one of their first three
    specialty_primary_boost: float = 0.25
    specialty_other_boost: float = 0.1
    age_boost: float = 0.1
    # placeholder bios ("test test test") sink a little, they are not removed
    quality_penalty: float = 0.05


DEFAULT_TUNING = Tuning()
