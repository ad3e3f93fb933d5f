"""Grading the constraint queries: a provider counts only when every condition holds, as the
shared data's README defines each one."""

from __future__ import annotations

from typing import Any

import pytest

from relevance.constraints import meets

PROVIDER: dict[str, Any] = {
    "languages": ["English", "Spanish"],
    "insurance": ["Aetna"],
    "gender": "Female",
    "faith": ["Christian"],
    "ages_served": ["Adolescents (13-17)", "Adults"],
    "address": {"city": "Oakland", "state": "California"},
    "remote_only": False,
    "telehealth": True,
    "sliding_scale": False,
    "session_fee_min": 120,
    "accepting_new_clients": True,
    "next_available": "2026-12-10",
}


@pytest.mark.parametrize(
    ("constraints", "held"),
    [
        ({"language": "Spanish"}, True),
        ({"language": "Korean"}, False),
        ({"gender": "Female", "faith": "Christian"}, True),
        ({"gender": "Male"}, False),
        ({"age_group": "Adolescents"}, True),
        ({"age_group": "Children"}, False),
        ({"in_person": True, "city": "Oakland", "state": "California"}, True),
        ({"city": "Oakland", "insurance": "Cigna"}, False),  # every condition, not any
        ({"max_fee": 120}, True),
        ({"max_fee": 100}, False),
        ({"available_by": "2026-12-10"}, True),
        ({"available_by": "2026-12-09"}, False),
        ({"accepting": True, "telehealth": True}, True),
    ],
)
def test_a_provider_meets_a_query_only_when_every_condition_holds(constraints: dict[str, Any], held: bool) -> None:
    assert meets(PROVIDER, constraints) is held


def test_a_sliding_scale_meets_any_fee_and_no_address_is_not_in_person() -> None:
    assert meets({**PROVIDER, "sliding_scale": True, "session_fee_min": 250}, {"max_fee": 60})
    assert not meets({**PROVIDER, "address": None}, {"in_person": True})
    assert not meets({**PROVIDER, "remote_only": True}, {"in_person": True})
    assert not meets({**PROVIDER, "next_available": None}, {"available_by": "2027-01-01"})


def test_an_unknown_constraint_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValueError, match="distance"):
        meets(PROVIDER, {"distance": 5})
