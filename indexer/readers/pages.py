"""Guide pages -> provider records (the cards) and passage records (the sections).

The format is chosen by extension; each format is lowered into the blocks of `pages_text`
and everything after that is shared. Nothing is normalized here (specialty names, states,
placeholders such as "undefined" are kept as written): the normalizer does that later.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from indexer.readers.base import RawRecord, ReadError
from indexer.readers.pages_html import html_blocks
from indexer.readers.pages_markdown import markdown_blocks
from indexer.readers.pages_text import (
    CARE_HEADING,
    SHARE,
    TREATS,
    VIEW_PROFILE,
    Block,
    Card,
    Heading,
    Para,
    ParsedPage,
    profile_link,
    provider_fields,
    text_blocks,
)

CHUNK_CHARS = 1_500
_PARSERS: dict[str, Callable[[str], ParsedPage]] = {
    ".txt": text_blocks,
    ".md": markdown_blocks,
    ".markdown": markdown_blocks,
    ".html": html_blocks,
    ".htm": html_blocks,
}
_GUIDE = re.compile(r"^Find (?:a )?(?:Therapy|Therapists?|Counseling|Care) for\s+(.+)$", re.I)
_REVIEWED = re.compile(r"^Medically reviewed by\s+(?P<who>.+?)(?:\s+on\s+(?P<date>.+?))?\.?$")
_WRITTEN = re.compile(r"^Written by\s+(?P<who>.+?)\.?$")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y", "%d %B %Y")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

SectionKind = Literal["intro", "question", "care"]


@dataclass
class _Section:
    line: int
    title: str | None
    kind: SectionKind
    anchor: str | None = None
    paragraphs: list[Para] = field(default_factory=list)


@dataclass
class _Outline:
    title: str | None = None
    sections: list[_Section] = field(default_factory=lambda: [_Section(0, None, "intro")])
    cards: list[Card] = field(default_factory=list)


def read_page(path: str | Path) -> tuple[list[RawRecord], list[ReadError]]:
    """Provider and passage records of one guide page, or the reasons it could not be read.
    Never raises for bad input: every problem is a ReadError naming the file and line."""
    name, suffix = str(path), Path(path).suffix.lower()
    parser = _PARSERS.get(suffix)
    if parser is None:
        known = ", ".join(_PARSERS)
        return [], [ReadError(name, 1, f"unsupported page format {suffix!r} (expected {known})")]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [ReadError(name, 1, f"cannot read page: {exc.strerror or exc}")]
    text = _decode(name, data)
    if isinstance(text, ReadError):
        return [], [text]
    if not text.strip():
        return [], [ReadError(name, 1, "empty page")]
    parsed = parser(text.replace("\r\n", "\n").replace("\r", "\n"))  # Windows exports
    return _records(name, Path(path).stem, _outline(parsed.blocks), parsed.url)


def _decode(name: str, data: bytes) -> str | ReadError:
    body = data.removeprefix(b"\xef\xbb\xbf")  # a BOM is not content
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)
        line = data[:offset].count(b"\n") + 1
        return ReadError(name, line, f"not valid UTF-8 text (byte offset {offset})")


# --- blocks -> outline ------------------------------------------------------------------


def _outline(blocks: list[Block]) -> _Outline:
    outline = _Outline()
    for block in _fold_heading_cards(blocks):
        if isinstance(block, Card):
            outline.cards.append(block)
        elif isinstance(block, Heading):
            _add_heading(outline, block)
        else:
            _add_para(outline.sections[-1], block)
    return outline


def _add_heading(outline: _Outline, heading: Heading) -> None:
    if outline.title is None and heading.level == 1:
        outline.title = heading.text
        return
    kind: SectionKind | None = None
    if CARE_HEADING.match(heading.text):
        kind = "care"
    elif heading.text.endswith("?") or heading.level <= 2:
        kind = "question"
    if kind is None:  # a sub-heading stays inside its section's text
        _add_para(outline.sections[-1], Para(heading.line, heading.text))
    else:
        outline.sections.append(_Section(heading.line, heading.text, kind, heading.anchor))


def _add_para(section: _Section, para: Para) -> None:
    kept = [line for line in para.text.splitlines() if not _is_chrome(line.strip())]
    text = "\n".join(kept).strip()
    if not text:
        return
    if section.line == 0:  # the intro starts where its first paragraph does
        section.line = para.line
    last = section.paragraphs[-1] if section.paragraphs else None
    if para.bullet and last is not None and last.bullet:
        section.paragraphs[-1] = Para(last.line, f"{last.text}\n- {text}", bullet=True)
    else:
        section.paragraphs.append(Para(para.line, f"- {text}" if para.bullet else text, para.bullet))


def _is_chrome(line: str) -> bool:
    return bool(VIEW_PROFILE.match(line) or SHARE.match(line))


def _fold_heading_cards(blocks: list[Block]) -> list[Block]:
    """`### Dog Fausto` followed by paragraphs saying "Dog Fausto is a … They treat …" is a
    card (Markdown and bare HTML write cards that way): heading and paragraphs become one."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        end = i + 1
        while end < len(blocks) and isinstance(blocks[end], Para):
            end += 1
        paras = [b for b in blocks[i + 1 : end] if isinstance(b, Para)]
        if isinstance(block, Heading) and _introduces_card(block, paras):
            lines = [line for p in paras for line in p.text.splitlines() if line.strip()]
            link = profile_link([link for p in paras for link in p.links])
            out.append(Card(block.line, (block.text, *lines), link))
            i = end
        else:
            out.append(block)
            i += 1
    return out


def _introduces_card(heading: Heading, paras: list[Para]) -> bool:
    # The card sentence must name the heading: a "They treat" line under a sub-heading such
    # as "Cognitive Behavioral Therapy (CBT)" stays part of the passage.
    subject = (f"{heading.text} is a ", f"{heading.text} is an ")
    return heading.level > 1 and any(
        TREATS.search(line) and line.startswith(subject) for para in paras for line in para.text.splitlines()
    )


# --- outline -> records -----------------------------------------------------------------


def _records(path: str, stem: str, outline: _Outline, url: str | None) -> tuple[list[RawRecord], list[ReadError]]:
    if not outline.cards and not any(s.kind == "question" for s in outline.sections):
        return [], [ReadError(path, 1, "no question headings or provider cards found")]
    guide = _guide(outline.title)
    prefix = "page-" + _slug(guide or stem)
    shared = {"guide": guide, "topics": [_slug(guide)] if guide else [], **_byline(outline)}
    records, errors = _provider_records(path, prefix, outline.cards)
    return records + _passage_records(path, prefix, outline, url, shared), errors


def _passage_records(
    path: str, prefix: str, outline: _Outline, url: str | None, shared: dict[str, Any]
) -> list[RawRecord]:
    """One record per section chunk. Ids come from the page slug and the question's number
    (empty sections, such as a "Therapists" heading over cards, take no number)."""
    records: list[RawRecord] = []
    number = 0
    for section in (s for s in outline.sections if s.paragraphs):
        if section.kind == "question":
            number += 1
        key = {"intro": "intro", "care": "care"}.get(section.kind, f"q{number:02d}")
        section_no = {"intro": 0, "question": number}.get(section.kind, number + 1)
        for chunk_no, text in enumerate(_chunks([p.text for p in section.paragraphs]), 1):
            data = {
                "id": f"{prefix}-{key}" + (f"-{chunk_no}" if chunk_no > 1 else ""),
                "text": text,
                "title": outline.title if section.kind == "intro" else section.title,
                "url": f"{url}#{section.anchor}" if url and section.anchor else url,
                **shared,
                "section": section_no,
                "chunk": chunk_no,
            }
            records.append(RawRecord(path, section.line or 1, "passage", data))
    return records


def _provider_records(path: str, prefix: str, cards: list[Card]) -> tuple[list[RawRecord], list[ReadError]]:
    records: list[RawRecord] = []
    errors: list[ReadError] = []
    seen: dict[str, int] = {}
    for card in cards:
        fields = provider_fields(card)
        if fields is None:
            errors.append(ReadError(path, card.line, "provider card without a name"))
            continue
        base_id = f"{prefix}-{_slug(fields['name'])}"
        seen[base_id] = seen.get(base_id, 0) + 1
        # Two cards with one name on a page are two records; the second gets a suffix.
        record_id = base_id if seen[base_id] == 1 else f"{base_id}-{seen[base_id]}"
        records.append(RawRecord(path, card.line, "provider", {"id": record_id, **fields}))
    return records, errors


def _guide(title: str | None) -> str | None:
    if not title:
        return None
    match = _GUIDE.match(title.strip())
    return match.group(1).strip() if match else title.strip()


def _byline(outline: _Outline) -> dict[str, str | None]:
    """Takes "Medically reviewed by X on DATE" / "Written by X" lines out of the intro."""
    intro = outline.sections[0]
    meta: dict[str, str | None] = {"author": None, "reviewed_by": None, "updated": None}
    kept: list[Para] = []
    for para in intro.paragraphs:
        lines = []
        for line in para.text.splitlines():
            if reviewed := _REVIEWED.match(line.strip()):
                meta["reviewed_by"] = reviewed["who"]
                meta["updated"] = _iso_date(reviewed["date"]) if reviewed["date"] else None
            elif written := _WRITTEN.match(line.strip()):
                meta["author"] = written["who"]
            else:
                lines.append(line)
        if "\n".join(lines).strip():
            kept.append(Para(para.line, "\n".join(lines), para.bullet))
    intro.paragraphs = kept
    if kept:  # the intro starts at its text, not at the byline taken out of it
        intro.line = kept[0].line
    return meta


def _iso_date(text: str) -> str:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return text.strip()  # an unknown date format is kept as written, not dropped


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    # A name with no Latin letters still needs a stable, non-empty id part.
    return slug or hashlib.sha1(text.encode()).hexdigest()[:10]


# --- chunking ---------------------------------------------------------------------------


def _chunks(paragraphs: list[str], limit: int = CHUNK_CHARS) -> list[str]:
    """Packs paragraphs into chunks of at most `limit` characters where possible. A lead-in
    ("… such as:") or sub-heading is never left at the end of a chunk without what it
    introduces; a paragraph longer than `limit` is split on sentences, then on words."""
    pieces = [piece for p in paragraphs for piece in _split_long(p, limit)]
    chunks: list[list[str]] = []
    current: list[str] = []
    for piece in pieces:
        if current and len("\n\n".join([*current, piece])) > limit:
            carried = _trailing_sticky(current)
            if carried < len(current):
                chunks.append(current[: len(current) - carried])
                current = current[len(current) - carried :]
            else:
                chunks.append(current)
                current = []
        current.append(piece)
    if current:
        chunks.append(current)
    return ["\n\n".join(chunk) for chunk in chunks]


def _trailing_sticky(paragraphs: list[str]) -> int:
    count = 0
    for text in reversed(paragraphs):
        if not _is_sticky(text):
            break
        count += 1
    return count


def _is_sticky(text: str) -> bool:
    """A heading-like line or a lead-in: it belongs with the paragraph after it."""
    if "\n" in text:
        return False
    return text.endswith(":") or (len(text) <= 120 and not text.endswith((".", "!", "?", '"', "”")))


def _split_long(text: str, limit: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if "\n" in text:  # a long list: split between items
        return _pack(text.split("\n"), "\n", limit)
    sentences = _SENTENCE_END.split(text)
    if len(sentences) > 1:
        return _pack(sentences, " ", limit)
    return _pack(text.split(" "), " ", limit)


def _pack(units: list[str], sep: str, limit: int) -> list[str]:
    out: list[str] = []
    for unit in units:
        # A unit too long even alone is split further, unless it is a single huge word.
        if len(unit) > limit and (sep != " " or " " in unit.strip()):
            out.extend(_split_long(unit, limit))
        elif out and len(out[-1]) + len(sep) + len(unit) <= limit:
            out[-1] = out[-1] + sep + unit
        else:
            out.append(unit)
    return out
