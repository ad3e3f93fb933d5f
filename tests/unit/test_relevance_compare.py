"""`compare A B`: saved runs side by side, query by query."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from relevance import runner, saved
from relevance.cli import main
from relevance.compare import ranks, read_trec_run
from relevance.errors import JudgmentError
from tests.unit.test_relevance_cli import canned_app


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ranks_follow_scores_with_ties_broken_by_id() -> None:
    assert ranks({"b": 1.0, "a": 1.0, "c": 2.0}) == {"c": 1, "a": 2, "b": 3}


def test_bad_run_lines_name_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(JudgmentError, match=r"run:2: a run line has 6 fields"):
        read_trec_run(write(tmp_path / "run", "q1 Q0 d1 1 2.0 t\nq1 d2 1 1.0\n"))
    with pytest.raises(JudgmentError, match="appears twice"):
        read_trec_run(write(tmp_path / "run", "q1 Q0 d1 1 2.0 t\nq1 Q0 d1 2 1.0 t\n"))


def test_compare_reports_the_delta_the_test_and_each_documents_movement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = write(tmp_path / "q.tsv", "q1\twhy can't I sleep\nq2\tfeeling anxious\n")
    qrels = write(tmp_path / "qrels", "q1 0 good 2\nq2 0 fine 1\n")
    a = write(tmp_path / "a.run", "q1 Q0 bad 1 2 a\nq1 Q0 good 2 1 a\nq2 Q0 fine 1 1 a\n")
    b = write(tmp_path / "b.run", "q1 Q0 good 1 2 b\nq1 Q0 bad 2 1 b\nq2 Q0 fine 1 1 b\n")
    assert main(["compare", str(a), str(b), "--qrels", str(qrels), "--queries", str(queries)]) == 0
    out = capsys.readouterr().out
    assert "B wins/ties/losses 1/1/0" in out
    assert "why can't I sleep" in out
    assert "rank 2 -> 1" in out


# ---- saved runs compared from their files alone


@pytest.fixture
def two_saved_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Two eval runs as eval saves them, made with different tunings and commits."""
    queries = write(tmp_path / "queries.tsv", "q1\tpanic attacks\nq2\tgrief\nq3\tinsomnia\n")
    qrels = write(tmp_path / "graded.qrels", "q1 0 d1 2\nq1 0 d2 1\nq2 0 e1 2\nq2 0 e2 1\nq3 0 f1 1\n")
    monkeypatch.setattr(runner, "load_app", canned_app)
    records = {}
    for name, weight, commit in (("old", 0.3, "aaaa111"), ("new", 0.5, "bbbb222")):
        monkeypatch.setattr(saved, "git_commit", lambda commit=commit: commit)
        monkeypatch.setattr(saved, "current_tuning", lambda weight=weight: {"passage_bm25_weight": weight})
        out = tmp_path / name / "eval.json"
        args = ["eval", "--app", "--queries", str(queries), "--qrels", str(qrels), "--type", "passages"]
        assert main([*args, "--modes", "bm25,hybrid", "--json", str(out)]) == 0
        records[name] = out
    return {"queries": queries, "qrels": qrels, **records}


def test_two_saved_runs_compare_from_their_files_with_what_changed_and_the_legs(
    two_saved_runs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    a = two_saved_runs["old"].with_name("eval.json.bm25.run")
    b = two_saved_runs["new"].with_name("eval.json.hybrid.run")

    assert main(["compare", str(a), str(b), "--json", str(two_saved_runs["new"].with_name("cmp.json"))]) == 0

    out = capsys.readouterr().out
    assert "A: eval.json.bm25.run (bm25," in out and "aaaa111" in out
    assert "passage_bm25_weight: 0.3 -> 0.5" in out and "commit: aaaa111 -> bbbb222" in out
    assert "panic attacks" in out  # the query text came from the saved record
    # q1: d1 (answer) fell from 1 to 2 under hybrid, which BM25 alone had brought
    assert re.search(r"d1 +gain 2  rank 1 -> 2   legs B: bm25 \(bm25 #1\)", out)
    assert re.search(r"d2 +gain 1  rank 2 -> 1   legs B: both \(bm25 #2, vector #1\)", out)
    document = json.loads(two_saved_runs["new"].with_name("cmp.json").read_text())
    q1 = next(q for q in document["queries"] if q["qid"] == "q1")
    assert {m["docid"]: m["legs_b"] for m in q1["movements"]} == {"d1": {"bm25": 1}, "d2": {"bm25": 2, "vector": 1}}


def test_changed_judgments_are_not_used_silently(
    two_saved_runs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a = two_saved_runs["old"].with_name("eval.json.bm25.run")
    b = two_saved_runs["new"].with_name("eval.json.hybrid.run")
    two_saved_runs["qrels"].write_text("q1 0 d1 1\nq2 0 e1 2\nq3 0 f1 1\n")
    capsys.readouterr()

    assert main(["compare", str(a), str(b)]) == 2
    assert "changed since the runs were scored; give --qrels" in capsys.readouterr().err

    assert main(["compare", str(a), str(b), "--qrels", str(two_saved_runs["qrels"])]) == 0
    assert "scored with other judgments" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("run_text", "expected"),
    [
        (None, r"b\.run: no such run file"),
        ("q1 Q0 d1 1 2.0 b\nq1 Q0 d2 two 1.0\n", r"b\.run:2: a run line has 6 fields"),
        ("q1 Q0 d1 1 high b\n", r"b\.run:1: score 'high' is not a number"),
    ],
)
def test_a_missing_or_malformed_run_exits_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], run_text: str | None, expected: str
) -> None:
    queries = write(tmp_path / "q.tsv", "q1\tsleep\n")
    qrels = write(tmp_path / "qrels", "q1 0 d1 2\n")
    a = write(tmp_path / "a.run", "q1 Q0 d1 1 2.0 a\n")
    b = tmp_path / "b.run"
    if run_text is not None:
        write(b, run_text)

    code = main(["compare", str(a), str(b), "--qrels", str(qrels), "--queries", str(queries)])

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert re.search(expected, err)


def test_an_unknown_metric_is_refused_before_reading_anything(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "a.run", "b.run", "--metric", "map"]) == 2
    assert "--metric" in capsys.readouterr().err
