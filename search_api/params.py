"""The v1 search request: every parameter of docs/contract.md, validated; analysts' overrides on top."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_SIZE = 50
MAX_FROM = 500
MAX_FILTER_VALUES = 20


class SearchType(StrEnum):
    ALL = "all"
    PROVIDERS = "providers"
    PASSAGES = "passages"


class Mode(StrEnum):
    HYBRID = "hybrid"
    BM25 = "bm25"
    VECTOR = "vector"


class Fusion(StrEnum):
    LINEAR = "linear"
    RRF = "rrf"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"  # from lat/lon
    AVAILABILITY = "availability"  # soonest opening first
    FEE = "fee"  # lowest fee first (a sliding scale counts as low)


def _trimmed(value: str) -> str:
    """Spaces around a value are dropped after its length is checked, so the bounds the schema
    publishes are the bounds enforced ("  x" of 501 characters is too long, as the schema says)."""
    value = value.strip()
    if not value:
        raise ValueError("must contain a non-space character")
    return value


Trimmed = AfterValidator(_trimmed)
FilterValue = Annotated[str, Field(min_length=1, max_length=200), Trimmed]


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    q: (
        Annotated[
            str,
            Field(
                min_length=1,
                max_length=500,
            ),
            Trimmed,
        ]
        | None
    ) = Field(
        None,
        description="the query as typed; may be left out to browse by filters (and sort) alone",
        examples=["anxiety therapist in Chicago who speaks Spanish"],
    )
    type: SearchType = Field(SearchType.ALL, description="what to search: providers, guide answers, or both")
    mode: Mode = Field(Mode.HYBRID, description="hybrid (words and meaning), bm25 (words) or vector (meaning)")
    size: Annotated[int, Field(ge=0, le=MAX_SIZE, description="hits per type", examples=[10])] = 10
    from_: Annotated[int, Field(ge=0, le=MAX_FROM, alias="from", description="hits to skip (paging)", examples=[0])] = 0
    state: (
        Annotated[
            str,
            Field(min_length=1, max_length=60),
            Trimmed,
        ]
        | None
    ) = Field(None, description="US state, name or postal code", examples=["Illinois"])
    city: Annotated[str, Field(min_length=1, max_length=100), Trimmed] | None = Field(
        None, description="city, as the directory names it", examples=["Chicago"]
    )
    zip: (
        Annotated[
            str,
            Field(pattern=r"^\s*\d{5}\s*$"),
            AfterValidator(str.strip),
        ]
        | None
    ) = Field(None, description="5-digit ZIP", examples=["60614"])
    lat: Annotated[float, Field(ge=-90, le=90)] | None = Field(
        None, description="with lon: distances, radius_km, sort=distance", examples=[41.88]
    )
    lon: Annotated[float, Field(ge=-180, le=180)] | None = Field(None, description="with lat", examples=[-87.63])
    radius_km: Annotated[float, Field(gt=0, le=500)] | None = Field(
        None, description="only providers this near lat/lon", examples=[25]
    )
    remote: bool | None = Field(None, description="true: online sessions (remote only or telehealth)", examples=[True])
    telehealth: bool | None = Field(None, description="offers telehealth", examples=[True])
    accepting: bool | None = Field(None, description="accepting new clients", examples=[True])
    specialty: Annotated[
        list[FilterValue],
        Field(
            max_length=MAX_FILTER_VALUES,
            description="the directory's specialty names (any of them); repeat the parameter",
            examples=[["Anxiety"]],
        ),
    ] = []
    credential: Annotated[
        list[FilterValue],
        Field(
            max_length=MAX_FILTER_VALUES,
            description="any of these credentials",
            examples=[["Licensed Clinical Social Worker (LCSW)"]],
        ),
    ] = []
    language: Annotated[
        list[FilterValue],
        Field(max_length=MAX_FILTER_VALUES, description="speaks any of these", examples=[["Spanish"]]),
    ] = []
    insurance: Annotated[
        list[FilterValue], Field(max_length=MAX_FILTER_VALUES, description="takes any of these", examples=[["Aetna"]])
    ] = []
    age_group: Annotated[
        list[FilterValue],
        Field(max_length=MAX_FILTER_VALUES, description="serves any of these ages", examples=[["Adults"]]),
    ] = []
    therapy_type: Annotated[
        list[FilterValue],
        Field(
            max_length=MAX_FILTER_VALUES,
            description="practises any of these",
            examples=[["Cognitive Behavioral Therapy (CBT)"]],
        ),
    ] = []
    gender: Annotated[
        list[FilterValue],
        Field(max_length=MAX_FILTER_VALUES, description="Female, Male, Non-binary", examples=[["Female"]]),
    ] = []
    faith: Annotated[
        list[FilterValue],
        Field(max_length=MAX_FILTER_VALUES, description="faith-informed care", examples=[["Christian"]]),
    ] = []
    max_fee: Annotated[int, Field(ge=0, le=10_000)] | None = Field(
        None, description="US dollars a session; a sliding scale qualifies", examples=[120]
    )
    sliding_scale: bool | None = Field(None, description="offers a sliding scale", examples=[True])
    in_person: bool | None = Field(
        default=None, description="true: an office to visit (not remote only)", examples=[True]
    )
    available_within_days: Annotated[int, Field(ge=0, le=366)] | None = Field(
        None, description="the next opening within this many days", examples=[7]
    )
    sort: Sort = Field(
        Sort.RELEVANCE, description="relevance, distance (needs lat/lon), availability (soonest), fee (lowest)"
    )
    explain: bool = Field(False, description="scores per leg and boosts on every hit")
    # analysts' per-request overrides (defaults chosen by measurement, see search_api/tuning.py)
    fusion: Fusion | None = Field(None, description="analysts: linear or rrf")
    bm25_weight: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="analysts: the words' weight in linear fusion", examples=[0.3]
    )
    rank_constant: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="analysts: RRF's k", examples=[60]
    )
    window: Annotated[int, Field(ge=10, le=500)] | None = Field(
        None, description="analysts: candidates per leg", examples=[100]
    )
    num_candidates: Annotated[int, Field(ge=10, le=2000)] | None = Field(
        None, description="analysts: the kNN search's candidates", examples=[400]
    )
    interpret: bool = Field(default=True, description="false turns query understanding off (for comparisons)")

    @field_validator("q")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        if not value.strip():
            raise ValueError("must contain a non-space character")
        return value

    @model_validator(mode="after")
    def _query_or_filters(self) -> Self:
        # browsing (no q) lists providers by filters and sort: a directory's category pages
        if self.q is None and not self.explicit_filters() and self.sort is Sort.RELEVANCE:
            raise ValueError("q: give a query, or filters (and a sort) to browse by")
        if self.q is None and self.type is SearchType.PASSAGES:
            raise ValueError("q: guide answers are found by their words; browsing lists providers")
        if self.sort is Sort.DISTANCE and self.lat is None and not (self.q or self.city or self.zip):
            # from a point, or from the middle of a place (given, or written in q: "near oakland")
            raise ValueError("sort: distance needs lat and lon, a city or zip, or a place in q")
        return self

    @property
    def browsing(self) -> bool:
        return self.q is None

    @model_validator(mode="after")
    def _geo(self) -> Self:
        given = [v is not None for v in (self.lat, self.lon)]
        if any(given) and not all(given):
            raise ValueError("lat and lon go together")
        if self.radius_km is not None and self.lat is None:
            raise ValueError("radius_km needs lat and lon")
        return self

    def explicit_filters(self) -> dict[str, Any]:
        """The filters the caller set themselves (they always win over interpretation)."""
        return {k: v for k, v in self.model_dump(by_alias=False).items() if k in FILTER_FIELDS and v not in (None, [])}


def check_json_types(raw: bytes) -> None:
    """A JSON body carries its own types, so it is held to them: `false` is not a weight and `1`
    is not a boolean. (Query strings are all text, which is why SearchParams itself is lax.)
    Raises pydantic's ValidationError."""
    SearchParams.model_validate_json(raw, strict=True)


FILTER_FIELDS = (
    "state",
    "city",
    "zip",
    "lat",
    "lon",
    "radius_km",
    "remote",
    "telehealth",
    "accepting",
    "specialty",
    "credential",
    "language",
    "insurance",
    "age_group",
    "therapy_type",
    "gender",
    "faith",
    "max_fee",
    "sliding_scale",
    "in_person",
    "available_within_days",
)
LIST_PARAMS = ("specialty", "credential", "language", "insurance", "age_group", "therapy_type", "gender", "faith")
