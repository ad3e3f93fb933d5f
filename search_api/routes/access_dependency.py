"""`require(scope)`: the dependency in front of every keyed route. It finds the caller's key,
spends the caller's rate allowance, then lets the access policy decide: 429, 401, 403 or go on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header, HTTPException, Request

from search_api.access import caller_identity, presented_key
from search_api.client_address import caller_group, client_ip
from search_api.rate_limit import retry_after
from search_api.routes.scope_keys import MAY_KEY
from search_api.routes.shared import SharedDep


def require(scope: str) -> Callable[..., Awaitable[None]]:
    async def check(  # async: on the event loop, so the limiter's buckets see one caller at a time
        request: Request,
        shared: SharedDep,
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
        x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> None:
        presented = presented_key(authorization, x_api_key)
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

    return check
