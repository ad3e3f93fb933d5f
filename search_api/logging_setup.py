"""Structured (JSON) logs with a request id. Queries that signal a crisis are never logged
in plain text: only a keyed hash of them (HMAC-SHA-256 with LOG_HASH_KEY, else a key drawn
when the process starts), which tells repeats of one query apart from others within what one
key covers, and which nobody without the key can look up from a list of likely phrasings."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
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


class QueryHasher:
    """HMAC-SHA-256 of a query, cut to 16 hex characters. `key` from LOG_HASH_KEY; without one,
    a random key of this process (hashes then compare only within one process's logs)."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key.encode() if key else secrets.token_bytes(32)

    def __call__(self, query: str) -> str:
        return hmac.new(self.key, query.encode(), hashlib.sha256).hexdigest()[:16]


def query_fields(query: str, crisis: bool, hasher: QueryHasher) -> dict[str, Any]:
    """What a log line may say about a query."""
    digest = hasher(query)
    if crisis:
        return {"query_hash": digest, "crisis": True}
    return {"query": query[:200], "query_hash": digest, "crisis": False}
