"""Attach an `embedding` to each document, reusing cached vectors for unchanged texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.embedder import Embedder
from indexer.embedding_cache import EmbeddingCache, cache_key
from indexer.embedding_text import passage_text, provider_text

TEXT_FOR: dict[str, Callable[[dict[str, Any]], str]] = {
    "providers": provider_text,
    "passages": passage_text,
}


# part of every cache key: changing how a text becomes a vector must not reuse old vectors
TEXT_METHOD = "whole-text-v2"


def embedding_key(embedder_name: str, text: str) -> str:
    """The cache key of a text's vector. The embedder's name names the model and the backend
    (core.embedder.model_name): vectors of different backends never mix."""
    return cache_key(f"{embedder_name}|{TEXT_METHOD}", text)


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
    keys = [embedding_key(embedder.name, text) for text in texts]
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
    """One vector per text; the model reads a long text up to its window (see embedding_text)."""
    return embedder.embed_documents(texts) if texts else []
