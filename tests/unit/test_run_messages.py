"""What `make run` says: where the demo's documents come from, and one line when the page is up."""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from indexer.cli import demo_origins
from indexer.sources import Loaded
from indexer.validate import Located
from search_api.announce import up_line


def test_the_demo_says_which_documents_the_seed_page_added() -> None:
    loaded = Loaded()
    for i in range(3):
        loaded.providers[f"demo-p-{i}"] = Located("demo.jsonl", i, {})  # type: ignore[arg-type]
    loaded.providers["page-s-1"] = Located("seed.txt", 1, {})  # type: ignore[arg-type]
    loaded.passages["guide-1"] = Located("guide.jsonl", 1, {})  # type: ignore[arg-type]
    assert demo_origins(loaded, {"seed.txt"}) == (
        "demo corpus: 3 generated providers and 1 guide passages, + 1 providers and 0 passages from the seed page"
    )


class FakeEngine:
    def __init__(self, settings: Settings) -> None: ...

    def request(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        if path == "/":
            return {"version": {"distribution": "opensearch", "number": "2.19.1"}}
        demo, seed = (1000, 6) if "providers" in path else (92, 16)
        return {
            "hits": {"total": {"value": demo + seed}},
            "aggregations": {"demo": {"doc_count": demo}, "seed": {"doc_count": seed}},
        }

    def close(self) -> None: ...


def test_the_up_line_names_the_url_the_engine_and_the_corpus_with_its_origin(monkeypatch: Any) -> None:
    monkeypatch.setattr("search_api.announce.SyncEngine", FakeEngine)
    assert up_line(Settings(), "http://127.0.0.1:8000") == (
        "CareSearch is up: http://127.0.0.1:8000 — OpenSearch 2.19.1, 1,000 demo providers + 92 guide passages"
        " (+ 6 providers, 16 passages from the seed page)"
    )


def test_the_up_line_never_keeps_the_server_from_serving(monkeypatch: Any) -> None:
    class Down(FakeEngine):
        def request(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
            raise ConnectionError("refused")

    monkeypatch.setattr("search_api.announce.SyncEngine", Down)
    assert up_line(Settings(), "http://x").startswith("CareSearch is up: http://x (the engine did not say")
