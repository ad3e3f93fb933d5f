"""Which embedder a build's vectors came from: written into the index's `_meta` by the
indexer, compared by the API with the embedder it queries with.

A query vector from another backend (or model) is close to, not equal to, the documents'
(int8 against fp32: cosine about 0.99), so the API still serves but says so: `/readyz`
carries an `embedding` block listing each mismatch, and the log a warning once per index.
A rebuild with the API's EMBEDDING_BACKEND clears it.

Next to it each build records the fingerprint of its index definition (DEFINITION_KEY): a
rebuild keeps the live build only when both, and every document, are what it would write.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

META_KEY = "embedding"
DEFINITION_KEY = "definition_sha256"
# which analysis the build was made with, and on which engine (dialect-version): an index is
# read only by the engine that built it (search_api/embedding_check.py)
ANALYSIS_KEY = "analysis"
ENGINE_KEY = "engine"


class Analysis(StrEnum):
    """FULL: English stemming and lay-term synonyms in the index (analysis-common). REDUCED:
    server-only parts, Hunspell stemming, the lay terms added to the query instead."""

    FULL = "full"
    REDUCED = "reduced"


def build_meta(embedder_name: str) -> dict[str, str]:
    return {META_KEY: embedder_name}


def recorded(mappings: Mapping[str, Any]) -> dict[str, str | None]:
    """Index name -> the embedder its `_meta` records (None for builds from before it was
    recorded), from a `GET /<alias>/_mapping` answer."""
    return {
        index: (body.get("mappings", {}).get("_meta") or {}).get(META_KEY)
        for index, body in mappings.items()
        if isinstance(body, Mapping)
    }


def mismatches(built_with: Mapping[str, str | None], serving: str) -> dict[str, str]:
    """Index -> a sentence for each index whose vectors another embedder made."""
    out = {}
    for index, name in sorted(built_with.items()):
        if name is None:
            out[index] = f"built before the embedder was recorded; the API embeds with {serving}"
        elif name != serving:
            out[index] = f"built with {name}; the API embeds with {serving}: rebuild, or set EMBEDDING_BACKEND to match"
    return out


def recorded_key(mappings: Mapping[str, Any], key: str) -> dict[str, str | None]:
    """Index name -> what its `_meta` records under `key` (None when nothing)."""
    return {
        index: (body.get("mappings", {}).get("_meta") or {}).get(key)
        for index, body in mappings.items()
        if isinstance(body, Mapping)
    }


def other_engine(built_on: Mapping[str, str | None], dialect: str) -> dict[str, str]:
    """Index -> a sentence for each index another engine built (`_meta.engine` is
    "dialect-version"; builds from before it was recorded are taken as this engine's)."""
    return {
        index: f"built on {engine}; this cluster is {dialect}: rebuild it here"
        for index, engine in sorted(built_on.items())
        if engine and engine.split("-")[0] != dialect
    }
