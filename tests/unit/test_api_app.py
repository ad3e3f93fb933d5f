"""The app without a cluster (nothing listens at ES_URL) and with a fake embedder: validation
answers 422 in the contract's error shape (docs/contract.md) on GET and POST before the cluster is asked, the cluster
being away gives 503 with Retry-After, health and readiness, and no stack trace ever."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from core.embedder import HashingEmbedder
from core.settings import Settings
from search_api import errors
from search_api.app import create_app
from search_api.exceptions import SearchFailed
from search_api.logging_setup import QueryHasher
from search_api.perimeter import DEFAULT_HOSTS, HostConfigError, host_allowed, parse_hosts
from tests.app_log import captured_app_log


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app() -> FastAPI:
    settings = Settings(
        es_url=f"http://127.0.0.1:{free_port()}",
        es_timeout_s=2,
        index_prefix="unit-api",
        allow_anonymous=True,
        api_keys=None,
        api_keys_file=None,
    )
    return create_app(settings, HashingEmbedder())


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"q": "x", "size": 51}, "size"),
        ({"q": "x", "from": -1}, "from"),
        ({"q": "x", "lat": 12.5}, "lat"),
        ({"q": "x", "radius_km": 3}, "radius_km"),
        ({"q": "x", "sort": "name"}, "sort"),
        ({"size": 3}, "q"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_bad_parameters_are_422_naming_them(
    client: httpx.AsyncClient, method: str, params: dict[str, Any], named: str
) -> None:
    if method == "GET":
        response = await client.get("/v1/search", params=params)
    else:
        response = await client.post("/v1/search", json=params)
    error = error_of(response, 422)
    assert error["code"] == "invalid_parameter"
    assert named in error["message"]


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[" * 5000 + b"]" * 5000])
async def test_unreadable_bodies_are_422_naming_the_body(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post("/v1/search", content=content, headers={"content-type": "application/json"})
    error = error_of(response, 422)
    assert error["message"].startswith("body")


async def test_a_valid_search_while_the_cluster_is_away_is_503_with_retry_after(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/v1/search", params={"q": "anxiety"}),
        await client.post("/v1/search", json={"q": "anxiety", "mode": "bm25"}),
        await client.get("/v1/suggest", params={"q": "anx"}),
        await client.get("/v1/providers/p1"),
    ):
        assert error_of(response, 503)["code"] == "cluster_unavailable"
        assert int(response.headers["Retry-After"]) > 0


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and int(ready.headers["Retry-After"]) > 0
    assert ready.json()["status"] == "not_ready"


async def test_unknown_routes_and_methods(client: httpx.AsyncClient) -> None:
    assert error_of(await client.get("/v2/search"), 404)["code"] == "not_found"
    assert error_of(await client.put("/v1/search"), 405)["code"] == "method_not_allowed"


async def test_an_unexpected_error_is_a_500_without_details(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(params: Any) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.state.shared.service, "search", broken)
    response = await client.get("/v1/search", params={"q": "anxiety"})
    error = error_of(response, 500)
    assert error["code"] == "internal_error" and "secret" not in response.text


@pytest.fixture
def log_lines(client: httpx.AsyncClient) -> Iterator[io.StringIO]:
    """What the app logs, as its JSON formatter writes it."""
    with captured_app_log() as stream:
        yield stream


async def test_the_request_log_line_carries_the_request_id(client: httpx.AsyncClient, log_lines: io.StringIO) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert response.headers["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    requests = [line for line in lines if line.get("event") == "request" and line.get("path") == "/healthz"]
    assert requests and requests[-1]["request_id"] == "req-42"


async def test_crisis_queries_are_not_logged_in_clear(client: httpx.AsyncClient, log_lines: io.StringIO) -> None:
    await client.get("/v1/search", params={"q": "I want to kill myself", "size": 99})
    err = log_lines.getvalue()
    assert "kill myself" not in err and '"crisis": true' in err


def logged_hashes(text: str) -> list[str]:
    return [json.loads(line)["query_hash"] for line in text.splitlines() if '"query_hash"' in line]


async def test_a_crisis_query_is_logged_as_a_keyed_hash_nobody_can_look_up(
    client: httpx.AsyncClient, log_lines: io.StringIO
) -> None:
    # issue 21, finding 6: the hash was SHA-256 cut to 12 characters, a lookup away for common phrasings
    query = "I want to kill myself"
    await client.get("/v1/search", params={"q": query, "size": 99})
    [logged] = logged_hashes(log_lines.getvalue())
    assert logged != hashlib.sha256(query.encode()).hexdigest()[: len(logged)]
    assert len(logged) == 16


def test_the_log_hash_key_comes_from_the_environment_else_one_per_process() -> None:
    keyed = QueryHasher("a-secret-from-the-environment")
    expected = hmac.new(b"a-secret-from-the-environment", b"kill myself", hashlib.sha256).hexdigest()[:16]
    assert keyed("kill myself") == expected == QueryHasher("a-secret-from-the-environment")("kill myself")
    assert QueryHasher()("kill myself") != QueryHasher()("kill myself")  # a random key each time
    assert "a-secret" not in repr(Settings(log_hash_key="a-secret-from-the-environment"))


async def test_the_engines_reasons_are_never_answered(log_lines: io.StringIO) -> None:
    # issue 21, finding 4: the 422 named the concrete index and the engine setting
    reason = "illegal_argument_exception: [caresearch-providers-20261206] index.highlight.max_analyzed_offset"
    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise SearchFailed(reason)

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        error = error_of(await c.get("/boom"), 422)
    assert error["code"] == "query_not_runnable"
    assert "caresearch" not in json.dumps(error) and "max_analyzed_offset" not in json.dumps(error)


async def test_openapi_and_docs(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/v1/search" in spec["paths"] and "/v1/suggest" in spec["paths"]
    assert (await client.get("/docs")).status_code == 200


def test_the_published_schema_documents_the_error_answers_as_they_are_given() -> None:
    schema = create_app(Settings(allow_anonymous=True), HashingEmbedder()).openapi()
    search = schema["paths"]["/v1/search"]["get"]["responses"]
    assert {"200", "401", "403", "422", "429", "503"} <= set(search)
    assert search["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "Retry-After" in search["503"]["headers"] and "Retry-After" in search["429"]["headers"]
    assert "404" in schema["paths"]["/v1/providers/{doc_id}"]["get"]["responses"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]  # FastAPI's shape is not ours


async def test_the_workbench_page_is_the_only_file_it_serves(client: httpx.AsyncClient) -> None:
    # it once took its file from a default argument, which FastAPI read as a query parameter
    plain = await client.get("/workbench")
    asked = await client.get("/workbench", params={"path": __file__})
    assert (asked.status_code, asked.text) == (plain.status_code, plain.text)


@pytest.mark.parametrize("path", ["/metrics/", "/healthz", "/", "/v1/search?q=x"])
async def test_a_foreign_host_gets_nothing_and_no_redirect_reflects_it(client: httpx.AsyncClient, path: str) -> None:
    # issue 21, finding 7: Host: evil.example turned GET /metrics/ into a redirect to http://evil.example/metrics
    response = await client.get(path, headers={"host": "evil.example"})
    assert error_of(response, 400)["code"] == "invalid_host"
    assert "evil.example" not in response.headers.get("location", "") + response.text
    redirect = await client.get("/metrics/", headers={"host": "localhost:8000"})
    assert redirect.status_code in (307, 308) and redirect.headers["location"].startswith("http://localhost:8000/")


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("localhost:8000", True),
        ("127.0.0.1", True),
        ("[::1]:8000", True),
        ("LOCALHOST.", True),
        ("api.test", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("", False),
    ],
)
def test_the_host_allow_list(header: str, allowed: bool) -> None:
    assert host_allowed(header, DEFAULT_HOSTS) is allowed


def test_allowed_hosts_are_read_strictly() -> None:
    hosts = parse_hosts("find.example.org, *.example.net")
    assert host_allowed("find.example.org:443", hosts) and host_allowed("api.example.net", hosts)
    assert not host_allowed("localhost", hosts) and not host_allowed("example.net.evil.example", hosts)
    for bad in ("*", "*.", "find.example.org:443", "https://find.example.org"):
        with pytest.raises(HostConfigError):
            parse_hosts(bad)


async def test_the_pages_forbid_inline_script_and_frames_and_every_answer_says_nosniff(
    client: httpx.AsyncClient,
) -> None:
    # issue 21, finding 7: no CSP, X-Frame-Options or nosniff on the pages
    for path in ("/", "/workbench"):
        page = await client.get(path)
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert "<script>" not in page.text and " style=" not in page.text  # the policy lets the page work
    for path in ("/", "/healthz", "/nowhere", "/v1/search?size=999"):
        answer = await client.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
