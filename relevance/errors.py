"""The errors the CLI turns into a one-line message and exit code 2, never a traceback."""

from __future__ import annotations


class RelevanceError(Exception):
    """Bad input or an unreachable API: the message alone tells the analyst what to fix."""


class JudgmentError(RelevanceError):
    """A queries or judgments file that cannot be used; the message names the file and line."""


class ApiError(RelevanceError):
    """The search API could not be reached or answered something other than the contract's shape (docs/contract.md)."""
