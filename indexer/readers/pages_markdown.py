"""Markdown guide pages, lowered into the blocks of `pages_text`.

`#` is the page title; `##` headings and any heading ending in "?" open sections (decided
in `pages.py`); a list item holding a "They treat" sentence is a provider card, and so is a
`###` heading followed by such paragraphs (folded in `pages.py`).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from indexer.readers.pages_text import (
    TREATS,
    Block,
    Card,
    Heading,
    Para,
    ParsedPage,
    profile_link,
)

_MD = MarkdownIt("commonmark")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)---[ \t]*\n", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:\s*(?P<title>.+?)\s*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")


def markdown_blocks(text: str) -> ParsedPage:
    text, title = _strip_front_matter(text)
    tokens = _MD.parse(text)
    blocks: list[Block] = [Heading(1, 1, title)] if title else []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            plain, _ = _inline(tokens[i + 1])
            blocks.append(Heading(_line(token), int(token.tag[1:]), " ".join(plain.split())))
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            end = _closing(tokens, i)
            blocks.extend(_list_blocks(tokens[i : end + 1]))
            i = end + 1
            continue
        if token.type == "inline":  # a paragraph, at top level or inside a blockquote
            plain, links = _inline(token)
            blocks.append(Para(_line(token), plain.strip(), links=links))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(Para(_line(token), token.content.rstrip()))
        elif token.type == "html_block" and _TAG.sub("", token.content).strip():
            blocks.append(Para(_line(token), " ".join(_TAG.sub(" ", token.content).split())))
        i += 1
    return ParsedPage(blocks)


def _strip_front_matter(text: str) -> tuple[str, str | None]:
    """YAML front matter is blanked out (so line numbers stay right); its title is kept."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, None
    title = _FRONT_TITLE.search(match["body"])
    blank = "\n" * match.group(0).count("\n")
    value = title["title"].strip("'\"") if title else None
    return blank + text[match.end() :], value


def _list_blocks(tokens: list[Token]) -> list[Block]:
    """Each top-level item is a card when it holds a "They treat" sentence, else a bullet."""
    blocks: list[Block] = []
    item_level = tokens[0].level + 1
    starts = [i for i, t in enumerate(tokens) if t.type == "list_item_open" and t.level == item_level]
    for start in starts:
        end = _closing(tokens, start)
        lines: list[str] = []
        links: list[tuple[str, str]] = []
        for token in tokens[start:end]:
            if token.type == "inline":
                plain, found = _inline(token)
                lines.extend(line.strip() for line in plain.splitlines() if line.strip())
                links.extend(found)
        if not lines:
            continue
        line = _line(tokens[start])
        # A card has at least a header and its sentence; a lone "They treat …" is a bullet.
        if len(lines) > 1 and any(TREATS.search(text) for text in lines):
            blocks.append(Card(line, tuple(lines), profile_link(links)))
        else:
            blocks.append(Para(line, " ".join(lines), bullet=True, links=tuple(links)))
    return blocks


def _inline(token: Token) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Plain text of an inline token (line breaks kept as newlines) and its links."""
    parts: list[str] = []
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_start = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "html_inline":  # <br> and <span> tags are markup, not text
            parts.append("\n" if child.content.lower().startswith("<br") else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href, link_start = str(child.attrs.get("href", "")), len(parts)
        elif child.type == "link_close" and href is not None:
            links.append(("".join(parts[link_start:]).strip(), href))
            href = None
    return "".join(parts), tuple(links)


def _closing(tokens: list[Token], start: int) -> int:
    opening = tokens[start]
    close_type = opening.type.replace("_open", "_close")
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == opening.level:
            return j
    return len(tokens) - 1


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1
