"""Query sets and relevance judgments: read and write them, and refuse anything ambiguous.

Formats are chosen by the file name's suffix:

queries
  ``.jsonl``/``.json``/``.ndjson``: JSON Lines with ``qid`` and ``query`` (dev_queries.jsonl
  is one); anything else: TSV ``qid<TAB>query`` (an optional ``qid<TAB>query`` header line).

judgments
  ``.csv``: Quepid ``query,docid,rating`` (query *text*, mapped to ids through the query set;
  a blank rating means "not rated yet" and is skipped); ``.jsonl``/``.json``/``.ndjson``: one
  query per line in the shape of dev_queries.jsonl, ``{"qid", "query", "judgments":
  {docid: gain}}``, where a list ``answers`` also counts, each answer at gain 2 (the grade
  data/README.md gives answers); anything else: TREC qrels ``qid 0 docid gain``.

Every problem is a `JudgmentError` whose one-line message names the file and line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from relevance.errors import JudgmentError

__all__ = [
    "ANSWER_GAIN",
    "JudgmentError",
    "Qrels",
    "Queries",
    "judgment_format",
    "read_qrels",
    "read_queries",
    "write_qrels",
    "write_queries",
]

Queries = dict[str, str]  # qid -> query text, in file order
Qrels = dict[str, dict[str, int]]  # qid -> docid -> gain
Format = Literal["trec", "quepid", "jsonl"]

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
ANSWER_GAIN = 2  # data/README.md: a passage in the query's `answers` has gain 2

# One parsed judgment: qid, docid, gain, and the line it came from (for error messages).
Entry = tuple[str, str, int, int]


# ---- formats


def judgment_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "quepid"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "trec"


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines; I/O and encoding problems become a JudgmentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise JudgmentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise JudgmentError(f"{path}: not UTF-8 text") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def _json_object(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise JudgmentError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise JudgmentError(f"{path}:{number}: expected a JSON object")
    return value


def _check_id(path: Path, number: int, what: str, value: Any) -> str:
    """Ids go into whitespace-separated TREC files, so they must be non-empty and unbroken."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise JudgmentError(f"{path}:{number}: missing or empty {what}")
    if value != value.strip() or any(ch.isspace() for ch in value):
        raise JudgmentError(f"{path}:{number}: {what} {value!r} contains whitespace")
    return value


# ---- queries


def read_queries(path: Path) -> Queries:
    """qid -> query text; duplicates, blank queries and an empty set are errors."""
    rows = _query_rows_jsonl(path) if _is_jsonl(path) else _query_rows_tsv(path)
    queries: Queries = {}
    first_line: dict[str, int] = {}
    for number, qid, query in rows:
        if qid in queries:
            raise JudgmentError(f"{path}:{number}: duplicate query id {qid!r} (first at line {first_line[qid]})")
        queries[qid] = query
        first_line[qid] = number
    if not queries:
        raise JudgmentError(f"{path}: no queries in the file")
    return queries


def _query_rows_tsv(path: Path) -> Iterator[tuple[int, str, str]]:
    for number, line in _lines(path):
        if number == 1 and line.strip().lower() == "qid\tquery":
            continue  # a header row
        qid, tab, query = line.partition("\t")
        if not tab:
            raise JudgmentError(f"{path}:{number}: expected 'qid<TAB>query'")
        qid = _check_id(path, number, "query id", qid.strip())
        if not query.strip():
            raise JudgmentError(f"{path}:{number}: empty query for {qid!r}")
        yield number, qid, query.strip()


def _query_rows_jsonl(path: Path) -> Iterator[tuple[int, str, str]]:
    for number, line in _lines(path):
        record = _json_object(path, number, line)
        qid = _check_id(path, number, "qid", record.get("qid"))
        query = record.get("query")
        if not isinstance(query, str) or not query.strip():
            raise JudgmentError(f"{path}:{number}: missing or empty 'query' for {qid!r}")
        yield number, qid, query.strip()


def write_queries(path: Path, queries: Queries) -> None:
    """TSV (tabs and line breaks inside a query become spaces) or JSON Lines, by suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if _is_jsonl(path):
        lines = [json.dumps({"qid": q, "query": text}, ensure_ascii=False) for q, text in queries.items()]
    else:
        lines = [f"{qid}\t{' '.join(text.split())}" for qid, text in queries.items()]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


# ---- judgments


def read_qrels(path: Path, queries: Queries | None = None, queries_name: str = "the query set") -> Qrels:
    """qid -> docid -> gain. With `queries`, every judged query id must be in that set
    (Quepid CSV needs it to map query text to ids)."""
    fmt = judgment_format(path)
    if fmt == "quepid":
        if queries is None:
            raise JudgmentError(f"{path}: Quepid CSV needs a query set to map query text to ids")
        entries: Iterable[Entry] = _quepid_entries(path, queries, queries_name)
    elif fmt == "jsonl":
        entries = _jsonl_entries(path)
    else:
        entries = _trec_entries(path)
    known = set(queries) if queries is not None else None
    return _collect(path, entries, known, queries_name)


def _collect(path: Path, entries: Iterable[Entry], known: set[str] | None, queries_name: str) -> Qrels:
    qrels: Qrels = {}
    first_line: dict[tuple[str, str], int] = {}
    for qid, docid, gain, number in entries:
        if known is not None and qid not in known:
            raise JudgmentError(f"{path}:{number}: query id {qid!r} is not in {queries_name}")
        key = (qid, docid)
        if key in first_line:
            raise JudgmentError(
                f"{path}:{number}: duplicate judgment for query {qid!r}, document {docid!r} "
                f"(first at line {first_line[key]})"
            )
        first_line[key] = number
        qrels.setdefault(qid, {})[docid] = gain
    if not qrels:
        raise JudgmentError(f"{path}: no judgments in the file")
    return qrels


def parse_gain(text: str, path: Path, number: int) -> int:
    """trec_eval's gains are integers; '2.0' (as spreadsheets write it) is accepted as 2."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise JudgmentError(f"{path}:{number}: non-numeric grade {text!r}") from None
    if not value.is_integer():
        raise JudgmentError(f"{path}:{number}: grade {text!r} is not a whole number")
    return int(value)


def _trec_entries(path: Path) -> Iterator[Entry]:
    for number, line in _lines(path):
        if line.lstrip().startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 4:
            raise JudgmentError(f"{path}:{number}: expected 'qid 0 docid gain' (4 fields), got {len(fields)}")
        qid, _iteration, docid, grade = fields
        yield qid, docid, parse_gain(grade, path, number), number


def _json_gain(value: Any, path: Path, number: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise JudgmentError(f"{path}:{number}: non-numeric grade {value!r}")
    return parse_gain(str(value), path, number)


def _jsonl_entries(path: Path) -> Iterator[Entry]:
    for number, line in _lines(path):
        record = _json_object(path, number, line)
        qid = _check_id(path, number, "qid", record.get("qid"))
        judged = record.get("judgments", {})
        answers = record.get("answers", [])
        if not isinstance(judged, dict):
            raise JudgmentError(f"{path}:{number}: 'judgments' must be an object docid -> gain")
        if not isinstance(answers, list):
            raise JudgmentError(f"{path}:{number}: 'answers' must be a list of document ids")
        for docid in answers:
            yield qid, _check_id(path, number, "answer id", docid), ANSWER_GAIN, number
        for docid, grade in judged.items():
            docid = _check_id(path, number, "document id", docid)
            yield qid, docid, _json_gain(grade, path, number), number


QUEPID_COLUMNS = {
    "query": "query",
    "query text": "query",
    "docid": "docid",
    "doc id": "docid",
    "doc_id": "docid",
    "rating": "rating",
}


def _normal_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _text_index(queries: Queries) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for qid, text in queries.items():
        index.setdefault(_normal_text(text), []).append(qid)
    return index


def _quepid_entries(path: Path, queries: Queries, queries_name: str) -> Iterator[Entry]:
    by_text = _text_index(queries)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            columns = _quepid_header(path, next(reader, []))
            for row in reader:
                number = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) < len(columns):
                    raise JudgmentError(f"{path}:{number}: expected columns query,docid,rating")
                cells = {name: row[i].strip() for name, i in columns.items()}
                if not cells["rating"]:
                    continue  # Quepid exports documents nobody has rated yet with a blank rating
                qid = _quepid_qid(path, number, cells["query"], by_text, queries_name)
                docid = _check_id(path, number, "docid", cells["docid"])
                yield qid, docid, parse_gain(cells["rating"], path, number), number
    except OSError as exc:
        raise JudgmentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise JudgmentError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        raise JudgmentError(f"{path}: malformed CSV: {exc}") from None


def _quepid_header(path: Path, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        canonical = QUEPID_COLUMNS.get(name.strip().lower())
        if canonical and canonical not in columns:
            columns[canonical] = i
    if set(columns) != {"query", "docid", "rating"}:
        raise JudgmentError(f"{path}:1: the header must name the columns query,docid,rating")
    return columns


def _quepid_qid(path: Path, number: int, text: str, by_text: dict[str, list[str]], queries_name: str) -> str:
    qids = by_text.get(_normal_text(text), [])
    if not qids:
        raise JudgmentError(f"{path}:{number}: query {text!r} is not in {queries_name}")
    if len(qids) > 1:
        raise JudgmentError(
            f"{path}:{number}: query {text!r} matches several query ids ({', '.join(qids)}) "
            "in the query set; Quepid CSV cannot tell them apart"
        )
    return qids[0]


def write_qrels(path: Path, qrels: Qrels, queries: Queries | None = None) -> None:
    """Write in the format the suffix names; Quepid CSV and JSON Lines take the query text
    from `queries` (required for Quepid, optional for JSON Lines)."""
    fmt = judgment_format(path)
    if fmt == "quepid":
        if queries is None:
            raise JudgmentError(f"{path}: Quepid CSV needs the query set for the query text")
        _write_quepid(path, qrels, queries)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        lines = [_jsonl_line(qid, docs, queries) for qid, docs in qrels.items()]
    else:
        lines = [f"{qid} 0 {docid} {gain}" for qid, docs in qrels.items() for docid, gain in docs.items()]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _jsonl_line(qid: str, docs: dict[str, int], queries: Queries | None) -> str:
    record: dict[str, Any] = {"qid": qid}
    if queries is not None and qid in queries:
        record["query"] = queries[qid]
    record["judgments"] = docs
    return json.dumps(record, ensure_ascii=False)


def _write_quepid(path: Path, qrels: Qrels, queries: Queries) -> None:
    # Quepid keys queries by text, so two judged queries with one text would merge on import.
    seen: dict[str, str] = {}
    for qid in qrels:
        if qid not in queries:
            raise JudgmentError(f"{path}: query id {qid!r} has no text in the query set")
        text = _normal_text(queries[qid])
        if text in seen:
            raise JudgmentError(
                f"{path}: queries {seen[text]!r} and {qid!r} share the text {queries[qid]!r}; "
                "Quepid CSV cannot tell them apart"
            )
        seen[text] = qid
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query", "docid", "rating"])
        for qid, docs in qrels.items():
            for docid, gain in docs.items():
                writer.writerow([queries[qid], docid, gain])
