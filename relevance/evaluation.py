"""`eval`: run the judged queries through the API once per mode, score them, save the run.

What is saved is described in `relevance.saved`; the JSON keeps the contract's shape (docs/contract.md: Commands)
(``{"<mode>": {"ndcg@10": x, ...}}``) with the extra keys prefixed by an underscore.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from relevance import runner, saved
from relevance.errors import RelevanceError
from relevance.judgments import Qrels, Queries, read_qrels, read_queries
from relevance.metrics import PERMUTATIONS, Comparison, Evaluation, compare, evaluate, metric_names

IN_PROCESS = "in-process (search_api.app.create_app)"


def judged_subset(queries: Queries, qrels: Qrels) -> Queries:
    return {qid: text for qid, text in queries.items() if qid in qrels}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def mode_summary(evaluation: Evaluation, k: int) -> dict[str, Any]:
    summary: dict[str, Any] = {n: _round(r.mean) for n, r in evaluation.metrics.items()}
    summary["ci95"] = {
        n: None if r.ci95 is None else [_round(r.ci95[0]), _round(r.ci95[1])] for n, r in evaluation.metrics.items()
    }
    summary[f"unjudged@{k}"] = _round(evaluation.unjudged)
    summary["queries"] = evaluation.queries
    return summary


def comparison_summary(a: str, b: str, c: Comparison) -> dict[str, Any]:
    return {
        "a": a,
        "b": b,
        "metric": c.metric,
        "queries": c.queries,
        "delta": _round(c.delta),
        "wins": c.wins,
        "ties": c.ties,
        "losses": c.losses,
        "p": _round(c.p_value),
        "test": f"paired randomization, {PERMUTATIONS} sign flips",
    }


def per_query_rows(queries: Queries, evaluations: dict[str, Evaluation]) -> dict[str, dict[str, Any]]:
    """qid -> {"query": text, "<mode>": {metric: value}} for the report and later comparisons."""
    rows: dict[str, dict[str, Any]] = {}
    for qid, text in queries.items():
        row: dict[str, Any] = {"query": text}
        for mode, evaluation in evaluations.items():
            row[mode] = {n: _round(r.per_query.get(qid)) for n, r in evaluation.metrics.items() if r.per_query}
        rows[qid] = row
    return rows


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def format_table(results: dict[str, dict[str, Any]], k: int) -> str:
    names = metric_names(k)
    columns = [*names, f"unjudged@{k}", "queries"]
    width = max(12, *(len(c) + 2 for c in columns))
    lines = ["mode".ljust(8) + "".join(c.rjust(width) for c in columns)]
    for mode, row in results.items():
        cells = [_cell(row[c]) for c in columns[:-1]] + [str(row["queries"])]
        lines.append(mode.ljust(8) + "".join(cell.rjust(width) for cell in cells))
    lines.append("")
    lines.append("95% bootstrap intervals (1,000 resamples of the queries)")
    for mode, row in results.items():
        spans = ["-" if row["ci95"][n] is None else f"{row['ci95'][n][0]:.3f}-{row['ci95'][n][1]:.3f}" for n in names]
        lines.append(mode.ljust(8) + "".join(span.rjust(width) for span in spans))
    return "\n".join(lines)


def format_comparisons(comparisons: list[dict[str, Any]], metric: str) -> str:
    lines = [
        f"paired randomization test on {metric} ({PERMUTATIONS:,} sign flips); delta = B - A, "
        "wins/ties/losses counted for B",
        f"{'A':<8}{'B':<8}{'delta':>10}{'wins/ties/losses':>20}{'p':>9}",
    ]
    for c in comparisons:
        wtl = f"{c['wins']}/{c['ties']}/{c['losses']}"
        lines.append(f"{c['a']:<8}{c['b']:<8}{c['delta']:>+10.4f}{wtl:>20}{c['p']:>9.4f}")
    return "\n".join(lines)


def load_judgments(
    queries_path: Path, qrels_path: Path, answers_path: Path | None, err: TextIO
) -> tuple[Queries, Qrels, Qrels | None]:
    """The judged queries, their graded qrels and (optionally) answer qrels, checked."""
    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path, queries, queries_name=str(queries_path))
    judged = judged_subset(queries, qrels)
    if len(judged) < len(queries):
        print(
            f"note: {len(queries) - len(judged)} of {len(queries)} queries in {queries_path} "
            f"have no judgments in {qrels_path}: not evaluated",
            file=err,
        )
    answers = None
    if answers_path is not None:
        answers_all = read_qrels(answers_path, queries, queries_name=str(queries_path))
        answers = {qid: docs for qid, docs in answers_all.items() if qid in judged}
        if len(answers) < len(judged):
            print(
                f"note: {len(judged) - len(answers)} judged queries have no judgments in "
                f"{answers_path}: recall and MRR are over {len(answers)}",
                file=err,
            )
        if not answers:
            raise RelevanceError(f"{answers_path}: no judgments for the queries of {qrels_path}")
    return judged, qrels, answers


def run_meta(args: Any, started: datetime, seconds: float, collected: runner.Collected) -> dict[str, Any]:
    """Everything needed to tell, months later, what produced this run."""
    return {
        "time": started.isoformat(timespec="seconds"),
        "api": IN_PROCESS if args.app else args.api,
        "type": args.doc_type,
        "commit": saved.git_commit(),
        "seconds": round(seconds, 3),
        "seconds_per_mode": collected.seconds,
        "k": args.k,
        "modes": list(collected.runs),
        # the prefix and tuning this process would use; for --api they are the local
        # checkout's, which the server need not share (noted in tuning_source)
        "index_prefix": saved.current_index_prefix(),
        "tuning": saved.current_tuning(),
        "tuning_source": "in-process" if args.app else "this checkout (the API at --api may differ)",
        "queries": str(args.queries),
        "queries_sha256": saved.sha256_of(args.queries),
        "qrels": str(args.qrels),
        "qrels_sha256": saved.sha256_of(args.qrels),
        "answers_qrels": None if args.answers_qrels is None else str(args.answers_qrels),
        "answers_qrels_sha256": None if args.answers_qrels is None else saved.sha256_of(args.answers_qrels),
    }


def run_eval(args: Any, out: TextIO, err: TextIO) -> int:
    started, clock = datetime.now(UTC), time.monotonic()
    queries, qrels, answers = load_judgments(args.queries, args.qrels, args.answers_qrels, err)
    app = runner.load_app() if args.app else None
    collected = runner.collect(
        queries,
        args.doc_type,
        args.modes,
        size=args.k,
        api=None if app is not None else args.api,
        app=app,
        headers=dict(args.header),
    )
    runs = collected.runs

    results: dict[str, Any] = {}
    evaluations: dict[str, Evaluation] = {}
    for mode, run in runs.items():
        evaluation = evaluate(run, qrels, args.k, answers)
        for warning in evaluation.warnings:
            print(f"warning: {mode}: {warning}", file=err)
        evaluations[mode] = evaluation
        results[mode] = mode_summary(evaluation, args.k)
    metric = f"ndcg@{args.k}"
    comparisons = [
        comparison_summary(a, b, compare(runs[a], runs[b], qrels, metric)) for a, b in itertools.combinations(runs, 2)
    ]

    document: dict[str, Any] = {**results}
    document["_compare"] = comparisons
    document["_meta"] = run_meta(args, started, time.monotonic() - clock, collected)
    document["_queries"] = per_query_rows(queries, evaluations)
    write_outputs(args.out, document, collected, args.k)
    print(format_table(results, args.k), file=out)
    if comparisons:
        print("", file=out)
        print(format_comparisons(comparisons, metric), file=out)
    seconds = ", ".join(f"{m} {s:.1f} s" for m, s in collected.seconds.items())
    print(f"\n{len(queries)} queries: {seconds}", file=out)
    written = [saved.run_path(args.out, m).name for m in runs] + [
        saved.legs_path(args.out, m).name for m in collected.legs
    ]
    print(f"wrote {args.out} and {', '.join(written)}", file=out)
    return 0


def write_outputs(out: Path, document: dict[str, Any], collected: runner.Collected, k: int) -> None:
    saved.write_json(out, document)
    try:
        for mode, run in collected.runs.items():
            runner.write_trec_run(saved.run_path(out, mode), run, tag=mode, k=k)
    except OSError as exc:
        raise RelevanceError(f"{exc.filename or out}: cannot write: {exc.strerror or exc}") from None
    for mode, legs in collected.legs.items():
        saved.write_json(saved.legs_path(out, mode), {"mode": mode, "legs": legs})
