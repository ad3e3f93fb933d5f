"""The one line `python -m search_api` prints when it serves: where, on what engine, and what
corpus from where ("CareSearch is up: http://127.0.0.1:8000 — OpenSearch 2.19.1, 1,000 demo
providers + 92 guide passages (+ 6 providers, 16 passages from the seed page)")."""

from __future__ import annotations

from typing import Any

from core.engines import SyncEngine
from core.settings import Settings

# the demo's sources by their ids' prefixes (indexer/demo_corpus.py): generated providers,
# the project's guide, the seed page
ORIGINS = {"providers": ("demo-p-", "demo providers"), "passages": ("guide-", "guide passages")}
SEED_PAGE_PREFIX = "page-"


def up_line(settings: Settings, url: str) -> str:
    try:
        engine = SyncEngine(settings)
        try:
            return f"CareSearch is up: {url} — {_engine_name(engine)}, {_corpus(engine, settings)}"
        finally:
            engine.close()
    except Exception as exc:  # the line must never keep the server from serving
        return f"CareSearch is up: {url} (the engine did not say what it serves: {exc})"


def _engine_name(engine: SyncEngine) -> str:
    version: dict[str, Any] = engine.request("GET", "/").get("version", {})
    name = "OpenSearch" if version.get("distribution") == "opensearch" else "Elasticsearch"
    return f"{name} {version.get('number', '?')}"


def _corpus(engine: SyncEngine, settings: Settings) -> str:
    parts, seed = [], []
    for doc_type, (prefix, named) in ORIGINS.items():
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "demo": {"filter": {"prefix": {"id": prefix}}},
                "seed": {"filter": {"prefix": {"id": SEED_PAGE_PREFIX}}},
            },
        }
        found = engine.request("POST", f"/{settings.alias_for(doc_type)}/_search", body)
        total = found["hits"]["total"]["value"]
        demo, from_seed = found["aggregations"]["demo"]["doc_count"], found["aggregations"]["seed"]["doc_count"]
        if demo + from_seed == total:  # the demo corpus
            parts.append(f"{demo:,} {named}")
            if from_seed:
                seed.append(f"{from_seed:,} {doc_type}")
        else:
            parts.append(f"{total:,} {doc_type}")
    return " + ".join(parts) + (f" (+ {', '.join(seed)} from the seed page)" if seed else "")
