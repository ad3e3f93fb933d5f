"""What `relevance.devsets` promises: the development queries and qrels graded exactly as
../shared/data/README.md says (709 queries; 685 of them for providers; passage gains 1 or 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from relevance.cli import main
from relevance.devsets import DevQuery, build, passage_gains, provider_gain, query_specialties
from relevance.judgments import read_qrels, read_queries

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "counsel_chat" / "dev_queries.jsonl").exists(),
    reason=f"{DATA} is absent: the development data lives beside the project in ../shared/data",
)


def test_a_primary_specialty_scores_2_a_later_one_1() -> None:
    specialties = ("Anxiety", "Grief", "Insomnia", "Depression")

    assert provider_gain(specialties, frozenset({"Insomnia"})) == 2  # third: still primary
    assert provider_gain(specialties, frozenset({"Depression"})) == 1
    assert provider_gain(specialties, frozenset({"Grief", "Depression"})) == 2
    assert provider_gain(specialties, frozenset({"Parenting"})) == 0


def test_answers_score_2_and_passages_sharing_a_topic_1() -> None:
    query = DevQuery("q", "text", topics=("grief",), answers=("a1",))
    topics = {"a1": ("grief",), "a2": ("grief", "anxiety"), "a3": ("anxiety",)}

    assert passage_gains(query, topics) == {"a1": 2, "a2": 1}


def test_topics_without_specialties_map_to_nothing() -> None:
    mapping = {"grief-and-loss": frozenset({"Grief"})}

    assert query_specialties(DevQuery("q", "t", ("diagnosis",), ()), mapping) == frozenset()
    assert query_specialties(DevQuery("q", "t", ("diagnosis", "grief-and-loss"), ()), mapping) == {"Grief"}


@needs_data
def test_the_builder_yields_709_queries_and_685_provider_queries() -> None:
    sets = build(DATA)

    assert len(sets.queries) == 709
    assert len(sets.provider_queries) == 685
    assert set(sets.provider_qrels) <= set(sets.provider_queries)
    assert all(set(docs.values()) <= {1, 2} for docs in sets.provider_qrels.values())


@needs_data
def test_devsets_command_writes_files_eval_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devsets", "--data", str(DATA), "--out", str(tmp_path)]) == 0

    queries = read_queries(tmp_path / "queries.tsv")
    passages = read_qrels(tmp_path / "passages.qrels", queries)
    answers = read_qrels(tmp_path / "passages_answers.qrels", queries)
    provider_queries = read_queries(tmp_path / "providers_queries.tsv")
    read_qrels(tmp_path / "providers.qrels", provider_queries)
    assert len(queries) == 709 and len(provider_queries) == 685
    lines = (tmp_path / "passages.qrels").read_text().splitlines()
    assert lines and all(line.split()[3] in {"1", "2"} for line in lines)
    assert all(passages[q][d] == 2 for q, docs in answers.items() for d in docs)
    assert (tmp_path / "LICENSE.counsel-chat").exists()


def test_devsets_without_the_data_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devsets", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "o")]) == 2
    assert "not found" in capsys.readouterr().err
