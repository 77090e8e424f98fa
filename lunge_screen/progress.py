"""Progress bars on stderr: ``tqdm``, set up once for the whole package.

Kept here (and not called directly everywhere) for one reason tqdm cannot know:
while MediaPipe runs, file descriptor 2 is pointed at /dev/null to hide its native
log lines (:func:`lunge_screen.pose.estimator.quiet_native_stderr`), so the bars
write to a private duplicate of the terminal's stderr, made once per process. The
bars are silent when that stderr is not a terminal (scripts, logs, CI) unless
``enabled=True``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

_STREAM: TextIO | None = None


def terminal_stderr() -> TextIO:
    """A duplicate of this process's stderr that survives fd 2 being redirected (made once)."""
    global _STREAM
    if _STREAM is None:
        try:
            _STREAM = os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1)
        except (OSError, ValueError, AttributeError):  # no real stderr (e.g. captured): use what there is
            return sys.stderr
    return _STREAM


def progress_bar(label: str, unit: str = "frames", *, total: int | None = None, enabled: bool | None = None) -> tqdm:
    """A tqdm bar on :func:`terminal_stderr` (``enabled=None``: only when it is a terminal)."""
    stream = terminal_stderr()
    if enabled is None:
        enabled = bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(
        desc=label, unit=unit, total=total, file=stream, disable=not enabled, dynamic_ncols=True, mininterval=0.1,
        unit_scale=unit == "B", leave=True,
    )  # fmt: skip


def counter(bar: tqdm) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback (what the pose extraction calls) that moves ``bar``."""

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update
