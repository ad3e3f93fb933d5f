"""Placeholder text detection: exports carry bios such as `test test test`, `tt` or keyboard
mash. They are flagged for ranking, never deleted."""

from __future__ import annotations

import re

PLACEHOLDER_WORDS = frozenset(
    {
        "test",
        "testing",
        "tests",
        "tt",
        "tbd",
        "todo",
        "asdf",
        "qwerty",
        "lorem",
        "ipsum",
        "placeholder",
        "sample",
        "xxx",
        "xx",
        "na",
        "n/a",
        "none",
        "null",
        "undefined",
        "bio",
        "dummy",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "coming",
        "soon",
        "here",
        "to",
        "be",
        "added",
        "text",
        "your",
        "goes",
        "write",
        "something",
        "about",
        "yourself",
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")  # words of letters in any script
_REPEATED_UNIT = re.compile(r"^(\w{1,5})\1+$")
VOWELS = set("aeiouy")


def bio_quality(bio: str | None) -> str:
    """'missing', 'placeholder' or 'ok'."""
    if bio is None or not bio.strip():
        return "missing"
    return "placeholder" if is_placeholder(bio) else "ok"


def is_placeholder(text: str) -> bool:
    words = _LETTERS.findall(text.lower())
    if not words:
        return True
    if all(w in PLACEHOLDER_WORDS or _REPEATED_UNIT.match(w) for w in words):
        return True  # "test test test", "testtest", "tt"
    letters = "".join(words)
    if len(words) <= 3 and letters.isascii() and len(letters) >= 5 and _vowel_share(letters) < 0.2:
        return True  # keyboard mash such as "bkjljlkmkk"
    return len(letters) < 4


def _vowel_share(letters: str) -> float:
    return sum(ch in VOWELS for ch in letters) / len(letters)
