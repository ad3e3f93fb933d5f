"""kNN recall@k of the HNSW query against exact (brute-force) cosine search on the same index,
and its latency, for several num_candidates. The API's filters go into both, as the API sends
them. Chooses nothing by itself: it prints the figures `search_api/tuning.py` is set from.

    .venv/bin/python -m bench.knn_recall [--prefix bench] [--candidates 50,100,200,400] [--k 10]
        [--types providers,passages] [--queries bench/queries.tsv] [--json .data/bench/knn_recall.json]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.queryset import DEFAULT_QUERIES, BenchQuery, QuerySetError, engine_filters, read_query_set
from bench.stats import summarize
from core.embedder import Embedder, LazyEmbedder
from core.engines import EngineError, EngineUnavailable, SyncEngine, exact_knn_query, knn_body
from core.settings import PROJECT_ROOT, Settings

TARGET_RECALL = 0.95


def recall_at(found: list[str], truth: list[str]) -> float:
    """Share of the exact top-k the approximate search found (1.0 when the filter leaves none)."""
    if not truth:
        return 1.0
    return len(set(found) & set(truth)) / len(truth)


@dataclass
class Row:
    doc_type: str
    num_candidates: int
    recalls: list[float] = field(default_factory=list)
    filtered_recalls: list[float] = field(default_factory=list)
    took_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.doc_type,
            "num_candidates": self.num_candidates,
            "recall": _mean(self.recalls),
            "recall_filtered": _mean(self.filtered_recalls),
            "recall_min": round(min(self.recalls), 3) if self.recalls else None,
            "engine_took": summarize(self.took_ms),
            "wall": summarize(self.wall_ms),
        }


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def search_ids(engine: SyncEngine, alias: str, body: dict[str, Any]) -> tuple[list[str], float, float]:
    started = time.perf_counter()
    found = engine.request("POST", f"/{alias}/_search", body)
    wall = (time.perf_counter() - started) * 1000
    return [h["_id"] for h in found["hits"]["hits"]], float(found.get("took", 0)), wall


def measure(
    engine: SyncEngine,
    settings: Settings,
    queries: list[BenchQuery],
    vectors: list[list[float]],
    candidates: list[int],
    k: int,
    doc_types: list[str],
) -> list[Row]:
    rows: list[Row] = []
    for doc_type in doc_types:
        alias = settings.alias_for(doc_type)
        truths: list[list[str]] = []
        filters_of: list[list[dict[str, Any]]] = []
        for query, vector in zip(queries, vectors, strict=True):
            filters = engine_filters(query) if doc_type == "providers" else []
            filters_of.append(filters)
            body = {"size": k, "_source": False, "query": exact_knn_query(engine.dialect, "embedding", vector, filters)}
            truths.append(search_ids(engine, alias, body)[0])
        for nc in candidates:
            row = Row(doc_type, nc)
            for vector, filters, truth in zip(vectors, filters_of, truths, strict=True):
                body = {"size": k, "_source": False, **knn_body(engine.dialect, "embedding", vector, k, nc, filters)}
                ids, took, wall = search_ids(engine, alias, body)
                recall = recall_at(ids, truth)
                row.recalls.append(recall)
                if filters:
                    row.filtered_recalls.append(recall)
                row.took_ms.append(took)
                row.wall_ms.append(wall)
            rows.append(row)
    return rows


def smallest_meeting(rows: list[Row], doc_type: str, target: float = TARGET_RECALL) -> int | None:
    """The smallest num_candidates whose mean recall reaches the target."""
    meeting = [r.num_candidates for r in rows if r.doc_type == doc_type and (_mean(r.recalls) or 0.0) >= target]
    return min(meeting) if meeting else None


def encode_all(embedder: Embedder, queries: list[BenchQuery]) -> list[list[float]]:
    return [embedder.embed_query(q.text) for q in queries]


def print_table(rows: list[Row], k: int, out: Any = sys.stdout) -> None:
    print(
        f"{'index':<11}{'num_cand':>9}{f'recall@{k}':>11}{'filtered':>10}{'min':>7}{'took p50':>10}{'wall p50':>10}"
        f"{'wall p99':>10}",
        file=out,
    )
    for row in rows:
        d = row.as_dict()
        filtered = f"{d['recall_filtered']:.3f}" if d["recall_filtered"] is not None else "-"
        print(
            f"{row.doc_type:<11}{row.num_candidates:>9}{d['recall']:>11.3f}{filtered:>10}{d['recall_min']:>7.2f}"
            f"{d['engine_took']['p50_ms']:>10.1f}{d['wall']['p50_ms']:>10.1f}{d['wall']['p99_ms']:>10.1f}",
            file=out,
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.knn_recall", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--prefix", default=os.environ.get("BENCH_PREFIX", "bench"), help="index prefix (default bench)")
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--candidates", default="50,100,200,400", help="comma-separated num_candidates values")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--types", default="providers,passages")
    p.add_argument("--json", type=Path, default=PROJECT_ROOT / ".data" / "bench" / "knn_recall.json")
    return p


def main(argv: list[str] | None = None) -> int:
    import json

    args = parser().parse_args(argv)
    try:
        candidates = sorted({int(c) for c in args.candidates.split(",") if c.strip()})
        queries = read_query_set(args.queries)
    except (ValueError, QuerySetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    doc_types = [t for t in args.types.split(",") if t]
    settings = Settings(index_prefix=args.prefix)
    try:
        engine = SyncEngine(settings)
        embedder = LazyEmbedder(
            settings.embedding_model, threads=settings.api_embedding_threads, backend=settings.embedding_backend
        )
        vectors = encode_all(embedder, queries)
        rows = measure(engine, settings, queries, vectors, candidates, args.k, doc_types)
    except (EngineUnavailable, EngineError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_table(rows, args.k)
    chosen = {t: smallest_meeting(rows, t) for t in doc_types}
    for doc_type, value in chosen.items():
        verdict = f"num_candidates {value}" if value else f"none of {candidates}"
        print(f"{doc_type}: smallest reaching recall@{args.k} >= {TARGET_RECALL}: {verdict}")
    counts = {t: engine.request("GET", f"/{settings.alias_for(t)}/_count")["count"] for t in doc_types}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "k": args.k,
        "target": TARGET_RECALL,
        "queries": len(queries),
        "documents": counts,
        "rows": [r.as_dict() for r in rows],
        "smallest_meeting_target": chosen,
        "load_average": os.getloadavg(),
    }
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {args.json}")
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
