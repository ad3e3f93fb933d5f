"""Does the API embed queries as the served indices' documents were embedded? (core.embedding_meta)

A mismatch warns (in `/readyz` details and once per index in the log) and does not refuse:
the vectors are still close, and refusing would take search down until a rebuild.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from core.embedding_meta import mismatches, recorded
from core.settings import Settings

log = logging.getLogger("search_api")


class Requester(Protocol):
    async def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any: ...


class EmbeddingCheck:
    def __init__(self, settings: Settings, embedder_name: str) -> None:
        self.settings = settings
        self.embedder_name = embedder_name
        self._warned: set[tuple[str, str]] = set()

    async def details(self, cluster: Requester) -> dict[str, Any]:
        """The `embedding` block of /readyz; never raises (readiness reports the cluster)."""
        aliases = f"{self.settings.providers_alias},{self.settings.passages_alias}"
        try:
            found = await cluster.request("GET", f"/{aliases}/_mapping", params={"ignore_unavailable": "true"})
        except Exception:  # the cluster's state is readiness's to report
            return {"api": self.embedder_name}
        problems = mismatches(recorded(found or {}), self.embedder_name)
        for index, problem in problems.items():
            if (index, problem) not in self._warned:
                self._warned.add((index, problem))
                log.warning("embedding mismatch: %s %s", index, problem)
        return {"api": self.embedder_name, "mismatch": problems}
