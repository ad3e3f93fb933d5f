"""The profile view a card leads to (/providers/{id}): a provider's public record
(search_api/public.py) as a page, rendered here so it needs no key and no script. Every value is
escaped; only what the provider states is shown."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from search_api.labels import specialty_labels


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _words(items: Sequence[str]) -> str:
    items = [str(i) for i in items if i]
    return "".join(items) if len(items) < 2 else f"{', '.join(items[:-1])} and {items[-1]}"


def _fee(doc: Mapping[str, Any]) -> str | None:
    low, high = doc.get("session_fee_min"), doc.get("session_fee_max")
    if low is None:
        return None
    fee = f"${low}" if high in (None, low) else f"${low}–${high}"
    return f"{fee} a session"


def _day(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return None
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _facts(doc: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(key, label, value) for each stated fact, in the order people choose by."""
    place = "Remote only" if doc.get("remote_only") else ", ".join(p for p in (doc.get("city"), doc.get("state")) if p)
    if place and doc.get("zip") and not doc.get("remote_only"):
        place += f" {doc['zip']}"
    sessions = []
    if not doc.get("remote_only") and doc.get("city"):
        sessions.append("in person")
    if doc.get("telehealth") or doc.get("remote_only"):
        sessions.append("online")
    fee = _fee(doc)
    if doc.get("sliding_scale"):
        fee = f"{fee}; sliding scale" if fee else "Sliding scale"
    accepting = doc.get("accepting_new_clients")
    candidates = [
        ("place", "Where", place),
        ("sessions", "Sessions", _words(sessions).capitalize() if sessions else None),
        (
            "accepting",
            "New clients",
            None if accepting is None else ("Accepting new clients" if accepting else "Not accepting new clients"),
        ),
        ("opening", "Next opening", _day(doc.get("next_available")) if accepting is not False else None),
        ("fee", "Cost", fee),
        ("insurance", "Insurance", _words(doc.get("insurance") or [])),
        ("specialties", "Helps with", _words(specialty_labels(doc.get("specialties") or []))),
        ("approaches", "Approaches", _words(doc.get("therapy_types") or [])),
        ("ages", "Ages", _words(doc.get("ages_served") or [])),
        ("languages", "Speaks", _words(doc.get("languages") or [])),
        ("gender", "Gender", doc.get("gender")),
        ("faith", "Faith-informed care", _words(doc.get("faith") or [])),
        ("years", "In practice", f"{doc['years_in_practice']} years" if doc.get("years_in_practice") else None),
    ]
    return [(key, label, str(value)) for key, label, value in candidates if value]


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{_e(title)} — CareSearch</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/style.css">
</head>
<body class="profile-page">
  <header class="site-header"><div class="wrap"><a class="back-link" href="/">← Back to search</a></div></header>
  <main class="wrap profile" id="profile">
{body}
  </main>
</body>
</html>
"""


def render_profile(doc: Mapping[str, Any]) -> str:
    name = str(doc.get("name") or "Therapist")
    credentials = " · ".join(doc.get("credentials") or [])
    facts = "\n".join(
        f'      <div class="fact" data-fact="{key}"><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>'
        for key, label, value in _facts(doc)
    )
    bio = "".join(f"\n    <p>{_e(p.strip())}</p>" for p in str(doc.get("bio") or "").split("\n\n") if p.strip())
    section = f'\n    <section class="profile-bio" aria-label="In their words">{bio}\n    </section>' if bio else ""
    body = f"""    <h1>{_e(name)}</h1>
    {f'<p class="credentials">{_e(credentials)}</p>' if credentials else ""}
    <dl class="profile-facts">
{facts}
    </dl>{section}"""
    return _page(name, body)


def render_missing(doc_id: str) -> str:
    return _page(
        "Not found",
        f"    <h1>We could not find this therapist</h1>\n    <p>No profile has the id {_e(doc_id)}."
        ' <a href="/">Search again</a>.</p>',
    )
