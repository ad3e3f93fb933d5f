"""The FastAPI application: the objects the routes share, the middleware, the error answers,
the lifespan, and the routers, one per resource (search_api/routes/)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from core.embedder import Embedder, LazyEmbedder
from core.settings import Settings
from search_api import errors, logging_setup
from search_api.access import AccessPolicy, parse_origins
from search_api.client_address import parse_networks
from search_api.embedding_check import EmbeddingCheck
from search_api.metrics import MeteredCluster, MeteredEmbedder, Metrics, route_template
from search_api.perimeter import Perimeter, parse_hosts
from search_api.rate_limit import RateLimiter
from search_api.routes import docs, documents, health, pages, search, suggest
from search_api.routes.scope_keys import AT_RISK_KEY, MODE_KEY
from search_api.routes.shared import Shared
from search_api.service import SearchService
from search_api.size_limits import SizeLimits, target_too_long

log = logging.getLogger("search_api")
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
    hosts = parse_hosts(settings.allowed_hosts)
    hasher = logging_setup.QueryHasher(settings.log_hash_key)
    shared = Shared(
        settings=settings,
        service=service,
        cluster=cluster,
        metrics=metrics,
        embedding_check=embedding_check,
        policy=policy,
        limiter=limiter,
        proxies=proxies,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logging_setup.configure()
        if isinstance(model, LazyEmbedder):
            model.embed_query("warm up")  # load the model before the first request, not during it
        await service.prototypes()
        shared.model_ready = True
        yield
        await cluster.close()

    app = FastAPI(
        title="CareSearch API",
        version="1.0.0",
        summary="Hybrid (BM25 + kNN) search over mental-health providers and guide answers.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's own would load Swagger UI from a CDN: routes/docs.py serves it
        redoc_url=None,
        # operation ids are the routes' names (search_get, get_provider): what generated clients call
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.shared = shared  # the routes' one way in: search_api/routes/shared.py
    errors.install(app)
    app.add_middleware(SizeLimits)
    app.add_middleware(Perimeter, hosts=hosts)  # outside SizeLimits: its refusals carry the headers too
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
            # a target over the bound was refused without a look: not parsed here either
            q = None if target_too_long(request.scope) else request.query_params.get("q")
            fields = logging_setup.query_fields(q, request.scope.get(AT_RISK_KEY, True), hasher) if q else {}
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

    for routes in (search, suggest, documents, health, docs, pages):  # in this order, as the schema lists them
        app.include_router(routes.router)
    return app
