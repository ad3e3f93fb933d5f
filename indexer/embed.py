"""Attach an `embedding` to each document, reusing cached vectors for unchanged texts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.embedder import Embedder
from indexer.embedding_cache import EmbeddingCache, cache_key
from indexer.embedding_text import passage_text, provider_text, windows

TEXT_FOR: dict[str, Callable[[dict[str, Any]], str]] = {
    "providers": provider_text,
    "passages": passage_text,
}


@dataclass
class EmbedStats:
    embedded: int = 0
    reused: int = 0


def embed_batch(
    docs: list[dict[str, Any]],
    doc_type: str,
    embedder: Embedder,
    cache: EmbeddingCache,
    stats: EmbedStats,
) -> None:
    """Set doc['embedding'] on every doc of the batch."""
    texts = [TEXT_FOR[doc_type](doc) for doc in docs]
    keys = [cache_key(embedder.name, text) for text in texts]
    cached = cache.get_many(keys)
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in cached}
    fresh = embed_texts(list(missing.values()), embedder)
    computed = dict(zip(missing.keys(), fresh, strict=True))
    cache.put_many(computed)
    for doc, key in zip(docs, keys, strict=True):
        doc["embedding"] = cached.get(key) or computed[key]
    stats.embedded += len(computed)
    stats.reused += len(docs) - len(missing)


def embed_texts(texts: list[str], embedder: Embedder) -> list[list[float]]:
    """One vector per text; a text longer than the model's window is the normalized mean of
    its windows' vectors (so the end of a long answer still counts)."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    for text in texts:
        parts = windows(text)
        spans.append((len(pieces), len(pieces) + len(parts)))
        pieces.extend(parts)
    vectors = embedder.embed_documents(pieces) if pieces else []
    return [mean_unit(vectors[start:end]) for start, end in spans]


def mean_unit(vectors: list[list[float]]) -> list[float]:
    if len(vectors) == 1:
        return vectors[0]
    summed = [sum(column) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in summed)) or 1.0
    return [x / norm for x in summed]
