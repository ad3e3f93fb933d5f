"""The one seam that knows which engine it talks to: Elasticsearch 8 or 9, or OpenSearch 2.

It owns discovery (which engine, which version, whether its `analysis-common` module is
there), client construction (official `elasticsearch` or `opensearch-py`), the vector field
mapping, the index settings that turn vectors on, and the kNN clause. Everything else sends
the query DSL the engines share through `request` and never asks which one is there.
"""

from __future__ import annotations

import json
import re
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


# Elasticsearch's vector index: HNSW over float vectors, not its default int8_hnsw, which lost
# 2.4 points of recall@10 at num_candidates 200 for no speed at this size (docs/engines.md)
ES_VECTOR_INDEX = "hnsw"
ANALYSIS_MODULE = "analysis-common"


class Dialect(StrEnum):
    OPENSEARCH = "opensearch"
    ELASTICSEARCH = "elasticsearch"


@dataclass(frozen=True)
class EngineInfo:
    """What discovery learned: the dialect, the version, and whether the cluster has the
    `analysis-common` module (stemmers, synonyms, ascii folding). Elastic's minimal
    distribution has not: the index definition is then the reduced one (indexer/index_body.py)."""

    dialect: Dialect
    version: str
    analysis_common: bool = True

    @property
    def label(self) -> str:
        return f"{self.dialect.value}-{self.version}"


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
    """Tell the engines apart from the body of `GET /` (clusters whose user may not read
    the nodes' info)."""
    version = root.get("version") or {}
    if version.get("distribution") == "opensearch":
        return _checked(Dialect.OPENSEARCH, str(version.get("number", "")))
    return _checked(Dialect.ELASTICSEARCH, str(version.get("number", "")))


def engine_from_nodes(product: str | None, nodes: Mapping[str, Any]) -> EngineInfo:
    """Tell the engines apart from `GET /_nodes/_local` (version, modules, plugins) and the
    `X-Elastic-Product` header every Elasticsearch answer carries since 7.14 (Elastic's
    minimal distribution answers 405 to `GET /`). Without the header (a proxy may drop it),
    the version decides: OpenSearch is 1.x to 3.x, Elasticsearch 8.x and 9.x."""
    node = next(iter((nodes.get("nodes") or {}).values()), None)
    if not isinstance(node, Mapping):
        raise EngineError(200, "the cluster reported no node: is this Elasticsearch or OpenSearch?")
    version = str(node.get("version", ""))
    is_elastic = product == "Elasticsearch" or _major(version) in (8, 9)
    dialect = _checked(Dialect.ELASTICSEARCH if is_elastic else Dialect.OPENSEARCH, version)
    parts = [
        str(m.get("name")) for key in ("modules", "plugins") for m in node.get(key) or [] if isinstance(m, Mapping)
    ]
    return EngineInfo(dialect, version, analysis_common=any(names(ANALYSIS_MODULE, part) for part in parts))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def names(module: str, part: str) -> bool:
    """Whether a node's module or plugin entry is `module`: a distribution names its modules
    ("analysis-common"), the embedded OpenSearch loads them as classpath plugins named by class
    ("org.opensearch.analysis.common.CommonAnalysisPlugin")."""
    return _squash(module) in _squash(part)


def _major(version: str) -> int | None:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else None


def _checked(dialect: Dialect, version: str) -> Dialect:
    supported = (8, 9) if dialect is Dialect.ELASTICSEARCH else (2,)
    if _major(version) not in supported:
        raise EngineError(
            200,
            f"unsupported engine {dialect.value} {version!r}: need Elasticsearch 8.x or 9.x, or OpenSearch 2.x",
        )
    return dialect


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
        "index_options": {"type": ES_VECTOR_INDEX, "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION},
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


# the nodes' info holds the version, the modules and the plugins; filter_path keeps it small
NODES_PATH = "/_nodes/_local?filter_path=nodes.*.version,nodes.*.modules.name,nodes.*.plugins.name"


def detect_engine(settings: Settings) -> EngineInfo:
    """`GET /_nodes/_local` (else `GET /` when the user may not read it); EngineUnavailable
    if nothing answers."""
    try:
        with httpx.Client(timeout=settings.es_timeout_s, auth=basic_auth(settings)) as client:
            response = client.get(settings.es_url + NODES_PATH)
            if response.status_code in (401, 403):
                response = client.get(settings.es_url + "/")
    except httpx.HTTPError as exc:
        raise EngineUnavailable(f"no search engine answers at {settings.es_url} ({exc})") from exc
    return _engine_of(response, settings.es_url)


async def detect_engine_async(settings: Settings) -> EngineInfo:
    try:
        async with httpx.AsyncClient(timeout=settings.es_timeout_s, auth=basic_auth(settings)) as client:
            response = await client.get(settings.es_url + NODES_PATH)
            if response.status_code in (401, 403):
                response = await client.get(settings.es_url + "/")
    except httpx.HTTPError as exc:
        raise EngineUnavailable(f"no search engine answers at {settings.es_url} ({exc})") from exc
    return _engine_of(response, settings.es_url)


def _engine_of(response: httpx.Response, url: str) -> EngineInfo:
    if response.status_code >= 500:
        raise EngineUnavailable(f"the search engine at {url} answered {response.status_code}")
    if response.status_code != 200:
        raise EngineError(response.status_code, response.text)
    try:
        body = response.json()
    except ValueError as exc:
        raise EngineError(response.status_code, f"{url} answered with no JSON: is it a search engine?") from exc
    if not isinstance(body, dict):
        raise EngineError(response.status_code, f"{url} answered {_short(body)}: is it a search engine?")
    if "nodes" in body:
        return engine_from_nodes(response.headers.get("x-elastic-product"), body)
    # `GET /`: the nodes' modules are not known; a full install has analysis-common
    dialect = dialect_from_root(body)
    return EngineInfo(dialect, str((body.get("version") or {}).get("number", "")))


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

    def __init__(self, settings: Settings, info: EngineInfo | None = None) -> None:
        self.settings = settings
        self.info = info or detect_engine(settings)
        self.dialect = self.info.dialect
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

    def __init__(self, settings: Settings, info: EngineInfo) -> None:
        self.settings = settings
        self.info = info
        self.dialect = info.dialect
        self._client = _make_client(settings, self.dialect, asynchronous=True)

    @classmethod
    async def connect(cls, settings: Settings) -> AsyncEngine:
        return cls(settings, await detect_engine_async(settings))

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
