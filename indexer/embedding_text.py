"""What text each document is embedded as.

Providers: what they treat (primary first), their approaches, the ages they see, then the
bio; a placeholder bio is left out (it would only add noise). Passages: the question (title)
and the answer, as one text that the model reads up to its window (256 word pieces).

Chosen by measurement (`bench/embedding_text_study.py`, README "What each document is embedded
as"): keeping the start of a long answer found more of the answers than averaging the vectors of
overlapping windows (recall@10 0.541 against 0.512, vector leg alone; hybrid nDCG@10 0.501
against 0.494), at a third fewer encodings.
"""

from __future__ import annotations

from typing import Any


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
