"""Placeholder bios (`test test test`, `tt`, keyboard mash) are recognised; real bios,
however short and in whatever script, are not."""

from __future__ import annotations

import pytest

from indexer.quality import bio_quality, is_placeholder


@pytest.mark.parametrize(
    "text",
    [
        "test test test",
        "tt",
        "testtest",
        "bkjljlkmkk",
        "bkjljlkmkk,",
        "Test",
        "TBD",
        "n/a",
        "lorem ipsum",
        "asdf asdf",
        "undefined",
        "xx",
        "...",
        "12345",
        "-",
    ],
)
def test_placeholder_text_is_recognised(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "I help teens.",
        "Mercy is a Licensed Marriage & Family Therapist in California .",
        "Warm, direct, practical.",
        "Trauma-informed care for adults.",
        "Psicóloga clínica bilingüe.",
        "Психотерапевт с 10-летним опытом работы с тревогой.",
        "心理咨询师，擅长焦虑和抑郁",
        "Bilingual LCSW",
    ],
)
def test_real_short_bios_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


def test_bio_quality_tells_missing_placeholder_and_ok_apart() -> None:
    assert bio_quality(None) == "missing"
    assert bio_quality("  \n") == "missing"
    assert bio_quality("testtest") == "placeholder"
    assert bio_quality("I work with couples in Austin.") == "ok"
