"""Which words of a query may be typos: the ones no dictionary here knows.

Only those words go into the BM25 legs' fuzzy clause. Fuzzy expansion of every word was half
of the provider BM25 leg's cost at 100,000 providers, and a word spelled right gains nothing
from it: the main clause already matches it (stemmed, with the lay synonyms).

The dictionary: the whole words of the embedding model's vocabulary (about 21,700 common
English words, shipped in the installed model package, so nothing is downloaded) and every
word of the lay-term table and the specialty names ("ptsd", "insomnia" and other words the
model's vocabulary splits into pieces).
"""

from __future__ import annotations

import re
from functools import cache

from core.lay_terms import lay_table, normalize, query_filler_words
from core.model_paths import bundled_model_path

# Fuzziness AUTO allows no edit below three letters: shorter words gain nothing from it.
MIN_TYPO_LENGTH = 3
_WORD = re.compile(r"[a-z]+")
# words as the engine's standard tokenizer keeps them ("can't", "someone's" whole)
_TOKEN = re.compile(r"\w+(?:['’][\w]+)*")


def unknown_words(text: str, known: frozenset[str] | None = None) -> list[str]:
    """The words of `text` (in order, each once) that the dictionary does not know and that
    are long enough to be matched within an edit. Numbers are never typos."""
    return unknown_normalized_words(normalize(text), known)


def unknown_normalized_words(normalized: str, known: frozenset[str] | None = None) -> list[str]:
    """`unknown_words` of text already normalised (`lay_terms.normalize`)."""
    vocabulary = known_words() if known is None else known
    unknown = [w for w in _WORD.findall(normalized) if len(w) >= MIN_TYPO_LENGTH and w not in vocabulary]
    return list(dict.fromkeys(unknown))


@cache
def known_words() -> frozenset[str]:
    return model_vocabulary() | frozenset(w for phrase in lay_table().phrases for w in phrase)


def model_vocabulary() -> frozenset[str]:
    """Whole lowercase words of the model's WordPiece vocabulary (not '##' pieces, not
    '[unused]' tokens, not punctuation)."""
    lines = (bundled_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line.isalpha() and line.isascii() and line.islower())


def without_filler(text: str) -> str:
    """The query without the words of mappings/query_filler.txt ("i", "my", "how", "therapist"...),
    as the search analyzer drops them; a possessive counts as its word ("someone's"). For the
    providers' weak exact clause: there the filler words matched nearly every bio. Done here
    rather than by an analyzer so that indices built before it answer the same query."""
    filler = filler_words()
    kept = []
    for token in _TOKEN.findall(text):
        word = token.lower().replace("’", "'")
        if word.removesuffix("'s") not in filler and word not in filler:
            kept.append(token)
    return " ".join(kept)


@cache
def filler_words() -> frozenset[str]:
    return frozenset(w.lower() for w in query_filler_words())
