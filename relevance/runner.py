"""Runs: send each query to the search API (docs/contract.md: Search API v1) and keep the ranked ids.

Over HTTP (``--api URL``) or in-process (``--app``): the ASGI app from
``search_api.app.create_app`` behind ``httpx.ASGITransport``, its lifespan (startup and
shutdown) run as a server would, so the requests take the same code path the API serves.
At most `concurrency` (4) queries are in flight at once.

A run is ``{qid: {docid: score}}`` with score ``1/rank``: ir_measures orders by score, and the
API's own scores may tie, which would let a tie-break reorder what the API returned.

Hybrid queries are sent with ``explain=true`` (docs/contract.md: each leg's rank and score per hit), so
each hit's legs are kept: ``{qid: {docid: {leg: rank in that leg}}}``, which tells whether BM25,
the vector leg or both brought it. The ranking itself does not change with ``explain``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from relevance.errors import ApiError
from relevance.judgments import Queries
from relevance.metrics import Run, top_k

ASGIApp = Callable[..., Any]
Legs = dict[str, dict[str, dict[str, int]]]  # qid -> docid -> leg ("bm25", "vector") -> rank in it
Hit = tuple[str, dict[str, int]]  # doc id, its rank in each leg (empty without explain)

MODES = ("bm25", "vector", "hybrid")
MAX_SIZE = 50  # docs/contract.md: size is at most 50
CONCURRENCY = 4
TIMEOUT_S = 60.0
RETRIES_503 = 3  # docs/contract.md: 503 with Retry-After while the cluster is unreachable
MAX_RETRY_WAIT_S = 10.0
APP_STARTUP_TIMEOUT_S = 300.0  # the app may load an embedding model at startup
IN_PROCESS_URL = "http://in-process"


# ---- turning a response into a ranking


def ranked_scores(ids: Iterable[str]) -> dict[str, float]:
    """Strictly decreasing scores 1/rank in the API's order; a repeated id keeps its first rank."""
    scores: dict[str, float] = {}
    for rank, docid in enumerate(ids, start=1):
        scores.setdefault(docid, 1.0 / rank)
    return scores


def hit_ids(payload: Any, doc_type: str) -> list[str]:
    """The ids of `payload[doc_type]["hits"]`, in order; ValueError if the shape is not the contract's."""
    try:
        hits = payload[doc_type]["hits"]
        if not isinstance(hits, list):
            raise TypeError
        return [str(hit["id"]) for hit in hits]
    except (KeyError, TypeError, IndexError):
        raise ValueError(f"the response has no {doc_type}.hits list of objects with an id") from None


def hit_legs(hit: Any) -> dict[str, int]:
    """{leg: rank} from a hit's `explain.legs` (docs/contract.md: explain); empty when absent."""
    legs = hit.get("explain", {}).get("legs", {}) if isinstance(hit, dict) else {}
    if not isinstance(legs, dict):
        return {}
    out: dict[str, int] = {}
    for leg, info in legs.items():
        if isinstance(info, dict) and isinstance(info.get("rank"), int):
            out[str(leg)] = info["rank"]
    return out


def hits_of(payload: Any, doc_type: str) -> list[Hit]:
    """(id, legs) for each hit of `payload[doc_type]["hits"]`, in order."""
    ids = hit_ids(payload, doc_type)
    return [(docid, hit_legs(hit)) for docid, hit in zip(ids, payload[doc_type]["hits"], strict=True)]


# ---- one query


def _error_message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _retry_wait(response: httpx.Response, attempt: int) -> float:
    try:
        wait = float(response.headers.get("Retry-After", ""))
    except ValueError:
        wait = 2.0**attempt
    return min(max(wait, 0.0), MAX_RETRY_WAIT_S)


async def search_hits(
    client: httpx.AsyncClient, qid: str, query: str, doc_type: str, mode: str, size: int
) -> list[Hit]:
    """Ranked hits for one query; every failure is an ApiError naming the query."""
    params = {"q": query, "type": doc_type, "mode": mode, "size": str(size)}
    if mode == "hybrid":
        params["explain"] = "true"  # which leg brought each hit
    for attempt in range(RETRIES_503 + 1):
        try:
            response = await client.get("/v1/search", params=params)
        except httpx.ConnectError as exc:
            raise ApiError(f"cannot reach the search API at {client.base_url}: {exc}") from None
        except httpx.TimeoutException:
            raise ApiError(f"query {qid}: the search API did not answer in {TIMEOUT_S:.0f} s") from None
        except httpx.HTTPError as exc:
            raise ApiError(f"query {qid}: {type(exc).__name__}: {exc}") from None
        except Exception as exc:  # in-process, the app's own exception arrives here
            raise ApiError(f"query {qid}: the app raised {type(exc).__name__}: {exc}") from None
        if response.status_code == 503 and attempt < RETRIES_503:
            await asyncio.sleep(_retry_wait(response, attempt))
            continue
        return _ids_from(response, qid, query, doc_type)
    raise AssertionError("unreachable")  # the last attempt always returns or raises


def _ids_from(response: httpx.Response, qid: str, query: str, doc_type: str) -> list[Hit]:
    status = response.status_code
    if status in (401, 403):
        raise ApiError(
            f"the search API refused the request (HTTP {status}: {_error_message(response)}); "
            "pass the key with --header, or run the API with ALLOW_ANONYMOUS=true"
        )
    if status != 200:
        raise ApiError(f"query {qid} ({query[:60]!r}): HTTP {status}: {_error_message(response)}")
    try:
        return hits_of(response.json(), doc_type)
    except ValueError as exc:
        raise ApiError(f"query {qid}: unexpected response: {exc}") from None


# ---- a whole query set


async def run_queries(
    client: httpx.AsyncClient,
    queries: Queries,
    doc_type: str,
    mode: str,
    size: int = 10,
    concurrency: int = CONCURRENCY,
) -> tuple[Run, Legs]:
    """{qid: {docid: 1/rank}} for every query, and the legs of the hits that reported them;
    the first failure stops the run."""
    limit = asyncio.Semaphore(concurrency)
    found: dict[str, list[Hit]] = {}

    async def one(qid: str, query: str) -> None:
        async with limit:
            found[qid] = await search_hits(client, qid, query, doc_type, mode, size)

    try:
        async with asyncio.TaskGroup() as group:
            for qid, query in queries.items():
                group.create_task(one(qid, query))
    except* ApiError as failed:
        raise failed.exceptions[0] from None
    run = {qid: ranked_scores(docid for docid, _ in found[qid]) for qid in queries}
    legs = {qid: {docid: by_leg for docid, by_leg in found[qid] if by_leg} for qid in queries}
    return run, {qid: docs for qid, docs in legs.items() if docs}


# ---- clients


@asynccontextmanager
async def http_client(api: str, headers: Mapping[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api, headers=dict(headers), timeout=TIMEOUT_S) as client:
        yield client


def load_app() -> ASGIApp:
    """The API's ASGI app, built only when --app asks for it."""
    # relevance may use search_api (docs/architecture.md: the tools sit above the services); the
    # import is here so that runs over HTTP (--api) never load the app and its dependencies
    from search_api.app import create_app

    try:
        app: ASGIApp = create_app()
        return app
    except Exception as exc:  # settings or wiring errors: report, don't trace back
        raise ApiError(f"--app: create_app() failed: {type(exc).__name__}: {exc}") from None


@asynccontextmanager
async def app_client(app: ASGIApp, headers: Mapping[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """A client wired to `app` in-process, inside the app's lifespan (as uvicorn runs it)."""
    from asgi_lifespan import LifespanManager

    manager = LifespanManager(app, startup_timeout=APP_STARTUP_TIMEOUT_S, shutdown_timeout=30)
    try:
        await manager.__aenter__()
    except Exception as exc:
        raise ApiError(f"--app: the app failed to start: {type(exc).__name__}: {exc}") from None
    try:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url=IN_PROCESS_URL, headers=dict(headers), timeout=TIMEOUT_S
        ) as client:
            yield client
    finally:
        await manager.__aexit__(None, None, None)


@dataclass
class Collected:
    """One run per mode, the legs of the modes whose hits reported them, seconds per mode."""

    runs: dict[str, Run] = field(default_factory=dict)
    legs: dict[str, Legs] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


async def _collect(client_cm: Any, queries: Queries, doc_type: str, modes: Sequence[str], size: int) -> Collected:
    collected = Collected()
    async with client_cm as client:
        for mode in modes:
            started = time.monotonic()
            run, legs = await run_queries(client, queries, doc_type, mode, size)
            collected.seconds[mode] = round(time.monotonic() - started, 3)
            collected.runs[mode] = run
            if legs:
                collected.legs[mode] = legs
    return collected


def collect(
    queries: Queries,
    doc_type: str,
    modes: Sequence[str],
    size: int,
    api: str | None = None,
    app: ASGIApp | None = None,
    headers: Mapping[str, str] | None = None,
) -> Collected:
    """One run per mode (and the hybrid legs), over HTTP to `api` or in-process through `app`."""
    if (api is None) == (app is None):
        raise ValueError("give exactly one of api and app")
    headers = headers or {}
    client_cm = app_client(app, headers) if app is not None else http_client(str(api), headers)
    return asyncio.run(_collect(client_cm, queries, doc_type, modes, size))


def collect_runs(
    queries: Queries,
    doc_type: str,
    modes: Sequence[str],
    size: int,
    api: str | None = None,
    app: ASGIApp | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Run]:
    """One run per mode, over HTTP to `api` or in-process through `app`."""
    return collect(queries, doc_type, modes, size, api, app, headers).runs


def write_trec_run(path: Path, run: Run, tag: str, k: int | None = None) -> None:
    """TREC run format: `qid Q0 docid rank score tag`, ranks from 1."""
    lines = []
    for qid, scores in run.items():
        for rank, docid in enumerate(top_k(scores, k or len(scores)), start=1):
            lines.append(f"{qid} Q0 {docid} {rank} {scores[docid]:.6f} {tag}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
