"""Scores for a run against judgments, from trec_eval's code via ir_measures, plus the
statistics around them (bootstrap intervals, a paired test, the unjudged share).

Measures (names as they appear in eval's JSON):

``ndcg@k``    nDCG with linear gains, the ideal ordering from all judged documents (trec_eval's
              ``ndcg_cut``, through pytrec_eval); unjudged documents count as gain 0.
``mrr``       reciprocal rank of the first document with gain >= 1 (``recip_rank``), mean over
              queries; with runs of k results it is MRR@k.
``recall@k``  share of the documents with gain >= 1 found in the top k.
``p@k``       share of the top k with gain >= 1 (a short list still divides by k).
``err@k``     Expected Reciprocal Rank from gdeval.pl (TREC Web track; needs perl), which grades
              on a 0-4 scale: R = (2^gain - 1) / 16, so 0-2 grades keep ERR well below 1.

A judged query the run does not answer scores 0 (trec_eval -c): an empty result list is a
failure, not a query to leave out. Means are over the judged queries.

Statistics: a percentile bootstrap 95% interval of each mean (numpy, seeded, 1,000 resamples);
a paired two-sided randomization test (sign flipping of per-query differences, numpy, seeded,
10,000 resamples; Smucker, Allan & Carterette 2007) between two runs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ir_measures
import numpy as np

from relevance.judgments import Qrels

Run = dict[str, dict[str, float]]  # qid -> docid -> score (higher ranks first)

BOOTSTRAP_RESAMPLES = 1_000
PERMUTATIONS = 10_000
SEED = 0
UNJUDGED_WARNING = 0.30
GDEVAL_MAX_GAIN = 4  # gdeval.pl rejects grades above 4
TIE = 1e-12  # per-query differences this small are ties, not wins


# ---- names


def metric_names(k: int) -> list[str]:
    return [f"ndcg@{k}", "mrr", f"recall@{k}", f"p@{k}", f"err@{k}"]


def check_metric(name: str) -> None:
    """ValueError unless `name` is one of the metric names this module scores."""
    _measure(name)


def _measure(name: str) -> Any:
    """'ndcg@10' -> ir_measures' nDCG@10, and so on."""
    base, _, cutoff = name.partition("@")
    measures = {
        "ndcg": ir_measures.nDCG,
        "recall": ir_measures.R,
        "p": ir_measures.P,
        "err": ir_measures.ERR,
        "mrr": ir_measures.RR,
    }
    if base not in measures or (base == "mrr") == bool(cutoff):
        raise ValueError(f"unknown metric {name!r}")
    measure = measures[base]
    return measure @ int(cutoff) if cutoff else measure


# ---- per-query values


def per_query(run: Run, qrels: Qrels, names: Sequence[str]) -> dict[str, dict[str, float | None]]:
    """name -> qid -> value for every query in `qrels`; a metric whose tool is missing
    (ERR without perl) has None per query."""
    trec = [n for n in names if not n.startswith("err@")]
    values: dict[str, dict[str, float | None]] = {}
    if trec:
        values.update(_pytrec_eval(run, qrels, trec))
    for name in names:
        if name.startswith("err@"):
            values[name] = _gdeval_err(run, qrels, name)
    return {name: values[name] for name in names}


def _pytrec_eval(run: Run, qrels: Qrels, names: Sequence[str]) -> dict[str, dict[str, float | None]]:
    by_measure = {_measure(n): n for n in names}
    evaluator = ir_measures.pytrec_eval.evaluator(list(by_measure), qrels)
    values: dict[str, dict[str, float | None]] = {n: {} for n in names}
    for metric in evaluator.iter_calc(_judged_part(run, qrels)):
        values[by_measure[metric.measure]][metric.query_id] = float(metric.value)
    return values


def _judged_part(run: Run, qrels: Qrels) -> Run:
    return {qid: docs for qid, docs in run.items() if qid in qrels and docs}


def _gdeval_err(run: Run, qrels: Qrels, name: str) -> dict[str, float | None]:
    unavailable: dict[str, float | None] = dict.fromkeys(qrels)
    if not ir_measures.gdeval.is_available():
        return unavailable
    if any(g > GDEVAL_MAX_GAIN for docs in qrels.values() for g in docs.values()):
        return unavailable
    # gdeval.pl only takes numeric topic ids, so number the queries and map back.
    numbered = {qid: str(i) for i, qid in enumerate(qrels, start=1)}
    back = {n: qid for qid, n in numbered.items()}
    qrels_n = {numbered[q]: docs for q, docs in qrels.items()}
    run_n = {numbered[q]: docs for q, docs in _judged_part(run, qrels).items()}
    values: dict[str, float | None] = dict.fromkeys(qrels, 0.0)
    try:
        evaluator = ir_measures.gdeval.evaluator([_measure(name)], qrels_n)
        for metric in evaluator.iter_calc(run_n):
            values[back[metric.query_id]] = float(metric.value)
    except (OSError, subprocess.SubprocessError):
        return unavailable
    return values


# ---- statistics


def mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if len(values) else None


def bootstrap_ci(
    values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = SEED, level: float = 0.95
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean over queries (resampling queries)."""
    if not len(values):
        return None
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    tail = (1 - level) / 2
    lo, hi = np.quantile(means, [tail, 1 - tail])
    return float(lo), float(hi)


def randomization_p(differences: Sequence[float], permutations: int = PERMUTATIONS, seed: int = SEED) -> float:
    """Two-sided paired randomization test: under H0 each query's difference is as likely
    to have the other sign. p = (1 + #{|mean of flipped| >= |observed|}) / (1 + resamples)."""
    diffs = np.asarray(differences, dtype=float)
    if not len(diffs) or np.all(np.abs(diffs) <= TIE):
        return 1.0
    observed = abs(diffs.mean())
    rng = np.random.default_rng(seed)
    extreme, done, chunk = 0, 0, 1_000  # chunks bound the memory for large query sets
    while done < permutations:
        n = min(chunk, permutations - done)
        signs = rng.choice((-1.0, 1.0), size=(n, len(diffs)))
        extreme += int(np.sum(np.abs((signs * diffs).mean(axis=1)) >= observed - TIE))
        done += n
    return (1 + extreme) / (1 + permutations)


@dataclass(frozen=True)
class Comparison:
    """Run B against run A on one metric; positive delta and wins favour B."""

    metric: str
    queries: int
    mean_a: float
    mean_b: float
    delta: float  # mean(B) - mean(A)
    wins: int  # queries where B scores higher
    ties: int
    losses: int  # queries where A scores higher
    p_value: float  # paired randomization test, two-sided


def compare(run_a: Run, run_b: Run, qrels: Qrels, metric: str) -> Comparison:
    """Paired comparison over the judged queries (both runs scored on the same queries)."""
    a = per_query(run_a, qrels, [metric])[metric]
    b = per_query(run_b, qrels, [metric])[metric]
    qids = [q for q in qrels if a.get(q) is not None and b.get(q) is not None]
    va = np.array([a[q] for q in qids], dtype=float)
    vb = np.array([b[q] for q in qids], dtype=float)
    diffs = vb - va
    return Comparison(
        metric=metric,
        queries=len(qids),
        mean_a=float(va.mean()) if len(qids) else 0.0,
        mean_b=float(vb.mean()) if len(qids) else 0.0,
        delta=float(diffs.mean()) if len(qids) else 0.0,
        wins=int(np.sum(diffs > TIE)),
        ties=int(np.sum(np.abs(diffs) <= TIE)),
        losses=int(np.sum(diffs < -TIE)),
        p_value=randomization_p(diffs),
    )


# ---- judged share


def top_k(scores: dict[str, float], k: int) -> list[str]:
    """The first k document ids, by score then id (ir_measures' order)."""
    return [d for d, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]]


def unjudged_share(run: Run, qrels: Qrels, k: int) -> float | None:
    """Mean over judged queries with results of the share of their top k that has no judgment;
    None when no judged query has results."""
    shares = []
    for qid, judged in qrels.items():
        top = top_k(run.get(qid, {}), k)
        if top:
            shares.append(sum(d not in judged for d in top) / len(top))
    return float(np.mean(shares)) if shares else None


# ---- everything for one run


@dataclass(frozen=True)
class MetricResult:
    mean: float | None
    ci95: tuple[float, float] | None
    per_query: dict[str, float]


@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, MetricResult]
    unjudged: float | None
    queries: int
    warnings: list[str] = field(default_factory=list)


def _result(values: dict[str, float | None]) -> MetricResult:
    known = {q: v for q, v in values.items() if v is not None}
    series = list(known.values())
    if len(known) < len(values):  # a tool is missing: report nothing rather than a partial mean
        return MetricResult(None, None, {})
    return MetricResult(mean(series), bootstrap_ci(series), known)


def evaluate(run: Run, qrels: Qrels, k: int = 10, answers_qrels: Qrels | None = None) -> Evaluation:
    """All of metric_names(k). With `answers_qrels`, recall@k and MRR are taken against it
    (the README's "recall@10 of answers", "MRR of the first answer"); the rest use `qrels`."""
    names = metric_names(k)
    answer_based = {f"recall@{k}", "mrr"} if answers_qrels is not None else set()
    graded = per_query(run, qrels, [n for n in names if n not in answer_based])
    by_answers = per_query(run, answers_qrels, sorted(answer_based)) if answers_qrels else {}
    results = {n: _result(graded[n] if n in graded else by_answers[n]) for n in names}
    warnings = []
    if results[f"err@{k}"].mean is None:
        warnings.append(f"err@{k} not computed: gdeval needs perl and grades 0-{GDEVAL_MAX_GAIN}")
    unjudged = unjudged_share(run, qrels, k)
    if unjudged is not None and unjudged > UNJUDGED_WARNING:
        warnings.append(
            f"{unjudged:.0%} of the top-{k} results are unjudged (counted as gain 0): "
            "the judgments may be incomplete for this run"
        )
    return Evaluation(results, unjudged, len(qrels), warnings)
