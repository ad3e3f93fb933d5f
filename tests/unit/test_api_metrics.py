"""Prometheus metrics (search_api/metrics.py): label values that cannot grow without bound
or carry what a caller typed, one registry per app, and who may read /metrics."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from core.embedder import HashingEmbedder
from core.settings import Settings
from search_api.app import create_app
from search_api.metrics import Metrics, cluster_operation, route_template

SERVICE_KEY = "service-key-0123456789"
SCRAPER_KEY = "scraper-key-0123456789"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/_msearch", "_msearch"),
        ("/test-api-1-providers/_search", "_search"),
        ("/caresearch-passages/_search?size=0", "_search"),
        ("/_cluster/health", "_cluster/health"),
        ("/_alias/a,b", "_alias"),
        ("/_cat/indices/x-*", "_cat/indices"),
        ("/", "root"),
        ("/some-index", "document"),
    ],
)
def test_cluster_operations_name_the_endpoint_not_the_index(path: str, expected: str) -> None:
    assert cluster_operation(path) == expected


def test_routes_are_templates_and_unmatched_paths_are_one_label() -> None:
    class Route:
        path = "/v1/providers/{doc_id}"

    assert route_template({"route": Route()}) == "/v1/providers/{doc_id}"
    assert route_template({}) == "unmatched"


def test_each_metrics_object_has_a_registry_of_its_own() -> None:
    first, second = Metrics(), Metrics()  # a shared registry would refuse the second set of names
    first.observe_request("/v1/search", "GET", "hybrid", 200, 0.1)
    assert samples(first.render().decode(), "caresearch_http_requests_total")
    assert not samples(second.render().decode(), "caresearch_http_requests_total")


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    return [
        (sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]


# ------------------------------------------------------------------ through the app (no cluster)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_app(**update: Any) -> FastAPI:
    values: dict[str, Any] = {
        "es_url": f"http://127.0.0.1:{free_port()}",
        "es_timeout_s": 2,
        "index_prefix": "unit-api",
        "allow_anonymous": False,
        "api_keys": f"svc:{SERVICE_KEY}",
        "api_keys_file": None,
        **update,
    }
    return create_app(Settings(**values), HashingEmbedder())


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(make_app()) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers={"X-API-Key": SERVICE_KEY}
        ) as c:
            yield c


async def test_requests_are_counted_by_route_template_method_mode_and_status(client: httpx.AsyncClient) -> None:
    await client.get("/v1/search", params={"q": "my private words", "mode": "bm25"})
    await client.get("/v1/providers/p-12345")
    await client.get("/v1/search", params={"q": "x", "size": 99})
    await client.get("/wp-admin/secret-probe")
    text = (await client.get("/metrics")).text
    counted = {
        (s["route"], s["method"], s["mode"], s["status"]): v for s, v in samples(text, "caresearch_http_requests_total")
    }
    assert counted[("/v1/search", "GET", "bm25", "503")] == 1  # valid, but the cluster is away
    assert counted[("/v1/providers/{doc_id}", "GET", "-", "503")] == 1
    assert counted[("/v1/search", "GET", "-", "422")] == 1  # invalid: no mode was accepted
    assert counted[("unmatched", "GET", "-", "404")] == 1
    for typed in ("private", "p-12345", "wp-admin", "secret-probe"):
        assert typed not in text
    assert samples(text, "caresearch_http_request_duration_seconds_count")


async def test_cluster_calls_are_timed_by_operation_and_outcome(client: httpx.AsyncClient) -> None:
    await client.get("/v1/providers/p1")
    text = (await client.get("/metrics")).text
    timed = {
        (s["operation"], s["outcome"]): v for s, v in samples(text, "caresearch_cluster_request_duration_seconds_count")
    }
    assert timed[("_search", "unavailable")] == 1


async def test_metrics_need_the_metrics_scope() -> None:
    keys = f"svc:{SERVICE_KEY}"
    app = make_app(api_keys=keys, public_search_key=SCRAPER_KEY.replace("scraper", "publicpg"))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            assert (await c.get("/metrics")).status_code == 401
            page_key = {"X-API-Key": SCRAPER_KEY.replace("scraper", "publicpg")}
            assert (await c.get("/metrics", headers=page_key)).status_code == 403
            ok = await c.get("/metrics", headers={"Authorization": f"Bearer {SERVICE_KEY}"})
            assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")
            assert "caresearch_http_requests_total" in ok.text


async def test_anonymous_demo_serves_metrics_too() -> None:
    async with LifespanManager(make_app(allow_anonymous=True, api_keys=None)) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            assert (await c.get("/metrics")).status_code == 200


async def test_readiness_names_the_model(client: httpx.AsyncClient) -> None:
    body = (await client.get("/readyz")).json()
    assert body["model"] == "loaded" and body["status"] == "not_ready"  # the model is there, the cluster is not


def test_the_method_label_comes_from_a_closed_set() -> None:
    # issue 21, finding 2: 2,000 requests with 4,000-letter methods grew /metrics to 140 MB
    metrics = Metrics()
    for n in range(50):
        metrics.observe_request("unmatched", f"X{n}" * 100, "", 405, 0.001)
    metrics.observe_request("/v1/search", "GET", "hybrid", 200, 0.1)
    methods = {labels["method"] for labels, _ in samples(metrics.render().decode(), "caresearch_http_requests_total")}
    assert methods == {"other", "GET"}


async def test_readiness_says_what_is_missing_only_to_a_key_that_may_read_metrics_and_runs_one_round_at_a_time() -> (
    None
):
    # issue 21, finding 7: /readyz was open, named the indices and the model, at three cluster calls a request
    app = make_app(public_search_key="page-key-0123456789abc")
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            for headers in ({}, {"X-API-Key": "page-key-0123456789abc"}, {"X-API-Key": "made-up-key-0123456789"}):
                anonymous = await c.get("/readyz", headers=headers)
                assert anonymous.status_code == 503 and anonymous.json() == {"status": "not_ready"}, headers
            keyed = (await c.get("/readyz", headers={"X-API-Key": SERVICE_KEY})).json()
            assert keyed["model"] == "loaded" and set(keyed) - {"status", "model"}, keyed  # and what is missing

            checks = 0

            async def serving() -> tuple[bool, dict[str, Any]]:
                nonlocal checks
                checks += 1
                await asyncio.sleep(0.2)  # a cluster taking its time
                return True, {"cluster": "green", "missing_indices": []}

            async def same_model(cluster: object) -> dict[str, Any]:
                return {}

            shared = app.state.shared
            shared.cluster.readiness, shared.embedding_check.details = serving, same_model
            answers = await asyncio.gather(*(c.get("/readyz") for _ in range(20)))
            assert {a.text for a in answers} == {'{"status":"ready"}'}
    assert checks == 1  # one round of checks for 20 asks at once
