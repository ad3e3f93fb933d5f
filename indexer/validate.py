"""Validation: a raw record becomes an input record (docs/contract.md), or a rejection that says where and why."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from indexer.readers.base import RawRecord, ReadError
from indexer.records import Address, Location, PassageRecord, ProviderRecord

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


def unknown_fields(raw: RawRecord) -> list[str]:
    """The fields of a raw record that its model does not have ("address.suite" for one inside
    the address), in the order read, where they carry a value: those values are not indexed,
    and a person should hear so. (An empty CSV cell or a null loses nothing.)"""
    model: type[BaseModel] = ProviderRecord if raw.kind == "provider" else PassageRecord
    found = [key for key, value in raw.data.items() if key not in model.model_fields and _carries(value)]
    if model is ProviderRecord:
        for name, part in (("address", Address), ("location", Location)):
            inner = raw.data.get(name)
            if isinstance(inner, dict):
                found += [f"{name}.{key}" for key, v in inner.items() if key not in part.model_fields and _carries(v)]
    return found


def _carries(value: object) -> bool:
    return value is not None and value != ""


def describe(exc: ValidationError, data: dict) -> str:
    """One line: the record id when known, then each failing field and why."""
    parts = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            message = "is required"
        elif error["type"] == "string_too_long":
            message = (
                f"is too long ({len(str(error.get('input', '')))} characters; at most {error['ctx']['max_length']})"
            )
        elif error["type"] == "too_long":  # a list
            message = f"has too many items ({error['ctx'].get('actual_length')}; at most {error['ctx']['max_length']})"
        elif error["type"] == "greater_than_equal":
            message = f"must be at least {error['ctx']['ge']}, not {error.get('input')!r}"
        elif error["type"] == "less_than_equal":
            message = f"must be at most {error['ctx']['le']}, not {error.get('input')!r}"
        # a check across fields (a fee range) names its fields in its message
        parts.append(f"{where} {message}" if where else message)
    more = len(exc.errors()) - 5
    if more > 0:
        parts.append(f"and {more} more")
    record_id = data.get("id")
    if isinstance(record_id, str) and len(record_id) > 60:  # an id too long is named by its start
        record_id = record_id[:40] + "…"
    prefix = f"record {record_id!r}: " if isinstance(record_id, str) and record_id.strip() else ""
    return prefix + "; ".join(parts)
