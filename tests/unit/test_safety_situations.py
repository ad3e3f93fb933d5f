"""Safety beyond suicide: partner violence, sexual assault, a child being hurt, harm to others and
threats are each recognised, get their own help lines (911 first where the danger is now), and
put the right help first; their everyday look-alikes stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import MAPPINGS_DIR
from search_api.fusion import Fused
from search_api.interpret import interpret
from search_api.ranking import lead_with
from search_api.safety import Situation, help_first, recognise, safety_block

DATA = Path(__file__).parent / "data"


def _rows() -> list[tuple[str, bool, str]]:
    rows = []
    for line in (DATA / "risk_situations.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, query = line.split("\t")
        situation, _, now = label.partition("+")
        rows.append((situation, now == "immediate", query))
    return rows


RISK_ROWS = _rows()
ORDINARY = [
    line.strip()
    for line in (DATA / "ordinary_queries.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_corpus_covers_every_situation_with_at_least_60_phrasings() -> None:
    assert len(RISK_ROWS) >= 60
    assert {situation for situation, _, _ in RISK_ROWS} == {s.value for s in Situation} - {"suicide_risk"}
    assert len(ORDINARY) >= 150


@pytest.mark.parametrize(("situation", "now", "query"), RISK_ROWS, ids=[q for _, _, q in RISK_ROWS])
def test_every_risk_phrasing_is_recognised_with_its_situation(situation: str, now: bool, query: str) -> None:
    found = recognise(query)
    assert situation in [s.value for s in found.situations], f"{query!r}: {found}"
    if now:
        assert found.immediate_danger, query


@pytest.mark.parametrize(
    "query",
    [
        "my husband hits the gym",
        "kids hitting each other at school",
        "killing time before my appointment",
        "dying my hair",
        "my boyfriend hits me up every night",
        "my dad's death hit me hard",
        "she beat me at chess",
        "afraid of my husband leaving me",
        "my son got hit by a car",
        "substance abuse counselor",
    ],
)
def test_look_alikes_stay_quiet(query: str) -> None:
    assert not recognise(query).at_risk


def test_at_most_two_percent_of_ordinary_queries_raise_any_block() -> None:
    flagged = [q for q in ORDINARY if recognise(q).at_risk]
    assert len(flagged) / len(ORDINARY) <= 0.02, flagged


def test_a_prefix_being_typed_is_read_with_what_usually_comes_next() -> None:
    assert not recognise("my husband hits").at_risk  # a whole query that says nothing yet
    assert Situation.PARTNER_VIOLENCE in recognise("my husband hits", prefix=True).situations
    assert Situation.SUICIDE in recognise("i want to kil", prefix=True).situations
    assert not recognise("anxiety therap", prefix=True).at_risk


def test_the_block_names_the_situation_and_its_line_before_911() -> None:
    block = safety_block(recognise("my husband hits me"))
    assert block is not None
    assert [s["id"] for s in block["situations"]] == ["partner_violence"]
    assert block["situations"][0]["label"] == "Violence or threats from a partner"
    assert block["message"] == block["situations"][0]["message"]
    phones = [r["phone"] for r in block["resources"]]
    assert phones == ["1-800-799-7233", "911"]
    hotline = block["resources"][0]
    assert hotline["sms"] == "Text START to 88788"
    assert hotline["how"] == ["call", "text", "chat"] and hotline["hours"]
    assert block["immediate_danger"] is False


@pytest.mark.parametrize(
    ("query", "phone"),
    [
        ("i was raped", "1-800-656-4673"),
        ("my stepdad hits me", "1-800-422-4453"),
        ("i want to kill myself", "988"),
        ("intrusive thoughts about harming my newborn", "988"),
    ],
)
def test_each_situation_leads_with_its_own_line(query: str, phone: str) -> None:
    block = safety_block(recognise(query))
    assert block is not None and block["resources"][0]["phone"] == phone


def test_immediate_danger_puts_911_first() -> None:
    block = safety_block(recognise("my husband threatened to kill me"))
    assert block is not None
    assert block["immediate_danger"] is True
    assert block["resources"][0]["phone"] == "911"
    assert "911" in str(block["immediate_danger_message"])


def test_several_situations_each_bring_their_line_once() -> None:
    block = safety_block(recognise("my husband hits me and i want to die"))
    assert block is not None
    assert [s["id"] for s in block["situations"]] == ["suicide_risk", "partner_violence"]
    phones = [r["phone"] for r in block["resources"]]
    assert phones.count("911") == 1 and phones[-1] == "911"
    assert {"988", "1-800-799-7233"} <= set(phones)


def test_every_line_in_the_mapping_says_how_to_reach_it_when_and_where_it_is_published() -> None:
    mapping = json.loads((MAPPINGS_DIR / "crisis.json").read_text(encoding="utf-8"))
    for key, line in mapping["resources"].items():
        assert line["how"] and line["hours"] and line["source"].startswith("https://"), key
        assert ("call" in line["how"]) == bool(line["phone"]), key
        assert ("text" in line["how"]) == bool(line["sms"]), key
    for situation in Situation:
        entry = mapping["situations"][situation.value]
        assert entry["label"] and entry["message"] and set(entry["resources"]) <= set(mapping["resources"])


def test_abuse_puts_its_specialists_first_and_couples_counselling_out_of_the_need() -> None:
    meaning = interpret("my husband hits me")
    assert meaning.crisis is True
    assert meaning.specialties[0] == "Domestic Abuse"
    assert "Relationship(s) with Partner/Husband/Wife" not in meaning.specialties
    assert all(meaning_ != "Relationship(s) with Partner/Husband/Wife" for _, meaning_ in meaning.matched_terms)
    # without abuse, "my husband" still means the relationship
    assert "Relationship(s) with Partner/Husband/Wife" in interpret("my husband and i fight all the time").specialties


def test_suicide_alone_changes_no_ranking() -> None:
    assert not help_first(recognise("i want to die"))


def test_lead_with_puts_each_wanted_value_first_in_turn_and_keeps_fused_order_within() -> None:
    ids = ("couples", "trauma-a", "abuse-a", "family", "abuse-b")
    fused = [Fused(doc_id, 1.0 - i / 10) for i, doc_id in enumerate(ids)]
    sources = {
        "couples": {"specialties": ["Relationship(s) with Partner/Husband/Wife"]},
        "trauma-a": {"specialties": ["Trauma"]},
        "abuse-a": {"specialties": ["Anxiety", "Domestic Abuse", "Trauma"]},
        "family": {"specialties": ["Family Conflict"]},
        "abuse-b": {"specialties": ["Domestic Abuse"]},
    }
    ordered = lead_with(fused, sources, "specialties", ["domestic abuse", "Trauma"])
    assert [e.doc_id for e in ordered] == ["abuse-a", "abuse-b", "trauma-a", "couples", "family"]
    assert lead_with(fused, sources, "specialties", []) == fused


def test_lead_with_a_number_of_places_moves_only_that_many_to_the_front() -> None:
    ids = ("exact-answer", "other", "safety-a", "safety-b")
    fused = [Fused(doc_id, 1.0 - i / 10) for i, doc_id in enumerate(ids)]
    sources = {"safety-a": {"topics": ["trauma"]}, "safety-b": {"topics": ["domestic-violence"]}}
    ordered = lead_with(fused, sources, "topics", ["domestic-violence", "trauma"], places=1)
    assert [e.doc_id for e in ordered] == ["safety-b", "exact-answer", "other", "safety-a"]
