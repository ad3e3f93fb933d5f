"""One search function for every caller (page, services, analysts): plan, embed, one
`_msearch` round trip for all legs, rank, then one more for the page, shape.

`plan` (search_api/plan.py) and `rank` are pure; `retrieve` and `fetch_page` only embed, send
and parse. So the analysts' sweep can re-rank saved legs under other tunings and measure
exactly what users would get.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from core.embedder import Embedder
from core.engines import EngineError, ndjson
from core.settings import Settings
from search_api.cluster import Cluster
from search_api.doc_types import BY_KIND, PASSAGES, DocType
from search_api.embedding_queue import BoundedSlots
from search_api.engine_answers import raise_for
from search_api.fusion import Fused
from search_api.labels import specialty_labels
from search_api.params import Mode, SearchParams, SearchType
from search_api.plan import SearchPlan, plan
from search_api.query_bodies import facets_body
from search_api.ranking import Hits, RankInputs, topic_votes
from search_api.safety import help_first, safety_block
from search_api.semantic import SpecialtyPrototypes, TopicLinks
from search_api.shaping import provider_facets
from search_api.topicality import on_topic, spelling_suggestion
from search_api.tuning import DEFAULT_TUNING, Tuning

Search = tuple[DocType, str, dict[str, Any]]  # a document type, the leg (or "page", "facets"), its body


@dataclass
class Retrieval:
    """Everything the engine returned for one request, before ranking."""

    plan: SearchPlan
    legs: dict[SearchType, dict[str, Hits]] = field(default_factory=dict)
    totals: dict[SearchType, int] = field(default_factory=dict)
    affinities: dict[str, float] = field(default_factory=dict)
    guide_neighbours: Hits = field(default_factory=list)  # nearest guide answers, for topic feedback
    topic_evidence: dict[str, float] = field(default_factory=dict)
    took: dict[str, float] = field(default_factory=dict)
    indices: dict[SearchType, str] = field(default_factory=dict)  # the concrete index each type came from
    page: dict[SearchType, dict[str, dict[str, Any]]] = field(default_factory=dict)  # the page's documents in full
    facet_counts: dict[str, Any] = field(default_factory=dict)  # the engine's counts over the fused providers
    off_topic: bool = False  # about nothing the directory or its guides can help with: nothing is offered

    @property
    def params(self) -> SearchParams:
        return self.plan.params

    @property
    def window(self) -> int:
        return self.plan.window

    def sources(self, kind: SearchType) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for hits in self.legs.get(kind, {}).values():
            for hit in hits:
                found.setdefault(hit["_id"], hit["_source"])
        return found

    def highlights(self, kind: SearchType) -> dict[str, dict[str, list[str]]]:
        return {doc_id: hit.get("highlight", {}) for doc_id, hit in self.page.get(kind, {}).items()}


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
        searching = plan(params, self.tuning, self.settings.current_date())
        retrieval = Retrieval(searching)
        vector: list[float] = []
        if searching.needs_vector:
            t = time.perf_counter()
            vector = await self.embed_query(searching.query.typed)
            retrieval.took["embedding"] = _ms(t)
            if searching.understands:
                prototypes = await self.prototypes()
                retrieval.affinities = prototypes.affinities(vector, self.tuning.semantic_floor)
        await self._search_legs(retrieval, vector)
        if searching.text_conditions and not any(retrieval.legs.get(SearchType.PROVIDERS, {}).values()):
            # no provider meets every condition the words stated: they order the list instead
            relaxed = Retrieval(searching.relax(), affinities=retrieval.affinities, took=retrieval.took)
            await self._search_legs(relaxed, vector)
            retrieval = relaxed
        retrieval.off_topic = self._off_topic(retrieval)
        if searching.understands:
            if not retrieval.guide_neighbours:
                retrieval.guide_neighbours = retrieval.legs.get(SearchType.PASSAGES, {}).get("vector", [])
            links = await self.topic_links()
            votes = topic_votes(retrieval.guide_neighbours, self.tuning.topic_feedback_depth)
            retrieval.topic_evidence = links.specialty_evidence(votes)
        return retrieval

    def _off_topic(self, retrieval: Retrieval) -> bool:
        """Judged by the nearest guide answer (its own leg, or the topic feedback's); not judged
        when browsing, with explicit need filters, or without a passage vector to judge by."""
        searching = retrieval.plan
        given = searching.params.explicit_filters()
        if searching.browsing or any(k in given for k in ("specialty", "age_group", "therapy_type")):
            return False
        nearest = retrieval.legs.get(SearchType.PASSAGES, {}).get("vector") or retrieval.guide_neighbours
        if not nearest:
            return False
        score = max(float(h["_score"] or 0.0) for h in nearest)
        return not on_topic(searching.meaning, searching.query, score, self.tuning.topicality_floor)

    async def _search_legs(self, retrieval: Retrieval, vector: list[float]) -> None:
        """Every leg of every type the plan asks for, in one `_msearch`."""
        searching = retrieval.plan
        engine = await self.cluster.engine()
        # a cluster without analysis-common has the reduced indices: no synonym graph in them
        query_side = not engine.info.analysis_common
        searches: list[Search] = []
        for doc_type in searching.doc_types:
            leg_plan = searching.leg_plan(doc_type, lay_terms_in_query=query_side)
            if searching.browsing:
                searches.append(
                    (doc_type, "browse", doc_type.browse(leg_plan, searching.params.sort, searching.filters))
                )
            if "bm25" in searching.legs:
                searches.append((doc_type, "bm25", doc_type.bm25(leg_plan)))
            if "vector" in searching.legs:
                searches.append((doc_type, "vector", doc_type.knn(leg_plan, engine.dialect, vector)))
        if searching.needs_feedback_leg:
            # the guide answers nearest the query tell what it is about (topic feedback)
            depth = self.tuning.topic_feedback_depth
            feedback = replace(searching.leg_plan(PASSAGES), window=depth)
            searches.append((PASSAGES, "feedback", PASSAGES.knn(feedback, engine.dialect, vector)))

        t = time.perf_counter()
        lines: list[dict[str, Any]] = []
        for doc_type, _, request in searches:
            lines += [{"index": doc_type.alias(self.settings)}, doc_type.leg_request(request)]
        answer = await self.cluster.request("POST", "/_msearch", ndjson(lines))
        retrieval.took["search"] = retrieval.took.get("search", 0.0) + _ms(t)
        for (doc_type, leg, _), response in zip(searches, answer.get("responses", []), strict=True):
            raise_for(response)
            # doc values in, the `_source` shape ranking reads out
            hits = [doc_type.leg_hit(hit) for hit in response["hits"]["hits"]]
            if hits:
                retrieval.indices.setdefault(doc_type.kind, hits[0]["_index"])
            if leg == "feedback":
                retrieval.guide_neighbours = hits
                continue
            retrieval.legs.setdefault(doc_type.kind, {})[leg] = hits
            if leg in ("bm25", "browse"):
                retrieval.totals[doc_type.kind] = response["hits"]["total"]["value"]

    async def fetch_page(self, retrieval: Retrieval, ranked: dict[SearchType, list[Fused]]) -> None:
        """The page's documents in full and highlighted, in one request for the ids shown, with
        the provider facets counted over the fused list, from the index the legs answered from
        (an alias swap in between cannot change them)."""
        params = retrieval.params
        searches: list[Search] = []
        for kind, fused in ranked.items():
            doc_type = BY_KIND[kind]
            ids = [e.doc_id for e in fused[params.from_ : params.from_ + params.size]]
            if ids:
                searches.append((doc_type, "page", doc_type.page_body(ids, retrieval.plan.query.typed)))
            if doc_type.counts_facets and fused:
                searches.append((doc_type, "facets", facets_body([e.doc_id for e in fused], retrieval.plan.today)))
        if not searches:
            return
        lines: list[dict[str, Any]] = []
        for doc_type, _, request in searches:
            index = retrieval.indices.get(doc_type.kind) or doc_type.alias(self.settings)
            lines += [{"index": index}, request]
        t = time.perf_counter()
        answer = await self.cluster.request("POST", "/_msearch", ndjson(lines))
        retrieval.took["search"] = retrieval.took.get("search", 0.0) + _ms(t)
        for (doc_type, what, _), response in zip(searches, answer.get("responses", []), strict=True):
            raise_for(response)
            if what == "facets":
                retrieval.facet_counts = response.get("aggregations", {})
            else:
                retrieval.page[doc_type.kind] = {hit["_id"]: hit for hit in response["hits"]["hits"]}

    # ------------------------------------------------------------ pure: rank and shape

    def rank(self, retrieval: Retrieval, tuning: Tuning | None = None) -> dict[SearchType, list[Fused]]:
        tuning = tuning or self.tuning
        searching = retrieval.plan
        params = searching.params
        meaning = searching.meaning
        help = help_first(searching.safety)
        ranked: dict[SearchType, list[Fused]] = {}
        if retrieval.off_topic:  # nothing is offered as if it matched
            return {kind: [] for kind in retrieval.legs}
        for kind, legs in retrieval.legs.items():
            doc_type = BY_KIND[kind]
            sources = retrieval.sources(kind)
            inputs = RankInputs(
                legs,
                sources,
                hybrid=params.mode is Mode.HYBRID and not searching.browsing,  # browsing keeps the sort's order
                bm25_weight=params.bm25_weight if params.bm25_weight is not None else doc_type.bm25_weight(tuning),
                window=searching.window,
                fusion=params.fusion.value if params.fusion else tuning.fusion,
                rank_constant=params.rank_constant or tuning.rank_constant,
                specialties=meaning.specialties,
                ages=meaning.age_groups,
                therapy_types=meaning.therapy_types,
                affinities=retrieval.affinities,
                topic_evidence=retrieval.topic_evidence,
                filters=searching.filters,
                today=searching.today,
            )
            relaxed = searching.text_conditions if searching.relaxed else {}
            fused = doc_type.arrange(doc_type.rank(inputs, tuning), sources, relaxed, params.sort, inputs)
            # where there is abuse or assault the right help comes first, in every mode (docs/safety.md)
            ranked[kind] = doc_type.lead(fused, sources, help)
        return ranked

    def respond(self, retrieval: Retrieval, ranked: dict[SearchType, list[Fused]]) -> dict[str, Any]:
        searching = retrieval.plan
        params = searching.params
        results: dict[str, Any] = {}
        for kind, fused in ranked.items():
            doc_type = BY_KIND[kind]
            highlights = retrieval.highlights(kind)
            full = {doc_id: hit["_source"] for doc_id, hit in retrieval.page.get(kind, {}).items()}
            # a document deleted since the legs ran has nothing to show: it is left out
            page = [e for e in fused[params.from_ : params.from_ + params.size] if e.doc_id in full]
            out: dict[str, Any] = {"total": len(fused)}
            if kind in retrieval.totals:
                out["total_text_matches"] = retrieval.totals[kind]
            out["hits"] = [
                doc_type.hit(full[e.doc_id], e, highlights.get(e.doc_id, {}), searching.filters, params.explain)
                for e in page
            ]
            if doc_type.counts_facets:
                out["facets"] = provider_facets(retrieval.facet_counts)
            results[kind.value] = out
        if searching.browsing and params.type is SearchType.ALL:
            results["passages"] = {"total": 0, "hits": []}  # guide answers need words to match
        meaning = searching.meaning
        interpreted: dict[str, Any] = {**asdict(replace(meaning, matched_terms=[])), "applied": searching.applied}
        interpreted.pop("safety", None)  # said in `crisis`
        interpreted["matched_terms"] = [{"text": a, "meaning": b} for a, b in meaning.matched_terms]
        interpreted["specialty_labels"] = specialty_labels(meaning.specialties)  # for the chips
        if params.explain and retrieval.affinities:
            interpreted["semantic_specialties"] = {
                k: round(v, 4) for k, v in sorted(retrieval.affinities.items(), key=lambda x: -x[1])[:5]
            }
        if params.explain and retrieval.topic_evidence:
            interpreted["guide_topic_specialties"] = {
                k: round(v, 4) for k, v in sorted(retrieval.topic_evidence.items(), key=lambda x: -x[1])[:5]
            }
        interpreted["conditions"] = {
            **meaning.conditions.as_dict(),
            "in_person": meaning.in_person,
            # the same opening as the available_within_days parameter would ask for it
            "available_within_days": meaning.conditions.days_from(searching.today),
        }
        if searching.relaxed:
            interpreted["relaxed"] = sorted(searching.text_conditions)
        return {
            "query": params.q,
            "mode": params.mode.value,
            "interpreted": interpreted,
            "off_topic": retrieval.off_topic,
            "suggestion": spelling_suggestion(searching.query) if retrieval.off_topic else None,
            "crisis": safety_block(searching.safety),
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


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
