"""A client generated from docs/openapi.json by a standard generator (openapi-python-client)
searches the live API: what an integrator does in their first hour, done by the suite."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.embedder import Embedder
from core.settings import Settings
from search_api.app import create_app
from search_api.openapi_snapshot import SNAPSHOT
from tests.integration.api_fixtures import free_port

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def api_url(corpus: Settings, real_embedder: Embedder) -> Iterator[str]:
    """The API on a free localhost port, served by uvicorn as in production."""
    import uvicorn

    app = create_app(corpus, embedder=real_embedder)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="generated-client-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The client package, generated from the committed contract into a temporary directory."""
    if not GENERATOR.exists():
        pytest.fail("openapi-python-client is not installed: it is in the dev extras (pyproject.toml)")
    out = tmp_path_factory.mktemp("client")
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff
    command = [str(GENERATOR), "generate", "--path", str(SNAPSHOT), "--output-path", str(out / "caresearch_client")]
    done = subprocess.run(
        [*command, "--meta", "none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("caresearch_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "caresearch_client"]:
            del sys.modules[name]
        shutil.rmtree(out, ignore_errors=True)


def test_the_generated_client_searches_the_live_api(generated: Any, api_url: str) -> None:
    search_get = importlib.import_module("caresearch_client.api.search.search_get")
    models = importlib.import_module("caresearch_client.models")
    with generated.Client(base_url=api_url, raise_on_unexpected_status=True) as client:
        answer = search_get.sync(client=client, q="anxiety therapist who speaks Spanish", size=3)
    assert isinstance(answer, models.SearchAnswer)
    assert len(answer.providers.hits) == 3
    first = answer.providers.hits[0]
    assert (
        isinstance(first, models.ProviderHit) and first.name and len(first.specialty_labels) == len(first.specialties)
    )
    assert answer.interpreted.conditions.languages == ["Spanish"]
    assert answer.crisis is None and answer.warnings == []


def test_the_generated_client_reads_a_provider_and_a_typed_error(generated: Any, api_url: str) -> None:
    search_get = importlib.import_module("caresearch_client.api.search.search_get")
    get_provider = importlib.import_module("caresearch_client.api.documents.get_provider")
    models = importlib.import_module("caresearch_client.models")
    with generated.Client(base_url=api_url) as client:
        hit = search_get.sync(client=client, q="grief", type_=models.SearchType.PROVIDERS, size=1).providers.hits[0]
        provider = get_provider.sync(client=client, doc_id=hit.id)
        missing = get_provider.sync_detailed(client=client, doc_id="no-such-provider")
    assert isinstance(provider, models.ProviderDocument) and provider.name == hit.name
    assert missing.status_code == 404 and isinstance(missing.parsed, models.ErrorBody)
    assert missing.parsed.error.code == "not_found"
