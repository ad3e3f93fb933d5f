"""Access control: keys stored hashed, several at once, scoped; open only when configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import Settings
from search_api.access import AccessConfigError, AccessPolicy, digest, presented_key

KEY = "a-long-enough-secret-key"
OTHER = "another-long-secret-key!"


def policy(**settings: object) -> AccessPolicy:
    return AccessPolicy.from_settings(Settings(**settings))  # type: ignore[arg-type]


def test_without_keys_or_anonymous_access_everything_is_refused_with_a_hint() -> None:
    status, message = policy(allow_anonymous=False).check(None, "search") or (0, "")
    assert status == 401 and "API_KEYS" in message


def test_anonymous_access_is_allowed_only_when_configured() -> None:
    assert policy(allow_anonymous=True).check(None, "search") is None


def test_several_keys_work_at_once_so_they_can_be_rotated() -> None:
    p = policy(api_keys=f"old:{KEY},new:{OTHER}")
    assert p.check(KEY, "search") is None and p.check(OTHER, "search") is None
    assert p.check("wrong-key-of-some-length", "search") == (401, "unknown API key")


def test_an_unknown_key_is_refused_even_when_anonymous_access_is_on() -> None:
    assert policy(allow_anonymous=True, api_keys=KEY).check("guess-guess-guess-guess", "search")[0] == 401  # type: ignore[index]


def test_file_keys_are_hashed_and_scoped(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"name": "page", "sha256": digest(KEY), "scopes": ["search", "suggest"]}]))
    p = policy(api_keys_file=path)
    assert p.check(KEY, "search") is None
    assert p.check(KEY, "documents") == (403, "this key may not use `documents`")
    assert KEY not in path.read_text()


def test_bad_key_files_and_short_keys_are_configuration_errors(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text('[{"sha256": "abc"}]')
    with pytest.raises(AccessConfigError, match="sha256"):
        policy(api_keys_file=path)
    with pytest.raises(AccessConfigError, match="16 characters"):
        policy(api_keys="short")


def test_keys_are_read_from_bearer_or_x_api_key_headers() -> None:
    assert presented_key("Bearer abc", None) == "abc"
    assert presented_key(None, "xyz") == "xyz"
    assert presented_key("Basic abc", None) is None
