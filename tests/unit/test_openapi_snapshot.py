"""The contract integrators build against is docs/openapi.json: the served document must be it,
byte for byte, so every change to the contract shows in a diff (rewrite it with `make openapi`)."""

from __future__ import annotations

from search_api.openapi_snapshot import SNAPSHOT, render, served


def test_the_served_openapi_document_is_the_committed_snapshot() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == render(served()), (
        "the API's contract changed: review the change, then run `make openapi` and commit docs/openapi.json"
    )


def test_the_search_answer_is_typed_down_to_its_hits() -> None:
    doc = served()
    ok = doc["paths"]["/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SearchAnswer"}
    schemas = doc["components"]["schemas"]
    assert "ProviderHit" in str(schemas["ProviderResults"]) and "PassageHit" in str(schemas["PassageResults"])
    for status in ("401", "422", "429", "503"):
        assert status in doc["paths"]["/v1/search"]["get"]["responses"]


def test_every_search_parameter_is_described_with_an_example() -> None:
    params = served()["paths"]["/v1/search"]["get"]["parameters"]
    undescribed = [p["name"] for p in params if not p.get("description") and not p["schema"].get("description")]
    assert undescribed == []
    enums = {"type", "mode", "sort", "fusion", "explain", "interpret"}  # their choices are their examples
    without_example = [
        p["name"]
        for p in params
        if p["name"] not in enums and not (p.get("examples") or p.get("example") or p["schema"].get("examples"))
    ]
    assert without_example == []


def test_public_documents_publish_no_internal_fields() -> None:
    provider = served()["components"]["schemas"]["ProviderDocument"]["properties"]
    assert not {"content_hash", "bio_quality", "embedding", "street", "location"} & set(provider)
