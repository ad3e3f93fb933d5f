"""What normalization promises: a valid record becomes the document we index with one
specialty taxonomy, unified state names, placeholder places dropped, clean lists, and
placeholder bios flagged (never deleted)."""

from __future__ import annotations

from typing import Any

from indexer.index_body import load_template
from indexer.normalize import clean_list, content_hash, fee_range, passage_document, provider_document
from indexer.records import PassageRecord, ProviderRecord


def provider(**fields: Any) -> ProviderRecord:
    base: dict[str, Any] = {"id": "p1", "name": "Ana Ruiz", "credentials": ["LMFT"], "specialties": ["Anxiety"]}
    return ProviderRecord.model_validate({**base, **fields})


def test_self_harm_spellings_merge_into_one_specialty_keeping_the_first_position() -> None:
    doc = provider_document(provider(specialties=["Self Harm", "Self-Esteem", "Self-Harm", "self harm"]))
    assert doc["specialties"] == ["Self Harm", "Self-Esteem"]
    assert doc["primary_specialties"] == ["Self Harm", "Self-Esteem"]


def test_primary_specialties_are_the_first_three() -> None:
    doc = provider_document(provider(specialties=["Anxiety", "Depression", "Grief", "Insomnia"]))
    assert doc["primary_specialties"] == ["Anxiety", "Depression", "Grief"]


def test_state_abbreviations_and_casings_become_the_full_state_name() -> None:
    for written in ("CA", "ca", "California", " california ", "C.A."):
        doc = provider_document(provider(address={"city": "Santa Clara", "state": written}))
        assert doc["state"] == "California", written


def test_an_unknown_state_is_kept_trimmed_not_dropped() -> None:
    doc = provider_document(provider(address={"state": "  Ontario "}))
    assert doc["state"] == "Ontario"


def test_undefined_places_are_dropped() -> None:
    doc = provider_document(
        provider(address={"street": "undefined", "city": "undefined", "state": "undefined", "zip": "null"})
    )
    assert (doc["street"], doc["city"], doc["state"], doc["zip"]) == (None, None, None, None)


def test_a_provider_without_address_or_location_has_none_of_them() -> None:
    doc = provider_document(provider())
    assert doc["city"] is None and doc["state"] is None and doc["location"] is None
    assert doc["remote_only"] is False


def test_lists_are_trimmed_with_inner_spaces_collapsed_and_case_insensitive_duplicates_dropped() -> None:
    assert clean_list([" English ", "english", "", "  ", "Spanish", "Old   Norse", "old norse"]) == [
        "English",
        "Spanish",
        "Old Norse",
    ]
    doc = provider_document(provider(languages=["English", " ENGLISH", "Spanish"], credentials=["LMFT", "lmft "]))
    assert doc["languages"] == ["English", "Spanish"]
    assert doc["credentials"] == ["LMFT"]


def test_placeholder_bios_are_flagged_and_kept() -> None:
    doc = provider_document(provider(bio="test test test"))
    assert doc["bio"] == "test test test"
    assert doc["bio_quality"] == "placeholder"
    assert "quality" not in doc  # the flag is bio_quality, which ranking reads; a float beside it was never read


def test_real_and_missing_bios_are_told_apart() -> None:
    assert provider_document(provider(bio="I help adults with anxiety."))["bio_quality"] == "ok"
    assert provider_document(provider(bio=None))["bio_quality"] == "missing"
    assert provider_document(provider(bio="   "))["bio_quality"] == "missing"


def test_the_content_hash_is_stable_and_ignores_the_embedding() -> None:
    first = provider_document(provider(bio="I help adults with anxiety."))
    again = provider_document(provider(bio="I help adults with anxiety."))
    assert first["content_hash"] == again["content_hash"]
    assert content_hash({**first, "embedding": [0.1, 0.2]}) == first["content_hash"]
    changed = provider_document(provider(bio="I help adults with grief."))
    assert changed["content_hash"] != first["content_hash"]


def test_passage_titles_are_collapsed_and_text_trimmed() -> None:
    record = PassageRecord.model_validate(
        {"id": "x", "text": "  Answer.  ", "title": "What   is  it?", "topics": ["grief", "Grief", " loss "]}
    )
    doc = passage_document(record)
    assert doc["title"] == "What is it?"
    assert doc["text"] == "Answer."
    assert doc["topics"] == ["grief", "loss"]


def test_the_practical_conditions_are_indexed_as_read_with_clean_faith_lists() -> None:
    doc = provider_document(
        provider(
            gender="non binary",
            faith=[" Christian", "christian", "Jewish "],
            session_fee_min=80,
            session_fee_max=120,
            sliding_scale=True,
            next_available="2026-12-09",
        )
    )
    assert doc["gender"] == "Non-binary"
    assert doc["faith"] == ["Christian", "Jewish"]
    assert (doc["session_fee_min"], doc["session_fee_max"]) == (80, 120)
    assert doc["sliding_scale"] is True
    assert doc["next_available"] == "2026-12-09"  # ISO text, as the date field reads it


def test_a_fee_given_alone_stands_for_both_ends_of_the_range() -> None:
    assert fee_range(150, None) == {"session_fee_min": 150, "session_fee_max": 150}
    assert fee_range(None, 90) == {"session_fee_min": 90, "session_fee_max": 90}
    assert fee_range(None, None) == {"session_fee_min": None, "session_fee_max": None}
    doc = provider_document(provider(session_fee_max=175))
    assert (doc["session_fee_min"], doc["session_fee_max"]) == (175, 175)


def test_a_provider_without_the_conditions_states_none_of_them() -> None:
    doc = provider_document(provider())
    assert [doc[k] for k in ("gender", "session_fee_min", "session_fee_max", "sliding_scale", "next_available")] == [
        None
    ] * 5
    assert doc["faith"] == []


def test_every_document_field_is_in_the_provider_mapping() -> None:
    # the mapping is strict: a field normalization adds without a mapping fails every bulk
    mapped = set(load_template("providers")["mappings"]["properties"])
    full = provider(
        gender="Male", faith=["Muslim"], session_fee_min=1, sliding_scale=False, next_available="2027-01-02"
    )
    assert set(provider_document(full)) <= mapped
