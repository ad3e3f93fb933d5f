"""`python -m search_api`: serve the API on 127.0.0.1:${PORT:-8000}.

On SIGTERM or SIGINT the server stops accepting connections, lets the requests in flight
finish (for up to SHUTDOWN_GRACE_S seconds, default 10), runs the app's shutdown, and the
process exits 0: a stop the process manager asked for is not a failure.
"""

import asyncio
import signal
import socket
import sys
from types import FrameType

import uvicorn

from core.settings import Settings
from search_api.announce import up_line
from search_api.size_limits import MAX_HEAD_BYTES

# how uvicorn serves the API, whoever starts it (tests/integration/test_api_security.py too)
SERVER_OPTIONS = {
    # the client address comes from TRUSTED_PROXIES alone (search_api/client_address.py): uvicorn
    # would otherwise take X-Forwarded-For from any loopback caller
    "proxy_headers": False,
    # h11 refuses a request head past MAX_HEAD_BYTES while it arrives, before buffering more;
    # httptools, if installed, would hand a 1 MB header to the app. A head that arrives whole
    # is bounded by the app's first middleware (search_api/size_limits.py: 414, 431)
    "http": "h11",
    "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
}


def _stopped_on_request(signum: int, frame: FrameType | None) -> None:
    """Outside uvicorn's own handling (before it starts, and when it raises the signal it
    handled again after shutting down): exit 0 instead of dying of the signal."""
    raise SystemExit(0)


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, which says in one line where the page is up once it is."""

    def __init__(self, config: uvicorn.Config, settings: Settings) -> None:
        super().__init__(config)
        self.settings = settings

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            url = f"http://{self.config.host}:{self.config.port}"
            print(await asyncio.to_thread(up_line, self.settings, url), file=sys.stderr, flush=True)


def main() -> int:
    settings = Settings()
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, _stopped_on_request)
    config = uvicorn.Config(
        "search_api.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        **SERVER_OPTIONS,  # type: ignore[arg-type]
    )
    server = AnnouncingServer(config, settings)
    server.run()
    return 0 if server.started else 3  # 3: uvicorn's own code for a server that could not start


if __name__ == "__main__":
    sys.exit(main())
