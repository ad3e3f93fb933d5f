"""/docs: Swagger UI from the files the `swagger-ui-py` package installs (Swagger UI 5, which
reads OpenAPI 3.1), served at /docs/static: no CDN, so the page works with the network off.
FastAPI's own /docs and /redoc fetch their scripts from a CDN and are turned off (app.py)."""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_UI_FILES = Path(swagger_ui.__file__).parent / "static"
router = APIRouter(include_in_schema=False)
router.mount("/docs/static", StaticFiles(directory=SWAGGER_UI_FILES), name="swagger-ui")


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="CareSearch API",
        swagger_js_url="/docs/static/swagger-ui-bundle.js",
        swagger_css_url="/docs/static/swagger-ui.css",
        swagger_favicon_url="/docs/static/favicon-32x32.png",
    )
