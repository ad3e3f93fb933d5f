"""Index bodies (settings and mappings) built from the versioned JSON in mappings/."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from core.engines import Dialect, vector_field_mapping, vector_index_settings
from core.lay_terms import query_filler_words, synonym_rules
from core.settings import DOC_TYPES, MAPPINGS_DIR

# mappings/{type}.{version}.json: a changed mapping is a new version, so every build made
# from it is a fresh index (and its definition fingerprint differs: no rebuild keeps the old one)
MAPPING_VERSIONS = {"providers": "v3", "passages": "v1"}


def load_template(doc_type: str) -> dict[str, Any]:
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    with open(MAPPINGS_DIR / f"{doc_type}.{MAPPING_VERSIONS[doc_type]}.json", encoding="utf-8") as fh:
        template = json.load(fh)
    template.pop("_comment", None)
    return template


def index_body(doc_type: str, dialect: Dialect, *, bulk_load: bool = False) -> dict[str, Any]:
    """The body to create a `doc_type` index on this engine. With `bulk_load`, refresh is
    off for the build (turned back on before the alias swap)."""
    body = _fill(copy.deepcopy(load_template(doc_type)), dialect)
    index_settings = body["settings"]["index"]
    index_settings.update(vector_index_settings(dialect))
    if bulk_load:
        index_settings["refresh_interval"] = "-1"
    return body


def body_fingerprint(body: dict[str, Any]) -> str:
    """sha256 of an index body's canonical JSON: two builds recording the same one were
    created with the same mapping and analysis."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _fill(node: Any, dialect: Dialect) -> Any:
    if node == "$vector":
        return vector_field_mapping(dialect)
    if node == "$lay_synonyms":
        return synonym_rules()
    if node == "$query_filler":
        return query_filler_words()
    if isinstance(node, dict):
        return {k: _fill(v, dialect) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, dialect) for v in node]
    return node
