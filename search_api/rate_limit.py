"""A token bucket per caller: over the allowance, 429 with Retry-After. Pure: the clock is
passed in."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_TRACKED_CALLERS = 100_000


@dataclass
class TokenBucket:
    """`burst` tokens at most, refilled at `rate` per second; a request takes one."""

    rate: float
    burst: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, rate: float, burst: float, now: float) -> TokenBucket:
        return cls(rate, burst, burst, now)

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds until one will be there."""
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = max(self.updated, now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


def default_burst(per_minute: float) -> int:
    """A tenth of a minute's allowance, at least 10: room for a page's burst of typeahead."""
    return max(10, math.ceil(per_minute / 10))


class RateLimiter:
    """One bucket per caller identity, in this process (each worker counts its own)."""

    def __init__(
        self,
        per_minute: float,
        burst: int = 0,
        clock: Callable[[], float] = time.monotonic,
        max_callers: int = MAX_TRACKED_CALLERS,
    ) -> None:
        self.per_minute = per_minute
        self.burst = burst or default_burst(per_minute)
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def check(self, identity: str, per_minute: float | None = None) -> float:
        """0 when `identity` may go ahead, else the seconds it should wait."""
        rate = per_minute or self.per_minute
        if rate <= 0:
            return 0.0
        now = self.clock()
        bucket = self._buckets.get(identity)
        if bucket is None:
            burst = self.burst if per_minute is None else default_burst(per_minute)
            bucket = self._buckets[identity] = TokenBucket.full(rate / 60, burst, now)
            while len(self._buckets) > self.max_callers:  # forget the longest idle (its bucket refills)
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(identity)
        return bucket.take(now)

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after(wait_s: float) -> str:
    """Retry-After is whole seconds: round up, so a caller who obeys it is served."""
    return str(max(1, math.ceil(wait_s)))
