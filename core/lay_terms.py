"""The lay-term table (`mappings/lay_terms.json`): text normalisation, phrase lookup with
typo tolerance, and the same table as Elasticsearch synonym rules.

People type "cant sleep" or "my teen"; the directory says "Insomnia" and "Adolescents
(13-17)". This module turns the first into the second. It reads the mappings once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from core import taxonomy
from core.settings import MAPPINGS_DIR

Kind = Literal["specialty", "age_group", "therapy_type", "modality"]
Target = tuple[Kind, str]  # (kind, canonical name); modality names are "remote"/"in_person"

# Keys of lay_terms.json that are not specialty names.
_SECTIONS = ("age_groups", "therapy_types", "modality", "not_typos")
# Taxonomy spellings too ambiguous to match in free text ("add" is an ordinary verb).
_AMBIGUOUS_ALIASES = frozenset({"add"})
# Kinds that make sense as search-time synonyms; modality becomes a filter, not text.
_SYNONYM_KINDS: frozenset[Kind] = frozenset({"specialty", "age_group", "therapy_type"})

# --- normalisation ---------------------------------------------------------------------

_CONTRACTIONS = (
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'d\b"), " would"),
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LONG_RUNS = re.compile(r"([a-z])\1{2,}")  # "sleeeep" -> "sleep"; "soooo" -> "soo"
# Spellings folded to one form so that tables list each wording once.
_REWRITES = {
    "cannot": "cant",
    "can not": "cant",
    "do not": "dont",
    "does not": "doesnt",
    "did not": "didnt",
    "will not": "wont",
    "is not": "isnt",
    "i am": "im",
    "wanna": "want to",
    "gonna": "going to",
    "any more": "anymore",
    "my self": "myself",
    "her self": "herself",
    "him self": "himself",
    "your self": "yourself",
    "them selves": "themselves",
}
_REWRITE_RE = re.compile(r"\b(" + "|".join(sorted(_REWRITES, key=len, reverse=True)) + r")\b")


def normalize(text: str) -> str:
    """Lowercase words separated by single spaces: apostrophes optional ("can't" == "cant"),
    punctuation and hyphens as spaces, stretched letters shortened, common variants folded."""
    text = text.lower()
    if not text.isascii():  # "fiancé" -> "fiance"
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTIONS:  # "he'll" must not become "hell"
        text = pattern.sub(replacement, text)
    text = _NON_ALNUM.sub(" ", text.replace("'", ""))
    text = _LONG_RUNS.sub(r"\1\1", text)
    text = " ".join(text.split())
    return _REWRITE_RE.sub(lambda m: _REWRITES[m.group(1)], text)


def _keyboard_neighbours() -> frozenset[tuple[str, str]]:
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    pairs: set[tuple[str, str]] = set()
    for r, row in enumerate(rows):
        for c, key in enumerate(row):
            near = [row[c + 1]] if c + 1 < len(row) else []
            if r + 1 < len(rows):  # each row sits half a key to the right of the one above
                near += [rows[r + 1][k] for k in (c - 1, c) if 0 <= k < len(rows[r + 1])]
            pairs.update((key, n) for n in near)
    return frozenset(pairs | {(b, a) for a, b in pairs})


_SOUND_ALIKE = frozenset({("c", "s"), ("s", "c"), ("c", "k"), ("k", "c"), ("s", "z"), ("z", "s")})
_CHEAP_SUBSTITUTIONS = _keyboard_neighbours() | _SOUND_ALIKE
_VOWELS = frozenset("aeiouy")


def _substitution_cost(x: str, y: str) -> int:
    """1 for a slip people make (a neighbouring key, a letter that sounds the same, one vowel
    for another: "anxiaty", "suiside"), 2 otherwise: "lovely" is not a typo of "lonely"."""
    if x == y:
        return 0
    return 1 if (x, y) in _CHEAP_SUBSTITUTIONS or (x in _VOWELS and y in _VOWELS) else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Typo distance: optimal string alignment where inserting, deleting or swapping
    neighbouring letters costs 1 and substituting costs 1 or 2 (`_substitution_cost`).
    Returns `limit + 1` as soon as the distance must exceed `limit`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = _substitution_cost(a[i - 1], b[j - 1])
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            cur[j] = value
        if min(cur) > limit:
            return limit + 1
        before, prev = prev, cur
    return min(prev[-1], limit + 1)


def typo_budget(length: int) -> int:
    """How many edits a word of this length may carry: none under 6 letters (too many real
    words sit one letter apart), 1 up to 8, 2 from 9."""
    return 0 if length < 6 else 1 if length < 10 else 2


def clinical_terms(canonical: str) -> list[str]:
    """Plain search terms for a canonical name: "Posttraumatic Stress Disorder (PTSD)" ->
    ["posttraumatic stress disorder", "ptsd"]; "Adolescents (13-17)" -> ["adolescents"]."""
    name = canonical.replace("(s)", "s")
    match = re.fullmatch(r"(.*?)\s*\(([^)]*)\)\s*", name)
    main, extra = (match.group(1), match.group(2)) if match else (name, "")
    terms = [normalize(main)]
    if re.search(r"[A-Za-z]", extra):  # an acronym, not an age range
        terms.append(normalize(extra))
    return [t for t in dict.fromkeys(terms) if t]


# --- the table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A phrase found at token positions [start, end) and what it means."""

    start: int
    end: int
    phrase: str
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class LayTable:
    phrases: dict[tuple[str, ...], tuple[Target, ...]]
    max_words: int
    prefixes: frozenset[tuple[str, ...]]  # every phrase and every start of one
    fuzzy_cues: dict[str, tuple[str, ...]]  # first letter -> single-word cues of 6+ letters
    not_typos: frozenset[str]

    def find(self, tokens: list[str]) -> list[Match]:
        """Every phrase in `tokens`, minus those inside a longer one ("social anxiety" wins
        over "anxiety"), then single-word typos among the words left over."""
        found = []
        for i in range(len(tokens)):
            for n in range(1, min(self.max_words, len(tokens) - i) + 1):
                key = tuple(tokens[i : i + n])
                if key not in self.prefixes:  # no phrase goes on like this
                    break
                if key in self.phrases:
                    found.append(Match(i, i + n, " ".join(key), self.phrases[key]))
        kept = _outermost(found)
        covered = {i for m in kept for i in range(m.start, m.end)}
        for i, token in enumerate(tokens):
            if i not in covered and (cue := self.correct(token)) is not None:
                kept.append(Match(i, i + 1, token, self.phrases[(cue,)]))
        return sorted(kept, key=lambda m: m.start)

    def correct(self, token: str) -> str | None:
        """The single-word cue this token is a typo of ("insomia" -> "insomnia"), if any."""
        if len(token) < 5 or token in self.not_typos or not token.isalpha():
            return None
        return _closest(token, self.fuzzy_cues.get(token[0], ()))


def _outermost(found: list[Match]) -> list[Match]:
    """The matches not inside a longer one. Taken by start, longest first, a match is inside
    another exactly when an earlier-taken one already reaches its end."""
    kept, reach = [], 0
    for m in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if m.end > reach:
            kept.append(m)
        reach = max(reach, m.end)
    return kept


@lru_cache(maxsize=8192)
def _closest(token: str, cues: tuple[str, ...]) -> str | None:
    best: tuple[int, str] | None = None
    for cue in cues:
        budget = typo_budget(len(cue))
        distance = edit_distance(token, cue, budget)
        if distance <= budget and (best is None or distance < best[0]):
            best = (distance, cue)
    return best[1] if best else None


def _load_json(name: str) -> dict[str, Any]:
    with open(MAPPINGS_DIR / name, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def raw_table() -> dict[str, Any]:
    """lay_terms.json as written (validated: specialty keys are canonical names)."""
    data = _load_json("lay_terms.json")
    known = set(taxonomy.specialties().canonical)
    unknown = [k for k in data if not k.startswith("_") and k not in _SECTIONS and k not in known]
    if unknown:
        raise ValueError(f"lay_terms.json: not canonical specialty names: {unknown}")
    ages = set(taxonomy.age_groups().canonical)
    if not set(data["age_groups"]) <= ages:
        raise ValueError(f"lay_terms.json: unknown age groups: {set(data['age_groups']) - ages}")
    return data


def _entries(data: dict[str, Any]) -> Iterable[tuple[str, Target]]:
    """(phrase, target) pairs: the lay phrases, the canonical names and their spellings."""
    for key, phrases in data.items():
        if not key.startswith("_") and key not in _SECTIONS:
            yield from ((p, ("specialty", key)) for p in [*phrases, *clinical_terms(key)])
    sections: tuple[tuple[str, Kind], ...] = (
        ("age_groups", "age_group"),
        ("therapy_types", "therapy_type"),
        ("modality", "modality"),
    )
    for section, kind in sections:
        for name, phrases in data[section].items():
            extra = clinical_terms(name) if kind != "modality" else []
            yield from ((p, (kind, name)) for p in [*phrases, *extra])
    vocabularies: tuple[tuple[taxonomy.Vocabulary, Kind], ...] = (
        (taxonomy.specialties(), "specialty"),
        (taxonomy.age_groups(), "age_group"),
    )
    for vocab, kind in vocabularies:
        for spelling, canonical in vocab.by_key.items():
            if spelling not in _AMBIGUOUS_ALIASES:
                yield spelling, (kind, canonical)


@cache
def lay_table() -> LayTable:
    data = raw_table()
    phrases: dict[tuple[str, ...], tuple[Target, ...]] = {}
    for phrase, target in _entries(data):
        key = tuple(normalize(phrase).split())
        if key and target not in phrases.get(key, ()):
            phrases[key] = (*phrases.get(key, ()), target)
    by_letter: dict[str, list[str]] = {}
    for key in phrases:
        if len(key) == 1 and len(key[0]) >= 6 and key[0].isalpha():
            by_letter.setdefault(key[0][0], []).append(key[0])
    return LayTable(
        phrases=phrases,
        max_words=max(len(k) for k in phrases),
        prefixes=frozenset(k[:n] for k in phrases for n in range(1, len(k) + 1)),
        fuzzy_cues={letter: tuple(sorted(cues)) for letter, cues in by_letter.items()},
        not_typos=frozenset(normalize(w) for w in data["not_typos"]),
    )


# --- the search engine's view -----------------------------------------------------------

_RULE_TERM = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?: [a-z0-9]+(?:'[a-z]+)?)*")
# The engine's standard tokenizer keeps "can't" whole, so a rule for "cant sleep" alone
# would miss what most people type: rules are written with the apostrophe too.
_APOSTROPHES = {
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wont": "won't",
    "isnt": "isn't",
    "im": "i'm",
}


def synonym_rules() -> list[str]:
    """Solr-format rules for a search-time `synonym_graph` filter, one per lay phrase:
    "cut myself => cut myself, self harm". Explicit mappings keep the phrase itself, so a
    match on the words people typed still counts; terms are lowercase words (an apostrophe
    inside at most) and single spaces, so no rule can break the parser (no commas, no "=>",
    no empty terms)."""
    rules: list[str] = []
    for key, targets in sorted(lay_table().phrases.items()):
        terms = [t for kind, name in targets if kind in _SYNONYM_KINDS for t in clinical_terms(name)]
        spellings = dict.fromkeys([" ".join(key), " ".join(_APOSTROPHES.get(w, w) for w in key)])
        for phrase in spellings:
            extra = [t for t in dict.fromkeys(terms) if t != phrase]
            if extra and all(_RULE_TERM.fullmatch(t) for t in [phrase, *extra]):
                rules.append(f"{phrase} => {', '.join([phrase, *extra])}")
    return rules


def lay_expansion(normalized: str) -> list[str]:
    """The clinical terms the synonym rules (synonym_rules) would add to this normalized
    query: for an index without the synonym graph (the reduced analysis, where the engine has
    no analysis-common), they are added to the query text instead. As the graph does, only
    phrases as written count (no typos), and the longest phrase wins over those inside it."""
    table = lay_table()
    tokens = normalized.split()
    found = []
    for i in range(len(tokens)):
        for n in range(1, min(table.max_words, len(tokens) - i) + 1):
            key = tuple(tokens[i : i + n])
            if key not in table.prefixes:
                break
            if key in table.phrases:
                found.append(Match(i, i + n, " ".join(key), table.phrases[key]))
    terms: list[str] = []
    for match in _outermost(found):
        for kind, name in match.targets:
            if kind in _SYNONYM_KINDS:
                terms += [t for t in clinical_terms(name) if t != match.phrase and _RULE_TERM.fullmatch(t)]
    return list(dict.fromkeys(terms))


def query_filler_words() -> list[str]:
    """The words of mappings/query_filler.txt: dropped from queries by the search analyzer's
    stop filter, and from the providers' weak exact clause (search_api/typos.py)."""
    lines = (MAPPINGS_DIR / "query_filler.txt").read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]
