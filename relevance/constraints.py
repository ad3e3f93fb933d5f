"""Grading the constraint queries (``constraint_queries.jsonl``): a need plus practical
conditions, graded as ../shared/data/README.md says.

Gain 0 unless the provider meets every constraint; then 2 where one of its first three
specialties is among the query's specialties, 1 where only a later one is. The constraints:
``language``, ``insurance``, ``gender``, ``faith`` (the value is in the provider's field);
``age_group`` (a value of ``ages_served`` starts with it); ``in_person`` (an address, and not
remote only); ``telehealth``; ``city`` and ``state`` (of the address); ``sliding_scale``;
``max_fee`` (``session_fee_min`` at most this, or a sliding scale); ``accepting``;
``available_by`` (``next_available`` on or before this date; the evaluation's "today" is
2026-12-06, which the queries' relative dates were written against).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Record = Mapping[str, Any]
EVALUATION_TODAY = "2026-12-06"


def _has(field: str) -> Callable[[Record, Any], bool]:
    def check(provider: Record, value: Any) -> bool:
        held = provider.get(field)
        return value in held if isinstance(held, list) else held == value

    return check


def _address(field: str) -> Callable[[Record, Any], bool]:
    return lambda provider, value: (provider.get("address") or {}).get(field) == value


def _flag(field: str) -> Callable[[Record, Any], bool]:
    return lambda provider, value: bool(provider.get(field)) == bool(value)


def _max_fee(provider: Record, value: Any) -> bool:
    fee = provider.get("session_fee_min")
    return bool(provider.get("sliding_scale")) or (fee is not None and fee <= value)


def _available_by(provider: Record, value: Any) -> bool:
    opening = provider.get("next_available")
    return opening is not None and str(opening) <= str(value)  # ISO dates compare as text


CHECKS: dict[str, Callable[[Record, Any], bool]] = {
    "language": _has("languages"),
    "insurance": _has("insurance"),
    "gender": _has("gender"),
    "faith": _has("faith"),
    "age_group": lambda p, v: any(str(a).startswith(v) for a in p.get("ages_served") or []),
    "in_person": lambda p, v: bool(p.get("address")) and not p.get("remote_only"),
    "telehealth": _flag("telehealth"),
    "city": _address("city"),
    "state": _address("state"),
    "sliding_scale": _flag("sliding_scale"),
    "max_fee": _max_fee,
    "accepting": _flag("accepting_new_clients"),
    "available_by": _available_by,
}


def meets(provider: Record, constraints: Mapping[str, Any]) -> bool:
    """Every constraint holds. An unknown constraint is an error, not a pass."""
    unknown = set(constraints) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown constraint(s): {', '.join(sorted(unknown))}")
    return all(CHECKS[name](provider, value) for name, value in constraints.items())
