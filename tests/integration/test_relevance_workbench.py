"""The relevance workbench against the real engine and model: eval in-process saves the
hybrid legs the API reports, and the `_rank_eval` body convert writes makes the engine score
bm25 mode exactly as eval does (precision@10 from the engine's own evaluator)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import Settings
from relevance import runner
from relevance.cli import main
from search_api.app import create_app
from tests.integration.api_fixtures import GUIDE_PASSAGES

# Two queries are judged against a neighbouring topic, so that BM25 is far from perfect and the
# engine's figures and eval's could disagree.
QUERIES = {
    "q1": ("panic attack", "guide-anxiety-"),
    "q2": ("I can't sleep at night", "guide-insomnia-"),
    "q3": ("grief after a death", "guide-depression-"),
    "q4": ("intrusive thoughts OCD", "guide-ocd-"),
    "q5": ("my teenager is cutting", "guide-self-harm-"),
}


@pytest.fixture(scope="module")
def saved_eval(corpus: Settings, real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An eval of bm25 and hybrid on the guide passages, judged by topic: the first passage
    of the topic gain 2, the others gain 1."""
    work = tmp_path_factory.mktemp("relevance")
    ids = [json.loads(line)["id"] for line in GUIDE_PASSAGES.read_text(encoding="utf-8").splitlines() if line]
    queries = work / "queries.tsv"
    queries.write_text("".join(f"{qid}\t{text}\n" for qid, (text, _) in QUERIES.items()))
    qrels = work / "guide.qrels"
    lines = []
    for qid, (_, prefix) in QUERIES.items():
        topic = sorted(i for i in ids if i.startswith(prefix))
        lines += [f"{qid} 0 {doc} {2 if n == 0 else 1}" for n, doc in enumerate(topic)]
    qrels.write_text("\n".join(lines) + "\n")
    out = work / "guide.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INDEX_PREFIX", corpus.index_prefix)
        patch.setattr(runner, "load_app", lambda: create_app(corpus, real_embedder))
        args = ["eval", "--app", "--type", "passages", "--queries", str(queries), "--qrels", str(qrels)]
        assert main([*args, "--modes", "bm25,hybrid", "--json", str(out)]) == 0
    return {"queries": queries, "qrels": qrels, "out": out, "work": work}


def test_hybrid_hits_carry_the_legs_that_brought_them(saved_eval: dict[str, Any]) -> None:
    out: Path = saved_eval["out"]
    legs = json.loads(out.with_name("guide.json.hybrid.legs.json").read_text())["legs"]
    run = [line.split() for line in out.with_name("guide.json.hybrid.run").read_text().splitlines()]

    for qid, _, docid, _, _, _ in run:
        assert set(legs[qid][docid]) <= {"bm25", "vector"} and legs[qid][docid]
        assert all(rank >= 1 for rank in legs[qid][docid].values())
    labels = {len(by_leg) for docs in legs.values() for by_leg in docs.values()}
    assert 2 in labels  # some hits were found by both legs


# Metrics defined alike by the engine and trec_eval (the engine's precision divides by the
# hits returned when fewer than k come back, trec_eval's by k; its dcg has exponential gains).
@pytest.mark.needs_module("rank-eval", "the _rank_eval API lives in the rank-eval module")
@pytest.mark.parametrize(("engine_metric", "ours"), [("mrr", "mrr"), ("recall", "recall@10")])
def test_the_rank_eval_body_makes_the_engine_score_bm25_mode_as_eval_does(
    saved_eval: dict[str, Any],
    corpus: Settings,
    cluster: SyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    engine_metric: str,
    ours: str,
) -> None:
    body_path = saved_eval["work"] / f"guide-{engine_metric}.rank_eval.json"
    monkeypatch.setenv("INDEX_PREFIX", corpus.index_prefix)
    args = ["convert", str(saved_eval["qrels"]), str(body_path), "--queries", str(saved_eval["queries"])]
    assert main([*args, "--type", "passages", "--rank-eval-metric", engine_metric]) == 0

    body = json.loads(body_path.read_text())
    answer = cluster.request("POST", f"/{corpus.passages_alias}/_rank_eval", body)

    expected = json.loads(saved_eval["out"].read_text())["bm25"][ours]
    assert answer["failures"] == {}
    assert answer["metric_score"] == pytest.approx(expected, abs=1e-6)
    assert 0 < expected < 1  # a figure that can disagree
