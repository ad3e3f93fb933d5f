"""The other endpoints against the real engine (docs/contract.md: Search API v1): typeahead, documents
by id, health and readiness, the OpenAPI document."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import Settings
from tests.app_log import captured_app_log
from tests.integration.api_fixtures import api_settings, assert_error, assert_invalid, running_app

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def a_provider(cluster: SyncEngine, corpus: Settings) -> dict[str, Any]:
    body = {
        "size": 1,
        "sort": [{"id": "asc"}],
        "_source": {"excludes": ["embedding"]},
        "query": {"bool": {"filter": [{"exists": {"field": "city"}}]}},
    }
    source: dict[str, Any] = cluster.request("POST", f"/{corpus.providers_alias}/_search", body)["hits"]["hits"][0][
        "_source"
    ]
    return source


async def suggest(client: httpx.AsyncClient, q: str) -> dict[str, Any]:
    response = await client.get("/v1/suggest", params={"q": q})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["query"] == q
    assert {"specialties", "providers", "questions"} <= set(body)
    return body


# ------------------------------------------------------------------ suggest


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anx", "Anxiety"),
        ("Anx", "Anxiety"),
        ("dep", "Depression"),
        ("anxeity", "Anxiety"),  # one typo away
        ("depresion", "Depression"),  # a letter missing
        ("ptsd", "Posttraumatic Stress Disorder (PTSD)"),
        ("depressoin", "Depression"),
    ],
)
async def test_suggest_specialties(client: httpx.AsyncClient, typed: str, expected: str) -> None:
    names = [s["text"] for s in (await suggest(client, typed))["specialties"]]
    assert expected in names, names


async def test_suggest_provider_names_by_prefix(client: httpx.AsyncClient, a_provider: dict[str, Any]) -> None:
    first, last = a_provider["name"].split(" ", 1)
    for typed in (f"{first} {last[:3]}", a_provider["name"]):
        providers = (await suggest(client, typed))["providers"]
        assert a_provider["id"] in [p["id"] for p in providers], (typed, providers)
        found = next(p for p in providers if p["id"] == a_provider["id"])
        assert found["text"] == a_provider["name"] and found["city"] == a_provider["city"]


async def test_suggest_guide_questions(client: httpx.AsyncClient) -> None:
    questions = (await suggest(client, "how is anxiety tr"))["questions"]
    assert questions and all(q["id"] and q["text"] for q in questions)
    assert any("anxiety" in q["text"].lower() for q in questions)


async def test_a_risk_typed_in_the_box_gets_the_safety_block_and_no_names(
    client: httpx.AsyncClient, a_provider: dict[str, Any]
) -> None:
    for typed in ("i want to kill", "my husband hits"):
        with captured_app_log() as log:
            body = await suggest(client, typed)
        assert body["crisis"] and body["crisis"]["resources"], typed
        assert body["providers"] == [], typed  # fuzzy "want" -> "Wang" was the bug
        assert typed not in log.getvalue() and '"crisis": true' in log.getvalue(), "logged only as a hash"
    assert (await suggest(client, "anx"))["crisis"] is None
    # a risk word is matched exactly, never fuzzily turned into a name
    first = a_provider["name"].split()[0]
    assert (await suggest(client, first))["providers"], "names are still suggested for ordinary prefixes"


async def test_ordinary_prefixes_are_logged_as_typed(client: httpx.AsyncClient) -> None:
    with captured_app_log() as log:
        await suggest(client, "anxiety at wo")
    assert '"query": "anxiety at wo"' in log.getvalue() and '"crisis": false' in log.getvalue()


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "a" * 101}])
async def test_suggest_rejects_bad_input(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    assert_invalid(await client.get("/v1/suggest", params=params), "q")


# ------------------------------------------------------------------ documents


async def test_a_provider_by_id(client: httpx.AsyncClient, a_provider: dict[str, Any]) -> None:
    response = await client.get(f"/v1/providers/{a_provider['id']}")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["id"] == a_provider["id"] and doc["name"] == a_provider["name"]
    assert doc["specialties"] == a_provider["specialties"]
    assert "embedding" not in doc


async def test_a_passage_by_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/passages/guide-self-harm-01")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["id"] == "guide-self-harm-01" and doc["text"] and doc["title"]
    assert "embedding" not in doc


@pytest.mark.parametrize(
    "path",
    [
        "/v1/providers/no-such-provider",
        "/v1/passages/no-such-passage",
        "/v1/providers/guide-self-harm-01",  # a passage id is not a provider
        "/v1/passages/demo-p-0000001",
        "/v1/providers/%2A",
        "/v1/providers/%E2%9C%A8%F0%9F%98%80",
        "/v1/passages/title%3A(a%20OR",
    ],
)
async def test_unknown_ids_are_404_json(client: httpx.AsyncClient, path: str) -> None:
    assert_error(await client.get(path), 404, "not_found")


async def test_an_overlong_id_is_422(client: httpx.AsyncClient) -> None:
    assert_invalid(await client.get("/v1/providers/" + "x" * 300))


async def test_unknown_routes_and_methods_answer_json(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(await client.delete("/v1/search"), 405)


# ------------------------------------------------------------------ health, readiness, docs


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_readyz_when_the_aliases_exist(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"


async def test_readyz_says_which_analysis_each_served_index_was_built_with(
    client: httpx.AsyncClient, cluster: SyncEngine
) -> None:
    """The full one where the engine has analysis-common, else the reduced one (docs/engines.md)."""
    details = (await client.get("/readyz")).json()["embedding"]
    expected = "full" if cluster.info.analysis_common else "reduced"
    assert len(details["analysis"]) == 2 and set(details["analysis"].values()) == {expected}
    assert details["wrong_engine"] == {}


async def test_without_indices_readyz_is_503_and_search_says_why(
    base_settings: Settings, cluster: SyncEngine, real_embedder: Embedder
) -> None:
    settings = api_settings(base_settings, f"test-api-empty-{uuid.uuid4().hex[:8]}")
    async with running_app(settings, real_embedder) as client:
        ready = await client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert int(ready.headers["Retry-After"]) > 0
        assert ready.json()["status"] == "not_ready"
        assert (await client.get("/healthz")).status_code == 200
        for params in ({"q": "anxiety"}, {"q": "anxiety", "mode": "bm25", "type": "passages"}):
            assert_error(await client.get("/v1/search", params=params), 503, "index_missing")
        assert_error(await client.get("/v1/providers/demo-p-0000001"), 404, "not_found")


async def test_openapi_and_docs_are_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in ("/v1/search", "/v1/suggest", "/v1/providers/{doc_id}", "/v1/passages/{doc_id}", "/healthz", "/readyz"):
        assert path in spec["paths"], path
    assert {"get", "post"} <= set(spec["paths"]["/v1/search"])
    documented = {p["name"] for p in spec["paths"]["/v1/search"]["get"]["parameters"]}
    assert {
        "q",
        "type",
        "mode",
        "size",
        "from",
        "state",
        "city",
        "zip",
        "lat",
        "lon",
        "radius_km",
        "remote",
        "telehealth",
        "accepting",
        "specialty",
        "credential",
        "language",
        "insurance",
        "age_group",
        "therapy_type",
        "explain",
    } <= documented
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
