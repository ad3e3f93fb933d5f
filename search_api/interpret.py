"""What a typed query means: specialties, age groups, approaches, remote or in person, place,
and whether it signals a risk (docs/architecture.md: a search request, "interpret").

Pure functions over the query text; the only I/O is reading `mappings/` once. Explicit
request parameters (`specialty=`, `state=`...) are merged elsewhere, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from core.geo import STATES
from core.lay_terms import Match, Target, lay_table, normalize
from core.settings import MAPPINGS_DIR
from search_api.conditions import Conditions, read_conditions
from search_api.query_text import QueryText
from search_api.safety import NOTHING, Recognition, help_first, recognise


@dataclass(frozen=True)
class Interpretation:
    specialties: list[str] = field(default_factory=list)  # canonical names, in query order
    age_groups: list[str] = field(default_factory=list)
    therapy_types: list[str] = field(default_factory=list)
    remote: bool | None = None  # True when the query asks for online sessions, else None
    in_person: bool | None = None
    state: str | None = None  # full name, as core.geo spells it
    city: str | None = None
    zip: str | None = None
    matched_terms: list[tuple[str, str]] = field(default_factory=list)  # (found, meaning)
    safety: Recognition = NOTHING  # the situations of risk it signals
    conditions: Conditions = field(default_factory=Conditions)  # language, insurance, cost, who, when

    @property
    def crisis(self) -> bool:
        return self.safety.at_risk


# --- place --------------------------------------------------------------------------------

_STATE_NAMES = {name.lower(): name for name in STATES.values()}
_MAX_STATE_WORDS = max(len(name.split()) for name in _STATE_NAMES)
# Two-letter codes that are also everyday words: "in OR", "near ME" count only in capitals
# (and not in an all-capitals query, where "NEAR ME" is just shouting).
_WORDLIKE_CODES = frozenset(
    {"AL", "CO", "DE", "HI", "ID", "IN", "LA", "MA", "ME", "MI", "MS", "MT", "NE", "OH", "OK", "OR", "PA"}
)
# Nicknames people use after "in": (city, state).
_NICKNAMES = {
    "la": ("Los Angeles", "California"),
    "nyc": ("New York", "New York"),
    "sf": ("San Francisco", "California"),
}
# Capitalised words after "in"/"near" that are not places (or end the place name).
_NOT_PLACE = frozenset(
    {
        "me",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "the",
        "a",
        "an",
        "this",
        "that",
        "person",
        "network",
        "office",
        "area",
        "town",
        "county",
        "region",
        "home",
        "private",
        "practice",
        "crisis",
        "therapy",
        "therapist",
        "therapists",
        "counselor",
        "counselors",
        "counseling",
        "psychiatrist",
        "psychologist",
        "doctor",
        "who",
        "for",
        "with",
        "and",
        "or",
        "but",
        "accepting",
        "taking",
        "specializing",
        "near",
        "in",
        "around",
        "online",
        "telehealth",
        "english",
        "spanish",
        "mandarin",
        "cantonese",
        "chinese",
        "vietnamese",
        "tagalog",
        "korean",
        "french",
        "arabic",
        "russian",
        "portuguese",
        "hindi",
        "farsi",
        "japanese",
        "german",
        "italian",
        "hebrew",
        "polish",
        "punjabi",
        "asl",
        "aetna",
        "cigna",
        "medicaid",
        "medicare",
        "medi",
        "cal",
        "kaiser",
        "optum",
        "anthem",
        "humana",
        "tricare",
        "united",
        "blue",
        "cross",
        "shield",
        "bcbs",
        "insurance",
    }
)
_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "du"})  # "Marina del Rey"
_CUE = re.compile(r"\b(?:in|near|around|close to|nearby)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w.'’-]*|,")  # letters in any script: "São Paulo"
_ZIP = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?(?![\d-])")


@dataclass(frozen=True)
class Place:
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    spans: tuple[tuple[int, int], ...] = ()  # where in the query the place was written


def _state_at(words: list[re.Match[str]], i: int, shouting: bool) -> tuple[str, int] | None:
    """The state written at words[i:] and how many words it takes, if any."""
    for n in range(min(_MAX_STATE_WORDS, len(words) - i), 0, -1):
        name = _STATE_NAMES.get(" ".join(w.group().lower() for w in words[i : i + n]))
        if name:
            return name, n
    text = words[i].group().replace(".", "") if i < len(words) else ""
    code = text.upper()
    if len(text) != 2 or code not in STATES:
        return None
    if code in _WORDLIKE_CODES and (not text.isupper() or shouting):
        return None
    return STATES[code], 1


def _is_place_word(text: str, capitalised_only: bool) -> bool:
    if text == "," or text.lower().strip(".") in _NOT_PLACE:
        return False
    if (normalize(text),) in lay_table().phrases:  # "in Anxiety", "near DBT"
        return False
    return text[0].isupper() or not capitalised_only


def _city_words(words: list[re.Match[str]], capitalised_only: bool) -> int:
    """How many leading words could be a city name (at most 3, connectors inside allowed)."""
    n = named = 0
    while n < len(words) and named < 3:
        text = words[n].group()
        if n > 0 and text.lower() in _CONNECTORS and n + 1 < len(words):
            n += 1
            continue
        if not _is_place_word(text, capitalised_only):
            break
        n, named = n + 1, named + 1
    return n


def _city_text(words: list[re.Match[str]]) -> str:
    text = " ".join(w.group() for w in words).rstrip(".")  # "near Oakland." ends a sentence
    return text.title() if text.islower() or text.isupper() else text  # "oakland" -> "Oakland"


def _words_of_one_phrase(query: str, start: int) -> list[re.Match[str]]:
    """The words (and commas) from `start` up to the end of the phrase: a full stop after a
    word, or any other punctuation ("in Oakland? Anyone...") ends it."""
    words: list[re.Match[str]] = []
    for word in _WORD.finditer(query, start):
        gap = query[words[-1].end() if words else start : word.start()]
        if gap.strip() or len(words) == 8:
            break
        words.append(word)
        if word.group().endswith(".") and len(word.group()) > 3:  # not "St." or "Ft."
            break
    return words


def _place_after(query: str, start: int, shouting: bool) -> Place | None:
    """The place written right after a cue ("in", "near"...) that ends at `start`."""
    words = _words_of_one_phrase(query, start)
    if not words:
        return None
    nickname = _NICKNAMES.get(words[0].group().lower())
    if nickname and not (len(words) > 1 and words[1].group() == ","):
        return Place(city=nickname[0], state=nickname[1], spans=((start, words[0].end()),))
    for capitalised_only in (True, False):  # "Oakland, CA" first, then "oakland ca"
        for n in range(_city_words(words, capitalised_only), 0, -1):
            if " ".join(w.group().lower() for w in words[:n]) in _STATE_NAMES:
                continue
            j = n + 1 if n < len(words) and words[n].group() == "," else n
            state = _state_at(words, j, shouting) if j < len(words) else None
            if state:
                end = words[j + state[1] - 1].end()
                return Place(city=_city_text(words[:n]), state=state[0], spans=((start, end),))
    state = _state_at(words, 0, shouting)
    after = words[state[1]].group() if state and state[1] < len(words) else ","
    if state and not _is_place_word(after, capitalised_only=True):  # not "Kansas City"
        return Place(state=state[0], spans=((start, words[state[1] - 1].end()),))
    n = _city_words(words, capitalised_only=True)
    if n:
        return Place(city=_city_text(words[:n]), spans=((start, words[n - 1].end()),))
    known = _known_city(words)  # "near chicago", "in san jose accepting new clients"
    if known:
        return Place(city=known[0], spans=((start, words[known[1] - 1].end()),))
    return None


@cache
def _known_cities() -> dict[str, str]:
    """Lower-case name -> the city as written (mappings/us_cities.txt)."""
    lines = (MAPPINGS_DIR / "us_cities.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip().lower(): line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _known_city(words: list[re.Match[str]]) -> tuple[str, int] | None:
    """The known city the words start with, longest first, and how many words it takes."""
    for n in range(min(3, len(words)), 0, -1):
        name = _known_cities().get(" ".join(w.group().lower() for w in words[:n]).rstrip("."))
        if name:
            return name, n
    return None


def find_place(query: str) -> Place:
    """Zip anywhere ("95054"); city and state only after an explicit cue: "near Santa
    Clara", "in Oakland, CA", "in california", "in TX". Conservative on purpose: a wrong
    place filter hides every result, a missed one only ranks them less well."""
    zip_match = _ZIP.search(query)
    shouting = not any(c.islower() for c in query)
    found = Place()
    for cue in _CUE.finditer(query):
        place = _place_after(query, cue.end(), shouting)
        if place:
            found = place
            break
    if zip_match:
        spans = (*found.spans, zip_match.span())
        return Place(city=found.city, state=found.state, zip=zip_match.group(1), spans=spans)
    return found


def _place_terms(query: str, place: Place) -> list[tuple[str, str]]:
    """(as written, as understood): ("Oakland, CA", "Oakland, California"), ("95054", ...)."""
    terms = []
    for start, end in place.spans:
        written = query[start:end].strip()
        if written == place.zip:
            terms.append((written, written))
        else:
            terms.append((written, ", ".join(v for v in (place.city, place.state) if v)))
    return terms


# --- ages -------------------------------------------------------------------------------------

_AGE = re.compile(
    r"\b(\d{1,3})\s*(?:years?|yrs?)\s*olds?\b|\b(\d{1,3})\s*yo\b|\b(?:age|aged|ages)\s+(\d{1,3})\b"
    r"|\b(?:who\s+is|whos)\s+(\d{1,3})\b|\bin\s+(?:my|his|her|their)\s+(\d)0s\b"
)


def age_group_for(age: int) -> str | None:
    """The directory's age group for an age in years."""
    bands = (
        (12, "Children (6-12)"),
        (17, "Adolescents (13-17)"),
        (25, "Young Adults (18-25)"),
        (64, "Adults"),
        (110, "Seniors (65+)"),
    )
    return next((group for top, group in bands if age <= top), None) if age >= 1 else None


def find_ages(text: str) -> list[tuple[str, str]]:
    """(words, age group) for every explicit age in normalised text: "15 year old", "aged 70"."""
    found = []
    for m in _AGE.finditer(text):
        decade = m.group(5)
        age = int(decade) * 10 + 5 if decade else int(next(g for g in m.groups() if g))
        group = age_group_for(age)
        if group:
            found.append((m.group(), group))
    return found


# --- putting it together ------------------------------------------------------------------


def _blank(query: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The query with the place text removed, so "Hope, AR" is not read as a feeling."""
    chars = list(query)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _targets(matches: list[Match], explicit_age: bool) -> list[tuple[str, Target]]:
    """(phrase, target) pairs; an explicit age decides over "my son" (child or teen)."""
    pairs = []
    for m in matches:
        ages = [t for t in m.targets if t[0] == "age_group"]
        for target in m.targets:
            if not (explicit_age and len(ages) > 1 and target[0] == "age_group"):
                pairs.append((m.phrase, target))
    return pairs


def interpret(query: str | QueryText, today: date | None = None) -> Interpretation:
    """Read a typed query: "someone to help my teen stop cutting" -> Self Harm, Adolescents.
    `today` dates relative times ("available this week")."""
    read = query if isinstance(query, QueryText) else QueryText.of(query)
    typed = read.typed
    place = find_place(typed)
    text = normalize(_blank(typed, place.spans)) if place.spans else read.normalized
    ages = find_ages(text)
    pairs = _targets(lay_table().find(text.split()), explicit_age=bool(ages))
    pairs += [(words, ("age_group", group)) for words, group in ages]

    by_kind: dict[str, list[str]] = {}
    for _, (kind, name) in pairs:
        by_kind.setdefault(kind, [])
        if name not in by_kind[kind]:
            by_kind[kind].append(name)
    safety = recognise(read)
    conditions = read_conditions(typed, today or date.today())
    help = help_first(safety)
    # where there is abuse or assault, its specialists are what the query needs, and couples or
    # family counselling ("my husband" -> partner relationships) is the wrong first offer
    specialties = [*help.specialties, *(s for s in by_kind.get("specialty", []) if s not in help.never_ahead)]
    specialties = list(dict.fromkeys(specialties))
    age_groups = by_kind.get("age_group", [])
    therapy_types = by_kind.get("therapy_type", [])
    modality = by_kind.get("modality", [])
    matched = [(phrase, name.replace("_", " ")) for phrase, (_, name) in pairs if name not in help.never_ahead]
    return Interpretation(
        specialties=specialties,
        age_groups=age_groups,
        therapy_types=therapy_types,
        remote=True if "remote" in modality else None,
        in_person=True if "in_person" in modality else None,
        state=place.state,
        city=place.city,
        zip=place.zip,
        matched_terms=list(dict.fromkeys([*matched, *_place_terms(typed, place), *conditions.matched])),
        safety=safety,
        conditions=conditions,
    )
