"""Shared fixtures: where the development data lies, and the real embedding model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The suite tests the service as the local demo runs it; access control tests set their own.
os.environ.setdefault("ALLOW_ANONYMOUS", "true")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or a clear skip where the checkout has none (a user's clone)."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the development data lives beside the project in ../shared/data")
    return path


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    from core.embedder import load_embedder

    return load_embedder()
