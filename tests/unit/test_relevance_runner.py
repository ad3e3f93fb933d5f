"""What `relevance.runner` promises: one run per mode from the contract's search response (docs/contract.md), in the
API's order even when its scores tie, at most 4 requests in flight, the app's lifespan run
in-process, and an ApiError (never a raw exception) for every failure."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from relevance.errors import ApiError
from relevance.runner import collect, collect_runs, hit_ids, hit_legs, ranked_scores, write_trec_run


def fake_search_app(status: int = 200, delay: float = 0.0) -> tuple[Starlette, dict[str, Any]]:
    """A stand-in for the search API: every hit scores 1.0 (all tied); ids name query and mode.
    Its lifespan yields state the handler needs, as the real app's may."""
    seen: dict[str, Any] = {"in_flight": 0, "max_in_flight": 0, "started": False, "stopped": False}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        seen["started"] = True
        yield {"ready": True}
        seen["stopped"] = True

    async def search(request: Request) -> JSONResponse:
        assert request.state.ready  # lifespan state reached the request
        seen["in_flight"] += 1
        seen["max_in_flight"] = max(seen["max_in_flight"], seen["in_flight"])
        await asyncio.sleep(delay)
        seen["in_flight"] -= 1
        if status != 200:
            return JSONResponse({"error": {"code": "bad", "message": "q is too long"}}, status_code=status)
        p = request.query_params
        ids = [f"{p['q']}-{p['mode']}-{i}" for i in range(int(p["size"]))]
        hits = [{"id": i, "score": 1.0} for i in ids]
        return JSONResponse({"query": p["q"], "mode": p["mode"], p["type"]: {"total": len(hits), "hits": hits}})

    return Starlette(routes=[Route("/v1/search", search)], lifespan=lifespan), seen


def test_tied_api_scores_become_strictly_decreasing_in_the_api_order() -> None:
    assert ranked_scores(["b", "a", "c", "a"]) == {"b": 1.0, "a": 0.5, "c": 1 / 3}


def test_hit_ids_follow_the_spec_response_shape() -> None:
    payload = {"passages": {"total": 2, "hits": [{"id": "x", "score": 2}, {"id": "y", "score": 2}]}}

    assert hit_ids(payload, "passages") == ["x", "y"]
    with pytest.raises(ValueError, match=r"providers\.hits"):
        hit_ids(payload, "providers")


def test_in_process_runs_one_ranking_per_mode_within_the_app_lifespan() -> None:
    app, seen = fake_search_app()
    queries = {"q1": "anxiety", "q2": "grief"}

    runs = collect_runs(queries, "providers", ["bm25", "vector"], size=3, app=app)

    assert set(runs) == {"bm25", "vector"}
    assert list(runs["bm25"]["q2"].items()) == [("grief-bm25-0", 1.0), ("grief-bm25-1", 0.5), ("grief-bm25-2", 1 / 3)]
    assert seen["started"] and seen["stopped"]


def test_no_more_than_four_requests_are_in_flight() -> None:
    app, seen = fake_search_app(delay=0.01)
    queries = {f"q{i}": f"query {i}" for i in range(20)}

    collect_runs(queries, "passages", ["hybrid"], size=1, app=app)

    assert seen["max_in_flight"] == 4


def test_an_api_error_names_the_query_and_the_message() -> None:
    app, _ = fake_search_app(status=422)

    with pytest.raises(ApiError, match=r"query q1 \('anxiety'\): HTTP 422: q is too long"):
        collect_runs({"q1": "anxiety"}, "passages", ["bm25"], size=10, app=app)


def test_a_refused_key_says_how_to_pass_one() -> None:
    app, _ = fake_search_app(status=401)

    with pytest.raises(ApiError, match="--header"):
        collect_runs({"q1": "anxiety"}, "passages", ["bm25"], size=10, app=app)


def test_an_unreachable_api_is_an_api_error(unused_port: int) -> None:
    with pytest.raises(ApiError, match="cannot reach the search API"):
        collect_runs({"q1": "x"}, "passages", ["bm25"], size=10, api=f"http://127.0.0.1:{unused_port}")


def test_runs_are_written_in_trec_format(tmp_path: Path) -> None:
    write_trec_run(tmp_path / "r.run", {"q1": ranked_scores(["d2", "d1"])}, tag="bm25")

    assert (tmp_path / "r.run").read_text() == "q1 Q0 d2 1 1.000000 bm25\nq1 Q0 d1 2 0.500000 bm25\n"


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_hybrid_asks_for_explain_and_keeps_each_hits_legs_other_modes_do_not() -> None:
    asked: list[str | None] = []

    async def search(request: Request) -> JSONResponse:
        p = request.query_params
        asked.append(p.get("explain"))
        hits: list[dict[str, Any]] = [{"id": "a", "score": 1.0}, {"id": "b", "score": 0.5}]
        if p.get("explain") == "true":
            hits[0]["explain"] = {"legs": {"bm25": {"rank": 3, "score": 2.0}, "vector": {"rank": 1, "score": 0.9}}}
            hits[1]["explain"] = {"legs": {"vector": {"rank": 2, "score": 0.8}}}
        return JSONResponse({p["type"]: {"total": 2, "hits": hits}})

    app = Starlette(routes=[Route("/v1/search", search)])

    collected = collect({"q1": "grief"}, "passages", ["bm25", "hybrid"], size=2, app=app)

    assert asked == [None, "true"]
    assert collected.legs == {"hybrid": {"q1": {"a": {"bm25": 3, "vector": 1}, "b": {"vector": 2}}}}
    assert list(collected.runs["hybrid"]["q1"]) == ["a", "b"]
    assert set(collected.seconds) == {"bm25", "hybrid"}


def test_malformed_explain_is_ignored_not_fatal() -> None:
    assert hit_legs({"id": "a", "explain": {"legs": {"bm25": {"rank": "first"}}}}) == {}
    assert hit_legs({"id": "a", "explain": {"legs": []}}) == {}
    assert hit_legs({"id": "a"}) == {}
