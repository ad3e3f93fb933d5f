"""How the safety checks read a query: normalised (`lay_terms.normalize`: case, punctuation,
apostrophes, stretched letters), then its words repaired ("sucidal" -> "suicidal", "kil" ->
"kill", "diiie" -> "die", "husbnad" -> "husband"), so that the patterns need only one spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.lay_terms import edit_distance, normalize, typo_budget
from search_api.safety.self_harm import ALARM_WORDS

# Words worth repairing when misspelled, mapped to what they stand for.
_REPAIRABLE = (
    "suicide",
    "suicidal",
    "suicidality",
    "overdose",
    "overdosed",
    "unalive",
    "sewerslide",
    "myself",
    "herself",
    "himself",
    "themselves",
    "yourself",
    "goodbye",
    "anymore",
    "husband",
    "boyfriend",
    "girlfriend",
    "stepfather",
    "abusive",
    "molested",
    "assaulted",
    "domestic",
)
# Short words recognised when stretched or with doubled letters dropped ("kil", "diiie"),
# with two neighbouring letters swapped ("wnat") or with one letter missing ("lfe").
_SHORT = {
    "kill": "kill",
    "killing": "killing",
    "killed": "killed",
    "die": "die",
    "dead": "dead",
    "want": "want",
    "life": "life",
    "wanna": "want to",
    "gonna": "going to",
}


def _squeeze(word: str) -> str:
    """Every run of a letter as one letter: "killl" and "kil" -> "kil", "diiie" -> "die"."""
    return re.sub(r"(.)\1+", r"\1", word)


_SQUEEZED = {_squeeze(w): meaning for w, meaning in _SHORT.items()}
# Real words within typo reach of the words above (found by running a word list through
# `_repair`): "he overdoes it at the gym" is not an overdose.
_REAL_WORDS = frozenset({"overdoes", "ide", "anna", "ant", "dad", "ill", "lie", "lief", "wan"})


@lru_cache(maxsize=8192)
def _repair(token: str) -> str:
    """The word a token stands for, when it is a misspelling of a word that matters here."""
    if token in ALARM_WORDS or token in _REPAIRABLE or token in _REAL_WORDS:
        return token
    if token in _SHORT:
        return _SHORT[token]
    squeezed = _squeeze(token)
    if len(squeezed) >= 3 and squeezed in _SQUEEZED:
        return _SQUEEZED[squeezed]
    for word, meaning in _SHORT.items():
        swapped = sorted(token) == sorted(word)  # "wnat"
        dropped = len(token) == len(word) - 1 >= 3  # "lfe"
        if (swapped or dropped) and edit_distance(token, word, 1) == 1:
            return meaning
    if len(token) >= 5 and token.isalpha():
        for word in _REPAIRABLE:
            budget = typo_budget(len(word))
            if word[0] == token[0] and edit_distance(token, word, budget) <= budget:
                return word
    return token


_DISTANCE = re.compile(r"\b(\d+) kms\b")  # "within 10 kms" is a distance, not "kill myself"
_HIT_UP = re.compile(r"\bhit(?:s|ting)? (me|us|him|her) up\b")  # slang: "he hits me up" sends a message


def read(query: str) -> str:
    """The query as the detector reads it: normalised, with misspellings repaired."""
    return read_normalized(normalize(query))


def read_normalized(normalized: str) -> str:
    """`read` of text already normalised (`lay_terms.normalize`)."""
    text = _DISTANCE.sub(r"\1 km", normalized)
    text = " ".join(_repair(token) for token in text.split())
    return _HIT_UP.sub(r"messages \1", text)


# Words that fuzzy matching must never turn into something else ("kill" -> "Kim", "rape" ->
# "Rapp"): typeahead matches exactly when one of them was typed.
RISK_WORDS = ALARM_WORDS | frozenset(
    [
        "kill",
        "killing",
        "killed",
        "die",
        "dying",
        "dead",
        "death",
        "hurt",
        "hurts",
        "hurting",
        "harm",
        "harming",
        "hit",
        "hits",
        "hitting",
        "beat",
        "beats",
        "beaten",
        "abuse",
        "abused",
        "abusive",
        "abuser",
        "rape",
        "raped",
        "rapist",
        "molest",
        "molested",
        "assault",
        "assaulted",
        "choke",
        "choked",
        "strangle",
        "strangled",
        "shoot",
        "stab",
        "hang",
        "jump",
        "overdose",
        "cut",
        "cutting",
        "threat",
        "threatens",
        "threatened",
        "danger",
        "gun",
        "knife",
        "pills",
    ]
)


def has_risk_word(text: str) -> bool:
    return any(token in RISK_WORDS for token in read(text).split())
