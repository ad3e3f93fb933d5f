"""The profile view (/providers/{id}): the public record as a page, escaped, nothing unstated."""

from __future__ import annotations

from search_api.profile_page import render_missing, render_profile
from search_api.public import public_provider

RECORD = {
    "id": "demo-p-1",
    "name": "Ana <script>alert(1)</script> Ruiz",
    "credentials": ["Licensed Clinical Social Worker (LCSW)"],
    "specialties": ["Relationship(s) with Partner/Husband/Wife", "Anxiety"],
    "city": "Chicago",
    "state": "Illinois",
    "zip": "60614",
    "street": "1866 Highland Ave",
    "location": {"lat": 41.9, "lon": -87.6},
    "content_hash": "f442d6",
    "bio_quality": "ok",
    "bio": "First paragraph.\n\nSecond one.",
    "telehealth": True,
    "accepting_new_clients": True,
    "next_available": "2026-12-11",
    "session_fee_min": 90,
    "session_fee_max": 140,
    "sliding_scale": True,
}


def test_the_profile_shows_the_public_record_with_display_labels() -> None:
    page = render_profile(public_provider(RECORD))
    assert "Relationships and marriage and Anxiety" in page
    assert "$90–$140 a session; sliding scale" in page
    assert "Friday, December 11, 2026" in page
    assert "In person and online" in page
    assert page.count("<p>") == 2  # the bio's paragraphs


def test_the_profile_escapes_every_value_and_leaves_out_the_street_address() -> None:
    page = render_profile(public_provider(RECORD))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Highland" not in page and "f442d6" not in page and "41.9" not in page


def test_a_failed_bio_and_unstated_facts_are_not_shown() -> None:
    page = render_profile(public_provider({"id": "x", "name": "Bo", "bio": "test test", "bio_quality": "placeholder"}))
    assert "test test" not in page and 'data-fact="fee"' not in page and 'data-fact="gender"' not in page


def test_an_unknown_id_is_said_plainly_and_escaped() -> None:
    assert "&lt;b&gt;" in render_missing("<b>")
