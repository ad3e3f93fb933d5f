"""The demo corpus `make run` loads: generated providers, the project's own guide passages,
and the seed guide page when ../shared/data is beside the checkout."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.settings import PROJECT_ROOT
from indexer.demo.passages import guide_passages_path
from indexer.demo.providers import OPENINGS_FROM, generate_providers

SEED_PAGE = PROJECT_ROOT.parent / "shared" / "data" / "seed" / "find-therapy-for-self-harm.txt"


@dataclass
class DemoSources:
    providers: list[str] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def write_providers(n: int, folder: Path, today: date = OPENINGS_FROM) -> Path:
    """Generated once per size and day (the generator is deterministic; next openings count
    from `today`); the same size's files of other days are removed."""
    path = folder / f"providers-{n}-{today.isoformat()}.jsonl"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as fh:
            for record in generate_providers(n, today=today):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        partial.rename(path)
        for stale in folder.glob(f"providers-{n}-*.jsonl"):
            if stale != path:
                stale.unlink()
    return path


def demo_sources(n_providers: int, folder: Path, today: date) -> DemoSources:
    """The demo's sources, its next openings in the weeks after `today` (a demo of "available
    this week" needs openings this week, whatever day it runs)."""
    providers = write_providers(n_providers, folder, today)
    sources = DemoSources(providers=[str(providers)], passages=[str(guide_passages_path())])
    if SEED_PAGE.exists():
        sources.pages.append(str(SEED_PAGE))
    return sources
