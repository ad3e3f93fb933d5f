"""`sweep`: every grid point scored on retrievals made with its own window and num_candidates,
the best chosen on half A with its interval, and a plot against each parameter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from relevance import plots
from relevance.cli import main
from relevance.errors import RelevanceError
from relevance.sweep import MemoEmbedder, Point, SweepResult, best_against, check_keys, half, retrieval_key, sweep
from search_api.params import SearchType
from search_api.tuning import DEFAULT_TUNING

QIDS = [f"q{i}" for i in range(40)]
QRELS = {qid: {"good": 1} for qid in QIDS}


@dataclass
class Entry:
    doc_id: str


@dataclass
class FakeRetrieval:
    window: int
    num_candidates: int


class FakeService:
    """Puts the judged document first only when the bm25 weight is 0.4 and the retrieval was
    made with window 50: the sweep must pair each point with its own retrieval."""

    def rank(self, retrieval: FakeRetrieval, tuning: Any) -> dict[SearchType, list[Entry]]:
        good_first = tuning.passage_bm25_weight == 0.4 and retrieval.window == 50
        order = ["good", "other"] if good_first else ["other", "good"]
        return {SearchType.PASSAGES: [Entry(d) for d in order]}


def fake_retrievals(keys: list[tuple[int, int]]) -> dict[tuple[int, int], dict[str, FakeRetrieval]]:
    return {key: {qid: FakeRetrieval(*key) for qid in QIDS} for key in keys}


def test_each_point_is_ranked_on_the_retrieval_of_its_window_and_num_candidates() -> None:
    space = {"passage_bm25_weight": [0.3, 0.4], "window": [50, 100]}
    keys = [retrieval_key(p, DEFAULT_TUNING) for p in ({"window": 50}, {"window": 100})]

    points = sweep(FakeService(), fake_retrievals(keys), "passages", QRELS, DEFAULT_TUNING, space)

    assert points[0].point == {"passage_bm25_weight": 0.4, "window": 50}
    assert points[0].scores["all"] == 1.0
    assert all(p.scores["all"] < 1.0 for p in points[1:])
    assert keys == [(50, DEFAULT_TUNING.num_candidates), (100, DEFAULT_TUNING.num_candidates)]


def test_the_best_point_comes_with_intervals_and_a_held_out_test_against_the_defaults() -> None:
    best = Point({"passage_bm25_weight": 0.4}, {}, dict.fromkeys(QIDS, 1.0))
    defaults = Point({}, {}, {q: 1.0 if i % 2 else 0.0 for i, q in enumerate(QIDS)})

    found = best_against(best, defaults)

    assert found["ci95"]["all"] == [1.0, 1.0]
    held_out = [q for q in QIDS if half(q) == "B"]
    assert found["vs_defaults_B"]["queries"] == len(held_out)
    expected = sum(1.0 - defaults.per_query[q] for q in held_out) / len(held_out)
    assert found["vs_defaults_B"]["delta"] == pytest.approx(expected, abs=1e-6)


def test_window_and_num_candidates_outside_the_apis_limits_are_refused_before_any_search() -> None:
    with pytest.raises(RelevanceError, match="window=5"):
        check_keys([(5, 200)], "passages")
    check_keys([(50, 100)], "passages")


def test_query_vectors_are_computed_once_across_retrievals() -> None:
    calls: list[str] = []

    class Inner:
        dimensions = 384

        def embed_query(self, text: str) -> list[float]:
            calls.append(text)
            return [1.0]

    memo = MemoEmbedder(Inner())
    memo.embed_query("grief")
    memo.embed_query("grief")
    assert calls == ["grief"] and memo.dimensions == 384


def sweep_document() -> dict[str, Any]:
    points = [
        Point({"fusion": f, "window": w}, {"all": s, "A": s, "B": s}, dict.fromkeys(QIDS, s))
        for f, w, s in (("linear", 50, 0.5), ("linear", 100, 0.6), ("rrf", 50, 0.4), ("rrf", 100, 0.45))
    ]
    points.sort(key=lambda p: -p.scores["A"])
    defaults = Point({}, {"all": 0.55, "A": 0.55, "B": 0.55}, dict.fromkeys(QIDS, 0.55))
    return SweepResult("ndcg@10", {"fusion": ["linear", "rrf"], "window": [50, 100]}, points, defaults, 2).document()


def test_the_plot_profiles_each_parameter_through_the_best_point() -> None:
    document = sweep_document()

    assert document["best"]["point"] == {"fusion": "linear", "window": 100}
    assert plots.profiles(document, "window") == ([50, 100], [0.5, 0.6], [0.5, 0.6])
    assert plots.profiles(document, "fusion") == (["linear", "rrf"], [0.6, 0.45], [0.6, 0.45])
    assert plots.sweep_figure(document).startswith(b"\x89PNG\r\n\x1a\n")


def test_a_bad_grid_exits_2_before_touching_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries, qrels = tmp_path / "q.tsv", tmp_path / "j.qrels"
    queries.write_text("q1\tgrief\n")
    qrels.write_text("q1 0 d1 1\n")
    base = ["sweep", "--queries", str(queries), "--qrels", str(qrels), "--type", "passages", "--grid"]

    assert main([*base, "no_such_knob=1"]) == 2
    assert "not tunable: no_such_knob" in capsys.readouterr().err
    assert main([*base, "window=5"]) == 2
    assert "window=5" in capsys.readouterr().err
