"""Shared helpers for the API integration tests (tests/integration/test_api_*.py).

* `api_corpus(...)`: 200 demo providers and the project's guide passages, loaded once per
  test process under an index prefix of its own with the real model, deleted when pytest
  exits. Embeddings are cached in pytest's cache directory, so only the first run on a
  machine pays for embedding the corpus.
* `running_app(...)`: the FastAPI app in-process (lifespan included) behind an httpx client.
* `TcpProxy`: a local TCP proxy in front of the engine with a switch that makes the cluster
  look stopped (connections reset) or frozen (connections accepted, never answered), so the
  outage tests never touch the shared engine. `GatedProxy` adds a gate that holds what the
  API sends the engine until released (a request reliably in flight).
* `api_process(env)`: `python -m search_api` as a real uvicorn subprocess on a free port.
* assertions on the error shape docs/contract.md gives: `{"error": {"code", "message"}}`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, Self

import httpx
import pytest
from asgi_lifespan import LifespanManager

from core.embedder import Embedder
from core.engines import SyncEngine
from core.settings import Settings
from indexer.cli import main as indexer_main
from indexer.demo.providers import generate_providers
from search_api.app import create_app

PROJECT = Path(__file__).resolve().parents[2]
GUIDE_PASSAGES = PROJECT / "indexer" / "demo" / "guide_passages.jsonl"
CORPUS_PROVIDERS = 200

_corpus: dict[str, Settings] = {}


# ------------------------------------------------------------------ the corpus


def api_corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, base: Settings, embedder: Embedder
) -> Settings:
    """Settings (anonymous access on) whose prefix serves the API test corpus; loaded on the
    first call in this process, its indices removed when pytest finishes."""
    if "settings" in _corpus:
        return _corpus["settings"]
    prefix = f"test-api-{uuid.uuid4().hex[:8]}"
    workdir = tmp_path_factory.mktemp("api-corpus")
    providers = workdir / "providers.jsonl"
    with providers.open("w", encoding="utf-8") as out:
        for record in generate_providers(CORPUS_PROVIDERS):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    cache_dir = cache.mkdir("api-embedding-cache") if cache else workdir

    def cleanup() -> None:
        with contextlib.suppress(Exception):
            remove_prefix(base, prefix)

    request.config.add_cleanup(cleanup)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INDEX_PREFIX", prefix)
        env.setenv("EMBEDDING_CACHE", str(Path(cache_dir) / "embeddings.sqlite"))
        code = indexer_main(
            ["rebuild", "--providers", str(providers), "--passages", str(GUIDE_PASSAGES)],
            stdout,
            stderr,
            embedder_factory=lambda: embedder,
        )
    assert code == 0, f"loading the API test corpus failed ({code}):\n{stdout.getvalue()}\n{stderr.getvalue()}"
    _corpus["settings"] = api_settings(base, prefix)
    return _corpus["settings"]


def api_settings(base: Settings, prefix: str, **update: Any) -> Settings:
    return base.model_copy(
        update={"index_prefix": prefix, "allow_anonymous": True, "api_keys": None, "api_keys_file": None, **update}
    )


def remove_prefix(base: Settings, prefix: str) -> None:
    engine = SyncEngine(base)
    try:
        rows = engine.request("GET", f"/_cat/indices/{prefix}-*", params={"format": "json"})
        for row in rows or []:
            engine.request("DELETE", f"/{row['index']}", params={"ignore_unavailable": True})
    finally:
        engine.close()


# ------------------------------------------------------------------ the app


class MemoEmbedder:
    """The real model, each text embedded once per test run: every app start-up builds the
    same specialty prototypes, and tests repeat queries. Vectors are the model's own."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.dims = inner.dims
        self.name = inner.name
        self._documents: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._documents]
        if missing:
            self._documents.update(zip(missing, self.inner.embed_documents(missing), strict=True))
        return [self._documents[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            with one_torch_thread():
                self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


_threads_lock = threading.Lock()


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    """One short query gains nothing from torch's intra-op threads, and on a busy machine
    (the engine, other test runs) they make it 5 to 20 times slower."""
    import torch

    with _threads_lock:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


_memo: dict[int, MemoEmbedder] = {}


def memo_embedder(embedder: Embedder) -> Embedder:
    if isinstance(embedder, MemoEmbedder):
        return embedder
    return _memo.setdefault(id(embedder), MemoEmbedder(embedder))


@contextlib.asynccontextmanager
async def running_app(settings: Settings, embedder: Embedder) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan run, behind an in-process client. App exceptions become
    responses (as a real server would send them) so a test sees any 500 instead of a raise."""
    app = create_app(settings, memo_embedder(embedder))
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=30) as client:
            yield client


# ------------------------------------------------------------------ assertions


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """docs/contract.md: errors are JSON `{"error": {"code", "message"}}`, never a stack trace."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error.get("code"), str) and error["code"]
    assert isinstance(error.get("message"), str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    if status == 503:
        assert int(response.headers["Retry-After"]) > 0
    return error


def assert_invalid(response: httpx.Response, parameter: str | None = None) -> dict[str, Any]:
    """A 422 that names the parameter at fault (in the message and in `details`)."""
    error = assert_error(response, 422, "invalid_parameter")
    if parameter is not None:
        assert parameter in error["message"], error
        assert parameter in {d["parameter"].split(".")[0] for d in error.get("details", [])}, error
    return error


# ------------------------------------------------------------------ an engine that goes away


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the engine. `mode`: "up" forwards; "down" resets every
    connection, open or new, as a stopped cluster would; "hang" accepts and never answers,
    as a frozen one would."""

    def __init__(self, target: tuple[str, int], mode: str = "up") -> None:
        self.target = target
        self._mode = mode
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._stopped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="tcp-proxy", daemon=True)
        self._thread.start()

    @classmethod
    def to(cls, url: str, mode: str = "up") -> Self:
        parsed = httpx.URL(url)
        return cls((parsed.host, parsed.port or 9200), mode)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        assert value in ("up", "down", "hang")
        with self._lock:
            self._mode = value
            if value != "up":
                doomed, self._open = self._open, set()
            else:
                doomed = set()
        for sock in doomed:
            _reset(sock)

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        self._listener.close()
        self.mode = "down"

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self._mode
                if mode == "hang":
                    self._open.add(client)
            if mode == "down":
                _reset(client)
            elif mode == "up":
                threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _reset(client)
            return
        with self._lock:
            if self._mode != "up":
                _reset(client)
                _reset(upstream)
                return
            self._open.update((client, upstream))
        threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()
        try:
            self._send_upstream(client, upstream)
        finally:  # either side done: the connection is over
            _reset(client)
            _reset(upstream)

    def _send_upstream(self, client: socket.socket, upstream: socket.socket) -> None:
        """What the caller sends, on its way to the engine (subclasses hold or count it)."""
        _pump(client, upstream)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        _reset(source)
        _reset(sink)


def _reset(sock: socket.socket) -> None:
    """Close with an RST (linger 0), as a host whose process died does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def proxy_to(url: str, mode: str = "up") -> Iterator[TcpProxy]:
    proxy = TcpProxy.to(url, mode)
    try:
        yield proxy
    finally:
        proxy.close()


def free_port() -> int:
    """A port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GatedProxy(TcpProxy):
    """A TcpProxy whose gate can hold what callers send to the engine and then let it
    through: with the gate closed a request is reliably in flight (sent, not answered) for
    as long as a test needs, and it completes normally once the gate opens."""

    def __init__(self, target: tuple[str, int], mode: str = "up") -> None:
        self._gate = threading.Event()
        self._gate.set()
        self.held = 0  # chunks that reached the closed gate
        super().__init__(target, mode)

    def hold(self) -> None:
        self.held = 0
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    def _send_upstream(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while chunk := client.recv(65536):
                if not self._gate.is_set():
                    self.held += 1
                    self._gate.wait()
                upstream.sendall(chunk)
        except OSError:
            pass


# ------------------------------------------------------------------ the API as a real server


class ApiProcess:
    """`python -m search_api` as a subprocess (the real uvicorn server, its signal handling
    included) on a free port; `env` adds to the environment (INDEX_PREFIX, ES_URL, ...),
    a None value removes that variable."""

    def __init__(self, env: dict[str, str | None], port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        merged = {**os.environ, "PORT": str(self.port), **env}
        full_env = {name: value for name, value in merged.items() if value is not None}
        self.log = open(Path(full_env.get("API_LOG", os.devnull)), "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search_api"], cwd=PROJECT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_healthy(self, within_s: float = 120) -> None:
        """Until /healthz answers (the model is loaded by then: start-up warms it)."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the API exited during start-up with {self.process.returncode}"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"the API did not answer /healthz within {within_s} s")

    def accepts_connections(self) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.log.close()


@contextlib.contextmanager
def api_process(env: dict[str, str | None]) -> Iterator[ApiProcess]:
    """A started, healthy API subprocess, killed afterwards if a test left it running."""
    api = ApiProcess(env)
    try:
        api.wait_healthy()
        yield api
    finally:
        api.stop()
