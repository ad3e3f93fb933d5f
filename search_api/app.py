"""The FastAPI application: v1 search, suggest, documents, health, the search page."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from core.embedder import Embedder, LazyEmbedder
from core.engines import ndjson
from core.settings import PROJECT_ROOT, Settings
from search_api import errors, logging_setup
from search_api.access import AccessPolicy, presented_key
from search_api.cluster import Cluster
from search_api.crisis import detect_crisis
from search_api.params import SearchParams
from search_api.service import SearchService
from search_api.suggest import name_body, question_body, suggest_specialties

log = logging.getLogger("search_api")
WEB_DIR = PROJECT_ROOT / "web"
DocId = Annotated[str, PathParam(min_length=1, max_length=256)]


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    settings = settings or Settings()
    model = embedder or LazyEmbedder(settings.embedding_model, threads=settings.api_embedding_threads)
    cluster = Cluster(settings)
    service = SearchService(settings, cluster, model)
    policy = AccessPolicy.from_settings(settings)

    def require(scope: str) -> Callable[..., None]:
        def check(
            authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
            x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
        ) -> None:
            refusal = policy.check(presented_key(authorization, x_api_key), scope)
            if refusal:
                raise HTTPException(status_code=refusal[0], detail=refusal[1])

        return check

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logging_setup.configure()
        if isinstance(model, LazyEmbedder):
            model.embed_query("warm up")  # load the model before the first request, not during it
        await service.prototypes()
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
    errors.install(app)

    @app.middleware("http")
    async def request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex[:16]
        token = logging_setup.request_id.set(rid)
        started = time.perf_counter()
        try:
            response = await call_next(request)
            response.headers["X-Request-ID"] = rid
            q = request.query_params.get("q")
            fields = logging_setup.query_fields(q, detect_crisis(q)) if q else {}
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
            logging_setup.request_id.reset(token)

    @app.get(
        "/v1/search",
        tags=["search"],
        summary="Search providers and guide answers",
        dependencies=[Depends(require("search"))],
    )
    async def search_get(params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
        return await service.search(params)

    @app.post(
        "/v1/search",
        tags=["search"],
        summary="Search (parameters in a JSON body)",
        dependencies=[Depends(require("search"))],
    )
    async def search_post(params: SearchParams) -> dict[str, Any]:
        return await service.search(params)

    @app.get(
        "/v1/suggest",
        tags=["search"],
        summary="Typeahead: specialties, provider names, guide questions",
        dependencies=[Depends(require("suggest"))],
    )
    async def suggest(q: Annotated[str, Query(min_length=1, max_length=100)]) -> dict[str, Any]:
        started = time.perf_counter()
        lines = [
            {"index": settings.providers_alias},
            name_body(q),
            {"index": settings.passages_alias},
            question_body(q),
        ]
        answer = await cluster.request("POST", "/_msearch", ndjson(lines))
        names, questions = (r.get("hits", {}).get("hits", []) for r in answer["responses"])
        return {
            "query": q,
            "specialties": [{"text": s} for s in suggest_specialties(q)],
            "providers": [
                {
                    "id": h["_source"]["id"],
                    "text": h["_source"]["name"],
                    "city": h["_source"].get("city"),
                    "state": h["_source"].get("state"),
                }
                for h in names
            ],
            "questions": [
                {
                    "id": h["_source"]["id"],
                    "text": h["_source"]["title"],
                    "guide": h["_source"].get("guide"),
                    "url": h["_source"].get("url"),
                }
                for h in questions
            ],
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    @app.get("/v1/providers/{doc_id}", tags=["documents"], dependencies=[Depends(require("documents"))])
    async def get_provider(doc_id: DocId) -> dict[str, Any]:
        return await _document(service, "providers", doc_id)

    @app.get("/v1/passages/{doc_id}", tags=["documents"], dependencies=[Depends(require("documents"))])
    async def get_passage(doc_id: DocId) -> dict[str, Any]:
        return await _document(service, "passages", doc_id)

    @app.get("/healthz", tags=["health"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="The cluster answers and the indices exist")
    async def readyz() -> JSONResponse:
        ready, details = await cluster.readiness()
        status = 200 if ready else 503
        headers = None if ready else {"Retry-After": str(errors.RETRY_AFTER_S)}
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", **details}, status_code=status, headers=headers
        )

    _mount_web(app)
    return app


async def _document(service: SearchService, doc_type: str, doc_id: str) -> dict[str, Any]:
    found = await service.get_document(doc_type, doc_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no {doc_type[:-1]} with id {doc_id!r}")
    return found


def _mount_web(app: FastAPI) -> None:
    """The search page and the workbench, when web/ has them."""
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    index = WEB_DIR / "index.html"
    # mounted even before web/static exists, so adding the page needs no restart
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static", check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        if index.exists():
            return FileResponse(index)
        return JSONResponse({"service": "CareSearch API", "docs": "/docs"})

    for name in ("workbench",):
        path = WEB_DIR / f"{name}.html"

        async def serve(path: Path = path) -> Response:
            return (
                FileResponse(path)
                if path.exists()
                else JSONResponse({"error": {"code": "not_found", "message": "not built"}}, 404)
            )

        app.add_api_route(f"/{name}", serve, include_in_schema=False)
