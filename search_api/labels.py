"""Display labels for the directory's specialty names (mappings/specialty_labels.json): the
name stays what filters and records use; the label is what a chip, facet or card shows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

from core.settings import MAPPINGS_DIR


@cache
def _labels() -> dict[str, str]:
    with open(MAPPINGS_DIR / "specialty_labels.json", encoding="utf-8") as fh:
        labels: dict[str, str] = json.load(fh)["labels"]
    return labels


def specialty_label(name: str) -> str:
    """The label for a directory name; a name the table lacks is shown as it is."""
    return _labels().get(name, name)


def specialty_labels(names: Iterable[str]) -> list[str]:
    return [specialty_label(n) for n in names]
