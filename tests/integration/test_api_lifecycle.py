"""The API's life as a real server (issue 8: graceful behaviour).

Each test runs `python -m search_api` as a subprocess (uvicorn, its signal handling, the
app's start-up and shutdown) on the API test corpus, talking to the real engine through a
local proxy: a gate holds what the API sends to the engine (a search reliably in flight),
and a switch makes the cluster look stopped (connections reset) or frozen (never answered).
The shared engine itself is never touched.

* SIGTERM: the request in flight finishes with 200, new connections are refused at once,
  and the process exits 0 within its grace period.
* Started while the cluster is down: alive, not ready, searches answer 503 with
  Retry-After; once the cluster is back it is ready and searching, with no restart.
* The cluster cut and restored under concurrent load: every answer is a 200 or a 503,
  never a 500, and everything answers 200 again afterwards.
* Indices whose shards are not available yet (a restarted engine recovering them) answer
  503, not 422: the cluster is not ready, the query is not at fault.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import Settings
from tests.integration.api_fixtures import GatedProxy, api_process, assert_error, running_app

pytestmark = pytest.mark.asyncio(loop_scope="module")

GRACE_S = 20  # SHUTDOWN_GRACE_S of the server under test
EXIT_WITHIN_S = 10.0  # after the last request finished, the process is gone within this
TIMEOUT_S = 2.0  # the API's cluster timeout (the frozen phase of the load test)
SEARCHES = [
    {"q": "anxiety therapist", "size": 3},
    {"q": "grief", "mode": "bm25", "type": "providers"},
    {"q": "can't sleep", "mode": "vector", "type": "passages"},
    {"q": "couples counseling", "mode": "hybrid", "type": "providers", "telehealth": "true"},
]


@pytest.fixture
def proxy(corpus: Settings) -> Iterator[GatedProxy]:
    gated = GatedProxy.to(corpus.es_url)
    try:
        yield gated
    finally:
        gated.release()
        gated.close()


def server_env(corpus: Settings, proxy: GatedProxy, tmp_path: Path, **extra: str) -> dict[str, str | None]:
    return {
        "INDEX_PREFIX": corpus.index_prefix,
        "ES_URL": proxy.url,
        "ALLOW_ANONYMOUS": "true",
        "API_KEYS": None,
        "API_KEYS_FILE": None,
        "API_LOG": str(tmp_path / "api.log"),
        **extra,
    }


async def eventually_status(client: httpx.AsyncClient, path: str, status: int, within_s: float) -> httpx.Response:
    deadline = time.monotonic() + within_s
    while True:
        response = await client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            assert response.status_code == status, f"{path}: {response.status_code} {response.text[:300]}"
            return response
        await asyncio.sleep(0.2)


async def wait_for(condition: Callable[[], bool], within_s: float, what: str) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {within_s} s: {what}"
        await asyncio.sleep(0.05)


async def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(
    corpus: Settings, proxy: GatedProxy, tmp_path: Path
) -> None:
    env = server_env(corpus, proxy, tmp_path, SHUTDOWN_GRACE_S=str(GRACE_S), ES_TIMEOUT_S="60")
    with api_process(env) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
            await eventually_status(client, "/readyz", 200, 30)
            assert (await client.get("/v1/search", params=SEARCHES[0])).status_code == 200

            proxy.hold()  # what the API sends the engine from now on waits at the gate
            in_flight = asyncio.create_task(client.get("/v1/search", params=SEARCHES[3]))
            await wait_for(lambda: proxy.held > 0, 30, "the search reaches the engine")

            api.process.send_signal(signal.SIGTERM)
            await wait_for(lambda: not api.accepts_connections(), 5, "new connections are refused")
            assert not in_flight.done(), "the request in flight was dropped instead of waited for"
            assert api.process.poll() is None, "the process left before its request finished"

            proxy.release()
            response = await in_flight
            finished = time.monotonic()
            assert response.status_code == 200, response.text[:300]
            assert response.json()["providers"]["hits"], "a complete answer, not a truncated one"

        exit_code = await asyncio.to_thread(api.process.wait, EXIT_WITHIN_S)
        assert exit_code == 0
        assert time.monotonic() - finished < EXIT_WITHIN_S


async def test_started_while_the_cluster_is_down_becomes_ready_by_itself(
    corpus: Settings, proxy: GatedProxy, tmp_path: Path
) -> None:
    proxy.mode = "down"
    with api_process(server_env(corpus, proxy, tmp_path, ES_TIMEOUT_S=str(TIMEOUT_S))) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
            assert (await client.get("/healthz")).status_code == 200
            not_ready = await client.get("/readyz")
            assert not_ready.status_code == 503 and int(not_ready.headers["Retry-After"]) > 0
            for params in SEARCHES:
                assert_error(await client.get("/v1/search", params=params), 503, "cluster_unavailable")

            proxy.mode = "up"  # the cluster is back: no restart, no signal, nothing sent to the API
            await eventually_status(client, "/readyz", 200, 10)
            for params in SEARCHES:
                response = await client.get("/v1/search", params=params)
                assert response.status_code == 200, response.text[:300]
        assert api.process.poll() is None


async def test_concurrent_callers_share_one_connection_attempt_while_the_cluster_is_frozen(
    corpus: Settings, proxy: GatedProxy, tmp_path: Path
) -> None:
    """Started while the cluster hangs: eight searches at once each answer 503 after about
    one cluster timeout, not one timeout per caller queued behind the others."""
    proxy.mode = "hang"
    with api_process(server_env(corpus, proxy, tmp_path, ES_TIMEOUT_S=str(TIMEOUT_S))) as api:
        async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
            started = time.monotonic()
            answers = await asyncio.gather(*(client.get("/v1/search", params=SEARCHES[i % 4]) for i in range(8)))
            elapsed = time.monotonic() - started
            for response in answers:
                assert_error(response, 503, "cluster_unavailable")
            assert elapsed < 3 * TIMEOUT_S + 2, f"8 callers took {elapsed:.1f} s"


async def more(statuses: Counter[int], status: int, by: int, within_s: float, what: str) -> None:
    target = statuses[status] + by
    await wait_for(lambda: statuses[status] >= target, within_s, what)


async def load(url: str, stop: asyncio.Event, statuses: Counter[int], workers: int = 8) -> None:
    """`workers` callers searching back to back, as steady traffic does."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def caller(n: int) -> None:
            i = n
            while not stop.is_set():
                response = await client.get("/v1/search", params=SEARCHES[i % len(SEARCHES)])
                assert "Traceback" not in response.text
                statuses[response.status_code] += 1
                i += 1

        await asyncio.gather(*(caller(n) for n in range(workers)))


async def test_cluster_cut_and_restored_under_load_answers_only_200_or_503(
    corpus: Settings, proxy: GatedProxy, tmp_path: Path
) -> None:
    with api_process(server_env(corpus, proxy, tmp_path, ES_TIMEOUT_S=str(TIMEOUT_S))) as api:
        statuses: Counter[int] = Counter()
        stop = asyncio.Event()
        traffic = asyncio.create_task(load(api.url, stop, statuses))
        try:
            await wait_for(lambda: statuses[200] >= 10, 60, "traffic flows")
            for cut in ("down", "hang", "down"):
                proxy.mode = cut  # stopped (connections reset) or frozen (never answered)
                await more(statuses, 503, 4, 4 * TIMEOUT_S + 5, f"503s while {cut}")
                proxy.mode = "up"
                await more(statuses, 200, 10, 4 * TIMEOUT_S + 10, "200s again")
        finally:
            stop.set()
            await traffic
        assert set(statuses) <= {200, 503}, statuses

        async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
            await eventually_status(client, "/readyz", 200, 10)
            for params in SEARCHES:  # recovered: every kind of search answers again
                response = await client.get("/v1/search", params=params)
                assert response.status_code == 200, response.text[:300]
        assert api.process.poll() is None


async def test_shards_not_yet_available_answer_503_not_422(
    settings: Settings, cluster: SyncEngine, real_embedder: Embedder
) -> None:
    """As while a restarted engine recovers its indices: the aliases exist, their shards do
    not answer yet (here: allocated to a node that does not exist)."""
    for alias in (settings.providers_alias, settings.passages_alias):
        body = {
            "settings": {"number_of_replicas": 0, "index.routing.allocation.require._name": "no-such-node"},
            "aliases": {alias: {}},
        }
        cluster.request("PUT", f"/{alias}-v1", body, params={"wait_for_active_shards": 0})
    async with running_app(settings.model_copy(update={"allow_anonymous": True}), real_embedder) as client:
        assert (await client.get("/readyz")).status_code == 503
        for params in SEARCHES:
            assert_error(await client.get("/v1/search", params=params), 503, "cluster_unavailable")
