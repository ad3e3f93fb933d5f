"""From paths to validated records: every reader, then validation, rejections collected."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.readers.base import RawRecord, ReadError
from indexer.readers.csv_reader import read_provider_csv
from indexer.readers.jsonl import read_jsonl
from indexer.validate import Located, unknown_fields, validate

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
PAGE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


class UsageError(ValueError):
    """A path the command cannot read at all (exit 2)."""


@dataclass
class Loaded:
    providers: dict[str, Located] = field(default_factory=dict)
    passages: dict[str, Located] = field(default_factory=dict)
    rejections: list[ReadError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown: set[tuple[str, str]] = field(default_factory=set)  # (path, field) already noted

    def note_unknown(self, raw: RawRecord) -> None:
        """A field the records do not have is not indexed: say so once per file and field,
        at the first line that has it (a CSV column would otherwise be named on every row)."""
        for name in unknown_fields(raw):
            if (raw.path, name) not in self.unknown:
                self.unknown.add((raw.path, name))
                self.notes.append(f"{raw.path}:{raw.line}: unknown field {name!r} is not indexed (said once per file)")

    def add(self, item: Located | ReadError) -> None:
        if isinstance(item, ReadError):
            self.rejections.append(item)
            return
        target = self.providers if item.path and _is_provider(item) else self.passages
        previous = target.get(item.record.id)
        if previous is not None:
            self.notes.append(
                f"{item.path}:{item.line}: id {item.record.id!r} was already read at "
                f"{previous.path}:{previous.line}; the later record wins"
            )
        target[item.record.id] = item


def _is_provider(item: Located) -> bool:
    from indexer.records import ProviderRecord

    return isinstance(item.record, ProviderRecord)


def _check(path: str, suffixes: set[str], what: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: no such file")
    if p.suffix.lower() not in suffixes:
        raise UsageError(f"{path}: {what} are read from {', '.join(sorted(suffixes))} files")
    return p


def provider_items(path: str) -> Iterator[RawRecord | ReadError]:
    p = _check(path, JSONL_SUFFIXES | {".csv"}, "providers")
    return read_provider_csv(p) if p.suffix.lower() == ".csv" else read_jsonl(p, "provider")


def passage_items(path: str) -> Iterator[RawRecord | ReadError]:
    return read_jsonl(_check(path, JSONL_SUFFIXES, "passages"), "passage")


def page_items(path: str) -> Iterator[RawRecord | ReadError]:
    from indexer.readers.pages import read_page

    records, errors = read_page(_check(path, PAGE_SUFFIXES, "pages"))
    yield from errors
    yield from records


def load(providers: Iterable[str] = (), passages: Iterable[str] = (), pages: Iterable[str] = ()) -> Loaded:
    """Read and validate everything named; raises UsageError before reading anything if a
    path is missing or of a kind the command does not read."""
    for path in providers:
        _check(path, JSONL_SUFFIXES | {".csv"}, "providers")
    for path in passages:
        _check(path, JSONL_SUFFIXES, "passages")
    for path in pages:
        _check(path, PAGE_SUFFIXES, "pages")
    loaded = Loaded()
    # (records, written by a person): a page's records are made by its reader, whose own
    # bookkeeping keys (section, chunk) are no one's unknown field
    streams: list[tuple[Iterator[RawRecord | ReadError], bool]] = [
        *((provider_items(p), True) for p in providers),
        *((passage_items(p), True) for p in passages),
        *((page_items(p), False) for p in pages),
    ]
    for stream, written in streams:
        for item in stream:
            if isinstance(item, ReadError):
                loaded.add(item)
                continue
            if written:
                loaded.note_unknown(item)
            loaded.add(validate(item))
    return loaded
