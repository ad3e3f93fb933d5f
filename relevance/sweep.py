"""Sweeps: retrieve each query once (in-process, the service's own code path), then re-rank
the saved legs under many tunings and score each — fusion weights, RRF's rank constant,
window and the understanding boosts — without asking the engine again.

Queries are split into two halves by a stable hash of their id: choose on one half, confirm
on the other, so the chosen defaults are not just fitted to the queries that chose them.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from relevance.judgments import Qrels, Queries
from relevance.metrics import Run, per_query

TUNABLE = {f.name for f in fields(__import__("search_api.tuning", fromlist=["Tuning"]).Tuning)}


def half(qid: str) -> str:
    return "A" if hashlib.sha256(qid.encode()).digest()[0] % 2 == 0 else "B"


async def collect(service: Any, queries: Queries, doc_type: str, concurrency: int = 4) -> dict[str, Any]:
    """qid -> Retrieval (hybrid legs, the widest window a sweep point may use)."""
    from search_api.params import SearchParams

    slots = asyncio.Semaphore(concurrency)

    async def one(qid: str, text: str) -> tuple[str, Any]:
        async with slots:
            params = SearchParams.model_validate({"q": text[:500], "type": doc_type, "mode": "hybrid", "size": 10})
            return qid, await service.retrieve(params)

    return dict(await asyncio.gather(*(one(q, t) for q, t in queries.items())))


def run_for(service: Any, retrievals: Mapping[str, Any], doc_type: str, tuning: Any, k: int = 10) -> Run:
    from search_api.params import SearchType

    kind = SearchType(doc_type)
    run: Run = {}
    for qid, retrieval in retrievals.items():
        ranked = service.rank(retrieval, tuning)[kind][:k]
        run[qid] = {entry.doc_id: float(k - i) for i, entry in enumerate(ranked)}
    return run


def grid(space: Mapping[str, Sequence[Any]]) -> Iterable[dict[str, Any]]:
    unknown = set(space) - TUNABLE
    if unknown:
        raise ValueError(f"not tunable: {', '.join(sorted(unknown))}")
    keys = list(space)
    for values in itertools.product(*(space[k] for k in keys)):
        yield dict(zip(keys, values, strict=True))


def score(run: Run, qrels: Qrels, metric: str = "ndcg@10") -> dict[str, float]:
    """Mean metric overall and on each half of the queries."""
    values = per_query(run, qrels, [metric])[metric]
    out: dict[str, float] = {}
    for name, keep in (("all", lambda q: True), ("A", lambda q: half(q) == "A"), ("B", lambda q: half(q) == "B")):
        chosen = [v for q, v in values.items() if keep(q) and v is not None]
        out[name] = sum(chosen) / len(chosen) if chosen else 0.0
    return out


def sweep(service: Any, retrievals: Mapping[str, Any], doc_type: str, qrels: Qrels, base: Any,
          space: Mapping[str, Sequence[Any]], metric: str = "ndcg@10") -> list[tuple[dict[str, Any], dict[str, float]]]:
    rows = []
    for point in grid(space):
        tuning = replace(base, **point)
        rows.append((point, score(run_for(service, retrievals, doc_type, tuning), qrels, metric)))
    return sorted(rows, key=lambda row: -row[1]["A"])
