"""What text each document is embedded as, chosen by measurement on the development sets.

Vector-only retrieval without the search engine: every development query is embedded with the
real model (all-MiniLM-L6-v2 from the installed package, offline), every document under each
variant, and documents are ranked by exact cosine (numpy, all documents). Each variant's top 10
is scored with relevance.metrics (trec_eval's nDCG@10 through ir_measures) and compared with the
current choice (indexer.embedding_text + indexer.embed) by the paired randomization test.

Providers (dev_providers.jsonl, providers_queries/providers.qrels of relevance.devsets):
  current       indexer.embedding_text.provider_text
  bio           the bio alone (the name when there is none)
  fields        specialties + approaches + ages, no bio
  primary       "Specializes in" the first three specialties (so repeated, first), then current
  name_all      name and credentials, then the current text
  who_treats    "Therapist who treats X, Y and Z, using A and B, for ..." then the bio
Passages (counsel_chat/passages.jsonl, queries/passages.qrels; recall@10 and MRR on
passages_answers.qrels):
  current       windows of 180 words (30 overlap), vectors averaged (indexer.embed.embed_texts)
  truncated     the whole text encoded once: the model truncates at its window (256 word pieces)
  first_window  the first 180-word window only
  max_window    every 180-word window kept; a passage scores its best window (max-sim)
  w128_mean     windows of 128 words (32 overlap), averaged
  w128_max      windows of 128 words (32 overlap), max-sim

Document vectors are cached in OUT/<encoding>-<hash>.npy (the hash covers the model and every
text encoded), with the embedding time beside it, so reruns only score. Writes
OUT/embedding_text.json and prints a table.

    .venv/bin/python -m bench.embedding_text_study [--data ../shared/data] [--out .data/study]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.embedder import SentenceTransformerEmbedder, load_embedder
from indexer.embed import embed_texts
from indexer.embedding_text import passage_text, provider_text
from indexer.normalize import passage_document, provider_document
from indexer.records import PassageRecord, ProviderRecord
from relevance.devsets import PASSAGES, PRIMARY_SPECIALTIES, PROVIDERS, build
from relevance.judgments import Qrels, Queries
from relevance.metrics import Run, bootstrap_ci, compare, per_query

K = 10
ALPHA = 0.05
Doc = dict[str, Any]
Pool = Literal["mean", "first", "max"]


# ---- variants: what each document is encoded as, and how its pieces become one score


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    encoding: str  # variants with the same encoding share the encoded pieces
    pieces: Callable[[Doc], list[str]]
    pool: Pool = "first"


def listed(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fields_text(doc: Doc) -> str:
    parts = []
    if doc["specialties"]:
        parts.append("Treats " + ", ".join(doc["specialties"]) + ".")
    if doc["therapy_types"]:
        parts.append("Approaches: " + ", ".join(doc["therapy_types"]) + ".")
    if doc["ages_served"]:
        parts.append("Works with " + ", ".join(doc["ages_served"]) + ".")
    return " ".join(parts) or doc["name"]


def bio_text(doc: Doc) -> str:
    return doc.get("bio") or doc["name"]


def primary_text(doc: Doc) -> str:
    """The first three specialties stated on their own first (so repeated), then the current text."""
    primary = doc["specialties"][:PRIMARY_SPECIALTIES]
    lead = "Specializes in " + ", ".join(primary) + ". " if primary else ""
    return lead + provider_text(doc)


def name_all_text(doc: Doc) -> str:
    who = doc["name"] + (", " + ", ".join(doc["credentials"]) if doc["credentials"] else "") + "."
    return f"{who} {provider_text(doc)}"


def who_treats_text(doc: Doc) -> str:
    sentence = "Therapist"
    if doc["specialties"]:
        sentence += " who treats " + listed(doc["specialties"])
    if doc["therapy_types"]:
        sentence += ", using " + listed(doc["therapy_types"])
    if doc["ages_served"]:
        sentence += ", for " + listed(doc["ages_served"]).lower()
    parts = [sentence + "."]
    if doc.get("bio"):
        parts.append(doc["bio"])
    return " ".join(parts)


def single(text_of: Callable[[Doc], str]) -> Callable[[Doc], list[str]]:
    return lambda doc: [text_of(doc)]


WINDOW_WORDS = 180  # the indexer's method before this study: 180-word windows, 30 overlapping
OVERLAP_WORDS = 30


def windows(text: str, size: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> list[str]:
    """The text as overlapping windows of at most `size` words (one window if it fits)."""
    words = text.split()
    if len(words) <= size:
        return [text]
    step = size - overlap
    return [" ".join(words[start : start + size]) for start in range(0, len(words) - overlap, step)]


def windowed(size: int, overlap: int) -> Callable[[Doc], list[str]]:
    return lambda doc: windows(passage_text(doc), size, overlap)


PROVIDER_VARIANTS = [
    Variant("current", "indexer.embedding_text.provider_text", "providers-current", single(provider_text)),
    Variant("bio", "bio only", "providers-bio", single(bio_text)),
    Variant("fields", "specialties + approaches + ages, no bio", "providers-fields", single(fields_text)),
    Variant(
        "primary", "first three specialties repeated first, then current", "providers-primary", single(primary_text)
    ),
    Variant("name_all", "name + credentials + current text", "providers-name-all", single(name_all_text)),
    Variant(
        "who_treats",
        "'Therapist who treats X, Y and Z, using ..., for ...' + bio",
        "providers-who-treats",
        single(who_treats_text),
    ),
]
W_CURRENT = f"passages-w{WINDOW_WORDS}o{OVERLAP_WORDS}"
PASSAGE_VARIANTS = [
    Variant(
        "current",
        f"windows {WINDOW_WORDS}/{OVERLAP_WORDS} words, mean (indexer.embed)",
        W_CURRENT,
        windowed(WINDOW_WORDS, OVERLAP_WORDS),
        "mean",
    ),
    Variant("truncated", "whole text, model truncates at its window", "passages-truncated", single(passage_text)),
    Variant(
        "first_window",
        f"first {WINDOW_WORDS}-word window only",
        W_CURRENT,
        windowed(WINDOW_WORDS, OVERLAP_WORDS),
        "first",
    ),
    Variant(
        "max_window",
        f"windows {WINDOW_WORDS}/{OVERLAP_WORDS}, max-sim at query time",
        W_CURRENT,
        windowed(WINDOW_WORDS, OVERLAP_WORDS),
        "max",
    ),
    Variant("w128_mean", "windows 128/32 words, mean", "passages-w128o32", windowed(128, 32), "mean"),
    Variant("w128_max", "windows 128/32 words, max-sim at query time", "passages-w128o32", windowed(128, 32), "max"),
]


# ---- encoding, cached on disk


@dataclass(frozen=True)
class Encoded:
    vectors: np.ndarray  # (pieces, dims), unit rows
    starts: np.ndarray  # doc i owns rows starts[i] .. starts[i + 1] - 1
    seconds: float  # time the model took to encode the pieces (when they were encoded)

    @property
    def docs(self) -> int:
        return len(self.starts)


def fingerprint(model: str, pieces: list[list[str]]) -> str:
    digest = hashlib.sha256(model.encode())
    for doc_pieces in pieces:
        digest.update(json.dumps(doc_pieces, ensure_ascii=False).encode())
    return digest.hexdigest()[:12]


def encode(embedder: SentenceTransformerEmbedder, encoding: str, pieces: list[list[str]], cache: Path) -> Encoded:
    stem = cache / f"{encoding}-{fingerprint(embedder.name, pieces)}"
    flat = [p for doc_pieces in pieces for p in doc_pieces]
    starts = np.cumsum([0] + [len(p) for p in pieces[:-1]])
    if stem.with_suffix(".npy").exists() and stem.with_suffix(".json").exists():
        meta = json.loads(stem.with_suffix(".json").read_text())
        return Encoded(np.load(stem.with_suffix(".npy")), starts, meta["seconds"])
    print(f"  encoding {encoding}: {len(pieces)} docs, {len(flat)} pieces", file=sys.stderr, flush=True)
    began = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(flat), dtype=np.float32)
    seconds = time.perf_counter() - began
    np.save(stem.with_suffix(".npy"), vectors)
    stem.with_suffix(".json").write_text(json.dumps({"seconds": seconds, "docs": len(pieces), "pieces": len(flat)}))
    return Encoded(vectors, starts, seconds)


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def doc_scores(queries: np.ndarray, encoded: Encoded, pool: Pool) -> np.ndarray:
    """(queries, docs) cosine: of the docs' mean vector, first piece, or best piece."""
    if pool == "first":
        return queries @ encoded.vectors[encoded.starts].T
    if pool == "mean":
        return queries @ unit_rows(np.add.reduceat(encoded.vectors, encoded.starts, axis=0)).T
    return np.maximum.reduceat(queries @ encoded.vectors.T, encoded.starts, axis=1)


# ---- runs and scores


def top_run(scores: np.ndarray, qids: list[str], doc_ids: list[str], k: int = K) -> Run:
    """Top k per query by cosine (ties by document order), scored k, k-1, ... so the order
    ir_measures reads is exactly this one."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return {
        qid: {doc_ids[j]: float(k - rank) for rank, j in enumerate(row)} for qid, row in zip(qids, order, strict=True)
    }


@dataclass(frozen=True)
class Judgments:
    queries: Queries
    graded: Qrels  # nDCG@10
    answers: Qrels | None  # recall@10 and MRR (passages)


def measures(judgments: Judgments) -> list[tuple[str, Qrels]]:
    pairs = [(f"ndcg@{K}", judgments.graded)]
    if judgments.answers is not None:
        pairs += [(f"recall@{K}", judgments.answers), ("mrr", judgments.answers)]
    return pairs


def holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm-Bonferroni adjusted p-values (the family: every variant against current)."""
    ordered = sorted(p_values.items(), key=lambda item: item[1])
    adjusted: dict[str, float] = {}
    running = 0.0
    for i, (name, p) in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - i) * p))
        adjusted[name] = running
    return adjusted


def score_variant(run: Run, baseline: Run, judgments: Judgments) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for metric, qrels in measures(judgments):
        values = [v for v in per_query(run, qrels, [metric])[metric].values() if v is not None]
        versus = compare(baseline, run, qrels, metric)
        out[metric] = {
            "mean": float(np.mean(values)),
            "ci95": bootstrap_ci(values),
            "queries": len(values),
            "delta": versus.delta,
            "p": versus.p_value,
            "wins_ties_losses": [versus.wins, versus.ties, versus.losses],
        }
    return out


# ---- one document type


def study(
    doc_type: str,
    docs: list[Doc],
    variants: list[Variant],
    judgments: Judgments,
    query_vectors: dict[str, np.ndarray],
    embedder: SentenceTransformerEmbedder,
    cache: Path,
) -> dict[str, Any]:
    qids = [q for q in judgments.queries if q in judgments.graded]
    queries = np.stack([query_vectors[q] for q in qids])
    doc_ids = [d["id"] for d in docs]
    runs: dict[str, Run] = {}
    results: dict[str, Any] = {}
    for variant in variants:
        pieces = [variant.pieces(d) for d in docs]
        encoded = encode(embedder, variant.encoding, pieces, cache)
        runs[variant.name] = top_run(doc_scores(queries, encoded, variant.pool), qids, doc_ids)
        results[variant.name] = {
            "description": variant.description,
            "encoding": variant.encoding,
            "pool": variant.pool,
            "pieces": len(encoded.vectors),
            "encode_seconds": round(encoded.seconds, 2),
            "docs_per_s": round(encoded.docs / encoded.seconds, 1),
            "pieces_per_s": round(len(encoded.vectors) / encoded.seconds, 1),
        }
    for variant in variants:
        results[variant.name]["metrics"] = score_variant(runs[variant.name], runs["current"], judgments)
    others = {name: r["metrics"][f"ndcg@{K}"]["p"] for name, r in results.items() if name != "current"}
    for name, p in holm(others).items():
        results[name]["metrics"][f"ndcg@{K}"]["p_holm"] = p
    return {"docs": len(docs), "judged_queries": len(qids), "variants": results}


# ---- data


def read_jsonl(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_providers(data: Path) -> list[Doc]:
    return [provider_document(ProviderRecord.model_validate_json(line)) for line in read_jsonl(data / PROVIDERS)]


def load_passages(data: Path) -> list[Doc]:
    return [passage_document(PassageRecord.model_validate_json(line)) for line in read_jsonl(data / PASSAGES)]


def embed_queries(embedder: SentenceTransformerEmbedder, queries: Queries, cache: Path) -> dict[str, np.ndarray]:
    encoded = encode(embedder, "queries", [[text] for text in queries.values()], cache)
    return dict(zip(queries, encoded.vectors, strict=True))


def passage_sizes(embedder: SentenceTransformerEmbedder, docs: list[Doc]) -> dict[str, Any]:
    """How long the passages are against the model's window (word pieces, with [CLS]/[SEP])."""
    lengths = np.array([embedder.tokenize_length(passage_text(d)) for d in docs])
    window_lengths = np.array([embedder.tokenize_length(w) for d in docs for w in windows(passage_text(d))])
    words = np.array([len(passage_text(d).split()) for d in docs])
    limit = embedder.max_seq_length
    return {
        "words_median_p90_max": [int(np.median(words)), int(np.percentile(words, 90)), int(words.max())],
        "word_pieces_median_p90_max": [int(np.median(lengths)), int(np.percentile(lengths, 90)), int(lengths.max())],
        "over_model_window": int(np.sum(lengths > limit)),
        f"over_{WINDOW_WORDS}_words": int(np.sum(words > WINDOW_WORDS)),
        f"{WINDOW_WORDS}_word_windows_over_model_window": int(np.sum(window_lengths > limit)),
    }


def fidelity(embedder: SentenceTransformerEmbedder, docs: list[Doc], encoded_truncated: Encoded) -> float:
    """Largest difference between this study's 'truncated' passage vectors (what the indexer
    now does) and indexer.embed.embed_texts on a few long passages."""
    picked = [i for i, d in enumerate(docs) if len(windows(passage_text(d))) > 1][:8]
    indexed = np.asarray(embed_texts([passage_text(docs[i]) for i in picked], embedder), dtype=np.float32)
    return float(np.abs(indexed - encoded_truncated.vectors[picked]).max())


# ---- report


def table(doc_type: str, result: dict[str, Any]) -> str:
    ndcg = f"ndcg@{K}"
    answers = f"recall@{K}" in result["variants"]["current"]["metrics"]
    head = f"{'variant':<13} {'nDCG@10':>8} {'Δ':>7} {'p':>7} {'p_holm':>7}"
    if answers:
        head += f" {'R@10':>6} {'Δ':>7} {'p':>7} {'MRR':>6} {'Δ':>7} {'p':>7}"
    head += f" {'docs/s':>7} {'pieces':>6}"
    lines = [f"{doc_type}: {result['docs']} docs, {result['judged_queries']} judged queries", head]
    for name, r in result["variants"].items():
        m = r["metrics"]
        row = f"{name:<13} {m[ndcg]['mean']:>8.4f} {m[ndcg]['delta']:>+7.4f} {m[ndcg]['p']:>7.4f}"
        row += f" {m[ndcg].get('p_holm', float('nan')):>7.4f}"
        if answers:
            for metric in (f"recall@{K}", "mrr"):
                row += f" {m[metric]['mean']:>6.4f} {m[metric]['delta']:>+7.4f} {m[metric]['p']:>7.4f}"
        row += f" {r['docs_per_s']:>7.1f} {r['pieces']:>6}"
        lines.append(row)
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path(".data/study"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    sets = build(args.data)
    embedder = load_embedder()
    query_vectors = embed_queries(embedder, sets.queries, args.out)
    providers, passages = load_providers(args.data), load_passages(args.data)
    results = {
        "providers": study(
            "providers",
            providers,
            PROVIDER_VARIANTS,
            Judgments(sets.provider_queries, sets.provider_qrels, None),
            query_vectors,
            embedder,
            args.out,
        ),
        "passages": study(
            "passages",
            passages,
            PASSAGE_VARIANTS,
            Judgments(sets.queries, sets.passage_qrels, sets.answer_qrels),
            query_vectors,
            embedder,
            args.out,
        ),
    }
    truncated = encode(embedder, "passages-truncated", [single(passage_text)(d) for d in passages], args.out)
    report = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "model": {
            "name": embedder.name,
            "dims": embedder.dims,
            "max_seq_length": embedder.max_seq_length,
            "batch_size": 64,
        },
        "k": K,
        "sizes": {
            "queries": len(sets.queries),
            "provider_queries": len(sets.provider_queries),
            "providers": len(providers),
            "passages": len(passages),
            "passage_lengths": passage_sizes(embedder, passages),
        },
        "truncated_matches_indexer_max_abs_diff": fidelity(embedder, passages, truncated),
        "results": results,
    }
    (args.out / "embedding_text.json").write_text(json.dumps(report, indent=2) + "\n")
    for doc_type, result in results.items():
        print(table(doc_type, result) + "\n")
    print(f"wrote {args.out / 'embedding_text.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
