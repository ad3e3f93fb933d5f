"""Elasticsearch's `hnsw` against `int8_hnsw` (core/engines.py ES_VECTOR_INDEX): recall@10 of
the kNN search against exact cosine (numpy, over the very vectors indexed: the minimal
distribution has no painless for bench/knn_recall.py's exact query), its latency, and the
vector files' size, for several num_candidates. Elasticsearch only; chooses nothing itself.

    ES_URL=http://127.0.0.1:9250 .venv/bin/python -m bench.es_vector_index [--passages P] [--providers P]
        [--queries Q] [--limit 300] [--candidates 50,100,200] [--json .data/bench/es_vector_index.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import summarize
from core.embedder import load_embedder
from core.engines import Dialect, EngineError, EngineUnavailable, SyncEngine, knn_body, ndjson, vector_field_mapping
from core.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT.parent / "shared" / "data"
KINDS = ("hnsw", "int8_hnsw")
K = 10


def read_texts(path: Path, key: str, limit: int) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [str(r[key]) for r in rows[:limit] if r.get(key)]


def exact_top(docs: np.ndarray, query: np.ndarray, k: int) -> list[str]:
    scores = docs @ query  # the model's vectors are unit length: the dot product is the cosine
    return [str(i) for i in np.argsort(-scores)[:k]]


def build(engine: SyncEngine, name: str, kind: str, vectors: np.ndarray) -> None:
    engine.request("DELETE", f"/{name}", params={"ignore_unavailable": True})
    field = {
        **vector_field_mapping(Dialect.ELASTICSEARCH),
        "index_options": {"type": kind, "m": 16, "ef_construction": 128},
    }
    body = {
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
        "mappings": {"properties": {"v": field}},
    }
    engine.request("PUT", f"/{name}", body)
    for start in range(0, len(vectors), 500):
        lines: list[dict[str, Any]] = []
        for i in range(start, min(start + 500, len(vectors))):
            lines += [{"index": {"_index": name, "_id": str(i)}}, {"v": vectors[i].tolist()}]
        engine.request("POST", "/_bulk", ndjson(lines))
    engine.request("POST", f"/{name}/_refresh")
    engine.request("POST", f"/{name}/_forcemerge", params={"max_num_segments": 1})


def measure(engine: SyncEngine, name: str, docs: np.ndarray, queries: np.ndarray, candidates: int) -> dict[str, Any]:
    recalls, took, wall = [], [], []
    for query in queries:
        body = {"size": K, "_source": False, **knn_body(Dialect.ELASTICSEARCH, "v", query.tolist(), K, candidates)}
        t = time.perf_counter()
        answer = engine.request("POST", f"/{name}/_search", body)
        wall.append((time.perf_counter() - t) * 1000)
        took.append(float(answer["took"]))
        found = {hit["_id"] for hit in answer["hits"]["hits"]}
        recalls.append(len(found & set(exact_top(docs, query, K))) / K)
    return {"recall@10": round(float(np.mean(recalls)), 4), "took": summarize(took), "wall": summarize(wall)}


def vector_bytes(engine: SyncEngine, name: str) -> int | None:
    """The size of the index's files on disk (vectors and graph dominate: no other field)."""
    stats = engine.request("GET", f"/{name}/_stats/store")
    return int(stats["indices"][name]["primaries"]["store"]["size_in_bytes"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=Path, default=DATA / "counsel_chat" / "passages.jsonl")
    parser.add_argument("--providers", type=Path, default=DATA / "dev_providers.jsonl")
    parser.add_argument("--queries", type=Path, default=DATA / "counsel_chat" / "dev_queries.jsonl")
    parser.add_argument("--limit", type=int, default=300, help="queries measured")
    parser.add_argument("--candidates", default="50,100,200")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / ".data" / "bench" / "es_vector_index.json")
    args = parser.parse_args(argv)
    try:
        engine = SyncEngine(Settings())
    except (EngineUnavailable, EngineError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if engine.dialect is not Dialect.ELASTICSEARCH:
        print("error: this compares Elasticsearch's vector indices: point ES_URL at Elasticsearch", file=sys.stderr)
        return 2
    embedder = load_embedder()
    texts = read_texts(args.passages, "text", 100_000) + read_texts(args.providers, "bio", 100_000)
    docs = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    queries = np.asarray([embedder.embed_query(q) for q in read_texts(args.queries, "query", args.limit)])
    report: dict[str, Any] = {"documents": len(docs), "queries": len(queries), "engine": engine.info.label}
    for kind in KINDS:
        name = f"bench-vectors-{kind.replace('_', '-')}"
        started = time.perf_counter()
        build(engine, name, kind, docs)
        report[kind] = {"build_s": round(time.perf_counter() - started, 1), "store_bytes": vector_bytes(engine, name)}
        for candidates in (int(c) for c in args.candidates.split(",")):
            report[kind][f"num_candidates={candidates}"] = measure(engine, name, docs, queries, candidates)
        engine.request("DELETE", f"/{name}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
