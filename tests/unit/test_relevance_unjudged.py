"""`unjudged`: the top-k documents nobody judged, once per query, as a raters' worklist."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from relevance import runner, saved
from relevance.cli import main
from relevance.judgments import read_qrels, read_queries
from relevance.saved import SavedRun
from relevance.unjudged import to_csv, worklist
from tests.unit.test_relevance_cli import canned_app


def saved_run(mode: str, run: dict[str, list[str]]) -> SavedRun:
    scores = {qid: {d: 1.0 / r for r, d in enumerate(docs, start=1)} for qid, docs in run.items()}
    return SavedRun(Path(f"x.json.{mode}.run"), mode, scores, None, None)


def test_unjudged_top_k_documents_are_listed_once_with_their_best_rank_and_modes() -> None:
    qrels = {"q1": {"d1": 2}, "q2": {"e1": 1}}
    runs = [
        saved_run("bm25", {"q1": ["d1", "x1", "x2", "x3"], "q2": ["e1"]}),
        saved_run("hybrid", {"q1": ["x2", "d1", "x1"], "q2": ["y1", "e1"]}),
    ]

    rows = worklist(runs, qrels, k=3)

    assert [(r.qid, r.docid, r.rank, r.modes) for r in rows] == [
        ("q1", "x2", 1, ["bm25", "hybrid"]),
        ("q1", "x1", 2, ["bm25", "hybrid"]),
        ("q2", "y1", 1, ["hybrid"]),
    ]  # x3 is at rank 4: outside the top 3


def test_the_worklist_is_quepid_shaped_and_reads_back_as_judgments_once_rated(tmp_path: Path) -> None:
    queries = {"q1": 'panic, "attacks"', "q2": "grief"}
    rows = worklist([saved_run("bm25", {"q1": ["x1"], "q2": ["y1"]})], {"q1": {}, "q2": {}}, k=10)

    text = to_csv(rows, queries)

    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["query", "docid", "rating", "qid", "rank", "modes"]
    assert table[1] == ['panic, "attacks"', "x1", "", "q1", "1", "bm25"]
    quepid = list(csv.reader(io.StringIO(to_csv(rows, queries, quepid_only=True))))
    assert quepid == [["query", "docid", "rating"], ['panic, "attacks"', "x1", ""], ["grief", "y1", ""]]
    # a rater fills in one rating; the file is then judgments this tool reads
    rated = tmp_path / "rated.csv"
    rated.write_text(text.replace(",x1,,", ",x1,2,"))
    query_file = tmp_path / "q.tsv"
    query_file.write_text('q1\tpanic, "attacks"\nq2\tgrief\n')
    assert read_qrels(rated, read_queries(query_file)) == {"q1": {"x1": 2}}


def test_the_command_reads_an_eval_record_and_all_its_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tpanic attacks\nq2\tgrief\nq3\tinsomnia\n")
    qrels = tmp_path / "graded.qrels"
    qrels.write_text("q1 0 d1 2\nq1 0 d2 1\nq2 0 e1 2\nq2 0 e2 1\nq3 0 f1 1\n")
    monkeypatch.setattr(runner, "load_app", canned_app)
    monkeypatch.setattr(saved, "git_commit", lambda: None)
    record = tmp_path / "eval.json"
    args = ["eval", "--app", "--queries", str(queries), "--qrels", str(qrels), "--type", "passages"]
    assert main([*args, "--json", str(record)]) == 0
    capsys.readouterr()

    assert main(["unjudged", str(record), "--out", str(tmp_path / "todo.csv")]) == 0

    table = list(csv.DictReader((tmp_path / "todo.csv").open()))
    pairs = {(r["qid"], r["docid"]): r for r in table}
    # vector returned x1, x2 for q1 and x3 for q2; hybrid x1 for q2 (canned rankings)
    assert set(pairs) == {("q1", "x1"), ("q1", "x2"), ("q2", "x3"), ("q2", "x1")}
    assert pairs["q2", "x1"]["modes"] == "hybrid" and pairs["q2", "x1"]["rank"] == "2"
    assert pairs["q1", "x1"]["query"] == "panic attacks" and pairs["q1", "x1"]["rating"] == ""
    assert "4 unjudged documents in the top 10 of 2 queries" in capsys.readouterr().out


def test_a_missing_run_beside_the_record_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "eval.json"
    record.write_text('{"bm25": {}, "_meta": {"modes": ["bm25"]}}')

    assert main(["unjudged", str(record), "--out", str(tmp_path / "todo.csv")]) == 2
    assert "eval.json.bm25.run: no such run file" in capsys.readouterr().err


def test_a_malformed_record_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "eval.json"
    record.write_text('{\n  "bm25": {,\n}')

    assert main(["unjudged", str(record), "--out", str(tmp_path / "todo.csv")]) == 2
    assert "eval.json:2: invalid JSON" in capsys.readouterr().err
