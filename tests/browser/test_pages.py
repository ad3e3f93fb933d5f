"""The search page (/) and the analysts' workbench (/workbench) in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

pytestmark = pytest.mark.browser

TEEN = "someone to help my teen stop cutting"
CRISIS = "I want to kill myself"
PHONE = {"width": 390, "height": 844}


# ---- helpers


def open_search(page: Any, query: str | None = None) -> None:
    page.goto(f"{page.base}/" + (f"?{urlencode({'q': query})}" if query else ""))
    if query:
        wait_for_results(page)


def wait_for_results(page: Any) -> None:
    page.wait_for_selector("#results:not([hidden]):not([aria-busy])")
    page.wait_for_selector("#provider-list > li")


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def card_states(page: Any) -> list[str]:
    return page.locator("#provider-list .card").evaluate_all("cards => cards.map(c => c.dataset.state)")


def search_requests(page: Any) -> list[dict[str, list[str]]]:
    seen: list[dict[str, list[str]]] = []

    def record(request: Any) -> None:
        if "/v1/search" in request.url:
            seen.append(parse_qs(urlparse(request.url).query))

    page.on("request", record)
    return seen


# ---- the search page


def test_a_query_shows_therapists_and_guide_answers(page: Any) -> None:
    open_search(page)
    page.fill("#q", TEEN)
    page.press("#q", "Enter")
    wait_for_results(page)

    assert page.locator("#therapists-h").is_visible()
    assert page.locator("#answers-h").is_visible()
    assert page.locator("#provider-list .card").count() >= 5
    assert page.locator("#passage-list .card").count() >= 3
    first = page.locator("#provider-list .card").first
    assert first.locator("h3").inner_text().strip()
    assert first.locator(".place-name").inner_text().strip()
    assert "Helps with" in first.inner_text()
    # highlights render as <mark> and nothing else comes through as markup
    assert page.locator("#provider-list mark, #passage-list mark").count() > 0
    tags = page.locator("#results .bio-line *, #results .snippet *").evaluate_all("ns => ns.map(n => n.tagName)")
    assert set(tags) <= {"MARK"}
    # a guide answer carries its question
    assert page.locator("#passage-list .card h3").first.inner_text().strip().endswith("?")
    assert query_of(page)["q"] == [TEEN]
    assert page.title().startswith(TEEN)


def test_highlights_are_escaped_except_mark(page: Any) -> None:
    open_search(page)
    fragment = '<img src=x onerror="alert(1)"><mark>cut</mark> haven&#x27;t <b>x</b> <MARK class=y>z</mark>'
    result = page.evaluate(
        "async (text) => (await import('/static/html.js')).safeMarked(text)",
        fragment,
    )
    assert result == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>cut</mark> haven&#39;t &lt;b&gt;x&lt;/b&gt; "
        "&lt;MARK class=y&gt;z</mark>"
    )


def test_typeahead_suggests_grouped_and_works_by_keyboard(page: Any) -> None:
    open_search(page)
    page.locator("#q").press_sequentially("self", delay=40)
    listbox = page.locator("#suggestions")
    listbox.wait_for(state="visible")
    assert page.get_attribute("#q", "aria-expanded") == "true"
    labels = listbox.locator(".suggestion-label").all_text_contents()
    assert "What people get help with" in labels
    assert "Questions from our guides" in labels
    options = listbox.locator("[role=option]")
    assert options.count() >= 3

    page.press("#q", "ArrowDown")
    active = page.get_attribute("#q", "aria-activedescendant")
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"
    chosen = page.locator(f"#{active}").evaluate("n => n.firstChild.textContent")
    page.press("#q", "Enter")
    wait_for_results(page)
    assert query_of(page)["q"] == [chosen]
    assert listbox.is_hidden()

    # providers appear under their own heading; Escape closes the list
    name = page.locator("#provider-list .card h3").first.inner_text().split()[0]
    page.fill("#q", "")
    page.locator("#q").press_sequentially(name[:4], delay=40)
    listbox.wait_for(state="visible")
    assert "Therapists" in listbox.locator(".suggestion-label").all_text_contents()
    page.press("#q", "Escape")
    assert listbox.is_hidden()
    assert page.get_attribute("#q", "aria-expanded") == "false"


def test_a_crisis_query_shows_the_crisis_block_first(page: Any) -> None:
    open_search(page)
    page.fill("#q", CRISIS)
    page.press("#q", "Enter")
    wait_for_results(page)

    block = page.locator("#crisis [role=alert]")
    assert block.is_visible()
    hrefs = block.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "tel:988" in hrefs
    assert "sms:988" in hrefs
    assert "tel:911" in hrefs
    assert any(h.startswith("sms:741741") and "HOME" in h for h in hrefs)
    assert "Text HOME to 741741" in block.inner_text()
    # above everything else: the search box, the understood chips, the results
    top = block.bounding_box()["y"]
    for selector in ("#search-form", "#understood", "#results"):
        box = page.locator(selector).bounding_box()
        assert box is not None and top < box["y"], selector
    assert top < 900  # visible without scrolling

    # an ordinary query takes it away
    page.fill("#q", "help with anxiety at work")
    page.press("#q", "Enter")
    page.wait_for_function("() => !document.querySelector('#crisis [role=alert]')")


def test_partner_violence_shows_its_own_line_named_calmly_at_phone_width(page: Any) -> None:
    page.set_viewport_size(PHONE)
    open_search(page, "my husband hits me")
    block = page.locator("#crisis [role=alert]")
    assert block.is_visible()
    assert "Violence or threats from a partner" in block.inner_text()
    hrefs = block.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs[0] == "tel:18007997233"  # the hotline first
    assert any(h.startswith("sms:88788") and "START" in h for h in hrefs)
    assert "tel:911" in hrefs
    assert block.bounding_box()["y"] < page.locator("#results").bounding_box()["y"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the block must not scroll sideways on a phone"
    # the right help first: the first therapists treat abuse, assault or trauma
    first = page.locator("#provider-list .card").first.inner_text()
    assert any(s in first for s in ("Domestic abuse", "Trauma", "Physical assault")), first  # display labels


def test_typeahead_shows_the_safety_block_above_every_suggestion_while_a_risk_is_typed(page: Any) -> None:
    page.set_viewport_size(PHONE)
    open_search(page)
    page.locator("#q").press_sequentially("i want to kill", delay=30)
    block = page.locator("#suggest-crisis [role=alert]")
    block.wait_for(state="visible")
    assert "tel:988" in block.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert page.locator("#suggestions .suggestion-label", has_text="Therapists").count() == 0
    listbox = page.locator("#suggestions")
    if listbox.is_visible():  # what is suggested sits below the block
        assert block.bounding_box()["y"] < listbox.bounding_box()["y"]
    page.press("#q", "Escape")
    assert block.is_hidden()
    # an ordinary prefix has no block
    page.fill("#q", "")
    page.locator("#q").press_sequentially("anxi", delay=30)
    listbox.wait_for(state="visible")
    assert page.locator("#suggest-crisis [role=alert]").count() == 0


def test_a_state_facet_narrows_every_card_and_back_undoes_it(page: Any) -> None:
    open_search(page, "anxiety")
    before = card_states(page)
    options = page.locator('fieldset[data-facet="state"] input[type=radio]:not([value=""])')
    states = options.evaluate_all("inputs => inputs.map(i => i.value)")
    chosen = next(s for s in states if s != before[0]) if len(set(states)) > 1 else states[0]
    page.locator('fieldset[data-facet="state"] label', has_text=chosen).first.click()
    page.wait_for_function("s => new URLSearchParams(location.search).get('state') === s", arg=chosen)
    wait_for_results(page)

    after = card_states(page)
    assert after and all(s == chosen for s in after), after
    assert page.locator("[data-testid=active-filters]").inner_text().count(chosen) == 1

    # keyboard: the checkbox just toggled keeps the focus when the panel is redrawn
    accepting = page.locator('input[name="accepting"]')
    accepting.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => new URLSearchParams(location.search).get('accepting') === 'true'")
    wait_for_results(page)
    assert page.evaluate("document.activeElement.name") == "accepting"
    assert accepting.is_checked()
    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('accepting')")
    wait_for_results(page)

    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('state')")
    wait_for_results(page)
    assert card_states(page) == before
    assert page.locator('fieldset[data-facet="state"] input[value=""]').is_checked()


def test_removing_an_understood_chip_keeps_the_others_as_filters(page: Any) -> None:
    open_search(page, TEEN)
    chips = page.locator("[data-testid=understood] button.chip")
    labels = chips.all_inner_texts()
    assert any("Adolescents" in label for label in labels), labels
    assert any("Self-harm" in label for label in labels), labels  # the display label

    chips.filter(has_text="Adolescents").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('interpret') === 'false'")
    wait_for_results(page)
    params = query_of(page)
    assert params["specialty"] == ["Self Harm"]
    assert "age_group" not in params
    assert page.locator("[data-testid=understood]").count() == 0
    assert "Helps with: Self-harm" in page.locator("[data-testid=active-filters]").inner_text()
    focused = page.evaluate("document.activeElement.id || document.activeElement.className")
    assert focused in ("q", "chip")

    page.locator("[data-testid=active-filters] button.chip").first.click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('specialty')")
    wait_for_results(page)
    assert page.locator("[data-testid=active-filters]").count() == 0


def test_keyboard_only_search(page: Any) -> None:
    open_search(page)
    # start from the top of the document, as after loading the page without autofocus
    page.evaluate("document.activeElement.blur(); document.body.tabIndex = -1; document.body.focus()")
    path = []
    for _ in range(5):
        page.keyboard.press("Tab")
        path.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if path[-1] == "q":
            break
    assert path[0] == "skip-link", path
    assert path[-1] == "q", f"Tab never reached the search box: {path}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused search box shows no focus outline"
    page.keyboard.type("panic attacks")
    page.keyboard.press("Enter")
    wait_for_results(page)
    assert query_of(page)["q"] == ["panic attacks"]
    assert page.evaluate("document.activeElement.id") == "q"
    assert "therapist" in page.locator("#status").inner_text()


def test_phone_width_is_one_column_without_horizontal_scroll(page: Any) -> None:
    page.set_viewport_size(PHONE)
    open_search(page, TEEN)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = {s: page.locator(s).bounding_box() for s in (".filters-panel", ".therapists", ".answers")}
    lefts = {round(b["x"]) for b in boxes.values()}
    assert len(lefts) == 1, boxes
    assert boxes[".therapists"]["y"] + boxes[".therapists"]["height"] <= boxes[".answers"]["y"]
    for box in boxes.values():
        assert box["x"] + box["width"] <= PHONE["width"]


def test_service_unavailable_retries_and_bad_input_says_why(page: Any) -> None:
    calls = {"n": 0}

    def first_fails(route: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            body = {"error": {"code": "cluster_unavailable", "message": "the search cluster is unreachable"}}
            route.fulfill(
                status=503, headers={"Retry-After": "1"}, content_type="application/json", body=json.dumps(body)
            )
        else:
            route.continue_()

    page.route("**/v1/search?*", first_fails)
    open_search(page)
    page.fill("#q", "grief")
    page.press("#q", "Enter")
    notice = page.locator("#error")
    notice.get_by_text("Search is temporarily unavailable, retrying…").wait_for()
    wait_for_results(page)
    assert notice.is_hidden()
    assert calls["n"] >= 2
    page.unroute("**/v1/search?*")

    page.goto(f"{page.base}/?{urlencode({'q': 'x' * 501})}")  # longer than the API takes
    notice.wait_for(state="visible")
    assert "q:" in notice.inner_text()
    assert page.locator("#results").is_hidden()


# ---- what people choose by besides the need: cost, who, when (issue 16)

SPANISH = "spanish speaking therapist for my son's anxiety"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DAY_IN_WORDS = re.compile(r"today|tomorrow|(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+ \d{1,2}(, \d{4})?")


def answer_to(page: Any, action: Any) -> dict[str, Any]:
    """The JSON answer of the search `action` sets off."""
    with page.expect_response(lambda r: "/v1/search" in r.url and r.request.method == "GET") as info:
        action()
    answer: dict[str, Any] = info.value.json()
    wait_for_results(page)
    return answer


def goto_search(page: Any, **params: Any) -> dict[str, Any]:
    return answer_to(page, lambda: page.goto(f"{page.base}/?{urlencode(params, doseq=True)}"))


def facts_of(card: Any) -> dict[str, str]:
    items = card.locator(".facts li").evaluate_all("lis => lis.map(li => [li.dataset.fact, li.innerText])")
    return {name: " ".join(text.split()) for name, text in items}


def cards_with_facts(page: Any) -> list[tuple[str, dict[str, str]]]:
    cards = page.locator("#provider-list .card")
    return [(cards.nth(i).get_attribute("data-id"), facts_of(cards.nth(i))) for i in range(cards.count())]


def wait_for_param(page: Any, name: str, value: str | None) -> None:
    """Until the URL's `name` is `value` (None: absent), and the search it made has answered."""
    page.wait_for_function(
        "([n, v]) => new URLSearchParams(location.search).get(n) === v", arg=[name, value], polling=50
    )
    wait_for_results(page)


@pytest.mark.parametrize("width", [1280, PHONE["width"]], ids=["desktop", "phone"])
def test_cards_say_what_a_session_costs_when_the_next_opening_is_and_who_the_therapist_is(
    page: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    hits = {h["id"]: h for h in goto_search(page, q="anxiety", size=10)["providers"]["hits"]}
    shown = cards_with_facts(page)
    assert len(shown) == len(hits) >= 5
    for doc_id, facts in shown:
        hit = hits[doc_id]
        if hit["session_fee_min"] is None:
            assert "fee" not in facts or facts["fee"] == "Cost: Sliding scale"
        elif hit["session_fee_min"] == hit["session_fee_max"]:
            assert facts["fee"].startswith(f"Cost: ${hit['session_fee_min']} a session"), facts
        else:
            assert facts["fee"].startswith(f"Cost: ${hit['session_fee_min']}–${hit['session_fee_max']} a session")
        assert ("Sliding scale" in facts.get("fee", "")) == (hit["sliding_scale"] is True)
        if hit["next_available"] and hit["accepting_new_clients"] is not False:
            assert DAY_IN_WORDS.fullmatch(facts["opening"].removeprefix("Next opening: ")), facts["opening"]
        else:
            assert "opening" not in facts
        assert facts.get("gender") == (f"Gender: {hit['gender']}" if hit["gender"] else None)
        assert ("faith" in facts) == bool(hit["faith"])
        for faith in hit["faith"]:
            assert faith in facts["faith"]
    assert {"fee", "opening", "gender"} <= {name for _, facts in shown for name in facts}
    # plain words, never the record's ISO date
    assert not ISO_DATE.search(page.locator("#provider-list").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_gender_facet_narrows_every_card_and_shows_as_a_filter(page: Any) -> None:
    open_search(page, "anxiety")
    fieldset = page.locator('fieldset[data-facet="gender"]')
    counts = dict(
        fieldset.locator("label").evaluate_all(
            "ls => ls.map(l => [l.querySelector('input').value, Number(l.querySelector('.count').textContent)])"
        )
    )
    assert set(counts) <= {"Female", "Male", "Non-binary"} and len(counts) >= 2, counts
    chosen = min(counts, key=counts.get)  # the smallest group narrows the most
    fieldset.locator(f'input[value="{chosen}"]').check()
    wait_for_param(page, "gender", chosen)

    shown = cards_with_facts(page)
    assert shown and all(facts.get("gender") == f"Gender: {chosen}" for _, facts in shown), shown
    assert f"Gender: {chosen}" in page.locator("[data-testid=active-filters]").inner_text()
    assert fieldset.locator(f'input[value="{chosen}"]').is_checked()


def test_cost_and_opening_facets_are_offered_and_set_their_parameters(page: Any) -> None:
    open_search(page, "depression")
    opening = page.locator('fieldset[data-facet="available_within_days"]')
    assert opening.locator("label").all_inner_texts()[0].startswith("Any time")
    assert any(text.startswith("This week") for text in opening.locator("label").all_inner_texts())
    opening.locator('input[value="14"]').check()
    wait_for_param(page, "available_within_days", "14")
    for _, facts in cards_with_facts(page):
        assert "opening" in facts, facts  # every one has an opening within two weeks

    cost = page.locator('fieldset[data-facet="max_fee"]')
    cost.locator('input[name="sliding_scale"]').check()
    wait_for_param(page, "sliding_scale", "true")
    assert all("Sliding scale" in facts.get("fee", "") for _, facts in cards_with_facts(page))
    chips = page.locator("[data-testid=active-filters]").inner_text()
    assert "An opening within 2 weeks" in chips and "Sliding scale" in chips


def test_the_sort_selector_reorders_the_therapists_and_back_undoes_it(page: Any) -> None:
    open_search(page, "anxiety")
    sort = page.locator("#sort")
    assert sort.input_value() == "relevance"
    assert page.locator('#sort option[value="distance"]').is_disabled()  # no place to measure from

    answer = answer_to(page, lambda: sort.select_option("fee"))
    assert query_of(page)["sort"] == ["fee"]
    ids = [doc_id for doc_id, _ in cards_with_facts(page)]
    assert ids == [h["id"] for h in answer["providers"]["hits"]]
    fees = [h["session_fee_min"] for h in answer["providers"]["hits"] if not h["sliding_scale"]]
    assert fees == sorted(fees, key=lambda fee: (fee is None, fee)), fees

    answer = answer_to(page, lambda: sort.select_option("availability"))
    days = [h["next_available"] for h in answer["providers"]["hits"]]
    assert days == sorted(days, key=lambda day: (day is None, day)), days
    assert [doc_id for doc_id, _ in cards_with_facts(page)] == [h["id"] for h in answer["providers"]["hits"]]

    page.go_back()
    wait_for_param(page, "sort", "fee")
    assert sort.input_value() == "fee"


def test_nearest_first_is_offered_from_a_point_and_orders_by_distance(page: Any) -> None:
    open_search(page, "anxiety")  # a place in words or filters is no point to measure from (yet)
    assert page.locator('#sort option[value="distance"]').is_disabled()
    goto_search(page, q="anxiety", lat=34.05, lon=-118.24)  # a host site's link: central Los Angeles
    assert page.locator('#sort option[value="distance"]').is_enabled()
    answer = answer_to(page, lambda: page.locator("#sort").select_option("distance"))
    assert query_of(page)["sort"] == ["distance"]
    km = [h["distance_km"] for h in answer["providers"]["hits"] if h.get("distance_km") is not None]
    assert len(km) >= 5 and km == sorted(km), km
    shown = page.locator("#provider-list .card .tag", has_text="km away").all_inner_texts()
    assert len(shown) == len(km)


def test_removing_a_condition_chip_reruns_with_the_others_as_filters(page: Any) -> None:
    open_search(page, SPANISH)
    chips = page.locator("[data-testid=understood] button.chip")
    spanish = chips.filter(has_text="Speaks Spanish")
    assert spanish.count() == 1, chips.all_inner_texts()
    assert "“spanish speaking”" in spanish.inner_text()
    for _, facts in cards_with_facts(page):
        assert "Spanish" in facts.get("languages", ""), facts

    # the need goes; the condition stays, now as a filter
    chips.filter(has_text="Anxiety").click()
    wait_for_param(page, "interpret", "false")
    params = query_of(page)
    assert params["language"] == ["Spanish"] and "specialty" not in params
    assert "Language: Spanish" in page.locator("[data-testid=active-filters]").inner_text()
    for _, facts in cards_with_facts(page):
        assert "Spanish" in facts.get("languages", ""), facts

    # and the other way round: the condition goes, the need stays
    page.go_back()
    wait_for_param(page, "interpret", None)
    page.locator("[data-testid=understood] button.chip", has_text="Speaks Spanish").click()
    wait_for_param(page, "interpret", "false")
    params = query_of(page)
    assert params["specialty"] == ["Anxiety"] and "language" not in params
    assert page.locator("[data-testid=understood]").count() == 0


@pytest.mark.parametrize("width", [1280, PHONE["width"]], ids=["desktop", "phone"])
def test_an_off_topic_query_says_so_kindly_and_offers_browsing_by_specialty(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{page.base}/?{urlencode({'q': 'pizza delivery'})}")
    empty = page.locator("#empty-state")
    empty.wait_for(state="visible")
    assert "“pizza delivery”" in empty.locator("h2").inner_text()
    assert page.locator("#results").is_hidden()
    assert page.locator("#provider-list .card").count() == 0 or page.locator("#results").is_hidden()
    links = empty.locator("a.browse-link")
    assert links.count() >= 8
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    links.filter(has_text="Anxiety").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('specialty') === 'Anxiety'")
    wait_for_results(page)
    assert "q" not in query_of(page)
    assert empty.is_hidden()
    cards = page.locator("#provider-list .card")
    assert cards.count() >= 5
    assert all("Anxiety" in text for text in cards.locator(".treats").all_inner_texts())
    assert page.locator("#answers").is_hidden()  # browsing lists therapists; answers are found by words


def test_a_link_with_filters_and_no_words_browses_therapists(page: Any) -> None:
    seen = search_requests(page)
    page.goto(f"{page.base}/?{urlencode({'specialty': 'Grief', 'sliding_scale': 'true'})}")
    wait_for_results(page)
    assert "q" not in seen[-1] and seen[-1]["type"] == ["providers"]
    assert page.input_value("#q") == ""
    cards = page.locator("#provider-list .card")
    assert cards.count() >= 1
    assert all("Grief" in text for text in cards.locator(".treats").all_inner_texts())
    assert all("Sliding scale" in facts.get("fee", "") for _, facts in cards_with_facts(page))
    assert page.locator("#answers").is_hidden()
    assert "therapist" in page.locator("#status").inner_text()


def test_the_empty_state_offers_the_services_spelling_and_keeps_the_crisis_block_above(page: Any) -> None:
    crisis = {
        "message": "You deserve support right now.",
        "situations": [],
        "immediate_danger": False,
        "resources": [{"id": "988", "name": "988 Suicide & Crisis Lifeline", "phone": "988", "sms": "988"}],
    }
    empty = {"total": 0, "hits": [], "facets": {}}
    answer = {"query": "anxeity", "mode": "hybrid", "interpreted": {}, "crisis": crisis, "suggestion": "anxiety",
              "providers": empty, "passages": {"total": 0, "hits": []}}  # fmt: skip

    def nothing(route: Any) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route("**/v1/search?*", nothing)
    page.goto(f"{page.base}/?{urlencode({'q': 'anxeity'})}")
    state = page.locator("#empty-state")
    state.wait_for(state="visible")
    block = page.locator("#crisis [role=alert]")
    assert block.is_visible() and block.bounding_box()["y"] < state.bounding_box()["y"]
    assert "988" in page.locator("#status").inner_text()
    suggestion = state.locator(".did-you-mean a")
    assert suggestion.inner_text() == "anxiety"
    page.unroute("**/v1/search?*")

    suggestion.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'anxiety'")
    wait_for_results(page)
    assert state.is_hidden()
    assert page.locator("#provider-list .card").count() >= 5


def test_on_a_phone_a_link_near_the_top_of_the_therapists_jumps_to_the_guide_answers(page: Any) -> None:
    open_search(page, TEEN)
    assert page.locator("#jump-answers").is_hidden()  # side by side on a desktop: no need

    page.set_viewport_size(PHONE)
    jump = page.locator("#jump-answers")
    jump.wait_for(state="visible")
    first_card = page.locator("#provider-list .card").first.bounding_box()
    assert jump.bounding_box()["y"] < first_card["y"]
    jump.click()
    heading = page.locator("#answers-h")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'answers-h'")
    box = heading.bounding_box()
    # scrolled to within a pixel: the heading's offset may be fractional (-0.14 px seen on Elasticsearch,
    # whose result cards, and so the page's height, differ a little)
    assert -1 < box["y"] < PHONE["height"], box
    assert page.evaluate("window.scrollY") > 1000  # the answers start far down on a phone
    assert "#" not in page.url  # in the page, not a new history entry


# ---- the workbench


def open_workbench(page: Any, query: str = TEEN, doc_type: str = "providers") -> None:
    page.goto(f"{page.base}/workbench?{urlencode({'q': query, 'type': doc_type})}")
    for mode in ("bm25", "vector", "hybrid"):
        page.wait_for_selector(f'.column[data-mode="{mode}"] .hit')
    page.wait_for_selector(".columns:not(:has(.column[aria-busy]))")


def column_ids(page: Any, mode: str) -> list[str]:
    return page.locator(f'.column[data-mode="{mode}"] .hit').evaluate_all("hs => hs.map(h => h.dataset.id)")


def test_workbench_shows_three_columns_with_movement_and_explain(page: Any) -> None:
    seen = search_requests(page)
    open_workbench(page)
    assert sorted(r["mode"][0] for r in seen) == ["bm25", "hybrid", "vector"]
    assert all(r["explain"] == ["true"] and r["type"] == ["providers"] for r in seen)
    for mode in ("bm25", "vector", "hybrid"):
        assert len(column_ids(page, mode)) == 10
    assert page.locator('.column[data-mode="bm25"] .move').count() == 0
    moves = page.locator('.column[data-mode="hybrid"] .move').all_inner_texts()
    assert len(moves) == 10 and all(re.fullmatch(r"▲\d+|▼\d+|=|new", m) for m in moves), moves

    # each hit's explain opens to its legs' ranks and scores
    explain = page.locator('.column[data-mode="hybrid"] .hit details.explain').first
    explain.locator("summary").click()
    table = explain.locator("table")
    assert table.is_visible()
    assert {"bm25", "vector"} <= set(table.locator("tbody th").all_inner_texts())


def test_workbench_weight_slider_reruns_only_hybrid(page: Any) -> None:
    open_workbench(page)
    seen = search_requests(page)
    slider = page.locator("#wb-weight")
    slider.focus()
    with page.expect_response(lambda r: "/v1/search" in r.url and "mode=hybrid" in r.url):
        for _ in range(4):
            page.keyboard.press("ArrowRight")
    page.wait_for_selector(".columns:not(:has(.column[aria-busy]))")
    assert seen and all(r["mode"] == ["hybrid"] for r in seen), seen
    assert seen[-1]["bm25_weight"] == ["0.5"]
    assert page.locator("#wb-weight-out").inner_text() == "0.50"
    assert "bm25_weight=0.5" in page.url

    # all the way to bm25 alone, the hybrid column follows the bm25 column's order
    page.fill("#wb-weight", "1")
    page.dispatch_event("#wb-weight", "input")
    page.wait_for_function("() => new URLSearchParams(location.search).get('bm25_weight') === '1'")
    page.wait_for_timeout(400)
    page.wait_for_selector(".columns:not(:has(.column[aria-busy]))")
    assert seen[-1]["bm25_weight"] == ["1"]

    page.select_option("#wb-fusion", "rrf")
    page.wait_for_timeout(100)
    page.wait_for_selector(".columns:not(:has(.column[aria-busy]))")
    assert seen[-1]["fusion"] == ["rrf"] and seen[-1]["mode"] == ["hybrid"]


def test_workbench_judgments_mark_gains_and_score_like_the_cli(page: Any, tmp_path: Path) -> None:
    from relevance.metrics import per_query

    open_workbench(page)
    ranked = {mode: column_ids(page, mode) for mode in ("bm25", "vector", "hybrid")}
    judged_docs = {ranked["bm25"][0]: 2, ranked["vector"][1]: 1, ranked["hybrid"][4]: 2, "prov-not-retrieved": 3}
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("".join(f"q1 0 {doc} {gain}\n" for doc, gain in judged_docs.items()), encoding="utf-8")
    page.set_input_files("#wb-file", str(qrels))
    page.wait_for_function("() => document.querySelector('#wb-qid').options.length > 1")
    page.select_option("#wb-qid", "q1")
    page.wait_for_selector('.column[data-mode="hybrid"] .ndcg')

    for mode, ids in ranked.items():
        shown = float(page.locator(f'.column[data-mode="{mode}"] .ndcg').get_attribute("data-ndcg"))
        run = {"q1": {doc: 1.0 / rank for rank, doc in enumerate(ids, start=1)}}
        expected = per_query(run, {"q1": judged_docs}, ["ndcg@10"])["ndcg@10"]["q1"]
        assert shown == pytest.approx(expected, abs=1e-6), mode
    gains = page.locator('.column[data-mode="bm25"] .gain[data-gain]').all_inner_texts()
    assert "gain 2" in gains

    # JSON Lines with query text: the query can be picked from the file
    other = "help for my daughter with anxiety"
    lines = [{"qid": "a", "query": TEEN, "answers": [ranked["hybrid"][0]]}, {"qid": "b", "query": other}]
    jsonl = tmp_path / "judgments.jsonl"
    jsonl.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    page.set_input_files("#wb-file", str(jsonl))
    page.wait_for_function("() => document.querySelector('#wb-qid').value === 'a'")  # matched by its text
    assert page.locator('.column[data-mode="hybrid"] .hit').first.locator(".gain").inner_text() == "gain 2"
    with page.expect_response(lambda r: "/v1/search" in r.url and "mode=hybrid" in r.url):
        page.select_option("#wb-qid", "b")
    assert page.input_value("#wb-q") == other
