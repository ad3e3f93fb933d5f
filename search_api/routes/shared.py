"""What create_app builds once and the routes share: one `Shared` on `app.state.shared`, which
routes reach through the `SharedDep` dependency, typed where `app.state` is not."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import Depends, Request

from core.settings import Settings
from search_api.access import AccessPolicy
from search_api.client_address import Network
from search_api.embedding_check import EmbeddingCheck
from search_api.metrics import MeteredCluster, Metrics
from search_api.rate_limit import RateLimiter
from search_api.service import SearchService


@dataclass
class Shared:
    settings: Settings
    service: SearchService
    cluster: MeteredCluster
    metrics: Metrics
    embedding_check: EmbeddingCheck
    policy: AccessPolicy
    limiter: RateLimiter
    proxies: tuple[Network, ...]  # TRUSTED_PROXIES: whose X-Forwarded-For is believed
    model_ready: bool = False  # set by the lifespan: readiness needs the model as well as the cluster
    # /readyz's round of checks in flight, which every ask meanwhile waits for (routes/health.py)
    readiness: asyncio.Future[tuple[bool, dict[str, Any]]] | None = None


async def shared(request: Request) -> Shared:  # async: a plain def would be run on a worker thread
    return cast(Shared, request.app.state.shared)


SharedDep = Annotated[Shared, Depends(shared)]
