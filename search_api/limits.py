"""Limits on what one caller can make the service do: a token bucket per caller (429 with
Retry-After), the client's address (X-Forwarded-For believed only from TRUSTED_PROXIES),
the size of headers (431) and body (422), and a bounded queue in front of the model (503 overloaded).

The bucket and the address are pure (the clock is passed in); the middleware and the queue
are the thin async edges.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import error_response

# a search with a dozen filters takes under 2 KiB; sixteen leave room for long filter values
MAX_BODY_BYTES = 16 * 1024
# uvicorn (h11) lets through header blocks of up to ~80 KiB when they arrive at once; browsers
# send 1-2 KiB. Beyond these, 431 before any route runs.
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
MAX_TRACKED_CALLERS = 100_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


# ---------------------------------------------------------------- rate: a token bucket


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


# ---------------------------------------------------------------- who is calling


class ProxyConfigError(ValueError):
    """TRUSTED_PROXIES cannot be read."""


def parse_networks(value: str) -> tuple[Network, ...]:
    networks = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ProxyConfigError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range") from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The caller's address: the socket's peer, unless that peer is a trusted proxy; then the
    right-most X-Forwarded-For hop that is not itself a trusted proxy (hops further left were
    written by the client, who can write anything)."""
    candidate = peer or "unknown"

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in net for net in trusted)

    if not forwarded_for or not is_trusted(candidate):
        return candidate
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:  # garbage where an address should be: stop at the last proxy we trust
            return candidate
        candidate = str(address)
        if not is_trusted(candidate):
            return candidate
    return candidate


# ---------------------------------------------------------------- request size


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def headers_problem(headers: list[tuple[bytes, bytes]]) -> str | None:
    """Why these request headers are refused, or None."""
    if len(headers) > MAX_HEADERS:
        return f"more than {MAX_HEADERS} request headers"
    if sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
        return f"the request headers take more than {MAX_HEADER_BYTES} bytes"
    return None


class SizeLimits:
    """Refuses oversized headers at once (431), and request bodies over `limit` bytes whether
    declared (Content-Length) or streamed (chunked): the endpoint's read raises BodyTooLarge,
    which the error handlers answer as a 422 naming the body, as for any bad input. Nothing
    over the limit is buffered."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = headers_problem(scope["headers"])
        if problem:
            await error_response(431, "headers_too_large", problem)(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = declared is not None and (not declared.isdigit() or int(declared) > self.limit)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise BodyTooLarge(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)


# ---------------------------------------------------------------- the model's queue


class Overloaded(RuntimeError):
    """More queries wait for the model than the queue holds (answered 503 with Retry-After)."""


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
