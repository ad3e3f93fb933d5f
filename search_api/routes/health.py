"""/healthz (the process is alive), /readyz (it can serve) and /metrics (Prometheus, keyed).

/readyz answers anyone (probes send no key) whether the service is ready; what is missing
(indices by name, the model) only to a key that may read `metrics`, or to anyone in the demo.
Its checks (three calls to the cluster) run one round at a time, whoever asks."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from search_api import errors
from search_api.access import presented_key
from search_api.metrics import CONTENT_TYPE
from search_api.responses import Health, Readiness
from search_api.routes.access_dependency import require
from search_api.routes.shared import Shared, SharedDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive", response_model=Health)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The cluster answers, the indices exist, the model is loaded",
    response_model=Readiness,
    responses={
        503: {
            "model": Readiness,
            "description": "not ready yet: the body says what is missing; retry after Retry-After",
        }
    },
)
async def readyz(request: Request, shared: SharedDep) -> JSONResponse:
    # the headers read here, not declared: declared, they would give the operation a 422
    ready, details = await _readiness(shared)
    presented = presented_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
    may_see = shared.policy.decide(shared.policy.find(presented), bool(presented), "metrics") is None
    status = 200 if ready else 503
    headers = None if ready else {"Retry-After": str(errors.RETRY_AFTER_S)}
    body = {"status": "ready" if ready else "not_ready", **(details if may_see else {})}
    return JSONResponse(body, status_code=status, headers=headers)


async def _readiness(shared: Shared) -> tuple[bool, dict[str, Any]]:
    """One round of checks at a time, whoever asks: a request arriving while one runs waits
    for its answer instead of starting another, so a flood of asks costs the cluster one
    round per round-trip, and each answer is as fresh as a check can be (the outage tests
    need the moment the cluster goes or comes back)."""
    running = shared.readiness
    if running is None or running.done():
        running = shared.readiness = asyncio.ensure_future(_check(shared))
    ready, details = await asyncio.shield(running)  # a caller that goes away leaves it to the others
    return ready, dict(details)


async def _check(shared: Shared) -> tuple[bool, dict[str, Any]]:
    ready, details = await shared.cluster.readiness()
    details["model"] = "loaded" if shared.model_ready else "loading"
    if ready:  # warns, refuses only builds of another engine: search_api/embedding_check.py
        details["embedding"] = await shared.embedding_check.details(shared.cluster)
        ready = not details["embedding"].get("wrong_engine")
    return ready and shared.model_ready, details


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(require("metrics"))])
async def prometheus(shared: SharedDep) -> Response:
    return Response(shared.metrics.render(), media_type=CONTENT_TYPE)
