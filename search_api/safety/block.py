"""What the answer says and does for a recognised situation: the `crisis` block (situations in
plain words, the lines to reach, 911 first where the danger is now) and which help leads the
results (`mappings/crisis.json`)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from core.settings import MAPPINGS_DIR
from search_api.safety.situations import Recognition

_EMERGENCY = "911"


@cache
def _mapping() -> dict[str, Any]:
    with open(MAPPINGS_DIR / "crisis.json", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _resource(key: str) -> dict[str, Any]:
    return {"id": key, **_mapping()["resources"][key]}


def safety_block(recognition: Recognition) -> dict[str, Any] | None:
    """The answer's `crisis` object, or None when nothing was recognised. A fresh copy each
    call, so callers may change it. `message` and `resources` keep their first meaning (what
    to say first, and every line to show); `situations` and `immediate_danger` were added."""
    if not recognition.at_risk:
        return None
    mapping = _mapping()
    situations = [{"id": s.value, **mapping["situations"][s.value]} for s in recognition.situations]
    keys = list(dict.fromkeys(k for s in situations for k in s["resources"]))
    keys = [k for k in keys if k != _EMERGENCY]
    # 911 is always there: first when the danger is now, last otherwise
    keys = [_EMERGENCY, *keys] if recognition.immediate_danger else [*keys, _EMERGENCY]
    return copy.deepcopy(
        {
            "message": situations[0]["message"],
            "situations": [{"id": s["id"], "label": s["label"], "message": s["message"]} for s in situations],
            "immediate_danger": recognition.immediate_danger,
            "immediate_danger_message": mapping["immediate_danger_message"] if recognition.immediate_danger else None,
            "resources": [_resource(k) for k in keys],
        }
    )


@dataclass(frozen=True)
class HelpFirst:
    """For situations of abuse and assault: the specialists who lead the therapists, the guide
    topics that lead the answers, and the specialties that never come before them."""

    specialties: tuple[str, ...] = ()
    passage_topics: tuple[str, ...] = ()
    never_ahead: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.specialties or self.passage_topics)


def help_first(recognition: Recognition) -> HelpFirst:
    rules = [_mapping()["situations"][s.value].get("help_first") for s in recognition.situations]
    rules = [r for r in rules if r]
    if not rules:
        return HelpFirst()
    return HelpFirst(
        specialties=tuple(dict.fromkeys(s for r in rules for s in r["specialties"])),
        passage_topics=tuple(dict.fromkeys(t for r in rules for t in r["passage_topics"])),
        never_ahead=frozenset(s for r in rules for s in r["never_ahead"]),
    )
