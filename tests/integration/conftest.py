"""Integration tests run against the real engine at ES_URL (started by `make test`).

Each test gets its own index prefix and its indices are deleted afterwards, so tests never
see each other's documents nor the demo corpus.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from core.embedder import Embedder
from core.engines import NODES_PATH, EngineUnavailable, SyncEngine, names
from core.settings import Settings
from tests.integration.api_fixtures import api_corpus, running_app
from tests.integration.indexer_support import Indexer, in_process_indexer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def cluster(base_settings: Settings) -> Iterator[SyncEngine]:
    try:
        engine = SyncEngine(base_settings)
    except EngineUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run against a real engine: {exc}")
        pytest.skip(f"{exc}: run `make test`, which starts the embedded engine")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def cluster_modules(cluster: SyncEngine) -> frozenset[str]:
    """The names of the modules and plugins of the engine's node (core.engines.names reads them)."""
    nodes = cluster.request("GET", NODES_PATH)
    parts = [m["name"] for node in nodes["nodes"].values() for m in node.get("modules", []) + node.get("plugins", [])]
    return frozenset(parts)


@pytest.fixture(autouse=True)
def _needs_module(request: pytest.FixtureRequest) -> None:
    """`@pytest.mark.needs_module(NAME, WHY)`: skipped, saying why, where the node lacks NAME
    (Elastic's minimal distribution: docs/engines.md). analysis-common is what discovery found."""
    marker = request.node.get_closest_marker("needs_module")
    if marker is None:
        return
    name, why = marker.args
    if name == "analysis-common":
        present = request.getfixturevalue("cluster").info.analysis_common
    else:
        present = any(names(name, part) for part in request.getfixturevalue("cluster_modules"))
    if not present:
        pytest.skip(f"needs the engine module {name}, absent here: {why}")


@pytest.fixture
def settings(base_settings: Settings, cluster: SyncEngine) -> Iterator[Settings]:
    """Settings with an index prefix of this test's own; its indices are removed after."""
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    yield base_settings.model_copy(update={"index_prefix": prefix})
    delete_prefix(cluster, prefix)


def delete_prefix(cluster: SyncEngine, prefix: str) -> None:
    indices = cluster.request("GET", f"/_cat/indices/{prefix}-*", params={"format": "json"})
    for row in indices or []:
        cluster.request("DELETE", f"/{row['index']}", params={"ignore_unavailable": True})


@pytest.fixture
def indexer(monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path, real_embedder: Embedder) -> Indexer:
    """`python -m indexer ARGS` in-process, on this test's own index prefix and embedding cache."""
    monkeypatch.setenv("INDEX_PREFIX", settings.index_prefix)
    monkeypatch.setenv("EMBEDDING_CACHE", str(tmp_path / "embedding-cache.sqlite"))
    return in_process_indexer(real_embedder)


@pytest.fixture(scope="module")
def corpus(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    base_settings: Settings,
    cluster: SyncEngine,
    real_embedder: Embedder,
) -> Settings:
    """The API tests' corpus (see api_fixtures.api_corpus); a module may define its own."""
    return api_corpus(request, tmp_path_factory, base_settings, real_embedder)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(corpus: Settings, real_embedder: Embedder) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process on that corpus, with its lifespan, for one test module."""
    async with running_app(corpus, real_embedder) as app_client:
        yield app_client
