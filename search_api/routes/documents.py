"""GET /v1/providers/{doc_id} and /v1/passages/{doc_id}: one document by its id, or 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi import Path as PathParam

from search_api import errors
from search_api.public import public_passage, public_provider
from search_api.responses import PassageDocument, ProviderDocument
from search_api.routes.access_dependency import require
from search_api.routes.shared import SharedDep
from search_api.service import SearchService

DocId = Annotated[
    str,
    PathParam(
        min_length=1, max_length=256, description="the document's id, as a hit gives it", examples=["demo-p-0000014"]
    ),
]
router = APIRouter(
    tags=["documents"],
    dependencies=[Depends(require("documents"))],
    responses=errors.documented(401, 403, 404, 414, 422, 429, 503),
)


@router.get("/v1/providers/{doc_id}", summary="A provider's public record", response_model=ProviderDocument)
async def get_provider(doc_id: DocId, shared: SharedDep) -> dict[str, Any]:
    return public_provider(await _document(shared.service, "providers", doc_id))


@router.get("/v1/passages/{doc_id}", summary="A guide answer", response_model=PassageDocument)
async def get_passage(doc_id: DocId, shared: SharedDep) -> dict[str, Any]:
    return public_passage(await _document(shared.service, "passages", doc_id))


async def _document(service: SearchService, doc_type: str, doc_id: str) -> dict[str, Any]:
    found = await service.get_document(doc_type, doc_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no {doc_type[:-1]} with id {doc_id!r}")
    return found
