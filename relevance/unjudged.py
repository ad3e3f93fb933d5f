"""`unjudged`: the documents that entered the top k of saved runs without a judgment, as a
CSV worklist for raters, one row per query and document however many modes returned it.

Columns: ``query,docid,rating,qid,rank,modes``. The first three are Quepid's rating import
(``query,docid,rating``) with the rating left blank for the rater; ``rank`` is the best rank
the document reached in any of the runs and ``modes`` the runs that returned it. This
project's readers take the filled file as judgments directly (extra columns are ignored, blank
ratings skipped); ``--quepid-only`` writes just the three columns for Quepid's importer.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, TextIO

from relevance.compare import ranks
from relevance.errors import RelevanceError
from relevance.judgments import Qrels, Queries
from relevance.saved import SavedRun, expand, judgments_for, write_text

COLUMNS = ["query", "docid", "rating", "qid", "rank", "modes"]


@dataclass
class Pending:
    qid: str
    docid: str
    rank: int
    modes: list[str]


def worklist(runs: list[SavedRun], qrels: Qrels, k: int) -> list[Pending]:
    """Top-k documents without a judgment for their query, deduplicated across runs,
    in query order (as judged) and then best rank."""
    found: dict[tuple[str, str], Pending] = {}
    for saved in runs:
        for qid, scores in saved.run.items():
            judged = qrels.get(qid, {})
            for docid, rank in ranks(scores).items():
                if rank > k or docid in judged:
                    continue
                entry = found.setdefault((qid, docid), Pending(qid, docid, rank, []))
                entry.rank = min(entry.rank, rank)
                if saved.mode not in entry.modes:
                    entry.modes.append(saved.mode)
    order = {qid: i for i, qid in enumerate(qrels)}
    return sorted(found.values(), key=lambda p: (order.get(p.qid, len(order)), p.qid, p.rank, p.docid))


def to_csv(rows: list[Pending], queries: Queries, quepid_only: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[:3] if quepid_only else COLUMNS)
    for row in rows:
        cells: list[Any] = [queries.get(row.qid, ""), row.docid, ""]
        if not quepid_only:
            cells += [row.qid, row.rank, "+".join(row.modes)]
        writer.writerow(cells)
    return buffer.getvalue()


def command(args: Any, out: TextIO, err: TextIO) -> int:
    runs = expand(args.runs)
    qrels, queries, notes = judgments_for(runs, args.qrels, args.queries)
    for note in notes:
        print(note, file=err)
    rows = worklist(runs, qrels, args.k)
    missing = sorted({r.qid for r in rows if r.qid not in queries})
    if missing:
        raise RelevanceError(f"no query text for {len(missing)} queries (e.g. {missing[0]!r}): give --queries")
    write_text(args.out, to_csv(rows, queries, args.quepid_only))
    print(
        f"{args.out}: {len(rows)} unjudged documents in the top {args.k} of "
        f"{len({r.qid for r in rows})} queries, from {', '.join(s.mode for s in runs)}",
        file=out,
    )
    return 0
