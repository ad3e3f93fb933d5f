"""Errors as docs/contract.md gives them: JSON `{"error": {"code", "message"}}`, 422 for bad
parameters, 404 for unknown ids, 503 with Retry-After while the cluster is unreachable or
the model's queue is full, 429 with Retry-After over a rate limit, and never a stack trace."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.engines import EngineError, EngineUnavailable
from search_api.exceptions import Overloaded, SearchFailed

RETRY_AFTER_S = 5
log = logging.getLogger("search_api")


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # e.g. `details` on a 422: which parameter, what problem

    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error answer: `{"error": {"code", "message"}}`."""

    error: ErrorDetail


_MEANING = {
    401: "no API key, or an unknown one",
    403: "the key may not call this",
    404: "no document with this id",
    414: "the path and query string take more than 16 KiB; send long searches by POST",
    422: "a parameter or the body is invalid; `error.details` says which and why",
    429: "over the caller's rate limit; retry after Retry-After seconds",
    503: "the cluster is unreachable, the indices are not loaded, or the service is busy; retry after Retry-After",
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "string"}}}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers an operation gives, for its OpenAPI entry (in place of FastAPI's own
    422 shape, which is not what this API answers)."""
    return {
        status: {
            "model": ErrorBody,
            "description": _MEANING[status],
            **({"headers": _RETRY_AFTER} if status in (429, 503) else {}),
        }
        for status in statuses
    }


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    headers = dict(headers or {})
    if status == 503:
        headers.setdefault("Retry-After", str(RETRY_AFTER_S))
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status, headers=headers)


_NAMED_PROBLEM = re.compile(r"^(?:Value error, )?([a-z_]+): (.+)$", re.DOTALL)


def describe_validation(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    details = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path")]
        if error.get("type") == "json_invalid":  # its loc is ("body", character offset): name the body
            loc = ["body"]
        problem = str(error.get("msg", "invalid"))
        # a check across parameters (a model validator) names the one it is about: "q: ..."
        named = _NAMED_PROBLEM.match(problem) if not loc else None
        if named:
            loc, problem = [named.group(1)], named.group(2)
        details.append({"parameter": ".".join(loc) or "request", "problem": problem})
    message = "; ".join(f"{d['parameter']}: {d['problem']}" for d in details[:5]) or "invalid request"
    return message, details


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, details = describe_validation(exc)
        return error_response(422, "invalid_parameter", message, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's "error parsing the body" (e.g. JSON nested too deep) and a body over the size
        # limit (413 from size_limits.BodyTooLarge) are bad input, which the contract answers with 422
        if exc.status_code in (400, 413):
            return error_response(
                422,
                "invalid_parameter",
                f"body: {exc.detail}",
                details=[{"parameter": "body", "problem": str(exc.detail)}],
            )
        code = {
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            429: "rate_limited",
        }.get(exc.status_code, "http_error")
        # keep what the raiser said must go with the answer (Retry-After, Allow), nothing else
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() in ("retry-after", "allow")}
        return error_response(exc.status_code, code, str(exc.detail), headers)

    @app.exception_handler(EngineUnavailable)
    async def _unavailable(request: Request, exc: EngineUnavailable) -> JSONResponse:
        log.warning("cluster unreachable", extra={"event": "cluster_unreachable"})
        return error_response(503, "cluster_unavailable", "the search cluster is unreachable; retry shortly")

    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, exc: Overloaded) -> JSONResponse:
        log.warning("embedding queue full", extra={"event": "overloaded"})
        # a queue drains in a moment, unlike an outage: ask for a shorter wait
        return error_response(503, "overloaded", "the service is busy; retry shortly", {"Retry-After": "2"})

    @app.exception_handler(SearchFailed)
    async def _failed(request: Request, exc: SearchFailed) -> JSONResponse:
        # the engine's reason names indices and settings: it is logged, never answered
        log.warning("engine refused a query: %s", str(exc)[:300], extra={"event": "query_not_runnable"})
        return error_response(422, "query_not_runnable", "the search engine could not run this query")

    @app.exception_handler(EngineError)
    async def _engine(request: Request, exc: EngineError) -> JSONResponse:
        if exc.status in (404,):
            return error_response(503, "index_missing", "the indices are not there yet; load them with the indexer")
        if 400 <= exc.status < 500:
            return error_response(422, "query_not_runnable", "the search engine could not run this query")
        log.error("engine error %s", exc.status)
        return error_response(502, "engine_error", "the search engine answered with an error")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")
