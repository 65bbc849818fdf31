"""A one-line progress count on a terminal, for runs long enough to wonder about.

Shown only when stderr is a terminal, not in CI (`CI` set) and not with `--quiet`, and only
once the run has lasted `delay` seconds, so quick runs and every log or machine-readable
output stay exactly as they were.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TextIO

_CLEAR_LINE = "\r\033[K"


class Progress:
    """Called as `progress(done, total, what)` while directories are read and files parsed."""

    def __init__(self, stream: TextIO, delay: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._stream = stream
        self._clock = clock
        self._start = clock()
        self._delay = delay
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int, what: str) -> None:
        now = self._clock()
        if now - self._start < self._delay or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        self._shown = True
        self._stream.write(f"{_CLEAR_LINE}tf-apigw-lint: {done:,}/{total:,} {what}")
        self._stream.flush()

    def close(self) -> None:
        """Erase the line, so the report starts on a clean one."""
        if self._shown:
            self._stream.write(_CLEAR_LINE)
            self._stream.flush()
            self._shown = False


def terminal_progress(stream: TextIO, environ: Mapping[str, str], quiet: bool) -> Progress | None:
    if quiet or environ.get("CI") or environ.get("TERM") == "dumb":
        return None
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # a replaced or closed stream
        return None
    return Progress(stream)
