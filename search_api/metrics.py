"""Prometheus metrics at /metrics: requests by route template, method, mode and status;
cluster call latency by operation and outcome; embedding latency; crisis blocks shown.

Every app has its own CollectorRegistry, so several apps in one process (the tests) never
share or collide on a series. Labels never carry what a caller typed: routes are templates
(`/v1/providers/{doc_id}`), paths no route matches are `unmatched`, and the crisis counter
counts, it does not record.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import Scope

from core.embedder import Embedder
from core.engines import EngineError, EngineUnavailable
from core.settings import Settings
from search_api.cluster import Cluster

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
EMBEDDING_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
NO_MODE = "-"
# the `method` label: these, or `other` (a caller can send any token as a method, and every
# new value would be a new series kept until restart)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("route", "method", "mode", "status")
        self.requests = Counter("caresearch_http_requests", "HTTP requests answered", labels, registry=self.registry)
        self.request_seconds = Histogram(
            "caresearch_http_request_duration_seconds",
            "Time to answer an HTTP request",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.cluster_seconds = Histogram(
            "caresearch_cluster_request_duration_seconds",
            "Time of one call to the search cluster",
            ("operation", "outcome"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.embedding_seconds = Histogram(
            "caresearch_embedding_duration_seconds",
            "Time the model takes to embed one query (queueing excluded)",
            buckets=EMBEDDING_BUCKETS,
            registry=self.registry,
        )
        self.crisis_blocks = Counter(
            "caresearch_crisis_blocks", "Search answers that carried the crisis block", registry=self.registry
        )

    def observe_request(self, route: str, method: str, mode: str, status: int, seconds: float) -> None:
        labels = (route, method_label(method), mode or NO_MODE, str(status))
        self.requests.labels(*labels).inc()
        self.request_seconds.labels(*labels).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    """The matched route's template, never the path as sent (ids and probes would make a
    series per value)."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else "unmatched"


def cluster_operation(path: str) -> str:
    """`/idx-providers/_search?x` -> `_search`, `/_cluster/health` -> `_cluster/health`:
    the API's own endpoint names, without index names."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    for i, part in enumerate(parts):
        if part.startswith("_"):
            return "/".join(parts[i : i + 2]) if part in ("_cluster", "_cat") else part
    return "root" if not parts else "document"


class MeteredCluster(Cluster):
    """The cluster handle, timing every call."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        super().__init__(settings)
        self.metrics = metrics

    async def request(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await super().request(method, path, body, params)
        except EngineUnavailable:
            outcome = "unavailable"
            raise
        except EngineError:
            outcome = "error"
            raise
        finally:
            self.metrics.cluster_seconds.labels(cluster_operation(path), outcome).observe(time.perf_counter() - started)


class MeteredEmbedder:
    """The model, timing each query it embeds."""

    def __init__(self, inner: Embedder, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics
        self.name = inner.name
        self.dims = inner.dims

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with self.metrics.embedding_seconds.time():
            return self.inner.embed_query(text)
