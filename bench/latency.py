"""Latency of the running API per mode, sequentially: p50/p95/p99 of /v1/search (type=all,
both lists, as the search page asks) and of /v1/suggest. Prints a table, writes JSON.

    .venv/bin/python -m bench.latency --api http://127.0.0.1:8000 --queries Q.tsv [--n 200] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.stats import summarize


def read_queries(path: Path, n: int) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 1)
        if len(parts) == 2 and parts[1].strip():
            texts.append(parts[1].strip()[:500])
    return texts[:n]


def machine() -> dict[str, object]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--key", default=os.environ.get("API_KEY"), help="an API key (default $API_KEY)")
    args = parser.parse_args(argv)
    try:
        return measure(args)
    except httpx.HTTPStatusError as exc:
        print(
            f"error: {exc.response.status_code} from {exc.request.url.path}: {exc.response.text[:200]}", file=sys.stderr
        )
        return 2


def measure(args: argparse.Namespace) -> int:
    queries = read_queries(args.queries, args.n)
    results: dict[str, dict[str, float]] = {}
    headers = {"X-API-Key": args.key} if args.key else {}
    with httpx.Client(base_url=args.api, timeout=30, headers=headers) as client:
        try:
            counts = client.get("/readyz").json()
        except httpx.HTTPError as exc:
            print(f"error: the API at {args.api} does not answer ({exc})", file=sys.stderr)
            return 2
        for q in queries[:10]:  # warm up caches and connections
            client.get("/v1/search", params={"q": q})
        for mode in ("bm25", "vector", "hybrid"):
            samples = []
            for q in queries:
                started = time.perf_counter()
                response = client.get("/v1/search", params={"q": q, "mode": mode, "type": "all"})
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            results[f"search_{mode}"] = summarize(samples)
        samples = []
        for q in queries:
            prefix = q.split()[0][:6] if q.split() else q[:6]
            started = time.perf_counter()
            client.get("/v1/suggest", params={"q": prefix}).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
        results["suggest"] = summarize(samples)
    print(f"{'endpoint':<16}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'n':>6}")
    for name, row in results.items():
        print(f"{name:<16}{row['p50_ms']:>10.1f}{row['p95_ms']:>10.1f}{row['p99_ms']:>10.1f}{row['n']:>6}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "results": results,
            "machine": machine(),
            "api": args.api,
            "readyz": counts,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
