"""JSON Lines: one object per line; blank lines are skipped, every bad line is named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from indexer.readers.base import RawRecord, ReadError, RecordKind


def read_jsonl(path: str | Path, kind: RecordKind) -> Iterator[RawRecord | ReadError]:
    name = str(path)
    seen_any = False
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(name, number, f"not valid UTF-8 (byte {exc.start} of the line)")
                continue
            if number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            seen_any = True
            try:
                data = json.loads(line.rstrip("\r\n"))  # an error at the end is on this line, not the next
            except json.JSONDecodeError as exc:
                yield ReadError(name, number, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(data, dict):
                yield ReadError(name, number, f"expected a JSON object, found {type(data).__name__}")
                continue
            yield RawRecord(name, number, kind, data)
    if not seen_any:
        yield ReadError(name, 1, "empty file: no records")
