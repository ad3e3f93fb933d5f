"""What /v1/providers/{id} and /v1/passages/{id} publish: an allow-list, so a field added to the
index for ranking or bookkeeping is never published by accident (docs/contract.md, Documents).

Left out on purpose: `content_hash` (the indexer's change detection), `bio_quality` (an internal
verdict: a bio that fails it is published as null), `embedding`, and `street` and `location`:
a therapist's office address may be their home, and the directory has not said it means to
publish it; city, state and zip place a provider well enough to choose one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_api.labels import specialty_labels

PUBLIC_PROVIDER_FIELDS = (
    "id",
    "name",
    "credentials",
    "specialties",
    "primary_specialties",
    "therapy_types",
    "ages_served",
    "languages",
    "insurance",
    "city",
    "state",
    "zip",
    "remote_only",
    "telehealth",
    "accepting_new_clients",
    "years_in_practice",
    "bio",
    "profile_url",
    "gender",
    "faith",
    "session_fee_min",
    "session_fee_max",
    "sliding_scale",
    "next_available",
)
PUBLIC_PASSAGE_FIELDS = ("id", "title", "text", "guide", "topics", "url", "author", "reviewed_by", "updated")


def public_provider(source: Mapping[str, Any]) -> dict[str, Any]:
    found = {k: source[k] for k in PUBLIC_PROVIDER_FIELDS if k in source}
    if source.get("bio_quality") != "ok":  # as search hits do: a bio that failed the check is not shown
        found["bio"] = None
    found["specialty_labels"] = specialty_labels(found.get("specialties", []))
    return found


def public_passage(source: Mapping[str, Any]) -> dict[str, Any]:
    return {k: source[k] for k in PUBLIC_PASSAGE_FIELDS if k in source}
