"""Which situations of risk a query signals: one reading of the text, one pass per table.

A query can signal several ("my husband hits me and i want to die"); they are reported in the
order of `Situation`. Typeahead sees a query before it is finished, so in prefix mode the text
is also read with the endings people most often type next ("my husband hits" + "me"): while a
risk is being typed, the block shows already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from search_api.query_text import QueryText
from search_api.safety import self_harm, violence
from search_api.safety.reading import read


class Situation(StrEnum):
    SUICIDE = "suicide_risk"  # risk to one's own life
    PARTNER_VIOLENCE = "partner_violence"  # violence, abuse or threats from a partner
    SEXUAL_ASSAULT = "sexual_assault"
    CHILD_ABUSE = "child_abuse"  # a child or teen being hurt
    HARM_TO_OTHERS = "harm_to_others"  # the person searching is afraid of hurting someone
    THREATENED = "threatened"  # someone threatening a life, not a partner or a parent


@dataclass(frozen=True)
class Recognition:
    situations: tuple[Situation, ...] = ()
    immediate_danger: bool = False  # 911 first

    @property
    def at_risk(self) -> bool:
        return bool(self.situations)


NOTHING = Recognition()


def _one(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation: a single pass over the text instead of one per pattern."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_OWN_LIFE = _one(tuple(p for group in self_harm.PATTERNS.values() for p in group))
_MEANS_AT_HAND = _one(tuple(p for group in self_harm.IMMEDIATE.values() for p in group))
_ALARM_PHRASE = re.compile(r"\b(?:" + "|".join(self_harm.ALARM_PHRASES) + r")\b")
# "i want to kill" with nothing after it: lean towards showing (both lines help).
_DANGLING = re.compile(r"\b(?:want|wanna|going|ready|about|plan|planning|trying)\s+to\s+(?:kill|hurt|harm)$")
_TABLES = (
    (Situation.PARTNER_VIOLENCE, _one(violence.PARTNER_VIOLENCE)),
    (Situation.SEXUAL_ASSAULT, _one(violence.SEXUAL_ASSAULT)),
    (Situation.CHILD_ABUSE, _one(violence.CHILD_ABUSE)),
    (Situation.HARM_TO_OTHERS, _one(violence.HARM_TO_OTHERS)),
)
_THREATS = _one(violence.THREATS)
_PARTNER = re.compile(rf"\b{violence.PARTNER}\b")
_CAREGIVER = re.compile(rf"\b{violence.CAREGIVER}\b")
_DANGER_NOW = _one(violence.DANGER_NOW)
# What people type next while the risk is still unfinished ("i want to kill" -> "myself").
_PREFIX_ENDINGS = ("", " me", " myself", " life")


def _situations_in(text: str) -> tuple[set[Situation], bool]:
    found: set[Situation] = set()
    immediate = False
    if any(t in self_harm.ALARM_WORDS for t in text.split()) or _ALARM_PHRASE.search(text) or _OWN_LIFE.search(text):
        found.add(Situation.SUICIDE)
    if _MEANS_AT_HAND.search(text):
        found.add(Situation.SUICIDE)
        immediate = True
    if _DANGLING.search(text):
        found.update((Situation.SUICIDE, Situation.HARM_TO_OTHERS))
    for situation, pattern in _TABLES:
        if pattern.search(text):
            found.add(situation)
    if _THREATS.search(text):
        immediate = True
        # who threatens decides which line helps: a partner, a parent, or anyone else
        if _PARTNER.search(text):
            found.add(Situation.PARTNER_VIOLENCE)
        elif _CAREGIVER.search(text):
            found.add(Situation.CHILD_ABUSE)
        elif not found & {Situation.PARTNER_VIOLENCE, Situation.CHILD_ABUSE}:
            found.add(Situation.THREATENED)
    if found and _DANGER_NOW.search(text):
        immediate = True
    return found, immediate


@lru_cache(maxsize=4096)
def recognise(query: str | QueryText, prefix: bool = False) -> Recognition:
    """The situations of risk a query signals (leaning towards seeing one). `prefix`: the query
    is still being typed (typeahead)."""
    # from what was typed: normalising first would split "k!ll" and drop a Cyrillic "і"
    text = read(query.typed if isinstance(query, QueryText) else query)
    if not text:
        return NOTHING
    found: set[Situation] = set()
    immediate = False
    for ending in _PREFIX_ENDINGS if prefix else ("",):
        more, now = _situations_in(text + ending)
        found |= more
        immediate = immediate or now
    if not found:
        return NOTHING
    return Recognition(tuple(s for s in Situation if s in found), immediate)


def detect_crisis(query: str) -> bool:
    """True when the query signals a risk to someone's life or safety."""
    return recognise(query).at_risk
