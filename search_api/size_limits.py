"""The size of a request: a request target (path and query string) past its bound is refused
at once (414), headers past theirs too (431), a body past its bound is bad input (422, through
the error handlers), and nothing over a bound is buffered."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import error_response

# a search with a dozen filters takes under 2 KiB; 24 leave room for every list filter at its
# longest (tests/unit/test_api_limits.py: the largest valid body fits)
MAX_BODY_BYTES = 24 * 1024
# uvicorn (h11) lets through header blocks of up to ~80 KiB when they arrive at once; browsers
# send 1-2 KiB. Beyond these, 431 before any route runs.
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
# the path and query string: a search by GET with a query of 500 characters, each written as
# %XX%XX%XX, and a dozen filters takes under 6 KiB; longer filter lists go in a POST body.
# uvicorn lets through request lines of ~120,000 characters when they arrive at once.
MAX_TARGET_BYTES = 16 * 1024
# what uvicorn (h11) may buffer of a request head still arriving: the target and the headers
MAX_HEAD_BYTES = MAX_TARGET_BYTES + MAX_HEADER_BYTES + 1024


def target_too_long(scope: Scope) -> bool:
    return len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b"")) > MAX_TARGET_BYTES


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def headers_problem(headers: list[tuple[bytes, bytes]]) -> str | None:
    """Why these request headers are refused, or None."""
    if len(headers) > MAX_HEADERS:
        return f"more than {MAX_HEADERS} request headers"
    if sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
        return f"the request headers take more than {MAX_HEADER_BYTES} bytes"
    return None


class SizeLimits:
    """Refuses oversized headers at once (431), and request bodies over `limit` bytes whether
    declared (Content-Length) or streamed (chunked): the endpoint's read raises BodyTooLarge,
    which the error handlers answer as a 422 naming the body, as for any bad input. Nothing
    over the limit is buffered."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if target_too_long(scope):
            message = f"the path and query string take more than {MAX_TARGET_BYTES} bytes; send long searches by POST"
            await error_response(414, "uri_too_long", message)(scope, receive, send)
            return
        problem = headers_problem(scope["headers"])
        if problem:
            await error_response(431, "headers_too_large", problem)(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = declared is not None and (not declared.isdigit() or int(declared) > self.limit)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise BodyTooLarge(self.limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)
