"""Ranking by the practical conditions: how many of the words' conditions a provider meets (when
no provider meets them all), small boosts for sooner openings, lower fees and shorter distances
when the query or the filters make them matter, and the explicit sorts. Pure; reads the leg
hits' doc values (search_api/leg_fields.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from core.geo import haversine_km
from search_api.fusion import Fused
from search_api.params import Sort
from search_api.tuning import Tuning

Source = Mapping[str, Any]
OPENING_HORIZON_DAYS = 31  # an opening further away than this earns nothing
DISTANCE_HORIZON_KM = 50.0


def _has(source: Source, field: str, values: Any) -> bool:
    held = source.get(field)
    wanted = values if isinstance(values, list) else [values]
    if isinstance(held, list):
        return any(v in held for v in wanted)
    return held in wanted


def meets(source: Source, key: str, value: Any) -> bool:
    """Does the provider meet one condition (a filter key and its value)?"""
    if key in ("language", "insurance", "faith"):
        return _has(source, {"language": "languages", "insurance": "insurance", "faith": "faith"}[key], value)
    if key == "gender":
        return _has(source, "gender", value)
    if key == "max_fee":
        fee = source.get("session_fee_min")
        return bool(source.get("sliding_scale")) or (fee is not None and fee <= value)
    if key == "sliding_scale":
        return bool(source.get("sliding_scale")) == bool(value)
    if key == "accepting":
        return bool(source.get("accepting_new_clients")) == bool(value)
    if key == "available_by":
        opening = source.get("next_available")
        return opening is not None and str(opening) <= str(value)
    if key == "in_person":
        return (not source.get("remote_only")) == bool(value) and (not value or source.get("city") is not None)
    return False


def conditions_met(source: Source, conditions: Mapping[str, Any]) -> int:
    return sum(1 for key, value in conditions.items() if meets(source, key, value))


def most_conditions_first(
    fused: list[Fused], sources: Mapping[str, Source], conditions: Mapping[str, Any]
) -> list[Fused]:
    """When no provider meets every condition the words stated, those meeting the most lead;
    within a count, the fused order holds."""
    return sorted(fused, key=lambda e: -conditions_met(sources.get(e.doc_id, {}), conditions))


def _days_until(opening: Any, today: date) -> int | None:
    try:
        return (date.fromisoformat(str(opening)[:10]) - today).days
    except ValueError:
        return None


def practical_boosts(
    sources: Mapping[str, Source],
    filters: Mapping[str, Any],
    today: date,
    tuning: Tuning,
    scale: float = 1.0,
) -> dict[str, dict[str, float]]:
    """Among equally relevant providers: the sooner opening when availability was asked for
    (accepting, an opening by a date), the lower fee when cost was, the nearer when a point was
    given. Each at most its tuning weight, so the need still decides."""
    wants_soon = bool(filters.get("accepting") or filters.get("available_by"))
    wants_cheap = filters.get("max_fee") is not None or bool(filters.get("sliding_scale"))
    origin = (filters["lat"], filters["lon"]) if filters.get("lat") is not None else None
    soon: dict[str, float] = {}
    cheap: dict[str, float] = {}
    near: dict[str, float] = {}
    for doc_id, source in sources.items():
        if wants_soon:
            days = _days_until(source.get("next_available"), today)
            if days is not None and days <= OPENING_HORIZON_DAYS:
                soon[doc_id] = tuning.opening_boost * scale * (1 - max(days, 0) / OPENING_HORIZON_DAYS)
        if wants_cheap:
            fee = source.get("session_fee_min")
            ceiling = max(filters.get("max_fee") or 0, 1)
            if source.get("sliding_scale"):
                cheap[doc_id] = tuning.fee_boost * scale
            elif fee is not None and fee <= ceiling:
                cheap[doc_id] = tuning.fee_boost * scale * (1 - fee / (2 * ceiling))
        location = source.get("location")
        if origin and location:
            km = haversine_km(*origin, *location)
            if km < DISTANCE_HORIZON_KM:
                near[doc_id] = tuning.distance_boost * scale * (1 - km / DISTANCE_HORIZON_KM)
    return {"opening": soon, "fee": cheap, "distance": near}


def sorted_by(
    fused: list[Fused], sources: Mapping[str, Source], sort: Sort, filters: Mapping[str, Any], today: date
) -> list[Fused]:
    """An explicit sort; ties (and providers without the value, last) keep the relevance order."""
    if sort is Sort.RELEVANCE:
        return fused

    def key(entry: Fused) -> tuple[int, float]:
        source = sources.get(entry.doc_id, {})
        if sort is Sort.AVAILABILITY:
            days = _days_until(source.get("next_available"), today)
            return (0, float(days)) if days is not None else (1, 0.0)
        if sort is Sort.FEE:
            if source.get("sliding_scale"):
                return (0, 0.0)
            fee = source.get("session_fee_min")
            return (0, float(fee)) if fee is not None else (1, 0.0)
        location = source.get("location")
        if origin is None or not location:
            return (1, 0.0)
        return (0, haversine_km(*origin, *location))

    origin = _origin(fused, sources, filters) if sort is Sort.DISTANCE else None
    return sorted(fused, key=key)


def _origin(
    fused: list[Fused], sources: Mapping[str, Source], filters: Mapping[str, Any]
) -> tuple[float, float] | None:
    """Where distances count from: the point given, else the middle of the place the list was
    filtered to (the mean position of its providers' offices), else nowhere."""
    if filters.get("lat") is not None:
        return float(filters["lat"]), float(filters["lon"])
    if not any(filters.get(k) for k in ("city", "zip", "state")):
        return None
    points = [p for e in fused if (p := sources.get(e.doc_id, {}).get("location"))]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
