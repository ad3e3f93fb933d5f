"""The demo corpus: generated providers, the project's guide passages and the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.geo import STATES, canonical_state, clean_place
from core.taxonomy import age_groups, canonical_specialties, fold, specialties
from indexer.demo.__main__ import main
from indexer.demo.passages import guide_passages_path, load_guide_passages
from indexer.demo.providers import (
    AGE_GROUPS,
    CANONICAL_SPECIALTIES,
    CLINICAL_WORDS,
    DUPLICATE_SPECIALTY,
    FAULT_KINDS,
    LAY_WORDS,
    OPENINGS_FROM,
    PLACEHOLDER_BIO,
    STATE_ABBREVIATION,
    UNDEFINED_PLACE,
    DemoProvider,
    generate_annotated_providers,
    generate_providers,
)
from indexer.quality import is_placeholder
from indexer.records import PassageRecord, ProviderRecord

N = 2000

# Topic slugs of the counsel-chat data set (../shared/data/counsel_chat), which passage
# topics share so that topic-based grading works on our passages too.
COUNSEL_CHAT_TOPICS = frozenset(
    {
        "addiction", "anger-management", "anxiety", "behavioral-change", "children-adolescents",
        "counseling-fundamentals", "depression", "diagnosis", "domestic-violence",
        "eating-disorders", "family-conflict", "grief-and-loss", "human-sexuality", "intimacy",
        "legal-regulatory", "lgbtq", "marriage", "military-issues", "parenting",
        "professional-ethics", "relationship-dissolution", "relationships", "self-esteem",
        "self-harm", "sleep-improvement", "social-relationships", "spirituality", "stress",
        "substance-abuse", "trauma", "workplace-relationships",
    }
)  # fmt: skip


@pytest.fixture(scope="module")
def annotated() -> list[DemoProvider]:
    return list(generate_annotated_providers(N))


@pytest.fixture(scope="module")
def providers(annotated: list[DemoProvider]) -> list[dict]:
    return [demo.record for demo in annotated]


@pytest.fixture(scope="module")
def clean(annotated: list[DemoProvider]) -> list[dict]:
    return [demo.record for demo in annotated if demo.fault is None]


@pytest.fixture(scope="module")
def passages() -> list[dict]:
    return load_guide_passages()


# --- providers: shape, determinism, streaming --------------------------------------------


def test_every_generated_provider_validates(providers: list[dict]) -> None:
    for record in providers:
        ProviderRecord.model_validate(record)


def test_same_n_and_seed_give_identical_records(providers: list[dict]) -> None:
    assert list(generate_providers(N)) == providers


def test_seed_changes_the_corpus(providers: list[dict]) -> None:
    other = list(generate_providers(200, seed=8))
    assert other != providers[:200]


def test_first_k_records_do_not_depend_on_n(providers: list[dict]) -> None:
    assert list(generate_providers(300)) == providers[:300]
    assert list(generate_providers(100)) == providers[:100]


def test_records_are_streamed_not_built_as_a_list() -> None:
    stream = generate_providers(1_000_000)
    assert iter(stream) is stream
    assert next(stream)["id"] == "demo-p-0000001"


def test_ids_are_unique_numbered_and_zero_padded(providers: list[dict]) -> None:
    ids = [record["id"] for record in providers]
    assert len(set(ids)) == N
    assert ids[0] == "demo-p-0000001"
    assert ids[-1] == f"demo-p-{N:07d}"
    assert all(re.fullmatch(r"demo-p-\d{7}", i) for i in ids)


@pytest.mark.parametrize("n", [0, 99, 1_000_001])
def test_sizes_outside_100_to_a_million_are_refused_at_once(n: int) -> None:
    with pytest.raises(ValueError, match="between 100 and 1,000,000"):
        generate_providers(n)


def test_a_20000_record_run_works() -> None:
    ids = [record["id"] for record in generate_providers(20_000)]
    assert len(ids) == len(set(ids)) == 20_000
    assert ids[-1] == "demo-p-0020000"


# --- providers: realistic content --------------------------------------------------------


def test_clean_specialties_are_canonical_distinct_and_three_to_eight(clean: list[dict]) -> None:
    vocab = specialties()
    for record in clean:
        names = record["specialties"]
        assert 3 <= len(names) <= 8
        assert len({fold(name) for name in names}) == len(names)
        for name in names:
            assert vocab.is_known(name), name
            assert vocab.canonicalize(name) == name, name


def test_specialties_are_skewed_like_a_real_directory(providers: list[dict]) -> None:
    counts = Counter(name for record in providers for name in record["specialties"])
    top = [name for name, _ in counts.most_common(6)]
    assert {"Anxiety", "Depression", "Trauma"} <= set(top)
    assert counts["Anxiety"] > 10 * counts["Schizoaffective"]


def test_generator_vocabulary_is_the_project_taxonomy() -> None:
    # mappings/specialties.json is the one taxonomy: the generator must follow it.
    assert set(CANONICAL_SPECIALTIES) == set(specialties().canonical)
    assert age_groups().canonical == AGE_GROUPS


def test_every_canonical_specialty_has_lay_and_clinical_words() -> None:
    for name in specialties().canonical:
        assert LAY_WORDS.get(name), name
        assert CLINICAL_WORDS.get(name), name
    assert set(LAY_WORDS) == set(CLINICAL_WORDS) == set(specialties().canonical)


def test_remote_only_share_is_between_5_and_20_percent(providers: list[dict]) -> None:
    share = sum(record["remote_only"] for record in providers) / len(providers)
    assert 0.05 <= share <= 0.20


def test_some_providers_see_clients_in_person_only(providers: list[dict]) -> None:
    share = sum(not record["telehealth"] for record in providers) / len(providers)
    assert 0.08 <= share <= 0.25


def test_remote_providers_have_no_address_and_offer_telehealth(clean: list[dict]) -> None:
    for record in clean:
        if record["remote_only"]:
            assert record["address"] is None and record["location"] is None
            assert record["telehealth"] is True


def test_office_addresses_are_us_places_with_plausible_coordinates(clean: list[dict]) -> None:
    offices = [record for record in clean if not record["remote_only"]]
    states = {record["address"]["state"] for record in offices}
    assert states <= set(STATES.values())
    assert len(states) >= 15
    assert len({record["address"]["city"] for record in offices}) >= 30
    for record in offices:
        address, location = record["address"], record["location"]
        assert re.fullmatch(r"\d{5}", address["zip"])
        assert re.match(r"\d+ \S", address["street"])
        assert 18 < location["lat"] < 72 and -170 < location["lon"] < -65


def test_vocabularies_are_realistic(clean: list[dict]) -> None:
    ages = age_groups()
    for record in clean:
        assert record["credentials"] and record["therapy_types"]
        assert record["ages_served"]
        assert all(ages.canonicalize(a) == a for a in record["ages_served"])
        assert "English" in record["languages"]
        assert 0 <= record["years_in_practice"] <= 45
    assert sum(len(r["languages"]) > 1 for r in clean) > 0.1 * len(clean)
    assert sum(not r["insurance"] for r in clean) < 0.3 * len(clean)
    assert "Cognitive Behavioral Therapy (CBT)" in {t for r in clean for t in r["therapy_types"]}


def test_bios_are_varied_and_written_in_first_and_third_person(clean: list[dict]) -> None:
    bios = [record["bio"] for record in clean]
    assert len(set(bios)) > 0.98 * len(bios)
    first_person = sum(bio.startswith(("I", "Hi", "Welcome", "My", "For the past")) for bio in bios)
    assert 0.25 * len(bios) < first_person < 0.75 * len(bios)
    openings = Counter(" ".join(bio.split()[:3]) for bio in bios)
    assert openings.most_common(1)[0][1] < 0.15 * len(bios)


def test_bios_have_two_to_five_sentences(clean: list[dict]) -> None:
    for record in clean:
        # Abbreviations inside sentences are not sentence ends.
        text = re.sub(r"\b(Dr|St)\. ", r"\1 ", record["bio"]).replace("a.m.", "am")
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
        assert 2 <= len(sentences) <= 5, record["bio"]


def test_bios_mention_the_focus_specialties(clean: list[dict]) -> None:
    for record in clean:
        bio = record["bio"]
        focus = record["specialties"][:3]
        words = [w for name in focus for w in (*LAY_WORDS[name], *CLINICAL_WORDS[name])]
        assert any(w in bio for w in words), (focus, bio)


# --- providers: what else people choose by (issue 16) -----------------------------------

FEE_BANDS = {"Under $80": (0, 80), "$80–$120": (80, 120), "$120–$160": (120, 160), "$160 and up": (160, 10_000)}


def median(values: list[int]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def test_every_provider_carries_the_practical_conditions(providers: list[dict]) -> None:
    for record in providers:
        assert {"gender", "faith", "session_fee_min", "session_fee_max", "sliding_scale", "next_available"} <= set(
            record
        )
        assert isinstance(record["faith"], list) and isinstance(record["sliding_scale"], bool)


def test_genders_are_the_three_of_the_contract_mostly_stated(providers: list[dict]) -> None:
    counts = Counter(record["gender"] for record in providers)
    assert set(counts) == {"Female", "Male", "Non-binary", None}
    assert counts["Female"] > 0.3 * N and counts["Male"] > 0.3 * N
    assert 0.01 * N < counts["Non-binary"] < 0.1 * N
    assert counts[None] < 0.25 * N


def test_a_stated_gender_agrees_with_the_pronoun_of_a_third_person_bio(clean: list[dict]) -> None:
    possessive = {"Female": "her", "Male": "his", "Non-binary": "their"}
    checked = 0
    for record in clean:
        bio, gender = record["bio"], record["gender"]
        said = {p for p in possessive.values() if f"Much of {p} work" in bio or f"{p.capitalize()} practice" in bio}
        if gender and said:
            assert said == {possessive[gender]}, (gender, bio)
            checked += 1
    assert checked > 0.05 * len(clean)


def test_some_offer_faith_informed_care_in_one_faith(providers: list[dict]) -> None:
    with_faith = [record["faith"] for record in providers if record["faith"]]
    assert 0.05 * N < len(with_faith) < 0.2 * N
    assert all(len(faiths) == 1 for faiths in with_faith)
    faiths = Counter(faith for faiths in with_faith for faith in faiths)
    assert set(faiths) == {"Christian", "Jewish", "Muslim", "Buddhist", "Latter-day Saints", "Hindu"}
    assert faiths.most_common(1)[0][0] == "Christian"


def test_fees_are_whole_dollars_in_fives_and_in_order(providers: list[dict]) -> None:
    stated = [record for record in providers if record["session_fee_min"] is not None]
    assert 0.88 * N < len(stated) < N
    for record in providers:
        low, high = record["session_fee_min"], record["session_fee_max"]
        assert (low is None) == (high is None)
        if low is not None:
            assert 30 <= low <= high <= 600 and low % 5 == 0 and high % 5 == 0, (low, high)
    assert 0.2 * len(stated) < sum(r["session_fee_min"] < r["session_fee_max"] for r in stated) < 0.7 * len(stated)


def test_fees_follow_the_credential(clean: list[dict]) -> None:
    def fees(credential: str) -> list[int]:
        return [r["session_fee_max"] for r in clean if r["credentials"][0] == credential and r["session_fee_max"]]

    trainee = fees("Associate Marriage and Family Therapist") + fees("Associate Clinical Social Worker (ASW)")
    licensed = fees("Licensed Clinical Social Worker (LCSW)") + fees("Licensed Marriage and Family Therapist (LMFT)")
    assert median(trainee) < median(licensed) < median(fees("Psychologist (PhD)")) < median(fees("Psychiatrist"))


def test_every_fee_band_of_the_filter_panel_has_providers(providers: list[dict]) -> None:
    lows = [record["session_fee_min"] for record in providers if record["session_fee_min"] is not None]
    for band, (low, high) in FEE_BANDS.items():
        assert sum(low <= fee < high for fee in lows) > 0.05 * len(lows), band


def test_a_sliding_scale_is_offered_by_some_and_by_trainees_more_often(clean: list[dict]) -> None:
    share = sum(record["sliding_scale"] for record in clean) / len(clean)
    assert 0.1 < share < 0.4
    trainees = [r for r in clean if r["credentials"][0].startswith(("Associate", "Pre-Licensed"))]
    assert sum(r["sliding_scale"] for r in trainees) / len(trainees) > 1.5 * share


def test_next_openings_are_weekdays_in_the_two_months_after_today_for_those_accepting(
    providers: list[dict],
) -> None:
    days = []
    for record in providers:
        if not record["accepting_new_clients"]:
            assert record["next_available"] is None
        elif record["next_available"] is not None:
            day = date.fromisoformat(record["next_available"])
            assert day.weekday() < 5, day
            days.append((day - OPENINGS_FROM).days)
    accepting = sum(record["accepting_new_clients"] for record in providers)
    assert 0.85 * accepting < len(days) < accepting
    assert all(1 <= d <= 63 for d in days)
    assert sum(d <= 7 for d in days) > 0.25 * len(days)  # "this week" finds someone
    assert sum(d > 31 for d in days) > 0.01 * len(days)  # and some wait more than a month


def test_next_openings_count_from_the_day_given() -> None:
    later = date(2027, 3, 1)
    moved = [r["next_available"] for r in generate_providers(200, today=later) if r["next_available"]]
    assert moved and all(later < date.fromisoformat(day) <= later + timedelta(days=63) for day in moved)
    same = [{k: v for k, v in r.items() if k != "next_available"} for r in generate_providers(200, today=later)]
    assert same == [{k: v for k, v in r.items() if k != "next_available"} for r in generate_providers(200)]


# --- providers: deliberate faults --------------------------------------------------------


def test_about_two_percent_carry_one_flagged_fault_of_each_kind(
    annotated: list[DemoProvider],
) -> None:
    faults = Counter(demo.fault for demo in annotated if demo.fault)
    assert 0.005 * N <= sum(faults.values()) <= 0.04 * N
    assert set(faults) == set(FAULT_KINDS)


def test_faults_are_the_kinds_the_normalizer_repairs(annotated: list[DemoProvider]) -> None:
    for record, fault in annotated:
        if fault == PLACEHOLDER_BIO:
            assert is_placeholder(record["bio"])
        elif fault == DUPLICATE_SPECIALTY:
            raw = record["specialties"]
            assert all(specialties().is_known(name) for name in raw)
            assert len(canonical_specialties(raw)) == len(raw) - 1
        elif fault == STATE_ABBREVIATION:
            state = record["address"]["state"]
            assert len(state) == 2 and canonical_state(state) in STATES.values()
        elif fault == UNDEFINED_PLACE:
            assert clean_place(record["address"]["city"]) is None
            assert canonical_state(record["address"]["state"]) is None


# --- guide passages ----------------------------------------------------------------------


def test_guide_passages_ship_inside_the_package() -> None:
    path = guide_passages_path()
    assert path.is_file()
    assert path.parent == Path(__file__).resolve().parents[2] / "indexer" / "demo"


def test_every_guide_passage_validates(passages: list[dict]) -> None:
    assert len(passages) >= 80
    for passage in passages:
        PassageRecord.model_validate(passage)


def test_passage_ids_and_urls_are_unique_and_well_formed(passages: list[dict]) -> None:
    ids = [p["id"] for p in passages]
    assert len(set(ids)) == len(ids)
    assert len({p["url"] for p in passages}) == len(passages)
    for passage in passages:
        match = re.fullmatch(r"guide-([a-z0-9-]+)-\d{2}", passage["id"])
        assert match, passage["id"]
        assert re.fullmatch(rf"/guides/{match[1]}#[a-z0-9-]+", passage["url"]), passage["url"]


def test_passage_texts_are_60_to_300_words(passages: list[dict]) -> None:
    for passage in passages:
        assert 60 <= len(passage["text"].split()) <= 300, passage["id"]


def test_passages_are_questions_with_counsel_chat_topics(passages: list[dict]) -> None:
    for passage in passages:
        assert "?" in passage["title"], passage["title"]
        assert passage["topics"] and set(passage["topics"]) <= COUNSEL_CHAT_TOPICS, passage["id"]


def test_passages_claim_no_clinical_review(passages: list[dict]) -> None:
    for passage in passages:
        assert passage["reviewed_by"] is None
        assert passage["author"] == "CareSearch editorial team"
        assert passage["updated"] == "2026-11-28"


def test_the_guides_cover_the_common_conditions(passages: list[dict]) -> None:
    guides = Counter(p["guide"] for p in passages)
    assert guides["Self Harm"] >= 4
    for guide in ("Suicidal Thoughts", "Depression", "Anxiety", "Panic Attacks", "Grief and Loss",
                  "Trauma and PTSD", "Eating Disorders", "Parenting a Struggling Teen",
                  "Finding and Paying for Therapy"):  # fmt: skip
        assert guides[guide] >= 3, guide
    assert len(guides) >= 20


def test_the_suicide_guide_gives_crisis_resources(passages: list[dict]) -> None:
    suicide = [p for p in passages if p["guide"] == "Suicidal Thoughts"]
    assert suicide
    assert all("988" in p["text"] for p in suicide)
    assert any("741741" in p["text"] for p in suicide)
    assert any("911" in p["text"] for p in suicide)


def test_passages_use_the_words_people_type(passages: list[dict]) -> None:
    text = " ".join(p["text"].lower() for p in passages)
    for phrase in ("cutting", "can't sleep", "won't talk", "panic attack", "drinking too much"):
        assert phrase in text, phrase


# --- the command line --------------------------------------------------------------------


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_writes_providers_as_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "providers.jsonl"
    assert main(["providers", "--n", "150", "--out", str(out)]) == 0
    assert read_lines(out) == list(generate_providers(150))
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_seed_option(tmp_path: Path) -> None:
    out = tmp_path / "providers.jsonl"
    assert main(["providers", "--n", "100", "--seed", "3", "--out", str(out)]) == 0
    assert read_lines(out) == list(generate_providers(100, seed=3))


def test_cli_today_option(tmp_path: Path) -> None:
    out = tmp_path / "providers.jsonl"
    assert main(["providers", "--n", "100", "--today", "2027-03-01", "--out", str(out)]) == 0
    assert read_lines(out) == list(generate_providers(100, today=date(2027, 3, 1)))


def test_cli_copies_the_guide_passages(tmp_path: Path) -> None:
    out = tmp_path / "passages.jsonl"
    assert main(["passages", "--out", str(out)]) == 0
    assert read_lines(out) == load_guide_passages()


@pytest.mark.parametrize("n", ["99", "1000001", "-5"])
def test_cli_refuses_sizes_out_of_range_with_one_line(
    n: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "providers.jsonl"
    assert main(["providers", "--n", n, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "between 100 and 1,000,000" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [[], ["providers"], ["providers", "--n", "ten"], ["frobnicate"],
     ["providers", "--n", "100", "--out", "/no/such/dir/providers.jsonl"],
     ["providers", "--n", "100", "--today", "2027-02-30"]],
)  # fmt: skip
def test_cli_usage_errors_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1
