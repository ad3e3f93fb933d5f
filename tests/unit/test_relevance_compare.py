"""`compare A B`: saved runs side by side, query by query."""

from __future__ import annotations

from pathlib import Path

import pytest

from relevance.cli import main
from relevance.compare import ranks, read_trec_run
from relevance.errors import JudgmentError


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
