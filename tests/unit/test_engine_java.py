"""Which Java runs the embedded engine, and with which options (engine/manage.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

MANAGE = Path(__file__).resolve().parents[2] / "engine" / "manage.py"


def load_manage() -> ModuleType:
    spec = importlib.util.spec_from_file_location("engine_manage", MANAGE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


manage = load_manage()


def test_a_java_with_the_vector_api_is_preferred_to_an_older_one() -> None:
    found = {"/usr/bin/java": 17, "/usr/lib/jvm/temurin-25/bin/java": 25}
    assert manage.choose_java(found) == "/usr/lib/jvm/temurin-25/bin/java"


def test_a_java_newer_than_tested_is_second_to_one_within_the_tested_range() -> None:
    found = {"/jdk21/bin/java": 21, "/jdk30/bin/java": 30}
    assert manage.choose_java(found) == "/jdk21/bin/java"


def test_java_17_alone_is_used_and_older_never() -> None:
    assert manage.choose_java({"/usr/bin/java": 17, "/old/bin/java": 11}) == "/usr/bin/java"
    assert manage.choose_java({"/old/bin/java": 11}) is None


def test_the_vector_api_options_only_where_lucene_can_use_them() -> None:
    assert manage.vector_api_options(17) == []
    assert manage.vector_api_options(30) == []
    options = manage.vector_api_options(25)
    assert "--add-modules=jdk.incubator.vector" in options
    assert "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25" in options


# ------------------------------------------------------------------ Elasticsearch (engine/elastic.py)

elastic = sys.modules["elastic"]  # imported by manage.py from engine/


def test_elasticsearch_9_needs_java_21_and_8_takes_17() -> None:
    found = {"/usr/bin/java": 17}
    assert elastic.choose_java(found, "8.19.0") == "/usr/bin/java"
    assert elastic.choose_java(found, "9.2.0") is None
    assert elastic.choose_java({**found, "/jdk25/bin/java": 25}, "9.2.0") == "/jdk25/bin/java"


def test_a_misspelled_engine_or_version_is_refused_before_anything_is_touched(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ENGINE", "elasticserch")
    with pytest.raises(manage.EngineFailure, match="ENGINE=opensearch"):
        manage.chosen_layout()
    monkeypatch.setenv("ENGINE", "elasticsearch")
    monkeypatch.setenv("ES_VERSION", "7.17.0")
    with pytest.raises(manage.EngineFailure, match=r"8\.x or 9\.x"):
        manage.chosen_layout()


def test_each_engine_and_version_has_its_own_directory(tmp_path: Path) -> None:
    layouts = [
        manage.layout_of(e, v, tmp_path)
        for e, v in [("opensearch", ""), ("elasticsearch", "8.19.0"), ("elasticsearch", "9.2.0")]
    ]
    assert len({layout.base for layout in layouts}) == 3
    assert len({layout.pid_file for layout in layouts}) == 3


def test_data_of_another_version_is_refused(tmp_path: Path) -> None:
    layout = manage.layout_of("elasticsearch", "8.19.0", tmp_path)
    layout.base.mkdir(parents=True)
    layout.version_file.write_text("elasticsearch-9.2.0\n")
    with pytest.raises(manage.EngineFailure, match=r"holds data from elasticsearch-9\.2\.0"):
        manage.check_data_version(layout)


def test_the_node_configuration_is_fixed_and_loopback(tmp_path: Path) -> None:
    yml = elastic.elasticsearch_yml(tmp_path, 9250)
    for line in (
        "http.port: 9250",
        "network.host: 127.0.0.1",
        "discovery.type: single-node",
        "xpack.security.enabled: false",
    ):
        assert line in yml.splitlines()
    options = elastic.jvm_options(
        "-Xms4g\n-Xmx4g\n-XX:+UseG1GC\n-XX:HeapDumpPath=data\n-Xlog:gc*:file=logs/gc.log\n", "512m", tmp_path
    )
    assert options.splitlines() == [
        "-XX:+UseG1GC",
        "-Xms512m",
        "-Xmx512m",
        f"-XX:ErrorFile={tmp_path}/hs_err_pid%p.log",
    ]


def test_prefixed_words_become_roots_of_their_own_and_the_prefix_rules_go() -> None:
    aff = "SET UTF-8\nPFX C Y 1\nPFX C   0     de          .\nSFX D Y 1\nSFX D 0 ed .\n"
    dic = "3\npress/CD\norder\nlove/D\n"
    kept, words = elastic.prefixes_in_dictionary(aff, dic)
    assert kept == "SET UTF-8\nSFX D Y 1\nSFX D 0 ed .\n"
    assert words.splitlines() == ["4", "press/D", "depress/D", "order", "love/D"]
