"""Planning a search, before any I/O: read the query once, understand it, merge the filters,
size the window, choose the types and legs. The API, the bench and the relevance tools all
plan through `plan`, so what they measure is what users get."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from core.lay_terms import lay_expansion
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
BROWSE = ("browse",)  # no query: the filters alone, in the sort's order


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
    legs: tuple[str, ...]  # "bm25", "vector", or "browse"
    today: date
    # the conditions read from the words (not given as parameters): filters unless relaxed,
    # when no provider meets them all and they only order the list (most conditions met first)
    text_conditions: Mapping[str, Any] = field(default_factory=dict)
    relaxed: bool = False
    search_text: QueryText | None = None  # the words the BM25 legs search: the query less its conditions

    @property
    def needs_vector(self) -> bool:
        return "vector" in self.legs

    @property
    def understands(self) -> bool:
        """The understanding that needs the query vector (semantic specialties and the guide
        topics of the nearest answers): hybrid provider searches with `interpret` on."""
        hybrid = self.params.mode is Mode.HYBRID and not self.browsing
        return self.params.interpret and hybrid and PROVIDERS in self.doc_types

    @property
    def needs_feedback_leg(self) -> bool:
        """The nearest guide answers are fetched on their own only when no passage leg brings them."""
        return self.understands and PASSAGES not in self.doc_types

    @property
    def browsing(self) -> bool:
        return self.legs == BROWSE

    def leg_plan(self, doc_type: DocType, *, lay_terms_in_query: bool = False) -> LegPlan:
        """With `lay_terms_in_query` (an index without the synonym graph: the reduced
        analysis), the lay-term synonyms go into the query text."""
        text = self.search_text or self.query
        leg = doc_type.leg_plan(text, self.meaning, self.filters, self.window, self.num_candidates)
        return replace(leg, lay_terms=tuple(lay_expansion(text.normalized))) if lay_terms_in_query else leg

    def relax(self) -> SearchPlan:
        """The same search with the conditions read from the words no longer filtering."""
        kept = {k: v for k, v in self.filters.items() if k not in self.text_conditions}
        applied = {
            k: (
                "relaxed: no provider meets them all"
                if v == "filter" and _condition_key(k) in self.text_conditions
                else v
            )
            for k, v in self.applied.items()
        }
        return replace(self, filters=kept, applied=applied, relaxed=True)


def plan(params: SearchParams, tuning: Tuning, today: date | None = None) -> SearchPlan:
    today = today or date.today()
    query = QueryText.of(params.q or "")
    understood = params.interpret and not params.browsing
    meaning = interpret(query, today) if understood else Interpretation()
    # the safety net never depends on the analysts' `interpret` switch
    safety = meaning.safety if understood else recognise(query)
    filters, applied = merged_filters(params, meaning, today)
    text_conditions = {
        k: filters[k] for k in conditions_as_filters(meaning) if k in filters and k not in params.explicit_filters()
    }
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
        (PROVIDERS,) if params.browsing else doc_types_for(params.type),
        BROWSE if params.browsing else LEGS[params.mode],
        today,
        text_conditions,
        search_text=_without_conditions(query, meaning),
    )


def conditions_as_filters(meaning: Interpretation) -> dict[str, Any]:
    """The practical conditions read from the words, as filter values."""
    c = meaning.conditions
    values: dict[str, Any] = {
        "language": list(c.languages),
        "insurance": list(c.insurance),
        "gender": list(c.genders),
        "faith": list(c.faiths),
        "max_fee": c.max_fee,
        "sliding_scale": True if c.sliding_scale else None,
        "accepting": True if c.accepting else None,
        "available_by": c.available_by,
        "in_person": True if meaning.in_person else None,
    }
    return {k: v for k, v in values.items() if v not in (None, [])}


def _condition_key(applied_key: str) -> str:
    return applied_key.split(":", 1)[0]


def _without_conditions(query: QueryText, meaning: Interpretation) -> QueryText | None:
    """The query less the words that only state a condition or a place ("spanish speaking",
    "in person", "in oakland"), for the BM25 legs; None when there are none."""
    spans = meaning.conditions.spans
    if not spans:
        return None
    chars = list(query.typed)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    text = " ".join("".join(chars).split())
    return QueryText.of(text) if text else None


def merged_filters(
    params: SearchParams, meaning: Interpretation, today: date | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Explicit filters win; understood place, modality and conditions fill in only what was not
    given. Returns the filters and, for `interpreted`, how each understood cue was applied."""
    filters = params.explicit_filters()
    within = filters.pop("available_within_days", None)
    if within is not None:
        filters["available_by"] = ((today or date.today()) + timedelta(days=within)).isoformat()
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
    for key, value in conditions_as_filters(meaning).items():
        if key in filters:
            continue  # an explicit filter of the same kind wins
        filters[key] = value
        for one in value if isinstance(value, list) else [value]:
            applied[key if one is True else f"{key}:{one}"] = "filter"
    return filters, applied
