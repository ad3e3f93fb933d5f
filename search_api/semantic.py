"""Semantic query understanding: which specialties a query is about, read from its vector.

The lay-term table catches words people use; this catches what they mean when no listed
word appears ("I feel worthless and can't get out of bed" -> Depression). Each specialty
has a prototype vector (its name and lay phrases, embedded once at start-up); a query's
cosine to each prototype, above a floor, is how strongly it is about that specialty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.embedder import Embedder
from core.lay_terms import lay_table
from core.taxonomy import specialties

PHRASES_PER_PROTOTYPE = 8


def prototype_texts() -> dict[str, str]:
    phrases: dict[str, list[str]] = {name: [] for name in specialties().canonical}
    for words, targets in lay_table().phrases.items():
        for kind, name in targets:
            if kind == "specialty" and name in phrases and len(phrases[name]) < PHRASES_PER_PROTOTYPE:
                phrases[name].append(" ".join(words))
    return {name: f"{name}: {', '.join(lay)}" if lay else name for name, lay in phrases.items()}


@dataclass(frozen=True)
class SpecialtyPrototypes:
    names: tuple[str, ...]
    matrix: np.ndarray  # (n specialties, dims), unit rows

    @classmethod
    def build(cls, embedder: Embedder) -> SpecialtyPrototypes:
        texts = prototype_texts()
        vectors = np.asarray(embedder.embed_documents(list(texts.values())), dtype=np.float32)
        return cls(tuple(texts), vectors)

    def affinities(self, query_vector: Sequence[float], floor: float) -> dict[str, float]:
        """Specialty -> (cosine - floor), for the specialties above the floor."""
        sims = self.matrix @ np.asarray(query_vector, dtype=np.float32)
        return {name: float(s - floor) for name, s in zip(self.names, sims, strict=True) if s > floor}


@dataclass(frozen=True)
class TopicLinks:
    """Which specialties serve each guide topic, derived (not hand-written) from the cosine
    between the topic's name and each specialty prototype: topic -> {specialty: weight}."""

    weights: dict[str, dict[str, float]]

    @classmethod
    def build(
        cls, embedder: Embedder, prototypes: SpecialtyPrototypes, topics: Sequence[str], floor: float, top: int = 3
    ) -> TopicLinks:
        if not topics:
            return cls({})
        vectors = np.asarray(embedder.embed_documents([t.replace("-", " ") for t in topics]), dtype=np.float32)
        sims = vectors @ prototypes.matrix.T
        weights: dict[str, dict[str, float]] = {}
        for topic, row in zip(topics, sims, strict=True):
            order = np.argsort(-row)[:top]
            links = {prototypes.names[i]: float(row[i] - floor) for i in order if row[i] > floor}
            if links:
                weights[topic] = links
        return cls(weights)

    def specialty_evidence(self, votes: dict[str, float]) -> dict[str, float]:
        """Specialty -> strength, from the topics of the answers nearest the query."""
        evidence: dict[str, float] = {}
        for topic, share in votes.items():
            for specialty, weight in self.weights.get(topic, {}).items():
                evidence[specialty] = evidence.get(specialty, 0.0) + share * weight
        return evidence
