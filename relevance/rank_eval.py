"""Judgments as an Elasticsearch/OpenSearch ``_rank_eval`` request body (``*.rank_eval.json``).

``_rank_eval`` runs one query body per request against an index and scores the hits with the
ratings given. The API's hybrid ranking needs a query vector and fuses in the API, so no
single engine request reproduces it; what the engine can reproduce exactly is **bm25 mode**,
which returns the engine's order untouched. So each request is, by default
(``--request api-bm25``), the very BM25 body the API sends in bm25 mode for that query and
type (search_api.plan and search_api.doc_types; lay terms apply through the index's synonym rules, and for
providers the understood place becomes a filter and the named specialties and ages boosts),
less what
``_rank_eval`` sets or refuses (size, highlight, _source, track_total_hits). With
``--request multi-match`` it is a plain ``multi_match`` of the query text over the API's
fields for the type, for a baseline anyone can read.

Ratings name the index (``--index``, by default the alias INDEX_PREFIX gives the type, e.g.
``dev-passages``), resolved on the cluster at ES_URL to the concrete index behind it: the
engine matches a rating to a hit by the hit's concrete ``_index``, so a body made for one
build of the index must be remade (or edited) after a rebuild swaps the alias.

The metric (``--rank-eval-metric``) is the engine's: its ``dcg`` uses exponential gains
(2^rating - 1), not trec_eval's linear ones, so on 0-2 grades its nDCG differs from eval's;
its precision divides by the hits returned when fewer than k come back (trec_eval divides by
k); recall and MRR at rating >= 1 are trec_eval's definitions (the integration tests check
that the engine's figures equal eval's for bm25 mode).

The file reads back as judgments too (request id -> qid, ratings -> gains).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.engines import SyncEngine
from core.settings import Settings
from relevance.errors import JudgmentError, RelevanceError
from relevance.judgments import Qrels, Queries
from search_api.doc_types import BY_KIND
from search_api.params import SearchParams, SearchType
from search_api.plan import plan
from search_api.query_bodies import PASSAGE_FIELDS, PROVIDER_FIELDS
from search_api.tuning import DEFAULT_TUNING

SUFFIX = ".rank_eval.json"
REQUESTS = ("api-bm25", "multi-match")
METRICS = ("ndcg", "precision", "recall", "mrr", "err")
DROPPED = ("size", "highlight", "_source", "track_total_hits")  # _rank_eval sets size from k

RequestBuilder = Callable[[str], dict[str, Any]]


def is_rank_eval(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


def metric_body(name: str, k: int, max_grade: int) -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {
        "ndcg": {"dcg": {"k": k, "normalize": True}},
        "precision": {"precision": {"k": k, "relevant_rating_threshold": 1, "ignore_unlabeled": False}},
        "recall": {"recall": {"k": k, "relevant_rating_threshold": 1}},
        "mrr": {"mean_reciprocal_rank": {"k": k, "relevant_rating_threshold": 1}},
        "err": {"expected_reciprocal_rank": {"k": k, "maximum_relevance": max(max_grade, 1)}},
    }
    return bodies[name]


def body(
    qrels: Qrels, queries: Queries, index: str, request_for: RequestBuilder, metric: str = "ndcg", k: int = 10
) -> dict[str, Any]:
    """The `_rank_eval` body: one request per judged query, its ratings, the metric."""
    missing = [qid for qid in qrels if qid not in queries]
    if missing:
        raise JudgmentError(f"query id {missing[0]!r} has no text in the query set ({len(missing)} without)")
    requests = [
        {
            "id": qid,
            "request": request_for(queries[qid]),
            "ratings": [{"_index": index, "_id": docid, "rating": gain} for docid, gain in docs.items()],
        }
        for qid, docs in qrels.items()
    ]
    max_grade = max((g for docs in qrels.values() for g in docs.values()), default=1)
    return {"requests": requests, "metric": metric_body(metric, k, max_grade)}


def _engine_side(request: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in request.items() if key not in DROPPED}


def request_builder(kind: str, doc_type: str, k: int) -> RequestBuilder:
    """The request each query becomes: the API's bm25-mode body, or a plain multi_match."""
    fields = PASSAGE_FIELDS if doc_type == "passages" else PROVIDER_FIELDS
    if kind == "multi-match":
        return lambda text: {"query": {"multi_match": {"query": text, "fields": fields, "type": "most_fields"}}}
    return lambda text: _engine_side(_api_bm25(text, doc_type, k))


def _api_bm25(text: str, doc_type: str, k: int) -> dict[str, Any]:
    """As SearchService.retrieve builds bm25 mode's body, understanding included, k hits."""
    params = SearchParams.model_validate({"q": text[:500], "type": doc_type, "mode": "bm25"})
    kind = BY_KIND[SearchType(doc_type)]
    leg = replace(plan(params, DEFAULT_TUNING).leg_plan(kind), window=k, num_candidates=k)
    return kind.bm25(leg)


def default_index(doc_type: str) -> str:
    try:
        return Settings().alias_for(doc_type)
    except Exception as exc:  # invalid settings: ask for the index instead of tracing back
        raise RelevanceError(f"--index: cannot derive the index from the settings ({exc}); give --index") from None


def concrete_index(name: str) -> tuple[str, str | None]:
    """The index behind alias `name` on the cluster at ES_URL, and a note for the analyst.

    `_rank_eval` matches a rating to a hit by the hit's concrete `_index`, never by the alias
    searched, so ratings naming an alias would all count as unrated."""
    try:
        engine = SyncEngine(Settings())
        try:
            found = engine.request("GET", f"/_alias/{name}")
        finally:
            engine.close()
    except Exception as exc:  # no engine, or `name` is no alias: keep it, say why
        return name, (
            f"note: {name} kept as given ({type(exc).__name__}); ratings must name the concrete index "
            "the hits come from, not an alias"
        )
    indices = sorted(found) if isinstance(found, dict) else []
    if len(indices) != 1:
        return name, f"note: alias {name} points at {len(indices)} indices; ratings name {name} as given"
    return indices[0], f"note: alias {name} is index {indices[0]} now; the ratings name that index"


def write(path: Path, document: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise RelevanceError(f"{path}: cannot write: {exc.strerror or exc}") from None


def read(path: Path) -> Qrels:
    """Ratings of a `_rank_eval` body back as judgments; errors name the request."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JudgmentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise JudgmentError(f"{path}{f':{line}' if line else ''}: not a JSON _rank_eval body") from None
    requests = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(requests, list):
        raise JudgmentError(f"{path}: no 'requests' list")
    qrels: Qrels = {}
    for i, request in enumerate(requests):
        where = f"{path}: requests[{i}]"
        if not isinstance(request, dict) or not isinstance(request.get("id"), str):
            raise JudgmentError(f"{where}: needs a string 'id'")
        docs = qrels.setdefault(request["id"], {})
        for rating in request.get("ratings", []):
            if not isinstance(rating, dict) or "_id" not in rating:
                raise JudgmentError(f"{where}: a rating needs '_id'")
            grade = rating.get("rating")
            if isinstance(grade, bool) or not isinstance(grade, int):
                raise JudgmentError(f"{where}: rating {grade!r} of {rating['_id']!r} is not a whole number")
            if str(rating["_id"]) in docs:
                raise JudgmentError(f"{where}: duplicate rating for document {rating['_id']!r}")
            docs[str(rating["_id"])] = grade
    if not any(qrels.values()):
        raise JudgmentError(f"{path}: no ratings in the file")
    return {qid: docs for qid, docs in qrels.items() if docs}
