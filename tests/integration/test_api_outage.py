"""The cluster going away and coming back (docs/contract.md: Errors; docs/architecture.md: a search request).

The app talks to the real engine through a local TCP proxy whose switch makes the cluster
look stopped (every connection reset) or frozen (connections accepted, never answered); the
shared engine itself is never touched. While it is away searches answer 503 with
Retry-After within seconds, /healthz stays 200 and /readyz turns 503; when it is back
search works again without restarting the app, and an app started while it was away
becomes ready by itself."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import Settings
from tests.integration.api_fixtures import TcpProxy, api_corpus, assert_error, proxy_to, running_app

pytestmark = pytest.mark.asyncio(loop_scope="module")

TIMEOUT_S = 2.0  # the app's cluster timeout in these tests
PROMPT_S = 4.0  # "within seconds": how long a 503 may take when the cluster refuses
Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]

REQUESTS: dict[str, Request] = {
    "hybrid search": lambda c: c.get("/v1/search", params={"q": "anxiety therapist", "size": 3}),
    "bm25 search": lambda c: c.get("/v1/search", params={"q": "grief", "mode": "bm25", "type": "providers"}),
    "vector search": lambda c: c.post("/v1/search", json={"q": "can't sleep", "mode": "vector", "type": "passages"}),
    "suggest": lambda c: c.get("/v1/suggest", params={"q": "anx"}),
    "provider": lambda c: c.get("/v1/providers/demo-p-0000001"),
    "passage": lambda c: c.get("/v1/passages/guide-self-harm-01"),
}


@pytest.fixture(scope="module")
def corpus(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    base_settings: Settings,
    cluster: SyncEngine,
    real_embedder: Embedder,
) -> Settings:
    return api_corpus(request, tmp_path_factory, base_settings, real_embedder)


def through(proxy: TcpProxy, corpus: Settings) -> Settings:
    return corpus.model_copy(update={"es_url": proxy.url, "es_timeout_s": TIMEOUT_S})


async def all_ok(client: httpx.AsyncClient) -> None:
    for name, send in REQUESTS.items():
        response = await send(client)
        assert response.status_code == 200, (name, response.text[:300])


async def all_unavailable(client: httpx.AsyncClient, within_s: float) -> None:
    for name, send in REQUESTS.items():
        started = time.monotonic()
        response = await send(client)
        elapsed = time.monotonic() - started
        assert_error(response, 503, "cluster_unavailable")
        assert elapsed < within_s, f"{name}: the 503 took {elapsed:.1f} s"


async def readiness(client: httpx.AsyncClient) -> int:
    response = await client.get("/readyz")
    assert "Traceback" not in response.text
    if response.status_code == 503:
        assert int(response.headers["Retry-After"]) > 0
    return response.status_code


async def traffic(client: httpx.AsyncClient, stop: asyncio.Event, statuses: list[int]) -> None:
    """Searches in a loop, as users keep sending them."""
    sends = list(REQUESTS.values())
    i = 0
    while not stop.is_set():
        response = await sends[i % len(sends)](client)
        assert "Traceback" not in response.text
        statuses.append(response.status_code)
        i += 1
        await asyncio.sleep(0.01)


async def eventually(condition: Callable[[], bool], within_s: float, what: str) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {within_s} s: {what}"
        await asyncio.sleep(0.05)


async def test_cluster_stopped_mid_traffic_then_back(corpus: Settings, real_embedder: Embedder) -> None:
    with proxy_to(corpus.es_url) as proxy:
        async with running_app(through(proxy, corpus), real_embedder) as client:
            await all_ok(client)
            assert await readiness(client) == 200

            stop, statuses = asyncio.Event(), list[int]()
            background = asyncio.create_task(traffic(client, stop, statuses))
            await eventually(lambda: statuses.count(200) >= 2, 30, "traffic flows")

            proxy.mode = "down"  # stopped: every connection, open or new, is reset
            mark = len(statuses)
            await eventually(lambda: 503 in statuses[mark:], 2 * PROMPT_S, "users get 503s")
            await all_unavailable(client, PROMPT_S)
            assert (await client.get("/healthz")).status_code == 200
            assert await readiness(client) == 503

            proxy.mode = "hang"  # frozen: answers never come; the client's timeout decides
            started = time.monotonic()
            assert_error(await REQUESTS["hybrid search"](client), 503, "cluster_unavailable")
            assert time.monotonic() - started < TIMEOUT_S + PROMPT_S
            assert (await client.get("/healthz")).status_code == 200
            assert await readiness(client) == 503

            proxy.mode = "up"  # back: no restart, no warm-up
            mark = len(statuses)
            await eventually(lambda: 200 in statuses[mark:], 2 * TIMEOUT_S + PROMPT_S, "users get answers again")
            await all_ok(client)
            assert await readiness(client) == 200
            stop.set()
            await background

    assert set(statuses) <= {200, 503}, statuses


async def test_app_started_while_the_cluster_is_down_becomes_ready_by_itself(
    corpus: Settings, real_embedder: Embedder
) -> None:
    with proxy_to(corpus.es_url, mode="down") as proxy:
        async with running_app(through(proxy, corpus), real_embedder) as client:
            assert (await client.get("/healthz")).status_code == 200
            assert await readiness(client) == 503
            await all_unavailable(client, PROMPT_S)

            proxy.mode = "up"
            assert await readiness(client) == 200
            await all_ok(client)


async def test_nothing_listening_at_all(corpus: Settings, real_embedder: Embedder) -> None:
    """An ES_URL where nothing listens (connection refused) behaves the same."""
    proxy = TcpProxy.to(corpus.es_url)
    proxy.close()  # the port is free again: connections to it are refused
    async with running_app(through(proxy, corpus), real_embedder) as client:
        assert (await client.get("/healthz")).status_code == 200
        assert await readiness(client) == 503
        await all_unavailable(client, PROMPT_S)
