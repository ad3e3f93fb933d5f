"""Limits on one caller: the token bucket on an injected clock (search_api/rate_limit.py), the
caller's address behind proxies (client_address.py), the body size bound (size_limits.py) and
the model's bounded queue (embedding_queue.py)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from core.embedder import HashingEmbedder
from core.settings import Settings
from search_api.access import digest
from search_api.app import create_app
from search_api.client_address import ProxyConfigError, caller_group, client_ip, parse_networks
from search_api.embedding_queue import BoundedSlots
from search_api.exceptions import Overloaded
from search_api.params import LIST_PARAMS, MAX_FILTER_VALUES
from search_api.rate_limit import RateLimiter, TokenBucket, default_burst, retry_after
from search_api.size_limits import MAX_BODY_BYTES


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ the token bucket


def test_a_full_bucket_serves_a_burst_then_says_how_long_to_wait() -> None:
    bucket = TokenBucket.full(rate=2.0, burst=3, now=0.0)  # 2 a second, 3 at once
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)
    assert bucket.take(0.25) == pytest.approx(0.25)  # half a token came back meanwhile
    assert bucket.take(0.5) == 0.0


def test_an_idle_bucket_refills_only_up_to_its_burst() -> None:
    bucket = TokenBucket.full(rate=1.0, burst=2, now=0.0)
    bucket.take(0.0), bucket.take(0.0)
    served = [bucket.take(3600.0) for _ in range(3)]
    assert served[:2] == [0.0, 0.0] and served[2] > 0


def test_a_clock_that_steps_back_does_not_mint_tokens() -> None:
    bucket = TokenBucket.full(rate=1.0, burst=1, now=10.0)
    assert bucket.take(10.0) == 0.0
    assert bucket.take(5.0) > 0 and bucket.take(10.5) == pytest.approx(0.5)


def test_each_caller_has_a_bucket_of_their_own() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    assert [limiter.check("ip:a") for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    assert limiter.check("ip:b") == 0.0
    clock.now += 1
    assert limiter.check("ip:a") == 0.0 and limiter.check("ip:a") == pytest.approx(1.0)


def test_a_key_with_its_own_rate_gets_a_bucket_sized_to_it() -> None:
    limiter = RateLimiter(per_minute=60, burst=2, clock=Clock())
    served = [limiter.check("key:batch", per_minute=600) for _ in range(default_burst(600) + 1)]
    assert served[:-1] == [0.0] * default_burst(600) and served[-1] == pytest.approx(0.1)


def test_no_rate_means_no_limit() -> None:
    limiter = RateLimiter(per_minute=0, clock=Clock())
    assert not limiter.enabled
    assert all(limiter.check("ip:a") == 0.0 for _ in range(1000)) and len(limiter) == 0
    assert limiter.check("key:k", per_minute=60) == 0.0 and len(limiter) == 1  # a key's own rate still counts


def test_the_number_of_tracked_callers_is_bounded() -> None:
    limiter = RateLimiter(per_minute=60, burst=1, clock=Clock(), max_callers=100)
    for i in range(1000):
        limiter.check(f"ip:10.0.{i // 256}.{i % 256}")
    assert len(limiter) == 100


def test_default_burst_and_retry_after() -> None:
    assert (default_burst(600), default_burst(60), default_burst(6000)) == (60, 10, 600)
    assert [retry_after(w) for w in (0.01, 0.5, 1.0, 1.01, 59.2)] == ["1", "1", "1", "2", "60"]


# ------------------------------------------------------------------ who is calling

PROXIES = parse_networks("10.0.0.0/8, 192.168.1.7 ,::1")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not from a proxy: the header is the caller's own words
        ("10.1.2.3", "198.51.100.7", "198.51.100.7"),
        ("10.1.2.3", "1.1.1.1, 198.51.100.7", "198.51.100.7"),  # the left hop was written by the client
        ("10.1.2.3", "198.51.100.7, 10.9.9.9", "198.51.100.7"),  # two proxies
        ("10.1.2.3", "1.1.1.1,198.51.100.7 , 192.168.1.7", "198.51.100.7"),
        ("10.1.2.3", "garbage", "10.1.2.3"),
        ("10.1.2.3", "198.51.100.7, <script>", "10.1.2.3"),
        ("10.1.2.3", "10.4.4.4, 10.5.5.5", "10.4.4.4"),  # all proxies: the furthest one
        ("::1", "2001:db8::1", "2001:db8::1"),
        (None, "1.2.3.4", "unknown"),
        ("testclient", "1.2.3.4", "testclient"),
    ],
)
def test_the_client_address(peer: str | None, forwarded_for: str | None, expected: str) -> None:
    assert client_ip(peer, forwarded_for, PROXIES) == expected


def test_every_x_forwarded_for_line_is_read_as_one_list() -> None:
    # issue 21, finding 3: a second header line (a proxy that appends its own, as HAProxy's
    # `option forwardfor` does) was ignored, so the client's own first line chose its address
    lines = ["1.1.1.1", "198.51.100.7"]  # the client's line, then the proxy's
    assert client_ip("10.1.2.3", lines, PROXIES) == "198.51.100.7"
    assert client_ip("10.1.2.3", ["6.6.6.6, 7.7.7.7", "198.51.100.7, 10.9.9.9"], PROXIES) == "198.51.100.7"
    assert client_ip("10.1.2.3", [], PROXIES) == "10.1.2.3"


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # IPv4-mapped: the same caller
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),  # the low 64 bits are the caller's to choose
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("unknown", "unknown"),
    ],
)
def test_callers_are_grouped_by_ipv4_address_or_ipv6_64(address: str, group: str) -> None:
    assert caller_group(address) == group


def test_a_mapped_address_is_its_ipv4_address_when_judging_proxies() -> None:
    assert client_ip("::ffff:10.1.2.3", "198.51.100.7", PROXIES) == "198.51.100.7"
    assert client_ip("10.1.2.3", "::ffff:198.51.100.7", PROXIES) == "198.51.100.7"


async def test_a_second_forwarded_for_line_does_not_buy_a_fresh_allowance() -> None:
    s = settings(rate_limit_per_minute=6, rate_limit_burst=2, trusted_proxies="127.0.0.1")
    async for c in client_for(s):
        statuses = []
        for n in range(4):  # the client's own first line changes, the proxy's line stays
            headers = [("x-forwarded-for", f"1.1.1.{n}"), ("x-forwarded-for", "198.51.100.7")]
            statuses.append((await c.get("/v1/providers/p1", headers=headers)).status_code)
        assert statuses[2:] == [429, 429], statuses
        ipv6 = [
            (await c.get("/v1/providers/p1", headers={"x-forwarded-for": f"2001:db8::{n:x}"})).status_code
            for n in range(4)
        ]
        assert ipv6[2:] == [429, 429], ipv6


def test_without_trusted_proxies_x_forwarded_for_is_ignored() -> None:
    assert client_ip("127.0.0.1", "1.2.3.4", parse_networks("")) == "127.0.0.1"


def test_trusted_proxies_are_read_strictly() -> None:
    expected = ("10.0.0.0/8", "192.168.1.7/32", "::1/128")
    assert tuple(map(str, PROXIES)) == expected
    with pytest.raises(ProxyConfigError, match=r"TRUSTED_PROXIES: 'proxy\.internal'"):
        parse_networks("10.0.0.1,proxy.internal")


# ------------------------------------------------------------------ the model's queue


async def test_the_queue_refuses_at_once_when_full_and_serves_again_after() -> None:
    slots = BoundedSlots(concurrency=1, max_waiting=1)
    release = asyncio.Event()

    async def hold() -> None:
        async with slots.slot():
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiter = asyncio.create_task(hold())
    await asyncio.sleep(0)
    assert slots.waiting == 1
    with pytest.raises(Overloaded):
        async with slots.slot():
            pass
    release.set()
    await asyncio.gather(holder, waiter)
    assert slots.waiting == 0
    async with slots.slot():  # drained: served again
        pass


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    slots = BoundedSlots(concurrency=1, max_waiting=1)
    async with slots.slot():
        waiter = asyncio.create_task(slots.slot().__aenter__())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert slots.waiting == 0


# ------------------------------------------------------------------ through the app (no cluster)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings(**update: object) -> Settings:
    values: dict[str, object] = {
        "es_url": f"http://127.0.0.1:{free_port()}",
        "es_timeout_s": 2,
        "index_prefix": "unit-api",
        "allow_anonymous": True,
        "api_keys": None,
        "api_keys_file": None,
        **update,
    }
    return Settings(**values)  # type: ignore[arg-type]


async def client_for(s: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(s, HashingEmbedder())
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async for c in client_for(settings()):
        yield c


def largest_search_body(value_chars: int) -> dict[str, object]:
    body: dict[str, object] = {"q": "a" * 500}
    for name in LIST_PARAMS:
        body[name] = [f"{i:02d}" + "v" * (value_chars - 2) for i in range(MAX_FILTER_VALUES)]
    return body


async def chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_body_over_the_limit_is_refused_before_it_is_parsed(client: httpx.AsyncClient) -> None:
    body = json.dumps(largest_search_body(200)).encode()
    assert len(body) > MAX_BODY_BYTES
    for response in (
        await client.post("/v1/search", content=body, headers={"content-type": "application/json"}),
        # streamed without a Content-Length: counted as it arrives
        await client.post("/v1/search", content=chunks(body, 8000), headers={"content-type": "application/json"}),
        await client.post("/v1/search", content=b"{}", headers={"content-length": "99999999999"}),
    ):
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_parameter" and f"larger than {MAX_BODY_BYTES} bytes" in error["message"]
        assert error["details"] == [
            {"parameter": "body", "problem": f"the request body is larger than {MAX_BODY_BYTES} bytes"}
        ]


async def test_a_body_under_the_limit_goes_on_to_the_search(client: httpx.AsyncClient) -> None:
    body = json.dumps({**largest_search_body(100), "mode": "bm25"}).encode()
    assert len(body) < MAX_BODY_BYTES
    response = await client.post("/v1/search", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "cluster_unavailable"  # not the limit


async def test_over_the_rate_a_caller_gets_429_with_retry_after() -> None:
    async for c in client_for(settings(rate_limit_per_minute=6, rate_limit_burst=2)):
        first = [await c.get("/v1/providers/p1") for _ in range(2)]
        assert [r.status_code for r in first] == [503, 503]  # allowed through to the (absent) cluster
        refused = await c.get("/v1/suggest", params={"q": "anx"})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 10
        assert (await c.get("/healthz")).status_code == 200  # probes are never limited


# ------------------------------------------------------------------ the request line


async def test_a_long_request_line_is_refused_before_anything_reads_it(client: httpx.AsyncClient) -> None:
    # issue 21, finding 1: /healthz?q= and ~110,000 characters of fresh words cost the event loop
    # half a second each in the logging middleware, before any bound or key applied
    words = " ".join(f"w{n}" for n in range(5_000))  # ~40,000 bytes: httpx sends at most 64 KiB
    started = time.perf_counter()
    for path in ("/healthz", "/v1/search", "/nowhere"):
        response = await client.get(path, params={"q": words})
        assert response.status_code == 414, response.text
        assert response.json()["error"]["code"] == "uri_too_long"
    assert time.perf_counter() - started < 0.5
    longest_get = {"q": "é" * 500, "specialty": ["Anxiety"] * 12, "mode": "bm25"}
    assert (await client.get("/v1/search", params=longest_get)).status_code == 503  # on to the (absent) cluster


def test_the_server_bounds_the_request_head_it_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from search_api import __main__ as entry
    from search_api.size_limits import MAX_HEAD_BYTES

    given: list[uvicorn.Config] = []

    def run(server: uvicorn.Server) -> None:  # the server as configured, not started
        given.append(server.config)
        server.started = True

    monkeypatch.setattr(entry.AnnouncingServer, "run", run)
    assert entry.main() == 0
    assert given[0].h11_max_incomplete_event_size == MAX_HEAD_BYTES
    assert given[0].http == "h11" and given[0].proxy_headers is False


# ------------------------------------------------------------------ the analysts' overrides

PAGE_KEY = "page-key-0123456789abc"
SERVICE = "service-key-0123456789"
OVERRIDES = [
    {"window": 500},
    {"num_candidates": 2000},
    {"explain": True},
    {"fusion": "rrf"},
    {"bm25_weight": 0.5},
    {"rank_constant": 10},
    {"interpret": False},
]


async def test_only_a_key_with_the_analyst_scope_may_tune_or_explain_a_search(tmp_path: Path) -> None:
    # issue 21, finding 7: the public page key could ask for window 500, num_candidates 2000, explain
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps([{"name": "narrow", "sha256": digest("narrow-key-0123456789"), "scopes": ["search"]}]))
    s = settings(allow_anonymous=False, public_search_key=PAGE_KEY, api_keys=SERVICE, api_keys_file=keys)
    async for c in client_for(s):
        for key in (PAGE_KEY, "narrow-key-0123456789"):
            for override in OVERRIDES:
                refused = await c.get("/v1/search", params={"q": "anxiety", **override}, headers={"x-api-key": key})
                assert refused.status_code == 403, (key, override, refused.text)
                assert "analyst" in refused.json()["error"]["message"]
            plain = await c.get("/v1/search", params={"q": "anxiety", "explain": False}, headers={"x-api-key": key})
            assert plain.status_code == 503  # on to the (absent) cluster
        for override in OVERRIDES:
            served = await c.get("/v1/search", params={"q": "anxiety", **override}, headers={"x-api-key": SERVICE})
            assert served.status_code == 503, override
            body = await c.post("/v1/search", json={"q": "anxiety", **override}, headers={"x-api-key": PAGE_KEY})
            assert body.status_code == 403, override
    async for demo in client_for(settings()):  # the anonymous demo and its workbench keep them
        assert (await demo.get("/v1/search", params={"q": "anxiety", "window": 500})).status_code == 503


async def test_a_malformed_body_is_read_only_after_the_key_and_the_rate_are_checked() -> None:
    # issue 21, finding 7: malformed bodies were parsed (and answered 422) before the key and the rate
    s = settings(allow_anonymous=False, api_keys=SERVICE, rate_limit_per_minute=6, rate_limit_burst=2)
    json_type = {"content-type": "application/json"}
    async for c in client_for(s):
        statuses = [
            (await c.post("/v1/search", content=body, headers=json_type)).status_code
            for body in (b"{not json", json.dumps({"q": {"match_all": {}}}).encode(), b'{"q": ' * 500)
        ]
        assert statuses == [401, 401, 429]  # no key, then no allowance: the body is never read
        keyed = {**json_type, "x-api-key": SERVICE}
        assert (await c.post("/v1/search", content=b"{not json", headers=keyed)).status_code == 422
        assert (await c.post("/v1/search", json={"q": "anxiety", "mode": "bm25"}, headers=keyed)).status_code == 503
        spent = await c.post("/v1/search", content=b"{not json", headers=keyed)  # one token a request, not two
        assert spent.status_code == 429, spent.text
