"""What every answer carries and every request must name: the Host header checked against
ALLOWED_HOSTS (400 `invalid_host` otherwise, so no answer, redirect or page is made for a name
the service does not go by: DNS rebinding, a reflected `Location`), and headers that tell
browsers not to sniff types, frame the pages or send the address of a search (it holds the
query) to the sites the page links to. The pages' own policy (CSP) is in routes/pages.py."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import error_response

# ALLOWED_HOSTS unset: the loopback names `python -m search_api` answers on, and names no
# public DNS can give an attacker: `test` and `*.test` (RFC 6761) and `in-process` (relevance/
# runner.py's in-process client)
DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1", "test", "*.test", "in-process")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


class HostConfigError(ValueError):
    """ALLOWED_HOSTS cannot be read."""


def parse_hosts(value: str) -> tuple[str, ...]:
    """ALLOWED_HOSTS: comma-separated host names or addresses, `*.example.org` for its
    subdomains; no ports, no `*` alone (that would allow every name)."""
    hosts = []
    for entry in (e.strip().lower() for e in value.split(",")):
        if not entry:
            continue
        name = entry[2:] if entry.startswith("*.") else entry
        if not name or "*" in name or "/" in name or (":" in name and name.count(":") < 2):
            raise HostConfigError(
                f"ALLOWED_HOSTS: {entry!r} is not a host name; give e.g. find.example.org, *.example.org"
            )
        hosts.append(entry)
    return tuple(hosts) or DEFAULT_HOSTS


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def host_allowed(header: str, allowed: tuple[str, ...]) -> bool:
    name = host_name(header).rstrip(".")
    return bool(name) and any(
        name == entry or (entry.startswith("*.") and name.endswith(entry[1:])) for entry in allowed
    )


class Perimeter:
    def __init__(self, app: ASGIApp, hosts: tuple[str, ...] = DEFAULT_HOSTS) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name.decode(), value.decode())
            await send(message)

        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        if not host_allowed(host.decode("latin-1"), self.hosts):
            answer = error_response(400, "invalid_host", "this service does not answer to that Host")
            await answer(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
