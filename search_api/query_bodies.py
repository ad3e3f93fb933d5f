"""Search request bodies as pure functions: filters, the BM25 and kNN legs, highlights, the
page and its facets. The answers are read in engine_answers; which body each document type
uses is said in doc_types.

Both legs get exactly the same filters; on the kNN leg they go inside the kNN clause
(pre-filtering) so that kNN never comes back short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from core.engines import Dialect, knn_body
from core.geo import canonical_state
from core.taxonomy import age_groups, specialties
from search_api.leg_fields import DOC_VALUE_FORMATS, ID_FIELD
from search_api.params import Sort
from search_api.query_text import QueryText

SOURCE_EXCLUDES = ["embedding", "content_hash"]
# facet name -> the keyword field counted; and the yes/no facets, counted where true
FACET_FIELDS = {
    "specialties": "specialties.keyword",
    "credentials": "credentials.keyword",
    "languages": "languages",
    "insurance": "insurance",
    "ages_served": "ages_served",
    "therapy_types": "therapy_types.keyword",
    "state": "state.raw",
}
FACET_FIELDS.update({"gender": "gender", "faith": "faith"})
FACET_FLAGS = ("remote_only", "telehealth", "accepting_new_clients", "sliding_scale")
FACET_TOP = 15
# the cost facet's choices, counted by the same rule as the max_fee filter (at most this fee, or
# a sliding scale), so a choice's count is what choosing it returns; and the openings within n days
FEE_CAPS = (("80", "Up to $80 a session"), ("120", "Up to $120 a session"), ("160", "Up to $160 a session"))
OPENING_BANDS = (("7", "This week"), ("14", "Within 2 weeks"), ("31", "Within a month"))
TYPO_BOOST = 0.3
PROVIDER_FIELDS = ["primary_specialties^3", "specialties^2", "therapy_types^1.5", "bio", "name^0.5", "credentials^0.5"]
PASSAGE_FIELDS = ["title^2", "text", "guide.text^0.5"]


@dataclass(frozen=True)
class LegPlan:
    """What both legs of one index search share."""

    query: QueryText
    filters: list[dict[str, Any]]
    window: int
    num_candidates: int
    boost_specialties: list[str] = field(default_factory=list)
    boost_ages: list[str] = field(default_factory=list)
    # the lay-term synonyms, added to the query where the index has no synonym graph (the
    # reduced analysis: core/lay_terms.lay_expansion); empty where the index expands itself
    lay_terms: tuple[str, ...] = ()

    @property
    def expanded_text(self) -> str:
        return " ".join([self.query.typed, *self.lay_terms])


# ------------------------------------------------------------------ filters


def provider_filters(f: dict[str, Any]) -> list[dict[str, Any]]:
    """Engine filter clauses from filter values (explicit ones merged with interpreted)."""
    clauses: list[dict[str, Any]] = []
    if f.get("state"):
        clauses.append({"term": {"state": canonical_state(f["state"]) or f["state"]}})
    if f.get("city"):
        clauses.append({"term": {"city": f["city"]}})
    if f.get("zip"):
        clauses.append({"term": {"zip": f["zip"]}})
    if f.get("lat") is not None and f.get("radius_km"):
        clauses.append(
            {"geo_distance": {"distance": f"{f['radius_km']}km", "location": {"lat": f["lat"], "lon": f["lon"]}}}
        )
    if f.get("remote") is True:
        clauses.append(
            {
                "bool": {
                    "should": [{"term": {"remote_only": True}}, {"term": {"telehealth": True}}],
                    "minimum_should_match": 1,
                }
            }
        )
    elif f.get("remote") is False:
        clauses.append({"term": {"remote_only": False}})
    if f.get("telehealth") is not None:
        clauses.append({"term": {"telehealth": f["telehealth"]}})
    if f.get("accepting") is not None:
        clauses.append({"term": {"accepting_new_clients": f["accepting"]}})
    if f.get("in_person") is True:  # an office to visit: an address, and not remote only
        clauses.append({"bool": {"filter": [{"term": {"remote_only": False}}, {"exists": {"field": "city"}}]}})
    elif f.get("in_person") is False:
        clauses.append({"term": {"remote_only": True}})
    if f.get("sliding_scale") is not None:
        clauses.append({"term": {"sliding_scale": f["sliding_scale"]}})
    if f.get("max_fee") is not None:
        clauses.append(_at_most(f["max_fee"]))
    if f.get("available_by"):
        clauses.append({"range": {"next_available": {"lte": f["available_by"]}}})
    lists: dict[str, tuple[str, Callable[[str], str]]] = {
        "specialty": ("specialties.keyword", specialties().canonicalize),
        "credential": ("credentials.keyword", str.strip),
        "language": ("languages", str.strip),
        "insurance": ("insurance", str.strip),
        "age_group": ("ages_served", age_groups().canonicalize),
        "therapy_type": ("therapy_types.keyword", str.strip),
        "gender": ("gender", _gender),
        "faith": ("faith", str.strip),
    }
    for param, (field_name, canonical) in lists.items():
        values = f.get(param) or []
        if values:
            # several values of one filter: any of them (OR); different filters: all (AND)
            clauses.append({"terms": {field_name: sorted({canonical(v) for v in values})}})
    return clauses


def _at_most(fee: int) -> dict[str, Any]:
    """A session at most this many dollars; a sliding scale qualifies whatever the full fee."""
    within = {"range": {"session_fee_min": {"lte": fee}}}
    return {"bool": {"should": [within, {"term": {"sliding_scale": True}}], "minimum_should_match": 1}}


def _gender(value: str) -> str:
    """As the records write it: Female, Male, Non-binary."""
    folded = value.strip().lower().replace(" ", "-")
    return {"female": "Female", "male": "Male", "non-binary": "Non-binary", "nonbinary": "Non-binary"}.get(
        folded, value.strip()
    )


def typo_tolerant(query: QueryText, fields: list[str], exact_text: str | None = None) -> list[dict[str, Any]]:
    """Weak clauses for the words as typed, without the lay-term synonyms (fuzziness and
    synonym graphs do not mix): every word exactly (of `exact_text` when given), and the words no
    dictionary knows (search_api/typos.py) within an edit or two. Fuzzy expansion of words
    spelled right cost half of the provider BM25 leg at 100,000 providers and found nothing the
    exact clause does not."""
    clause = {"query": query.typed, "fields": fields, "analyzer": "english_index", "boost": TYPO_BOOST}
    exact = query.typed if exact_text is None else exact_text
    clauses: list[dict[str, Any]] = [{"multi_match": {**clause, "query": exact}}] if exact.strip() else []
    if query.unknown_words:
        fuzzy = {**clause, "query": " ".join(query.unknown_words), "fuzziness": "AUTO", "prefix_length": 1}
        clauses.append({"multi_match": fuzzy})
    return clauses


# ------------------------------------------------------------------ providers


def provider_bm25(plan: LegPlan) -> dict[str, Any]:
    # the exact weak clause without the filler words ("i", "my", "how"...), which match nearly
    # every bio: 4 of the leg's 10 ms at 100,000 providers. (The small guide index keeps them:
    # there "my" still tells "my teen" questions apart.)
    fields = ["specialties", "therapy_types", "bio", "name"]
    should = typo_tolerant(plan.query, fields, exact_text=plan.query.without_filler)
    if plan.boost_specialties:
        should.append({"terms": {"primary_specialties.keyword": plan.boost_specialties, "boost": 3.0}})
        should.append({"terms": {"specialties.keyword": plan.boost_specialties, "boost": 1.5}})
    if plan.boost_ages:
        should.append({"terms": {"ages_served": plan.boost_ages, "boost": 1.0}})
    return {
        "size": plan.window,
        "track_total_hits": True,
        "_source": False,  # see with_leg_fields
        "query": {
            "bool": {
                "should": [
                    {"multi_match": {"query": plan.expanded_text, "fields": PROVIDER_FIELDS, "type": "most_fields"}},
                    *should,
                ],
                "minimum_should_match": 1,
                "filter": plan.filters,
            }
        },
    }


def provider_highlight(text: str) -> dict[str, Any]:
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {"bio": {"fragment_size": 160, "number_of_fragments": 1}, "specialties": {"number_of_fragments": 0}},
        "highlight_query": {"multi_match": {"query": text, "fields": ["bio", "specialties"]}},
    }


def knn_leg(plan: LegPlan, dialect: Dialect, vector: list[float]) -> dict[str, Any]:
    """The kNN leg of either index: the same shape, the filters inside the kNN clause."""
    return {
        "size": plan.window,
        "_source": False,  # see with_leg_fields
        **knn_body(dialect, "embedding", vector, plan.window, plan.num_candidates, plan.filters),
    }


# ------------------------------------------------------------------ passages


def passage_highlight(text: str) -> dict[str, Any]:
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {
            "text": {"fragment_size": 200, "number_of_fragments": 1, "no_match_size": 200},
            "title": {"number_of_fragments": 0},
        },
        "highlight_query": {"multi_match": {"query": text, "fields": ["title", "text"]}},
    }


def passage_bm25(plan: LegPlan) -> dict[str, Any]:
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": plan.expanded_text, "fields": PASSAGE_FIELDS, "type": "most_fields"}},
        *typo_tolerant(plan.query, ["title", "text"]),
    ]
    return {
        "size": plan.window,
        "track_total_hits": True,
        "_source": False,  # see with_leg_fields
        "query": {"bool": {"should": should, "minimum_should_match": 1, "filter": plan.filters}},
    }


# ------------------------------------------------------------------ what legs return


def with_leg_fields(body: dict[str, Any], leg_fields: Mapping[str, str]) -> dict[str, Any]:
    """A leg's body asking for the doc values ranking and facets read (`leg_fields`; added where
    the legs are sent, so the bodies above stay what `_rank_eval` and the analysts' tools reuse).

    No stored field is read, not even `_id` (the id comes from the `id` doc values): stored
    fields are decompressed a block at a time, and a block holding vectors in `_source` made
    reading a hundred `_id`s cost more than the search (at 100,000 providers, 10 -> 5 ms a leg)."""
    lean = {k: v for k, v in body.items() if k != "_source"}
    fields = [
        {"field": field_name, "format": DOC_VALUE_FORMATS[name]} if name in DOC_VALUE_FORMATS else field_name
        for name, field_name in leg_fields.items()
    ]
    return {**lean, "stored_fields": "_none_", "docvalue_fields": [ID_FIELD, *fields]}


# ------------------------------------------------------------------ the page


def page_body(ids: list[str], highlight: dict[str, Any]) -> dict[str, Any]:
    """The page's documents in full, highlighted for the query (the highlight query is
    explicit, so it does not depend on how the documents were found)."""
    return {
        "size": len(ids),
        "query": {"ids": {"values": ids}},
        "_source": {"excludes": SOURCE_EXCLUDES},
        "highlight": highlight,
    }


def facets_body(ids: list[str], today: date) -> dict[str, Any]:
    """Facet counts over the fused list, counted by the engine from doc values: one number per
    value instead of every facet field of every leg hit (that was half of what the legs sent
    back, and a few milliseconds of Python to count). Each document counts once per value;
    ties in count are ordered by value, as a person reading the list expects. Fee bands and
    opening bands (cumulative: "this week" is also "within 2 weeks") are counted from `today`."""
    order = [{"_count": "desc"}, {"_key": "asc"}]
    aggs: dict[str, Any] = {
        name: {"terms": {"field": field_name, "size": FACET_TOP, "shard_size": 10 * FACET_TOP, "order": order}}
        for name, field_name in FACET_FIELDS.items()
    }
    aggs.update({flag: {"filter": {"term": {flag: True}}} for flag in FACET_FLAGS})
    aggs["fee_bands"] = {"filters": {"filters": {cap: _at_most(int(cap)) for cap, _ in FEE_CAPS}}}
    openings = {
        key: {"range": {"next_available": {"lte": (today + timedelta(days=int(key))).isoformat()}}}
        for key, _ in OPENING_BANDS
    }
    aggs["next_available"] = {"filters": {"filters": openings}}
    return {"size": 0, "track_total_hits": False, "query": {"ids": {"values": ids}}, "aggs": aggs}


def browse_leg(plan: LegPlan, sort: list[dict[str, Any]]) -> dict[str, Any]:
    """Browsing without a query (a directory's category pages): every document the filters
    let through, in the order `sort` gives."""
    return {
        "size": plan.window,
        "track_total_hits": True,
        "_source": False,  # see with_leg_fields
        "query": {"bool": {"filter": plan.filters}},
        "sort": sort,
    }


def browse_sort(sort: Sort, filters: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The engine's order for browsing: by default those accepting new clients, then the soonest
    opening; or the sort asked for. The id last, so pages are stable."""
    soonest = {"next_available": {"order": "asc", "missing": "_last"}}
    keys: list[dict[str, Any]]
    if sort is Sort.DISTANCE and filters.get("lat") is not None:  # from a place: ordered after (practical.py)
        origin = {"lat": filters["lat"], "lon": filters["lon"]}
        keys = [{"_geo_distance": {"location": origin, "order": "asc", "unit": "km"}}]
    elif sort is Sort.FEE:
        keys = [{"sliding_scale": {"order": "desc"}}, {"session_fee_min": {"order": "asc", "missing": "_last"}}]
    elif sort is Sort.AVAILABILITY:
        keys = [soonest]
    else:
        keys = [{"accepting_new_clients": {"order": "desc"}}, soonest]
    return [*keys, {ID_FIELD: {"order": "asc"}}]
