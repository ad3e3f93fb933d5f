"""What `python -m relevance eval` promises (docs/contract.md: Commands): it runs the judged queries
through the API once per mode, writes the means, intervals, unjudged share and metadata as
JSON with the runs beside it, prints a table and the paired tests, and turns bad input or an
unreachable API into one line on stderr and exit 2."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from relevance import runner, saved
from relevance.cli import main

# What the fake API returns per mode and query: bm25 is perfect, hybrid finds the answer
# second, vector returns only documents nobody judged.
CANNED = {
    "bm25": {"panic attacks": ["d1", "d2"], "grief": ["e1", "e2"], "insomnia": ["f1"]},
    "hybrid": {"panic attacks": ["d2", "d1"], "grief": ["e1", "x1"], "insomnia": ["f1"]},
    "vector": {"panic attacks": ["x1", "x2"], "grief": ["x3"], "insomnia": []},
}
# The legs the fake API's explain reports for hybrid hits (docs/contract.md: explain).
LEGS = {"d2": {"bm25": 2, "vector": 1}, "d1": {"bm25": 1}, "e1": {"vector": 1}, "x1": {"vector": 2}, "f1": {"bm25": 1}}
METRIC_KEYS = {"ndcg@10", "mrr", "recall@10", "p@10", "err@10"}


def canned_app() -> Starlette:
    async def search(request: Request) -> JSONResponse:
        p = request.query_params
        ids = CANNED[p["mode"]][p["q"]][: int(p["size"])]
        hits: list[dict[str, Any]] = [{"id": i, "score": 7.0, "highlights": {}} for i in ids]  # tied on purpose
        if p.get("explain") == "true":
            for hit in hits:
                legs = LEGS[hit["id"]]
                hit["explain"] = {
                    "fused_score": 0.5,
                    "legs": {leg: {"rank": r, "score": 1.0} for leg, r in legs.items()},
                }
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
    monkeypatch.setattr(runner, "load_app", canned_app)
    monkeypatch.setattr(saved, "git_commit", lambda: "0123abc")


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
    assert set(result) == {"bm25", "vector", "hybrid", "_compare", "_meta", "_queries"}
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


def test_hybrid_runs_save_which_leg_brought_each_hit(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(eval_args(judged, "--app", "--modes", "bm25,hybrid"))

    legs = json.loads(judged["out"].with_name("eval.json.hybrid.legs.json").read_text())["legs"]
    assert legs["q1"] == {"d2": {"bm25": 2, "vector": 1}, "d1": {"bm25": 1}}
    assert legs["q2"]["e1"] == {"vector": 1}
    assert not judged["out"].with_name("eval.json.bm25.legs.json").exists()  # one leg: nothing to tell


def test_the_record_keeps_the_configuration_commit_time_and_per_query_scores(
    judged: dict[str, Path], in_process: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INDEX_PREFIX", "evalprefix")
    main(eval_args(judged, "--app", "--modes", "bm25,hybrid", "--k", "5"))

    record = json.loads(judged["out"].read_text())
    meta = record["_meta"]
    assert meta["modes"] == ["bm25", "hybrid"] and meta["k"] == 5 and meta["type"] == "passages"
    assert meta["index_prefix"] == "evalprefix"
    assert meta["tuning"]["passage_bm25_weight"] == pytest.approx(0.3) and meta["tuning_source"] == "in-process"
    assert len(meta["qrels_sha256"]) == 64 and meta["answers_qrels"] is None
    assert set(meta["seconds_per_mode"]) == {"bm25", "hybrid"}
    assert record["_queries"]["q1"]["query"] == "panic attacks"
    assert record["_queries"]["q1"]["bm25"]["ndcg@5"] == 1.0
    assert record["_queries"]["q1"]["hybrid"]["ndcg@5"] < 1.0  # the answer second
    assert "q4" not in record["_queries"]  # not judged, not run


def test_the_record_says_when_the_api_is_remote_that_the_tuning_is_the_checkouts(
    judged: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(saved, "git_commit", lambda: None)  # no git: still a record
    app = canned_app()

    def over_http(*args: Any, **kwargs: Any) -> runner.Collected:
        kwargs["app"], kwargs["api"] = app, None  # the remote API, served in-process here
        return real_collect(*args, **kwargs)

    real_collect = runner.collect
    monkeypatch.setattr(runner, "collect", over_http)
    assert main(eval_args(judged, "--api", "http://search.example:8000", "--modes", "bm25")) == 0

    meta = json.loads(judged["out"].read_text())["_meta"]
    assert meta["api"] == "http://search.example:8000" and meta["commit"] is None
    assert "may differ" in meta["tuning_source"]


@pytest.mark.parametrize(
    ("qrels_text", "expected"),
    [
        ("q1 0 d1 2\nq9 0 d1 1\n", r"graded\.qrels:2: query id 'q9' is not in .*queries\.tsv"),
        ("q1 0 d1 2\nq1 0 d1 1\n", r"graded\.qrels:2: duplicate judgment for query 'q1', document 'd1'"),
        ("q1 0 d1 high\n", r"graded\.qrels:1: non-numeric grade 'high'"),
    ],
)
def test_bad_judgments_exit_2_naming_file_and_line(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str], qrels_text: str, expected: str
) -> None:
    judged["qrels"].write_text(qrels_text)

    code = main(eval_args(judged, "--app"))

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert re.search(expected, err.strip().splitlines()[-1])


def test_an_empty_query_set_exits_2_naming_the_file(
    judged: dict[str, Path], in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    judged["queries"].write_text("\n\n")

    assert main(eval_args(judged, "--app")) == 2
    assert re.search(r"^error: .*queries\.tsv: no queries in the file$", capsys.readouterr().err.strip())
