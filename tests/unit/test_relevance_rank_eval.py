"""Judgments out to an Elasticsearch/OpenSearch `_rank_eval` request body (and back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relevance import rank_eval
from relevance.cli import main
from relevance.errors import JudgmentError
from search_api.query_bodies import LegPlan, passage_bm25
from search_api.query_text import QueryText

QUERIES = {"q1": "can't sleep at night", "q2": "my teen is cutting"}
QRELS = {"q1": {"p1": 2, "p2": 1}, "q2": {"p3": 2}}


def test_each_judged_query_becomes_one_request_with_its_ratings_on_the_index() -> None:
    body = rank_eval.body(QRELS, QUERIES, "dev-passages", lambda text: {"query": {"match": {"text": text}}}, "ndcg", 5)

    assert body["metric"] == {"dcg": {"k": 5, "normalize": True}}
    assert [r["id"] for r in body["requests"]] == ["q1", "q2"]
    first = body["requests"][0]
    assert first["request"] == {"query": {"match": {"text": "can't sleep at night"}}}
    assert first["ratings"] == [
        {"_index": "dev-passages", "_id": "p1", "rating": 2},
        {"_index": "dev-passages", "_id": "p2", "rating": 1},
    ]


def test_the_default_request_is_the_apis_bm25_body_less_what_rank_eval_sets() -> None:
    request = rank_eval.request_builder("api-bm25", "passages", 10)("can't sleep at night")

    expected = passage_bm25(LegPlan(QueryText.of("can't sleep at night"), [], 10, 10))
    assert request == {"query": expected["query"]}
    assert not set(request) & set(rank_eval.DROPPED)


def test_provider_requests_carry_the_apis_understanding_of_the_query() -> None:
    request = rank_eval.request_builder("api-bm25", "providers", 10)("therapist for my teen in Texas")

    text = json.dumps(request)
    assert '"ages_served"' in text  # "my teen" -> an age boost
    assert '"state"' in text  # "in Texas" -> a filter, as bm25 mode applies it


def test_multi_match_requests_use_the_apis_fields() -> None:
    request = rank_eval.request_builder("multi-match", "passages", 10)("grief")

    assert request["query"]["multi_match"]["query"] == "grief"
    assert "title^2" in request["query"]["multi_match"]["fields"]


@pytest.mark.parametrize("metric", rank_eval.METRICS)
def test_every_metric_names_the_cutoff(metric: str) -> None:
    (body,) = rank_eval.metric_body(metric, 7, 2).values()
    assert body["k"] == 7


def test_a_judged_query_without_text_is_an_error() -> None:
    with pytest.raises(JudgmentError, match="'q2' has no text"):
        rank_eval.body(QRELS, {"q1": "x"}, "i", lambda t: {}, "ndcg", 10)


def test_convert_writes_a_body_that_reads_back_as_the_same_judgments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("".join(f"{q}\t{t}\n" for q, t in QUERIES.items()))
    qrels = tmp_path / "j.qrels"
    qrels.write_text("q1 0 p1 2\nq1 0 p2 1\nq2 0 p3 2\n")
    target = tmp_path / "dev.rank_eval.json"

    code = main(["convert", str(qrels), str(target), "--queries", str(queries), "--type", "passages", "--index", "ix"])

    assert code == 0
    assert "2 requests (api-bm25) against ix" in capsys.readouterr().out
    assert rank_eval.read(target) == QRELS
    back = tmp_path / "back.qrels"
    assert main(["convert", str(target), str(back)]) == 0
    assert back.read_text() == qrels.read_text()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([], "needs --queries"),
        (["--queries", "Q"], "needs --type"),
    ],
)
def test_a_body_without_query_text_or_type_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tsleep\n")
    qrels = tmp_path / "j.qrels"
    qrels.write_text("q1 0 p1 2\n")
    extra = [str(queries) if a == "Q" else a for a in extra]

    assert main(["convert", str(qrels), str(tmp_path / "x.rank_eval.json"), *extra]) == 2
    assert expected in capsys.readouterr().err


def test_a_malformed_body_names_the_request(tmp_path: Path) -> None:
    path = tmp_path / "bad.rank_eval.json"
    path.write_text(json.dumps({"requests": [{"id": "q1", "ratings": [{"_id": "p1", "rating": "high"}]}]}))

    with pytest.raises(JudgmentError, match=r"requests\[0\]: rating 'high' of 'p1' is not a whole number"):
        rank_eval.read(path)
