"""Placeholder until the lay-term table lands: no synonym rules."""

from __future__ import annotations


def synonym_rules() -> list[str]:
    return []
