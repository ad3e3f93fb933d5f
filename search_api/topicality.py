"""Is the query about anything the directory or its guides can help with? "pizza delivery" and
"asdfgh" are not, and their answer lists nothing rather than a page of therapists offered as if
they matched; "anxeity", "cant sleep", "my bf is toxic" and a plain "help" are.

A query is on topic when any of these holds (in this order, the cheap ones first):
- it names a need the lay-term table knows (a specialty, an age, an approach) or signals a risk;
- nothing is left of it but the directory's own words ("help", "therapist near me");
- one of its unknown words is one typo from a word of the lay-term table ("greif");
- it speaks of oneself in a sentence ("why do I throw all my stuff away", "people make me sick"):
  a personal concern, which is what people bring here ("near me" is a place, not a person);
- its nearest guide answer or provider profile is close in meaning: the kNN score (the engines'
  (1 + cosine) / 2) at least `Tuning.topicality_floor`. Measured on 30 off-topic queries and 30
  short, misspelled or slangy on-topic ones (tests/unit/data/): the off-topic ones' nearest
  answers scored 0.57-0.73, the on-topic ones that reach this rule 0.78-0.83; docs/relevance.md.
Browsing, explicit need filters and the bm25 mode (no vector to judge by) are never judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from core.lay_terms import edit_distance, lay_table
from search_api.interpret import Interpretation
from search_api.query_text import QueryText

MIN_TYPO_WORD = 4


@cache
def _lay_words() -> frozenset[str]:
    return frozenset(word for phrase in lay_table().phrases for word in phrase if len(word) >= MIN_TYPO_WORD)


def _a_typo_of_a_need(words: Iterable[str]) -> bool:
    lay = _lay_words()
    return any(
        edit_distance(word, known, 1) <= 1
        for word in words
        if len(word) >= MIN_TYPO_WORD
        for known in lay
        if abs(len(known) - len(word)) <= 1 and known[0] == word[0]
    )


_FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me", "my", "myself", "mine"})
MIN_SENTENCE_WORDS = 3


def _about_oneself(normalized: str) -> bool:
    words = normalized.replace("near me", " ").split()
    return len(words) >= MIN_SENTENCE_WORDS and any(w in _FIRST_PERSON for w in words)


def on_topic(meaning: Interpretation, query: QueryText, nearest_score: float | None, floor: float) -> bool:
    """`nearest_score`: the best kNN score of the query's legs (None when no vector leg ran)."""
    if meaning.specialties or meaning.age_groups or meaning.therapy_types or meaning.safety.at_risk:
        return True
    if not query.without_filler.strip():
        return True
    if _a_typo_of_a_need(query.unknown_words):
        return True
    if _about_oneself(query.normalized):
        return True
    return nearest_score is None or nearest_score >= floor


def spelling_suggestion(query: QueryText) -> str | None:
    """The query with each unknown word replaced by the lay-term word two typos away at most,
    when there is one ("anixety attcks" -> "anxiety attacks"); None when nothing changes."""
    lay = _lay_words()
    words = query.normalized.split()
    unknown = set(query.unknown_words)
    changed = False
    for i, word in enumerate(words):
        if word not in unknown or len(word) < MIN_TYPO_WORD:
            continue
        scored = sorted(
            (edit_distance(word, known, 2), known)
            for known in lay
            if abs(len(known) - len(word)) <= 2 and known[0] == word[0]
        )
        if scored and scored[0][0] <= 2:
            words[i], changed = scored[0][1], True
    return " ".join(words) if changed else None
