"""The one seam that knows which engine it talks to: Elasticsearch 8 or OpenSearch 2.

It owns client construction (official `elasticsearch` or `opensearch-py`), the vector field
mapping, the index settings that turn vectors on, and the kNN clause. Everything else sends
the query DSL both engines share through `request` and never asks which one is there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx
import orjson

from core.settings import Settings

EMBEDDING_DIMS = 384
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 128


class Dialect(StrEnum):
    OPENSEARCH = "opensearch"
    ELASTICSEARCH = "elasticsearch"


class EngineUnavailable(RuntimeError):
    """The cluster cannot be reached (refused, timed out, or answering 502/503/504)."""


class EngineError(RuntimeError):
    """The cluster answered with an error status."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        super().__init__(f"engine answered {status}: {_short(body)}")


def _short(body: Any, limit: int = 400) -> str:
    text = body if isinstance(body, str) else json.dumps(body, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- dialect: pure functions


def dialect_from_root(root: Mapping[str, Any]) -> Dialect:
    """Tell the engines apart from the body of `GET /`."""
    version = root.get("version") or {}
    if version.get("distribution") == "opensearch":
        return Dialect.OPENSEARCH
    number = str(version.get("number", ""))
    if not number.startswith("8."):
        raise EngineError(200, f"unsupported engine version {number!r}: need Elasticsearch 8.x or OpenSearch 2.x")
    return Dialect.ELASTICSEARCH


def vector_field_mapping(dialect: Dialect, dims: int = EMBEDDING_DIMS) -> dict[str, Any]:
    """A cosine vector field with an HNSW graph."""
    if dialect is Dialect.OPENSEARCH:
        return {
            "type": "knn_vector",
            "dimension": dims,
            "method": {
                "name": "hnsw",
                "engine": "lucene",  # pure Java: no native library needed
                "space_type": "cosinesimil",
                "parameters": {"m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION},
            },
        }
    return {
        "type": "dense_vector",
        "dims": dims,
        "index": True,
        "similarity": "cosine",
        "index_options": {"type": "hnsw", "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION},
    }


def vector_index_settings(dialect: Dialect) -> dict[str, Any]:
    """Index settings a vector field needs on this engine."""
    return {"knn": True} if dialect is Dialect.OPENSEARCH else {}


def knn_body(
    dialect: Dialect,
    field: str,
    vector: list[float],
    k: int,
    num_candidates: int,
    filters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The part of a search body that runs a filtered (pre-filter) kNN query.

    Merge it into a body that has no `query` of its own. Scores on both engines are
    (1 + cosine) / 2.
    """
    filter_clause = {"bool": {"filter": filters}} if filters else None
    if dialect is Dialect.OPENSEARCH:
        clause: dict[str, Any] = {"vector": vector, "k": k}
        if filter_clause:
            clause["filter"] = filter_clause
        # OpenSearch's lucene engine explores k candidates per segment; ask for at least
        # num_candidates so the HNSW search is as wide as on Elasticsearch.
        clause["k"] = max(k, num_candidates)
        return {"query": {"knn": {field: clause}}}
    knn: dict[str, Any] = {
        "field": field,
        "query_vector": vector,
        "k": k,
        "num_candidates": max(k, num_candidates),
    }
    if filter_clause:
        knn["filter"] = filter_clause
    return {"knn": knn}


def exact_knn_query(
    dialect: Dialect, field: str, vector: list[float], filters: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A brute-force cosine query over every (filtered) document: the ground truth the HNSW
    graph is measured against (bench/knn_recall.py). Scores match knn_body's, (1 + cos) / 2
    up to a constant factor, so the order is the same."""
    base: dict[str, Any] = {"bool": {"filter": filters}} if filters else {"match_all": {}}
    if dialect is Dialect.OPENSEARCH:
        script: dict[str, Any] = {
            "source": "knn_score",
            "lang": "knn",
            "params": {"field": field, "query_value": vector, "space_type": "cosinesimil"},
        }
    else:
        source = f"cosineSimilarity(params.query_vector, '{field}') + 1.0"
        script = {"source": source, "params": {"query_vector": vector}}
    return {"script_score": {"query": base, "script": script}}


# ---------------------------------------------------------------- discovery


def basic_auth(settings: Settings) -> tuple[str, str] | None:
    return (settings.es_username, settings.es_password or "") if settings.es_username else None


def detect_dialect(settings: Settings) -> Dialect:
    """`GET /` on the cluster; EngineUnavailable if nothing answers."""
    try:
        response = httpx.get(settings.es_url + "/", timeout=settings.es_timeout_s, auth=basic_auth(settings))
    except httpx.HTTPError as exc:
        raise EngineUnavailable(f"no search engine answers at {settings.es_url} ({exc})") from exc
    return _dialect_of(response, settings.es_url)


async def detect_dialect_async(settings: Settings) -> Dialect:
    try:
        async with httpx.AsyncClient(timeout=settings.es_timeout_s, auth=basic_auth(settings)) as client:
            response = await client.get(settings.es_url + "/")
    except httpx.HTTPError as exc:
        raise EngineUnavailable(f"no search engine answers at {settings.es_url} ({exc})") from exc
    return _dialect_of(response, settings.es_url)


def _dialect_of(response: httpx.Response, url: str) -> Dialect:
    if response.status_code >= 500:
        raise EngineUnavailable(f"the search engine at {url} answered {response.status_code}")
    if response.status_code != 200:
        raise EngineError(response.status_code, response.text)
    return dialect_from_root(response.json())


# ---------------------------------------------------------------- clients

_JSON = {"content-type": "application/json", "accept": "application/json"}
_NDJSON = {"content-type": "application/x-ndjson", "accept": "application/json"}


def ndjson(lines: Iterable[Mapping[str, Any]]) -> str:
    return "".join(dumps(line) + "\n" for line in lines)


def dumps(data: Any) -> str:
    """Compact JSON (UTF-8 as is): orjson, or the standard library for what orjson refuses."""
    try:
        return orjson.dumps(data).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


def _status_of(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status
    meta = getattr(exc, "meta", None)
    status = getattr(meta, "status", None)
    return status if isinstance(status, int) else None


def _body_of(exc: Exception) -> Any:
    for attr in ("info", "body"):
        value = getattr(exc, attr, None)
        if value is not None:
            return value
    return str(exc)


def _translate(exc: Exception, url: str) -> Exception:
    """Map either client's exceptions onto EngineUnavailable / EngineError."""
    status = _status_of(exc)
    if status is None or status in (502, 503, 504):
        return EngineUnavailable(f"the search engine at {url} is unreachable ({type(exc).__name__}: {exc})")
    return EngineError(status, _body_of(exc))


@dataclass
class _Request:
    method: str
    path: str
    params: Mapping[str, Any] | None
    body: Any
    headers: Mapping[str, str]


def _prepare(method: str, path: str, body: Any, params: Mapping[str, Any] | None) -> _Request:
    headers = _NDJSON if isinstance(body, str) else _JSON
    if params:
        params = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items()}
    return _Request(method, path, params, body, headers)


def _as_dict(response: Any) -> Any:
    return getattr(response, "body", response)


class SyncEngine:
    """Blocking client for the CLIs."""

    def __init__(self, settings: Settings, dialect: Dialect | None = None) -> None:
        self.settings = settings
        self.dialect = dialect or detect_dialect(settings)
        self._client = _make_client(settings, self.dialect, asynchronous=False)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        req = _prepare(method, path, body, params)
        try:
            # query parameters travel in the path: opensearch-py would take `timeout`
            # as its own request timeout
            path = req.path + _query_string(req.params)
            if self.dialect is Dialect.OPENSEARCH:
                return self._client.transport.perform_request(req.method, path, body=req.body, headers=req.headers)
            return _as_dict(self._client.perform_request(req.method, path, headers=req.headers, body=req.body))
        except Exception as exc:  # both clients: translate, never leak their types
            raise _translate(exc, self.settings.es_url) from exc

    def close(self) -> None:
        self._client.close()


class AsyncEngine:
    """Non-blocking client for the API."""

    def __init__(self, settings: Settings, dialect: Dialect) -> None:
        self.settings = settings
        self.dialect = dialect
        self._client = _make_client(settings, dialect, asynchronous=True)

    @classmethod
    async def connect(cls, settings: Settings) -> AsyncEngine:
        return cls(settings, await detect_dialect_async(settings))

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        req = _prepare(method, path, body, params)
        try:
            path = req.path + _query_string(req.params)
            if self.dialect is Dialect.OPENSEARCH:
                return await self._client.transport.perform_request(
                    req.method, path, body=req.body, headers=req.headers
                )
            response = await self._client.perform_request(req.method, path, headers=req.headers, body=req.body)
            return _as_dict(response)
        except Exception as exc:
            raise _translate(exc, self.settings.es_url) from exc

    async def close(self) -> None:
        await self._client.close()


def _orjson_serializer(opensearchpy: Any) -> Any:
    """opensearch-py's JSON serializer with orjson underneath: decoding four legs of a hundred
    hits each with the standard library took about 4 ms of every hybrid search."""

    class OrjsonSerializer(opensearchpy.JSONSerializer):
        def loads(self, s: str) -> Any:
            try:
                return loads(s)
            except orjson.JSONDecodeError as exc:
                raise opensearchpy.SerializationError(s, exc) from exc

        def dumps(self, data: Any) -> Any:
            if isinstance(data, str):
                return data
            try:
                return orjson.dumps(data).decode()
            except TypeError:
                return super().dumps(data)  # dates, decimals... as opensearch-py does them

    return OrjsonSerializer()


def _query_string(params: Mapping[str, Any] | None) -> str:
    if not params:
        return ""
    return "?" + str(httpx.QueryParams({k: str(v) for k, v in params.items()}))


def _make_client(settings: Settings, dialect: Dialect, *, asynchronous: bool) -> Any:
    auth = basic_auth(settings)
    timeout = settings.es_timeout_s
    if dialect is Dialect.OPENSEARCH:
        import opensearchpy

        cls = opensearchpy.AsyncOpenSearch if asynchronous else opensearchpy.OpenSearch
        # no retries inside the client: callers decide (the API answers 503 at once,
        # the indexer retries with backoff)
        return cls(
            hosts=[settings.es_url],
            http_auth=auth,
            timeout=timeout,
            max_retries=0,
            retry_on_timeout=False,
            serializer=_orjson_serializer(opensearchpy),
        )
    import elasticsearch

    es_cls = elasticsearch.AsyncElasticsearch if asynchronous else elasticsearch.Elasticsearch
    return es_cls(settings.es_url, basic_auth=auth, request_timeout=timeout, max_retries=0, retry_on_timeout=False)
