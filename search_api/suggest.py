"""Typeahead: specialties (from the taxonomy and the lay-term table, matched in memory),
provider names and guide questions (search_as_you_type fields, one `_msearch`).

Typeahead sees the words first, so it is as careful as search: a prefix that signals a risk
carries the safety block and suggests no therapist names, and fuzzy matching is off whenever a
risk word was typed ("i want to kill" must not become five therapists named Wang).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from core.lay_terms import edit_distance, lay_table
from core.taxonomy import fold, specialties
from search_api.safety import Recognition, help_first, safety_block
from search_api.safety.reading import has_risk_word

MAX_PER_KIND = 5


@cache
def specialty_entries() -> list[tuple[str, str]]:
    """(folded text to match, canonical specialty) for names, variants and lay phrases."""
    vocab = specialties()
    entries = [(key, canonical) for key, canonical in vocab.by_key.items()]
    for words, targets in lay_table().phrases.items():
        for kind, name in targets:
            if kind == "specialty":
                entries.append((" ".join(words), name))
    return entries


def suggest_specialties(prefix: str, limit: int = MAX_PER_KIND) -> list[str]:
    """Specialties whose name, variant or lay phrase starts with what was typed (any word of
    it), or is one typo away from it."""
    typed = fold(prefix)
    if not typed:
        return []
    scored: dict[str, int] = {}
    for text, canonical in specialty_entries():
        words = text.split()
        if text.startswith(typed) or any(w.startswith(typed) for w in words):
            rank = 0 if text.startswith(typed) else 1
        # one typo: compare with the word's prefixes one shorter and one longer too, so that a
        # letter missing ("depresion") or doubled ("anxxiety") counts as one edit, not two
        elif len(typed) >= 4 and any(
            edit_distance(w[:n], typed, 1) <= 1 for w in words for n in (len(typed) - 1, len(typed), len(typed) + 1)
        ):
            rank = 2
        else:
            continue
        scored[canonical] = min(rank, scored.get(canonical, rank))
    return [name for name, _ in sorted(scored.items(), key=lambda x: (x[1], x[0]))][:limit]


def _fuzziness(prefix: str) -> str:
    return "0" if has_risk_word(prefix) else "AUTO"


def name_body(prefix: str) -> dict[str, Any]:
    return {
        "size": MAX_PER_KIND,
        "_source": ["id", "name", "city", "state"],
        "query": {
            "multi_match": {
                "query": prefix,
                "type": "bool_prefix",
                "fuzziness": _fuzziness(prefix),
                "fields": ["name.suggest", "name.suggest._2gram", "name.suggest._3gram"],
            }
        },
    }


def question_body(prefix: str) -> dict[str, Any]:
    return {
        "size": MAX_PER_KIND,
        "_source": ["id", "title", "guide", "url"],
        "collapse": {"field": "title.keyword"},
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": prefix,
                            "type": "bool_prefix",
                            "fuzziness": _fuzziness(prefix),
                            "fields": ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
                        }
                    }
                ],
                "filter": [{"exists": {"field": "title"}}],
            }
        },
    }


def msearch_lines(prefix: str, safety: Recognition, providers_alias: str, passages_alias: str) -> list[dict[str, Any]]:
    """The one `_msearch`: provider names (none while a risk is typed), then guide questions."""
    questions = [{"index": passages_alias}, question_body(prefix)]
    if safety.at_risk:
        return questions
    return [{"index": providers_alias}, name_body(prefix), *questions]


def suggestions(prefix: str, safety: Recognition, answer: dict[str, Any]) -> dict[str, Any]:
    """The v1 suggest answer from the `_msearch` answer to `msearch_lines`."""
    responses = answer["responses"]
    names = [] if safety.at_risk else responses[0].get("hits", {}).get("hits", [])
    questions = responses[-1].get("hits", {}).get("hits", [])
    typed = suggest_specialties(prefix)
    first = [s for s in help_first(safety).specialties if s not in typed]
    return {
        "query": prefix,
        "crisis": safety_block(safety),
        "specialties": [{"text": s} for s in [*first, *typed][:MAX_PER_KIND]],
        "providers": [
            {
                "id": h["_source"]["id"],
                "text": h["_source"]["name"],
                "city": h["_source"].get("city"),
                "state": h["_source"].get("state"),
            }
            for h in names
        ],
        "questions": [
            {
                "id": h["_source"]["id"],
                "text": h["_source"]["title"],
                "guide": h["_source"].get("guide"),
                "url": h["_source"].get("url"),
            }
            for h in questions
        ],
    }
