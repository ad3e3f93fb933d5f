"""The answers are what docs/openapi.json says they are (search_api/responses.py), against the
real engine: every field of a real answer validates; unknown filter values are named in
`warnings`; public documents publish the allow-list only; specialties carry display labels."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from search_api import responses

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def search(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/search", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "anxiety therapist in Chicago who speaks Spanish", "explain": "true", "lat": 41.88, "lon": -87.63},
        {"q": "I want to kill myself"},  # the crisis block
        {"q": "pizza dough recipe"},  # off topic
        {"specialty": "Anxiety", "sort": "availability"},  # browsing
        {"q": "grief", "type": "passages"},
    ],
)
async def test_a_real_search_answer_is_what_the_schema_says(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    body = await search(client, **params)
    answer = responses.SearchAnswer.model_validate(body)
    assert answer.model_extra == {}, "a field the schema does not describe: add it to search_api/responses.py"


async def test_suggest_and_documents_are_what_the_schema_says(client: httpx.AsyncClient) -> None:
    suggested = (await client.get("/v1/suggest", params={"q": "anx"})).json()
    assert responses.SuggestAnswer.model_validate(suggested).model_extra == {}
    hit = (await search(client, q="anxiety", type="providers", size=1))["providers"]["hits"][0]
    provider = (await client.get(f"/v1/providers/{hit['id']}")).json()
    assert responses.ProviderDocument.model_validate(provider).model_extra == {}
    passage = (await client.get("/v1/passages/guide-anxiety-01")).json()
    assert responses.PassageDocument.model_validate(passage).model_extra == {}


async def test_an_unknown_state_is_named_with_the_closest_known_ones(client: httpx.AsyncClient) -> None:
    body = await search(client, q="anxiety", state="Illinoi")
    assert body["warnings"][0]["parameter"] == "state"
    assert body["warnings"][0]["value"] == "Illinoi"
    assert body["warnings"][0]["closest"][0] == "Illinois"
    assert "Illinoi" in body["warnings"][0]["message"]


async def test_an_unknown_specialty_is_named_and_applied_as_given(client: httpx.AsyncClient) -> None:
    body = await search(client, q="therapist", specialty=["Nonsense", "Anxiety"])
    assert [(w["parameter"], w["value"]) for w in body["warnings"]] == [("specialty", "Nonsense")]
    assert len(body["warnings"][0]["closest"]) == 3


async def test_known_values_in_any_spelling_warn_of_nothing(client: httpx.AsyncClient) -> None:
    body = await search(client, q="anxiety", state="IL", specialty="self harm", age_group="Adults")
    assert body["warnings"] == []


async def test_a_public_provider_shows_no_internal_fields_and_no_street_address(client: httpx.AsyncClient) -> None:
    hit = (await search(client, q="anxiety", type="providers", size=1))["providers"]["hits"][0]
    provider = (await client.get(f"/v1/providers/{hit['id']}")).json()
    assert not {"content_hash", "bio_quality", "embedding", "street", "location"} & set(provider)
    assert provider["name"] == hit["name"] and provider["city"] == hit["city"]
    passage = (await client.get("/v1/passages/guide-anxiety-01")).json()
    assert "content_hash" not in passage and passage["title"]


async def test_specialties_carry_their_display_labels_beside_the_directory_names(client: httpx.AsyncClient) -> None:
    body = await search(client, specialty="Relationship(s) with Partner/Husband/Wife", type="providers")
    hit = body["providers"]["hits"][0]
    assert len(hit["specialty_labels"]) == len(hit["specialties"])
    at = hit["specialties"].index("Relationship(s) with Partner/Husband/Wife")
    assert hit["specialty_labels"][at] == "Relationships and marriage"
    facet = {f["value"]: f["label"] for f in body["providers"]["facets"]["specialties"]}
    assert facet["Relationship(s) with Partner/Husband/Wife"] == "Relationships and marriage"
