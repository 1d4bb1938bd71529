"""A one-line progress report for long previews on a terminal: resources registered, policies evaluated.

The CLI shows it only when stdout is a terminal and the output is text (never with --json, never in a
pipe or CI log), on stderr, redrawn at most a few times a second and erased before the result prints.
"""
from __future__ import annotations

import threading
import time
from typing import TextIO

_INTERVAL_S = 0.25


class TerminalProgress:
    def __init__(self, stream: TextIO):
        self._stream = stream
        self._lock = threading.Lock()
        self._last = 0.0
        self._width = 0
        self._registered = 0

    def registered(self, _resource: object = None) -> None:
        """One more resource registered (called as each registers: on the loop's thread, or on the SDK's
        executor threads when the monitor's calls are not made inline)."""
        with self._lock:
            self._registered += 1
            self._show(f"program: {self._registered} resources registered")

    def analyzed(self, done: int, total: int) -> None:
        with self._lock:
            self._show(f"policies: {done}/{total} resources evaluated", force=done == total)

    def _show(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < _INTERVAL_S:
            return
        self._last = now
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = len(text)

    def clear(self) -> None:
        with self._lock:
            if self._width:
                self._stream.write("\r" + " " * self._width + "\r")
                self._stream.flush()
                self._width = 0
