"""What every reader yields: a raw record with its source position, or a read error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RecordKind = Literal["provider", "passage"]


@dataclass(frozen=True)
class RawRecord:
    """One record as read, before validation. `line` is 1-based: the JSON Lines line, the
    CSV row's line, or the line of a page where the provider card or section starts."""

    path: str
    line: int
    kind: RecordKind
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadError:
    """A record that could not even be read (bad JSON, bad encoding, no headings)."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"
