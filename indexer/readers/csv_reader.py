"""Providers from CSV: the record's field names as columns (docs/contract.md: Input records), lists separated by `;`.

Address and location may be given as `street, city, state, zip, lat, lon` columns or as
`address.street`, `location.lat` and so on. Booleans are `true/false`, `yes/no` or `1/0`;
whole numbers may carry a dollar sign (`$150`); dates stay text for validation to read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.readers.base import RawRecord, ReadError

LIST_FIELDS = ("credentials", "specialties", "therapy_types", "ages_served", "languages", "insurance", "faith")
BOOL_FIELDS = ("remote_only", "telehealth", "accepting_new_clients", "sliding_scale")
INT_FIELDS = ("years_in_practice", "session_fee_min", "session_fee_max")
_WHOLE_NUMBER = re.compile(r"\$?\s*(-?\d+)")
ADDRESS_FIELDS = ("street", "city", "state", "zip")
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0"}


def read_provider_csv(path: str | Path) -> Iterator[RawRecord | ReadError]:
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        yield ReadError(name, line, f"not valid UTF-8 (byte offset {exc.start})")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        yield ReadError(name, 1, "empty file: no header row")
        return
    seen_any = False
    try:
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            seen_any = True
            if None in row:
                yield ReadError(name, line, f"{len(row[None])} more value(s) than header columns")
                continue
            yield RawRecord(name, line, "provider", row_to_record(row))
    except csv.Error as exc:
        yield ReadError(name, reader.line_num, f"malformed CSV: {exc}")
        return
    if not seen_any:
        yield ReadError(name, 1, "empty file: no records")


def row_to_record(row: dict[str, str | None]) -> dict[str, Any]:
    """A CSV row as the JSON record it stands for. Values it cannot convert are passed on
    as text so that validation names the field."""
    cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    record: dict[str, Any] = {}
    address: dict[str, str] = {}
    location: dict[str, str] = {}
    for key, value in cells.items():
        bare = key.removeprefix("address.").removeprefix("location.")
        if key.startswith("address.") or (key in ADDRESS_FIELDS):
            if value:
                address[bare] = value
        elif key.startswith("location.") or key in ("lat", "lon"):
            if value:
                location[bare] = value
        elif key in LIST_FIELDS:
            record[key] = [item.strip() for item in value.split(";") if item.strip()]
        elif key in BOOL_FIELDS:
            record[key] = _bool(value)
        elif key in INT_FIELDS:
            record[key] = _int(value)
        else:
            record[key] = value or None
    record["address"] = address or None
    record["location"] = location or None
    return record


def _int(value: str) -> int | str | None:
    # "-20" becomes -20, so that validation says the fee is negative rather than not a number
    number = _WHOLE_NUMBER.fullmatch(value)
    return int(number[1]) if number else (value or None)


def _bool(value: str) -> bool | str | None:
    lowered = value.lower()
    if not lowered:
        return None
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    return value
