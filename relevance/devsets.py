"""The development query set and its judgments, graded exactly as ../shared/data/README.md says,
so that everyone's development figures compare.

From ``counsel_chat/dev_queries.jsonl`` (709 questions), ``counsel_chat/passages.jsonl``,
``counsel_chat/topic_specialties.json`` and ``dev_providers.jsonl`` it writes:

``queries.tsv``
    every development query: ``qid<TAB>query`` (the ``query`` field, the title as typed).
``passages.qrels``
    gain 2 for a passage in the query's ``answers``; gain 1 for another passage sharing one of
    the query's ``topics``; every other passage is not listed (gain 0).
``passages_answers.qrels``
    the gain-2 answers alone. The README's passage recall@10 is "recall@10 of `answers`" and
    its MRR is "MRR of the first answer", so ``eval --answers-qrels passages_answers.qrels``
    takes recall@10 and MRR from this file while nDCG@10 (and P@10, ERR@10) use the graded
    ``passages.qrels``.
``providers.qrels``
    only for the queries whose topics map to specialties through topic_specialties.json:
    gain 2 where one of a provider's first three ``specialties`` is among them, 1 where only a
    later one is; every other provider is not listed (gain 0).
``providers_queries.tsv``
    just those queries (685 of the 709).
``constraint_queries.tsv`` and ``constraints.qrels``
    from ``constraint_queries.jsonl`` (a need plus practical conditions), where it exists:
    gain 0 unless a provider meets every constraint (relevance/constraints.py), then 2 or 1 by
    the position of the query's specialties among the provider's, as above.
``LICENSE.counsel-chat``
    the data set's MIT licence, which the README asks to keep with any derived file.

Unlisted documents are known non-relevant by rule, so eval's "unjudged" share on these sets
is simply the share of gain-0 results, not a sign of missing judgments.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from relevance.constraints import meets
from relevance.errors import RelevanceError
from relevance.judgments import ANSWER_GAIN, Qrels, Queries, write_qrels, write_queries

QUERIES = "counsel_chat/dev_queries.jsonl"
PASSAGES = "counsel_chat/passages.jsonl"
TOPIC_SPECIALTIES = "counsel_chat/topic_specialties.json"
PROVIDERS = "dev_providers.jsonl"
CONSTRAINT_QUERIES = "constraint_queries.jsonl"
LICENSE = "counsel_chat/LICENSE"

TOPIC_GAIN = 1
PRIMARY_SPECIALTY_GAIN, LATER_SPECIALTY_GAIN = 2, 1
PRIMARY_SPECIALTIES = 3  # "one of a provider's first three specialties"


@dataclass(frozen=True)
class DevQuery:
    qid: str
    query: str
    topics: tuple[str, ...]
    answers: tuple[str, ...]


@dataclass(frozen=True)
class DevSets:
    queries: Queries
    passage_qrels: Qrels
    answer_qrels: Qrels
    provider_qrels: Qrels
    provider_queries: Queries
    constraint_qrels: Qrels
    constraint_queries: Queries


# ---- reading the shared data


def _records(path: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RelevanceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise RelevanceError(f"{path}:{number}: invalid JSON: {exc.msg}") from None


def load_queries(path: Path) -> list[DevQuery]:
    return [
        DevQuery(r["qid"], r["query"], tuple(r.get("topics", ())), tuple(r.get("answers", ()))) for r in _records(path)
    ]


def load_topics(path: Path) -> dict[str, tuple[str, ...]]:
    """passage id -> its topics."""
    return {r["id"]: tuple(r.get("topics") or ()) for r in _records(path)}


def load_specialties(path: Path) -> dict[str, tuple[str, ...]]:
    """provider id -> its specialties, primary first."""
    return {r["id"]: tuple(r.get("specialties") or ()) for r in _records(path)}


def load_topic_specialties(path: Path) -> dict[str, frozenset[str]]:
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RelevanceError(f"{path}: cannot read: {exc}") from None
    return {topic: frozenset(names) for topic, names in mapping.items()}


# ---- grading (pure)


def passage_gains(query: DevQuery, passage_topics: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """2 for an answer, 1 for another passage sharing a topic; unlisted means 0."""
    wanted = set(query.topics)
    gains = {pid: TOPIC_GAIN for pid, topics in passage_topics.items() if wanted.intersection(topics)}
    gains.update(dict.fromkeys(query.answers, ANSWER_GAIN))
    return gains


def query_specialties(query: DevQuery, topic_specialties: dict[str, frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*(topic_specialties.get(t, frozenset()) for t in query.topics))


def provider_gain(specialties: tuple[str, ...], wanted: frozenset[str]) -> int:
    """2 if a primary (first three) specialty is wanted, 1 if only a later one is, else 0."""
    if wanted.intersection(specialties[:PRIMARY_SPECIALTIES]):
        return PRIMARY_SPECIALTY_GAIN
    if wanted.intersection(specialties[PRIMARY_SPECIALTIES:]):
        return LATER_SPECIALTY_GAIN
    return 0


def provider_gains(wanted: frozenset[str], specialties: dict[str, tuple[str, ...]]) -> dict[str, int]:
    gains = {pid: provider_gain(names, wanted) for pid, names in specialties.items()}
    return {pid: gain for pid, gain in gains.items() if gain > 0}


def constraint_sets(data_dir: Path) -> tuple[Queries, Qrels]:
    """The constraint queries and their judgments; empty where the file is absent."""
    path = data_dir / CONSTRAINT_QUERIES
    if not path.exists():
        return {}, {}
    providers = list(_records(data_dir / PROVIDERS))
    queries: Queries = {}
    qrels: Qrels = {}
    for record in _records(path):
        wanted = frozenset(record["specialties"])
        queries[record["qid"]] = record["query"]
        gains = {
            p["id"]: provider_gain(tuple(p.get("specialties") or ()), wanted)
            for p in providers
            if meets(p, record["constraints"])
        }
        qrels[record["qid"]] = {pid: gain for pid, gain in gains.items() if gain > 0}
    return queries, qrels


def build(data_dir: Path) -> DevSets:
    """All five sets from the shared data directory (../shared/data)."""
    queries = load_queries(data_dir / QUERIES)
    passage_topics = load_topics(data_dir / PASSAGES)
    specialties = load_specialties(data_dir / PROVIDERS)
    topic_specialties = load_topic_specialties(data_dir / TOPIC_SPECIALTIES)

    passage_qrels = {q.qid: passage_gains(q, passage_topics) for q in queries}
    answer_qrels = {q.qid: dict.fromkeys(q.answers, ANSWER_GAIN) for q in queries if q.answers}
    provider_qrels: Qrels = {}
    provider_queries: Queries = {}
    for q in queries:
        wanted = query_specialties(q, topic_specialties)
        if wanted:  # the README's provider set: queries whose topics map to specialties
            provider_queries[q.qid] = q.query
            provider_qrels[q.qid] = provider_gains(wanted, specialties)
    constraint_queries, constraint_qrels = constraint_sets(data_dir)
    return DevSets(
        queries={q.qid: q.query for q in queries},
        passage_qrels={qid: docs for qid, docs in passage_qrels.items() if docs},
        answer_qrels=answer_qrels,
        provider_qrels={qid: docs for qid, docs in provider_qrels.items() if docs},
        provider_queries=provider_queries,
        constraint_qrels=constraint_qrels,
        constraint_queries=constraint_queries,
    )


def write(sets: DevSets, out_dir: Path, data_dir: Path) -> dict[str, Path]:
    """Write the files the module docstring lists; returns them by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "queries": out_dir / "queries.tsv",
        "passages": out_dir / "passages.qrels",
        "answers": out_dir / "passages_answers.qrels",
        "providers": out_dir / "providers.qrels",
        "provider_queries": out_dir / "providers_queries.tsv",
        "license": out_dir / "LICENSE.counsel-chat",
    }
    write_queries(files["queries"], sets.queries)
    write_qrels(files["passages"], sets.passage_qrels)
    write_qrels(files["answers"], sets.answer_qrels)
    write_qrels(files["providers"], sets.provider_qrels)
    write_queries(files["provider_queries"], sets.provider_queries)
    if sets.constraint_queries:
        files["constraint_queries"] = out_dir / "constraint_queries.tsv"
        files["constraints"] = out_dir / "constraints.qrels"
        write_queries(files["constraint_queries"], sets.constraint_queries)
        write_qrels(files["constraints"], sets.constraint_qrels)
    if (data_dir / LICENSE).exists():
        shutil.copyfile(data_dir / LICENSE, files["license"])
    else:
        del files["license"]
    return files


def command(args: Any, out: TextIO) -> int:
    """devsets --data DIR --out DIR: write the sets and say what each file holds."""
    if not (args.data / QUERIES).exists():
        raise RelevanceError(
            f"{args.data / QUERIES}: not found (--data is the shared data directory, ../shared/data beside the project)"
        )
    sets = build(args.data)
    files = write(sets, args.out, args.data)
    counts = {
        "queries": f"{len(sets.queries)} queries",
        "passages": f"{sum(map(len, sets.passage_qrels.values()))} judgments",
        "answers": f"{sum(map(len, sets.answer_qrels.values()))} judgments",
        "providers": f"{sum(map(len, sets.provider_qrels.values()))} judgments",
        "provider_queries": f"{len(sets.provider_queries)} queries",
        "constraint_queries": f"{len(sets.constraint_queries)} queries",
        "constraints": f"{sum(map(len, sets.constraint_qrels.values()))} judgments",
    }
    for name, path in files.items():
        print(f"{path}: {counts.get(name, 'copied')}", file=out)
    return 0
