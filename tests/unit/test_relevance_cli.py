"""What `python -m relevance eval` promises (SPEC: Commands): it runs the judged queries
through the API once per mode, writes the means, intervals, unjudged share and metadata as
JSON with the runs beside it, prints a table and the paired tests, and turns bad input or an
unreachable API into one line on stderr and exit 2."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import relevance.cli as cli
from relevance.cli import main

# What the fake API returns per mode and query: bm25 is perfect, hybrid finds the answer
# second, vector returns only documents nobody judged.
CANNED = {
    "bm25": {"panic attacks": ["d1", "d2"], "grief": ["e1", "e2"], "insomnia": ["f1"]},
    "hybrid": {"panic attacks": ["d2", "d1"], "grief": ["e1", "x1"], "insomnia": ["f1"]},
    "vector": {"panic attacks": ["x1", "x2"], "grief": ["x3"], "insomnia": []},
}
METRIC_KEYS = {"ndcg@10", "mrr", "recall@10", "p@10", "err@10"}


def canned_app() -> Starlette:
    async def search(request: Request) -> JSONResponse:
        p = request.query_params
        ids = CANNED[p["mode"]][p["q"]][: int(p["size"])]
        hits = [{"id": i, "score": 7.0, "highlights": {}} for i in ids]  # tied scores on purpose
        body = {"query": p["q"], "mode": p["mode"], "crisis": None, p["type"]: {"total": len(hits), "hits": hits}}
        return JSONResponse(body)

    return Starlette(routes=[Route("/v1/search", search)])


@pytest.fixture
def judged(tmp_path: Path) -> dict[str, Path]:
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tpanic attacks\nq2\tgrief\nq3\tinsomnia\nq4\tunjudged query\n")
    qrels = tmp_path / "graded.qrels"
    qrels.write_text("q1 0 d1 2\nq1 0 d2 1\nq2 0 e1 2\nq2 0 e2 1\nq3 0 f1 1\n")
    answers = tmp_path / "answers.qrels"
    answers.write_text("q1 0 d1 2\nq2 0 e1 2\nq3 0 f1 2\n")
    return {"queries": queries, "qrels": qrels, "answers": answers, "out": tmp_path / "out" / "eval.json"}


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "load_app", canned_app)
    monkeypatch.setattr(cli, "git_commit", lambda: "0123abc")


def eval_args(files: dict[str, Path], *extra: str) -> list[str]:
    return [
        "eval",
        "--queries",
        str(files["queries"]),
        "--qrels",
        str(files["qrels"]),
        "--type",
        "passages",
        "--json",
        str(files["out"]),
        *extra,
    ]


def test_eval_in_process_writes_the_documented_json_shape(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(eval_args(judged, "--app", "--modes", "bm25,vector,hybrid"))

    assert code == 0
    result: dict[str, Any] = json.loads(judged["out"].read_text())
    assert set(result) == {"bm25", "vector", "hybrid", "_compare", "_meta"}
    for mode in ("bm25", "vector", "hybrid"):
        row = result[mode]
        assert set(row) >= METRIC_KEYS
        assert set(row["ci95"]) == METRIC_KEYS
        assert row["queries"] == 3  # q4 has no judgments
        assert 0.0 <= row["unjudged@10"] <= 1.0
    meta = result["_meta"]
    assert meta["type"] == "passages" and meta["commit"] == "0123abc"
    assert meta["api"].startswith("in-process")
    assert isinstance(meta["seconds"], float) and meta["time"].endswith("+00:00")


def test_eval_scores_the_canned_rankings_as_expected(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(eval_args(judged, "--app", "--modes", "bm25,vector,hybrid"))

    result = json.loads(judged["out"].read_text())
    assert result["bm25"]["ndcg@10"] == 1.0 and result["bm25"]["mrr"] == 1.0
    assert result["vector"]["ndcg@10"] == 0.0 and result["vector"]["unjudged@10"] == 1.0
    assert result["hybrid"]["mrr"] == 1.0  # d2 (gain 1) first counts as relevant in graded qrels
    assert result["bm25"]["ci95"]["ndcg@10"] == [1.0, 1.0]
    pairs = {(c["a"], c["b"]): c for c in result["_compare"]}
    assert set(pairs) == {("bm25", "vector"), ("bm25", "hybrid"), ("vector", "hybrid")}
    assert (pairs["bm25", "vector"]["wins"], pairs["bm25", "vector"]["losses"]) == (0, 3)
    assert pairs["bm25", "vector"]["delta"] == -1.0


def test_eval_prints_a_table_and_the_paired_tests_and_warns_about_unjudged_results(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(eval_args(judged, "--app", "--modes", "bm25,vector"))

    out, err = capsys.readouterr()
    header = out.splitlines()[0].split()
    assert header[:6] == ["mode", "ndcg@10", "mrr", "recall@10", "p@10", "err@10"]
    assert any(line.startswith("bm25") for line in out.splitlines())
    assert "paired randomization test on ndcg@10" in out
    assert "warning: vector:" in err and "unjudged" in err
    assert "1 of 4 queries" in err


def test_eval_saves_each_run_next_to_the_json(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(eval_args(judged, "--app", "--modes", "bm25,hybrid"))

    run = judged["out"].with_name("eval.json.hybrid.run").read_text().splitlines()
    assert run[:2] == ["q1 Q0 d2 1 1.000000 hybrid", "q1 Q0 d1 2 0.500000 hybrid"]
    assert judged["out"].with_name("eval.json.bm25.run").exists()


def test_answers_qrels_change_recall_and_mrr_only(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(eval_args(judged, "--app", "--modes", "hybrid"))
    graded = json.loads(judged["out"].read_text())["hybrid"]
    main(eval_args(judged, "--app", "--modes", "hybrid", "--answers-qrels", str(judged["answers"])))
    answers = json.loads(judged["out"].read_text())["hybrid"]

    # hybrid returns q2's answer e1 but not its gain-1 e2: graded recall 1/2, answers recall 1;
    # it ranks q1's answer d1 second, after d2 (gain 1): graded RR 1, answers RR 1/2.
    assert graded["recall@10"] == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-6)
    assert answers["recall@10"] == 1.0
    assert graded["mrr"] == 1.0
    assert answers["mrr"] == pytest.approx((0.5 + 1 + 1) / 3, abs=1e-6)
    assert answers["ndcg@10"] == graded["ndcg@10"]


def test_an_unreachable_api_exits_2_with_one_line(judged: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    code = main(eval_args(judged, "--api", f"http://127.0.0.1:{port}", "--modes", "bm25"))

    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2
    assert len(errors) == 1
    assert errors[0].startswith(f"error: cannot reach the search API at http://127.0.0.1:{port}")
    assert "Traceback" not in err


def test_unknown_modes_are_a_usage_error(judged: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(eval_args(judged, "--modes", "bm25,splade"))

    assert exited.value.code == 2
    assert "modes are a comma-separated subset of bm25,vector,hybrid" in capsys.readouterr().err
