"""Who may call the API: keys (stored hashed, several at once so they can be rotated), each
with scopes; open to anyone only when ALLOW_ANONYMOUS=true (the local demo).

Keys come from API_KEYS (`secret` or `name:secret` entries, comma-separated, all scopes),
API_KEYS_FILE (JSON: [{"name": ..., "sha256": hex digest of the key, "scopes": [...],
"rate_per_minute": optional}]) and PUBLIC_SEARCH_KEY: the one key the search page is handed,
so it is public by design and may only `search` and `suggest` (without the analysts' overrides).
A caller sends `Authorization: Bearer KEY` or `X-API-Key: KEY`.

Also here: the CORS allowlist (CORS_ORIGINS), read strictly so a typo does not open it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings

# `analyst`: a search's tuning overrides (ANALYST_OVERRIDES in routes/search.py: candidate
# windows, fusion settings, explain, interpretation off), which cost the engine more or show
# how ranking works; the public key and narrow file keys do without them
SCOPES = frozenset({"search", "suggest", "documents", "metrics", "analyst"})
PUBLIC_SCOPES = frozenset({"search", "suggest"})
MIN_KEY_CHARS = 16


@dataclass(frozen=True)
class ApiKey:
    name: str
    sha256: str
    scopes: frozenset[str]
    # a public key is shared by every browser, so its callers are told apart by address
    public: bool = False
    rate_per_minute: float | None = None  # this key's own limit instead of RATE_LIMIT_PER_MINUTE


class AccessConfigError(ValueError):
    """API_KEYS, API_KEYS_FILE, PUBLIC_SEARCH_KEY or CORS_ORIGINS cannot be used."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def keys_from_env(value: str) -> list[ApiKey]:
    keys = []
    for number, entry in enumerate((e.strip() for e in value.split(",")), start=1):
        if not entry:
            continue
        name, _, secret = entry.partition(":") if ":" in entry else (f"key{number}", "", entry)
        if len(secret) < MIN_KEY_CHARS:
            raise AccessConfigError(
                f"API_KEYS entry {number} ({name}): a key needs at least {MIN_KEY_CHARS} characters"
            )
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
        if not isinstance(row, dict) or not re.fullmatch(r"[0-9a-fA-F]{64}", str(row.get("sha256", ""))):
            raise AccessConfigError(f"{path}: key {number} needs a 64-character hex `sha256`")
        scopes = frozenset(row.get("scopes") or SCOPES)
        unknown = scopes - SCOPES
        if unknown:
            raise AccessConfigError(f"{path}: key {number} has unknown scopes {sorted(unknown)}")
        rate = row.get("rate_per_minute")
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0):
            raise AccessConfigError(f"{path}: key {number} `rate_per_minute` must be a positive number")
        keys.append(ApiKey(str(row.get("name") or f"key{number}"), row["sha256"].lower(), scopes, rate_per_minute=rate))
    return keys


def public_key(secret: str) -> ApiKey:
    if len(secret) < MIN_KEY_CHARS:
        raise AccessConfigError(f"PUBLIC_SEARCH_KEY: a key needs at least {MIN_KEY_CHARS} characters")
    return ApiKey("public", digest(secret), PUBLIC_SCOPES, public=True)


@dataclass(frozen=True)
class AccessPolicy:
    keys: tuple[ApiKey, ...]
    anonymous: bool
    page_key: str | None = None  # PUBLIC_SEARCH_KEY itself, to hand to the search page

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        keys = keys_from_env(settings.api_keys or "")
        if settings.api_keys_file:
            keys += keys_from_file(settings.api_keys_file)
        page_key = settings.public_search_key or None
        if page_key:
            keys.append(public_key(page_key))
        return cls(tuple(keys), settings.allow_anonymous, page_key)

    def find(self, presented: str | None) -> ApiKey | None:
        if not presented:
            return None
        wanted = digest(presented)
        found = None
        for key in self.keys:  # compare with every key, in constant time each
            if hmac.compare_digest(key.sha256, wanted):
                found = key
        return found

    def decide(self, key: ApiKey | None, presented: bool, scope: str) -> tuple[int, str] | None:
        """None when `key` (as `find` looked it up: None for no key, or an unknown one if
        `presented`) may use `scope`, else (status, message)."""
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
    if x_api_key and x_api_key.strip():
        return x_api_key.strip()
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return None


def caller_identity(key: ApiKey | None, client_ip: str) -> str:
    """Whose allowance a request spends: a service's key, else (no key, or the page's public
    key that every browser shares) the client's address."""
    return f"key:{key.name}" if key is not None and not key.public else f"ip:{client_ip}"


_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9a-f:.]+\](:\d{1,5})?$")


def parse_origins(value: str) -> list[str]:
    """CORS_ORIGINS: comma-separated `scheme://host[:port]`. A wildcard, a path or `null`
    is refused: the point of the list is that nothing outside it is allowed."""
    origins = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        origin = entry.rstrip("/").lower()
        if not _ORIGIN.match(origin):
            raise AccessConfigError(
                f"CORS_ORIGINS: {entry!r} is not an origin; give scheme://host[:port], e.g. https://www.example.org"
            )
        origins.append(origin)
    return list(dict.fromkeys(origins))
