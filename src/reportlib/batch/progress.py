"""A batch's progress: done/total, rate and time left on one updating line, or terse lines."""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

__all__ = ["Progress"]


class Progress:
    """done/total, rate and time left on one updating stderr line (TTY), else terse lines."""

    def __init__(self, total: int, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.silent = quiet
        # CI logs and pipes get no carriage-return animation: a line per failure at most.
        self.live = not quiet and is_tty and not os.environ.get("CI")

    def update(self, entry: dict[str, Any]) -> None:
        self.done += 1
        ok = entry.get("status") == "ok"
        self.failed += not ok
        if self.silent:
            return
        if self.live:
            elapsed = time.perf_counter() - self.start
            rate = self.done / elapsed if elapsed > 0 else 0.0
            left = (self.total - self.done) / rate if rate > 0 else 0.0
            line = (
                f"[{self.done}/{self.total}] {rate * 60:.0f} reports/min, "
                f"{_clock(left)} left, {self.failed} failed; last {entry['locality']}"
            )
            self.stream.write("\r" + line[:100].ljust(100))
            self.stream.flush()
            if not ok:
                self.stream.write(f"\nfailed: {entry['locality']}: {entry.get('error', '')}\n")
        elif not ok:
            self.stream.write(f"failed: {entry['locality']}: {entry.get('error', '')}\n")
            self.stream.flush()

    def close(self, interrupted: bool = False) -> None:
        if self.silent:
            return
        elapsed = time.perf_counter() - self.start
        if self.live:
            self.stream.write("\n")
        if interrupted:  # the CLI names what was replaced, from the manifest
            self.stream.flush()
            return
        self.stream.write(
            f"rendered {self.done - self.failed}/{self.total} report(s) in {_clock(elapsed)}"
            + (f", {self.failed} failed" if self.failed else "")
            + "\n"
        )
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
