"""Access control: keys stored hashed, several at once, scoped; open only when configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import Settings
from search_api.access import (
    AccessConfigError,
    AccessPolicy,
    caller_identity,
    digest,
    keys_from_file,
    parse_origins,
    presented_key,
)

KEY = "a-long-enough-secret-key"
OTHER = "another-long-secret-key!"


def policy(**settings: object) -> AccessPolicy:
    return AccessPolicy.from_settings(Settings(**settings))  # type: ignore[arg-type]


def refusal(policy: AccessPolicy, presented: str | None, scope: str) -> tuple[int, str] | None:
    """What the app's dependency decides for a request presenting this key (None: allowed)."""
    return policy.decide(policy.find(presented), bool(presented), scope)


def test_without_keys_or_anonymous_access_everything_is_refused_with_a_hint() -> None:
    status, message = refusal(policy(allow_anonymous=False), None, "search") or (0, "")
    assert status == 401 and "API_KEYS" in message


def test_anonymous_access_is_allowed_only_when_configured() -> None:
    assert refusal(policy(allow_anonymous=True), None, "search") is None


def test_several_keys_work_at_once_so_they_can_be_rotated() -> None:
    p = policy(api_keys=f"old:{KEY},new:{OTHER}")
    assert refusal(p, KEY, "search") is None and refusal(p, OTHER, "search") is None
    assert refusal(p, "wrong-key-of-some-length", "search") == (401, "unknown API key")


def test_an_unknown_key_is_refused_even_when_anonymous_access_is_on() -> None:
    assert refusal(policy(allow_anonymous=True, api_keys=KEY), "guess-guess-guess-guess", "search")[0] == 401  # type: ignore[index]


def test_file_keys_are_hashed_and_scoped(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"name": "page", "sha256": digest(KEY), "scopes": ["search", "suggest"]}]))
    p = policy(api_keys_file=path)
    assert refusal(p, KEY, "search") is None
    assert refusal(p, KEY, "documents") == (403, "this key may not use `documents`")
    assert KEY not in path.read_text()


def test_bad_key_files_and_short_keys_are_configuration_errors(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text('[{"sha256": "abc"}]')
    with pytest.raises(AccessConfigError, match="sha256"):
        policy(api_keys_file=path)
    with pytest.raises(AccessConfigError, match="16 characters"):
        policy(api_keys="short")


# ------------------------------------------------------------------ the page's public key


def test_the_public_search_key_may_search_and_suggest_only() -> None:
    p = policy(public_search_key=KEY, api_keys=f"svc:{OTHER}")
    assert p.page_key == KEY
    assert refusal(p, KEY, "search") is None and refusal(p, KEY, "suggest") is None
    assert refusal(p, KEY, "documents") == (403, "this key may not use `documents`")
    assert refusal(p, KEY, "metrics") == (403, "this key may not use `metrics`")
    assert refusal(p, OTHER, "documents") is None  # the service key keeps every scope


def test_a_short_public_key_is_a_configuration_error() -> None:
    with pytest.raises(AccessConfigError, match="PUBLIC_SEARCH_KEY"):
        policy(public_search_key="short")


def test_without_a_public_key_the_page_gets_none() -> None:
    assert policy(allow_anonymous=True).page_key is None


def test_metrics_is_a_scope_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"name": "scraper", "sha256": digest(KEY), "scopes": ["metrics"]}]))
    p = policy(api_keys_file=path)
    assert refusal(p, KEY, "metrics") is None and refusal(p, KEY, "search") == (403, "this key may not use `search`")


def test_file_keys_may_carry_their_own_rate(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"name": "batch", "sha256": digest(KEY).upper(), "rate_per_minute": 6000}]))
    (key,) = keys_from_file(path)
    assert (key.name, key.rate_per_minute, key.sha256) == ("batch", 6000, digest(KEY))
    for bad in (0, -1, "fast", True):
        path.write_text(json.dumps([{"sha256": digest(KEY), "rate_per_minute": bad}]))
        with pytest.raises(AccessConfigError, match="rate_per_minute"):
            keys_from_file(path)


def test_file_keys_need_a_hex_digest(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"sha256": "z" * 64}]))
    with pytest.raises(AccessConfigError, match=r"keys.json: key 1 needs a 64-character hex"):
        keys_from_file(path)


# ------------------------------------------------------------------ reading the key a caller sent


@pytest.mark.parametrize(
    ("authorization", "x_api_key", "expected"),
    [
        ("Bearer abc", None, "abc"),
        ("bearer   abc  ", None, "abc"),
        ("BEARER abc", None, "abc"),
        (None, "  xyz ", "xyz"),
        ("Bearer abc", "xyz", "xyz"),  # X-API-Key wins when both are sent
        ("Bearer abc", "   ", "abc"),  # an empty X-API-Key does not hide the bearer token
        ("Bearer", None, None),
        ("Bearer    ", None, None),
        ("Basic abc", None, None),
        ("abc", None, None),
        (None, "", None),
        (None, None, None),
    ],
)
def test_keys_are_read_from_either_header(
    authorization: str | None, x_api_key: str | None, expected: str | None
) -> None:
    assert presented_key(authorization, x_api_key) == expected


def test_service_keys_are_limited_per_key_everyone_else_per_address() -> None:
    p = policy(public_search_key=KEY, api_keys=f"svc:{OTHER}")
    assert caller_identity(p.find(OTHER), "10.0.0.1") == "key:svc"
    assert caller_identity(p.find(KEY), "10.0.0.1") == "ip:10.0.0.1"  # the page's key is shared by all browsers
    assert caller_identity(None, "10.0.0.2") == "ip:10.0.0.2"


# ------------------------------------------------------------------ CORS allowlist


def test_cors_origins_are_read_strictly() -> None:
    assert parse_origins("") == []
    assert parse_origins(" https://www.example.org/ , http://localhost:8000,https://www.example.org") == [
        "https://www.example.org",
        "http://localhost:8000",
    ]
    assert parse_origins("HTTPS://Find.Example.org") == ["https://find.example.org"]
    assert parse_origins("http://[::1]:8080") == ["http://[::1]:8080"]


@pytest.mark.parametrize(
    "bad", ["*", "null", "www.example.org", "https://example.org/search", "ftp://example.org", "https://*.example.org"]
)
def test_wildcards_paths_and_non_origins_are_refused(bad: str) -> None:
    with pytest.raises(AccessConfigError, match="CORS_ORIGINS"):
        parse_origins(f"https://ok.example.org,{bad}")


def test_the_page_key_goes_into_the_head_escaped() -> None:
    from search_api.routes.pages import with_page_key

    page = '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n</head><body></body></html>'
    served = with_page_key(page, 'k"><script>x</script>0123456789')
    assert '<head>\n  <meta name="api-key" content="k&quot;&gt;&lt;script&gt;x&lt;/script&gt;0123456789">' in served
    assert "<script>" not in served
    assert with_page_key(page, None) == page


def test_an_empty_keys_file_setting_means_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEYS_FILE", "")
    monkeypatch.setenv("API_KEYS", f"svc:{KEY}")
    settings = Settings()
    assert settings.api_keys_file is None
    assert refusal(AccessPolicy.from_settings(settings), KEY, "search") is None
