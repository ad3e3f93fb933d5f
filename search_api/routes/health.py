"""/healthz (the process is alive), /readyz (it can serve) and /metrics (Prometheus, keyed).

/readyz answers anyone (probes send no key) whether the service is ready; what is missing
(indices by name, the model) only to a key that may read `metrics`, or to anyone in the demo.
Its checks (three calls to the cluster) run at most once a second whoever asks."""

from __future__ import annotations

import time
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


READINESS_TTL_S = 1.0


async def _readiness(shared: Shared) -> tuple[bool, dict[str, Any]]:
    """The checks, run again only when the last ones are over READINESS_TTL_S old: a caller
    asking in a loop costs the cluster nothing more."""
    now = time.monotonic()
    if shared.readiness is not None and now - shared.readiness[0] < READINESS_TTL_S:
        return shared.readiness[1], dict(shared.readiness[2])
    ready, details = await shared.cluster.readiness()
    details["model"] = "loaded" if shared.model_ready else "loading"
    if ready:  # warns, never refuses: search_api/embedding_check.py
        details["embedding"] = await shared.embedding_check.details(shared.cluster)
    ready = ready and shared.model_ready
    shared.readiness = (now, ready, dict(details))
    return ready, details


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(require("metrics"))])
async def prometheus(shared: SharedDep) -> Response:
    return Response(shared.metrics.render(), media_type=CONTENT_TYPE)
