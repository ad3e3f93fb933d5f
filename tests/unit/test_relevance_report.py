"""`report`: one self-contained HTML file for a saved run or a comparison, text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from relevance import runner, saved
from relevance.cli import main
from tests.unit.test_relevance_cli import CANNED, canned_app
from tests.unit.test_relevance_sweep import sweep_document

HOSTILE = "panic <script>alert(1)</script> & attacks"


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """An eval record whose first query's text carries markup."""
    monkeypatch.setitem(CANNED["bm25"], HOSTILE, CANNED["bm25"]["panic attacks"])
    monkeypatch.setitem(CANNED["hybrid"], HOSTILE, CANNED["hybrid"]["panic attacks"])
    monkeypatch.setitem(CANNED["vector"], HOSTILE, CANNED["vector"]["panic attacks"])
    queries = tmp_path / "queries.tsv"
    queries.write_text(f"q1\t{HOSTILE}\nq2\tgrief\nq3\tinsomnia\n")
    qrels = tmp_path / "graded.qrels"
    qrels.write_text("q1 0 d1 2\nq1 0 d2 1\nq2 0 e1 2\nq2 0 e2 1\nq3 0 f1 1\n")
    monkeypatch.setattr(runner, "load_app", canned_app)
    monkeypatch.setattr(saved, "git_commit", lambda: "cafe123")
    out = tmp_path / "eval.json"
    args = ["eval", "--app", "--queries", str(queries), "--qrels", str(qrels), "--type", "passages"]
    assert main([*args, "--json", str(out)]) == 0
    capsys.readouterr()
    return out


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!doctype html>")
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)  # no external assets
    assert "<script" not in page and "<link" not in page
    assert "<style>" in page


def test_a_run_report_holds_the_tables_intervals_plots_and_per_query_scores(record: Path, tmp_path: Path) -> None:
    html_path = tmp_path / "report.html"

    assert main(["report", str(record), "--out", str(html_path)]) == 0

    page = html_path.read_text()
    assert_self_contained(page)
    assert page.count('src="data:image/png;base64,') == 2  # means with intervals, per-query spread
    scores = json.loads(record.read_text())
    low, high = scores["hybrid"]["ci95"]["ndcg@10"]
    assert f"{low:.3f}–{high:.3f}" in page
    assert "unjudged@10" in page and "more than 30% unjudged" in page  # vector returned only unjudged
    assert "cafe123" in page and "wins/ties/losses" in page
    assert "panic &lt;script&gt;alert(1)&lt;/script&gt; &amp; attacks" in page


def test_a_comparison_report_shows_the_test_the_extremes_movements_and_legs(record: Path, tmp_path: Path) -> None:
    html_path = tmp_path / "cmp.html"
    a, b = record.with_name("eval.json.bm25.run"), record.with_name("eval.json.hybrid.run")

    assert main(["report", str(a), str(b), "--out", str(html_path)]) == 0

    page = html_path.read_text()
    assert_self_contained(page)
    assert "wins/ties/losses for B" in page and "paired randomization p" in page
    assert "Largest regressions (B below A)" in page
    assert "panic &lt;script&gt;" in page and "<script>alert" not in page
    assert "both (bm25 #2, vector #1)" in page  # d2 came from both legs in the hybrid run


def test_a_sweep_can_be_added_to_a_report(record: Path, tmp_path: Path) -> None:
    sweep_file = tmp_path / "sweep.json"
    sweep_file.write_text(json.dumps(sweep_document()))
    html_path = tmp_path / "report.html"

    assert main(["report", str(record), "--sweep", str(sweep_file), "--out", str(html_path)]) == 0

    page = html_path.read_text()
    assert page.count('src="data:image/png;base64,') == 3
    assert "best on half A: <b>fusion=linear, window=100</b>" in page


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (["missing.json"], "missing.json: no such run record"),
        (["a.run"], "one eval record (OUT.json) or two run files"),
    ],
)
def test_bad_report_inputs_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], inputs: list[str], expected: str
) -> None:
    paths = [str(tmp_path / name) for name in inputs]

    assert main(["report", *paths, "--out", str(tmp_path / "r.html")]) == 2
    assert expected in capsys.readouterr().err
