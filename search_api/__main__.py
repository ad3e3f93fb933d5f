"""`python -m search_api`: serve the API on 127.0.0.1:${PORT:-8000}."""

import uvicorn

from core.settings import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(
        "search_api.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
