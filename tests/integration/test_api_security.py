"""The request-path defenses against the real engine and model (docs/security.md): keys and
scopes, the search page's public key, rate limits, the body bound, CORS, metrics, what the
engine makes of query syntax, log lines, timeouts, and what a real HTTP server does with
giant headers and path tricks on /static."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import io
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from prometheus_client.parser import text_string_to_metric_families

from core.embedder import Embedder
from core.settings import Settings
from search_api.__main__ import SERVER_OPTIONS
from search_api.access import digest
from search_api.app import create_app
from search_api.size_limits import MAX_BODY_BYTES
from tests.app_log import captured_app_log
from tests.integration.api_fixtures import (
    CORPUS_PROVIDERS,
    assert_error,
    free_port,
    memo_embedder,
    proxy_to,
    running_app,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVICE_KEY = "svc-key-0123456789abcdef"
ROTATED_KEY = "svc-key-rotated-9876543210"
FILE_KEY = "batch-key-from-the-file-42"
PAGE_KEY = "page-key-public-0123456789"
PROVIDER = "demo-p-0000001"
ALLOWED = "https://find.example.org"


def locked(corpus: Settings, tmp_path: Path, **update: Any) -> Settings:
    """The corpus served as in production: keys required, the page's public key, a file key."""
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps([{"name": "batch", "sha256": digest(FILE_KEY), "scopes": ["search"]}]))
    values = {
        "allow_anonymous": False,
        "api_keys": f"current:{SERVICE_KEY},rotated:{ROTATED_KEY}",
        "api_keys_file": keys_file,
        "public_search_key": PAGE_KEY,
        **update,
    }
    return corpus.model_copy(update=values)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def secured(
    corpus: Settings, real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(locked(corpus, tmp_path_factory.mktemp("keys")), real_embedder) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def api_key(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


async def found_providers(client: httpx.AsyncClient, headers: dict[str, str], q: str = "anxiety") -> int:
    response = await client.get("/v1/search", params={"q": q, "type": "providers"}, headers=headers)
    assert response.status_code == 200, response.text[:300]
    return len(response.json()["providers"]["hits"])


# ------------------------------------------------------------------ keys


async def test_without_a_key_nothing_is_served(secured: httpx.AsyncClient) -> None:
    for path in ("/v1/search?q=anxiety", "/v1/suggest?q=anx", f"/v1/providers/{PROVIDER}", "/metrics"):
        assert_error(await secured.get(path), 401, "unauthorized")


async def test_service_keys_by_either_header_and_both_while_rotating(secured: httpx.AsyncClient) -> None:
    for headers in (bearer(SERVICE_KEY), api_key(SERVICE_KEY), bearer(ROTATED_KEY), api_key(ROTATED_KEY)):
        assert await found_providers(secured, headers) > 0
        document = await secured.get(f"/v1/providers/{PROVIDER}", headers=headers)
        assert document.status_code == 200 and document.json()["id"] == PROVIDER


async def test_a_hashed_file_key_has_only_its_scopes(secured: httpx.AsyncClient) -> None:
    assert await found_providers(secured, api_key(FILE_KEY)) > 0
    assert_error(await secured.get("/v1/suggest", params={"q": "anx"}, headers=api_key(FILE_KEY)), 403, "forbidden")


async def test_unknown_and_malformed_keys_are_refused(secured: httpx.AsyncClient) -> None:
    for headers in (
        api_key(SERVICE_KEY[:-1]),
        api_key(SERVICE_KEY + "x"),
        bearer(digest(SERVICE_KEY)),  # the stored hash is not a key
        {"Authorization": f"Basic {SERVICE_KEY}"},
        {"Authorization": "Bearer"},
    ):
        assert_error(await secured.get("/v1/search", params={"q": "anxiety"}, headers=headers), 401, "unauthorized")


async def test_the_page_is_handed_the_public_key_which_may_search_and_suggest_only(secured: httpx.AsyncClient) -> None:
    page = await secured.get("/")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    found = re.search(r'<meta name="api-key" content="([^"]+)">', page.text)
    assert found, page.text[:500]
    key = api_key(found.group(1))
    assert await found_providers(secured, key) > 0
    suggest = await secured.get("/v1/suggest", params={"q": "anx"}, headers=key)
    assert suggest.status_code == 200 and suggest.json()["specialties"]
    assert_error(await secured.get(f"/v1/providers/{PROVIDER}", headers=key), 403, "forbidden")
    assert_error(await secured.get("/v1/passages/guide-self-harm-01", headers=key), 403, "forbidden")
    assert_error(await secured.get("/metrics", headers=key), 403, "forbidden")
    assert SERVICE_KEY not in page.text and ROTATED_KEY not in page.text


async def test_the_anonymous_demo_needs_no_key_and_hands_out_none(client: httpx.AsyncClient) -> None:
    assert await found_providers(client, {}) > 0
    assert (await client.get(f"/v1/providers/{PROVIDER}")).status_code == 200
    page = await client.get("/")
    assert page.status_code == 200 and 'name="api-key"' not in page.text


# ------------------------------------------------------------------ rate limits


async def test_over_its_rate_a_caller_gets_429_then_is_served_again(
    corpus: Settings, real_embedder: Embedder, tmp_path: Path
) -> None:
    settings = locked(corpus, tmp_path, rate_limit_per_minute=30, rate_limit_burst=3)  # one every 2 s, 3 at once
    async with running_app(settings, real_embedder) as client:
        for _ in range(3):
            assert await found_providers(client, api_key(SERVICE_KEY)) > 0
        refused = await client.get("/v1/search", params={"q": "anxiety"}, headers=api_key(SERVICE_KEY))
        assert_error(refused, 429, "rate_limited")
        wait = int(refused.headers["Retry-After"])
        assert 1 <= wait <= 2  # the time to the next token, rounded up to whole seconds
        # the rotated key is another service: a bucket of its own; so is every address
        assert await found_providers(client, api_key(ROTATED_KEY)) > 0
        assert await found_providers(client, api_key(PAGE_KEY)) > 0
        await asyncio.sleep(wait)
        assert await found_providers(client, api_key(SERVICE_KEY)) > 0


async def test_guessing_keys_spends_the_guessers_allowance(
    corpus: Settings, real_embedder: Embedder, tmp_path: Path
) -> None:
    settings = locked(corpus, tmp_path, rate_limit_per_minute=6, rate_limit_burst=5)
    async with running_app(settings, real_embedder) as client:
        statuses = [
            (await client.get("/v1/search", params={"q": "x"}, headers=api_key(f"guess-{i:020d}"))).status_code
            for i in range(8)
        ]
        assert statuses == [401] * 5 + [429] * 3
        # the same address with the page's key is still that address: no fresh allowance
        assert_error(await client.get("/v1/search", params={"q": "x"}, headers=api_key(PAGE_KEY)), 429)


async def test_x_forwarded_for_is_believed_only_from_trusted_proxies(
    corpus: Settings, real_embedder: Embedder, tmp_path: Path
) -> None:
    limits = {"rate_limit_per_minute": 6, "rate_limit_burst": 2}  # a token every 10 s: none comes back here

    async def statuses(client: httpx.AsyncClient, addresses: list[str]) -> list[int]:
        out = []
        for address in addresses:
            headers = {**api_key(PAGE_KEY), "X-Forwarded-For": address}
            out.append((await client.get("/v1/suggest", params={"q": "anx"}, headers=headers)).status_code)
        return out

    spoofed = [f"198.51.100.{i}" for i in range(1, 5)]
    async with running_app(locked(corpus, tmp_path, **limits), real_embedder) as client:
        # the in-process client's address is 127.0.0.1: not a trusted proxy, so every
        # spoofed address is still 127.0.0.1 and spends one allowance
        assert await statuses(client, spoofed) == [200, 200, 429, 429]
    trusting = locked(corpus, tmp_path, trusted_proxies="127.0.0.1", **limits)
    async with running_app(trusting, real_embedder) as client:
        # behind a trusted proxy, each browser sharing the page's key has an allowance of its own
        assert await statuses(client, spoofed) == [200] * 4
        assert await statuses(client, ["203.0.113.5"] * 3) == [200, 200, 429]
        # the client cannot prepend its way out: the proxy's right-most hop is what counts
        assert await statuses(client, ["10.9.9.9, 203.0.113.5"]) == [429]


# ------------------------------------------------------------------ sizes and bounds


async def test_a_body_over_the_bound_is_a_422_naming_the_body(client: httpx.AsyncClient) -> None:
    lists = ("specialty", "language", "insurance", "credential", "therapy_type", "age_group", "gender", "faith")
    body = {"q": "anxiety", **{name: ["x" * 199] * 20 for name in lists}}
    content = json.dumps(body).encode()
    assert len(content) > MAX_BODY_BYTES
    response = await client.post("/v1/search", content=content, headers={"content-type": "application/json"})
    error = assert_error(response, 422, "invalid_parameter")
    assert f"larger than {MAX_BODY_BYTES} bytes" in error["message"] and error["details"][0]["parameter"] == "body"
    ordinary = await client.post("/v1/search", json={"q": "anxiety", "specialty": ["Anxiety"], "mode": "bm25"})
    assert ordinary.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "anxiety", "from": 501},
        {"q": "anxiety", "size": 51},
        {"q": "anxiety", "window": 501},
        {"q": "anxiety", "num_candidates": 2001},
        {"q": "a" * 501},
        {"q": "anxiety", "specialty": [f"s{i}" for i in range(21)]},
    ],
)
async def test_deep_pages_and_wide_windows_are_refused(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    assert_error(await client.get("/v1/search", params=params), 422, "invalid_parameter")


async def test_the_deepest_page_allowed_is_answered(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/search", params={"q": "therapist", "from": 500, "size": 50, "mode": "bm25"})
    assert response.status_code == 200 and response.json()["providers"]["hits"] == []


async def test_beyond_the_models_queue_searches_are_503_overloaded_not_piled_up(
    corpus: Settings, real_embedder: Embedder
) -> None:
    settings = corpus.model_copy(update={"embed_queue_max": 1})  # two embedding at once, one waiting
    async with running_app(settings, real_embedder) as client:
        words = [uuid.uuid4().hex[:8] for _ in range(16)]  # new texts: each one needs the model
        answers = await asyncio.gather(
            *(client.get("/v1/search", params={"q": f"anxiety {w}", "mode": "vector"}) for w in words)
        )
        statuses = [a.status_code for a in answers]
        assert set(statuses) == {200, 503}, statuses
        for answer in answers:
            if answer.status_code == 503:
                assert_error(answer, 503, "overloaded")
                assert answer.headers["Retry-After"] == "2"
        # the queue drains: the next search is served
        assert (await client.get("/v1/search", params={"q": "anxiety", "mode": "vector"})).status_code == 200


# ------------------------------------------------------------------ query syntax


# operators alone: as text they are no words at all, so nothing matches; as engine syntax
# (match all, wildcards, a JSON query) they would match every provider
PURE_SYNTAX = [
    "*",
    "*:*",
    "?",
    "_id:*",
    '{"match_all": {}}',
    '{"query": {"match_all": {}}}',
    '" OR ""="',
    "\\",
    ")))(((",
]
# operators among words: only the words count (each of these has a word some providers have)
MIXED = ["name:* OR *:*", "grief bio:/.*/", "anxiety ~1 ^100 +-!", "specialties:Anxiety AND state:TX"]


@pytest.mark.parametrize("q", PURE_SYNTAX + MIXED)
async def test_query_syntax_is_text_not_engine_syntax(client: httpx.AsyncClient, q: str) -> None:
    response = await client.get("/v1/search", params={"q": q, "mode": "bm25", "type": "providers", "size": 50})
    assert response.status_code == 200, response.text[:300]
    matched = response.json()["providers"]["total_text_matches"]
    if q in PURE_SYNTAX:
        assert matched == 0, (q, matched)
    else:
        assert 0 < matched < CORPUS_PROVIDERS, (q, matched)


async def test_a_filter_value_cannot_break_out_of_its_term(client: httpx.AsyncClient) -> None:
    for value in ('Anxiety"}}, {"match_all": {}', "*", "Anxiety OR Depression"):
        response = await client.get(
            "/v1/search", params={"q": "therapist", "mode": "bm25", "type": "providers", "specialty": value}
        )
        assert response.status_code == 200 and response.json()["providers"]["hits"] == [], value


# ------------------------------------------------------------------ CORS


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cors(corpus: Settings, real_embedder: Embedder) -> AsyncIterator[httpx.AsyncClient]:
    settings = corpus.model_copy(update={"cors_origins": f"{ALLOWED}, http://localhost:3000"})
    async with running_app(settings, real_embedder) as client:
        yield client


def preflight(origin: str, headers: str = "x-api-key") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": headers}


async def test_a_listed_origin_gets_its_preflight_and_answers_it_may_read(cors: httpx.AsyncClient) -> None:
    answer = await cors.options("/v1/search", headers=preflight(ALLOWED, "x-api-key, authorization"))
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    assert {"x-api-key", "authorization"} <= {
        h.strip().lower() for h in answer.headers["access-control-allow-headers"].split(",")
    }
    assert "access-control-allow-credentials" not in answer.headers
    search = await cors.get("/v1/search", params={"q": "anxiety", "mode": "bm25"}, headers={"Origin": ALLOWED})
    assert search.status_code == 200 and search.headers["access-control-allow-origin"] == ALLOWED
    assert "Retry-After" in search.headers["access-control-expose-headers"]
    refused = await cors.get("/v1/search", params={"q": ""}, headers={"Origin": ALLOWED})
    assert (
        refused.status_code == 422 and refused.headers["access-control-allow-origin"] == ALLOWED
    )  # errors are readable


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://find.example.org.evil.example", "null", "http://find.example.org"]
)
async def test_any_other_origin_gets_no_cors_headers(cors: httpx.AsyncClient, origin: str) -> None:
    answer = await cors.options("/v1/search", headers=preflight(origin))
    assert answer.status_code == 400 and "access-control-allow-origin" not in answer.headers
    search = await cors.get("/v1/search", params={"q": "anxiety", "mode": "bm25"}, headers={"Origin": origin})
    assert "access-control-allow-origin" not in search.headers


async def test_without_cors_origins_no_origin_is_allowed(client: httpx.AsyncClient) -> None:
    answer = await client.options("/v1/search", headers=preflight(ALLOWED))
    assert answer.status_code == 405 and "access-control-allow-origin" not in answer.headers
    search = await client.get("/v1/search", params={"q": "anxiety", "mode": "bm25"}, headers={"Origin": ALLOWED})
    assert search.status_code == 200 and "access-control-allow-origin" not in search.headers


# ------------------------------------------------------------------ metrics


def samples(text: str, name: str) -> dict[tuple[str, ...], float]:
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


def value(text: str, name: str, **labels: str) -> float:
    return sum(v for key, v in samples(text, name).items() if set(labels.items()) <= set(key))


async def test_metrics_count_requests_time_the_cluster_and_the_model_and_count_crisis_blocks(
    corpus: Settings, real_embedder: Embedder
) -> None:
    crisis_q = "I want to kill myself"
    async with running_app(corpus, real_embedder) as client:
        assert (await client.get("/v1/search", params={"q": "panic attacks", "mode": "hybrid"})).status_code == 200
        assert (await client.post("/v1/search", json={"q": "grief", "mode": "bm25"})).status_code == 200
        crisis = await client.get("/v1/search", params={"q": crisis_q})
        assert crisis.status_code == 200 and crisis.json()["crisis"]
        assert (await client.get("/v1/suggest", params={"q": "anx"})).status_code == 200
        text = (await client.get("/metrics")).text

    requests = "caresearch_http_requests_total"
    assert value(text, requests, route="/v1/search", method="GET", mode="hybrid", status="200") == 2
    assert value(text, requests, route="/v1/search", method="POST", mode="bm25", status="200") == 1
    assert value(text, requests, route="/v1/suggest", mode="-", status="200") == 1
    assert value(text, "caresearch_http_request_duration_seconds_count", route="/v1/search") == 3
    assert value(text, "caresearch_cluster_request_duration_seconds_count", operation="_msearch", outcome="ok") >= 4
    assert value(text, "caresearch_embedding_duration_seconds_count") >= 2  # one per query that has a vector leg
    assert value(text, "caresearch_crisis_blocks_total") == 1
    assert "kill myself" not in text and "panic" not in text and "grief" not in text


async def test_readiness_reflects_the_cluster_and_the_model(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["model"] == "loaded" and ready.json()["missing_indices"] == []


# ------------------------------------------------------------------ timeouts


async def test_every_cluster_call_has_a_timeout(corpus: Settings, real_embedder: Embedder) -> None:
    timeout_s = 1.0
    with proxy_to(corpus.es_url) as proxy:
        settings = corpus.model_copy(update={"es_url": proxy.url, "es_timeout_s": timeout_s})
        async with running_app(settings, real_embedder) as client:
            assert (await client.get("/v1/search", params={"q": "anxiety"})).status_code == 200
            proxy.mode = "hang"  # the cluster accepts connections and never answers
            for path in (
                "/v1/search?q=anxiety",
                "/v1/search?q=grief&mode=bm25",
                "/v1/suggest?q=anx",
                f"/v1/providers/{PROVIDER}",
                "/v1/passages/guide-self-harm-01",
                "/readyz",
            ):
                started = time.monotonic()
                response = await client.get(path)
                elapsed = time.monotonic() - started
                assert response.status_code == 503, (path, response.text[:200])
                assert elapsed < 2 * timeout_s + 1, f"{path} took {elapsed:.1f} s"


# ------------------------------------------------------------------ logs


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    with captured_app_log() as stream:
        yield stream


async def test_a_forged_log_line_stays_inside_its_field(client: httpx.AsyncClient, log_lines: io.StringIO) -> None:
    forged = 'anxiety\n{"level": "error", "message": "forged", "request_id": "admin"}\r\n'
    await client.get("/v1/search", params={"q": forged, "mode": "bm25"}, headers={"X-Request-ID": "line-1"})
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]  # every line is one JSON record
    assert not [line for line in lines if line.get("message") == "forged"]
    (record,) = [line for line in lines if line.get("request_id") == "line-1" and line.get("event") == "request"]
    assert "forged" in record["query"]


async def test_a_request_id_that_is_not_a_plain_token_is_replaced(
    client: httpx.AsyncClient, log_lines: io.StringIO
) -> None:
    for given in ('x" "admin', "a" * 65, "id with spaces", "<script>"):
        response = await client.get("/healthz", headers={"X-Request-ID": given})
        assert re.fullmatch(r"[0-9a-f]{16}", response.headers["X-Request-ID"]), given
    assert (await client.get("/healthz", headers={"X-Request-ID": "req-42.a_b:c"})).headers[
        "X-Request-ID"
    ] == "req-42.a_b:c"


# ------------------------------------------------------------------ a real HTTP server


@contextlib.contextmanager
def serve(settings: Settings, embedder: Embedder) -> Iterator[int]:
    """The app behind uvicorn on a free loopback port (as `python -m search_api` serves it)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, memo_embedder(embedder)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        **SERVER_OPTIONS,  # type: ignore[arg-type]
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        running.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def server(corpus: Settings, real_embedder: Embedder) -> Iterator[int]:
    with serve(corpus, real_embedder) as port:
        yield port


def raw(port: int, request: bytes) -> bytes:
    """Send bytes as they are (no client normalizes the path) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize(
    "path",
    [
        "/static/../core/settings.py",
        "/static/../../pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%5c..%5cpyproject.toml",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/api.js%00.html",
    ],
)
async def test_static_files_never_leave_web_static(server: int, path: str) -> None:
    answer = await asyncio.to_thread(raw, server, head(path.encode()))
    assert status_of(answer) in (400, 404), answer[:300]
    assert b"BaseSettings" not in answer and b"[project]" not in answer and b"root:" not in answer


def head(target: bytes, headers: bytes = b"") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + headers + b"Connection: close\r\n\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "expected"),
    [
        # what uvicorn lets through (it bounds only what arrives incomplete) the app refuses
        (head(b"/healthz", b"X-Pad: " + b"a" * 20_000 + b"\r\n"), 431),
        (head(b"/healthz", b"X-Pad: " + b"a" * 64_000 + b"\r\n"), 431),
        (head(b"/healthz", b"X-A: b\r\n" * 200), 431),
        (head(b"/v1/search?q=x", b"X-Forwarded-For: " + b"1.2.3.4, " * 2_000 + b"\r\n"), 431),
        (head(b"/v1/search?q=" + b"a" * 60_000), 414),
        (head(b"/healthz?q=" + b"word+" * 22_000), 414),  # ~110,000 characters: issue 21, finding 1
        # and beyond what uvicorn buffers, uvicorn refuses before the app sees anything
        (head(b"/healthz", b"X-Pad: " + b"a" * 1_000_000 + b"\r\n"), 400),
        (head(b"/healthz", b"X-A: b\r\n" * 50_000), 400),
        (head(b"/v1/search?q=" + b"a" * 1_000_000), 400),
    ],
    ids=[
        "20k-header",
        "64k-header",
        "200-headers",
        "long-xff",
        "60k-url",
        "110k-healthz",
        "1m-header",
        "50k-headers",
        "1m-url",
    ],
)
async def test_giant_headers_and_urls_are_refused_and_the_server_carries_on(
    server: int, request_bytes: bytes, expected: int
) -> None:
    answer = await asyncio.to_thread(raw, server, request_bytes)
    assert status_of(answer) == expected, answer[:300]
    if expected != 400:  # the app's own answers are in the contract's shape (docs/contract.md: Errors)
        assert b'{"error":{"code":' in answer
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(f"http://127.0.0.1:{server}/healthz")).status_code == 200


async def test_the_real_server_refuses_a_big_streamed_body(server: int) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 4096

    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"http://127.0.0.1:{server}/v1/search", content=chunks(), headers={"content-type": "application/json"}
        )
    assert_error(response, 422, "invalid_parameter")
    assert "larger than" in response.json()["error"]["message"]


# ------------------------------------------------------------------ the page in a browser

CHROMIUM = Path("/usr/bin/chromium")


def search_in_the_page(base: str, query: str) -> tuple[int, set[str | None]]:
    """Load the page in headless Chromium, search, and return the therapists shown and the
    X-API-Key values the page sent to /v1/."""
    from playwright.sync_api import sync_playwright

    sent: set[str | None] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.on("request", lambda r: sent.add(r.headers.get("x-api-key")) if "/v1/" in r.url else None)
            page.goto(f"{base}/")
            page.fill("#q", query)
            page.press("#q", "Enter")
            page.wait_for_selector("#provider-list > li")
            shown = page.locator("#provider-list > li").count()
        finally:
            browser.close()
    return shown, sent


async def test_the_page_searches_with_its_public_key_when_keys_are_required(
    corpus: Settings, real_embedder: Embedder, tmp_path: Path
) -> None:
    if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("needs /usr/bin/chromium and playwright (see tests/browser)")
    with serve(locked(corpus, tmp_path), real_embedder) as port:
        shown, sent = await asyncio.to_thread(search_in_the_page, f"http://127.0.0.1:{port}", "anxiety")
    assert shown > 0
    assert sent == {PAGE_KEY}
