"""The benchmark's query set: the shipped file parses into the API's own parameters, a bad
line is reported by file and line, and each query's filters are the ones the API would send."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.knn_recall import recall_at
from bench.queryset import BenchQuery, QuerySetError, engine_filters, read_query_set
from bench.scale import parse_summary, split_of
from bench.stats import percentile


def test_the_shipped_query_set_is_200_queries_half_of_them_filtered() -> None:
    queries = read_query_set()
    assert len(queries) == 200
    assert len({q.id for q in queries}) == 200
    assert sum(q.filtered for q in queries) == 100
    # lay queries and development questions both carry filters
    assert any(q.filtered and q.id.startswith("lay-") for q in queries)
    assert any(q.filtered and q.id.startswith("cc-") for q in queries)


def test_a_query_line_becomes_the_apis_query_string_with_repeatable_filters(tmp_path: Path) -> None:
    path = tmp_path / "q.tsv"
    path.write_text("# comment\nq1\tgrief help\tinsurance=Aetna&insurance=Cigna&telehealth=true\nq2\tsleep\n")
    first, second = read_query_set(path)
    assert first == BenchQuery(
        "q1", "grief help", (("insurance", "Aetna"), ("insurance", "Cigna"), ("telehealth", "true"))
    )
    params = first.params("hybrid")
    assert params.get_list("insurance") == ["Aetna", "Cigna"]
    assert (params["q"], params["mode"], params["type"]) == ("grief help", "hybrid", "all")
    assert first.search_params().insurance == ["Aetna", "Cigna"]
    assert not second.filtered


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("only-an-id", "expected `id TAB query"),
        ("q1\tgrief\tage=7", "age"),  # not a parameter of the API
        ("q1\tgrief\tzip=abc", "zip"),
        ("q1\tgrief\ta\tb", "expected `id TAB query"),
    ],
)
def test_a_bad_line_is_reported_with_its_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "q.tsv"
    path.write_text(f"q0\tfine\n{line}\n")
    with pytest.raises(QuerySetError) as caught:
        read_query_set(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert reason in str(caught.value)


def test_explicit_and_understood_filters_both_reach_the_engine() -> None:
    explicit = BenchQuery("q", "grief counselor", (("state", "Texas"), ("insurance", "Medicaid")))
    assert engine_filters(explicit) == [{"term": {"state": "Texas"}}, {"terms": {"insurance": ["Medicaid"]}}]
    # "online" is understood as remote: the API filters on it, so the bench does too
    understood = engine_filters(BenchQuery("q", "online therapy for depression"))
    assert understood and "remote_only" in str(understood)


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.95) == 7.0


def test_recall_is_the_share_of_the_exact_neighbours_found() -> None:
    assert recall_at(["a", "b", "x"], ["a", "b", "c"]) == pytest.approx(2 / 3)
    assert recall_at([], []) == 1.0  # a filter that leaves nothing: nothing to miss


def test_the_split_charges_what_took_ms_does_not_name_to_the_rest() -> None:
    split = split_of({"embedding": 10.0, "search": 20.0, "fusion": 2.0, "total": 35.0}, 40.0)
    assert split == {"embedding": 10.0, "search": 20.0, "fusion": 2.0, "rest": 8.0, "wall": 40.0}
    assert split_of({"search": 5.0}, 7.0)["rest"] == 2.0  # bm25: no embedding


def test_the_indexers_summary_lines_give_the_counts_and_seconds() -> None:
    out = (
        "providers: indexed 4900, rejected 100; embedded 12, reused 4888; 20.5 s (239 docs/s)\n"
        "passages: indexed 2221, rejected 0, failed 1; embedded 0, reused 2221; 3.0 s (740 docs/s)\n"
        "bench-providers now serves bench-providers-v1\n"
    )
    assert parse_summary(out) == {
        "providers": {"indexed": 4900, "rejected": 100, "embedded": 12, "reused": 4888, "seconds": 20.5},
        "passages": {"indexed": 2221, "rejected": 0, "embedded": 0, "reused": 2221, "seconds": 3.0},
    }
