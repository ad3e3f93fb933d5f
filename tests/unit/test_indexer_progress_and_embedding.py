"""Progress lines, the text windows long answers are embedded in, and how window vectors
are combined."""

from __future__ import annotations

import io
import math
from itertools import pairwise

from indexer.embed import mean_unit
from indexer.embedding_text import OVERLAP_WORDS, WINDOW_WORDS, passage_text, provider_text, windows
from indexer.progress import BAR_WIDTH, Progress, format_duration, render

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


def test_progress_off_a_terminal_writes_plain_lines_and_always_the_last_one() -> None:
    stream = io.StringIO()
    progress = Progress("providers", 4, stream)
    progress.advance(2)  # too soon for a plain line
    progress.advance(2)  # the end: always written
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "4/4" in lines[0] and "100%" in lines[0]


# ---------------------------------------------------------------- embedding text


def test_a_text_that_fits_is_one_window_unchanged() -> None:
    assert windows("a short  answer") == ["a short  answer"]


def test_a_long_text_is_split_into_overlapping_windows_covering_every_word() -> None:
    words = [f"w{i}" for i in range(400)]
    parts = windows(" ".join(words))
    split = [p.split() for p in parts]
    assert all(len(p) <= WINDOW_WORDS for p in split)
    assert split[0][0] == "w0" and split[-1][-1] == "w399"
    for before, after in pairwise(split):
        assert before[-OVERLAP_WORDS:] == after[:OVERLAP_WORDS]
    assert len(parts) == 3


def test_no_window_is_only_overlap() -> None:
    for n in (WINDOW_WORDS + 1, 2 * WINDOW_WORDS - OVERLAP_WORDS, 2 * WINDOW_WORDS - OVERLAP_WORDS + 1, 1000):
        parts = [
            p.split()
            for p in windows(
                " ".join(f"w{i}" for i in range(n)),
            )
        ]
        assert parts[-1][-1] == f"w{n - 1}"
        assert all(len(p) > OVERLAP_WORDS for p in parts), n


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


def test_one_window_vector_is_used_as_is() -> None:
    assert mean_unit([[0.6, 0.8]]) == [0.6, 0.8]


def test_several_window_vectors_average_to_a_unit_vector() -> None:
    combined = mean_unit([[1.0, 0.0], [0.0, 1.0]])
    assert math.isclose(combined[0], math.sqrt(0.5)) and math.isclose(combined[1], math.sqrt(0.5))
    assert math.isclose(math.hypot(*combined), 1.0)


def test_opposite_window_vectors_do_not_divide_by_zero() -> None:
    assert mean_unit([[1.0, 0.0], [-1.0, 0.0]]) == [0.0, 0.0]
