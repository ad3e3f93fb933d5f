"""Reading the engine's answers: a leg hit's doc values back into the `_source` shape ranking
reads, and an `_msearch` response's error into the exception the app answers with. The bodies
that ask for them are built in query_bodies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.engines import EngineError, EngineUnavailable
from search_api.exceptions import SearchFailed
from search_api.leg_fields import ID_FIELD, PASSAGE_LEG_FIELDS, PROVIDER_LEG_FIELDS, SINGLE_VALUED

DocValues = dict[str, list[Any]]

_PROVIDER_LISTS = [(n, f) for n, f in PROVIDER_LEG_FIELDS.items() if n not in SINGLE_VALUED]
_PROVIDER_SCALARS = [(n, f) for n, f in PROVIDER_LEG_FIELDS.items() if n in SINGLE_VALUED]


def leg_hit(hit: Mapping[str, Any], source_of: Callable[[DocValues], dict[str, Any]]) -> dict[str, Any]:
    """A leg hit as ranking reads it: `_id`, `_index`, `_score` and the `_source` fields
    ranking and facets need, from the doc values `query_bodies.with_leg_fields` asked for."""
    fields = hit.get("fields", {})
    return {
        "_id": fields[ID_FIELD][0],
        "_index": hit["_index"],
        "_score": hit.get("_score"),
        "_source": source_of(fields),
    }


def provider_leg_source(fields: DocValues) -> dict[str, Any]:
    """A provider leg hit's doc values as the `_source` fields ranking reads. Doc values come
    sorted: the primary specialties (the first ones of `specialties`) are put back in front.
    (Runs for every hit of every leg: a few hundred times a query, so it is kept plain.)"""
    source: dict[str, Any] = {name: fields.get(field_name, []) for name, field_name in _PROVIDER_LISTS}
    for name, field_name in _PROVIDER_SCALARS:
        values = fields.get(field_name)
        source[name] = values[0] if values else None
    if source["location"] is not None:
        source["location"] = _point(source["location"])
    primary = source["primary_specialties"]
    if primary:
        source["specialties"] = primary + [s for s in source["specialties"] if s not in primary]
    return source


def _point(value: Any) -> tuple[float, float] | None:
    """A geo_point's doc value: "lat, lon" (OpenSearch) or {"lat", "lon"} (some versions)."""
    if isinstance(value, dict):
        return float(value["lat"]), float(value["lon"])
    if isinstance(value, str) and "," in value:
        lat, lon = value.split(",", 1)
        return float(lat), float(lon)
    return None


def passage_leg_source(fields: DocValues) -> dict[str, Any]:
    return {name: fields.get(field_name, []) for name, field_name in PASSAGE_LEG_FIELDS.items()}


def raise_for(response: Mapping[str, Any]) -> None:
    """One response of an `_msearch`: an error becomes the exception the app maps to a status."""
    if "error" not in response:
        return
    if response.get("status") == 404:  # no such index: not the caller's fault (503 index_missing)
        raise EngineError(404, response["error"])
    if response.get("status") in (429, 502, 503, 504):  # shards starting, or overloaded: a 503
        raise EngineUnavailable(_reason(response["error"]))
    raise SearchFailed(_reason(response["error"]))


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        root = (error.get("root_cause") or [error])[0]
        return f"{root.get('type')}: {root.get('reason')}"[:300]
    return str(error)[:300]
