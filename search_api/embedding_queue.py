"""A bounded queue in front of the query embedding model: at most `concurrency` embeddings
at once and `max_waiting` queries waiting; one more is refused at once (Overloaded, answered
503) instead of queueing without bound."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from search_api.exceptions import Overloaded


class BoundedSlots:
    """At most `concurrency` holders at once and at most `max_waiting` waiting for a turn;
    one more is refused at once instead of queueing without bound."""

    def __init__(self, concurrency: int, max_waiting: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self.max_waiting = max_waiting
        self.waiting = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self.waiting >= self.max_waiting:
            raise Overloaded(f"{self.waiting} queries are already waiting for the embedding model")
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()
