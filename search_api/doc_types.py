"""One object per document type: what its legs send, what they bring back, how its results are
ranked, led and shaped. The search path asks the type instead of branching on it; a new type
(a third index) is one more class here.

Each object only puts together pure pieces: bodies from query_bodies, parsing from
engine_answers, ranking from ranking, hits from shaping.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from core.engines import Dialect
from core.settings import Settings
from search_api import engine_answers, query_bodies
from search_api.fusion import Fused
from search_api.interpret import Interpretation
from search_api.leg_fields import PASSAGE_LEG_FIELDS, PROVIDER_LEG_FIELDS
from search_api.params import SearchType, Sort
from search_api.practical import most_conditions_first, sorted_by
from search_api.query_bodies import LegPlan
from search_api.query_text import QueryText
from search_api.ranking import RankInputs, lead_with, rank_passages, rank_providers
from search_api.safety import HelpFirst
from search_api.shaping import passage_hit, provider_hit
from search_api.tuning import Tuning


class DocType(ABC):
    kind: ClassVar[SearchType]
    leg_fields: ClassVar[Mapping[str, str]]
    counts_facets: ClassVar[bool] = False

    @property
    def name(self) -> str:
        return self.kind.value

    def alias(self, settings: Settings) -> str:
        return settings.alias_for(self.name)

    # ---- the legs

    @abstractmethod
    def leg_plan(
        self, query: QueryText, meaning: Interpretation, filters: Mapping[str, Any], window: int, num_candidates: int
    ) -> LegPlan: ...

    @abstractmethod
    def bm25(self, plan: LegPlan) -> dict[str, Any]: ...

    def knn(self, plan: LegPlan, dialect: Dialect, vector: list[float]) -> dict[str, Any]:
        return query_bodies.knn_leg(plan, dialect, vector)

    def leg_request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A leg's body as sent: asking for the doc values ranking reads instead of `_source`."""
        return query_bodies.with_leg_fields(body, self.leg_fields)

    @abstractmethod
    def leg_hit(self, hit: Mapping[str, Any]) -> dict[str, Any]: ...

    # ---- ranking

    @abstractmethod
    def bm25_weight(self, tuning: Tuning) -> float: ...

    @abstractmethod
    def rank(self, inputs: RankInputs, tuning: Tuning) -> list[Fused]: ...

    def arrange(
        self,
        fused: list[Fused],
        sources: Mapping[str, Mapping[str, Any]],
        relaxed: Mapping[str, Any],
        sort: Sort,
        inputs: RankInputs,
    ) -> list[Fused]:
        """The ranked list in the order asked for: the most conditions met first where they
        were relaxed, then an explicit sort. Only providers have either."""
        return fused

    def browse(self, plan: LegPlan, sort: Sort, filters: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError(f"{self.name} cannot be browsed without a query")

    @abstractmethod
    def lead(self, fused: list[Fused], sources: Mapping[str, Mapping[str, Any]], help: HelpFirst) -> list[Fused]:
        """Where the query signals abuse or assault, the right help first (docs/safety.md)."""

    # ---- the page

    @abstractmethod
    def highlight(self, text: str) -> dict[str, Any]: ...

    def page_body(self, ids: list[str], text: str) -> dict[str, Any]:
        return query_bodies.page_body(ids, self.highlight(text))

    @abstractmethod
    def hit(
        self,
        source: Mapping[str, Any],
        entry: Fused,
        highlights: Mapping[str, list[str]],
        filters: Mapping[str, Any],
        explain: bool,
    ) -> dict[str, Any]: ...


class Providers(DocType):
    kind = SearchType.PROVIDERS
    leg_fields = PROVIDER_LEG_FIELDS
    counts_facets = True

    def leg_plan(
        self, query: QueryText, meaning: Interpretation, filters: Mapping[str, Any], window: int, num_candidates: int
    ) -> LegPlan:
        """The merged filter values as engine clauses; the specialties and ages the query names
        as boosts."""
        return LegPlan(
            query,
            query_bodies.provider_filters(dict(filters)),
            window,
            num_candidates,
            boost_specialties=meaning.specialties,
            boost_ages=meaning.age_groups,
        )

    def bm25(self, plan: LegPlan) -> dict[str, Any]:
        return query_bodies.provider_bm25(plan)

    def leg_hit(self, hit: Mapping[str, Any]) -> dict[str, Any]:
        return engine_answers.leg_hit(hit, engine_answers.provider_leg_source)

    def bm25_weight(self, tuning: Tuning) -> float:
        return tuning.provider_bm25_weight

    def rank(self, inputs: RankInputs, tuning: Tuning) -> list[Fused]:
        return rank_providers(inputs, tuning)

    def arrange(
        self,
        fused: list[Fused],
        sources: Mapping[str, Mapping[str, Any]],
        relaxed: Mapping[str, Any],
        sort: Sort,
        inputs: RankInputs,
    ) -> list[Fused]:
        if relaxed:
            fused = most_conditions_first(fused, sources, relaxed)
        return sorted_by(fused, sources, sort, inputs.filters, inputs.today)

    def browse(self, plan: LegPlan, sort: Sort, filters: Mapping[str, Any]) -> dict[str, Any]:
        return query_bodies.browse_leg(plan, query_bodies.browse_sort(sort, filters))

    def lead(self, fused: list[Fused], sources: Mapping[str, Mapping[str, Any]], help: HelpFirst) -> list[Fused]:
        return lead_with(fused, sources, "specialties", help.specialties)  # every specialist

    def highlight(self, text: str) -> dict[str, Any]:
        return query_bodies.provider_highlight(text)

    def hit(
        self,
        source: Mapping[str, Any],
        entry: Fused,
        highlights: Mapping[str, list[str]],
        filters: Mapping[str, Any],
        explain: bool,
    ) -> dict[str, Any]:
        origin = (filters["lat"], filters["lon"]) if filters.get("lat") is not None else None
        return provider_hit(source, entry, highlights, origin, explain)


class Passages(DocType):
    kind = SearchType.PASSAGES
    leg_fields = PASSAGE_LEG_FIELDS

    def leg_plan(
        self, query: QueryText, meaning: Interpretation, filters: Mapping[str, Any], window: int, num_candidates: int
    ) -> LegPlan:
        return LegPlan(query, [], window, num_candidates)  # the guides have no filters of their own

    def bm25(self, plan: LegPlan) -> dict[str, Any]:
        return query_bodies.passage_bm25(plan)

    def leg_hit(self, hit: Mapping[str, Any]) -> dict[str, Any]:
        return engine_answers.leg_hit(hit, engine_answers.passage_leg_source)

    def bm25_weight(self, tuning: Tuning) -> float:
        return tuning.passage_bm25_weight

    def rank(self, inputs: RankInputs, tuning: Tuning) -> list[Fused]:
        return rank_passages(inputs, tuning)

    def lead(self, fused: list[Fused], sources: Mapping[str, Mapping[str, Any]], help: HelpFirst) -> list[Fused]:
        # one place only: the answer to the exact question asked must stay on the page
        return lead_with(fused, sources, "topics", help.passage_topics, places=1)

    def highlight(self, text: str) -> dict[str, Any]:
        return query_bodies.passage_highlight(text)

    def hit(
        self,
        source: Mapping[str, Any],
        entry: Fused,
        highlights: Mapping[str, list[str]],
        filters: Mapping[str, Any],
        explain: bool,
    ) -> dict[str, Any]:
        return passage_hit(source, entry, highlights, explain)


PROVIDERS = Providers()
PASSAGES = Passages()
BY_KIND: Mapping[SearchType, DocType] = {PROVIDERS.kind: PROVIDERS, PASSAGES.kind: PASSAGES}


def doc_types_for(kind: SearchType) -> Sequence[DocType]:
    """The types a request's `type` asks for, in the order the answer lists them."""
    return (PROVIDERS, PASSAGES) if kind is SearchType.ALL else (BY_KIND[kind],)
