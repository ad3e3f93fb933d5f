"""Progress lines, and the text each document is embedded as."""

from __future__ import annotations

import io

from indexer.embedding_text import passage_text, provider_text
from indexer.progress import BAR_WIDTH, PLAIN_EVERY_S, Progress, format_duration, render

# ---------------------------------------------------------------- progress


def test_render_shows_the_bar_share_counts_rate_and_eta() -> None:
    line = render("providers", 50, 200, 5.0)
    assert line == f"providers [{'#' * 7}{'-' * (BAR_WIDTH - 7)}]  25% 50/200 10 docs/s ETA 15s"


def test_render_is_complete_at_the_end_and_safe_at_the_start() -> None:
    assert render("x", 3, 3, 1.0).startswith(f"x [{'#' * BAR_WIDTH}] 100% 3/3 3 docs/s ETA 0s")
    assert render("x", 0, 10, 0.0) == f"x [{'-' * BAR_WIDTH}]   0% 0/10 0 docs/s ETA 0s"
    assert "100%" in render("x", 0, 0, 0.0)


def test_durations_are_short_and_readable() -> None:
    assert [format_duration(s) for s in (0, 59.9, 61, 3600, 3725, -3)] == ["0s", "59s", "1m01s", "1h00m", "1h02m", "0s"]


def test_progress_off_a_terminal_draws_no_bar_and_says_nothing_of_a_short_run() -> None:
    stream = io.StringIO()
    progress = Progress("providers", 4, stream)
    progress.advance(2)  # too soon for a plain line
    progress.advance(2)  # the end: the summary after the run says it
    progress.close()
    assert stream.getvalue() == ""


def test_progress_off_a_terminal_gives_a_plain_sign_of_life_in_a_long_run() -> None:
    stream = io.StringIO()
    progress = Progress("providers", 4000, stream)
    progress._last_plain -= PLAIN_EVERY_S  # as if the last line were that long ago
    progress.advance(1000)
    assert stream.getvalue().startswith("providers: 1,000 of 4,000 (")
    assert "#" not in stream.getvalue() and "\r" not in stream.getvalue()


# ---------------------------------------------------------------- embedding text


def test_provider_text_leaves_out_placeholder_bios() -> None:
    doc = {
        "name": "Ana",
        "specialties": ["Anxiety"],
        "therapy_types": ["CBT"],
        "ages_served": ["Adults"],
        "bio": "test test test",
        "bio_quality": "placeholder",
    }
    assert provider_text(doc) == "Treats Anxiety. Approaches: CBT. Works with Adults."
    ok = {**doc, "bio": "I help adults.", "bio_quality": "ok"}
    assert provider_text(ok).endswith("Works with Adults. I help adults.")
    assert provider_text({**doc, "specialties": [], "therapy_types": [], "ages_served": []}) == "Ana"


def test_passage_text_is_the_question_then_the_answer() -> None:
    assert passage_text({"title": "Why?", "text": "Because."}) == "Why?\nBecause."
    assert passage_text({"title": None, "text": "Because."}) == "Because."


# ---------------------------------------------------------------- combining window vectors
