"""`compare A B`: two saved runs on the same judgments, query by query.

Per-query deltas of a metric, wins/ties/losses, the paired randomization test, the largest
regressions and gains with the queries' text, and how each document of those queries moved
between the two rankings. Runs are TREC run files, as `eval` saves them (OUT.<mode>.run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relevance.errors import JudgmentError
from relevance.judgments import Qrels, Queries
from relevance.metrics import Comparison, Run, compare, per_query


def read_trec_run(path: Path) -> Run:
    """`qid Q0 docid rank score tag` lines; the order is the score's, as trec_eval reads it."""
    run: Run = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgmentError(f"{path}: cannot read the run ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 6:
            raise JudgmentError(f"{path}:{number}: a run line has 6 fields (qid Q0 docid rank score tag)")
        qid, _, docid, _, score, _ = parts
        try:
            value = float(score)
        except ValueError as exc:
            raise JudgmentError(f"{path}:{number}: score {score!r} is not a number") from exc
        if docid in run.setdefault(qid, {}):
            raise JudgmentError(f"{path}:{number}: document {docid} appears twice for query {qid}")
        run[qid][docid] = value
    if not run:
        raise JudgmentError(f"{path}: the run is empty")
    return run


def ranks(scores: dict[str, float]) -> dict[str, int]:
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return {docid: rank for rank, (docid, _) in enumerate(ordered, start=1)}


@dataclass(frozen=True)
class QueryChange:
    qid: str
    query: str
    a: float
    b: float
    movements: list[dict[str, Any]]  # docid, gain, rank in A, rank in B (None: absent)

    @property
    def delta(self) -> float:
        return self.b - self.a


def movements(run_a: Run, run_b: Run, qrels: Qrels, qid: str, k: int) -> list[dict[str, Any]]:
    ra, rb = ranks(run_a.get(qid, {})), ranks(run_b.get(qid, {}))
    shown = {d for d, r in ra.items() if r <= k} | {d for d, r in rb.items() if r <= k}
    rows = [{"docid": d, "gain": qrels.get(qid, {}).get(d, 0), "rank_a": ra.get(d), "rank_b": rb.get(d)} for d in shown]
    return sorted(rows, key=lambda row: (row["rank_b"] or 10**6, row["rank_a"] or 10**6))


def changes(run_a: Run, run_b: Run, qrels: Qrels, queries: Queries, metric: str, k: int) -> list[QueryChange]:
    values_a = per_query(run_a, qrels, [metric])[metric]
    values_b = per_query(run_b, qrels, [metric])[metric]
    out = []
    for qid in qrels:
        a, b = values_a.get(qid) or 0.0, values_b.get(qid) or 0.0
        out.append(QueryChange(qid, queries.get(qid, ""), a, b, movements(run_a, run_b, qrels, qid, k)))
    return sorted(out, key=lambda change: change.delta)


def report(summary: Comparison, moved: list[QueryChange], top: int) -> str:
    lines = [
        f"{summary.metric}: A {summary.mean_a:.4f}, B {summary.mean_b:.4f}, delta {summary.delta:+.4f} "
        f"over {summary.queries} queries; B wins/ties/losses {summary.wins}/{summary.ties}/{summary.losses}; "
        f"paired randomization test p = {summary.p_value:.4f}",
    ]
    for title, chosen in (("largest regressions (B below A)", moved[:top]), ("largest gains", moved[::-1][:top])):
        lines.append(f"\n{title}:")
        for change in chosen:
            if (change.delta < 0) != title.startswith("largest regressions") or change.delta == 0:
                continue
            lines.append(f"  {change.qid} {change.delta:+.3f} ({change.a:.3f} -> {change.b:.3f}) {change.query[:80]}")
            for row in change.movements[:10]:
                before, after = row["rank_a"] or "-", row["rank_b"] or "-"
                lines.append(f"      {row['docid']:<20} gain {row['gain']}  rank {before} -> {after}")
    return "\n".join(lines)


def compare_runs(run_a: Run, run_b: Run, qrels: Qrels, queries: Queries, metric: str, k: int) -> dict[str, Any]:
    summary = compare(run_a, run_b, qrels, metric)
    moved = changes(run_a, run_b, qrels, queries, metric, k)
    return {"summary": summary, "changes": moved}
