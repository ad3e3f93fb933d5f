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
from typing import Any

META_KEY = "embedding"
DEFINITION_KEY = "definition_sha256"


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
