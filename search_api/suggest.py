"""Typeahead: specialties (from the taxonomy and the lay-term table, matched in memory),
provider names and guide questions (search_as_you_type fields, one `_msearch`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from core.lay_terms import edit_distance, lay_table
from core.taxonomy import fold, specialties

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


def name_body(prefix: str) -> dict[str, Any]:
    return {
        "size": MAX_PER_KIND,
        "_source": ["id", "name", "city", "state"],
        "query": {
            "multi_match": {
                "query": prefix,
                "type": "bool_prefix",
                "fuzziness": "AUTO",
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
                            "fuzziness": "AUTO",
                            "fields": ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
                        }
                    }
                ],
                "filter": [{"exists": {"field": "title"}}],
            }
        },
    }


def msearch_lines(prefix: str, providers_alias: str, passages_alias: str) -> list[dict[str, Any]]:
    """The one `_msearch`: provider names, then guide questions."""
    return [{"index": providers_alias}, name_body(prefix), {"index": passages_alias}, question_body(prefix)]


def suggestions(prefix: str, answer: dict[str, Any]) -> dict[str, Any]:
    """The v1 suggest answer from the `_msearch` answer to `msearch_lines`."""
    names, questions = (r.get("hits", {}).get("hits", []) for r in answer["responses"])
    return {
        "query": prefix,
        "specialties": [{"text": s} for s in suggest_specialties(prefix)],
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
