"""Is a rebuild of one type a no-op? Only when the live build was made by the same embedder
and the same index definition, and holds exactly the (id, content_hash) pairs the records
would produce: then rewriting every vector and rebuilding the HNSW graph would change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.embedding_meta import DEFINITION_KEY, META_KEY


def meta_mismatch(meta: Mapping[str, Any], embedder: str, definition: str) -> str | None:
    """Why the live build's `_meta` rules out keeping it, or None when it matches."""
    recorded_definition = meta.get(DEFINITION_KEY)
    recorded_embedder = meta.get(META_KEY)
    if meta.get("building"):
        return "was never finished"
    if recorded_definition is None:
        return "records no index definition (built before definitions were recorded)"
    if recorded_definition != definition:
        return "was created with another mapping or analysis"
    if recorded_embedder is None:
        return "records no embedder"
    if recorded_embedder != embedder:
        return f"holds vectors from {recorded_embedder}, this run embeds with {embedder}"
    return None


@dataclass(frozen=True)
class Difference:
    added: int
    removed: int
    changed: int

    @property
    def none(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def __str__(self) -> str:
        return f"{self.added} added, {self.removed} removed, {self.changed} changed"


def difference(expected: Mapping[str, str], live: Mapping[str, str | None]) -> Difference:
    """What the records (id -> content_hash) change against the live build's documents. A live
    document without a hash never matches."""
    added = sum(1 for doc_id in expected if doc_id not in live)
    removed = sum(1 for doc_id in live if doc_id not in expected)
    changed = sum(1 for doc_id, h in expected.items() if doc_id in live and live[doc_id] != h)
    return Difference(added, removed, changed)
