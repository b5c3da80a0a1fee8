"""A one-line progress bar for long builds, drawn only on a terminal.

The command line owns it and hands it the stream (stderr): the bar is redrawn in place with a
carriage return, and cleared before any other line is printed so the two never mix. When the
stream is not a terminal (a log, CI, a pipe) it draws nothing at all.
"""
from __future__ import annotations

import shutil
import time
from typing import TextIO


class Progress:
    """`[#####     ] 3 of 10  fever-and-infection  about 4 s left`."""

    def __init__(self, stream: TextIO, total: int, enabled: bool = True, clock=time.monotonic):
        self.stream = stream
        self.total = total
        self.done = 0
        self.enabled = enabled and total > 1 and _is_terminal(stream)
        self._clock = clock
        self._start = clock()
        self._shown = False

    def update(self, name: str) -> None:
        """Say that `name` is being built (after `done` others have finished)."""
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        filled = round(20 * self.done / self.total)
        line = f"[{'#' * filled}{' ' * (20 - filled)}] {self.done + 1} of {self.total}  {name}"
        elapsed = self._clock() - self._start
        if self.done:
            left = elapsed / self.done * (self.total - self.done)
            line += f"  about {left:.0f} s left" if left < 90 else f"  about {left / 60:.0f} min left"
        self.stream.write("\r" + line[: width - 1] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def advance(self) -> None:
        self.done += 1

    def clear(self) -> None:
        """Take the bar off the screen (before printing a line, and at the end)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
