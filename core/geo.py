"""US states: names and postal abbreviations unified to the full name."""

from __future__ import annotations

import math

STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
}
_BY_NAME = {name.lower(): name for name in STATES.values()}

PLACEHOLDERS = frozenset({"", "undefined", "null", "none", "n/a", "na", "unknown", "-"})


def canonical_state(value: str | None) -> str | None:
    """'CA', 'ca', 'California', ' california ' -> 'California'; placeholders -> None;
    anything else is kept trimmed (an export may name a place we do not list)."""
    if value is None:
        return None
    cleaned = " ".join(value.split())
    if cleaned.lower() in PLACEHOLDERS:
        return None
    upper = cleaned.upper().replace(".", "")
    if upper in STATES:
        return STATES[upper]
    return _BY_NAME.get(cleaned.lower(), cleaned)


def clean_place(value: str | None) -> str | None:
    """A city, street or zip: trimmed, placeholders such as 'undefined' dropped."""
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    return None if cleaned.lower() in PLACEHOLDERS else cleaned


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius)."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
