"""The guide passages written for this project, shipped next to this module as JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_FILE_NAME = "guide_passages.jsonl"


def guide_passages_path() -> Path:
    """Where the packaged guide passages lie (installed as package data)."""
    return Path(__file__).resolve().with_name(_FILE_NAME)


def load_guide_passages() -> list[dict[str, Any]]:
    """All guide passages in file order; blank lines are skipped."""
    with guide_passages_path().open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
