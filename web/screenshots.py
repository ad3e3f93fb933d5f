"""Screenshots of the search page and the workbench, for docs/.

    .venv/bin/python web/screenshots.py --api http://127.0.0.1:8011 --out docs/

Drives Debian's Chromium headless (no browser download) against a running API and writes
search-desktop.png, search-phone.png, search-crisis.png, search-constraints-phone.png (a need
with practical conditions: the chips and the cards' cost, opening and languages),
search-off-topic-phone.png (nothing matched, and the way forward),
safety-partner-violence-phone.png, safety-typeahead-phone.png, workbench-desktop.png and
workbench-phone.png. With --judgments FILE (TREC qrels or JSON Lines) the workbench loads it,
so gain badges and nDCG@10 show.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ViewportSize

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
QUERY = "someone to help my teen stop cutting"
CRISIS_QUERY = "I want to kill myself"
CONSTRAINT_QUERY = "spanish speaking therapist for my son's anxiety"
OFF_TOPIC_QUERY = "pizza delivery"
CONSTRAINTS_HEIGHT = 1500  # the chips and the first two cards, with their cost, opening and languages
ABUSE_QUERY = "my husband hits me"
TYPED_CRISIS = "i want to kill"
TIMEOUT_MS = 30_000


@contextmanager
def browser_context(executable: str = CHROMIUM) -> Iterator[BrowserContext]:
    """A Chromium context with a fresh profile, closed on exit."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="caresearch-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True, viewport=DESKTOP
        )
        try:
            yield context
        finally:
            context.close()


def search_page(
    context: BrowserContext, api: str, query: str, viewport: ViewportSize, out: Path, height: int | None = None
) -> None:
    """The page for `query`; with `height`, that much of the whole page (to reach the first cards on a phone)."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.goto(f"{api}/?{urlencode({'q': query})}")
    page.wait_for_selector(
        "#provider-list .card, #provider-list .empty, #empty-state:not([hidden])", timeout=TIMEOUT_MS
    )
    # attached, not visible: when nothing matched the results stay hidden below the empty state
    page.wait_for_selector("#results:not([aria-busy])", state="attached", timeout=TIMEOUT_MS)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if height is None:
        page.screenshot(path=str(out))
    else:
        page.screenshot(
            path=str(out), full_page=True, clip={"x": 0, "y": 0, "width": viewport["width"], "height": height}
        )
    page.close()


def typeahead_page(context: BrowserContext, api: str, typed: str, viewport: ViewportSize, out: Path) -> None:
    """The dropdown while `typed` is being typed, its safety block at the top."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.goto(f"{api}/")
    page.locator("#q").press_sequentially(typed, delay=30)
    page.wait_for_selector("#suggest-panel:not([hidden])", timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)  # the last keystroke's answer
    page.screenshot(path=str(out))
    page.close()


def workbench_page(
    context: BrowserContext,
    api: str,
    query: str,
    doc_type: str,
    viewport: ViewportSize,
    out: Path,
    judgments: Path | None,
) -> None:
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.goto(f"{api}/workbench?{urlencode({'q': query, 'type': doc_type})}")
    for mode in ("bm25", "vector", "hybrid"):
        page.wait_for_selector(f'.column[data-mode="{mode}"] .hit', timeout=TIMEOUT_MS)
    if judgments is not None:
        page.set_input_files("#wb-file", str(judgments))
        page.wait_for_selector(".column .ndcg", timeout=TIMEOUT_MS)
    page.locator('.column[data-mode="hybrid"] .hit details.explain summary').first.click()
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.screenshot(path=str(out))
    page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the running API (default %(default)s)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="where the PNGs go (default %(default)s)")
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--crisis-query", default=CRISIS_QUERY)
    parser.add_argument("--constraint-query", default=CONSTRAINT_QUERY)
    parser.add_argument("--off-topic-query", default=OFF_TOPIC_QUERY)
    parser.add_argument("--workbench-query", help="default: --query")
    parser.add_argument("--workbench-type", choices=["providers", "passages"], default="providers")
    parser.add_argument("--judgments", type=Path, help="TREC qrels or JSON Lines to load into the workbench")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"error: {args.chromium} is missing: run `make browser-deps`", file=sys.stderr)
        return 2
    api = args.api.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    wb_query = args.workbench_query or args.query
    with browser_context(args.chromium) as context:
        search_page(context, api, args.query, DESKTOP, args.out / "search-desktop.png")
        search_page(context, api, args.query, PHONE, args.out / "search-phone.png")
        search_page(context, api, args.crisis_query, DESKTOP, args.out / "search-crisis.png")
        constraints = args.out / "search-constraints-phone.png"
        search_page(context, api, args.constraint_query, PHONE, constraints, height=CONSTRAINTS_HEIGHT)
        search_page(context, api, args.off_topic_query, PHONE, args.out / "search-off-topic-phone.png")
        search_page(context, api, ABUSE_QUERY, PHONE, args.out / "safety-partner-violence-phone.png")
        typeahead_page(context, api, TYPED_CRISIS, PHONE, args.out / "safety-typeahead-phone.png")
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            workbench_page(
                context,
                api,
                wb_query,
                args.workbench_type,
                viewport,
                args.out / f"workbench-{name}.png",
                args.judgments,
            )
    shots = (
        "search-desktop",
        "search-phone",
        "search-crisis",
        "search-constraints-phone",
        "search-off-topic-phone",
        "safety-partner-violence-phone",
        "safety-typeahead-phone",
    )
    for name in (*shots, "workbench-desktop", "workbench-phone"):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
