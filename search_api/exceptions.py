"""The API's own exceptions, in a leaf module: the code that raises them (service, embedding
queue) and the handlers that answer them (errors.py) both import from here, never each other."""

from __future__ import annotations


class SearchFailed(RuntimeError):
    """The engine refused a query the API built (reported as 422 with its reason)."""


class Overloaded(RuntimeError):
    """More queries wait for the model than the queue holds (answered 503 with Retry-After)."""
