"""`convert IN OUT`: judgments rewritten in another format, chosen by each file's name:
TREC qrels, Quepid CSV (``.csv``), JSON Lines (``.jsonl``), or an Elasticsearch/OpenSearch
``_rank_eval`` request body (``.rank_eval.json``; see relevance.rank_eval)."""

from __future__ import annotations

from typing import Any, TextIO

from relevance import rank_eval
from relevance.errors import RelevanceError
from relevance.judgments import Qrels, read_qrels, read_queries, write_qrels


def command(args: Any, out: TextIO, err: TextIO) -> int:
    queries = read_queries(args.queries) if args.queries else None
    name = str(args.queries) if args.queries else "the query set"
    if rank_eval.is_rank_eval(args.source):
        qrels: Qrels = rank_eval.read(args.source)
        if queries is not None:
            unknown = [qid for qid in qrels if qid not in queries]
            if unknown:
                raise RelevanceError(f"{args.source}: query id {unknown[0]!r} is not in {name}")
    else:
        qrels = read_qrels(args.source, queries, queries_name=name)
    if rank_eval.is_rank_eval(args.target):
        if queries is None:
            raise RelevanceError(f"{args.target}: a _rank_eval body needs --queries for the query text")
        if args.doc_type is None:
            raise RelevanceError(f"{args.target}: a _rank_eval body needs --type (the index and its query body)")
        index, note = rank_eval.concrete_index(args.index or rank_eval.default_index(args.doc_type))
        if note:
            print(note, file=err)
        builder = rank_eval.request_builder(args.request, args.doc_type, args.k)
        document = rank_eval.body(qrels, queries, index, builder, args.rank_eval_metric, args.k)
        rank_eval.write(args.target, document)
        print(
            f"{args.target}: {len(document['requests'])} requests ({args.request}) against {index}, "
            f"metric {next(iter(document['metric']))}@{args.k}",
            file=out,
        )
        return 0
    try:
        write_qrels(args.target, qrels, queries)
    except OSError as exc:
        raise RelevanceError(f"{args.target}: cannot write: {exc.strerror or exc}") from None
    print(f"{args.target}: {sum(map(len, qrels.values()))} judgments for {len(qrels)} queries", file=out)
    return 0
