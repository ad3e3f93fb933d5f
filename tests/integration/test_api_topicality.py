"""Nothing offered as if it matched: a query about something else entirely gets empty lists
(and says so), while short, misspelled and slangy queries about what the directory helps with
keep their results. The sets are in tests/unit/data/; the corpus is the API tests' (generated
providers and the project's guide passages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")
DATA = Path(__file__).resolve().parents[1] / "unit" / "data"


def lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


async def search(client: httpx.AsyncClient, q: str) -> dict[str, Any]:
    response = await client.get("/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_at_most_one_off_topic_query_in_thirty_gets_any_result(client: httpx.AsyncClient) -> None:
    queries = lines("off_topic_queries.txt")
    assert len(queries) >= 30
    shown = []
    for q in queries:
        body = await search(client, q)
        if body["providers"]["hits"] or body["passages"]["hits"]:
            shown.append(q)
        else:
            assert body["off_topic"] is True and body["providers"]["total"] == 0, q
    assert len(shown) <= len(queries) // 30, shown


async def test_every_on_topic_look_alike_keeps_its_results(client: httpx.AsyncClient) -> None:
    queries = lines("on_topic_lookalikes.txt")
    assert len(queries) >= 30
    emptied = []
    for q in queries:
        body = await search(client, q)
        if not (body["providers"]["hits"] and body["passages"]["hits"]) or body["off_topic"]:
            emptied.append(q)
    assert not emptied


async def test_an_off_topic_query_that_signals_a_risk_keeps_the_block_and_its_results(
    client: httpx.AsyncClient,
) -> None:
    body = await search(client, "buy a gun to kill myself")
    assert body["crisis"] and body["off_topic"] is False and body["providers"]["hits"]
