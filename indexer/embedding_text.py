"""What text each document is embedded as.

Providers: what they treat (primary first), their approaches, the ages they see, then the
bio; a placeholder bio is left out (it would only add noise). Passages: the question (title)
and the answer; longer than the model's window, the answer is split into overlapping word
windows whose vectors are averaged (see `indexer.embed`).
"""

from __future__ import annotations

from typing import Any

# all-MiniLM-L6-v2 reads 256 word pieces; ~180 words stays inside it for English prose.
WINDOW_WORDS = 180
OVERLAP_WORDS = 30


def provider_text(doc: dict[str, Any]) -> str:
    parts = []
    if doc["specialties"]:
        parts.append("Treats " + ", ".join(doc["specialties"]) + ".")
    if doc["therapy_types"]:
        parts.append("Approaches: " + ", ".join(doc["therapy_types"]) + ".")
    if doc["ages_served"]:
        parts.append("Works with " + ", ".join(doc["ages_served"]) + ".")
    if doc.get("bio") and doc.get("bio_quality") == "ok":
        parts.append(doc["bio"])
    return " ".join(parts) or doc["name"]


def passage_text(doc: dict[str, Any]) -> str:
    title = doc.get("title")
    return f"{title}\n{doc['text']}" if title else doc["text"]


def windows(text: str, size: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> list[str]:
    """The text as overlapping windows of at most `size` words (one window if it fits)."""
    words = text.split()
    if len(words) <= size:
        return [text]
    step = size - overlap
    return [" ".join(words[start : start + size]) for start in range(0, len(words) - overlap, step)]
