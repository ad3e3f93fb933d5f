"""/healthz (the process is alive), /readyz (it can serve) and /metrics (Prometheus, keyed)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from search_api import errors
from search_api.metrics import CONTENT_TYPE
from search_api.routes.access_dependency import require
from search_api.routes.shared import SharedDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The cluster answers, the indices exist, the model is loaded",
    responses={503: {"description": "not ready yet: the body says what is missing; retry after Retry-After"}},
)
async def readyz(shared: SharedDep) -> JSONResponse:
    ready, details = await shared.cluster.readiness()
    details["model"] = "loaded" if shared.model_ready else "loading"
    if ready:  # warns, never refuses: search_api/embedding_check.py
        details["embedding"] = await shared.embedding_check.details(shared.cluster)
    ready = ready and shared.model_ready
    status = 200 if ready else 503
    headers = None if ready else {"Retry-After": str(errors.RETRY_AFTER_S)}
    return JSONResponse({"status": "ready" if ready else "not_ready", **details}, status_code=status, headers=headers)


@router.get("/metrics", include_in_schema=False, dependencies=[Depends(require("metrics"))])
async def prometheus(shared: SharedDep) -> Response:
    return Response(shared.metrics.render(), media_type=CONTENT_TYPE)
