"""Progress on stderr: a bar with rate and ETA on a terminal; otherwise (CI logs, pipes, `make
run` into a file) no bar, and a plain line only every few seconds of a long run, as a sign of
life: the summary line after the run says how it ended."""

from __future__ import annotations

import sys
import time
from typing import TextIO

PLAIN_EVERY_S = 5.0
BAR_WIDTH = 28


def format_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def render(label: str, done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    share = done / total if total else 1.0
    eta = (total - done) / rate if rate > 0 else 0.0
    filled = int(share * BAR_WIDTH)
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    return f"{label} [{bar}] {share:4.0%} {done}/{total} {rate:,.0f} docs/s ETA {format_duration(eta)}"


def plain(label: str, done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    return f"{label.strip()}: {done:,} of {total:,} ({rate:,.0f} docs/s)"


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._last_plain = self.started
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        line = render(self.label, self.done, self.total, now - self.started)
        if self._tty:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif now - self._last_plain >= PLAIN_EVERY_S and self.done < self.total:
            self._last_plain = now
            self.stream.write(plain(self.label, self.done, self.total, now - self.started) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._tty:
            self.stream.write("\n")
            self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started
