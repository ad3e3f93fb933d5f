"""Planning a search, before any I/O: read the query once, understand it, merge the filters,
size the window, choose the types and legs. The API, the bench and the relevance tools all
plan through `plan`, so what they measure is what users get."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search_api.doc_types import PASSAGES, PROVIDERS, DocType, doc_types_for
from search_api.interpret import Interpretation, interpret
from search_api.params import Mode, SearchParams
from search_api.query_bodies import LegPlan
from search_api.query_text import QueryText
from search_api.safety import Recognition, help_first, recognise
from search_api.tuning import Tuning

LEGS: Mapping[Mode, tuple[str, ...]] = {
    Mode.HYBRID: ("bm25", "vector"),
    Mode.BM25: ("bm25",),
    Mode.VECTOR: ("vector",),
}


@dataclass(frozen=True)
class SearchPlan:
    params: SearchParams
    query: QueryText
    meaning: Interpretation
    safety: Recognition
    filters: dict[str, Any]  # explicit filters, with what was understood filling the gaps
    applied: dict[str, str]  # for `interpreted`: how each understood cue was applied
    window: int  # how many hits each leg brings back, and the fused list's length at most
    num_candidates: int
    doc_types: Sequence[DocType]
    legs: tuple[str, ...]  # "bm25", "vector"

    @property
    def needs_vector(self) -> bool:
        return "vector" in self.legs

    @property
    def understands(self) -> bool:
        """The understanding that needs the query vector (semantic specialties and the guide
        topics of the nearest answers): hybrid provider searches with `interpret` on."""
        return self.params.interpret and self.params.mode is Mode.HYBRID and PROVIDERS in self.doc_types

    @property
    def needs_feedback_leg(self) -> bool:
        """The nearest guide answers are fetched on their own only when no passage leg brings them."""
        return self.understands and PASSAGES not in self.doc_types

    def leg_plan(self, doc_type: DocType) -> LegPlan:
        return doc_type.leg_plan(self.query, self.meaning, self.filters, self.window, self.num_candidates)


def plan(params: SearchParams, tuning: Tuning) -> SearchPlan:
    query = QueryText.of(params.q)
    meaning = interpret(query) if params.interpret else Interpretation()
    # the safety net never depends on the analysts' `interpret` switch
    safety = meaning.safety if params.interpret else recognise(query)
    filters, applied = merged_filters(params, meaning)
    window = max(params.window or tuning.window, params.from_ + params.size)
    num_candidates = max(params.num_candidates or tuning.num_candidates, window)
    return SearchPlan(
        params,
        query,
        meaning,
        safety,
        filters,
        applied,
        window,
        num_candidates,
        doc_types_for(params.type),
        LEGS[params.mode],
    )


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
    for name in meaning.age_groups:
        applied[f"age_group:{name}"] = "boost"
    for name in help_first(meaning.safety).specialties:
        applied[f"specialty:{name}"] = "first"  # where there is abuse or assault, its specialists lead
    return filters, applied
