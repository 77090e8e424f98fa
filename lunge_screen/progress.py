"""A small text progress bar on stderr (frames done / total, rate, ETA).

Silent when stderr is not a terminal unless ``force=True``, so scripted runs and
logs are not flooded with carriage returns.
"""

from __future__ import annotations

import os
import sys
import time


class ProgressBar:
    """Call the instance as ``bar(done, total)``; ``close()`` ends the line."""

    def __init__(self, label: str, unit: str = "frames", *, enabled: bool | None = None, stream=None) -> None:
        if stream is None:
            # A private copy of the terminal's stderr: still visible while native
            # libraries' log output on fd 2 is silenced (see pose.quiet_native_stderr).
            try:
                stream = os.fdopen(os.dup(sys.stderr.fileno()), "w", closefd=True)
            except (OSError, ValueError, AttributeError):
                stream = sys.stderr
        self.stream = stream
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label, self.unit = label, unit
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int, extra: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        frac = done / total if total else 1.0
        eta = (total - done) / rate if rate > 0 else float("nan")
        filled = int(frac * 24)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (24 - filled)}] {done}/{total} {self.unit} "
            f"{rate:.1f}/s ETA {eta:4.0f}s {extra}"[:160]
        )
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
        if self.stream is not sys.stderr:
            self.stream.close()
