"""What the indexer's integration tests share: running `python -m indexer` in-process and
looking at what the cluster then serves."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.embedder import Embedder
from core.engines import EngineError, SyncEngine
from indexer.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


Indexer = Callable[..., Run]


def in_process_indexer(real_embedder: Embedder) -> Indexer:
    """`python -m indexer ARGS` in this process (the environment names prefix and cache)."""

    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out, err, embedder_factory=lambda: real_embedder)
        return Run(code, out.getvalue(), err.getvalue())

    return run


def write_jsonl(path: Path, records: list[dict[str, Any]] | list[dict[str, Any] | str]) -> Path:
    """Records as JSON Lines; a string is written as the line itself (for broken lines)."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def alias_target(cluster: SyncEngine, alias: str) -> list[str]:
    try:
        return sorted(cluster.request("GET", f"/_alias/{alias}"))
    except EngineError as exc:
        if exc.status == 404:
            return []
        raise


def builds(cluster: SyncEngine, alias: str) -> list[str]:
    rows = cluster.request("GET", f"/_cat/indices/{alias}-v*", params={"format": "json", "h": "index"})
    return sorted(row["index"] for row in rows or [])


def count(cluster: SyncEngine, alias: str) -> int:
    return int(cluster.request("GET", f"/{alias}/_count")["count"])


def provider(doc_id: str, **fields: Any) -> dict[str, Any]:
    """A small valid provider record (grief, LCSW) with `fields` on top."""
    return {
        "id": doc_id,
        "name": f"Provider {doc_id}",
        "credentials": ["LCSW"],
        "specialties": ["Grief"],
        "bio": f"I help people through loss ({doc_id}).",
        **fields,
    }
