"""The search page at /, the workbench at /workbench and web/static at /static, when web/ has
them. A page is handed PUBLIC_SEARCH_KEY, which may only search and suggest (search_api/access.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from core.settings import PROJECT_ROOT
from search_api.profile_page import render_missing, render_profile
from search_api.public import public_provider
from search_api.routes.shared import SharedDep

WEB_DIR = PROJECT_ROOT / "web"
# The pages load their scripts and styles from /static and call the API on their own origin:
# nothing inline, nothing from elsewhere, never in a frame (tests/unit/test_api_app.py)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
router = APIRouter(include_in_schema=False)
# mounted even before web/static exists, so adding the page needs no restart
router.mount("/static", StaticFiles(directory=WEB_DIR / "static", check_dir=False), name="static")


@router.get("/")
async def page(shared: SharedDep) -> Response:
    index = WEB_DIR / "index.html"
    if index.exists():
        return _page(index, shared.policy.page_key)
    return JSONResponse({"service": "CareSearch API", "docs": "/docs"})


# no parameter names the file: a query parameter must never choose what is read from disk
@router.get("/workbench")
async def serve(shared: SharedDep) -> Response:
    workbench = WEB_DIR / "workbench.html"
    if workbench.exists():
        return _page(workbench, shared.policy.page_key)
    return JSONResponse({"error": {"code": "not_found", "message": "not built"}}, 404)


@router.get("/providers/{doc_id}")
async def profile(doc_id: Annotated[str, Path(min_length=1, max_length=256)], shared: SharedDep) -> HTMLResponse:
    """A provider's public record as a page, where every card's `profile_url` leads."""
    found = await shared.service.get_document("providers", doc_id)
    if found is None:
        return HTMLResponse(render_missing(doc_id), status_code=404)
    return HTMLResponse(render_profile(public_provider(found)))


def with_page_key(page: str, key: str | None) -> str:
    """The page with PUBLIC_SEARCH_KEY in `<meta name="api-key">` (web/static/api.js sends it)."""
    if not key:
        return page
    meta = f'<meta name="api-key" content="{html.escape(key, quote=True)}">'
    head = re.search(r"<head[^>]*>", page, flags=re.IGNORECASE)
    at = head.end() if head else 0
    return f"{page[:at]}\n  {meta}{page[at:]}"


def _page(path: FilePath, key: str | None) -> Response:
    if not key:
        return FileResponse(path, headers=PAGE_HEADERS)
    # no-store: the key is rotated by configuration, and a cached page would keep the old one
    body = with_page_key(path.read_text(encoding="utf-8"), key)
    return HTMLResponse(body, headers={"Cache-Control": "no-store", **PAGE_HEADERS})
