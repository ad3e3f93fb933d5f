"""What `relevance.metrics` promises: trec_eval's numbers (checked by hand on a tiny case),
judged queries without results scored 0, answers-only recall/MRR on request, seeded
bootstrap intervals, a paired randomization test, and the unjudged share with its warning."""

from __future__ import annotations

import math
import shutil

import pytest

from relevance.metrics import (
    Run,
    bootstrap_ci,
    compare,
    evaluate,
    metric_names,
    per_query,
    randomization_p,
    unjudged_share,
)
from relevance.runner import ranked_scores

# q1 has judged documents d1 (gain 2), d2 (1), d5 (2) and d4 (judged non-relevant, 0).
# The run returns d3 (unjudged), d1, d2, d4 in that order.
QRELS = {"q1": {"d1": 2, "d2": 1, "d5": 2, "d4": 0}, "q2": {"e1": 1}}
RUN: Run = {"q1": ranked_scores(["d3", "d1", "d2", "d4"]), "q2": {}}

# nDCG@3, linear gains, log2(rank + 1) discount (trec_eval's ndcg_cut):
#   DCG@3  = 0/log2(2) + 2/log2(3) + 1/log2(4) = 0 + 1.2618595 + 0.5        = 1.7618595
#   IDCG@3 from all judged gains sorted (2, 2, 1, 0):
#          = 2/log2(2) + 2/log2(3) + 1/log2(4) = 2 + 1.2618595 + 0.5        = 3.7618595
#   nDCG@3 = 1.7618595 / 3.7618595                                          = 0.4683480
NDCG3_Q1 = (2 / math.log2(3) + 0.5) / (2 + 2 / math.log2(3) + 0.5)
# RR: the first document with gain >= 1 is d1 at rank 2                    = 0.5
# recall@2: relevant (gain >= 1) are d1, d2, d5; the top 2 hold d1         = 1/3
# P@2: d3 (unjudged, 0), d1 (2) -> one relevant of two                      = 0.5
# ERR@3 (gdeval: R = (2^g - 1) / 16, ERR = sum R_r / r * prod_{i<r}(1 - R_i)):
#   rank 1 d3 g=0: R = 0;  rank 2 d1 g=2: R = 3/16 -> 3/16 / 2              = 0.09375
#   rank 3 d2 g=1: R = 1/16 -> 1/16 * (1 - 3/16) / 3                        = 0.0169271
#   ERR@3                                                                   = 0.1106771
ERR3_Q1 = (3 / 16) / 2 + (1 / 16) * (1 - 3 / 16) / 3


def test_per_query_values_match_the_hand_computed_trec_eval_figures() -> None:
    values = per_query(RUN, QRELS, ["ndcg@3", "mrr", "recall@2", "p@2"])

    assert values["ndcg@3"]["q1"] == pytest.approx(NDCG3_Q1)
    assert values["ndcg@3"]["q1"] == pytest.approx(0.4683480, abs=1e-7)
    assert values["mrr"]["q1"] == pytest.approx(0.5)
    assert values["recall@2"]["q1"] == pytest.approx(1 / 3)
    assert values["p@2"]["q1"] == pytest.approx(0.5)


def test_a_judged_query_without_results_scores_zero_on_every_metric() -> None:
    values = per_query(RUN, QRELS, ["ndcg@3", "mrr", "recall@2", "p@2"])

    assert {name: by_query["q2"] for name, by_query in values.items()} == {
        "ndcg@3": 0.0,
        "mrr": 0.0,
        "recall@2": 0.0,
        "p@2": 0.0,
    }


@pytest.mark.skipif(shutil.which("perl") is None, reason="gdeval.pl (ERR) needs perl")
def test_err_comes_from_gdeval_with_its_0_to_4_grade_scale() -> None:
    values = per_query(RUN, QRELS, ["err@3"])

    assert values["err@3"]["q1"] == pytest.approx(ERR3_Q1, abs=1e-5)  # gdeval prints 5 decimals
    assert values["err@3"]["q2"] == 0.0


def test_evaluate_reports_means_over_judged_queries_with_intervals() -> None:
    result = evaluate(RUN, QRELS, k=3)

    assert list(result.metrics) == metric_names(3) == ["ndcg@3", "mrr", "recall@3", "p@3", "err@3"]
    assert result.queries == 2
    assert result.metrics["ndcg@3"].mean == pytest.approx(NDCG3_Q1 / 2)
    assert result.metrics["mrr"].mean == pytest.approx(0.25)
    assert result.metrics["ndcg@3"].ci95 == pytest.approx((0.0, NDCG3_Q1))


def test_answers_qrels_take_over_recall_and_mrr_but_not_ndcg() -> None:
    answers = {"q1": {"d5": 2}, "q2": {"e1": 2}}  # d5 is not retrieved at all

    graded = evaluate(RUN, QRELS, k=3)
    by_answers = evaluate(RUN, QRELS, k=3, answers_qrels=answers)

    assert by_answers.metrics["recall@3"].mean == 0.0
    assert by_answers.metrics["mrr"].mean == 0.0
    assert by_answers.metrics["ndcg@3"].mean == graded.metrics["ndcg@3"].mean
    assert by_answers.metrics["p@3"].mean == graded.metrics["p@3"].mean


def test_the_unjudged_share_counts_documents_without_any_judgment_and_warns_above_30_percent() -> None:
    # q1's top 3 are d3 (unjudged), d1, d2; q2 returned nothing and is left out of the share.
    assert unjudged_share(RUN, QRELS, k=3) == pytest.approx(1 / 3)
    assert unjudged_share(RUN, QRELS, k=4) == pytest.approx(1 / 4)  # d4 is judged (gain 0)
    assert any("unjudged" in w for w in evaluate(RUN, QRELS, k=3).warnings)
    assert not any("unjudged" in w for w in evaluate(RUN, QRELS, k=4).warnings)


def test_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    values = [0.1, 0.9, 0.4, 0.6, 0.3, 0.8, 0.5, 0.2]

    lo, hi = bootstrap_ci(values) or (math.nan, math.nan)

    assert lo < sum(values) / len(values) < hi
    assert bootstrap_ci(values) == (lo, hi)  # same seed, same interval
    assert bootstrap_ci([0.7] * 5) == (0.7, 0.7)
    assert bootstrap_ci([]) is None


def test_compare_counts_wins_ties_losses_for_the_second_run() -> None:
    qrels = {f"q{i}": {"good": 1} for i in range(4)}
    run_a: Run = {q: ranked_scores(["bad", "good"]) for q in qrels}  # nDCG@10 = 1/log2(3) each
    run_b: Run = {
        "q0": ranked_scores(["good"]),  # better: 1.0
        "q1": ranked_scores(["good"]),  # better: 1.0
        "q2": ranked_scores(["bad", "good"]),  # the same
        "q3": {},  # worse: 0.0
    }

    result = compare(run_a, run_b, qrels, "ndcg@10")

    per_a = 1 / math.log2(3)
    assert (result.wins, result.ties, result.losses) == (2, 1, 1)
    assert result.delta == pytest.approx((2 * (1 - per_a) - per_a) / 4)
    assert result.queries == 4
    assert 0.0 < result.p_value <= 1.0


def test_identical_runs_are_never_significantly_different() -> None:
    result = compare(RUN, RUN, QRELS, "ndcg@3")

    assert (result.delta, result.wins, result.ties, result.losses) == (0.0, 0, 2, 0)
    assert result.p_value == 1.0


def test_a_consistent_improvement_over_many_queries_is_significant() -> None:
    differences = [0.1 + 0.01 * (i % 5) for i in range(40)]

    assert randomization_p(differences) < 0.001
    assert randomization_p(differences) == randomization_p(differences)  # seeded
    assert randomization_p([0.2, -0.2, 0.1, -0.1]) > 0.5


def test_an_unknown_metric_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown metric"):
        per_query(RUN, QRELS, ["map@10"])


def test_sweep_grids_name_tuning_fields_and_parse_numbers() -> None:
    from relevance.sweep import grid, half, parse_grid

    assert parse_grid("passage_bm25_weight=0.2,0.3; window=50") == {"passage_bm25_weight": [0.2, 0.3], "window": [50]}
    assert len(list(grid({"passage_bm25_weight": [0.2, 0.3], "window": [50, 100]}))) == 4
    with pytest.raises(ValueError, match="not tunable"):
        parse_grid("no_such_knob=1")
    assert {half(f"q{i}") for i in range(20)} == {"A", "B"}
