"""What `relevance.judgments` promises: queries from TSV or JSON Lines, judgments from TREC
qrels, Quepid CSV or JSON Lines (the same judgments whichever format), written back to each;
every bad input is a JudgmentError with one line naming the file and the line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from relevance.cli import main
from relevance.judgments import (
    JudgmentError,
    Qrels,
    Queries,
    read_qrels,
    read_queries,
    write_qrels,
    write_queries,
)

QUERIES: Queries = {"q1": "panic attacks at work", "q2": "grief after losing a parent"}
QRELS: Qrels = {"q1": {"d1": 2, "d2": 0}, "q2": {"d3": 1}}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def queries_tsv(tmp_path: Path) -> Path:
    return write(tmp_path / "queries.tsv", "q1\tpanic attacks at work\nq2\tgrief after losing a parent\n")


# ---- reading and writing


def test_queries_read_from_tsv_with_or_without_header_and_from_json_lines(tmp_path: Path) -> None:
    plain = write(tmp_path / "a.tsv", "q1\tpanic attacks at work\n\nq2\tgrief after losing a parent\n")
    header = write(tmp_path / "b.tsv", "qid\tquery\nq1\tpanic attacks at work\nq2\tgrief after losing a parent\n")
    jsonl = write(
        tmp_path / "c.jsonl",
        '{"qid": "q1", "query": "panic attacks at work", "topics": ["anxiety"]}\n'
        '{"qid": "q2", "query": "grief after losing a parent"}\n',
    )

    assert read_queries(plain) == read_queries(header) == read_queries(jsonl) == QUERIES


def test_trec_quepid_and_json_lines_judgments_read_the_same(tmp_path: Path) -> None:
    trec = write(tmp_path / "j.qrels", "q1 0 d1 2\nq1 0 d2 0\nq2 0 d3 1\n")
    quepid = write(
        tmp_path / "j.csv",
        "query,docid,rating\npanic attacks at work,d1,2\nPanic attacks  at work,d2,0.0\n"
        "grief after losing a parent,d3,1\ngrief after losing a parent,d9,\n",  # d9: not rated yet
    )
    jsonl = write(
        tmp_path / "j.jsonl",
        '{"qid": "q1", "query": "panic attacks at work", "judgments": {"d1": 2, "d2": 0}}\n'
        '{"qid": "q2", "judgments": {"d3": 1}}\n',
    )

    for path in (trec, quepid, jsonl):
        assert read_qrels(path, QUERIES) == QRELS, path.name


def test_answers_in_the_dev_queries_shape_count_at_gain_2(tmp_path: Path) -> None:
    path = write(tmp_path / "dev.jsonl", '{"qid": "q1", "query": "x", "topics": ["t"], "answers": ["a1", "a2"]}\n')

    assert read_qrels(path) == {"q1": {"a1": 2, "a2": 2}}


@pytest.mark.parametrize("name", ["out.qrels", "out.csv", "out.jsonl"])
def test_every_format_round_trips(tmp_path: Path, name: str) -> None:
    write_qrels(tmp_path / name, QRELS, QUERIES)

    assert read_qrels(tmp_path / name, QUERIES) == QRELS


@pytest.mark.parametrize("name", ["q.tsv", "q.jsonl"])
def test_query_files_round_trip(tmp_path: Path, name: str) -> None:
    write_queries(tmp_path / name, QUERIES)

    assert read_queries(tmp_path / name) == QUERIES


def test_quepid_csv_refuses_to_write_two_queries_with_one_text(tmp_path: Path) -> None:
    queries = {"q1": "same words", "q2": "Same  words"}

    with pytest.raises(JudgmentError, match="share the text"):
        write_qrels(tmp_path / "x.csv", {"q1": {"d": 1}, "q2": {"d": 1}}, queries)


def test_convert_command_rewrites_trec_qrels_as_quepid_csv(tmp_path: Path, queries_tsv: Path) -> None:
    source = write(tmp_path / "j.qrels", "q1 0 d1 2\nq1 0 d2 0\nq2 0 d3 1\n")

    code = main(["convert", str(source), str(tmp_path / "j.csv"), "--queries", str(queries_tsv)])

    assert code == 0
    assert read_qrels(tmp_path / "j.csv", QUERIES) == QRELS


# ---- bad input: one line naming the file and the line

BAD_JUDGMENTS = [
    pytest.param("j.qrels", "q1 0 d1 2\nq7 0 d2 1\n", 2, "query id 'q7' is not in", id="unknown-qid"),
    pytest.param(
        "j.qrels",
        "q1 0 d1 2\nq2 0 d3 1\nq1 0 d1 1\n",
        3,
        r"duplicate judgment for query 'q1', document 'd1' \(first at line 1\)",
        id="duplicate",
    ),
    pytest.param("j.qrels", "q1 0 d1 2\nq1 0 d2 high\n", 2, "non-numeric grade 'high'", id="trec-grade"),
    pytest.param("j.qrels", "q1 0 d1 1.5\n", 1, "grade '1.5' is not a whole number", id="fraction"),
    pytest.param("j.qrels", "q1 d1 2\n", 1, r"expected 'qid 0 docid gain' \(4 fields\), got 3", id="fields"),
    pytest.param(
        "j.csv",
        "query,docid,rating\npanic attacks at work,d1,2\npanic attacks at work,d2,good\n",
        3,
        "non-numeric grade 'good'",
        id="quepid-grade",
    ),
    pytest.param(
        "j.csv",
        "query,docid,rating\nsomething else,d1,2\n",
        2,
        "query 'something else' is not in",
        id="quepid-unknown-query",
    ),
    pytest.param("j.csv", "q,doc,grade\n", 1, "the header must name", id="quepid-header"),
    pytest.param(
        "j.jsonl",
        '{"qid": "q1", "judgments": {"d1": 2}}\n{"qid": "q2", "judgments": {"d3": "yes"}}\n',
        2,
        "non-numeric grade 'yes'",
        id="jsonl-grade",
    ),
    pytest.param(
        "j.jsonl", '{"qid": "q1", "judgments": {"d1": 2}}\n{"qid": "q2",\n', 2, "invalid JSON", id="jsonl-syntax"
    ),
    pytest.param(
        "j.jsonl",
        '{"qid": "q1", "answers": ["d1"], "judgments": {"d1": 1}}\n',
        1,
        r"duplicate judgment .* \(first at line 1\)",
        id="jsonl-duplicate",
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "reason"), BAD_JUDGMENTS)
def test_bad_judgments_name_the_file_and_line(tmp_path: Path, name: str, text: str, line: int, reason: str) -> None:
    path = write(tmp_path / name, text)

    with pytest.raises(JudgmentError) as caught:
        read_qrels(path, QUERIES, queries_name="queries.tsv")

    message = str(caught.value)
    assert "\n" not in message
    assert re.match(rf"{re.escape(str(path))}:{line}: {reason}", message), message


BAD_QUERIES = [
    pytest.param("q.tsv", "q1\tfine\nq2 no tab here\n", ":2: expected 'qid<TAB>query'", id="no-tab"),
    pytest.param("q.tsv", "q1\tfine\nq1\tagain\n", ":2: duplicate query id 'q1' (first at line 1)", id="duplicate"),
    pytest.param("q.tsv", "q1\t  \n", ":1: empty query for 'q1'", id="empty-query"),
    pytest.param("q.tsv", "\n\n", ": no queries in the file", id="empty-set"),
    pytest.param("q.jsonl", '{"qid": "q1"}\n', ":1: missing or empty 'query' for 'q1'", id="jsonl-no-query"),
    pytest.param("q.jsonl", '{"query": "x"}\n', ":1: missing or empty qid", id="jsonl-no-qid"),
    pytest.param("q.jsonl", '{"qid": "a b", "query": "x"}\n', ":1: qid 'a b' contains whitespace", id="jsonl-space"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_QUERIES)
def test_bad_query_files_name_the_file_and_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = write(tmp_path / name, text)

    with pytest.raises(JudgmentError) as caught:
        read_queries(path)

    assert str(caught.value) == f"{path}{expected}"


def test_quepid_text_shared_by_two_queries_is_ambiguous(tmp_path: Path) -> None:
    path = write(tmp_path / "j.csv", "query,docid,rating\nsame words,d1,2\n")

    with pytest.raises(JudgmentError, match=r"j\.csv:2: .*matches several query ids \(q1, q2\)"):
        read_qrels(path, {"q1": "same words", "q2": "same words"})


def test_a_missing_file_is_a_judgment_error(tmp_path: Path) -> None:
    with pytest.raises(JudgmentError, match=r"nope\.tsv: cannot read"):
        read_queries(tmp_path / "nope.tsv")


def test_eval_reports_bad_judgments_on_one_line_with_exit_2(
    tmp_path: Path, queries_tsv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qrels = write(tmp_path / "j.qrels", "q1 0 d1 2\nq1 0 d1 1\n")

    code = main(
        [
            "eval",
            "--api",
            "http://127.0.0.1:9",
            "--queries",
            str(queries_tsv),
            "--qrels",
            str(qrels),
            "--type",
            "passages",
            "--json",
            str(tmp_path / "o.json"),
        ]
    )

    err = capsys.readouterr().err
    assert code == 2
    assert err == f"error: {qrels}:2: duplicate judgment for query 'q1', document 'd1' (first at line 1)\n"
