"""What the app logs, captured as its JSON formatter writes it (unit and integration tests)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from search_api import logging_setup


@contextmanager
def captured_app_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging_setup.JsonFormatter())
    logger = logging.getLogger("search_api")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
