"""Saved runs: what `eval` writes and what `compare`, `report` and `unjudged` read back, so
that two runs made months apart still compare from their files alone.

For ``--json OUT`` eval writes:

``OUT``                  the record (JSON): per mode the means, intervals and unjudged share
                         (docs/contract.md), ``_compare`` (paired tests between modes),
                         ``_queries`` (each judged query's text and per-mode scores) and
                         ``_meta`` (time, commit, type, k, modes, API or in-process, index
                         prefix, the ranking tuning, the judgment files and their SHA-256).
``OUT.<mode>.run``       the ranking (TREC run format: ``qid Q0 docid rank score tag``).
``OUT.<mode>.legs.json`` hybrid only: ``{qid: {docid: {leg: rank}}}`` from the API's explain,
                         which leg (bm25, vector or both) brought each hit.

A run file is named ``<record>.<mode>.run``, so the record and the legs are found beside it.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings
from relevance.errors import JudgmentError, RelevanceError
from relevance.judgments import Qrels, Queries, read_qrels
from relevance.metrics import Run
from search_api.tuning import DEFAULT_TUNING

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RUN_SUFFIX = ".run"
LEGS_SUFFIX = ".legs.json"
Legs = dict[str, dict[str, dict[str, int]]]


# ---- names


def run_path(out: Path, mode: str) -> Path:
    return out.with_name(f"{out.name}.{mode}{RUN_SUFFIX}")


def legs_path(out: Path, mode: str) -> Path:
    return out.with_name(f"{out.name}.{mode}{LEGS_SUFFIX}")


def record_of(run_file: Path) -> tuple[Path, str] | None:
    """'x/passages.json.hybrid.run' -> (x/passages.json, 'hybrid'); None for another name."""
    name = run_file.name
    if not name.endswith(RUN_SUFFIX):
        return None
    stem, dot, mode = name[: -len(RUN_SUFFIX)].rpartition(".")
    if not dot or not stem or not mode:
        return None
    return run_file.with_name(stem), mode


# ---- provenance


def git_commit() -> str | None:
    """The checked-out commit (read-only `git rev-parse HEAD`); None without git or a work tree."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def current_tuning() -> dict[str, Any]:
    """This checkout's ranking defaults (search_api/tuning.py)."""
    return asdict(DEFAULT_TUNING)


def current_index_prefix() -> str | None:
    try:
        return Settings().index_prefix
    except Exception:  # settings that do not validate: the record simply lacks the prefix
        return None


# ---- writing


def write_json(path: Path, document: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise RelevanceError(f"{exc.filename or path}: cannot write: {exc.strerror or exc}") from None


def write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise RelevanceError(f"{exc.filename or path}: cannot write: {exc.strerror or exc}") from None


def write_bytes(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise RelevanceError(f"{exc.filename or path}: cannot write: {exc.strerror or exc}") from None


# ---- reading


def read_json(path: Path, what: str = "file") -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RelevanceError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise RelevanceError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RelevanceError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise RelevanceError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None


def read_trec_run(path: Path) -> Run:
    """`qid Q0 docid rank score tag` lines; the order is the score's, as trec_eval reads it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise JudgmentError(f"{path}: no such run file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgmentError(f"{path}: cannot read the run ({exc})") from None
    run: Run = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 6:
            raise JudgmentError(f"{path}:{number}: a run line has 6 fields (qid Q0 docid rank score tag)")
        qid, _, docid, _, score, _ = parts
        try:
            value = float(score)
        except ValueError:
            raise JudgmentError(f"{path}:{number}: score {score!r} is not a number") from None
        if docid in run.setdefault(qid, {}):
            raise JudgmentError(f"{path}:{number}: document {docid} appears twice for query {qid}")
        run[qid][docid] = value
    if not run:
        raise JudgmentError(f"{path}: the run is empty")
    return run


def _legs(path: Path) -> Legs:
    data = read_json(path, "legs file")
    legs = data.get("legs") if isinstance(data, dict) else None
    if not isinstance(legs, dict):
        raise RelevanceError(f"{path}: expected {{'legs': {{qid: {{docid: {{leg: rank}}}}}}}}")
    return legs


@dataclass
class SavedRun:
    """One mode's saved ranking with whatever was saved beside it."""

    path: Path
    mode: str
    run: Run
    record: dict[str, Any] | None  # the eval JSON the run belongs to, if it is beside it
    legs: Legs | None

    @property
    def meta(self) -> dict[str, Any]:
        return (self.record or {}).get("_meta", {}) or {}

    @property
    def label(self) -> str:
        when = self.meta.get("time") or "time unknown"
        commit = (self.meta.get("commit") or "no commit")[:10]
        return f"{self.path.name} ({self.mode}, {when}, {commit})"

    def queries(self) -> Queries:
        saved = (self.record or {}).get("_queries", {}) or {}
        return {qid: str(row.get("query", "")) for qid, row in saved.items() if isinstance(row, dict)}


def load_run(path: Path) -> SavedRun:
    run = read_trec_run(path)
    found = record_of(path)
    record, legs, mode = None, None, path.name
    if found is not None:
        record_path, mode = found
        if record_path.exists():
            data = read_json(record_path, "run record")
            record = data if isinstance(data, dict) else None
        if legs_path(record_path, mode).exists():
            legs = _legs(legs_path(record_path, mode))
    return SavedRun(path, mode, run, record, legs)


def runs_of_record(record_path: Path) -> list[SavedRun]:
    """Every mode's run beside an eval record (the modes its _meta lists, else its mode keys)."""
    data = read_json(record_path, "run record")
    if not isinstance(data, dict):
        raise RelevanceError(f"{record_path}: not an eval record (a JSON object)")
    modes = data.get("_meta", {}).get("modes") or [k for k in data if not k.startswith("_")]
    if not modes:
        raise RelevanceError(f"{record_path}: no modes in the record")
    return [load_run(run_path(record_path, mode)) for mode in modes]


def expand(paths: list[Path]) -> list[SavedRun]:
    """Run files as they are, eval records (JSON) as all their modes' runs."""
    out: list[SavedRun] = []
    for path in paths:
        out.extend(runs_of_record(path) if path.suffix.lower() == ".json" else [load_run(path)])
    return out


# ---- judgments of saved runs


def judgments_for(runs: list[SavedRun], qrels: Path | None, queries: Path | None) -> tuple[Qrels, Queries, list[str]]:
    """The qrels and query texts to score saved runs with, and notes for the analyst.

    Query text comes from --queries, else from the records. Judgments come from --qrels,
    else from the file the records name, if it is still there with the same SHA-256; runs
    judged with other judgments than those used now are noted (they are scored again)."""
    notes: list[str] = []
    texts: Queries = {}
    for saved in reversed(runs):
        texts.update(saved.queries())
    if queries is not None:
        from relevance.judgments import read_queries

        texts = read_queries(queries)
    if qrels is None:
        recorded = {(s.meta.get("qrels"), s.meta.get("qrels_sha256")) for s in runs}
        if len(recorded) != 1 or None in next(iter(recorded)):
            raise RelevanceError("give --qrels: the runs do not name one judgments file between them")
        name, digest = next(iter(recorded))
        qrels = Path(str(name))
        if sha256_of(qrels) != digest:
            raise RelevanceError(f"{qrels}: missing or changed since the runs were scored; give --qrels")
    digest = sha256_of(qrels)
    for saved in runs:
        then = saved.meta.get("qrels_sha256")
        if then and digest and then != digest:
            notes.append(f"note: {saved.path} was scored with other judgments ({saved.meta.get('qrels')}); rescored")
    # query ids outside the query set are an error only when a query set was given
    judged = read_qrels(qrels, texts if queries is not None else None, str(queries or "the query set"))
    return judged, texts, notes


def tuning_changes(a: SavedRun, b: SavedRun) -> list[str]:
    """'name: A -> B' for each ranking setting that differs between the two records."""
    ta, tb = a.meta.get("tuning") or {}, b.meta.get("tuning") or {}
    lines = [f"{k}: {ta.get(k)} -> {tb.get(k)}" for k in sorted(set(ta) | set(tb)) if ta.get(k) != tb.get(k)]
    for key in ("type", "k", "index_prefix", "api", "commit"):
        if a.meta.get(key) != b.meta.get(key):
            lines.append(f"{key}: {a.meta.get(key)} -> {b.meta.get(key)}")
    return lines
