"""Hostile and odd input against the real engine: empty, huge, binary, emoji, control
characters, right-to-left text, JSON and query syntax get 200 or 422, never a 500 and never
a stack trace (docs/contract.md: Errors). Ends with a seeded fuzz run over /v1/search and /v1/suggest."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest

from tests.integration.api_fixtures import assert_error

pytestmark = pytest.mark.asyncio(loop_scope="module")

ODD_QUERIES = [
    "title:(a OR",
    "*",
    "?",
    "\\",
    "/",
    "//",
    "/.*/",
    "a AND OR NOT",
    "name:* AND specialties:[a TO z]",
    "anxiety~2^5",
    '"unclosed phrase',
    "(((((",
    ")))))",
    '+-&&||!(){}[]^"~*?:\\/',
    "a" * 500,
    '{"query": {"match_all": {}}}',
    "[1, 2, 3]",
    "null",
    '{"q": "anxiety", "size": 1000}',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00%ff",
    "😀",
    "I'm 😢 and anxious 🙏🏽",
    "👨‍👩‍👧‍👦" * 50,
    "😀" * 500,
    "\x01\x02\x7f\x1b[31m",
    "tab\tand\nnewline",
    "اضطراب القلق",
    "טיפול בחרדה",
    "e\u0301" * 200,
    "\u200b\u200e\u202e",
    "\ufffd",
    "ｆｕｌｌ ｗｉｄｔｈ",
    "anxiety " * 60,
]
EMPTY_QUERIES = ["", " ", "\t\n", "\u3000", "a" * 501, "a\x00b"]


def check(response: httpx.Response, q: str | None = None) -> None:
    """200 with a sane body, or 422 in the error shape; never a 500 or a stack trace."""
    assert response.status_code in (200, 422), (response.status_code, response.text[:500])
    assert "Traceback" not in response.text and 'File "' not in response.text
    if response.status_code == 422:
        assert_error(response, 422)
        return
    body = response.json()
    if q is not None:
        assert body["query"] == q.strip()


@pytest.mark.parametrize("q", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
async def test_odd_queries_are_answered(client: httpx.AsyncClient, q: str) -> None:
    got = await client.get("/v1/search", params={"q": q})
    check(got, q)
    assert got.status_code == 200, got.text[:300]  # each is a legal query of at most 500 characters
    body = got.json()
    assert "providers" in body and "passages" in body
    check(await client.post("/v1/search", json={"q": q, "mode": "bm25", "explain": True}), q)
    check(await client.get("/v1/suggest", params={"q": q[:100]}))


@pytest.mark.parametrize("q", EMPTY_QUERIES, ids=range(len(EMPTY_QUERIES)))
async def test_empty_overlong_and_nul_queries_are_422(client: httpx.AsyncClient, q: str) -> None:
    for response in (
        await client.get("/v1/search", params={"q": q}),
        await client.post("/v1/search", json={"q": q, "mode": "vector"}),
    ):
        assert_error(response, 422, "invalid_parameter")
    if len(q) <= 100:
        assert (await client.get("/v1/suggest", params={"q": q})).status_code in (200, 422)


@pytest.mark.parametrize(
    "raw",
    [
        "q=%FF%FE%FD",
        "q=%ED%A0%80",
        "q=%C3%28",
        "q=%F0%9F%98",
        "q=%25%25%25",
        "q=%",
        "q=%zz",
        "q=a&q=b&q=",
        "q=anxiety&size=%00",
        "q=anxiety&specialty=%FF",
        "q=anxiety&lat=1e999&lon=0",
        "q=anxiety&lat=NaN&lon=0",
        "q=anxiety&size=99999999999999999999999",
        "q=anxiety&from=0x10",
        "q=anxiety&explain=%F0%9F%98%80",
        "q=anxiety&" + "&".join(f"specialty=s{i}" for i in range(21)),
        "=&&=&q=anxiety",
        "q[]=anxiety",
    ],
)
async def test_binary_and_malformed_query_strings(client: httpx.AsyncClient, raw: str) -> None:
    check(await client.get(f"/v1/search?{raw}"))
    check(await client.get(f"/v1/suggest?{raw}"))


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "application/json"),
        (b"\xff\xfe\x00\x01binary", "application/json"),
        (bytes(range(256)), "application/octet-stream"),
        (b"q=anxiety", "application/x-www-form-urlencoded"),
        (b"anxiety", "text/plain"),
        (b'{"q": "anxiety"', "application/json"),
        (b'{"q": "anxiety"} trailing', "application/json"),
        (b'{"q": "\\ud800"}', "application/json"),
        (b'{"q": "anxiety", "q": ""}', "application/json"),
        (b"[" * 10_000 + b"]" * 10_000, "application/json"),
        (b'{"q": "' + b"a" * 2_000_000 + b'"}', "application/json"),
        (json.dumps({"q": "anxiety", "size": 1e400}).encode(), "application/json"),
        (b'{"q": "anxiety", "size": NaN}', "application/json"),
        (b'{"q": "anxiety", "lat": Infinity, "lon": 0}', "application/json"),
        (b'{"q": "anxiety", "specialty": {"$ne": null}}', "application/json"),
        (b'{"q": {"match_all": {}}}', "application/json"),
        (b'{"q": ["anxiety"]}', "application/json"),
        (b'{"q": 42}', "application/json"),
        (b"null", "application/json"),
        (b"[]", "application/json"),
        (b'"anxiety"', "application/json"),
        # JSON has types, and a body is held to them (a query string cannot be, being text)
        (b'{"q": "anxiety", "bm25_weight": false}', "application/json"),
        (b'{"q": "anxiety", "explain": 1}', "application/json"),
        (b'{"q": "anxiety", "size": "5"}', "application/json"),
        (b'{"q": "anxiety", "telehealth": "yes"}', "application/json"),
    ],
)
async def test_malformed_bodies_are_422(client: httpx.AsyncClient, content: bytes, content_type: str) -> None:
    response = await client.post("/v1/search", content=content, headers={"content-type": content_type})
    assert_error(response, 422)


async def test_a_typed_body_and_its_query_string_twin_are_both_answered(client: httpx.AsyncClient) -> None:
    body = {"q": "anxiety", "mode": "bm25", "size": 3, "bm25_weight": 1, "explain": True, "telehealth": True}
    by_post = await client.post("/v1/search", json=body)
    by_get = await client.get("/v1/search", params={**body, "explain": "true", "telehealth": "true"})
    assert by_post.status_code == by_get.status_code == 200, (by_post.text[:300], by_get.text[:300])
    assert [h["id"] for h in by_post.json()["providers"]["hits"]] == [
        h["id"] for h in by_get.json()["providers"]["hits"]
    ]


# ------------------------------------------------------------------ fuzz

FRAGMENTS: dict[str, list[str]] = {
    "ascii": [
        "anxiety",
        "therapist",
        "near me",
        "my son",
        "couples",
        "EMDR",
        "grief",
        "Texas",
        "LCSW",
        "cbt",
        "insurance aetna",
        "remote",
        "teen",
        "sleep",
        "panic attacks",
        "who takes medicaid",
    ],
    "punctuation": [*"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "...", "--", "&&", "||", "''", '""'],
    "emoji": ["😀", "😢", "🙏🏽", "👨‍👩‍👧", "❤️", "🔥", "🧠", "🇺🇸", "\U0001fae0"],
    "control": ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\t", "\n", "\r"],
    "rtl": ["اضطراب", "القلق", "חרדה", "טיפול", "\u202e", "\u200f", "افسردگی"],
    "unicode": ["é", "e\u0301", "ß", "İ", "ﬁ", "Ω", "日本語", "한국어", "ｆｕｌｌ", "\u3000", "\ufffd", "𝔘𝔫𝔦"],
    "json": ['{"q":', '"size": 9999', "}", "{", "[", "]", "null", "true", '{"$where": "1"}', '\\"', "\\u0000"],
    "lucene": [
        "title:(a OR",
        "*",
        "?",
        "~",
        "~2",
        "^10",
        "AND",
        "OR",
        "NOT",
        "[a TO z]",
        "{1 TO 5}",
        "/re.*/",
        "name:*",
        "_exists_:bio",
        'field:"x"',
        "+anxiety",
        "-depression",
        "(",
        ")",
        ":",
    ],
}


def fuzz_query(rng: random.Random) -> str:
    if rng.random() < 0.08:  # long: around and past the 500-character limit
        return rng.choice(FRAGMENTS["ascii"] + FRAGMENTS["emoji"]) * rng.randint(40, 700)
    kinds = list(FRAGMENTS)
    parts = [rng.choice(FRAGMENTS[rng.choice(kinds)]) for _ in range(rng.randint(1, 6))]
    separators = ["", " ", " ", "  ", "\t"]
    return "".join(part + rng.choice(separators) for part in parts)


def fuzz_extras(rng: random.Random) -> dict[str, Any]:
    """Now and then an odd value for another parameter."""
    if rng.random() > 0.25:
        return {}
    name = rng.choice(["size", "from", "state", "specialty", "lat", "explain", "type", "zip"])
    value = rng.choice(
        [
            "0",
            "1",
            "50",
            "51",
            "-3",
            "1e3",
            "",
            "Texas",
            "Anxiety",
            "😀",
            "true",
            "all",
            "12345",
            "providers",
            "90.0001",
            "null",
        ]
    )
    return {name: value}


async def test_fuzz(client: httpx.AsyncClient) -> None:
    rng = random.Random(20251128)
    statuses: dict[int, int] = {}
    for i in range(200):
        q = fuzz_query(rng)
        target = i % 5
        if target in (0, 1):
            response = await client.get("/v1/suggest", params={"q": q})
        elif target in (2, 3):
            response = await client.get("/v1/search", params={"q": q, "mode": "bm25", **fuzz_extras(rng)})
        else:
            params = {"q": q, "mode": "hybrid", "size": 3, **fuzz_extras(rng)}
            response = await client.post("/v1/search", json=params)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        try:
            check(response)
        except AssertionError as exc:
            raise AssertionError(f"request {i}: q={q!r}: {exc}") from exc
        if response.status_code == 200 and target >= 2:
            assert response.json()["query"] == q.strip()
    assert statuses.get(200, 0) > 100 and statuses.get(422, 0) > 5, statuses
