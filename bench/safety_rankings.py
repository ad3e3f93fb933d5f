"""Abuse and assault queries: do the specialists come first?

    INDEX_PREFIX=dev .venv/bin/python -m bench.safety_rankings [--data ../shared/data] [--json OUT]

The queries are the partner-violence, sexual-assault and child-abuse phrasings of the project's
risk corpus (tests/unit/data/risk_situations.tsv). The need is the same for all of them:
Domestic Abuse, Physical Assault or Trauma, graded like the development set
(../shared/data/README.md): gain 2 where one of a provider's first three specialties is among them, 1 where a
later one is. They run in-process through the API's own search (hybrid, and bm25 and vector for
comparison) over the providers indexed under INDEX_PREFIX (`make eval` loads
dev_providers.jsonl there). Prints and writes nDCG@10, and the share of queries whose first
three therapists all treat one of the three, with the first three's specialties per query.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from relevance.judgments import Qrels, Queries
from relevance.metrics import Run, evaluate, top_k
from relevance.runner import collect, load_app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "unit" / "data" / "risk_situations.tsv"
SITUATIONS = ("partner_violence", "sexual_assault", "child_abuse")
NEED = frozenset({"Domestic Abuse", "Physical Assault", "Trauma"})
MODES = ("bm25", "vector", "hybrid")


def abuse_queries(corpus: Path = CORPUS) -> Queries:
    queries: Queries = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, query = line.split("\t")
        if label.partition("+")[0] in SITUATIONS:
            queries[f"s{len(queries) + 1:03d}"] = query
    return queries


def gain(specialties: list[str]) -> int:
    if NEED.intersection(specialties[:3]):
        return 2
    return 1 if NEED.intersection(specialties[3:]) else 0


def provider_gains(providers: Path) -> dict[str, int]:
    gains = {}
    with providers.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            value = gain(record.get("specialties") or [])
            if value:
                gains[record["id"]] = value
    return gains


def first_three_all_treat(run: Run, qrels: Qrels) -> float:
    """The share of queries whose first three providers each treat one of the need."""
    good = sum(1 for qid, scores in run.items() if all(qrels[qid].get(d, 0) > 0 for d in top_k(scores, 3)))
    return good / len(run) if run else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=ROOT / ".data" / "bench" / "safety_rankings.json")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the risk corpus (default %(default)s)")
    args = parser.parse_args(argv)
    providers = args.data / "dev_providers.jsonl"
    if not providers.exists():
        print(f"error: {providers} is absent: the development data lives beside the project", file=sys.stderr)
        return 2
    queries = abuse_queries(args.corpus)
    gains = provider_gains(providers)
    qrels: Qrels = {qid: gains for qid in queries}
    collected = collect(queries, "providers", MODES, 10, app=load_app())
    report: dict[str, Any] = {"queries": len(queries), "modes": {}}
    for mode, run in collected.runs.items():
        ndcg = evaluate(run, qrels).metrics["ndcg@10"].mean
        report["modes"][mode] = {
            "ndcg@10": round(ndcg or 0.0, 4),
            "first_3_all_treat": first_three_all_treat(run, qrels),
        }
        print(
            f"{mode:7s} nDCG@10 {ndcg:.4f}   first 3 all treat abuse/assault/trauma: "
            f"{report['modes'][mode]['first_3_all_treat']:.1%} of {len(queries)} queries"
        )
    hybrid = collected.runs["hybrid"]
    report["hybrid_first_three_gains"] = {
        queries[qid]: [qrels[qid].get(d, 0) for d in top_k(scores, 3)] for qid, scores in hybrid.items()
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
