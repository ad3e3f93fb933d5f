"""HTML guide pages, lowered into the blocks of `pages_text`.

h1 is the page title; h2 and question headings open sections (decided in `pages.py`); the
element (li, article, div, section) around one "They treat" sentence is a provider card.
Scripts, navigation, asides and site footers are not content.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from indexer.readers.pages_text import (
    LIST_HEADING,
    TREATS,
    Block,
    Card,
    Heading,
    Para,
    ParsedPage,
    profile_link,
)

# fmt: off
_SKIP = frozenset({
    "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form",
    "button", "svg", "iframe", "select",
})
_SUBJECT = re.compile(r"^(.+?) is an? ")
_NAME_PREFIX_CHARS = 10
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({
    "p", "div", "li", "ul", "ol", "section", "article", "main", "header", "blockquote", "pre",
    "table", "tr", "td", "th", "dl", "dt", "dd", "figure", "figcaption", "address", "body",
    "html", "br", "hr",
})
# fmt: on


def html_blocks(text: str) -> ParsedPage:
    soup = BeautifulSoup(text, "html.parser")
    cards = {id(tag): tag for tag in _card_elements(soup)}
    walker = _Walker(cards)
    walker.visit(soup.body or soup, bullet=False)
    walker.flush()
    blocks = walker.blocks
    if not any(isinstance(b, Heading) and b.level == 1 for b in blocks) and soup.title:
        blocks.insert(0, Heading(1, 1, _collapse(soup.title.get_text())))
    return ParsedPage(blocks, _canonical_url(soup))


class _Walker:
    """Document order: headings, paragraphs (the text between block boundaries) and cards."""

    def __init__(self, cards: dict[int, Tag]) -> None:
        self.cards = cards
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._line = 1
        self._bullet = False

    def visit(self, element: Tag, bullet: bool) -> None:
        for child in element.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                # The paragraph starts at its first visible text, not at stray whitespace.
                if child.strip() and not "".join(self._text).strip():
                    self._line, self._bullet = element.sourceline or 1, bullet
                self._text.append(str(child))
            elif isinstance(child, Tag):
                self._visit_tag(child, bullet)

    def _visit_tag(self, tag: Tag, bullet: bool) -> None:
        if tag.name in _SKIP:
            return
        card = _card_lines(tag) if id(tag) in self.cards else None
        # A card has at least a header and its sentence; a lone "They treat …" is text.
        if card is not None and len(card[0]) > 1:
            self.flush()
            self.blocks.append(Card(tag.sourceline or 1, *card))
        elif tag.name in _HEADINGS:
            self.flush()
            anchor = tag.get("id")
            self.blocks.append(
                Heading(
                    tag.sourceline or 1,
                    int(tag.name[1]),
                    _collapse(tag.get_text(" ")),
                    anchor if isinstance(anchor, str) else None,
                )
            )
        elif tag.name in _BLOCKS:
            self.flush()
            self.visit(tag, bullet or tag.name == "li")
            self.flush()
        else:
            if tag.name == "a" and isinstance(tag.get("href"), str):
                self._links.append((_collapse(tag.get_text(" ")), str(tag["href"])))
            self.visit(tag, bullet)

    def flush(self) -> None:
        text = _collapse("".join(self._text))
        if text:
            self.blocks.append(Para(self._line, text, self._bullet, tuple(self._links)))
        self._text, self._links = [], []


def _card_elements(soup: BeautifulSoup) -> list[Tag]:
    found: list[Tag] = []
    for string in soup.find_all(string=TREATS):
        container = _card_container(string)
        if container is not None and all(container is not f for f in found):
            found.append(container)
    return found


def _card_container(string: NavigableString) -> Tag | None:
    """The nearest li/article around the sentence; else the widest div/section that still
    opens with the provider the sentence names ("Al Bo is a …") and holds no other card, no
    page title, no question heading and no "Therapists"-style heading."""
    parent = string.parent
    # The sentence's own text first: the parent may run the header into it ("…CounselorAl Bo").
    texts = [_collapse(str(string)), _collapse(parent.get_text()) if parent else ""]
    subject = next((m for m in map(_SUBJECT.match, texts) if m), None)
    best: Tag | None = None
    node = parent
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if len(node.find_all(string=TREATS)) > 1 or _has_section_heading(node):
            break
        if node.name in ("li", "article"):  # a list item or article is a card by itself
            return node
        if node.name in ("div", "section"):
            if best is not None and not _opens_with(node, subject[1] if subject else None):
                break  # a wrapper with other text before the card
            best = node
        node = node.parent
    return best


def _opens_with(node: Tag, name: str | None) -> bool:
    # "Dr. Al Bo, LMFT" still opens with Al Bo: allow a short title before the name.
    text = _collapse(node.get_text(" "))
    return name is not None and 0 <= text.find(name) <= _NAME_PREFIX_CHARS


def _has_section_heading(node: Tag) -> bool:
    for heading in node.find_all(list(_HEADINGS)):
        text = _collapse(heading.get_text(" "))
        if heading.name == "h1" or text.endswith("?") or LIST_HEADING.search(text):
            return True
    return False


def _card_lines(card: Tag) -> tuple[tuple[str, ...], str | None]:
    walker = _Walker({})
    walker.visit(card, bullet=False)
    walker.flush()
    lines = tuple(b.text for b in walker.blocks if isinstance(b, Heading | Para) and b.text)
    links = [link for b in walker.blocks if isinstance(b, Para) for link in b.links]
    return lines, profile_link(links)


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    return href if isinstance(href, str) and href.strip() else None


def _collapse(text: str) -> str:
    return " ".join(text.split())
