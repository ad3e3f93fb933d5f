"""Validation: a raw record becomes an input record (docs/contract.md), or a rejection that says where and why."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from indexer.readers.base import RawRecord, ReadError
from indexer.records import PassageRecord, ProviderRecord

Record = ProviderRecord | PassageRecord


@dataclass(frozen=True)
class Located:
    """A valid record and where it was read."""

    path: str
    line: int
    record: Record


def validate(raw: RawRecord) -> Located | ReadError:
    model = ProviderRecord if raw.kind == "provider" else PassageRecord
    try:
        return Located(raw.path, raw.line, model.model_validate(raw.data))
    except ValidationError as exc:
        return ReadError(raw.path, raw.line, describe(exc, raw.data))


def describe(exc: ValidationError, data: dict) -> str:
    """One line: the record id when known, then each failing field and why."""
    parts = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "record"
        message = error["msg"]
        if error["type"] == "missing":
            message = "is required"
        elif error["type"] == "string_too_long":
            message = (
                f"is too long ({len(str(error.get('input', '')))} characters; at most {error['ctx']['max_length']})"
            )
        parts.append(f"{where} {message}")
    more = len(exc.errors()) - 5
    if more > 0:
        parts.append(f"and {more} more")
    record_id = data.get("id")
    prefix = f"record {record_id!r}: " if isinstance(record_id, str) and record_id.strip() else ""
    return prefix + "; ".join(parts)
