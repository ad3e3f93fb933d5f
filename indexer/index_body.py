"""Index bodies (settings and mappings) built from the versioned JSON in mappings/."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from core.embedding_meta import Analysis
from core.engines import Dialect, EngineInfo, vector_field_mapping, vector_index_settings
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


# The reduced definition (a cluster without analysis-common): Hunspell en_US stems instead of
# the English stemmers (the node needs the dictionary in config/hunspell/en_US/: make es-up
# puts it there); no ascii folding, no possessive filter, no synonym graph (the lay terms are
# then added to the query: search_api/query_bodies.py); search_as_you_type (mapper-extras)
# becomes a text field with indexed prefixes, which `bool_prefix` queries read as well.
HUNSPELL_FILTER = {"type": "hunspell", "locale": "en_US", "dedup": True}
_REPLACED_FILTERS = {"english_stemmer": "english_hunspell"}
_DROPPED_FILTERS = frozenset({"english_possessive", "asciifolding", "lay_terms"})
SUGGEST_FIELD = {"type": "text", "analyzer": "standard", "index_prefixes": {"min_chars": 1, "max_chars": 10}}
# filters and token filters the server itself has (no module needed)
SERVER_FILTERS = frozenset({"lowercase", "stop", "hunspell", "shingle"})


def analysis_for(info: EngineInfo) -> Analysis:
    return Analysis.FULL if info.analysis_common else Analysis.REDUCED


def index_body(
    doc_type: str, dialect: Dialect, *, analysis: Analysis = Analysis.FULL, bulk_load: bool = False
) -> dict[str, Any]:
    """The body to create a `doc_type` index on this engine, with the full or the reduced
    analysis. With `bulk_load`, refresh is off for the build (turned back on before the
    alias swap)."""
    body = _fill(copy.deepcopy(load_template(doc_type)), dialect)
    if analysis is Analysis.REDUCED:
        body = reduced(body)
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


def reduced(body: dict[str, Any]) -> dict[str, Any]:
    """The same index from server-only parts (see HUNSPELL_FILTER above); pure."""
    body = copy.deepcopy(body)
    analysis = body["settings"].get("analysis", {})
    filters = analysis.get("filter", {})
    for name in [*_DROPPED_FILTERS, *_REPLACED_FILTERS]:
        filters.pop(name, None)
    filters["english_hunspell"] = dict(HUNSPELL_FILTER)
    for kind in ("analyzer", "normalizer"):
        for definition in analysis.get(kind, {}).values():
            chain = [_REPLACED_FILTERS.get(f, f) for f in definition.get("filter", []) if f not in _DROPPED_FILTERS]
            definition["filter"] = chain
    body["mappings"] = _without_search_as_you_type(body["mappings"])
    return body


def _without_search_as_you_type(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "search_as_you_type":
            return dict(SUGGEST_FIELD)
        return {k: _without_search_as_you_type(v) for k, v in node.items()}
    return node


def module_parts(body: dict[str, Any]) -> list[str]:
    """What in `body` needs a module beyond the server: filters of other types, field types
    of mapper-extras (empty for a body the minimal Elasticsearch accepts)."""
    analysis = body["settings"].get("analysis", {})
    defined = analysis.get("filter", {})
    found = [f"filter {name}: {d['type']}" for name, d in defined.items() if d["type"] not in SERVER_FILTERS]
    for kind in ("analyzer", "normalizer"):
        for name, definition in analysis.get(kind, {}).items():
            found += [
                f"{kind} {name}: {f}"
                for f in definition.get("filter", [])
                if f not in defined and f not in SERVER_FILTERS
            ]
    text = json.dumps(body["mappings"])
    found += [t for t in ("search_as_you_type", "rank_feature", "token_count") if f'"{t}"' in text]
    return found
