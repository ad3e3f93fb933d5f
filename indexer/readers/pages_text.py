"""Plain-text guide pages (the export format of `data/seed/`), and the block vocabulary that
every page format is lowered into.

Plain text is the reference format, so the blocks live here: the Markdown and HTML readers
produce the same `Heading`, `Para` and `Card` blocks, and `pages.py` reads cards and
sections out of them without knowing where they came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The sentence every provider card carries; it is how a card is told from a list item.
TREATS = re.compile(r"\bThey treat\b")
# "Find care for Self Harm": the call-to-action footer that closes a guide page.
CARE_HEADING = re.compile(r"^Find care for\b", re.IGNORECASE)
# Headings that introduce a list of cards rather than a card of their own.
LIST_HEADING = re.compile(
    r"\b(providers|therapists|counsell?ors|clinicians|professionals|psychologists"
    r"|psychiatrists|specialists)\b",
    re.IGNORECASE,
)
# Lines that are page chrome, not content: they never reach a passage or a bio.
VIEW_PROFILE = re.compile(r"^view (full )?profile\s*$", re.IGNORECASE)
SHARE = re.compile(r"^share\s*:", re.IGNORECASE)

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[•·▪◦*\-–]\s+(?P<text>\S.*)$")
# A real paragraph may end in "?" too; question headings in exports are short lines.
_MAX_HEADING_CHARS = 200


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Para:
    line: int
    text: str
    bullet: bool = False  # one list item; consecutive items are rendered as one list
    links: tuple[tuple[str, str], ...] = ()  # (link text, href)


@dataclass(frozen=True)
class Card:
    line: int
    lines: tuple[str, ...]  # the first is the card's header: "Name, Credential" or the name
    link: str | None = None


Block = Heading | Para | Card


@dataclass(frozen=True)
class ParsedPage:
    blocks: list[Block]
    url: str | None = None


def profile_link(links: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str | None:
    """The href of a card's "View profile" link, the only link a card is known to carry."""
    return next((href for text, href in links if VIEW_PROFILE.match(text)), None)


def text_blocks(text: str) -> ParsedPage:
    """The first non-empty line is the title; a bullet whose indented continuation holds a
    "They treat" sentence is a provider card; a short line after a blank line ending in "?"
    (or "Find care for …") is a section heading; other runs of lines are paragraphs."""
    lines = text.splitlines()
    blocks: list[Block] = []
    run: list[str] = []
    run_start = 0
    prev_blank = True
    i = 0

    def flush() -> None:
        if run:
            blocks.append(Para(run_start, "\n".join(run)))
            run.clear()

    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped:
            flush()
            prev_blank, i = True, i + 1
            continue
        bullet = _BULLET.match(raw)
        if not blocks and not run:
            blocks.append(Heading(i + 1, 1, stripped))
        elif bullet:
            end = _continuation_end(lines, i, _indent(raw))
            body = [line.strip() for line in lines[i + 1 : end] if line.strip()]
            item = bullet["text"].strip()
            if any(TREATS.search(line) for line in [item, *body]):
                flush()
                blocks.append(Card(i + 1, (item, *body)))
            else:
                run_start = run_start if run else i + 1
                run.append("- " + " ".join([item, *body]))
            prev_blank, i = not lines[end - 1].strip(), end
            continue
        elif prev_blank and _is_heading_line(stripped):
            flush()
            blocks.append(Heading(i + 1, 2, stripped))
        else:
            run_start = run_start if run else i + 1
            # Numbered sub-headings ("  1. Depression") keep their number, lose the indent.
            run.append(stripped)
        prev_blank, i = False, i + 1
    flush()
    return ParsedPage(blocks)


def _continuation_end(lines: list[str], start: int, indent: int) -> int:
    """Index after a bullet's block: blank lines and lines indented deeper than the bullet."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and _indent(line) <= indent:
            break
        end += 1
    # Trailing blank lines belong to what follows, not to the bullet.
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _is_heading_line(line: str) -> bool:
    if len(line) > _MAX_HEADING_CHARS:
        return False
    return line.endswith("?") or bool(CARE_HEADING.match(line))


def _indent(line: str) -> int:
    expanded = line.expandtabs()
    return len(expanded) - len(expanded.lstrip())


# --- card lines: plain text whatever the page format -------------------------------------

_ADDRESS = re.compile(
    r"^(?P<street>.+?),\s*(?P<city>[^,]+),\s*(?P<state>[A-Za-z][A-Za-z .]*?)"
    r"(?:\s+(?P<zip>\d{5}(?:-\d{4})?))?$"
)
_REMOTE = re.compile(r"^remote only\.?$", re.IGNORECASE)
_YEARS = re.compile(r"^(?P<rest>.*?)\s+and has been in practice for (?P<years>\d+) years?$")
# Greedy credential: "Diplomate in Clinical Social Work in Austin, Texas" ends at the last " in ".
_INTRO = re.compile(r"^(?P<name>.+?) is an? (?P<credential>.+) in (?:(?P<city>[^,]+), )?(?P<state>[^,]+)$")
_ROLE_NOUN = re.compile(r"(ist|or|er|ian|ant|ee)$")


def provider_fields(card: Card) -> dict[str, Any] | None:
    """The provider fields of a card, as written; None when the card names no one.

    A card is a header ("Name, Primary credential"), then in any order a name line, the
    full credentials line, an address or "Remote only", then the sentence "X is a … in
    CITY, STATE[ and has been in practice for N years]. They treat A, B, C." and a bio."""
    lines = [line for line in card.lines if not (VIEW_PROFILE.match(line) or SHARE.match(line))]
    at = next((i for i, line in enumerate(lines) if TREATS.search(line)), len(lines))
    header = lines[0] if at > 0 else ""
    sentence = _sentence(lines[at]) if at < len(lines) else {}
    remote = any(_REMOTE.match(line) for line in lines[1:at])
    address = next((a for line in lines[1:at] if (a := _address(line))), None)
    others = [line for line in lines[1:at] if not (_REMOTE.match(line) or _address(line))]
    name = _name(header, others, sentence.get("name"))
    if not name:
        return None
    primary = header[len(name) :].lstrip(" ,").strip() if header.startswith(name) else ""
    credentials = split_credentials(others.pop(0) if others else primary)
    if primary:  # the header shows the primary credential: it goes first
        credentials = [primary, *(c for c in credentials if c != primary)]
    bio = [*others, *([sentence["rest"]] if sentence.get("rest") else []), *lines[at + 1 :]]
    if address is None and (sentence.get("city") or sentence.get("state")):
        # A remote-only card still says where the provider is licensed ("in Brisbane,
        # California"): keep that place; the normalizer drops "undefined, undefined".
        address = {"street": None, "city": sentence.get("city"), "state": sentence.get("state"), "zip": None}
    return {
        "name": name,
        "credentials": credentials,
        "address": address,
        "remote_only": True if remote else (False if address else None),
        "specialties": sentence.get("specialties", []),
        "years_in_practice": sentence.get("years"),
        "bio": "\n\n".join(bio) if bio else None,
        "profile_url": card.link,
    }


def _name(header: str, others: list[str], sentence_name: str | None) -> str | None:
    """The repeated name line when there is one, else the header up to its first comma,
    else the subject of the "X is a …" sentence."""
    if others and header and (header.startswith(others[0]) or others[0] == sentence_name):
        return others.pop(0)
    if header:
        return header.split(", ")[0].strip() or sentence_name
    return sentence_name


def _sentence(line: str) -> dict[str, Any]:
    head, _, tail = line.partition("They treat")
    treats, _, rest = tail.strip().partition(". ")
    fields: dict[str, Any] = {
        "specialties": [s.strip() for s in treats.strip().rstrip(".").split(", ") if s.strip()],
        "rest": rest.strip(),
    }
    head = head.strip().rstrip(".").strip()
    if years := _YEARS.match(head):
        fields["years"] = int(years["years"])
        head = years["rest"]
    if intro := _INTRO.match(head):
        fields.update(name=intro["name"].strip(), city=intro["city"], state=intro["state"].strip())
    return fields


def _address(line: str) -> dict[str, str | None] | None:
    match = _ADDRESS.match(line)
    # Without a zip code only a street that starts with a number makes it an address.
    if not match or not (match["zip"] or match["street"][:1].isdigit()):
        return None
    return {
        "street": match["street"].strip(),
        "city": match["city"].strip(),
        "state": match["state"].strip(),
        "zip": match["zip"],
    }


def split_credentials(line: str) -> list[str]:
    """Splits on ", " but keeps a credential with commas of its own whole:
    "Marriage, Family, and Child Counselor (MFCC)" is one credential, not three."""
    out: list[str] = []
    for part in (p.strip() for p in line.split(", ")):
        if not part:
            continue
        if out and part[:1].islower():  # "and Child Counselor": the tail of an inner list
            start = len(out) - 1
            while start > 0 and _is_fragment(out[start]) and _is_fragment(out[start - 1]):
                start -= 1
            out[start:] = [", ".join([*out[start:], part])]
        else:
            out.append(part)
    return out


def _is_fragment(part: str) -> bool:
    """One capitalized word that is not a role ("Marriage", "Family"; not "Audiologist")."""
    return " " not in part and "(" not in part and not _ROLE_NOUN.search(part)
