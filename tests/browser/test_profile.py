"""Cards lead somewhere: a therapist's name opens their profile, at phone width; specialties
show their display labels on cards, facets and chips."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_card_leads_to_the_therapists_profile_at_phone_width(page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base}/?{urlencode({'q': 'anxiety therapist'})}")
    page.wait_for_selector("#provider-list > li")
    link = page.locator("#provider-list > li").first.locator("h3 a")
    name = link.inner_text()
    assert "/providers/" in link.get_attribute("href")
    link.click()
    page.wait_for_selector("#profile h1")
    assert page.locator("#profile h1").inner_text() == name
    facts = page.locator(".profile-facts dt").all_inner_texts()
    assert {"Where", "Helps with"} <= set(facts), facts
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the screen
    page.locator(".back-link").click()
    page.wait_for_selector("#q")


def test_an_unknown_profile_says_so_and_leads_back_to_search(page: Any) -> None:
    response = page.goto(f"{page.base}/providers/no-such-therapist")
    assert response.status == 404
    assert "could not find" in page.locator("h1").inner_text()


def test_specialties_show_their_display_labels(page: Any) -> None:
    specialty = "Relationship(s) with Partner/Husband/Wife"
    page.goto(f"{page.base}/?{urlencode({'specialty': specialty})}")
    page.wait_for_selector("#provider-list > li")
    assert "Relationships and marriage" in page.locator("#provider-list > li").first.locator(".treats").inner_text()
    assert "Helps with: Relationships and marriage" in page.locator("[data-testid=active-filters]").inner_text()
    option = page.locator(f'fieldset[data-facet="specialty"] input[value="{specialty}"]')
    assert option.is_checked()  # the directory's name is still what the filter sends
    assert "Partner/Husband/Wife" not in page.locator('fieldset[data-facet="specialty"]').inner_text()
