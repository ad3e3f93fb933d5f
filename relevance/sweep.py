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
from search_api.tuning import Tuning

TUNABLE = {f.name for f in fields(Tuning)}


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


def sweep(
    service: Any,
    retrievals: Mapping[str, Any],
    doc_type: str,
    qrels: Qrels,
    base: Any,
    space: Mapping[str, Sequence[Any]],
    metric: str = "ndcg@10",
) -> list[tuple[dict[str, Any], dict[str, float]]]:
    rows = []
    for point in grid(space):
        tuning = replace(base, **point)
        rows.append((point, score(run_for(service, retrievals, doc_type, tuning), qrels, metric)))
    return sorted(rows, key=lambda row: -row[1]["A"])


def parse_grid(text: str) -> dict[str, list[Any]]:
    """`name=v1,v2;other=v3` -> {"name": [v1, v2], "other": [v3]} (numbers parsed)."""
    space: dict[str, list[Any]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, values = part.partition("=")
        if not values:
            raise ValueError(f"grid entry {part!r} needs name=value[,value...]")
        space[name.strip()] = [_number(v.strip()) for v in values.split(",") if v.strip()]
    next(iter(grid(space)))  # validates the names
    return space


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


async def run_sweep(
    queries: Queries, qrels: Qrels, doc_type: str, space: Mapping[str, Sequence[Any]], metric: str = "ndcg@10"
) -> tuple[list[tuple[dict[str, Any], dict[str, float]]], dict[str, float]]:
    """In-process: the service the API runs, against the cluster at ES_URL."""
    from core.embedder import load_embedder
    from core.settings import Settings
    from search_api.cluster import Cluster
    from search_api.service import SearchService
    from search_api.tuning import DEFAULT_TUNING

    settings = Settings()
    cluster = Cluster(settings)
    service = SearchService(settings, cluster, load_embedder(settings.embedding_model))
    try:
        retrievals = await collect(service, queries, doc_type)
    finally:
        await cluster.close()
    baseline = score(run_for(service, retrievals, doc_type, DEFAULT_TUNING), qrels, metric)
    return sweep(service, retrievals, doc_type, qrels, DEFAULT_TUNING, space, metric), baseline


def format_rows(rows: list[tuple[dict[str, Any], dict[str, float]]], baseline: dict[str, float], top: int) -> str:
    lines = [
        f"{'point':<70}{'all':>8}{'half A':>8}{'half B':>8}",
        f"{'(current defaults)':<70}{baseline['all']:>8.4f}{baseline['A']:>8.4f}{baseline['B']:>8.4f}",
    ]
    for point, s in rows[:top]:
        text = ", ".join(f"{k}={v}" for k, v in point.items())
        lines.append(f"{text[:69]:<70}{s['all']:>8.4f}{s['A']:>8.4f}{s['B']:>8.4f}")
    return "\n".join(lines)
