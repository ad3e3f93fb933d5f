"""The v1 answers as types, for the OpenAPI document and the clients generated from it.

They describe what `SearchService.respond` (search_api/service.py, shaping.py), `suggestions`
(search_api/suggest.py), the document and health routes return, field for field. Open for
additions (`extra="allow"`), so a field added to an answer never breaks its own schema; a field
removed here is a changed contract, which the snapshot test (docs/openapi.json) makes visible.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------ the crisis block


class CrisisResource(_Answer):
    id: str = Field(examples=["988"])
    name: str = Field(examples=["988 Suicide & Crisis Lifeline"])
    phone: str | None = Field(examples=["988"])
    sms: str | None = Field(examples=["988"])
    chat: str | None = Field(examples=["https://988lifeline.org/chat"])
    url: str | None = Field(examples=["https://988lifeline.org"])
    how: list[str] = Field(description="call, text, chat", examples=[["call", "text", "chat"]])
    hours: str = Field(examples=["24 hours a day, 7 days a week"])
    source: str = Field(description="where the line's details were checked")


class CrisisSituation(_Answer):
    id: str = Field(examples=["suicide_risk"])
    label: str = Field(examples=["Thoughts of suicide"])
    message: str


class Crisis(_Answer):
    """Present when the words signal a risk: shown above every result (docs/safety.md)."""

    message: str = Field(description="what to say first")
    situations: list[CrisisSituation]
    immediate_danger: bool = Field(description="true: 911 comes first")
    immediate_danger_message: str | None
    resources: list[CrisisResource] = Field(description="every line to show, in order")


# ------------------------------------------------------------------ what the words were read as


class MatchedTerm(_Answer):
    text: str = Field(description="as written", examples=["speaks Spanish"])
    meaning: str = Field(description="what it was read as", examples=["speaks Spanish"])


class InterpretedConditions(_Answer):
    languages: list[str]
    insurance: list[str]
    genders: list[str]
    faiths: list[str]
    max_fee: int | None
    sliding_scale: bool
    accepting: bool
    available_by: str | None = Field(description="ISO date")
    in_person: bool | None
    available_within_days: int | None = Field(description="`available_by` counted from the service's today")


class Interpreted(_Answer):
    specialties: list[str]
    specialty_labels: list[str] = Field([], description="display labels of `specialties`, in the same order")
    age_groups: list[str]
    therapy_types: list[str]
    remote: bool | None
    in_person: bool | None
    state: str | None
    city: str | None
    zip: str | None
    matched_terms: list[MatchedTerm]
    conditions: InterpretedConditions
    applied: dict[str, str] = Field(
        description="how each understood cue was applied: filter, boost, or ignored and why",
        examples=[{"specialty:Anxiety": "boost", "language:Spanish": "filter"}],
    )
    semantic_specialties: dict[str, float] | None = Field(None, description="with explain=true")
    guide_topic_specialties: dict[str, float] | None = Field(None, description="with explain=true")
    relaxed: list[str] | None = Field(None, description="the conditions no provider met: they order the list instead")


# ------------------------------------------------------------------ hits


class LegScore(_Answer):
    rank: int
    score: float
    normalized: float


class Explain(_Answer):
    fused_score: float
    legs: dict[str, LegScore]
    boosts: dict[str, float]


class ProviderHit(_Answer):
    id: str = Field(examples=["demo-p-0000014"])
    name: str
    credentials: list[str]
    specialties: list[str] = Field(description="the directory's names")
    specialty_labels: list[str] = Field(description="display labels, one per specialty, in the same order")
    therapy_types: list[str]
    ages_served: list[str]
    city: str | None
    state: str | None
    remote_only: bool
    telehealth: bool | None
    accepting_new_clients: bool | None
    bio: str | None = Field(description="null when the bio did not pass the quality check")
    profile_url: str | None
    languages: list[str]
    gender: str | None
    faith: list[str]
    session_fee_min: int | None = Field(description="US dollars")
    session_fee_max: int | None
    sliding_scale: bool | None
    next_available: str | None = Field(description="ISO date of the next opening")
    score: float
    highlights: dict[str, list[str]] = Field(description="field -> fragments, matches in <mark>")
    distance_km: float | None = Field(None, description="with lat/lon")
    explain: Explain | None = Field(None, description="with explain=true")


class PassageHit(_Answer):
    id: str = Field(examples=["guide-anxiety-03"])
    title: str | None
    guide: str | None
    topics: list[str]
    snippet: str
    text: str | None
    url: str | None
    score: float
    highlights: dict[str, list[str]]
    explain: Explain | None = Field(None, description="with explain=true")


# ------------------------------------------------------------------ facets


class FacetValue(_Answer):
    value: str = Field(description="the filter value to send back", examples=["Anxiety"])
    count: int
    label: str | None = Field(None, description="display label (specialties)")


class FacetBand(_Answer):
    value: str = Field(description="in words", examples=["Up to $80 a session"])
    key: str = Field(description="the parameter's value (max_fee, available_within_days)", examples=["80"])
    count: int


class ProviderFacets(_Answer):
    specialties: list[FacetValue]
    credentials: list[FacetValue]
    languages: list[FacetValue]
    insurance: list[FacetValue]
    ages_served: list[FacetValue]
    therapy_types: list[FacetValue]
    state: list[FacetValue]
    gender: list[FacetValue]
    faith: list[FacetValue]
    remote_only: int
    telehealth: int
    accepting_new_clients: int
    sliding_scale: int
    fee_bands: list[FacetBand]
    next_available: list[FacetBand]


class ProviderResults(_Answer):
    total: int = Field(description="providers in the ranked list")
    total_text_matches: int | None = Field(None, description="providers the words matched (BM25 or browsing)")
    hits: list[ProviderHit]
    facets: ProviderFacets | None = None


class PassageResults(_Answer):
    total: int
    total_text_matches: int | None = None
    hits: list[PassageHit]


class FilterWarning(_Answer):
    """A filter value the directory's vocabulary does not know: it was applied as given."""

    parameter: str = Field(examples=["state"])
    value: str = Field(examples=["Illinoi"])
    message: str = Field(examples=["unknown state 'Illinoi'; did you mean Illinois?"])
    closest: list[str] = Field(examples=[["Illinois"]])


class SearchAnswer(_Answer):
    query: str | None = Field(description="as given; null when browsing")
    mode: str = Field(examples=["hybrid"])
    interpreted: Interpreted
    off_topic: bool = Field(description="about nothing the directory helps with: the lists are empty")
    suggestion: str | None = Field(description="a spelling to try, when off topic")
    crisis: Crisis | None
    providers: ProviderResults | None = Field(None, description="with type all or providers")
    passages: PassageResults | None = Field(None, description="with type all or passages")
    warnings: list[FilterWarning] = Field([], description="filter values no known value matches, applied as given")
    took_ms: dict[str, float] = Field(examples=[{"embedding": 10.0, "search": 40.0, "fusion": 2.8, "total": 60.0}])


# ------------------------------------------------------------------ suggest


class SuggestedSpecialty(_Answer):
    text: str = Field(examples=["Anxiety"])


class SuggestedProvider(_Answer):
    id: str
    text: str = Field(description="the provider's name")
    city: str | None
    state: str | None


class SuggestedQuestion(_Answer):
    id: str
    text: str = Field(description="the guide question")
    guide: str | None
    url: str | None


class SuggestAnswer(_Answer):
    query: str
    crisis: Crisis | None
    specialties: list[SuggestedSpecialty]
    providers: list[SuggestedProvider] = Field(description="empty while a risk is typed")
    questions: list[SuggestedQuestion]
    took_ms: float


# ------------------------------------------------------------------ documents


class ProviderDocument(_Answer):
    """A provider's public record: the fields of PUBLIC_PROVIDER_FIELDS (search_api/public.py)."""

    id: str
    name: str
    credentials: list[str] = []
    specialties: list[str] = []
    specialty_labels: list[str] = []
    primary_specialties: list[str] = []
    therapy_types: list[str] = []
    ages_served: list[str] = []
    languages: list[str] = []
    insurance: list[str] = []
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    remote_only: bool | None = None
    telehealth: bool | None = None
    accepting_new_clients: bool | None = None
    years_in_practice: int | None = None
    bio: str | None = None
    profile_url: str | None = None
    gender: str | None = None
    faith: list[str] = []
    session_fee_min: int | None = None
    session_fee_max: int | None = None
    sliding_scale: bool | None = None
    next_available: str | None = None


class PassageDocument(_Answer):
    """A guide answer's public record (PUBLIC_PASSAGE_FIELDS)."""

    id: str
    title: str | None = None
    text: str | None = None
    guide: str | None = None
    topics: list[str] = []
    url: str | None = None
    author: str | None = None
    reviewed_by: str | None = None
    updated: str | None = None


# ------------------------------------------------------------------ health


class Health(_Answer):
    status: str = Field(examples=["ok"])


class Readiness(_Answer):
    """`status` always; the details (what is missing) only to a caller allowed to see them."""

    status: str = Field(description="ready or not_ready", examples=["ready"])
    cluster: str | None = Field(None, examples=["green"])
    missing_indices: list[str] | None = None
    reason: str | None = Field(None, description="why the cluster is not ready")
    model: str | None = Field(None, description="loaded or loading")
    embedding: dict[str, object] | None = Field(
        None, description="the model the indices were built with, and any mismatch"
    )


# ------------------------------------------------------------------ sending an answer


class Serialised(Response):
    """An answer serialised by orjson, once: a route declares its `response_model` for the
    schema and returns this, so FastAPI neither validates the answer again nor encodes it
    (measured on a 41 KB search answer: validation ~2.8 ms, FastAPI's encoder ~8 ms, orjson 0.1 ms)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
