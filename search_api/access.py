"""Who may call the API: keys (stored hashed, several at once so they can be rotated), each
with scopes; open to anyone only when ALLOW_ANONYMOUS=true (the local demo).

Keys come from API_KEYS (`secret` or `name:secret` entries, comma-separated, all scopes) or
API_KEYS_FILE (JSON: [{"name": ..., "sha256": hex digest of the key, "scopes": [...]}]).
A caller sends `Authorization: Bearer KEY` or `X-API-Key: KEY`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings

SCOPES = frozenset({"search", "suggest", "documents"})


@dataclass(frozen=True)
class ApiKey:
    name: str
    sha256: str
    scopes: frozenset[str]


class AccessConfigError(ValueError):
    """API_KEYS or API_KEYS_FILE cannot be read."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def keys_from_env(value: str) -> list[ApiKey]:
    keys = []
    for number, entry in enumerate((e.strip() for e in value.split(",")), start=1):
        if not entry:
            continue
        name, _, secret = entry.partition(":") if ":" in entry else (f"key{number}", "", entry)
        if len(secret) < 16:
            raise AccessConfigError(f"API_KEYS entry {number} ({name}): a key needs at least 16 characters")
        keys.append(ApiKey(name, digest(secret), SCOPES))
    return keys


def keys_from_file(path: Path) -> list[ApiKey]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AccessConfigError(f"{path}: cannot read the API keys file ({exc})") from exc
    if not isinstance(rows, list):
        raise AccessConfigError(f"{path}: expected a JSON list of keys")
    keys = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("sha256"), str) or len(row["sha256"]) != 64:
            raise AccessConfigError(f"{path}: key {number} needs a 64-character hex `sha256`")
        scopes = frozenset(row.get("scopes") or SCOPES)
        unknown = scopes - SCOPES
        if unknown:
            raise AccessConfigError(f"{path}: key {number} has unknown scopes {sorted(unknown)}")
        keys.append(ApiKey(str(row.get("name") or f"key{number}"), row["sha256"].lower(), scopes))
    return keys


@dataclass(frozen=True)
class AccessPolicy:
    keys: tuple[ApiKey, ...]
    anonymous: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        keys = keys_from_env(settings.api_keys or "")
        if settings.api_keys_file:
            keys += keys_from_file(settings.api_keys_file)
        return cls(tuple(keys), settings.allow_anonymous)

    def find(self, presented: str | None) -> ApiKey | None:
        if not presented:
            return None
        wanted = digest(presented)
        found = None
        for key in self.keys:  # compare with every key, in constant time each
            if hmac.compare_digest(key.sha256, wanted):
                found = key
        return found

    def check(self, presented: str | None, scope: str) -> tuple[int, str] | None:
        """None when allowed, else (status, message)."""
        key = self.find(presented)
        if key is not None:
            return None if scope in key.scopes else (403, f"this key may not use `{scope}`")
        if presented:
            return 401, "unknown API key"
        if self.anonymous:
            return None
        if not self.keys:
            return 401, "this API needs a key: configure API_KEYS or API_KEYS_FILE (ALLOW_ANONYMOUS=true for local use)"
        return 401, "send an API key as `Authorization: Bearer KEY` or `X-API-Key: KEY`"


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None
