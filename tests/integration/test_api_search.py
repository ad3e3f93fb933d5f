"""`/v1/search` against the real engine and the real model (docs/contract.md: Search API v1): every
parameter on GET and POST, validation, filters on both legs in every mode, kNN that does
not come back short, `type`, `explain`, stable pages, `took_ms`, and the crisis block."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.engines import SyncEngine
from core.settings import Settings
from tests.app_log import captured_app_log
from tests.integration.api_fixtures import assert_invalid

pytestmark = pytest.mark.asyncio(loop_scope="module")

MODES = ("bm25", "vector", "hybrid")
PROVIDER_HIT_KEYS = {"id", "name", "credentials", "specialties", "city", "state", "remote_only", "score", "highlights"}
PASSAGE_HIT_KEYS = {"id", "title", "guide", "snippet", "text", "url", "score", "highlights"}


async def search(client: httpx.AsyncClient, method: str = "GET", **params: Any) -> httpx.Response:
    if method == "GET":
        return await client.get("/v1/search", params=params)
    return await client.post("/v1/search", json=params)


async def ok(client: httpx.AsyncClient, method: str = "GET", **params: Any) -> dict[str, Any]:
    response = await search(client, method, **params)
    assert response.status_code == 200, response.text[:500]
    assert "Traceback" not in response.text
    body: dict[str, Any] = response.json()
    return body


def ids(result: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


def page(offset: int) -> dict[str, Any]:
    return {"from": offset}


def without_timings(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "took_ms"}


def engine_count(cluster: SyncEngine, corpus: Settings, filters: list[dict[str, Any]]) -> int:
    found = cluster.request("POST", f"/{corpus.providers_alias}/_count", {"query": {"bool": {"filter": filters}}})
    return int(found["count"])


@pytest.fixture(scope="module")
def target(cluster: SyncEngine, corpus: Settings) -> dict[str, Any]:
    """A stored provider with a place and every list filled, to build every filter from."""
    must = [
        {"exists": {"field": f}}
        for f in (
            "location",
            "zip",
            "city",
            "state",
            "credentials",
            "languages",
            "insurance",
            "ages_served",
            "therapy_types",
            "specialties",
        )
    ]
    body = {
        "size": 1,
        "sort": [{"id": "asc"}],
        "_source": {"excludes": ["embedding"]},
        "query": {
            "bool": {"filter": [*must, {"term": {"telehealth": True}}, {"term": {"accepting_new_clients": True}}]}
        },
    }
    hits = cluster.request("POST", f"/{corpus.providers_alias}/_search", body)["hits"]["hits"]
    assert hits, "the demo corpus has no provider with every field filled"
    source: dict[str, Any] = hits[0]["_source"]
    return source


def every_parameter(target: dict[str, Any], mode: str) -> dict[str, Any]:
    """Every parameter of docs/contract.md, each chosen so that `target` matches them all."""
    return {
        "q": target["name"],
        "type": "all",
        "mode": mode,
        "size": 5,
        "from": 0,
        "state": target["state"],
        "city": target["city"],
        "zip": target["zip"],
        "lat": target["location"]["lat"],
        "lon": target["location"]["lon"],
        "radius_km": 2,
        "remote": True,
        "telehealth": True,
        "accepting": True,
        "specialty": [target["specialties"][0], "Grief"],
        "credential": [target["credentials"][0]],
        "language": [target["languages"][0]],
        "insurance": [target["insurance"][0]],
        "age_group": [target["ages_served"][0]],
        "therapy_type": [target["therapy_types"][0]],
        "explain": True,
    }


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("mode", MODES)
async def test_every_parameter_is_accepted_on_get_and_post_and_applied(
    client: httpx.AsyncClient, target: dict[str, Any], mode: str
) -> None:
    params = every_parameter(target, mode)
    got = await ok(client, "GET", **params)
    posted = await ok(client, "POST", **params)
    assert without_timings(got) == without_timings(posted)
    assert got["mode"] == mode and got["query"] == target["name"]
    assert target["id"] in ids(got["providers"])
    for hit in got["providers"]["hits"]:
        assert hit["state"] == target["state"] and hit["city"] == target["city"]
        assert hit["distance_km"] <= 2
        assert "explain" in hit
    assert "passages" in got  # filters are about providers; the guide answers still come


async def test_get_and_post_give_the_same_results(client: httpx.AsyncClient) -> None:
    params = {"q": "help with panic attacks", "size": 7, "specialty": ["Panic Disorder", "Anxiety"]}
    assert without_timings(await ok(client, "GET", **params)) == without_timings(await ok(client, "POST", **params))


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"size": 51}, "size"),
        ({"size": -1}, "size"),
        ({"size": "ten"}, "size"),
        ({"from": -1}, "from"),
        ({"from": 100000}, "from"),
        ({"mode": "fuzzy"}, "mode"),
        ({"type": "doctors"}, "type"),
        ({"lat": 91, "lon": 0}, "lat"),
        ({"lat": 10, "lon": -181}, "lon"),
        ({"radius_km": 0, "lat": 1, "lon": 1}, "radius_km"),
        ({"zip": "9021"}, "zip"),
        ({"remote": "perhaps"}, "remote"),
        ({"explain": "maybe"}, "explain"),
        ({"specialty": ["x"] * 21}, "specialty"),
        ({"specialty": [""]}, "specialty"),
        ({"colour": "blue"}, "colour"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "a" * 501}, "q"),
    ],
)
async def test_bad_parameters_are_422_naming_the_parameter(
    client: httpx.AsyncClient, method: str, params: dict[str, Any], parameter: str
) -> None:
    response = await search(client, method, **{"q": "anxiety", **params})
    assert_invalid(response, parameter)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"lat": 40.7}, "lat"),
        ({"lon": -74.0}, "lon"),
        ({"radius_km": 10}, "radius_km"),
        ({"radius_km": 10, "lat": 40.7}, "lon"),
    ],
)
async def test_incomplete_geo_filters_are_422(
    client: httpx.AsyncClient, method: str, params: dict[str, Any], named: str
) -> None:
    error = assert_invalid(await search(client, method, q="anxiety", **params))
    assert named.split("_")[0] in error["message"]


async def test_q_is_required(client: httpx.AsyncClient) -> None:
    assert_invalid(await client.get("/v1/search"), "q")
    assert_invalid(await client.post("/v1/search", json={"size": 3}), "q")


async def test_repeatable_filters_take_any_of_their_values(client: httpx.AsyncClient) -> None:
    both = await client.get(
        "/v1/search?q=therapy&mode=vector&type=providers&size=50&specialty=Anxiety&specialty=Depression"
    )
    assert both.status_code == 200, both.text
    hits = both.json()["providers"]["hits"]
    assert hits
    assert all({"Anxiety", "Depression"} & set(h["specialties"]) for h in hits)
    assert {"Anxiety", "Depression"} <= {s for h in hits for s in h["specialties"]}
    one = await ok(client, q="therapy", mode="vector", type="providers", size=50, specialty=["Anxiety"])
    assert both.json()["providers"]["total"] >= one["providers"]["total"] > 0
    assert all("Anxiety" in h["specialties"] for h in one["providers"]["hits"])


# ------------------------------------------------------------------ filters on both legs


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("name", "value", "check"),
    [
        ("state", "California", lambda hit: hit["state"] == "California"),
        ("specialty", ["Depression"], lambda hit: "Depression" in hit["specialties"]),
        ("telehealth", False, lambda hit: hit["telehealth"] is False),
    ],
)
async def test_every_hit_respects_the_filters_in_every_mode(
    client: httpx.AsyncClient, mode: str, name: str, value: Any, check: Any
) -> None:
    for q in ("therapist for depression and anxiety", "couples counseling"):
        body = await ok(client, q=q, mode=mode, type="providers", size=50, **{name: value})
        hits = body["providers"]["hits"]
        assert hits, (q, mode)
        bad = [hit["id"] for hit in hits if not check(hit)]
        assert not bad, f"{mode}: hits outside {name}={value}: {bad}"


@pytest.mark.parametrize("mode", MODES)
async def test_a_place_understood_from_the_query_filters_both_legs(client: httpx.AsyncClient, mode: str) -> None:
    body = await ok(client, q="anxiety therapist in California", mode=mode, type="providers", size=50)
    assert body["interpreted"]["state"] == "California"
    hits = body["providers"]["hits"]
    assert hits and all(hit["state"] == "California" for hit in hits)


async def test_knn_does_not_come_back_short_under_a_filter(
    client: httpx.AsyncClient, cluster: SyncEngine, corpus: Settings
) -> None:
    # the state with the fewest providers that still has at least 10
    aggs = cluster.request(
        "POST",
        f"/{corpus.providers_alias}/_search",
        {"size": 0, "aggs": {"s": {"terms": {"field": "state", "size": 100}}}},
    )
    counts = {b["key"]: b["doc_count"] for b in aggs["aggregations"]["s"]["buckets"] if b["doc_count"] >= 10}
    state = min(counts, key=lambda s: counts[s])
    body = await ok(
        client, q="someone to talk to about my marriage", mode="vector", type="providers", size=10, state=state
    )
    assert len(body["providers"]["hits"]) == 10
    # every matching provider is in the vector list (the window is larger than the state)
    everyone = await ok(
        client, q="someone to talk to about my marriage", mode="vector", type="providers", size=50, state=state
    )
    assert everyone["providers"]["total"] == engine_count(cluster, corpus, [{"term": {"state": state}}])
    # and a filter on a list field with a stricter selection
    filters = [{"term": {"state": state}}, {"term": {"accepting_new_clients": True}}]
    expected = engine_count(cluster, corpus, filters)
    narrow = await ok(client, q="grief", mode="vector", type="providers", size=50, state=state, accepting=True)
    assert len(narrow["providers"]["hits"]) == min(expected, 50)


# ------------------------------------------------------------------ response shape


async def test_type_selects_the_lists(client: httpx.AsyncClient) -> None:
    both = await ok(client, q="how is depression treated")
    assert "providers" in both and "passages" in both
    providers = await ok(client, q="how is depression treated", type="providers")
    assert "providers" in providers and "passages" not in providers
    passages = await ok(client, q="how is depression treated", type="passages")
    assert "passages" in passages and "providers" not in passages
    assert passages["passages"]["hits"]


async def test_hits_have_the_spec_fields_and_never_the_embedding(client: httpx.AsyncClient) -> None:
    body = await ok(client, q="trauma therapist who does EMDR", size=5)
    assert {"query", "mode", "interpreted", "crisis", "providers", "passages", "took_ms"} <= set(body)
    assert body["providers"]["hits"] and body["passages"]["hits"]
    assert isinstance(body["providers"]["total"], int) and isinstance(body["providers"]["facets"], dict)
    for hit in body["providers"]["hits"]:
        assert set(hit) >= PROVIDER_HIT_KEYS, PROVIDER_HIT_KEYS - set(hit)
        assert "explain" not in hit
    for hit in body["passages"]["hits"]:
        assert set(hit) >= PASSAGE_HIT_KEYS, PASSAGE_HIT_KEYS - set(hit)
    assert not [hit for kind in ("providers", "passages") for hit in body[kind]["hits"] if "embedding" in hit]


@pytest.mark.parametrize("mode", MODES)
async def test_explain_gives_each_legs_rank_and_score_and_the_fused_score(client: httpx.AsyncClient, mode: str) -> None:
    body = await ok(client, q="anxiety and panic attacks", mode=mode, explain=True, size=10)
    expected_legs = {"bm25", "vector"} if mode == "hybrid" else {mode}
    seen_legs: set[str] = set()
    for kind in ("providers", "passages"):
        hits = body[kind]["hits"]
        assert hits
        for hit in hits:
            explain = hit["explain"]
            assert isinstance(explain["fused_score"], float)
            assert explain["fused_score"] == pytest.approx(hit["score"])
            assert explain["legs"] and set(explain["legs"]) <= expected_legs
            for leg in explain["legs"].values():
                assert isinstance(leg["rank"], int) and leg["rank"] >= 1
                assert isinstance(leg["score"], float)
            seen_legs |= set(explain["legs"])
    assert seen_legs == expected_legs


@pytest.mark.parametrize("mode", MODES)
async def test_pages_are_stable_and_disjoint(client: httpx.AsyncClient, mode: str) -> None:
    q = "my teenager is anxious and won't go to school"
    first = await ok(client, q=q, mode=mode, size=5, **page(0))
    second = await ok(client, q=q, mode=mode, size=5, **page(5))
    whole = await ok(client, q=q, mode=mode, size=10, **page(0))
    for kind in ("providers", "passages"):
        a, b = ids(first[kind]), ids(second[kind])
        assert len(a) == 5 and len(b) == 5
        assert not set(a) & set(b)
        assert a + b == ids(whole[kind]), kind
        assert first[kind]["total"] == second[kind]["total"] == whole[kind]["total"]


async def test_a_page_past_the_end_is_empty_not_an_error(client: httpx.AsyncClient) -> None:
    body = await ok(client, q="anxiety", mode="bm25", size=50, **page(500))
    assert body["providers"]["hits"] == [] and body["passages"]["hits"] == []
    assert (await ok(client, q="anxiety", size=0))["providers"]["hits"] == []


@pytest.mark.parametrize(
    ("mode", "stages"),
    [
        ("hybrid", {"embedding", "search", "fusion", "total"}),
        ("vector", {"embedding", "search", "fusion", "total"}),
        ("bm25", {"search", "fusion", "total"}),
    ],
)
async def test_took_ms_has_each_stage(client: httpx.AsyncClient, mode: str, stages: set[str]) -> None:
    took = (await ok(client, q="grief counselling", mode=mode))["took_ms"]
    assert stages <= set(took), took
    assert all(isinstance(v, int | float) and v >= 0 for v in took.values())
    assert took["total"] >= took["search"]


# ------------------------------------------------------------------ crisis


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "hybrid"},
        {"mode": "bm25", "type": "providers"},
        {"mode": "vector", "type": "passages"},
        {"interpret": False},
    ],
)
async def test_a_crisis_query_gets_the_crisis_block_and_still_results(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    body = await ok(client, q="I want to kill myself", **params)
    crisis = body["crisis"]
    assert crisis and crisis["message"]
    numbers = " ".join(str(r.get(k)) for r in crisis["resources"] for k in ("phone", "sms"))
    for number in ("988", "741741", "911"):
        assert number in numbers
    assert all(r["name"] for r in crisis["resources"])
    lists = [body[k]["hits"] for k in ("providers", "passages") if k in body]
    assert lists and all(lists), "the results are still shown below the crisis block"


@pytest.mark.parametrize("params", [{"mode": "hybrid"}, {"mode": "bm25"}, {"mode": "vector"}, {"interpret": False}])
async def test_abuse_gets_its_own_line_and_its_specialists_first_in_every_mode(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    with captured_app_log() as log:
        body = await ok(client, q="my husband hits me", type="providers", **params)
    crisis = body["crisis"]
    assert [s["id"] for s in crisis["situations"]] == ["partner_violence"]
    assert crisis["resources"][0]["phone"] == "1-800-799-7233"
    assert "my husband hits me" not in log.getvalue(), "a risk query is logged only as a hash"
    hits = body["providers"]["hits"]
    treats = [bool({"Domestic Abuse", "Physical Assault", "Trauma"} & set(h["specialties"])) for h in hits]
    assert treats[0], "the first provider treats abuse, assault or trauma"
    assert treats == sorted(treats, reverse=True), "no provider without the specialty outranks one with it"


async def test_an_ordinary_query_has_no_crisis_block(client: httpx.AsyncClient) -> None:
    for q in ("anxiety therapist in Texas", "self harm therapist", "grief after my dad died"):
        body = await ok(client, q=q)
        assert body["crisis"] is None, q


async def test_facets_count_every_fused_provider_once_per_value(client: httpx.AsyncClient) -> None:
    """Facets count over the whole fused list a caller can page through (not only the page):
    checked against each provider's stored document."""
    # one window for every page, so that every page comes from the same fused list
    query = {"q": "grief after losing my mother", "type": "providers", "size": 50, "window": 200}
    first = await ok(client, **query)
    total = first["providers"]["total"]
    assert 50 < total <= 200
    ids: list[str] = []
    for offset in range(0, total, 50):
        ids += [hit["id"] for hit in (await ok(client, **query, **page(offset)))["providers"]["hits"]]
    assert len(ids) == total == len(set(ids))
    documents = [(await client.get(f"/v1/providers/{doc_id}")).json() for doc_id in ids]
    facets = first["providers"]["facets"]
    for name in ("specialties", "credentials", "languages", "insurance", "ages_served", "therapy_types"):
        counts: dict[str, int] = {}
        for document in documents:
            for value in set(document.get(name) or []):
                counts[value] = counts.get(value, 0) + 1
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        assert [(f["value"], f["count"]) for f in facets[name]] == expected, name
    for flag in ("remote_only", "telehealth", "accepting_new_clients"):
        assert facets[flag] == sum(1 for document in documents if document.get(flag)), flag
