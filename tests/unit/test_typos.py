"""Only words no dictionary knows get the fuzzy clause (search_api/typos.py)."""

from __future__ import annotations

from search_api.query_bodies import LegPlan, passage_bm25, provider_bm25
from search_api.query_text import QueryText
from search_api.typos import model_vocabulary, unknown_words, without_filler


def fuzzy_clauses(body: dict) -> list[dict]:
    return [c for c in body["query"]["bool"]["should"] if "fuzziness" in c.get("multi_match", {})]


def test_misspelled_words_are_unknown_and_spelled_ones_are_not() -> None:
    assert unknown_words("theraphist for anxeity and depresion") == ["theraphist", "anxeity", "depresion"]
    assert unknown_words("someone to help my teen stop cutting") == []


def test_clinical_words_the_model_splits_are_known_from_the_lay_terms() -> None:
    for word in ("ptsd", "insomnia", "trichotillomania", "adhd"):
        assert unknown_words(word) == [], word


def test_short_words_numbers_and_repeats() -> None:
    known = frozenset({"help"})
    assert unknown_words("xq help 90210", known) == []  # too short for an edit; numbers are not typos
    assert unknown_words("Anxeity, anxeity!", known) == ["anxeity"]


def test_the_dictionary_is_the_model_vocabulary_whole_words() -> None:
    vocabulary = model_vocabulary()
    assert len(vocabulary) > 20_000
    assert "depression" in vocabulary
    assert not any(w.startswith("#") or w.startswith("[") for w in vocabulary)


def test_a_query_without_unknown_words_has_no_fuzzy_clause() -> None:
    plan = LegPlan(QueryText.of("my teen is cutting"), [], 100, 200)
    assert fuzzy_clauses(provider_bm25(plan)) == []
    assert fuzzy_clauses(passage_bm25(plan)) == []


def test_the_fuzzy_clause_holds_only_the_unknown_words() -> None:
    plan = LegPlan(QueryText.of("help for anxeity"), [], 100, 200)
    for body in (provider_bm25(plan), passage_bm25(plan)):
        (clause,) = fuzzy_clauses(body)
        assert clause["multi_match"]["query"] == "anxeity"


def test_filler_words_leave_the_exact_weak_clause_of_providers() -> None:
    assert without_filler("someone to help my teen stop cutting") == "to teen stop cutting"
    assert without_filler("How do I find a therapist near me?") == "a"
    assert without_filler("someone's 15 year old’s depression") == "15 year old’s depression"
    plan = LegPlan(QueryText.of("my teen is cutting"), [], 100, 200)
    exact = [c for c in provider_bm25(plan)["query"]["bool"]["should"] if c.get("multi_match", {}).get("boost") == 0.3]
    assert [c["multi_match"]["query"] for c in exact] == ["teen is cutting"]
    # the guide passages keep them ("my teen" questions)
    exact = [c for c in passage_bm25(plan)["query"]["bool"]["should"] if c.get("multi_match", {}).get("boost") == 0.3]
    assert [c["multi_match"]["query"] for c in exact] == ["my teen is cutting"]


def test_a_query_of_filler_words_only_has_no_exact_weak_clause() -> None:
    plan = LegPlan(QueryText.of("how can i find someone"), [], 100, 200)
    assert not [
        c for c in provider_bm25(plan)["query"]["bool"]["should"] if c.get("multi_match", {}).get("boost") == 0.3
    ]
