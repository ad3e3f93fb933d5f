"""Pydantic models of the input records (docs/contract.md: Input records): what a valid provider or passage is."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

MAX_BIO_CHARS = 20_000
MAX_PASSAGE_CHARS = 200_000
Id = Annotated[str, Field(min_length=1, max_length=256, pattern=r"^\S(.*\S)?$")]
ShortText = Annotated[str, Field(max_length=1_000)]


class _Record(BaseModel):
    # Unknown fields are ignored (exports grow columns); wrong types are errors.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Address(_Record):
    street: ShortText | None = None
    city: ShortText | None = None
    state: ShortText | None = None
    zip: ShortText | None = None

    @field_validator("zip", mode="before")
    @classmethod
    def _zip_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Location(_Record):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ProviderRecord(_Record):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=300)]
    credentials: list[ShortText]
    address: Address | None = None
    location: Location | None = None
    remote_only: StrictBool | None = None
    telehealth: StrictBool | None = None
    accepting_new_clients: StrictBool | None = None
    specialties: list[ShortText]
    therapy_types: list[ShortText] = Field(default_factory=list)
    ages_served: list[ShortText] = Field(default_factory=list)
    languages: list[ShortText] = Field(default_factory=list)
    insurance: list[ShortText] = Field(default_factory=list)
    years_in_practice: Annotated[int, Field(ge=0, le=80)] | None = None
    bio: Annotated[str, Field(max_length=MAX_BIO_CHARS)] | None = None
    profile_url: Annotated[str, Field(max_length=2_000)] | None = None

    @field_validator("therapy_types", "ages_served", "languages", "insurance", mode="before")
    @classmethod
    def _null_list_is_empty(cls, value: object) -> object:
        return [] if value is None else value


class PassageRecord(_Record):
    id: Id
    text: Annotated[str, Field(min_length=1, max_length=MAX_PASSAGE_CHARS)]
    title: Annotated[str, Field(max_length=1_000)] | None = None
    guide: ShortText | None = None
    topics: list[ShortText] = Field(default_factory=list)
    url: Annotated[str, Field(max_length=2_000)] | None = None
    author: ShortText | None = None
    reviewed_by: ShortText | None = None
    updated: ShortText | None = None

    @field_validator("topics", mode="before")
    @classmethod
    def _null_topics(cls, value: object) -> object:
        return [] if value is None else value
