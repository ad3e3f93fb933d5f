"""The API's handle on the cluster: connects lazily, survives outages, recovers by itself.

If the cluster is down when the API starts, the first request that finds it back connects;
while it is down every call raises EngineUnavailable, which the app turns into a 503.
Callers that arrive while a connection attempt is under way wait for that attempt and share
its outcome: with a frozen cluster, N callers at once answer after one timeout, not N.
"""

from __future__ import annotations

import asyncio
from typing import Any

from core.engines import AsyncEngine, EngineUnavailable
from core.settings import Settings


class Cluster:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: AsyncEngine | None = None
        self._attempt: asyncio.Task[AsyncEngine] | None = None

    async def engine(self) -> AsyncEngine:
        if self._engine is not None:
            return self._engine
        if self._attempt is None or self._attempt.done():
            self._attempt = asyncio.create_task(self._connect())
            self._attempt.add_done_callback(_observed)
        # shielded: a caller that gives up (client gone) does not cancel the others' attempt
        return await asyncio.shield(self._attempt)

    async def _connect(self) -> AsyncEngine:
        engine = await AsyncEngine.connect(self.settings)
        self._engine = engine
        return engine

    async def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        engine = await self.engine()
        return await engine.request(method, path, body, params)

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """(ready, details): the cluster answers and both aliases exist."""
        try:
            health = await self.request("GET", "/_cluster/health")
            aliases = [self.settings.providers_alias, self.settings.passages_alias]
            found = await self.request("GET", f"/_alias/{','.join(aliases)}", params={"ignore_unavailable": "true"})
        except EngineUnavailable as exc:
            return False, {"cluster": "unreachable", "reason": str(exc)}
        except Exception as exc:  # an alias missing answers 404
            return False, {"cluster": "answers", "reason": str(exc)[:200]}
        served = {alias for body in found.values() for alias in body.get("aliases", {})}
        missing = [a for a in (self.settings.providers_alias, self.settings.passages_alias) if a not in served]
        details = {"cluster": health.get("status"), "missing_indices": missing}
        return (not missing and health.get("status") in ("green", "yellow")), details

    async def close(self) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.cancel()
        if self._engine is not None:
            await self._engine.close()


def _observed(attempt: asyncio.Task[AsyncEngine]) -> None:
    """Mark a failed attempt's exception as seen: its callers got it; no 'never retrieved' noise."""
    if not attempt.cancelled():
        attempt.exception()
