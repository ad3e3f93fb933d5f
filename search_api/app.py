"""The FastAPI application: v1 search, suggest, documents, health, the search page."""

from __future__ import annotations

import html
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import ValidationError

from core.embedder import Embedder, LazyEmbedder
from core.engines import ndjson
from core.settings import PROJECT_ROOT, Settings
from search_api import errors, logging_setup
from search_api.access import AccessPolicy, caller_identity, parse_origins, presented_key
from search_api.client_address import client_ip, parse_networks
from search_api.embedding_check import EmbeddingCheck
from search_api.metrics import CONTENT_TYPE, MeteredCluster, MeteredEmbedder, Metrics, route_template
from search_api.params import SearchParams, check_json_types
from search_api.rate_limit import RateLimiter, retry_after
from search_api.safety import recognise
from search_api.service import SearchService
from search_api.size_limits import SizeLimits
from search_api.suggest import msearch_lines, suggestions

log = logging.getLogger("search_api")
WEB_DIR = PROJECT_ROOT / "web"
DocId = Annotated[str, PathParam(min_length=1, max_length=256)]
# the error answers each kind of operation can give, as the schema documents them
SEARCH_ERRORS = errors.documented(401, 403, 422, 429, 503)
DOCUMENT_ERRORS = errors.documented(401, 403, 404, 422, 429, 503)
MODE_KEY = "caresearch.mode"  # in the request's scope (its `state` may be shared between requests)
# the route's verdict on its query, for the log line: where no route gave one (a refused or
# malformed request), the query is logged as a hash only, like a crisis query
AT_RISK_KEY = "caresearch.at_risk"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # a caller's X-Request-ID is echoed only if it is this


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    settings = settings or Settings()
    model = embedder or LazyEmbedder(
        settings.embedding_model, threads=settings.api_embedding_threads, backend=settings.embedding_backend
    )
    embedding_check = EmbeddingCheck(settings, model.name)
    metrics = Metrics()
    cluster = MeteredCluster(settings, metrics)
    service = SearchService(settings, cluster, MeteredEmbedder(model, metrics))
    policy = AccessPolicy.from_settings(settings)
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    proxies = parse_networks(settings.trusted_proxies)
    origins = parse_origins(settings.cors_origins)

    def require(scope: str) -> Callable[..., Awaitable[None]]:
        async def check(  # async: on the event loop, so the limiter's buckets see one caller at a time
            request: Request,
            authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
            x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
        ) -> None:
            presented = presented_key(authorization, x_api_key)
            key = policy.find(presented)
            # the allowance is spent before the key is judged, so guessing keys is limited too
            peer = request.client.host if request.client else None
            caller = caller_identity(key, client_ip(peer, request.headers.get("x-forwarded-for"), proxies))
            wait = limiter.check(caller, key.rate_per_minute if key else None)
            if wait:
                headers = {"Retry-After": retry_after(wait)}
                raise HTTPException(429, "too many requests; retry after Retry-After seconds", headers)
            refusal = policy.decide(key, bool(presented), scope)
            if refusal:
                raise HTTPException(status_code=refusal[0], detail=refusal[1])

        return check

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logging_setup.configure()
        if isinstance(model, LazyEmbedder):
            model.embed_query("warm up")  # load the model before the first request, not during it
        await service.prototypes()
        app.state.model_ready = True  # readiness needs the model as well as the cluster
        yield
        await cluster.close()

    app = FastAPI(
        title="CareSearch API",
        version="1.0.0",
        summary="Hybrid (BM25 + kNN) search over mental-health providers and guide answers.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.model_ready = False
    errors.install(app)
    app.add_middleware(SizeLimits)
    if origins:  # no CORS headers at all unless origins are listed
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )

    @app.middleware("http")
    async def request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get("x-request-id", "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        token = logging_setup.request_id.set(rid)
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = rid
            q = request.query_params.get("q")
            fields = logging_setup.query_fields(q, request.scope.get(AT_RISK_KEY, True)) if q else {}
            log.info(  # before the reset below, so the line carries this request's id
                "request",
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": request.url.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    **fields,
                },
            )
            return response
        finally:
            mode = request.scope.get(MODE_KEY, "")
            metrics.observe_request(
                route_template(request.scope), request.method, mode, status, time.perf_counter() - started
            )
            logging_setup.request_id.reset(token)

    @app.get(
        "/v1/search",
        tags=["search"],
        summary="Search providers and guide answers",
        dependencies=[Depends(require("search"))],
        responses=SEARCH_ERRORS,
    )
    async def search_get(request: Request, params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
        return await search(request, params)

    @app.post(
        "/v1/search",
        tags=["search"],
        summary="Search (parameters in a JSON body)",
        dependencies=[Depends(require("search"))],
        responses=SEARCH_ERRORS,
    )
    async def search_post(request: Request, params: SearchParams) -> dict[str, Any]:
        try:
            check_json_types(await request.body())  # the body FastAPI already read, cached
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        return await search(request, params)

    async def search(request: Request, params: SearchParams) -> dict[str, Any]:
        request.scope[MODE_KEY] = params.mode.value  # a metrics label: validated, so one of three
        answer = await service.search(params)
        request.scope[AT_RISK_KEY] = answer["crisis"] is not None
        if answer["crisis"]:
            metrics.crisis_blocks.inc()
        return answer

    @app.get(
        "/v1/suggest",
        tags=["search"],
        summary="Typeahead: specialties, provider names, guide questions",
        dependencies=[Depends(require("suggest"))],
        responses=SEARCH_ERRORS,
    )
    async def suggest(request: Request, q: Annotated[str, Query(min_length=1, max_length=100)]) -> dict[str, Any]:
        started = time.perf_counter()
        safety = recognise(q, prefix=True)  # the words are still being typed
        request.scope[AT_RISK_KEY] = safety.at_risk
        lines = msearch_lines(q, safety, settings.providers_alias, settings.passages_alias)
        answer = await cluster.request("POST", "/_msearch", ndjson(lines))
        return {**suggestions(q, safety, answer), "took_ms": round((time.perf_counter() - started) * 1000, 2)}

    @app.get(
        "/v1/providers/{doc_id}",
        tags=["documents"],
        dependencies=[Depends(require("documents"))],
        responses=DOCUMENT_ERRORS,
    )
    async def get_provider(doc_id: DocId) -> dict[str, Any]:
        return await _document(service, "providers", doc_id)

    @app.get(
        "/v1/passages/{doc_id}",
        tags=["documents"],
        dependencies=[Depends(require("documents"))],
        responses=DOCUMENT_ERRORS,
    )
    async def get_passage(doc_id: DocId) -> dict[str, Any]:
        return await _document(service, "passages", doc_id)

    @app.get("/healthz", tags=["health"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="The cluster answers, the indices exist, the model is loaded",
        responses={503: {"description": "not ready yet: the body says what is missing; retry after Retry-After"}},
    )
    async def readyz() -> JSONResponse:
        ready, details = await cluster.readiness()
        model_ready = bool(app.state.model_ready)
        details["model"] = "loaded" if model_ready else "loading"
        if ready:  # warns, never refuses: search_api/embedding_check.py
            details["embedding"] = await embedding_check.details(cluster)
        ready = ready and model_ready
        status = 200 if ready else 503
        headers = None if ready else {"Retry-After": str(errors.RETRY_AFTER_S)}
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", **details}, status_code=status, headers=headers
        )

    @app.get("/metrics", include_in_schema=False, dependencies=[Depends(require("metrics"))])
    async def prometheus() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    _mount_web(app, policy.page_key)
    return app


async def _document(service: SearchService, doc_type: str, doc_id: str) -> dict[str, Any]:
    found = await service.get_document(doc_type, doc_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no {doc_type[:-1]} with id {doc_id!r}")
    return found


def with_page_key(page: str, key: str | None) -> str:
    """The page with PUBLIC_SEARCH_KEY in `<meta name="api-key">` (web/static/api.js sends it)."""
    if not key:
        return page
    meta = f'<meta name="api-key" content="{html.escape(key, quote=True)}">'
    head = re.search(r"<head[^>]*>", page, flags=re.IGNORECASE)
    at = head.end() if head else 0
    return f"{page[:at]}\n  {meta}{page[at:]}"


def _page(path: Path, key: str | None) -> Response:
    if not key:
        return FileResponse(path)
    # no-store: the key is rotated by configuration, and a cached page would keep the old one
    body = with_page_key(path.read_text(encoding="utf-8"), key)
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def _mount_web(app: FastAPI, page_key: str | None) -> None:
    """The search page and the workbench, when web/ has them."""
    from fastapi.staticfiles import StaticFiles

    index = WEB_DIR / "index.html"
    # mounted even before web/static exists, so adding the page needs no restart
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static", check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        if index.exists():
            return _page(index, page_key)
        return JSONResponse({"service": "CareSearch API", "docs": "/docs"})

    workbench = WEB_DIR / "workbench.html"

    # no parameters: the file served is fixed here (a default argument would be a query parameter)
    @app.get("/workbench", include_in_schema=False)
    async def serve() -> Response:
        if workbench.exists():
            return _page(workbench, page_key)
        return JSONResponse({"error": {"code": "not_found", "message": "not built"}}, 404)
