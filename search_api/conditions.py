"""The practical conditions people type beside their need: language, insurance, who the
therapist is (gender, faith), what it may cost, and when (accepting, the next opening).

"spanish speaking therapist for my son's anxiety" -> languages Spanish; "takes medi-cal" ->
Medi-Cal; "cheap" -> at most $80 a session; "female counselor" -> Female; "available this week"
-> an opening by today + 7. The vocabulary is `mappings/conditions.json`; the rules that keep
look-alikes out are here: a gender word counts only beside a word for the therapist ("female
therapist", not "therapist for women"), a faith only when not left behind ("ex mormon"), the
insurance words that are also ordinary words ("medical", "united") only after a cue such as
"takes". Matching is on the text as typed, lower-cased, so each condition keeps its span: the
words that only state a condition ("in person", "speaking") are taken out of the text the
BM25 legs search ("in person" used to match Personality specialties).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from core.settings import MAPPINGS_DIR

Span = tuple[int, int]

PROVIDER_NOUN = (
    r"(?:therapists?|counsel(?:l)?ors?|psychologists?|psychiatrists?|psychotherapists?|doctors?|dr|"
    r"clinicians?|providers?|practitioners?|social\s+workers?|lcsws?|lmfts?|mfts?|lpcs?|coach(?:es)?|"
    r"shrinks?|analysts?|nurse\s+practitioners?|professionals?|specialists?|someone|somebody|person)"
)
# what the therapist is, said of the therapist: "female therapist", "therapist who is a woman"
_GENDER_BEFORE = r"(?:a\s+|an\s+)?{word}\s+(?:only\s+)?(?:\w+\s+)?{noun}\b"
_GENDER_AFTER = r"{noun}\s+(?:who\s+is|that\s+is|whos|who's|being)\s+(?:a\s+|an\s+)?{word}\b"
_GENDER_TALK = r"(?:talk\s+to|see|speak\s+with|speak\s+to|work\s+with|prefer)\s+(?:a\s+|an\s+)?{word}\b"
# a faith left behind is not the care asked for
_LEFT_BEHIND = re.compile(
    r"(?:\bex|former|leaving|left|leave|quit|quitting|deconstruct\w*|escap\w*|recovering)\W+(?:\w+\W+){0,2}$"
)
_INSURANCE_CUE = re.compile(
    r"(?:take|takes|taking|accept|accepts|accepting|covered\s+by|covers|through|with|in\s+network(?:\s+with)?|"
    r"uses|have|has|insurance|plan)\W+(?:\w+\W+){0,2}$"
)
_AMOUNT = re.compile(
    r"(?:under|below|less\s+than|cheaper\s+than|max(?:imum)?|no\s+more\s+than|up\s+to|at\s+most|within|<)\s*"
    r"\$\s*(\d{2,4})|\$\s*(\d{2,4})\s*(?:or\s+less|or\s+under|max(?:imum)?|and\s+under|or\s+below)|"
    r"(?:under|below|less\s+than|max(?:imum)?|no\s+more\s+than|up\s+to|at\s+most)\s+(\d{2,4})\s*"
    r"(?:dollars|bucks|usd|a\s+session|per\s+session|/\s*session|an\s+hour|per\s+hour)"
)
# "today", "soon", "this week" state a time for an opening only beside a word about one
_AVAILABILITY_CUE = re.compile(
    rf"\b(?:available|availability|appointments?|openings?|open|sessions?|slots?|book|booking|schedule|"
    rf"start|starting|get\s+in|see\s+(?:someone|somebody|a|me)|seen|intake|consultations?|{PROVIDER_NOUN})\b"
)
# "free" is a price only for care ("free counseling", "for free"), not "stress free" or "free time"
_FREE_CARE = re.compile(
    r"(?:\bfor\s+free\b|\bfree\s+(?:or\s+\w+\s+cost|(?:\w+\s+)?(?:therapy|counsel(?:l)?ing|sessions?|services?|care|"
    r"mental\s+health|support|clinics?|help|therapists?|counsel(?:l)?ors?|treatment)))"
)
_CANT_AFFORD = re.compile(
    r"\b(?:cant|can't|cannot|can\s+not)\s+afford\s+(?:a\s+|the\s+|to\s+(?:pay|see)\s+)?(?:therapy|therapists?|"
    r"counsel(?:l)?ing|counsel(?:l)?ors?|sessions?|treatment|it|much)\b"
)
# a language or a faith counts as a wish about the therapist only where it is said of one
_LANGUAGE_CUE_AFTER = re.compile(rf"[\s\-]*(?:speaking|speaker|speakers|fluent|{PROVIDER_NOUN})\b")
_LANGUAGE_CUE_BEFORE = re.compile(r"(?:speaks?|speaking|fluent\s+in|in|bilingual(?:\s+in)?)\s+$")
_FAITH_CUE_AFTER = re.compile(
    rf"[\s\-]*(?:\w+[\s\-]+)?(?:{PROVIDER_NOUN}|counsel(?:l)?ing|therapy|perspective|values|approach|based|"
    r"centered|informed|faith)\b"
)
_FAITH_CUE_BEFORE = re.compile(r"(?:who\s+is|whos|who's|that\s+is|shares\s+my|a|an|from\s+a|with\s+a)\s+$")
_WITHIN = re.compile(r"(?:within|in\s+the\s+next|in)\s+(\d{1,2}|a|one|two|three|four)\s+(days?|weeks?)")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}


@dataclass(frozen=True)
class Conditions:
    languages: tuple[str, ...] = ()
    insurance: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    faiths: tuple[str, ...] = ()
    max_fee: int | None = None
    sliding_scale: bool = False
    accepting: bool = False
    available_by: str | None = None  # ISO date
    matched: tuple[tuple[str, str], ...] = ()  # (as written, what it was read as), for the chips
    spans: tuple[Span, ...] = field(default=(), compare=False)  # where in the typed text

    def __bool__(self) -> bool:
        return bool(self.matched)

    def days_from(self, today: date) -> int | None:
        """`available_by` as a number of days from `today`."""
        return (date.fromisoformat(self.available_by) - today).days if self.available_by else None

    def as_dict(self) -> dict[str, Any]:
        """For `interpreted.conditions`."""
        return {
            "languages": list(self.languages),
            "insurance": list(self.insurance),
            "genders": list(self.genders),
            "faiths": list(self.faiths),
            "max_fee": self.max_fee,
            "sliding_scale": self.sliding_scale,
            "accepting": self.accepting,
            "available_by": self.available_by,
        }


def _pattern(phrase: str) -> str:
    """A phrase as a regular expression: a space also matches a hyphen, a slash or nothing."""
    return r"[\s\-/]*".join(re.escape(word) for word in phrase.split())


@cache
def _vocabulary() -> dict[str, Any]:
    with open(MAPPINGS_DIR / "conditions.json", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def _table(section: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, canonical value) for a section of the vocabulary, longest phrases first."""
    pairs = [(phrase, value) for value, phrases in _vocabulary()[section].items() for phrase in phrases]
    pairs.sort(key=lambda pair: -len(pair[0]))
    return [(re.compile(rf"(?<![\w$]){_pattern(p)}(?![\w])"), value) for p, value in pairs]


@cache
def _phrases(section: str) -> list[re.Pattern[str]]:
    phrases = sorted(_vocabulary()[section], key=len, reverse=True)
    return [re.compile(rf"(?<![\w]){_pattern(p)}(?![\w])") for p in phrases]


def _matches(text: str, table: list[tuple[re.Pattern[str], str]]) -> Iterator[tuple[re.Match[str], str]]:
    """Non-overlapping matches, longest phrase first ("blue shield of california" before "blue shield")."""
    taken: list[Span] = []
    for pattern, value in table:
        for match in pattern.finditer(text):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                taken.append(match.span())
                yield match, value


class _Reading:
    """What has been read so far: values per condition, spans, and the chips' words."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        self.values: dict[str, list[str]] = {"languages": [], "insurance": [], "genders": [], "faiths": []}
        self.spans: list[Span] = []
        self.matched: list[tuple[str, str]] = []

    def add(self, kind: str, value: str, span: Span, meaning: str | None = None) -> None:
        if value not in self.values[kind]:
            self.values[kind].append(value)
        self.note(span, meaning or value)

    def note(self, span: Span, meaning: str) -> None:
        self.spans.append(span)
        written = self.typed[span[0] : span[1]].strip()
        if (written, meaning) not in self.matched:
            self.matched.append((written, meaning))


def read_conditions(typed: str, today: date) -> Conditions:
    """The conditions stated in a query as typed; `today` dates "this week" (settings can fix it)."""
    text = typed.lower().replace("’", "'")
    reading = _Reading(typed)
    _read_languages(text, reading)
    _read_insurance(text, reading)
    _read_genders(text, reading)
    _read_faiths(text, reading)
    max_fee = _read_cost(text, reading)
    sliding = _read_flag(text, reading, "sliding_scale", "sliding scale")
    accepting = _read_flag(text, reading, "accepting", "accepting new clients")
    within = _read_availability(text, reading)
    _note_modality(text, reading)
    return Conditions(
        languages=tuple(reading.values["languages"]),
        insurance=tuple(reading.values["insurance"]),
        genders=tuple(reading.values["genders"]),
        faiths=tuple(reading.values["faiths"]),
        max_fee=max_fee,
        sliding_scale=sliding,
        accepting=accepting,
        available_by=(today + timedelta(days=within)).isoformat() if within is not None else None,
        matched=tuple(reading.matched),
        spans=tuple(sorted(set(reading.spans))),
    )


def _read_languages(text: str, reading: _Reading) -> None:
    for match, value in _matches(text, _table("languages")):
        end = match.end()
        after = _LANGUAGE_CUE_AFTER.match(text[end:])
        before = _LANGUAGE_CUE_BEFORE.search(text[: match.start()])
        if not (after or before):  # "my husband is korean" says nothing about the therapist
            continue
        # "spanish speaking", "speaks spanish": the span covers the cue too, not the therapist
        spoken = re.match(r"[\s\-]*(?:speaking|speaker|speakers|fluent)\b", text[end:])
        start = match.start() - (len(before.group()) if before else 0)
        reading.add("languages", value, (start, end + (spoken.end() if spoken else 0)), f"speaks {value}")


def _read_insurance(text: str, reading: _Reading) -> None:
    needs_cue = set(_vocabulary()["_insurance_needs_a_cue"])
    for match, value in _matches(text, _table("insurance")):
        written = re.sub(r"[\s\-/]+", " ", match.group())
        if written in needs_cue and not _INSURANCE_CUE.search(text[: match.start()]):
            continue
        reading.add("insurance", value, match.span(), f"takes {value}")


def _read_genders(text: str, reading: _Reading) -> None:
    for value, words in _vocabulary()["genders"].items():
        for word in sorted(words, key=len, reverse=True):
            w = _pattern(word)
            for template in (_GENDER_BEFORE, _GENDER_AFTER, _GENDER_TALK):
                pattern = template.format(word=w, noun=PROVIDER_NOUN)
                for match in re.finditer(rf"(?<![\w]){pattern}", text):
                    word_at = re.search(rf"(?<![\w]){w}(?![\w])", text[match.start() : match.end()])
                    if word_at:
                        start = match.start() + word_at.start()
                        reading.add("genders", value, (start, match.start() + word_at.end()), f"{value} therapist")


def _read_faiths(text: str, reading: _Reading) -> None:
    for match, value in _matches(text, _table("faiths")):
        if _LEFT_BEHIND.search(text[: match.start()]):
            continue
        if not (_FAITH_CUE_AFTER.match(text[match.end() :]) or _FAITH_CUE_BEFORE.search(text[: match.start()])):
            continue  # "my christian parents" is not a wish for faith-informed care
        reading.add("faiths", value, match.span(), f"{value} faith")


def _read_cost(text: str, reading: _Reading) -> int | None:
    fees: list[int] = []
    for match in _AMOUNT.finditer(text):
        amount = int(next(g for g in match.groups() if g))
        fees.append(amount)
        reading.note(match.span(), f"at most ${amount} a session")
    for match, value in _matches(text, _table("max_fee")):
        if value == "0" and not _FREE_CARE.search(text, max(0, match.start() - 4)):
            continue
        fees.append(int(value))
        reading.note(match.span(), "free or low cost" if int(value) == 0 else f"at most ${value} a session")
    for match in _CANT_AFFORD.finditer(text):
        fees.append(80)
        reading.note(match.span(), "at most $80 a session")
    # "free or low cost": the most any of the words allows
    return max(fees) if fees else None


def _read_flag(text: str, reading: _Reading, section: str, meaning: str) -> bool:
    table = [(pattern, meaning) for pattern in _phrases(section)]
    found = False
    for match, _ in _matches(text, table):
        found = True
        reading.note(match.span(), meaning)
    return found


def _read_availability(text: str, reading: _Reading) -> int | None:
    if not _AVAILABILITY_CUE.search(text):
        return None
    days: list[int] = []
    for match in _WITHIN.finditer(text):
        count = _NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
        days.append(count * (7 if match.group(2).startswith("week") else 1))
        reading.note(match.span(), f"an opening within {days[-1]} days")
    for match, value in _matches(text, _table("available_within_days")):
        days.append(int(value))
        reading.note(match.span(), "an opening " + ("today" if value == "0" else f"within {value} days"))
    return min(days) if days else None


@cache
def _modality_patterns() -> list[re.Pattern[str]]:
    """ "in person", "online"...: interpretation reads what they mean (the lay-term table's
    modality); here only where they are written, so the BM25 legs leave them out."""
    with open(MAPPINGS_DIR / "lay_terms.json", encoding="utf-8") as fh:
        phrases = [p for group in json.load(fh)["modality"].values() for p in group]
    return [re.compile(rf"(?<![\w]){_pattern(p)}(?![\w])") for p in sorted(phrases, key=len, reverse=True)]


def _note_modality(text: str, reading: _Reading) -> None:
    for pattern in _modality_patterns():
        reading.spans.extend(match.span() for match in pattern.finditer(text))
