"""What `read_page` promises: guide pages (plain text, Markdown, HTML) become provider records
(one per card) and passage records (one per section, long ones in chunks), extracted as
written; every problem is a ReadError, never an exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexer.readers.base import RawRecord, ReadError
from indexer.readers.pages import CHUNK_CHARS, read_page
from indexer.readers.pages_text import split_credentials
from indexer.validate import validate

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "seed" / "find-therapy-for-self-harm.txt"
SEED_NAMES = [
    "Dog Fausto",
    "Ama Deus",
    "Mercy Fausto",
    "Aristotle Fernandez",
    "Olena Preprod",
    "Bibi Car",
]
SEED_QUESTIONS = [
    "What is self-harm, and why do people do it?",
    "Is self-harm the same as a suicide attempt?",
    "What are common signs that someone may be self-harming?",
    "Can someone self-harm even if they seem fine or high-functioning?",
    "What emotions or mental health conditions are linked to self-harming behavior?",
    "What types of therapy help with self-harm (e.g., DBT, CBT)?",
    "Can medication help reduce self-harming urges?",
    "How do therapists approach treatment for self-harm?",
    "Is hospitalization always necessary for someone who self-harms?",
    "How can I talk to someone I care about who is self-harming?",
    "Can someone fully recover from self-harm?",
]


def providers(records: list[RawRecord]) -> list[dict[str, Any]]:
    return [r.data for r in records if r.kind == "provider"]


def passages(records: list[RawRecord]) -> list[dict[str, Any]]:
    return [r.data for r in records if r.kind == "passage"]


def by_name(records: list[RawRecord]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in providers(records)}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- the seed page (plain text) ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> list[RawRecord]:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED} (the shared data checkout is absent)")
    records, errors = read_page(SEED)
    assert errors == []
    return records


def test_seed_page_yields_exactly_the_six_provider_cards_in_page_order(
    seed: list[RawRecord],
) -> None:
    assert [p["name"] for p in providers(seed)] == SEED_NAMES


def test_remote_only_cards_are_remote_only_with_no_street_address(seed: list[RawRecord]) -> None:
    cards = by_name(seed)
    for name in ("Ama Deus", "Bibi Car"):
        assert cards[name]["remote_only"] is True
        assert cards[name]["address"]["street"] is None
        assert cards[name]["address"]["zip"] is None


def test_address_line_is_split_into_street_city_state_and_zip(seed: list[RawRecord]) -> None:
    dog = by_name(seed)["Dog Fausto"]
    assert dog["address"] == {
        "street": "5201 Great America Pkwy",
        "city": "Santa Clara",
        "state": "California",
        "zip": "95054",
    }
    assert dog["remote_only"] is False


def test_specialties_are_kept_as_written_duplicates_included(seed: list[RawRecord]) -> None:
    # "Self Harm" and "Self-Harm" are one specialty, but merging is the normalizer's job.
    assert by_name(seed)["Mercy Fausto"]["specialties"] == ["Self Harm", "Self-Esteem", "Self-Harm"]


def test_years_in_practice_comes_from_the_card_sentence_when_stated(
    seed: list[RawRecord],
) -> None:
    cards = by_name(seed)
    assert cards["Ama Deus"]["years_in_practice"] == 20
    assert cards["Dog Fausto"]["years_in_practice"] is None


def test_card_sentence_place_is_kept_raw_even_when_a_placeholder(seed: list[RawRecord]) -> None:
    cards = by_name(seed)
    ama, bibi = cards["Ama Deus"]["address"], cards["Bibi Car"]["address"]
    assert (ama["city"], ama["state"]) == ("Brisbane", "California")
    assert (bibi["city"], bibi["state"]) == ("undefined", "undefined")


def test_bio_is_the_free_text_after_the_sentence_kept_as_is(seed: list[RawRecord]) -> None:
    cards = by_name(seed)
    assert cards["Dog Fausto"]["bio"] == ("Mercy is a Licensed Marriage & Family Therapist in California .")
    assert cards["Ama Deus"]["bio"] == "test test test"
    assert cards["Olena Preprod"]["bio"] == "bkjljlkmkk,"
    assert all("View profile" not in (p["bio"] or "") for p in cards.values())
    assert all(p["profile_url"] is None for p in cards.values())


def test_credentials_come_from_the_full_line_primary_first(seed: list[RawRecord]) -> None:
    cards = by_name(seed)
    assert cards["Ama Deus"]["credentials"] == [
        "Certified Clinical Social Worker (CSW)",
        "Community Resource",
    ]
    aristotle = cards["Aristotle Fernandez"]["credentials"]
    assert aristotle[0] == "Board Certified Behavior Analyst (BCBA)"
    assert aristotle[-1] == "Occupational Therapist"


def test_credential_with_inner_commas_stays_whole(seed: list[RawRecord]) -> None:
    aristotle = by_name(seed)["Aristotle Fernandez"]["credentials"]
    assert "Marriage, Family, and Child Counselor (MFCC)" in aristotle
    assert "Marriage" not in aristotle
    assert "Family" not in aristotle
    assert "Marriage and Family Therapist (MFT)" in aristotle


def test_provider_ids_are_page_guide_slug_plus_name(seed: list[RawRecord]) -> None:
    assert [p["id"] for p in providers(seed)] == [
        "page-self-harm-dog-fausto",
        "page-self-harm-ama-deus",
        "page-self-harm-mercy-fausto",
        "page-self-harm-aristotle-fernandez",
        "page-self-harm-olena-preprod",
        "page-self-harm-bibi-car",
    ]


def test_seed_page_has_exactly_the_eleven_question_headings_as_titles(
    seed: list[RawRecord],
) -> None:
    titles = list(dict.fromkeys(p["title"] for p in passages(seed) if p["title"].endswith("?")))
    assert titles == SEED_QUESTIONS
    question_passages = [p for p in passages(seed) if p["id"].split("-")[-1].startswith("q")]
    assert {p["title"] for p in question_passages} == set(SEED_QUESTIONS)
    assert all(title.endswith("?") for title in titles)


def test_dbt_section_keeps_its_sub_heading_and_bullets_together(seed: list[RawRecord]) -> None:
    dbt = [p for p in passages(seed) if "Dialectical Behavior Therapy (DBT)" in p["text"]]
    assert len(dbt) == 1
    assert dbt[0]["title"] == "What types of therapy help with self-harm (e.g., DBT, CBT)?"
    assert "- Emotion regulation\n- Distress tolerance" in dbt[0]["text"]


def test_answer_text_keeps_bullets_one_per_line_and_numbered_sub_headings(
    seed: list[RawRecord],
) -> None:
    texts = "\n\n".join(p["text"] for p in passages(seed))
    assert "- Unexplained cuts, bruises, burns, or scars\n- Wearing long sleeves" in texts
    assert "\n\n1. Depression\n\n" in texts
    assert "Common Emotional Triggers" in texts
    assert "•" not in texts


def test_no_passage_contains_page_chrome(seed: list[RawRecord]) -> None:
    for passage in passages(seed):
        assert "View profile" not in passage["text"]
        assert "Share:" not in passage["text"]


def test_no_passage_contains_provider_card_text(seed: list[RawRecord]) -> None:
    texts = " ".join(p["text"] for p in passages(seed))
    assert "They treat" not in texts
    assert "Great America Pkwy" not in texts


def test_introduction_is_a_passage_titled_with_the_page_title(seed: list[RawRecord]) -> None:
    records = [r for r in seed if r.kind == "passage" and r.data["id"] == "page-self-harm-intro"]
    assert len(records) == 1
    intro = records[0]
    assert intro.data["title"] == "Find Therapy for Self Harm"
    assert intro.data["text"].startswith("Self-harm is a painful and often misunderstood")
    assert "Medically reviewed" not in intro.data["text"]
    assert intro.line == 6


def test_byline_gives_reviewer_iso_date_and_author_on_every_passage(
    seed: list[RawRecord],
) -> None:
    for passage in passages(seed):
        assert passage["reviewed_by"] == "Gabriela Asturias, MD"
        assert passage["updated"] == "2024-06-24"
        assert passage["author"] == "the MiResource team"


def test_passages_carry_the_guide_and_its_topic_slug(seed: list[RawRecord]) -> None:
    for passage in passages(seed):
        assert passage["guide"] == "Self Harm"
        assert passage["topics"] == ["self-harm"]
        assert passage["url"] is None


def test_find_care_footer_is_its_own_passage_without_share(seed: list[RawRecord]) -> None:
    care = [p for p in passages(seed) if p["title"] == "Find care for Self Harm"]
    assert [p["text"][:30] for p in care] == ["Remember, recovery is possible"]
    assert care[0]["id"] == "page-self-harm-care"


def test_long_sections_are_chunked_under_the_same_title_with_numbered_ids(
    seed: list[RawRecord],
) -> None:
    q05 = [p for p in passages(seed) if p["section"] == 5]
    assert len(q05) > 1
    assert [p["id"] for p in q05] == ["page-self-harm-q05"] + [
        f"page-self-harm-q05-{n}" for n in range(2, len(q05) + 1)
    ]
    assert [p["chunk"] for p in q05] == list(range(1, len(q05) + 1))
    assert {p["title"] for p in q05} == {SEED_QUESTIONS[4]}
    assert all(len(p["text"]) <= CHUNK_CHARS for p in passages(seed))


def test_record_lines_point_at_where_card_or_section_starts(seed: list[RawRecord]) -> None:
    lines = {r.data["id"]: r.line for r in seed}
    assert lines["page-self-harm-dog-fausto"] == 8
    assert lines["page-self-harm-bibi-car"] == 73
    assert lines["page-self-harm-q01"] == 87
    assert lines["page-self-harm-q11"] == 283


def test_ids_are_unique_and_stable_across_reads(seed: list[RawRecord]) -> None:
    ids = [r.data["id"] for r in seed]
    assert len(ids) == len(set(ids))
    again, errors = read_page(SEED)
    assert errors == []
    assert [r.data["id"] for r in again] == ids
    assert [r.data for r in again] == [r.data for r in seed]


def test_every_seed_record_validates_against_the_input_models(seed: list[RawRecord]) -> None:
    rejected = [v for v in map(validate, seed) if isinstance(v, ReadError)]
    assert rejected == []


# --- credentials ------------------------------------------------------------------------


def test_split_credentials_keeps_marriage_family_and_child_counselor_whole() -> None:
    line = "Marriage and Family Therapist (MFT), Marriage, Family, and Child Counselor (MFCC), Massage Therapist"
    assert split_credentials(line) == [
        "Marriage and Family Therapist (MFT)",
        "Marriage, Family, and Child Counselor (MFCC)",
        "Massage Therapist",
    ]


def test_split_credentials_does_not_swallow_a_one_word_credential_before_an_inner_list() -> None:
    assert split_credentials("Audiologist, Marriage, Family, and Child Counselor (MFCC)") == [
        "Audiologist",
        "Marriage, Family, and Child Counselor (MFCC)",
    ]


def test_split_credentials_splits_a_plain_list_on_comma_space() -> None:
    assert split_credentials("Psychiatric Nurse, Psychiatrist, Counselor") == [
        "Psychiatric Nurse",
        "Psychiatrist",
        "Counselor",
    ]


# --- plain text beyond the seed ---------------------------------------------------------

LONG_PAGE = "\n".join(
    [
        "Find Therapy for Grief",
        "",
        "Why does grief hurt so much?",
        "",
        *[f"Paragraph {n} says something useful. " * 12 + "\n" for n in range(1, 6)],
        "Helpful skills",
        "",
        "- Naming the loss",
        "- Asking for help",
        "",
    ]
)


def test_long_text_section_is_split_on_paragraph_boundaries(tmp_path: Path) -> None:
    records, errors = read_page(write(tmp_path, "grief.txt", LONG_PAGE))
    assert errors == []
    chunks = passages(records)
    assert [p["id"] for p in chunks] == ["page-grief-q01", "page-grief-q01-2"]
    assert all(len(p["text"]) <= CHUNK_CHARS for p in chunks)
    assert all(p["title"] == "Why does grief hurt so much?" for p in chunks)
    # No paragraph is cut in two, and a sub-heading travels with what it introduces.
    assert all(not p["text"].startswith(("says", "useful")) for p in chunks)
    assert chunks[-1]["text"].endswith("Helpful skills\n\n- Naming the loss\n- Asking for help")
    assert "".join(p["text"] for p in chunks).count("Paragraph") == 5 * 12


def test_sub_heading_is_never_left_at_the_end_of_a_chunk(tmp_path: Path) -> None:
    first = "Loss changes how a day feels. " * 33  # ~1,000 characters
    items = "\n".join(f"- Skill number {n} that helps with grief day to day" for n in range(12))
    page = f"Find Therapy for Grief\n\nWhat helps?\n\n{first}\n\nHelpful skills\n\n{items}\n"
    records, errors = read_page(write(tmp_path, "grief.txt", page))
    assert errors == []
    chunks = [p["text"] for p in passages(records)]
    assert len(chunks) == 2
    assert chunks[0] == first.strip()
    assert chunks[1].startswith("Helpful skills\n\n- Skill number 0")


def test_bom_and_windows_line_endings_read_like_plain_text(tmp_path: Path) -> None:
    page = "\ufeffFind Therapy for Grief\r\n\r\nIs grief normal?\r\n\r\nYes.\r\n"
    records, errors = read_page(write(tmp_path, "g.txt", page.encode("utf-8")))
    assert errors == []
    assert [(p["guide"], p["title"], p["text"]) for p in passages(records)] == [("Grief", "Is grief normal?", "Yes.")]


def test_question_line_inside_a_paragraph_is_not_a_heading(tmp_path: Path) -> None:
    page = "Find Therapy for Grief\n\nIs grief normal?\n\nYes.\nIs it forever?\nNo.\n"
    records, errors = read_page(write(tmp_path, "g.txt", page))
    assert errors == []
    assert [(p["title"], p["text"]) for p in passages(records)] == [("Is grief normal?", "Yes.\nIs it forever?\nNo.")]


# --- Markdown ---------------------------------------------------------------------------

MARKDOWN_PAGE = """\
---
title: Find Therapy for Anxiety
---

Medically reviewed by Jane Roe, PhD on March 3, 2024
Written by the care team

Anxiety is common and treatable.

## Therapists

- **Jo Smith**, Licensed Professional Counselor (LPC)
  12 Main St, Austin, Texas 78701
  Jo Smith is a Licensed Professional Counselor (LPC) in Austin, Texas and has been in \
practice for 7 years. They treat Anxiety, Panic.
  Warm and direct.
  [View profile](https://example.org/p/jo-smith)

### Ann Lee

Psychologist, Marriage, Family, and Child Counselor (MFCC)

Remote only

Ann Lee is a Psychologist in Dallas, Texas. They treat Anxiety, Phobias.

Focus on CBT.

[View profile](https://example.org/p/ann-lee)

## What is anxiety?

Anxiety is a feeling of *worry*.

### Symptoms

- Racing heart
- Worry

## Treatment

With **CBT** and medication.

Share:
"""


def test_markdown_list_item_and_heading_cards_become_providers(tmp_path: Path) -> None:
    records, errors = read_page(write(tmp_path, "anxiety.md", MARKDOWN_PAGE))
    assert errors == []
    cards = by_name(records)
    assert list(cards) == ["Jo Smith", "Ann Lee"]
    jo, ann = cards["Jo Smith"], cards["Ann Lee"]
    assert jo["id"] == "page-anxiety-jo-smith"
    assert jo["credentials"] == ["Licensed Professional Counselor (LPC)"]
    assert jo["address"] == {
        "street": "12 Main St",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
    }
    assert jo["years_in_practice"] == 7
    assert jo["specialties"] == ["Anxiety", "Panic"]
    assert jo["bio"] == "Warm and direct."
    assert jo["profile_url"] == "https://example.org/p/jo-smith"
    assert ann["credentials"] == ["Psychologist", "Marriage, Family, and Child Counselor (MFCC)"]
    assert ann["remote_only"] is True
    assert ann["address"] == {"street": None, "city": "Dallas", "state": "Texas", "zip": None}
    assert ann["profile_url"] == "https://example.org/p/ann-lee"
    assert [r.line for r in records if r.kind == "provider"] == [12, 18]


def test_markdown_level_two_and_question_headings_start_passages(tmp_path: Path) -> None:
    records, _ = read_page(write(tmp_path, "anxiety.md", MARKDOWN_PAGE))
    found = {p["title"]: p for p in passages(records)}
    # "Therapists" holds only cards, so it is no passage; "### Symptoms" stays in its section.
    assert list(found) == ["Find Therapy for Anxiety", "What is anxiety?", "Treatment"]
    assert found["What is anxiety?"]["text"] == (
        "Anxiety is a feeling of worry.\n\nSymptoms\n\n- Racing heart\n- Worry"
    )
    assert found["Treatment"]["text"] == "With CBT and medication."
    assert found["Find Therapy for Anxiety"]["text"] == "Anxiety is common and treatable."
    assert found["Treatment"]["reviewed_by"] == "Jane Roe, PhD"
    assert found["Treatment"]["updated"] == "2024-03-03"
    assert found["Treatment"]["author"] == "the care team"
    assert [p["id"] for p in found.values()] == [
        "page-anxiety-intro",
        "page-anxiety-q01",
        "page-anxiety-q02",
    ]


def test_markdown_records_validate_against_the_input_models(tmp_path: Path) -> None:
    records, _ = read_page(write(tmp_path, "anxiety.markdown", MARKDOWN_PAGE))
    assert records
    assert [v for v in map(validate, records) if isinstance(v, ReadError)] == []


# --- HTML -------------------------------------------------------------------------------

HTML_PAGE = """\
<!doctype html>
<html><head><title>Depression | Example</title>
<link rel="canonical" href="https://example.org/depression"></head>
<body>
<nav>Home | About | View profile</nav>
<header><h1>Find Therapy for Depression</h1>
<p>Medically reviewed by Sam Poe, MD on 2024-01-05</p></header>
<main>
<p>Depression is more than <em>sadness</em>.</p>
<section><h2>Our therapists</h2>
<ul>
 <li class="card"><h3>Kim Park</h3><p>Licensed Clinical Social Worker (LCSW)</p>
   <p>1 Elm St, Boston, Massachusetts 02110</p>
   <p>Kim Park is a Licensed Clinical Social Worker (LCSW) in Boston, Massachusetts.
      They treat Depression, Grief.</p>
   <p>Kind and practical.</p><a href="https://example.org/p/kim">View profile</a></li>
 <li class="card"><h3>Lou Ray</h3><p>Psychiatrist</p><p>Remote only</p>
   <p>Lou Ray is a Psychiatrist in Salem, Oregon and has been in practice for 12 years.
      They treat Depression.</p>
   <a href="https://example.org/p/lou">View profile</a></li>
</ul></section>
<h2 id="what">What is depression?</h2>
<p>A mood disorder. They treat it with talk therapy in many clinics.</p>
<ul><li>Low mood</li><li>Fatigue</li></ul>
<h2 id="help">Can therapy help?</h2>
<p>Yes.</p>
</main>
<footer>Share: Facebook</footer>
<script>var x = "They treat";</script>
</body></html>
"""


def test_html_card_elements_become_providers_with_profile_links(tmp_path: Path) -> None:
    records, errors = read_page(write(tmp_path, "depression.html", HTML_PAGE))
    assert errors == []
    cards = by_name(records)
    assert list(cards) == ["Kim Park", "Lou Ray"]
    kim, lou = cards["Kim Park"], cards["Lou Ray"]
    assert kim["id"] == "page-depression-kim-park"
    assert kim["credentials"] == ["Licensed Clinical Social Worker (LCSW)"]
    assert kim["address"] == {
        "street": "1 Elm St",
        "city": "Boston",
        "state": "Massachusetts",
        "zip": "02110",
    }
    assert kim["specialties"] == ["Depression", "Grief"]
    assert kim["bio"] == "Kind and practical."
    assert kim["profile_url"] == "https://example.org/p/kim"
    assert (lou["remote_only"], lou["years_in_practice"]) == (True, 12)
    assert (lou["address"]["city"], lou["address"]["state"]) == ("Salem", "Oregon")
    assert [r.line for r in records if r.kind == "provider"] == [12, 17]


def test_html_headings_start_passages_with_canonical_anchor_urls(tmp_path: Path) -> None:
    records, _ = read_page(write(tmp_path, "depression.htm", HTML_PAGE))
    found = {p["title"]: p for p in passages(records)}
    assert list(found) == [
        "Find Therapy for Depression",
        "What is depression?",
        "Can therapy help?",
    ]
    what = found["What is depression?"]
    # A "They treat" sentence in prose is passage text, not a card.
    assert what["text"] == (
        "A mood disorder. They treat it with talk therapy in many clinics.\n\n- Low mood\n- Fatigue"
    )
    assert what["url"] == "https://example.org/depression#what"
    assert found["Find Therapy for Depression"]["text"] == "Depression is more than sadness."
    assert what["reviewed_by"] == "Sam Poe, MD"
    assert what["updated"] == "2024-01-05"
    assert what["guide"] == "Depression"
    assert what["topics"] == ["depression"]


def test_html_navigation_footer_and_scripts_are_not_text(tmp_path: Path) -> None:
    records, _ = read_page(write(tmp_path, "depression.html", HTML_PAGE))
    texts = " ".join(p["text"] for p in passages(records))
    for chrome in ("Home | About", "Share:", "var x", "View profile"):
        assert chrome not in texts
    assert [v for v in map(validate, records) if isinstance(v, ReadError)] == []


def test_html_div_card_inside_a_wrapper_takes_only_the_card(tmp_path: Path) -> None:
    page = """<html><body><h1>Find Therapy for Grief</h1>
<div class="wrap">
<p>Intro text here.</p>
<div class="card"><strong>Al Bo</strong>, Counselor<br>
<b>Al Bo</b> is a Counselor in Reno, Nevada. They treat Grief, Loss.<br>
<a href="/p/al">View profile</a></div>
<p>More prose after the card.</p>
</div>
<h2>Is grief normal?</h2><p>Yes.</p>
</body></html>"""
    records, errors = read_page(write(tmp_path, "grief.html", page))
    assert errors == []
    [al] = providers(records)
    assert (al["name"], al["credentials"], al["specialties"]) == (
        "Al Bo",
        ["Counselor"],
        ["Grief", "Loss"],
    )
    assert al["profile_url"] == "/p/al"
    intro = passages(records)[0]
    assert intro["text"] == "Intro text here.\n\nMore prose after the card."


# --- errors -----------------------------------------------------------------------------


def test_invalid_utf8_is_a_read_error_naming_line_and_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", b"Find Therapy for X\n\nWhat?\n\nabc \xff def\n")
    records, errors = read_page(path)
    assert records == []
    assert errors == [ReadError(str(path), 5, "not valid UTF-8 text (byte offset 31)")]


def test_empty_page_is_a_read_error(tmp_path: Path) -> None:
    for name, content in (("empty.txt", ""), ("blank.md", "\n  \n"), ("empty.html", "")):
        path = write(tmp_path, name, content)
        assert read_page(path) == ([], [ReadError(str(path), 1, "empty page")])


def test_page_without_questions_or_cards_is_a_read_error(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.txt", "Some Title\n\nJust a paragraph.\n\nAnother one.\n")
    records, errors = read_page(path)
    assert records == []
    assert errors == [ReadError(str(path), 1, "no question headings or provider cards found")]


def test_card_without_a_name_is_a_read_error_at_its_line(tmp_path: Path) -> None:
    page = (
        "Find Therapy for Grief\n\n"
        "  • , Counselor\n\n"
        "    Counselor\n\n"
        "    They treat Grief.\n\n"
        "  • Al Bo, Counselor\n\n"
        "    Al Bo\n\n"
        "    Al Bo is a Counselor in Reno, Nevada. They treat Grief.\n"
    )
    path = write(tmp_path, "grief.txt", page)
    records, errors = read_page(path)
    assert errors == [ReadError(str(path), 3, "provider card without a name")]
    assert [p["name"] for p in providers(records)] == ["Al Bo"]


def test_unsupported_extension_is_a_read_error(tmp_path: Path) -> None:
    path = write(tmp_path, "page.pdf", "Find Therapy for X\n\nWhat?\n\nYes.\n")
    records, errors = read_page(path)
    assert records == []
    assert len(errors) == 1
    assert errors[0].reason.startswith("unsupported page format '.pdf'")


def test_missing_file_is_a_read_error_not_an_exception(tmp_path: Path) -> None:
    records, errors = read_page(tmp_path / "absent.txt")
    assert records == []
    assert [(e.line, e.reason.startswith("cannot read page")) for e in errors] == [(1, True)]
