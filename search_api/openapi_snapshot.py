"""docs/openapi.json: the OpenAPI document the API serves, committed, so a changed contract is a
visible diff. `make openapi` rewrites it; tests/unit/test_openapi_snapshot.py fails while the
served document and the file differ."""

from __future__ import annotations

import json
import sys
from typing import Any

from core.settings import PROJECT_ROOT, Settings
from search_api.app import create_app

SNAPSHOT = PROJECT_ROOT / "docs" / "openapi.json"


def served() -> dict[str, Any]:
    """The document as /openapi.json serves it (building it needs no engine and no model)."""
    return create_app(Settings()).openapi()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SNAPSHOT.write_text(render(served()), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
