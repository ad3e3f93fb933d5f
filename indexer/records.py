"""Pydantic models of the input records (docs/contract.md: Input records): what a valid provider or passage is."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator
from pydantic_core import PydanticCustomError

MAX_BIO_CHARS = 20_000
MAX_PASSAGE_CHARS = 200_000
# the engine refuses a whole bulk request over one id past 512 bytes (UTF-8)
MAX_ID_BYTES = 512
# Lists and their items are bounded at sizes no real directory comes near (the development data:
# at most 8 specialties, items of at most 47 characters): one provider with 25,000 specialties
# passed the engine's highlighting limit and broke every page of results it fell on
MAX_LIST_ITEMS = 100
MAX_ITEM_CHARS = 200


def _engine_id(value: str) -> str:
    """An id as the engine and a URL can carry it: NFC (one spelling of "é"), no control or
    invisible format characters (zero-width, right-to-left override), not `.`, `..` or
    `_`-prefixed (the engine's own endpoints), at most MAX_ID_BYTES in UTF-8."""
    value = unicodedata.normalize("NFC", value)
    hidden = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf")), None)
    if hidden is not None:
        raise PydanticCustomError(
            "id_characters",
            "must not contain control or invisible characters (found U+{code})",
            {"code": f"{ord(hidden):04X}"},
        )
    if value in (".", "..") or value.startswith("_"):
        raise PydanticCustomError(
            "id_reserved", "must not be . or .. or start with _, not {found}", {"found": repr(value)}
        )
    size = len(value.encode())
    if size > MAX_ID_BYTES:
        raise PydanticCustomError(
            "id_bytes",
            "takes {size} bytes in UTF-8; the engine takes at most {limit}",
            {"size": size, "limit": MAX_ID_BYTES},
        )
    return value


Id = Annotated[str, Field(min_length=1, max_length=256, pattern=r"^\S(.*\S)?$"), AfterValidator(_engine_id)]
ShortText = Annotated[str, Field(max_length=1_000)]
Item = Annotated[str, Field(max_length=MAX_ITEM_CHARS)]
Items = Annotated[list[Item], Field(max_length=MAX_LIST_ITEMS)]
# A session fee above this is far more likely cents, or a package price, than one session's dollars.
MAX_FEE_DOLLARS = 5_000
Fee = Annotated[int, Field(ge=0, le=MAX_FEE_DOLLARS)]
GENDERS = ("Female", "Male", "Non-binary")
# "non-binary", "Non Binary", "nonbinary", "FEMALE": one spelling each, whatever the case or separator
_GENDER_SPELLINGS = {re.sub(r"[\s_-]+", "", g.lower()): g for g in GENDERS}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    credentials: Items
    address: Address | None = None
    location: Location | None = None
    remote_only: StrictBool | None = None
    telehealth: StrictBool | None = None
    accepting_new_clients: StrictBool | None = None
    specialties: Items
    therapy_types: Items = Field(default_factory=list)
    ages_served: Items = Field(default_factory=list)
    languages: Items = Field(default_factory=list)
    insurance: Items = Field(default_factory=list)
    years_in_practice: Annotated[int, Field(ge=0, le=80)] | None = None
    bio: Annotated[str, Field(max_length=MAX_BIO_CHARS)] | None = None
    profile_url: Annotated[str, Field(max_length=2_000)] | None = None
    gender: str | None = None
    faith: Items = Field(default_factory=list)
    session_fee_min: Fee | None = None
    session_fee_max: Fee | None = None
    sliding_scale: StrictBool | None = None
    next_available: date | None = None

    @field_validator("therapy_types", "ages_served", "languages", "insurance", "faith", mode="before")
    @classmethod
    def _null_list_is_empty(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("gender", mode="before")
    @classmethod
    def _one_of_the_genders(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and (known := _GENDER_SPELLINGS.get(re.sub(r"[\s_-]+", "", value.lower()))):
            return known
        raise PydanticCustomError(
            "gender",
            "must be Female, Male or Non-binary (any letter case) or null, not {found}",
            {"found": repr(value)},
        )

    @field_validator("session_fee_min", "session_fee_max", mode="before")
    @classmethod
    def _fee_not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):  # pydantic would read true as 1 dollar
            raise PydanticCustomError(
                "fee", "must be whole US dollars or null, not {found}", {"found": str(value).lower()}
            )
        return value

    @field_validator("next_available", mode="before")
    @classmethod
    def _iso_calendar_date(cls, value: object) -> object:
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            raise PydanticCustomError(
                "iso_date", "must be a date written YYYY-MM-DD or null, not {found}", {"found": repr(value)}
            )
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:  # 2026-02-30: the right shape, no such day
            raise PydanticCustomError(
                "iso_date", "{found} is not a date on the calendar ({why})", {"found": value.strip(), "why": str(exc)}
            ) from None

    @model_validator(mode="after")
    def _fee_range_in_order(self) -> ProviderRecord:
        low, high = self.session_fee_min, self.session_fee_max
        if low is not None and high is not None and low > high:
            raise PydanticCustomError(
                "fee_range",
                "session_fee_min ({low}) is more than session_fee_max ({high})",
                {"low": low, "high": high},
            )
        return self


class PassageRecord(_Record):
    id: Id
    text: Annotated[str, Field(min_length=1, max_length=MAX_PASSAGE_CHARS)]
    title: Annotated[str, Field(max_length=1_000)] | None = None
    guide: ShortText | None = None
    topics: Items = Field(default_factory=list)
    url: Annotated[str, Field(max_length=2_000)] | None = None
    author: ShortText | None = None
    reviewed_by: ShortText | None = None
    updated: ShortText | None = None

    @field_validator("topics", mode="before")
    @classmethod
    def _null_topics(cls, value: object) -> object:
        return [] if value is None else value
