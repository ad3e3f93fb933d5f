"""Which Java runs the embedded engine, and with which options (engine/manage.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

MANAGE = Path(__file__).resolve().parents[2] / "engine" / "manage.py"


def load_manage() -> ModuleType:
    spec = importlib.util.spec_from_file_location("engine_manage", MANAGE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
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
