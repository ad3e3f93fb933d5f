"""How the safety checks read a query: undisguised (look-alike letters from other scripts as
the Latin letters they imitate, invisible characters dropped, digits and signs written for
letters read as those letters: "kіll" with a Cyrillic і, "sui\u200bcide", "k!ll", "su1c1de"),
normalised (`lay_terms.normalize`: case, punctuation, apostrophes, stretched letters), letters
typed apart joined ("s u i c i d e"), then its words repaired ("sucidal" -> "suicidal", "kil"
-> "kill", "diiie" -> "die", "husbnad" -> "husband"), so that the patterns need only one spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

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


def _look_alikes() -> dict[int, str]:
    """Every character that Unicode's confusables (TR39, through `confusable_homoglyphs`) list
    as looking like a Latin letter, mapped to that letter in lower case: Cyrillic і, о, а, е, р,
    с, ѕ, Greek ο, ι, ν, and the rest of the 1,200 or so. A lower-case twin is preferred."""
    table: dict[int, str] = {}
    for char, homoglyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()]
        if latin:
            table[ord(char)] = sorted(latin, key=lambda c: not c.islower())[0].lower()
    return table


_LOOK_ALIKES = _look_alikes()
# Digits and signs written for letters, read as letters only beside letters and never beside a
# digit ("su1c1de", "k!ll", "$uicide", "d13" stays, "10km" stays a distance).
_FOR_LETTERS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])[013457@$!](?=[a-z])")
_STARTING_A_WORD = re.compile(r"(?<![a-z0-9])[013457@$](?=[a-z]{2})")
_ENDING_A_WORD = re.compile(r"(?<=[a-z])[013457](?![a-z0-9])")
_DOUBLE_ONE = re.compile(r"(?<=[a-z])11(?![0-9])")  # "ki11": two ones after a letter are "ll"
# Letters typed apart ("s u i c i d e", "k.i.l.l" once normalised): three or more in a row are a word.
_SPACED = re.compile(r"\b[a-z](?: [a-z]){2,}\b")


def undisguise(text: str) -> str:
    """The text with its disguises taken off: compatibility forms (fullwidth, mathematical
    letters) and look-alikes as Latin letters, format characters (zero-width, bidi controls,
    soft hyphens) dropped, digits and signs between letters as the letters they stand for."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Cf").translate(_LOOK_ALIKES)
    text = _DOUBLE_ONE.sub("ll", text.lower())
    for pattern in (_BETWEEN_LETTERS, _STARTING_A_WORD, _ENDING_A_WORD):
        text = pattern.sub(lambda m: _FOR_LETTERS[m.group()], text)
    return text


_DISTANCE = re.compile(r"\b(\d+) kms\b")  # "within 10 kms" is a distance, not "kill myself"
_HIT_UP = re.compile(r"\bhit(?:s|ting)? (me|us|him|her) up\b")  # slang: "he hits me up" sends a message


def read(query: str) -> str:
    """The query as the detector reads it: undisguised, normalised, with misspellings repaired."""
    return read_normalized(normalize(undisguise(query)))


def read_normalized(normalized: str) -> str:
    """`read` of text already undisguised and normalised (`lay_terms.normalize`)."""
    text = _SPACED.sub(lambda m: m.group().replace(" ", ""), normalized)
    text = _DISTANCE.sub(r"\1 km", text)
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
