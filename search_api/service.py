"""One search function for every caller (page, services, analysts): interpret, embed, one
`_msearch` round trip for all legs, rank, shape.

`retrieve` does the I/O; `rank` is pure, so the analysts' sweep can re-rank saved legs
under other tunings and measure exactly what users would get.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from core.embedder import Embedder
from core.engines import EngineError, EngineUnavailable, ndjson
from core.settings import Settings
from search_api.cluster import Cluster
from search_api.embedding_queue import BoundedSlots
from search_api.exceptions import SearchFailed
from search_api.fusion import Fused
from search_api.interpret import Interpretation, interpret
from search_api.params import Mode, SearchParams, SearchType
from search_api.query_bodies import (
    LegPlan,
    facets_body,
    leg_hit,
    page_body,
    passage_bm25,
    passage_knn,
    provider_bm25,
    provider_knn,
    provider_plan,
    with_leg_fields,
)
from search_api.ranking import Hits, lead_with, rank_passages, rank_providers, topic_votes
from search_api.safety import Recognition, help_first, recognise, safety_block
from search_api.semantic import SpecialtyPrototypes, TopicLinks
from search_api.shaping import passage_hit, provider_facets, provider_hit
from search_api.tuning import DEFAULT_TUNING, Tuning


@dataclass
class Retrieval:
    """Everything the engine returned for one request, before ranking."""

    params: SearchParams
    meaning: Interpretation
    safety: Recognition
    filters: dict[str, Any]
    applied: dict[str, str]
    window: int
    legs: dict[SearchType, dict[str, Hits]] = field(default_factory=dict)
    totals: dict[SearchType, int] = field(default_factory=dict)
    affinities: dict[str, float] = field(default_factory=dict)
    guide_neighbours: Hits = field(default_factory=list)  # nearest guide answers, for topic feedback
    topic_evidence: dict[str, float] = field(default_factory=dict)
    took: dict[str, float] = field(default_factory=dict)
    indices: dict[SearchType, str] = field(default_factory=dict)  # the concrete index each type came from
    page: dict[SearchType, dict[str, dict[str, Any]]] = field(default_factory=dict)  # the page's documents in full
    facet_counts: dict[str, Any] = field(default_factory=dict)  # the engine's counts over the fused providers

    def sources(self, doc_type: SearchType) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for hits in self.legs.get(doc_type, {}).values():
            for hit in hits:
                found.setdefault(hit["_id"], hit["_source"])
        return found

    def highlights(self, doc_type: SearchType) -> dict[str, dict[str, list[str]]]:
        return {doc_id: hit.get("highlight", {}) for doc_id, hit in self.page.get(doc_type, {}).items()}


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
        applied["place"] = "ignored: an explicit location filter was given"
    if meaning.remote and "remote" not in filters:
        filters["remote"] = True
        applied["remote"] = "filter"
    for name in meaning.specialties:
        applied[f"specialty:{name}"] = "boost"
    for name in help_first(meaning.safety).specialties:
        applied[f"specialty:{name}"] = "first"  # where there is abuse or assault, its specialists lead
    for name in meaning.age_groups:
        applied[f"age_group:{name}"] = "boost"
    return filters, applied


class SearchService:
    def __init__(
        self,
        settings: Settings,
        cluster: Cluster,
        embedder: Embedder,
        tuning: Tuning = DEFAULT_TUNING,
        embed_concurrency: int = 2,
    ) -> None:
        self.settings = settings
        self.cluster = cluster
        self.embedder = embedder
        self.tuning = tuning
        self._prototypes: SpecialtyPrototypes | None = None
        self._topic_links: TopicLinks | None = None
        # a bounded queue for embedding work instead of unbounded threads: beyond
        # EMBED_QUEUE_MAX waiting queries, Overloaded (503) at once
        self._embed_slots = BoundedSlots(embed_concurrency, settings.embed_queue_max)

    async def prototypes(self) -> SpecialtyPrototypes:
        if self._prototypes is None:
            self._prototypes = await asyncio.to_thread(SpecialtyPrototypes.build, self.embedder)
        return self._prototypes

    async def topic_links(self) -> TopicLinks:
        """Built from the topics the live guide index holds; rebuilt while it has none."""
        if self._topic_links is None or not self._topic_links.weights:
            body = {"size": 0, "aggs": {"topics": {"terms": {"field": "topics", "size": 500}}}}
            found = await self.cluster.request("POST", f"/{self.settings.passages_alias}/_search", body)
            topics = [b["key"] for b in found["aggregations"]["topics"]["buckets"]]
            prototypes = await self.prototypes()
            self._topic_links = await asyncio.to_thread(
                TopicLinks.build, self.embedder, prototypes, topics, self.tuning.topic_link_floor
            )
        return self._topic_links

    async def embed_query(self, text: str) -> list[float]:
        async with self._embed_slots.slot():
            return await asyncio.to_thread(self.embedder.embed_query, text)

    async def search(self, params: SearchParams) -> dict[str, Any]:
        started = time.perf_counter()
        retrieval = await self.retrieve(params)
        t = time.perf_counter()
        ranked = self.rank(retrieval)
        retrieval.took["fusion"] = _ms(t)
        await self.fetch_page(retrieval, ranked)
        retrieval.took["total"] = _ms(started)
        return self.respond(retrieval, ranked)

    # ------------------------------------------------------------ I/O: one round trip

    async def retrieve(self, params: SearchParams) -> Retrieval:
        meaning = interpret(params.q) if params.interpret else Interpretation(expanded_query=params.q)
        # the safety net never depends on the analysts' `interpret` switch
        safety = meaning.safety if params.interpret else recognise(params.q)
        filters, applied = merged_filters(params, meaning)
        window = max(params.window or self.tuning.window, params.from_ + params.size)
        num_candidates = max(params.num_candidates or self.tuning.num_candidates, window)
        retrieval = Retrieval(params, meaning, safety, filters, applied, window)
        types = [SearchType.PROVIDERS, SearchType.PASSAGES] if params.type is SearchType.ALL else [params.type]
        legs = {Mode.HYBRID: ("bm25", "vector"), Mode.BM25: ("bm25",), Mode.VECTOR: ("vector",)}[params.mode]

        vector: list[float] = []
        if "vector" in legs:
            t = time.perf_counter()
            vector = await self.embed_query(params.q)
            retrieval.took["embedding"] = _ms(t)
            if params.interpret and params.mode is Mode.HYBRID and SearchType.PROVIDERS in types:
                prototypes = await self.prototypes()
                retrieval.affinities = prototypes.affinities(vector, self.tuning.semantic_floor)

        engine = await self.cluster.engine()
        plans = {
            SearchType.PROVIDERS: provider_plan(params.q, meaning, filters, window, num_candidates),
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

        wants_feedback = params.interpret and params.mode is Mode.HYBRID and SearchType.PROVIDERS in types
        if wants_feedback and SearchType.PASSAGES not in types:
            # the guide answers nearest the query tell what it is about (topic feedback)
            feedback = LegPlan(params.q, [], self.tuning.topic_feedback_depth, num_candidates)
            body = passage_knn(feedback, engine.dialect, vector)
            searches.append((SearchType.PASSAGES, "feedback", body))

        t = time.perf_counter()
        lines: list[dict[str, Any]] = []
        for doc_type, _, body in searches:
            lines += [{"index": self.settings.alias_for(doc_type.value)}, with_leg_fields(doc_type.value, body)]
        answer = await self.cluster.request("POST", "/_msearch", ndjson(lines))
        retrieval.took["search"] = _ms(t)
        for (doc_type, leg, _), response in zip(searches, answer.get("responses", []), strict=True):
            _raise_for(response)
            # doc values in, the `_source` shape ranking reads out
            hits = [leg_hit(doc_type.value, hit) for hit in response["hits"]["hits"]]
            if hits:
                retrieval.indices.setdefault(doc_type, hits[0]["_index"])
            if leg == "feedback":
                retrieval.guide_neighbours = hits
                continue
            retrieval.legs.setdefault(doc_type, {})[leg] = hits
            if leg == "bm25":
                retrieval.totals[doc_type] = response["hits"]["total"]["value"]
        if wants_feedback:
            if not retrieval.guide_neighbours:
                retrieval.guide_neighbours = retrieval.legs.get(SearchType.PASSAGES, {}).get("vector", [])
            links = await self.topic_links()
            votes = topic_votes(retrieval.guide_neighbours, self.tuning.topic_feedback_depth)
            retrieval.topic_evidence = links.specialty_evidence(votes)
        return retrieval

    async def fetch_page(self, retrieval: Retrieval, ranked: dict[SearchType, list[Fused]]) -> None:
        """The page's documents in full and highlighted, in one request for the ids shown, with
        the provider facets counted over the fused list, from the index the legs answered from
        (an alias swap in between cannot change them)."""
        params = retrieval.params
        searches: list[tuple[SearchType, str, dict[str, Any]]] = []
        for doc_type, fused in ranked.items():
            ids = [e.doc_id for e in fused[params.from_ : params.from_ + params.size]]
            if ids:
                searches.append((doc_type, "page", page_body(doc_type.value, ids, params.q)))
            if doc_type is SearchType.PROVIDERS and fused:
                searches.append((doc_type, "facets", facets_body([e.doc_id for e in fused])))
        if not searches:
            return
        lines: list[dict[str, Any]] = []
        for doc_type, _, body in searches:
            index = retrieval.indices.get(doc_type) or self.settings.alias_for(doc_type.value)
            lines += [{"index": index}, body]
        t = time.perf_counter()
        answer = await self.cluster.request("POST", "/_msearch", ndjson(lines))
        retrieval.took["search"] = retrieval.took.get("search", 0.0) + _ms(t)
        for (doc_type, what, _), response in zip(searches, answer.get("responses", []), strict=True):
            _raise_for(response)
            if what == "facets":
                retrieval.facet_counts = response.get("aggregations", {})
            else:
                retrieval.page[doc_type] = {hit["_id"]: hit for hit in response["hits"]["hits"]}

    # ------------------------------------------------------------ pure: rank and shape

    def rank(self, retrieval: Retrieval, tuning: Tuning | None = None) -> dict[SearchType, list[Fused]]:
        tuning = tuning or self.tuning
        params = retrieval.params
        fusion = params.fusion.value if params.fusion else tuning.fusion
        rank_constant = params.rank_constant or tuning.rank_constant
        hybrid = params.mode is Mode.HYBRID
        ranked: dict[SearchType, list[Fused]] = {}
        for doc_type, legs in retrieval.legs.items():
            sources = retrieval.sources(doc_type)
            if doc_type is SearchType.PROVIDERS:
                weight = params.bm25_weight if params.bm25_weight is not None else tuning.provider_bm25_weight
                ranked[doc_type] = rank_providers(
                    legs,
                    sources,
                    retrieval.meaning.specialties,
                    retrieval.meaning.age_groups,
                    retrieval.affinities,
                    hybrid,
                    tuning,
                    weight,
                    retrieval.window,
                    fusion,
                    rank_constant,
                    retrieval.topic_evidence,
                    retrieval.meaning.therapy_types,
                )
            else:
                weight = params.bm25_weight if params.bm25_weight is not None else tuning.passage_bm25_weight
                ranked[doc_type] = rank_passages(
                    legs, sources, hybrid, tuning, weight, retrieval.window, fusion, rank_constant
                )
            # where there is abuse or assault the right help comes first, in every mode (docs/safety.md)
            help = help_first(retrieval.safety)
            if doc_type is SearchType.PROVIDERS:
                ranked[doc_type] = lead_with(ranked[doc_type], sources, "specialties", help.specialties)
            else:
                ranked[doc_type] = lead_with(ranked[doc_type], sources, "topics", help.passage_topics, places=1)
        return ranked

    def respond(self, retrieval: Retrieval, ranked: dict[SearchType, list[Fused]]) -> dict[str, Any]:
        params = retrieval.params
        results: dict[str, Any] = {}
        for doc_type, fused in ranked.items():
            highlights = retrieval.highlights(doc_type)
            full = {doc_id: hit["_source"] for doc_id, hit in retrieval.page.get(doc_type, {}).items()}
            # a document deleted since the legs ran has nothing to show: it is left out
            page = [e for e in fused[params.from_ : params.from_ + params.size] if e.doc_id in full]
            out: dict[str, Any] = {"total": len(fused)}
            if doc_type in retrieval.totals:
                out["total_text_matches"] = retrieval.totals[doc_type]
            if doc_type is SearchType.PROVIDERS:
                f = retrieval.filters
                origin = (f["lat"], f["lon"]) if f.get("lat") is not None else None
                out["hits"] = [
                    provider_hit(full[e.doc_id], e, highlights.get(e.doc_id, {}), origin, params.explain) for e in page
                ]
                out["facets"] = provider_facets(retrieval.facet_counts)
            else:
                out["hits"] = [
                    passage_hit(full[e.doc_id], e, highlights.get(e.doc_id, {}), params.explain) for e in page
                ]
            results[doc_type.value] = out
        meaning = retrieval.meaning
        interpreted: dict[str, Any] = {**asdict(replace(meaning, matched_terms=[])), "applied": retrieval.applied}
        interpreted.pop("safety", None)  # said in `crisis`
        interpreted["matched_terms"] = [{"text": a, "meaning": b} for a, b in meaning.matched_terms]
        if params.explain and retrieval.affinities:
            interpreted["semantic_specialties"] = {
                k: round(v, 4) for k, v in sorted(retrieval.affinities.items(), key=lambda x: -x[1])[:5]
            }
        if params.explain and retrieval.topic_evidence:
            interpreted["guide_topic_specialties"] = {
                k: round(v, 4) for k, v in sorted(retrieval.topic_evidence.items(), key=lambda x: -x[1])[:5]
            }
        return {
            "query": params.q,
            "mode": params.mode.value,
            "interpreted": interpreted,
            "crisis": safety_block(retrieval.safety),
            **results,
            "took_ms": {k: round(v, 2) for k, v in retrieval.took.items()},
        }

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


def _raise_for(response: dict[str, Any]) -> None:
    """One response of an `_msearch`: an error becomes the exception the app maps to a status."""
    if "error" not in response:
        return
    if response.get("status") == 404:  # no such index: not the caller's fault (503 index_missing)
        raise EngineError(404, response["error"])
    if response.get("status") in (429, 502, 503, 504):  # shards starting, or overloaded: a 503
        raise EngineUnavailable(_reason(response["error"]))
    raise SearchFailed(_reason(response["error"]))


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        root = (error.get("root_cause") or [error])[0]
        return f"{root.get('type')}: {root.get('reason')}"[:300]
    return str(error)[:300]


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
