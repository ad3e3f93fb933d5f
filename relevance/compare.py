"""`compare A B`: two saved runs on the same judgments, query by query.

Per-query deltas of a metric, wins/ties/losses, the paired randomization test, the largest
regressions and gains with the queries' text, and how each document of those queries moved
between the two rankings, with, for hybrid runs, the leg that brought it (``bm25``,
``vector`` or ``both``, from the legs eval saved beside the run). Runs are TREC run files as
`eval` saves them (OUT.<mode>.run); the record beside each (OUT) supplies the query text,
the judgments file and the configuration, so runs made months apart compare from their files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, TextIO

from relevance.errors import RelevanceError
from relevance.judgments import Qrels, Queries
from relevance.metrics import Comparison, Run, compare, per_query
from relevance.metrics import check_metric as metric_names_check
from relevance.saved import Legs, SavedRun, judgments_for, load_run, read_trec_run, tuning_changes, write_json

__all__ = ["QueryChange", "changes", "compare_runs", "leg_label", "movements", "ranks", "read_trec_run", "report"]


def ranks(scores: dict[str, float]) -> dict[str, int]:
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return {docid: rank for rank, (docid, _) in enumerate(ordered, start=1)}


def leg_label(by_leg: dict[str, int] | None) -> str | None:
    """'both', 'bm25' or 'vector' (the legs that ranked the hit); None when not recorded."""
    if not by_leg:
        return None
    return "both" if len(by_leg) > 1 else next(iter(by_leg))


def leg_text(by_leg: dict[str, int] | None) -> str:
    label = leg_label(by_leg)
    if label is None or by_leg is None:
        return ""
    return f"{label} ({', '.join(f'{leg} #{rank}' for leg, rank in sorted(by_leg.items()))})"


@dataclass(frozen=True)
class QueryChange:
    qid: str
    query: str
    a: float
    b: float
    movements: list[dict[str, Any]]  # docid, gain, rank_a, rank_b (None: absent), legs_a, legs_b

    @property
    def delta(self) -> float:
        return self.b - self.a


def movements(
    run_a: Run,
    run_b: Run,
    qrels: Qrels,
    qid: str,
    k: int,
    legs_a: Legs | None = None,
    legs_b: Legs | None = None,
) -> list[dict[str, Any]]:
    ra, rb = ranks(run_a.get(qid, {})), ranks(run_b.get(qid, {}))
    la, lb = (legs_a or {}).get(qid, {}), (legs_b or {}).get(qid, {})
    shown = {d for d, r in ra.items() if r <= k} | {d for d, r in rb.items() if r <= k}
    rows = [
        {
            "docid": d,
            "gain": qrels.get(qid, {}).get(d, 0),
            "rank_a": ra.get(d),
            "rank_b": rb.get(d),
            "legs_a": la.get(d) if ra.get(d) else None,
            "legs_b": lb.get(d) if rb.get(d) else None,
        }
        for d in shown
    ]
    return sorted(rows, key=lambda row: (row["rank_b"] or 10**6, row["rank_a"] or 10**6))


def changes(
    run_a: Run,
    run_b: Run,
    qrels: Qrels,
    queries: Queries,
    metric: str,
    k: int,
    legs_a: Legs | None = None,
    legs_b: Legs | None = None,
) -> list[QueryChange]:
    values_a = per_query(run_a, qrels, [metric])[metric]
    values_b = per_query(run_b, qrels, [metric])[metric]
    out = []
    for qid in qrels:
        a, b = values_a.get(qid) or 0.0, values_b.get(qid) or 0.0
        moved = movements(run_a, run_b, qrels, qid, k, legs_a, legs_b)
        out.append(QueryChange(qid, queries.get(qid, ""), a, b, moved))
    return sorted(out, key=lambda change: change.delta)


def gains_and_regressions(moved: list[QueryChange], top: int) -> tuple[list[QueryChange], list[QueryChange]]:
    """The `top` largest regressions (B below A) and gains, each strictly non-zero."""
    regressions = [c for c in moved if c.delta < 0][:top]
    gains = [c for c in reversed(moved) if c.delta > 0][:top]
    return regressions, gains


def movement_line(row: dict[str, Any]) -> str:
    before, after = row["rank_a"] or "-", row["rank_b"] or "-"
    line = f"      {row['docid']:<20} gain {row['gain']}  rank {before} -> {after}"
    legs = [f"{side}: {leg_text(row[key])}" for side, key in (("A", "legs_a"), ("B", "legs_b")) if row[key]]
    return line + (f"   legs {'; '.join(legs)}" if legs else "")


def report(summary: Comparison, moved: list[QueryChange], top: int, header: list[str] | None = None) -> str:
    lines = list(header or [])
    lines.append(
        f"{summary.metric}: A {summary.mean_a:.4f}, B {summary.mean_b:.4f}, delta {summary.delta:+.4f} "
        f"over {summary.queries} queries; B wins/ties/losses {summary.wins}/{summary.ties}/{summary.losses}; "
        f"paired randomization test p = {summary.p_value:.4f}",
    )
    regressions, gains = gains_and_regressions(moved, top)
    for title, chosen in (("largest regressions (B below A)", regressions), ("largest gains", gains)):
        lines.append(f"\n{title}:")
        for change in chosen:
            lines.append(f"  {change.qid} {change.delta:+.3f} ({change.a:.3f} -> {change.b:.3f}) {change.query[:80]}")
            lines.extend(movement_line(row) for row in change.movements[:10])
    return "\n".join(lines)


def compare_runs(
    run_a: Run,
    run_b: Run,
    qrels: Qrels,
    queries: Queries,
    metric: str,
    k: int,
    legs_a: Legs | None = None,
    legs_b: Legs | None = None,
) -> dict[str, Any]:
    summary = compare(run_a, run_b, qrels, metric)
    moved = changes(run_a, run_b, qrels, queries, metric, k, legs_a, legs_b)
    return {"summary": summary, "changes": moved}


def header_lines(a: SavedRun, b: SavedRun) -> list[str]:
    lines = [f"A: {a.label}", f"B: {b.label}"]
    differences = tuning_changes(a, b)
    if differences:
        lines.append("configuration A -> B: " + "; ".join(differences))
    return [*lines, ""]


def document(a: SavedRun, b: SavedRun, result: dict[str, Any]) -> dict[str, Any]:
    """The comparison as JSON (for `--json` and the HTML report)."""
    return {
        "a": {"path": str(a.path), "mode": a.mode, "meta": a.meta},
        "b": {"path": str(b.path), "mode": b.mode, "meta": b.meta},
        "configuration_changes": tuning_changes(a, b),
        "summary": asdict(result["summary"]),
        "queries": [
            {"qid": c.qid, "query": c.query, "a": c.a, "b": c.b, "delta": c.delta, "movements": c.movements}
            for c in result["changes"]
        ],
    }


def metric_cutoff(metric: str) -> int:
    _, _, cutoff = metric.partition("@")
    return int(cutoff) if cutoff.isdigit() else 10


def command(args: Any, out: TextIO, err: TextIO) -> int:
    """compare A B [--qrels] [--queries] [--metric] [--top] [--json]."""
    check_metric(args.metric)
    a, b = load_run(args.run_a), load_run(args.run_b)
    qrels, queries, notes = judgments_for([a, b], args.qrels, args.queries)
    for note in notes:
        print(note, file=err)
    k = metric_cutoff(args.metric)
    result = compare_runs(a.run, b.run, qrels, queries, args.metric, k, a.legs, b.legs)
    print(report(result["summary"], result["changes"], args.top, header_lines(a, b)), file=out)
    if args.out:
        write_json(args.out, document(a, b, result))
    return 0


def check_metric(name: str) -> None:
    try:
        metric_names_check(name)
    except ValueError as exc:
        raise RelevanceError(f"--metric: {exc} (one of ndcg@K, mrr, recall@K, p@K, err@K)") from None
