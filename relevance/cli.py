"""`python -m relevance`: score the search API against judged queries (SPEC: Commands).

eval
  runs every judged query of Q through the API once per mode (SPEC Search API v1,
  size = k, 4 requests in flight) and writes the means to OUT (JSON), each run beside it as
  OUT.<mode>.run (TREC run format); prints a mode x metric table, bootstrap intervals and,
  for each pair of modes, a paired randomization test on nDCG@k. With --answers-qrels A,
  recall@k and MRR are taken against A (for passages, passages_answers.qrels: the README's
  "recall@10 of answers" and "MRR of the first answer") while nDCG@k, P@k and ERR@k use the
  graded QRELS. Queries of Q without judgments are skipped (reported on stderr).
devsets
  writes the development query set and its qrels, graded as ../shared/data/README.md says
  (see relevance.devsets).
convert
  rewrites judgments in another format (TREC qrels, Quepid CSV, JSON Lines; by suffix).

Exit codes: 0 done; 2 bad input or the API unreachable (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from relevance import compare as compare_module
from relevance import devsets
from relevance import sweep as sweep_module
from relevance.errors import RelevanceError
from relevance.judgments import Qrels, Queries, read_qrels, read_queries, write_qrels
from relevance.metrics import (
    PERMUTATIONS,
    Comparison,
    Evaluation,
    compare,
    evaluate,
    metric_names,
)
from relevance.runner import DOC_TYPES, MAX_SIZE, MODES, collect_runs, load_app, write_trec_run

OK, BAD_INPUT = 0, 2
EVAL_DESCRIPTION = """\
Run every judged query of Q through the API once per mode (size = k, 4 requests in flight)
and score the rankings: nDCG@k (linear gains, trec_eval), MRR, recall@k, P@k, ERR@k (gdeval),
means over the judged queries with 95% bootstrap intervals, the share of unjudged results in
the top k, and for each pair of modes a paired randomization test on nDCG@k.

With --answers-qrels A, recall@k and MRR are taken against A and nDCG@k, P@k, ERR@k against
the graded QRELS. For the development passages that is the README's grading:
  --qrels passages.qrels --answers-qrels passages_answers.qrels   (from `devsets`)

Writes OUT (JSON) and each run as OUT.<mode>.run (TREC run format). Exit 2 on bad input or
an unreachable API, with one line on stderr."""
PROJECT_ROOT = Path(__file__).resolve().parent.parent
IN_PROCESS = "in-process (search_api.app.create_app)"


# ---- arguments


def _modes(text: str) -> list[str]:
    modes = list(dict.fromkeys(m.strip() for m in text.split(",") if m.strip()))
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise argparse.ArgumentTypeError(f"modes are a comma-separated subset of {','.join(MODES)}")
    return modes


def _k(text: str) -> int:
    try:
        k = int(text)
    except ValueError:
        k = 0
    if not 1 <= k <= MAX_SIZE:
        raise argparse.ArgumentTypeError(f"k is a whole number from 1 to {MAX_SIZE} (the API's page size)")
    return k


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise argparse.ArgumentTypeError("a header is 'Name: value'")
    return name.strip(), value.strip()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m relevance",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)

    ev = sub.add_parser(
        "eval",
        help="run a query set through the API and score it",
        description=EVAL_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = ev.add_mutually_exclusive_group()
    where.add_argument(
        "--api",
        default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}",
        help="the API's base URL (default http://127.0.0.1:$PORT, PORT defaulting to 8000)",
    )
    where.add_argument(
        "--app",
        action="store_true",
        help="no server: build search_api.app.create_app() and call it in-process",
    )
    ev.add_argument(
        "--queries", type=Path, required=True, metavar="Q", help="TSV qid<TAB>query, or JSON Lines with qid and query"
    )
    ev.add_argument(
        "--qrels", type=Path, required=True, metavar="QRELS", help="graded judgments: TREC qrels, Quepid .csv or .jsonl"
    )
    ev.add_argument(
        "--answers-qrels",
        type=Path,
        metavar="A",
        help="take recall@k and MRR against these judgments (e.g. passages_answers.qrels: "
        "recall of the answers, rank of the first answer); nDCG, P and ERR use QRELS",
    )
    ev.add_argument("--type", required=True, choices=DOC_TYPES, dest="doc_type")
    ev.add_argument("--modes", type=_modes, default=list(MODES), help="default bm25,vector,hybrid")
    ev.add_argument(
        "--json", type=Path, required=True, metavar="OUT", dest="out", help="results; the runs go to OUT.<mode>.run"
    )
    ev.add_argument("--k", type=_k, default=10, help="cutoff and page size (default 10)")
    ev.add_argument(
        "--header",
        type=_header,
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="an HTTP header for every request, e.g. the API key (repeatable)",
    )

    ds = sub.add_parser(
        "devsets",
        help="the development queries and qrels, graded as the README says",
        description=devsets.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ds.add_argument(
        "--data", type=Path, default=Path("../shared/data"), help="the shared data directory (default ../shared/data)"
    )
    ds.add_argument("--out", type=Path, required=True, metavar="DIR")

    sw = sub.add_parser(
        "sweep",
        help="re-rank saved hybrid legs under a grid of tunings (in-process, against ES_URL)",
        description=sweep_module.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sw.add_argument("--queries", type=Path, required=True, metavar="Q")
    sw.add_argument("--qrels", type=Path, required=True, metavar="QRELS")
    sw.add_argument("--type", required=True, choices=DOC_TYPES, dest="doc_type")
    sw.add_argument(
        "--grid",
        required=True,
        help="search_api.tuning.Tuning fields and values, "
        "e.g. 'passage_bm25_weight=0.2,0.3;topic_feedback_weight=0,0.2'",
    )
    sw.add_argument("--json", type=Path, metavar="OUT", dest="out", help="every point with its scores")
    sw.add_argument("--top", type=int, default=15, help="rows to print (best on half A first)")

    cp = sub.add_parser(
        "compare",
        help="two saved runs, query by query: deltas, wins/ties/losses, the paired test, rank movements",
        description=compare_module.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cp.add_argument("run_a", type=Path, metavar="A", help="TREC run file (e.g. OUT.bm25.run from eval)")
    cp.add_argument("run_b", type=Path, metavar="B", help="TREC run file (e.g. OUT.hybrid.run)")
    cp.add_argument("--qrels", type=Path, required=True, metavar="QRELS")
    cp.add_argument("--queries", type=Path, required=True, metavar="Q")
    cp.add_argument("--metric", default="ndcg@10", help="default ndcg@10")
    cp.add_argument("--top", type=int, default=5, help="regressions and gains to show (default 5)")
    cp.add_argument("--json", type=Path, metavar="OUT", dest="out")

    cv = sub.add_parser("convert", help="rewrite judgments in another format (by suffix)")
    cv.add_argument("source", type=Path, metavar="IN")
    cv.add_argument("target", type=Path, metavar="OUT")
    cv.add_argument(
        "--queries", type=Path, metavar="Q", help="the query set (needed for Quepid CSV, checked otherwise)"
    )
    return p


# ---- eval


def git_commit() -> str | None:
    """The checked-out commit, if this is a git work tree with git installed."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def judged_subset(queries: Queries, qrels: Qrels) -> Queries:
    return {qid: text for qid, text in queries.items() if qid in qrels}


def run_path(out: Path, mode: str) -> Path:
    return out.with_name(f"{out.name}.{mode}.run")


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


def _load_judgments(args: argparse.Namespace, err: TextIO) -> tuple[Queries, Qrels, Qrels | None]:
    """The judged queries, their graded qrels and (optionally) answer qrels, checked."""
    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels, queries, queries_name=str(args.queries))
    judged = judged_subset(queries, qrels)
    if len(judged) < len(queries):
        print(
            f"note: {len(queries) - len(judged)} of {len(queries)} queries in {args.queries} "
            f"have no judgments in {args.qrels}: not evaluated",
            file=err,
        )
    answers = None
    if args.answers_qrels is not None:
        answers_all = read_qrels(args.answers_qrels, queries, queries_name=str(args.queries))
        answers = {qid: docs for qid, docs in answers_all.items() if qid in judged}
        if len(answers) < len(judged):
            print(
                f"note: {len(judged) - len(answers)} judged queries have no judgments in "
                f"{args.answers_qrels}: recall and MRR are over {len(answers)}",
                file=err,
            )
        if not answers:
            raise RelevanceError(f"{args.answers_qrels}: no judgments for the queries of {args.qrels}")
    return judged, qrels, answers


def run_eval(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started, clock = datetime.now(UTC), time.monotonic()
    queries, qrels, answers = _load_judgments(args, err)
    headers = dict(args.header)
    app = load_app() if args.app else None
    runs = collect_runs(
        queries,
        args.doc_type,
        args.modes,
        size=args.k,
        api=None if app is not None else args.api,
        app=app,
        headers=headers,
    )

    results: dict[str, Any] = {}
    for mode, run in runs.items():
        evaluation = evaluate(run, qrels, args.k, answers)
        for warning in evaluation.warnings:
            print(f"warning: {mode}: {warning}", file=err)
        results[mode] = mode_summary(evaluation, args.k)
    metric = f"ndcg@{args.k}"
    comparisons = [
        comparison_summary(a, b, compare(runs[a], runs[b], qrels, metric)) for a, b in itertools.combinations(runs, 2)
    ]

    document: dict[str, Any] = {**results}
    document["_compare"] = comparisons
    document["_meta"] = {
        "time": started.isoformat(timespec="seconds"),
        "api": IN_PROCESS if args.app else args.api,
        "type": args.doc_type,
        "commit": git_commit(),
        "seconds": round(time.monotonic() - clock, 3),
        "k": args.k,
        "queries": str(args.queries),
        "qrels": str(args.qrels),
        "answers_qrels": None if args.answers_qrels is None else str(args.answers_qrels),
    }
    _write_outputs(args.out, document, runs, args.k)
    print(format_table(results, args.k), file=out)
    if comparisons:
        print("", file=out)
        print(format_comparisons(comparisons, metric), file=out)
    print(f"\nwrote {args.out} and {', '.join(run_path(args.out, m).name for m in runs)}", file=out)
    return OK


def _write_outputs(out: Path, document: dict[str, Any], runs: dict[str, Any], k: int) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        for mode, run in runs.items():
            write_trec_run(run_path(out, mode), run, tag=mode, k=k)
    except OSError as exc:
        raise RelevanceError(f"{exc.filename or out}: cannot write: {exc.strerror or exc}") from None


# ---- devsets, convert


def run_devsets(args: argparse.Namespace, out: TextIO) -> int:
    if not (args.data / devsets.QUERIES).exists():
        raise RelevanceError(
            f"{args.data / devsets.QUERIES}: not found (--data is the shared data directory, "
            "../shared/data beside the project)"
        )
    sets = devsets.build(args.data)
    files = devsets.write(sets, args.out, args.data)
    counts = {
        "queries": f"{len(sets.queries)} queries",
        "passages": f"{sum(map(len, sets.passage_qrels.values()))} judgments",
        "answers": f"{sum(map(len, sets.answer_qrels.values()))} judgments",
        "providers": f"{sum(map(len, sets.provider_qrels.values()))} judgments",
        "provider_queries": f"{len(sets.provider_queries)} queries",
    }
    for name, path in files.items():
        print(f"{path}: {counts.get(name, 'copied')}", file=out)
    return OK


def run_convert(args: argparse.Namespace, out: TextIO) -> int:
    queries = read_queries(args.queries) if args.queries else None
    name = str(args.queries) if args.queries else "the query set"
    qrels = read_qrels(args.source, queries, queries_name=name)
    write_qrels(args.target, qrels, queries)
    print(f"{args.target}: {sum(map(len, qrels.values()))} judgments for {len(qrels)} queries", file=out)
    return OK


def run_compare_command(args: argparse.Namespace, out: TextIO) -> int:
    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels, queries, str(args.queries))
    run_a, run_b = compare_module.read_trec_run(args.run_a), compare_module.read_trec_run(args.run_b)
    k = int(args.metric.split("@")[1]) if "@" in args.metric else 10
    result = compare_module.compare_runs(run_a, run_b, qrels, queries, args.metric, k)
    print(compare_module.report(result["summary"], result["changes"], args.top), file=out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "summary": result["summary"].__dict__,
            "queries": [
                {"qid": c.qid, "query": c.query, "a": c.a, "b": c.b, "delta": c.delta, "movements": c.movements}
                for c in result["changes"]
            ],
        }
        args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


def run_sweep_command(args: argparse.Namespace, out: TextIO) -> int:
    import asyncio

    try:
        space = sweep_module.parse_grid(args.grid)
    except ValueError as exc:
        raise RelevanceError(f"--grid: {exc}") from exc
    queries = read_queries(args.queries)
    qrels = read_qrels(args.qrels, queries, str(args.queries))
    judged = judged_subset(queries, qrels)
    rows, baseline = asyncio.run(sweep_module.run_sweep(judged, qrels, args.doc_type, space))
    print(sweep_module.format_rows(rows, baseline, args.top), file=out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "baseline": baseline,
            "points": [{"point": p, "scores": s} for p, s in rows],
            "_meta": {
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "commit": git_commit(),
                "type": args.doc_type,
                "queries": len(judged),
            },
        }
        args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = parser().parse_args(argv)
    try:
        if args.command == "eval":
            return run_eval(args, out, err)
        if args.command == "devsets":
            return run_devsets(args, out)
        if args.command == "sweep":
            return run_sweep_command(args, out)
        if args.command == "compare":
            return run_compare_command(args, out)
        return run_convert(args, out)
    except RelevanceError as exc:
        print(f"error: {exc}", file=err)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
