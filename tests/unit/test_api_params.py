"""The v1 search request model (docs/contract.md: Search API v1): what is accepted, what is refused."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from search_api.params import FILTER_FIELDS, MAX_SIZE, SearchParams


def refused(**values: Any) -> set[str]:
    """The parameters named by the validation errors."""
    with pytest.raises(ValidationError) as info:
        SearchParams.model_validate(values)
    return {".".join(str(p) for p in e["loc"]) or "request" for e in info.value.errors()}


def test_defaults() -> None:
    p = SearchParams.model_validate({"q": "anxiety"})
    assert (p.type.value, p.mode.value, p.size, p.from_, p.explain) == ("all", "hybrid", 10, 0, False)
    assert p.explicit_filters() == {}


def test_every_spec_parameter() -> None:
    values = {
        "q": "  grief  ",
        "type": "providers",
        "mode": "bm25",
        "size": MAX_SIZE,
        "from": 20,
        "state": "Texas",
        "city": "Austin",
        "zip": "78701",
        "lat": 30.27,
        "lon": -97.74,
        "radius_km": 25,
        "remote": "false",
        "telehealth": "true",
        "accepting": True,
        "specialty": ["Grief", "Depression"],
        "credential": ["LCSW"],
        "language": ["Spanish"],
        "insurance": ["Aetna"],
        "age_group": ["Adults"],
        "therapy_type": ["CBT"],
        "gender": ["Female"],
        "faith": ["Jewish"],
        "max_fee": "120",
        "sliding_scale": "true",
        "in_person": "true",
        "available_within_days": 14,
        "explain": "true",
    }
    p = SearchParams.model_validate(values)
    assert p.q == "grief" and p.from_ == 20 and p.remote is False and p.telehealth is True and p.explain
    assert set(p.explicit_filters()) == set(FILTER_FIELDS)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"size": MAX_SIZE + 1}, "size"),
        ({"size": -1}, "size"),
        ({"from": -1}, "from"),
        ({"mode": "semantic"}, "mode"),
        ({"type": "everything"}, "type"),
        ({"lat": 90.5, "lon": 0}, "lat"),
        ({"lat": float("nan"), "lon": 0}, "lat"),
        ({"lat": 0, "lon": float("inf")}, "lon"),
        ({"radius_km": -1, "lat": 0, "lon": 0}, "radius_km"),
        ({"zip": "ABCDE"}, "zip"),
        ({"specialty": ["x"] * 21}, "specialty"),
        ({"specialty": ["a" * 201]}, "specialty.0"),
        ({"unknown": 1}, "unknown"),
        ({"bm25_weight": 1.5}, "bm25_weight"),
    ],
)
def test_bad_values_are_refused_by_name(values: dict[str, Any], named: str) -> None:
    assert named in refused(q="anxiety", **values)


@pytest.mark.parametrize("q", ["", " ", "\n\t", "a" * 501, "nul\x00byte"])
def test_bad_queries(q: str) -> None:
    assert "q" in refused(q=q)


@pytest.mark.parametrize("values", [{"lat": 1.0}, {"lon": 1.0}, {"radius_km": 5}, {"radius_km": 5, "lon": 1.0}])
def test_geo_parameters_go_together(values: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="lat"):
        SearchParams.model_validate({"q": "anxiety", **values})


def test_odd_but_legal_queries_pass() -> None:
    for q in ("title:(a OR", "*", '{"a": 1}', "😀", "اضطراب", "\x01", "a" * 500):
        assert SearchParams.model_validate({"q": q}).q == q


def test_spaces_around_a_value_are_dropped_after_its_length_is_checked_as_the_schema_says() -> None:
    assert SearchParams.model_validate({"q": "  anxiety  ", "specialty": [" Anxiety "]}).q == "anxiety"
    assert SearchParams.model_validate({"q": "x", "zip": " 12345 "}).zip == "12345"
    for too_long in ({"q": "\r" + "a" * 500}, {"q": "x", "state": " " + "C" * 60}):
        with pytest.raises(ValidationError, match="at most"):
            SearchParams.model_validate(too_long)
    with pytest.raises(ValidationError, match="non-space"):
        SearchParams.model_validate({"q": "x", "specialty": ["   "]})
