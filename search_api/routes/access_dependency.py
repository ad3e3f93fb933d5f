"""`require(scope)`: the dependency in front of every keyed route. It finds the caller's key,
spends the caller's rate allowance, then lets the access policy decide: 429, 401, 403 or go on.

FastAPI reads and parses a route's body before any dependency runs, so a malformed body would
be answered 422 to a caller who has no key or no allowance left. A router with a body takes
`route_class=admitted_first(scope)`: the same check then runs before the body is read, once
(`require` sees it was done)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from search_api.access import caller_identity, presented_key
from search_api.client_address import caller_group, client_ip
from search_api.rate_limit import retry_after
from search_api.routes.scope_keys import MAY_KEY
from search_api.routes.shared import shared as shared_of

ADMITTED_KEY = "caresearch.admitted"  # the scope a request was admitted for, so it is checked once


async def admit(request: Request, scope: str) -> None:
    """429, 401 or 403 as an HTTPException, or the caller may go on (and MAY_KEY says what
    else it may do)."""
    if request.scope.get(ADMITTED_KEY) == scope:
        return
    shared = await shared_of(request)
    presented = presented_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
    key = shared.policy.find(presented)
    # the allowance is spent before the key is judged, so guessing keys is limited too
    peer = request.client.host if request.client else None
    address = client_ip(peer, request.headers.getlist("x-forwarded-for"), shared.proxies)
    caller = caller_identity(key, caller_group(address))
    wait = shared.limiter.check(caller, key.rate_per_minute if key else None)
    if wait:
        headers = {"Retry-After": retry_after(wait)}
        raise HTTPException(429, "too many requests; retry after Retry-After seconds", headers)
    refusal = shared.policy.decide(key, bool(presented), scope)
    if refusal:
        raise HTTPException(status_code=refusal[0], detail=refusal[1])
    request.scope[MAY_KEY] = lambda other: shared.policy.decide(key, bool(presented), other) is None
    request.scope[ADMITTED_KEY] = scope


def require(scope: str) -> Callable[..., Awaitable[None]]:
    async def check(request: Request) -> None:  # async: on the event loop, so the buckets see one caller at a time
        await admit(request, scope)

    return check


class _AdmittedFirst(APIRoute):
    scope_name: ClassVar[str]

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def admitted(request: Request) -> Response:
            await admit(request, self.scope_name)  # before FastAPI reads the body
            response: Response = await handler(request)
            return response

        return admitted


def admitted_first(scope: str) -> type[APIRoute]:
    """A route class whose callers are admitted for `scope` before their body is read."""
    return type(f"AdmittedFirst_{scope}", (_AdmittedFirst,), {"scope_name": scope})
