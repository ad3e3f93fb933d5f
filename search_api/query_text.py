"""The query text, read once per request into the forms its readers need: as typed (places and
highlights want the case), normalised (interpretation and the safety checks), without filler
words (the providers' weak exact clause) and the words no dictionary knows (the fuzzy clause)."""

from __future__ import annotations

from dataclasses import dataclass

from core.lay_terms import normalize
from search_api.typos import unknown_normalized_words, without_filler


@dataclass(frozen=True)
class QueryText:
    typed: str
    normalized: str
    without_filler: str
    unknown_words: tuple[str, ...]

    @classmethod
    def of(cls, typed: str) -> QueryText:
        normalized = normalize(typed)
        return cls(typed, normalized, without_filler(typed), tuple(unknown_normalized_words(normalized)))
