"""GET and POST /v1/search. The route leaves its mode and its verdict on the query in the
request's scope, for the request's metrics and log line, and counts the crisis blocks it gives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from search_api import errors
from search_api.filter_warnings import filter_warnings
from search_api.params import SearchParams, check_json_types
from search_api.responses import SearchAnswer, Serialised
from search_api.routes.access_dependency import admitted_first, require
from search_api.routes.scope_keys import AT_RISK_KEY, MAY_KEY, MODE_KEY
from search_api.routes.shared import Shared, SharedDep

router = APIRouter(
    tags=["search"],
    dependencies=[Depends(require("search"))],
    route_class=admitted_first("search"),  # a malformed body is not parsed for a caller refused
    responses=errors.documented(401, 403, 414, 422, 429, 503),
)


# response_model gives the schema; the answer goes out serialised once (responses.Serialised)
@router.get("/v1/search", summary="Search providers and guide answers", response_model=SearchAnswer)
async def search_get(request: Request, params: Annotated[SearchParams, Query()], shared: SharedDep) -> Serialised:
    return await _search(request, params, shared)


@router.post("/v1/search", summary="Search (parameters in a JSON body)", response_model=SearchAnswer)
async def search_post(request: Request, params: SearchParams, shared: SharedDep) -> Serialised:
    try:
        check_json_types(await request.body())  # the body FastAPI already read, cached
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    return await _search(request, params, shared)


# the parameters that tune or explain ranking (docs/contract.md): a key needs `analyst` for them
ANALYST_OVERRIDES = ("window", "num_candidates", "fusion", "bm25_weight", "rank_constant")


def overrides_used(params: SearchParams) -> list[str]:
    used = [name for name in ANALYST_OVERRIDES if getattr(params, name) is not None]
    if params.explain:
        used.append("explain")
    if not params.interpret:
        used.append("interpret")
    return used


async def _search(request: Request, params: SearchParams, shared: Shared) -> Serialised:
    used = overrides_used(params)
    if used and not request.scope[MAY_KEY]("analyst"):
        raise HTTPException(403, f"this key may not use `analyst` (needed for {', '.join(used)})")
    request.scope[MODE_KEY] = params.mode.value  # a metrics label: validated, so one of three
    answer = await shared.service.search(params)
    request.scope[AT_RISK_KEY] = answer["crisis"] is not None
    if answer["crisis"]:
        shared.metrics.crisis_blocks.inc()
    answer["warnings"] = filter_warnings(params)
    return Serialised(answer)
