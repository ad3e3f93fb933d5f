"""Browser tests drive Debian's headless Chromium (no browser download) through Playwright
against the API served in-process by uvicorn, over a small corpus of their own (150 generated
providers and the demo guide) indexed once under its own INDEX_PREFIX in the real engine at
ES_URL, with the real embedding model.

Without /usr/bin/chromium, the playwright package or the engine, the tests skip with the reason,
except under CI (env CI set), where they fail: CI must run them. A failing test leaves a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from core.embedder import Embedder
from core.engines import EngineUnavailable, SyncEngine
from core.settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PROVIDERS = 150
GUIDE = ROOT / "indexer" / "demo" / "guide_passages.jsonl"
STARTUP_S = 120.0
# kept between runs (content-addressed), so only the first run embeds the corpus (~30 s on a CPU)
EMBEDDING_CACHE = ROOT / ".data" / "browser-tests-embedding-cache.sqlite"


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item, so the page fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium() -> str:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is absent: run `make browser-deps` (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is not installed: run `make setup` (it is in the dev extras)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser_settings() -> Iterator[Settings]:
    """Settings on an index prefix of this session's own; its indices are deleted afterwards."""
    settings = Settings(index_prefix=f"test-browser-{uuid.uuid4().hex[:8]}", allow_anonymous=True)
    try:
        engine = SyncEngine(settings)
    except EngineUnavailable as exc:
        unavailable(f"no search engine at {settings.es_url} ({exc}): run `make test`, which starts one")
    yield settings
    rows = engine.request("GET", f"/_cat/indices/{settings.index_prefix}-*", params={"format": "json"})
    for row in rows or []:
        engine.request("DELETE", f"/{row['index']}", params={"ignore_unavailable": True})
    engine.close()


@pytest.fixture(scope="session")
def corpus(browser_settings: Settings, real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`python -m indexer rebuild` in-process: 150 generated providers and the demo guide. Their
    next openings count from the day the API's "this week" counts from (TODAY, else today)."""
    from indexer.cli import main
    from indexer.demo.providers import generate_providers

    folder = tmp_path_factory.mktemp("browser-corpus")
    providers = folder / "providers.jsonl"
    records = generate_providers(PROVIDERS, today=browser_settings.current_date())
    providers.write_text("".join(json.dumps(p) + "\n" for p in records), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INDEX_PREFIX", browser_settings.index_prefix)
        env.setenv("ES_URL", browser_settings.es_url)
        env.setenv("EMBEDDING_CACHE", str(EMBEDDING_CACHE))
        code = main(
            ["rebuild", "--providers", str(providers), "--passages", str(GUIDE)],
            out,
            err,
            embedder_factory=lambda: real_embedder,
        )
    assert code == 0, f"indexing the browser corpus failed ({code}):\n{err.getvalue()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="package")
def api_url(browser_settings: Settings, corpus: None, real_embedder: Embedder) -> Iterator[str]:
    """The API (and so the pages) served by uvicorn in a background thread."""
    import uvicorn

    from search_api.app import create_app

    app = create_app(browser_settings, embedder=real_embedder)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="browser-tests-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the API did not start for the browser tests", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="package")  # Playwright's sync API holds an event loop in this thread: end it with the package
def browser_context(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium with a fresh profile for the session; each test opens its own page."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, args=CHROMIUM_ARGS, headless=True, viewport=DESKTOP
        )
        context.set_default_timeout(20_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context: Any, api_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh tab; `page.base` is the API's address; uncaught script errors fail the test;
    a failed test leaves test-artifacts/<test name>.png."""
    tab = browser_context.new_page()
    tab.set_viewport_size(DESKTOP)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.base = api_url
    tab.script_errors = errors
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # the screenshot must not hide the failure itself
            print(f"could not save a screenshot: {exc}")
    tab.close()
    assert not errors, f"script errors on the page: {errors}"
