"""The ONNX backends run the same model: the exported file, the tokenizer, the truncation at
the model's window and the pooling give PyTorch's vectors (fp32) or vectors close to them (int8)."""

from __future__ import annotations

import numpy as np
import pytest

from core.embedder import OnnxEmbedder, SentenceTransformerEmbedder

TEXTS = [
    "therapist for anxiety near me",
    "my teenager is cutting herself, what do I do",
    "Treats Depression, Grief. Approaches: CBT, EMDR. Works with Adults. I help people after a loss.",
    "ok",
    # longer than the model's 256-token window: both backends must cut it at the same place
    "I have been feeling low for months and cannot sleep or work. " * 40,
]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return np.asarray(SentenceTransformerEmbedder(threads=1).embed_documents(TEXTS), dtype=np.float32)


def test_onnx_fp32_gives_pytorchs_vectors(torch_vectors: np.ndarray) -> None:
    onnx = OnnxEmbedder(backend="onnx", threads=1)
    assert np.abs(np.asarray(onnx.embed_documents(TEXTS)) - torch_vectors).max() < 1e-4
    assert np.abs(np.asarray(onnx.embed_query(TEXTS[0])) - torch_vectors[0]).max() < 1e-4
    assert onnx.tokenize_length(TEXTS[-1]) == onnx.max_seq_length == 256


def test_onnx_int8_stays_close_to_pytorch_and_keeps_the_neighbours(torch_vectors: np.ndarray) -> None:
    int8 = np.asarray(OnnxEmbedder(backend="onnx-qint8", threads=1).embed_documents(TEXTS), dtype=np.float32)
    assert np.linalg.norm(int8, axis=1) == pytest.approx(1.0, abs=1e-5)
    assert (int8 * torch_vectors).sum(axis=1).min() > 0.97
    assert nearest_other(int8) == nearest_other(torch_vectors)


def nearest_other(vectors: np.ndarray) -> list[int]:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    return [int(i) for i in sims.argmax(axis=1)]
