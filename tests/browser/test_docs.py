"""/docs with the network off: Swagger UI comes from files a package installed, not a CDN."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_operation_with_the_network_off(page: Any) -> None:
    refused: list[str] = []

    def only_localhost(route: Any) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(f"{page.base}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/v1/search", "/v1/suggest", "/v1/providers/{doc_id}", "/readyz"} <= {p.strip() for p in paths}
    page.locator(".opblock-summary-path", has_text="/v1/suggest").first.click()
    page.wait_for_selector("text=the words typed so far")
    assert refused == [], f"/docs reached beyond this machine: {refused}"
