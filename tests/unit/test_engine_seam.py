"""Telling the engines apart, and the index definition a cluster without analysis-common gets."""

from __future__ import annotations

import pytest

from core.embedding_meta import Analysis, other_engine
from core.engines import Dialect, EngineError, EngineInfo, engine_from_nodes, vector_field_mapping
from core.lay_terms import lay_expansion, normalize, synonym_rules
from indexer.index_body import analysis_for, index_body, module_parts, reduced


def nodes(version: str, *modules: str) -> dict:
    return {"nodes": {"n1": {"version": version, "modules": [{"name": m} for m in modules], "plugins": []}}}


def test_the_minimal_elasticsearch_is_told_by_its_header_and_lacks_analysis_common() -> None:
    info = engine_from_nodes("Elasticsearch", nodes("8.19.0", "transport-netty4", "x-pack-core"))
    assert info == EngineInfo(Dialect.ELASTICSEARCH, "8.19.0", analysis_common=False)
    assert analysis_for(info) is Analysis.REDUCED


def test_opensearch_and_a_full_elasticsearch_have_analysis_common() -> None:
    opensearch = engine_from_nodes(None, nodes("2.19.1", "analysis-common", "lang-painless"))
    assert opensearch.dialect is Dialect.OPENSEARCH and opensearch.analysis_common
    elastic9 = engine_from_nodes("Elasticsearch", nodes("9.2.0", "analysis-common"))
    assert elastic9.dialect is Dialect.ELASTICSEARCH and analysis_for(elastic9) is Analysis.FULL


def test_elasticsearch_behind_a_proxy_that_drops_the_header_is_known_by_its_version() -> None:
    assert engine_from_nodes(None, nodes("8.15.3")).dialect is Dialect.ELASTICSEARCH


@pytest.mark.parametrize(("product", "version"), [("Elasticsearch", "7.17.0"), (None, "1.3.0"), (None, "3.0.0")])
def test_unsupported_versions_are_refused_with_what_is_needed(product: str | None, version: str) -> None:
    with pytest.raises(EngineError, match=r"need Elasticsearch 8\.x or 9\.x, or OpenSearch 2\.x"):
        engine_from_nodes(product, nodes(version))


def test_a_cluster_reporting_no_node_is_an_error() -> None:
    with pytest.raises(EngineError):
        engine_from_nodes("Elasticsearch", {"nodes": {}})


def test_elasticsearch_vectors_use_an_hnsw_graph_of_float_vectors() -> None:
    mapping = vector_field_mapping(Dialect.ELASTICSEARCH)
    assert mapping["type"] == "dense_vector" and mapping["index_options"]["type"] == "hnsw"


@pytest.mark.parametrize("doc_type", ["providers", "passages"])
def test_the_full_definition_needs_modules_and_the_reduced_one_none(doc_type: str) -> None:
    full = index_body(doc_type, Dialect.ELASTICSEARCH)
    assert module_parts(full), "the full definition uses analysis-common and mapper-extras"
    lean = index_body(doc_type, Dialect.ELASTICSEARCH, analysis=Analysis.REDUCED)
    assert module_parts(lean) == []
    # the fields keep their analyzers' names, so every query body works on both definitions
    assert set(lean["settings"]["analysis"]["analyzer"]) == set(full["settings"]["analysis"]["analyzer"])
    search = lean["settings"]["analysis"]["analyzer"]["english_search"]["filter"]
    assert "english_hunspell" in search and "query_filler" in search and "lay_terms" not in search
    assert lean == reduced(full)


def test_the_reduced_suggest_fields_are_text_with_prefixes() -> None:
    lean = index_body("providers", Dialect.ELASTICSEARCH, analysis=Analysis.REDUCED)
    suggest = lean["mappings"]["properties"]["name"]["fields"]["suggest"]
    assert suggest["type"] == "text" and "index_prefixes" in suggest


def test_query_side_expansion_adds_what_each_synonym_rule_adds() -> None:
    rules = [r for r in synonym_rules() if "'" not in r]
    assert len(rules) > 100
    for rule in rules:
        phrase, targets = rule.split(" => ")
        added = set(targets.split(", ")) - {phrase}
        assert added <= set(lay_expansion(normalize(phrase))), rule


def test_query_side_expansion_keeps_the_longest_phrase_and_ignores_unknown_words() -> None:
    assert lay_expansion(normalize("I can't sleep")) == ["insomnia"]
    assert lay_expansion(normalize("the weather in spring")) == []


def test_a_build_of_the_other_engine_is_named_and_older_builds_are_not() -> None:
    found = {"a": "opensearch-2.19.1", "b": "elasticsearch-8.19.0", "c": None}
    assert list(other_engine(found, "elasticsearch")) == ["a"]


def test_the_embedded_opensearch_names_analysis_common_by_its_class() -> None:
    embedded = {
        "nodes": {
            "n": {"version": "2.19.1", "plugins": [{"name": "org.opensearch.analysis.common.CommonAnalysisPlugin"}]}
        }
    }
    assert engine_from_nodes(None, embedded).analysis_common
