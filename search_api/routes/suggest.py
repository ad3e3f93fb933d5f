"""GET /v1/suggest: typeahead, one `_msearch` (search_api/suggest.py). The route reads the
typed prefix for a risk and leaves its verdict in the request's scope for the log line."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from core.engines import ndjson
from search_api import errors
from search_api.responses import Serialised, SuggestAnswer
from search_api.routes.access_dependency import require
from search_api.routes.scope_keys import AT_RISK_KEY
from search_api.routes.shared import SharedDep
from search_api.safety import recognise
from search_api.suggest import msearch_lines, suggestions

router = APIRouter(
    tags=["search"],
    dependencies=[Depends(require("suggest"))],
    responses=errors.documented(401, 403, 414, 422, 429, 503),
)


@router.get(
    "/v1/suggest", summary="Typeahead: specialties, provider names, guide questions", response_model=SuggestAnswer
)
async def suggest(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=100, description="the words typed so far", examples=["anx"])],
    shared: SharedDep,
) -> Serialised:  # already serialised, like a search (routes/search.py)
    started = time.perf_counter()
    safety = recognise(q, prefix=True)  # the words are still being typed
    request.scope[AT_RISK_KEY] = safety.at_risk
    lines = msearch_lines(q, safety, shared.settings.providers_alias, shared.settings.passages_alias)
    answer = await shared.cluster.request("POST", "/_msearch", ndjson(lines))
    took = round((time.perf_counter() - started) * 1000, 2)
    return Serialised({**suggestions(q, safety, answer), "took_ms": took})
