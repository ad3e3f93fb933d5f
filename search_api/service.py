"""One search function for every caller (page, services, analysts): interpret, embed, one
`_msearch` round trip for all legs, fuse, shape."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict
from typing import Any

from core.embedder import Embedder
from core.engines import EngineError, ndjson
from core.settings import Settings
from core.taxonomy import fold
from search_api.cluster import Cluster
from search_api.crisis import crisis_block, detect_crisis
from search_api.fusion import Fused, add_boosts, linear, rrf
from search_api.interpret import Interpretation, interpret
from search_api.params import Fusion, Mode, SearchParams, SearchType
from search_api.query_bodies import (
    LegPlan,
    passage_bm25,
    passage_knn,
    provider_bm25,
    provider_filters,
    provider_knn,
)
from search_api.shaping import passage_hit, provider_facets, provider_hit
from search_api.tuning import DEFAULT_TUNING, Tuning


class SearchFailed(RuntimeError):
    """The engine refused a query the API built (reported as 422 with its reason)."""


def merged_filters(params: SearchParams, meaning: Interpretation) -> tuple[dict[str, Any], dict[str, str]]:
    """Explicit filters win; understood place and modality fill in only what was not given.
    Returns the filters and, for `interpreted`, how each understood cue was applied."""
    filters = params.explicit_filters()
    applied: dict[str, str] = {}
    place_given = any(k in filters for k in ("state", "city", "zip", "lat"))
    if not place_given:
        for key in ("state", "city", "zip"):
            value = getattr(meaning, key)
            if value:
                filters[key] = value
                applied[key] = "filter"
    elif any(getattr(meaning, k) for k in ("state", "city", "zip")):
        applied["place"] = "ignored: explicit location filter given"
    if meaning.remote and "remote" not in filters:
        filters["remote"] = True
        applied["remote"] = "filter"
    return filters, applied


class SearchService:
    def __init__(self, settings: Settings, cluster: Cluster, embedder: Embedder,
                 tuning: Tuning = DEFAULT_TUNING, embed_concurrency: int = 2) -> None:
        self.settings = settings
        self.cluster = cluster
        self.embedder = embedder
        self.tuning = tuning
        # a bounded queue for embedding work instead of unbounded threads
        self._embed_slots = asyncio.Semaphore(embed_concurrency)

    async def embed_query(self, text: str) -> list[float]:
        async with self._embed_slots:
            return await asyncio.to_thread(self.embedder.embed_query, text)

    async def search(self, params: SearchParams) -> dict[str, Any]:
        started = time.perf_counter()
        meaning = interpret(params.q) if params.interpret else Interpretation(expanded_query=params.q)
        # the safety net never depends on the analysts' `interpret` switch
        crisis = meaning.crisis if params.interpret else detect_crisis(params.q)
        filters, applied = merged_filters(params, meaning)
        window = max(params.window or self.tuning.window, params.from_ + params.size)
        num_candidates = max(params.num_candidates or self.tuning.num_candidates, window)
        types = [SearchType.PROVIDERS, SearchType.PASSAGES] if params.type is SearchType.ALL else [params.type]
        legs = {Mode.HYBRID: ("bm25", "vector"), Mode.BM25: ("bm25",), Mode.VECTOR: ("vector",)}[params.mode]

        took: dict[str, float] = {}
        vector: list[float] = []
        if "vector" in legs:
            t = time.perf_counter()
            vector = await self.embed_query(params.q)
            took["embedding"] = _ms(t)

        engine = await self.cluster.engine()
        plans = {
            SearchType.PROVIDERS: LegPlan(params.q, provider_filters(filters), window, num_candidates,
                                          boost_specialties=meaning.specialties, boost_ages=meaning.age_groups),
            SearchType.PASSAGES: LegPlan(params.q, [], window, num_candidates),
        }
        searches: list[tuple[SearchType, str, dict[str, Any]]] = []
        for doc_type in types:
            plan = plans[doc_type]
            if "bm25" in legs:
                body = provider_bm25(plan) if doc_type is SearchType.PROVIDERS else passage_bm25(plan)
                searches.append((doc_type, "bm25", body))
            if "vector" in legs:
                build = provider_knn if doc_type is SearchType.PROVIDERS else passage_knn
                searches.append((doc_type, "vector", build(plan, engine.dialect, vector)))

        t = time.perf_counter()
        lines: list[dict[str, Any]] = []
        for doc_type, _, body in searches:
            lines += [{"index": self.settings.alias_for(doc_type.value)}, body]
        answer = await self.cluster.request("POST", "/_msearch", ndjson(lines))
        took["search"] = _ms(t)

        t = time.perf_counter()
        results: dict[str, dict[str, Any]] = {}
        responses = answer.get("responses", [])
        per_type: dict[SearchType, dict[str, dict[str, Any]]] = {}
        for (doc_type, leg, _), response in zip(searches, responses, strict=True):
            if "error" in response:
                raise SearchFailed(_reason(response["error"]))
            per_type.setdefault(doc_type, {})[leg] = response
        for doc_type in types:
            results[doc_type.value] = self._shape(doc_type, per_type.get(doc_type, {}), params, meaning, filters)
        took["fusion"] = _ms(t)
        took["total"] = _ms(started)

        interpreted = {**asdict(meaning), "applied": applied}
        interpreted.pop("crisis", None)
        interpreted["matched_terms"] = [{"text": a, "meaning": b} for a, b in meaning.matched_terms]
        return {
            "query": params.q,
            "mode": params.mode.value,
            "interpreted": interpreted,
            "crisis": crisis_block() if crisis else None,
            **results,
            "took_ms": {k: round(v, 2) for k, v in took.items()},
        }

    def _fuse(self, doc_type: SearchType, legs: dict[str, dict[str, Any]], params: SearchParams,
              meaning: Interpretation, sources: dict[str, dict[str, Any]]) -> list[Fused]:
        rankings = {leg: [(h["_id"], float(h["_score"] or 0.0)) for h in body["hits"]["hits"]]
                    for leg, body in legs.items()}
        window = max(params.window or self.tuning.window, params.from_ + params.size)
        if len(rankings) == 1:
            fused = linear(rankings, {next(iter(rankings)): 1.0}, window)
            # a single leg keeps its engine order exactly
            for entry in fused:
                entry.score = next(iter(entry.legs.values())).score
            return fused
        fusion = params.fusion or Fusion(self.tuning.fusion)
        default_w = self.tuning.provider_bm25_weight if doc_type is SearchType.PROVIDERS else self.tuning.passage_bm25_weight
        w = params.bm25_weight if params.bm25_weight is not None else default_w
        if fusion is Fusion.RRF:
            fused = rrf(rankings, params.rank_constant or self.tuning.rank_constant, window)
        else:
            fused = linear(rankings, {"bm25": w, "vector": 1.0 - w}, window)
        if doc_type is SearchType.PROVIDERS and params.mode is Mode.HYBRID:
            fused = add_boosts(fused, self._provider_boosts(meaning, sources, fusion))
        return fused

    def _provider_boosts(self, meaning: Interpretation, sources: dict[str, dict[str, Any]],
                         fusion: Fusion) -> dict[str, dict[str, float]]:
        scale = 1.0 if fusion is Fusion.LINEAR else 1.0 / 60  # RRF scores are ~1/60
        wanted = {fold(s) for s in meaning.specialties}
        ages = set(meaning.age_groups)
        specialty: dict[str, float] = {}
        age: dict[str, float] = {}
        quality: dict[str, float] = {}
        for doc_id, source in sources.items():
            if wanted:
                primary = {fold(s) for s in source.get("primary_specialties", [])}
                others = {fold(s) for s in source.get("specialties", [])}
                if wanted & primary:
                    specialty[doc_id] = self.tuning.specialty_primary_boost * scale
                elif wanted & others:
                    specialty[doc_id] = self.tuning.specialty_other_boost * scale
            if ages and ages & set(source.get("ages_served", [])):
                age[doc_id] = self.tuning.age_boost * scale
            if source.get("bio_quality") not in (None, "ok"):
                quality[doc_id] = -self.tuning.quality_penalty * scale
        return {"specialty": specialty, "age": age, "quality": quality}

    def _shape(self, doc_type: SearchType, legs: dict[str, dict[str, Any]], params: SearchParams,
               meaning: Interpretation, filters: dict[str, Any]) -> dict[str, Any]:
        sources: dict[str, dict[str, Any]] = {}
        highlights: dict[str, dict[str, list[str]]] = {}
        for body in legs.values():
            for h in body["hits"]["hits"]:
                sources.setdefault(h["_id"], h["_source"])
                if h.get("highlight"):
                    highlights.setdefault(h["_id"], h["highlight"])
        fused = self._fuse(doc_type, legs, params, meaning, sources)
        page = fused[params.from_ : params.from_ + params.size]
        out: dict[str, Any] = {"total": len(fused)}
        if "bm25" in legs:
            out["total_text_matches"] = legs["bm25"]["hits"]["total"]["value"]
        if doc_type is SearchType.PROVIDERS:
            origin = (filters["lat"], filters["lon"]) if filters.get("lat") is not None else None
            out["hits"] = [provider_hit(sources[e.doc_id], e, highlights.get(e.doc_id, {}), origin, params.explain)
                           for e in page]
            out["facets"] = provider_facets([sources[e.doc_id] for e in fused])
        else:
            out["hits"] = [passage_hit(sources[e.doc_id], e, highlights.get(e.doc_id, {}), params.explain)
                           for e in page]
        return out

    async def get_document(self, doc_type: str, doc_id: str) -> dict[str, Any] | None:
        alias = self.settings.alias_for(doc_type)
        body = {"size": 1, "query": {"ids": {"values": [doc_id]}}, "_source": {"excludes": ["embedding"]}}
        try:
            found = await self.cluster.request("POST", f"/{alias}/_search", body)
        except EngineError as exc:
            if exc.status == 404:
                return None
            raise
        hits = found["hits"]["hits"]
        return hits[0]["_source"] if hits else None


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        root = (error.get("root_cause") or [error])[0]
        return f"{root.get('type')}: {root.get('reason')}"[:300]
    return str(error)[:300]


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
