"""The one specialty taxonomy and age-group vocabulary, loaded from `mappings/specialties.json`.

`Self Harm` and `Self-Harm` are one specialty; a name the table does not know is kept as
written (trimmed), never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from core.settings import MAPPINGS_DIR

_NON_ALNUM = re.compile(r"[^a-z0-9+]+")


@lru_cache(maxsize=8192)  # ranking folds the same few hundred names ~1,400 times a query
def fold(name: str) -> str:
    """Comparison key: case, hyphens, punctuation and spacing do not matter."""
    return _NON_ALNUM.sub(" ", name.lower().replace("’", "'").replace("'", "")).strip()


@dataclass(frozen=True)
class Vocabulary:
    canonical: tuple[str, ...]
    by_key: dict[str, str]

    def canonicalize(self, name: str) -> str:
        cleaned = " ".join(name.split())
        return self.by_key.get(fold(cleaned), cleaned)

    def is_known(self, name: str) -> bool:
        return fold(name) in self.by_key


def _vocabulary(table: dict[str, list[str]]) -> Vocabulary:
    by_key: dict[str, str] = {}
    for canonical, variants in table.items():
        for variant in [canonical, *variants]:
            by_key[fold(variant)] = canonical
    return Vocabulary(tuple(table), by_key)


@cache
def _tables() -> dict[str, dict[str, list[str]]]:
    with open(MAPPINGS_DIR / "specialties.json", encoding="utf-8") as fh:
        data = json.load(fh)
    return {"specialties": data["specialties"], "age_groups": data["age_groups"]}


@cache
def specialties() -> Vocabulary:
    return _vocabulary(_tables()["specialties"])


@cache
def age_groups() -> Vocabulary:
    return _vocabulary(_tables()["age_groups"])


def canonical_specialties(names: list[str]) -> list[str]:
    """Canonical, trimmed, de-duplicated, order kept (the first is the primary one)."""
    seen: set[str] = set()
    out: list[str] = []
    vocab = specialties()
    for name in names:
        if not name or not name.strip():
            continue
        canonical = vocab.canonicalize(name)
        if fold(canonical) not in seen:
            seen.add(fold(canonical))
            out.append(canonical)
    return out
