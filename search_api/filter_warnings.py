"""Filter values no known value matches (`state=Illinoi`, `specialty=Nonsense`): named in the
answer's `warnings` with the closest known values, and applied as given (docs/contract.md).

Not a 422: the directory's records may carry specialties the taxonomy does not list (they are
kept as written, core/taxonomy.py), so a value unknown here can still match; and a search box
that answers "nothing, and here is what you may have meant" serves a person better than a
refusal. An integrator still sees the mistake in every answer it makes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from core.geo import STATES, canonical_state
from core.taxonomy import age_groups, specialties
from search_api.params import SearchParams

CLOSEST = 3


def filter_warnings(params: SearchParams) -> list[dict[str, object]]:
    warnings: list[dict[str, object]] = []
    if params.state and canonical_state(params.state) not in STATES.values():
        warnings.append(_unknown("state", params.state, STATES.values()))
    for param, vocabulary in (("specialty", specialties()), ("age_group", age_groups())):
        for value in getattr(params, param):
            if not vocabulary.is_known(value):
                warnings.append(_unknown(param, value, vocabulary.canonical))
    return warnings


def _unknown(param: str, value: str, known: Iterable[str]) -> dict[str, object]:
    names = list(known)
    by_fold = {n.lower(): n for n in names}
    # the nearest by spelling, however far: an integrator sees what the vocabulary looks like
    closest = [by_fold[m] for m in difflib.get_close_matches(value.lower(), list(by_fold), n=CLOSEST, cutoff=0)]
    what = param.replace("_", " ")
    return {
        "parameter": param,
        "value": value,
        "message": f"unknown {what} {value!r}, applied as given; closest known: {', '.join(closest)}",
        "closest": closest,
    }
