"""Turning engine hits and fused rankings into the v1 response: hits, highlights,
snippets, facets, explain. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.geo import haversine_km
from search_api.fusion import Fused
from search_api.labels import specialty_label, specialty_labels
from search_api.query_bodies import FACET_FIELDS, FACET_FLAGS, FEE_CAPS, OPENING_BANDS

SNIPPET_CHARS = 220


def explain_of(entry: Fused) -> dict[str, Any]:
    return {
        "fused_score": round(entry.score, 6),
        "legs": {
            leg: {"rank": hit.rank, "score": round(hit.score, 6), "normalized": round(hit.normalized, 6)}
            for leg, hit in entry.legs.items()
        },
        "boosts": {name: round(value, 6) for name, value in entry.boosts.items()},
    }


def provider_hit(
    source: Mapping[str, Any],
    entry: Fused,
    highlights: Mapping[str, list[str]],
    origin: tuple[float, float] | None,
    explain: bool,
) -> dict[str, Any]:
    hit: dict[str, Any] = {
        "id": source["id"],
        "name": source["name"],
        "credentials": source.get("credentials", []),
        "specialties": source.get("specialties", []),
        "specialty_labels": specialty_labels(source.get("specialties", [])),
        "therapy_types": source.get("therapy_types", []),
        "ages_served": source.get("ages_served", []),
        "city": source.get("city"),
        "state": source.get("state"),
        "remote_only": bool(source.get("remote_only")),
        "telehealth": source.get("telehealth"),
        "accepting_new_clients": source.get("accepting_new_clients"),
        "bio": source.get("bio") if source.get("bio_quality") == "ok" else None,
        "profile_url": source.get("profile_url"),
        # who the therapist is, what it costs, when (the practical conditions people choose by)
        "languages": source.get("languages", []),
        "gender": source.get("gender"),
        "faith": source.get("faith", []),
        "session_fee_min": source.get("session_fee_min"),
        "session_fee_max": source.get("session_fee_max"),
        "sliding_scale": source.get("sliding_scale"),
        "next_available": source.get("next_available"),
        "score": round(entry.score, 6),
        "highlights": dict(highlights),
    }
    location = source.get("location")
    if origin and location:
        # whole kilometres: to 0.1 km, four points chosen by a caller placed an office within 15 m
        hit["distance_km"] = float(round(haversine_km(origin[0], origin[1], location["lat"], location["lon"])))
    if explain:
        hit["explain"] = explain_of(entry)
    return hit


def snippet(text: str, highlights: Mapping[str, list[str]]) -> str:
    fragments = highlights.get("text")
    if fragments:
        return fragments[0]
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def passage_hit(
    source: Mapping[str, Any], entry: Fused, highlights: Mapping[str, list[str]], explain: bool
) -> dict[str, Any]:
    hit: dict[str, Any] = {
        "id": source["id"],
        "title": source.get("title"),
        "guide": source.get("guide"),
        "topics": source.get("topics", []),
        "snippet": snippet(source.get("text", ""), highlights),
        "text": source.get("text"),
        "url": source.get("url"),
        "score": round(entry.score, 6),
        "highlights": dict(highlights),
    }
    if explain:
        hit["explain"] = explain_of(entry)
    return hit


def provider_facets(aggregations: Mapping[str, Any] | None) -> dict[str, Any]:
    """The facets of the response from the engine's counts over the fused list
    (query_bodies.facets_body); no list, no counts."""
    found = aggregations or {}
    facets: dict[str, Any] = {
        name: [{"value": b["key"], "count": b["doc_count"]} for b in found.get(name, {}).get("buckets", [])]
        for name in FACET_FIELDS
    }
    for entry in facets["specialties"]:
        entry["label"] = specialty_label(entry["value"])
    facets.update({flag: int(found.get(flag, {}).get("doc_count", 0)) for flag in FACET_FLAGS})
    fees = found.get("fee_bands", {}).get("buckets", {})
    facets["fee_bands"] = [
        {"value": label, "key": key, "count": int(fees.get(key, {}).get("doc_count", 0))} for key, label in FEE_CAPS
    ]
    openings = found.get("next_available", {}).get("buckets", {})
    facets["next_available"] = [
        {"value": label, "key": key, "count": int(openings.get(key, {}).get("doc_count", 0))}
        for key, label in OPENING_BANDS
    ]
    return facets
