"""Sweeps: retrieve each query (in-process, the service's own code path), then re-rank the
saved legs under many tunings and score each — fusion and its weights, RRF's rank constant,
the understanding boosts — without asking the engine again. ``window`` and
``num_candidates`` change what the engine returns, so the queries are retrieved once per
distinct (window, num_candidates) pair of the grid (query vectors are embedded once).

Queries are split into two halves by a stable hash of their id: the best point is chosen on
half A and confirmed on half B, so the chosen defaults are not just fitted to the queries that
chose them. The best point is printed with a bootstrap 95% interval (all queries and half B)
and a paired randomization test against the current defaults on half B.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, TextIO

from relevance.errors import RelevanceError
from relevance.judgments import Qrels, Queries
from relevance.metrics import Run, bootstrap_ci, per_query, randomization_p
from search_api.tuning import Tuning

TUNABLE = {f.name for f in fields(Tuning)}
RETRIEVAL = ("window", "num_candidates")  # the engine's answer depends on these
RetrievalKey = tuple[int, int]


def half(qid: str) -> str:
    return "A" if hashlib.sha256(qid.encode()).digest()[0] % 2 == 0 else "B"


class MemoEmbedder:
    """The service's embedder, with each query embedded once across the sweep's retrievals."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._vectors: dict[str, list[float]] = {}

    def embed_query(self, text: str) -> list[float]:
        if text not in self._vectors:
            self._vectors[text] = self._inner.embed_query(text)
        return self._vectors[text]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def request_params(text: str, doc_type: str, key: RetrievalKey) -> Any:
    from search_api.params import SearchParams

    window, num_candidates = key
    return SearchParams.model_validate(
        {
            "q": text[:500],
            "type": doc_type,
            "mode": "hybrid",
            "size": 10,
            "window": window,
            "num_candidates": num_candidates,
        }
    )


def check_keys(keys: Iterable[RetrievalKey], doc_type: str) -> None:
    """The API's own limits on window and num_candidates, before any retrieval starts."""
    from pydantic import ValidationError

    for key in keys:
        try:
            request_params("x", doc_type, key)
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise RelevanceError(
                f"--grid: window={key[0]}, num_candidates={key[1]}: {problem['loc'][0]} {problem['msg']}"
            ) from None


async def collect(
    service: Any, queries: Queries, doc_type: str, key: RetrievalKey, concurrency: int = 4
) -> dict[str, Any]:
    """qid -> Retrieval (both legs, `key`'s window and num_candidates)."""
    slots = asyncio.Semaphore(concurrency)

    async def one(qid: str, text: str) -> tuple[str, Any]:
        async with slots:
            return qid, await service.retrieve(request_params(text, doc_type, key))

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


def retrieval_key(point: Mapping[str, Any], base: Any) -> RetrievalKey:
    return int(point.get("window", base.window)), int(point.get("num_candidates", base.num_candidates))


@dataclass
class Point:
    """One tuning: its values, mean metric overall and per half, and the per-query values."""

    point: dict[str, Any]
    scores: dict[str, float]
    per_query: dict[str, float]


def score_values(values: Mapping[str, float]) -> dict[str, float]:
    """Mean overall and on each half of the queries."""
    out: dict[str, float] = {}
    for name in ("all", "A", "B"):
        chosen = [v for q, v in values.items() if name == "all" or half(q) == name]
        out[name] = sum(chosen) / len(chosen) if chosen else 0.0
    return out


def score(run: Run, qrels: Qrels, metric: str = "ndcg@10") -> dict[str, float]:
    values = per_query(run, qrels, [metric])[metric]
    return score_values({q: v for q, v in values.items() if v is not None})


def evaluate_point(
    service: Any, retrievals: Mapping[str, Any], doc_type: str, qrels: Qrels, tuning: Any, metric: str
) -> tuple[dict[str, float], dict[str, float]]:
    values = per_query(run_for(service, retrievals, doc_type, tuning), qrels, [metric])[metric]
    known = {q: v for q, v in values.items() if v is not None}
    return score_values(known), known


def sweep(
    service: Any,
    retrievals: Mapping[RetrievalKey, Mapping[str, Any]],
    doc_type: str,
    qrels: Qrels,
    base: Any,
    space: Mapping[str, Sequence[Any]],
    metric: str = "ndcg@10",
) -> list[Point]:
    """Every grid point scored on the retrievals made with its window and num_candidates;
    best on half A first."""
    points = []
    for values in grid(space):
        tuning = replace(base, **values)
        scores, known = evaluate_point(
            service, retrievals[retrieval_key(values, base)], doc_type, qrels, tuning, metric
        )
        points.append(Point(values, scores, known))
    return sorted(points, key=lambda p: -p.scores["A"])


def parse_grid(text: str) -> dict[str, list[Any]]:
    """`name=v1,v2;other=v3` -> {"name": [v1, v2], "other": [v3]} (numbers parsed)."""
    space: dict[str, list[Any]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, values = part.partition("=")
        if not values:
            raise ValueError(f"grid entry {part!r} needs name=value[,value...]")
        space[name.strip()] = [_number(v.strip()) for v in values.split(",") if v.strip()]
    if not space:
        raise ValueError("the grid is empty")
    next(iter(grid(space)))  # validates the names
    return space


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


# ---- the best point and its uncertainty


def _span(values: Sequence[float]) -> list[float] | None:
    ci = bootstrap_ci(values)
    return None if ci is None else [round(ci[0], 6), round(ci[1], 6)]


def summary(point: Point) -> dict[str, Any]:
    values_b = [v for q, v in point.per_query.items() if half(q) == "B"]
    return {
        "point": point.point,
        "scores": point.scores,
        "ci95": {"all": _span(list(point.per_query.values())), "B": _span(values_b)},
    }


def best_against(best: Point, defaults: Point) -> dict[str, Any]:
    """The best point (chosen on half A), and the paired test against the defaults on half B."""
    held_out = [q for q in best.per_query if half(q) == "B" and q in defaults.per_query]
    diffs = [best.per_query[q] - defaults.per_query[q] for q in held_out]
    out = summary(best)
    out["vs_defaults_B"] = {
        "delta": round(sum(diffs) / len(diffs), 6) if diffs else 0.0,
        "p": round(randomization_p(diffs), 6),
        "queries": len(diffs),
    }
    return out


@dataclass
class SweepResult:
    metric: str
    space: dict[str, list[Any]]
    points: list[Point]  # best on half A first
    defaults: Point
    retrievals: int  # engine passes over the queries

    @property
    def best(self) -> Point:
        return self.points[0]

    def document(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "space": self.space,
            "baseline": self.defaults.scores,
            "defaults": summary(self.defaults),
            "best": best_against(self.best, self.defaults),
            "points": [{"point": p.point, "scores": p.scores} for p in self.points],
            "retrievals": self.retrievals,
        }


async def run_sweep(
    queries: Queries,
    qrels: Qrels,
    doc_type: str,
    space: Mapping[str, Sequence[Any]],
    metric: str = "ndcg@10",
    progress: Callable[[str], None] = lambda message: None,
) -> SweepResult:
    """In-process: the service the API runs, against the cluster at ES_URL."""
    from core.embedder import load_embedder
    from core.settings import Settings
    from search_api.cluster import Cluster
    from search_api.service import SearchService
    from search_api.tuning import DEFAULT_TUNING

    points = list(grid(space))
    keys = sorted({retrieval_key(p, DEFAULT_TUNING) for p in points} | {retrieval_key({}, DEFAULT_TUNING)})
    check_keys(keys, doc_type)
    settings = Settings()
    cluster = Cluster(settings)
    service = SearchService(settings, cluster, MemoEmbedder(load_embedder(settings.embedding_model)))
    retrievals: dict[RetrievalKey, dict[str, Any]] = {}
    try:
        for i, key in enumerate(keys, start=1):
            progress(f"retrieving {len(queries)} queries, window={key[0]}, num_candidates={key[1]} ({i}/{len(keys)})")
            retrievals[key] = await collect(service, queries, doc_type, key)
    finally:
        await cluster.close()
    progress(f"re-ranking and scoring {len(points)} points")
    default_key = retrieval_key({}, DEFAULT_TUNING)
    scores, known = evaluate_point(service, retrievals[default_key], doc_type, qrels, DEFAULT_TUNING, metric)
    defaults = Point({}, scores, known)
    rows = sweep(service, retrievals, doc_type, qrels, DEFAULT_TUNING, space, metric)
    return SweepResult(metric, {k: list(v) for k, v in space.items()}, rows, defaults, len(keys))


# ---- text


def _ci(span: list[float] | None) -> str:
    return "-" if span is None else f"{span[0]:.3f}-{span[1]:.3f}"


def format_rows(result: SweepResult, top: int) -> str:
    lines = [
        f"{result.metric}, {len(result.points)} points, {result.retrievals} retrieval(s) of the queries",
        f"{'point':<70}{'all':>8}{'half A':>8}{'half B':>8}",
    ]
    base = result.defaults.scores
    lines.append(f"{'(current defaults)':<70}{base['all']:>8.4f}{base['A']:>8.4f}{base['B']:>8.4f}")
    for p in result.points[:top]:
        text = ", ".join(f"{k}={v}" for k, v in p.point.items())
        lines.append(f"{text[:69]:<70}{p.scores['all']:>8.4f}{p.scores['A']:>8.4f}{p.scores['B']:>8.4f}")
    best = best_against(result.best, result.defaults)
    defaults = summary(result.defaults)
    chosen = ", ".join(f"{k}={v}" for k, v in best["point"].items())
    versus = best["vs_defaults_B"]
    lines += [
        "",
        f"best on half A: {chosen}",
        f"  all queries {best['scores']['all']:.4f} (95% CI {_ci(best['ci95']['all'])}); "
        f"held-out half B {best['scores']['B']:.4f} (95% CI {_ci(best['ci95']['B'])})",
        f"  current defaults: all {defaults['scores']['all']:.4f} (95% CI {_ci(defaults['ci95']['all'])}); "
        f"half B {defaults['scores']['B']:.4f} (95% CI {_ci(defaults['ci95']['B'])})",
        f"  on half B, best - defaults = {versus['delta']:+.4f} over {versus['queries']} queries, "
        f"paired randomization test p = {versus['p']:.4f}",
    ]
    return "\n".join(lines)


# ---- the command


def command(args: Any, out: TextIO, err: TextIO) -> int:
    from datetime import UTC, datetime

    from relevance import plots, saved
    from relevance.evaluation import judged_subset
    from relevance.judgments import read_qrels, read_queries
    from relevance.metrics import check_metric

    try:
        space = parse_grid(args.grid)
        check_metric(args.metric)
    except ValueError as exc:
        raise RelevanceError(f"--grid/--metric: {exc}") from None
    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels, queries, str(args.queries))
    judged = judged_subset(queries, qrels)
    started = datetime.now(UTC)
    result = asyncio.run(
        run_sweep(judged, qrels, args.doc_type, space, args.metric, lambda message: print(message, file=err))
    )
    print(format_rows(result, args.top), file=out)
    document = result.document()
    document["_meta"] = {
        "time": started.isoformat(timespec="seconds"),
        "commit": saved.git_commit(),
        "type": args.doc_type,
        "queries": len(judged),
        "index_prefix": saved.current_index_prefix(),
        "tuning": saved.current_tuning(),
        "qrels": str(args.qrels),
        "qrels_sha256": saved.sha256_of(args.qrels),
    }
    if args.out:
        saved.write_json(args.out, document)
        print(f"wrote {args.out}", file=out)
    plot = args.plot or (args.out.with_suffix(".png") if args.out else None)
    if plot is not None:
        title = f"{args.doc_type}: {result.metric} over {len(judged)} queries"
        saved.write_bytes(plot, plots.sweep_figure(document, title))
        print(f"wrote {plot}", file=out)
    return 0
