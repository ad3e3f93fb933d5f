"""`python -m relevance`: score the search API against judged queries (docs/contract.md: Commands).

eval
  runs every judged query of Q through the API once per mode (docs/contract.md: Search API v1,
  size = k, 4 requests in flight) and writes the means to OUT (JSON), each run beside it as
  OUT.<mode>.run (TREC run format) and, for hybrid, OUT.hybrid.legs.json (which leg brought
  each hit); prints a mode x metric table, bootstrap intervals and, for each pair of modes, a
  paired randomization test on nDCG@k. With --answers-qrels A, recall@k and MRR are taken
  against A while nDCG@k, P@k and ERR@k use the graded QRELS. Queries of Q without judgments
  are skipped (reported on stderr). OUT records the configuration, commit and time.
compare
  two saved runs query by query: deltas, wins/ties/losses, the paired test, the largest
  regressions and gains, rank movements and, for hybrid, the leg behind each hit.
sweep
  re-ranks saved hybrid legs under a grid of tunings: a table, a PNG plot against each
  parameter, the best point with its bootstrap interval.
report
  one self-contained HTML file for a saved run or a comparison (and optionally a sweep).
unjudged
  the documents that entered the top k without a judgment, as a CSV worklist for raters.
devsets
  writes the development query set and its qrels, graded as ../shared/data/README.md says.
convert
  rewrites judgments in another format (TREC qrels, Quepid CSV, JSON Lines, _rank_eval body).

Exit codes: 0 done; 2 bad input or the API unreachable (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from core.settings import DOC_TYPES
from relevance import compare, convert, devsets, evaluation, rank_eval, report, sweep, unjudged
from relevance.errors import RelevanceError
from relevance.runner import MAX_SIZE, MODES

OK, BAD_INPUT = 0, 2
EVAL_DESCRIPTION = """\
Run every judged query of Q through the API once per mode (size = k, 4 requests in flight)
and score the rankings: nDCG@k (linear gains, trec_eval), MRR, recall@k, P@k, ERR@k (gdeval),
means over the judged queries with 95% bootstrap intervals, the share of unjudged results in
the top k, and for each pair of modes a paired randomization test on nDCG@k.

With --answers-qrels A, recall@k and MRR are taken against A and nDCG@k, P@k, ERR@k against
the graded QRELS. For the development passages that is the README's grading:
  --qrels passages.qrels --answers-qrels passages_answers.qrels   (from `devsets`)

Writes OUT (JSON: scores, per-query scores, configuration, commit, time), each run as
OUT.<mode>.run (TREC run format) and the hybrid legs as OUT.hybrid.legs.json. Exit 2 on bad
input or an unreachable API, with one line on stderr."""


# ---- argument types


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


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError("a whole number, 0 or more")
    return value


# ---- the parser


def _add_eval(sub: Any) -> None:
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


def _add_saved_judgments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--qrels", type=Path, metavar="QRELS", help="judgments (default: the file the runs' records name, if unchanged)"
    )
    p.add_argument("--queries", type=Path, metavar="Q", help="query texts (default: those saved in the runs' records)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m relevance",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    _add_eval(sub)

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
        description=sweep.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sw.add_argument("--queries", type=Path, required=True, metavar="Q")
    sw.add_argument("--qrels", type=Path, required=True, metavar="QRELS")
    sw.add_argument("--type", required=True, choices=DOC_TYPES, dest="doc_type")
    sw.add_argument(
        "--grid",
        required=True,
        help="search_api.tuning.Tuning fields and values, e.g. 'fusion=linear,rrf;passage_bm25_weight=0.2,0.3;"
        "rank_constant=20,60;window=50,100;num_candidates=100,200'",
    )
    sw.add_argument("--metric", default="ndcg@10", help="default ndcg@10")
    sw.add_argument("--json", type=Path, metavar="OUT", dest="out", help="every point with its scores, the best point")
    sw.add_argument("--plot", type=Path, metavar="PNG", help="the plot (default: OUT with .png when --json is given)")
    sw.add_argument("--top", type=_top, default=15, help="rows to print (best on half A first)")

    cp = sub.add_parser(
        "compare",
        help="two saved runs, query by query: deltas, wins/ties/losses, the paired test, rank movements, legs",
        description=compare.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cp.add_argument("run_a", type=Path, metavar="A", help="TREC run file (e.g. OUT.bm25.run from eval)")
    cp.add_argument("run_b", type=Path, metavar="B", help="TREC run file (e.g. OUT.hybrid.run)")
    _add_saved_judgments(cp)
    cp.add_argument("--metric", default="ndcg@10", help="default ndcg@10")
    cp.add_argument("--top", type=_top, default=5, help="regressions and gains to show (default 5)")
    cp.add_argument("--json", type=Path, metavar="OUT", dest="out")

    rp = sub.add_parser(
        "report",
        help="one self-contained HTML file for a saved run (OUT.json) or a comparison (A.run B.run)",
        description=report.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rp.add_argument("inputs", type=Path, nargs="+", metavar="INPUT", help="OUT.json, or two run files A B")
    rp.add_argument("--out", type=Path, required=True, metavar="HTML")
    _add_saved_judgments(rp)
    rp.add_argument("--sweep", type=Path, metavar="SWEEP", help="add a sweep (from `sweep --json`)")
    rp.add_argument("--metric", default="ndcg@10", help="comparison metric (default ndcg@10)")
    rp.add_argument("--top", type=_top, default=5, help="regressions and gains to show (default 5)")
    rp.add_argument("--title")

    uj = sub.add_parser(
        "unjudged",
        help="documents in the top k without a judgment, as a CSV worklist for raters",
        description=unjudged.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    uj.add_argument("runs", type=Path, nargs="+", metavar="RUN", help="eval records (OUT.json: all modes) or run files")
    uj.add_argument("--out", type=Path, required=True, metavar="CSV")
    _add_saved_judgments(uj)
    uj.add_argument("--k", type=_k, default=10, help="the cutoff (default 10)")
    uj.add_argument("--quepid-only", action="store_true", help="only Quepid's columns query,docid,rating")

    cv = sub.add_parser(
        "convert",
        help="rewrite judgments in another format (by suffix; .rank_eval.json for _rank_eval)",
        description=f"{convert.__doc__}\n\n{rank_eval.__doc__}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cv.add_argument("source", type=Path, metavar="IN")
    cv.add_argument("target", type=Path, metavar="OUT")
    cv.add_argument(
        "--queries",
        type=Path,
        metavar="Q",
        help="the query set (needed for Quepid CSV and _rank_eval, checked otherwise)",
    )
    cv.add_argument("--type", choices=DOC_TYPES, dest="doc_type", help="_rank_eval: the index type")
    cv.add_argument("--index", help="_rank_eval: the index the ratings name (default: INDEX_PREFIX's alias)")
    cv.add_argument("--request", choices=rank_eval.REQUESTS, default="api-bm25", help="_rank_eval: each query's body")
    cv.add_argument("--rank-eval-metric", choices=rank_eval.METRICS, default="ndcg", help="_rank_eval: the metric")
    cv.add_argument("--k", type=_k, default=10, help="_rank_eval: the cutoff (default 10)")
    return p


# ---- dispatch


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out_, err_ = out or sys.stdout, err or sys.stderr
    args = parser().parse_args(argv)
    commands: dict[str, Callable[[], int]] = {
        "eval": lambda: evaluation.run_eval(args, out_, err_),
        "devsets": lambda: devsets.command(args, out_),
        "sweep": lambda: sweep.command(args, out_, err_),
        "compare": lambda: compare.command(args, out_, err_),
        "report": lambda: report.command(args, out_, err_),
        "unjudged": lambda: unjudged.command(args, out_, err_),
        "convert": lambda: convert.command(args, out_, err_),
    }
    try:
        return commands[args.command]()
    except RelevanceError as exc:
        print(f"error: {exc}", file=err_)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=err_)
        return 130
