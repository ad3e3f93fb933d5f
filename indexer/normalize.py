"""Normalization: a valid input record (docs/contract.md) becomes the document we index.

One specialty taxonomy, trimmed and de-duplicated lists, placeholder places dropped, state
names unified, placeholder bios flagged in `bio_quality` (which ranking reads), never deleted,
a fee given alone standing for both ends of the range.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.geo import canonical_state, clean_place
from core.taxonomy import age_groups, canonical_specialties, fold
from indexer.quality import bio_quality
from indexer.records import PassageRecord, ProviderRecord

PRIMARY_SPECIALTIES = 3


def clean_list(values: list[str]) -> list[str]:
    """Trimmed, inner spaces collapsed, empty dropped, case-insensitive duplicates dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        cleaned = " ".join(value.split())
        if cleaned and fold(cleaned) not in seen:
            seen.add(fold(cleaned))
            out.append(cleaned)
    return out


def provider_document(record: ProviderRecord) -> dict[str, Any]:
    specialties = canonical_specialties(record.specialties)
    address = record.address
    city = clean_place(address.city) if address else None
    state = canonical_state(address.state) if address else None
    zip_code = clean_place(address.zip) if address else None
    street = clean_place(address.street) if address else None
    doc: dict[str, Any] = {
        "id": record.id,
        "name": " ".join(record.name.split()),
        "credentials": clean_list(record.credentials),
        "specialties": specialties,
        "primary_specialties": specialties[:PRIMARY_SPECIALTIES],
        "therapy_types": clean_list(record.therapy_types),
        "ages_served": clean_list([age_groups().canonicalize(a) for a in record.ages_served]),
        "languages": clean_list(record.languages),
        "insurance": clean_list(record.insurance),
        "street": street,
        "city": city,
        "state": state,
        "zip": zip_code,
        "location": {"lat": record.location.lat, "lon": record.location.lon} if record.location else None,
        "remote_only": bool(record.remote_only),
        "telehealth": record.telehealth,
        "accepting_new_clients": record.accepting_new_clients,
        "years_in_practice": record.years_in_practice,
        "bio": record.bio.strip() if record.bio else None,
        "bio_quality": bio_quality(record.bio),
        "profile_url": record.profile_url,
        "gender": record.gender,
        "faith": clean_list(record.faith),
        **fee_range(record.session_fee_min, record.session_fee_max),
        "sliding_scale": record.sliding_scale,
        "next_available": record.next_available.isoformat() if record.next_available else None,
    }
    doc["content_hash"] = content_hash(doc)
    return doc


def fee_range(low: int | None, high: int | None) -> dict[str, int | None]:
    """One fee given alone is the fee: both bounds, so that a fee filter or sort reads one field
    and a provider who wrote only `session_fee_min` is not taken for one without a fee."""
    return {"session_fee_min": low if low is not None else high, "session_fee_max": high if high is not None else low}


def passage_document(record: PassageRecord) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": record.id,
        "title": " ".join(record.title.split()) if record.title else None,
        "text": record.text.strip(),
        "guide": record.guide,
        "topics": clean_list(record.topics),
        "url": record.url,
        "author": record.author,
        "reviewed_by": record.reviewed_by,
        "updated": record.updated,
    }
    doc["content_hash"] = content_hash(doc)
    return doc


def content_hash(doc: dict[str, Any]) -> str:
    """Stable hash of what was indexed (without the vector): unchanged input, same hash."""
    payload = json.dumps(
        {k: v for k, v in doc.items() if k not in ("content_hash", "embedding")},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()
