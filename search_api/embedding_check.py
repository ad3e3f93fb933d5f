"""Were the served builds made as the API reads them? (core.embedding_meta)

An embedder mismatch warns (in `/readyz` details and once per index in the log) and does not
refuse: the vectors are still close, and refusing would take search down until a rebuild.
The reduced analysis (a cluster without analysis-common: no stemmer nor synonym graph in the
index) is said the same way. A build another engine made (restored from a snapshot, say) is
never read: readiness fails until it is rebuilt here.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from core.embedding_meta import ANALYSIS_KEY, ENGINE_KEY, Analysis, mismatches, other_engine, recorded, recorded_key
from core.settings import Settings

log = logging.getLogger("search_api")


class Requester(Protocol):
    async def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any: ...

    async def engine(self) -> Any: ...  # its `.dialect`: which engine answers


class EmbeddingCheck:
    def __init__(self, settings: Settings, embedder_name: str) -> None:
        self.settings = settings
        self.embedder_name = embedder_name
        self._warned: set[tuple[str, str]] = set()

    async def details(self, cluster: Requester) -> dict[str, Any]:
        """The `embedding` block of /readyz; never raises (readiness reports the cluster).
        `wrong_engine` lists builds another engine made: the API is then not ready."""
        aliases = f"{self.settings.providers_alias},{self.settings.passages_alias}"
        try:
            found = await cluster.request("GET", f"/{aliases}/_mapping", params={"ignore_unavailable": "true"})
            dialect = str((await cluster.engine()).dialect.value)
        except Exception:  # the cluster's state is readiness's to report
            return {"api": self.embedder_name}
        found = found or {}
        problems = mismatches(recorded(found), self.embedder_name)
        analysis = {index: value or Analysis.FULL.value for index, value in recorded_key(found, ANALYSIS_KEY).items()}
        reduced = {index: _REDUCED for index, value in analysis.items() if value == Analysis.REDUCED}
        wrong = other_engine(recorded_key(found, ENGINE_KEY), dialect)
        for kind, found_problems in (
            ("embedding mismatch", problems),
            ("index definition", reduced),
            ("wrong engine", wrong),
        ):
            for index, problem in found_problems.items():
                if (index, problem) not in self._warned:
                    self._warned.add((index, problem))
                    log.warning("%s: %s %s", kind, index, problem)
        return {"api": self.embedder_name, "mismatch": problems, "analysis": analysis, "wrong_engine": wrong}


_REDUCED = (
    "reduced analysis (the cluster has no analysis-common): Hunspell stemming, lay-term synonyms added to"
    " the query, no ascii folding (docs/engines.md)"
)
