"""Structured (JSON) logs with a request id. Queries that signal a crisis are never logged
in plain text: only a short hash of them."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for key in ("event", "method", "path", "status", "ms", "query", "query_hash", "mode", "type", "crisis"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("search_api")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def query_fields(query: str, crisis: bool) -> dict[str, Any]:
    """What a log line may say about a query."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:12]
    if crisis:
        return {"query_hash": digest, "crisis": True}
    return {"query": query[:200], "query_hash": digest, "crisis": False}
