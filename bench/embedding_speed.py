"""Speed of the embedding model per backend, threads and batching: query encode latency
(single short lay queries, one after another) and document throughput (realistic provider
texts, as the indexer embeds them), with each backend's closeness to PyTorch's vectors.
Prints a table, writes JSON. Every measurement runs --repeat times, the configurations in
turns within each round (the machine is shared), and reports CPU time beside wall time: on a
busy machine docs per CPU-second and CPU ms per query compare backends better than the clock.

    .venv/bin/python -m bench.embedding_speed [--docs 1000] [--queries 200] [--repeat 2]
        [--backends torch,onnx,onnx-qint8,openvino] [--json .data/bench/embedding_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import percentile
from core.embedder import OnnxEmbedder, SentenceTransformerEmbedder, create_embedder
from core.onnx_model import local_preset
from core.settings import EMBEDDING_BACKENDS, PROJECT_ROOT, EmbeddingBackend

DEFAULT_PROVIDERS = PROJECT_ROOT.parent / "shared" / "data" / "dev_providers.jsonl"
DEFAULT_QUERIES = (PROJECT_ROOT / ".data" / "devsets" / "providers_queries.tsv",)
DEFAULT_JSON = PROJECT_ROOT / ".data" / "bench" / "embedding_speed.json"


def provider_texts(path: Path, n: int) -> list[str]:
    """The texts the indexer embeds for the first n providers of a file."""
    from indexer.embedding_text import provider_text
    from indexer.pipeline import to_document
    from indexer.sources import load

    loaded = load(providers=[str(path)])
    return [provider_text(to_document(item)) for item in list(loaded.providers.values())[:n]]


def lay_queries(paths: Sequence[Path], n: int) -> list[str]:
    texts = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t", 1)
            if len(parts) == 2 and parts[1].strip():
                texts.append(parts[1].strip())
    return texts[:n]


@dataclass(frozen=True)
class Config:
    backend: EmbeddingBackend
    threads: int
    batch_size: int = 32
    by_length: bool = True

    @property
    def label(self) -> str:
        order = "by-length" if self.by_length else "arrival"
        return f"{self.backend} t{self.threads} b{self.batch_size} {order}"


Model = SentenceTransformerEmbedder | OnnxEmbedder


class Models:
    """One model per (backend, threads), loaded once: the configurations are measured in
    turns within each round, so a busy spell on the shared machine hits them alike."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, int], Model] = {}
        self.load_s: dict[tuple[str, int], float] = {}

    def get(self, config: Config) -> Model:
        key = (config.backend, config.threads)
        if key not in self._loaded:
            started = time.perf_counter()
            self._loaded[key] = create_embedder("", config.backend, config.threads)
            self.load_s[key] = round(time.perf_counter() - started, 2)
        model = self._loaded[key]
        if isinstance(model, OnnxEmbedder):
            model.batch_size = config.batch_size
            model.by_length = config.by_length
        else:
            import torch

            torch.set_num_threads(config.threads)  # torch's threads are per process: set them each time
            model._batch_size = config.batch_size  # sentence-transformers always sorts by length
        return model


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def time_queries(model: Model, queries: list[str]) -> dict[str, float]:
    for q in queries[:10]:
        model.embed_query(q)
    samples = []
    cpu_started = time.process_time()
    for q in queries:
        started = time.perf_counter()
        model.embed_query(q)
        samples.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / len(queries)
    return {
        "p50_ms": round(percentile(samples, 0.5), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "cpu_ms_per_query": round(cpu_ms, 2),
    }


def time_documents(model: Model, texts: list[str]) -> tuple[dict[str, float], np.ndarray]:
    model.embed_documents(texts[:32])  # warm up
    wall, cpu = clocks()
    vectors = np.asarray(model.embed_documents(texts), dtype=np.float32)
    wall_s, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    return {"docs_per_s": round(len(texts) / wall_s, 1), "docs_per_cpu_s": round(len(texts) / cpu_s, 1)}, vectors


def closeness(vectors: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    cos = (vectors * reference).sum(axis=1)
    return {"mean_cos": round(float(cos.mean()), 5), "min_cos": round(float(cos.min()), 5)}


def batch_consistency(model: Model, texts: list[str]) -> float:
    """Min cosine between a text embedded alone and in a batch: int8 activations are scaled
    per batch, so a vector can depend on its batch mates."""
    sample = texts[:: max(1, len(texts) // 50)][:50]
    together = np.asarray(model.embed_documents(sample), dtype=np.float32)
    alone = np.asarray([model.embed_query(t) for t in sample], dtype=np.float32)
    return round(float((together * alone).sum(axis=1).min()), 5)


def configs(backends: Sequence[EmbeddingBackend], batch_sizes: Sequence[int]) -> list[Config]:
    out: list[Config] = []
    for backend in backends:
        for threads in (1, 2):
            out.append(Config(backend, threads))
        if backend != "torch":
            out.append(Config(backend, 2, by_length=False))
            out += [Config(backend, 2, batch_size=b) for b in batch_sizes if b != 32]
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    texts = provider_texts(args.providers, args.docs)
    queries = lay_queries(args.queries, args.n_queries)
    backends: list[EmbeddingBackend] = [b for b in EMBEDDING_BACKENDS if b in args.backends.split(",")]
    plan = configs(backends, [int(b) for b in args.batch_sizes.split(",")])
    models = Models()
    runs: dict[Config, list[dict[str, float]]] = {c: [] for c in plan}
    vectors: dict[Config, np.ndarray] = {}
    for round_no in range(args.repeat):
        for config in plan:
            model = models.get(config)
            docs, vectors[config] = time_documents(model, texts)
            runs[config].append({**docs, **time_queries(model, queries), "load_avg_1m": os.getloadavg()[0]})
            print(f"  round {round_no + 1}: {config.label}: {runs[config][-1]}", flush=True)
    reference = next((v for c, v in vectors.items() if c.backend == "torch"), None)
    rows: list[dict[str, Any]] = []
    for config in plan:
        row: dict[str, Any] = {
            **config.__dict__,
            "label": config.label,
            "load_s": models.load_s[(config.backend, config.threads)],
            "runs": runs[config],
        }
        if reference is not None:
            row["vs_torch"] = closeness(vectors[config], reference)
        if config.backend == "onnx-qint8" and config.threads == 1:
            row["alone_vs_batched_min_cos"] = batch_consistency(models.get(config), texts)
        rows.append(row)
    print(HEADER + "   (each figure: round 1 / round 2 ...)")
    for row in rows:
        print(format_row(row))
    return {
        "rows": rows,
        "docs": len(texts),
        "queries": len(queries),
        "mean_doc_chars": round(sum(map(len, texts)) / max(1, len(texts))),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "int8_preset": local_preset(),
        },
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }


HEADER = (
    f"{'configuration':<30}{'docs/s':>14}{'docs/cpu-s':>14}{'query p50 ms':>16}{'query p95 ms':>16}"
    f"{'cpu ms/query':>16}{'min cos':>9}"
)


def format_row(row: dict[str, Any]) -> str:
    def each(key: str, fmt: Callable[[float], str]) -> str:
        return " / ".join(fmt(r[key]) for r in row["runs"])

    def whole(v: float) -> str:
        return f"{v:.0f}"

    def tenth(v: float) -> str:
        return f"{v:.1f}"

    cos = row.get("vs_torch", {}).get("min_cos")
    return (
        f"{row['label']:<30}{each('docs_per_s', whole):>14}{each('docs_per_cpu_s', whole):>14}"
        f"{each('p50_ms', tenth):>16}{each('p95_ms', tenth):>16}{each('cpu_ms_per_query', tenth):>16}"
        f"{'' if cos is None else f'{cos:.4f}':>9}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--providers", type=Path, default=DEFAULT_PROVIDERS)
    parser.add_argument("--queries", type=Path, nargs="+", default=list(DEFAULT_QUERIES))
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--n-queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--backends", default=",".join(EMBEDDING_BACKENDS))
    parser.add_argument("--batch-sizes", default="1,8,128", help="batch sizes tried at 2 threads (non-torch)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    for path in [args.providers, *args.queries]:
        if not path.exists():
            print(f"error: {path} is absent (make eval writes .data/devsets; providers live in ../shared/data)")
            return 2
    document = measure(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
