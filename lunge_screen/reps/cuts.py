"""Edit cuts: frames where the video jumps to another shot; a rep interrupted by one is not counted."""

from __future__ import annotations

import numpy as np

from ..settings import CutSettings
from .detection import RepWindow


def find_cuts(frame_change: np.ndarray, settings: CutSettings = CutSettings()) -> np.ndarray:
    """Indices of frames that follow an edit cut: an image change far above the clip's typical one.

    ``frame_change`` is :attr:`LandmarkSeries.frame_change` (grey levels of a 32x32
    thumbnail). A cut is a change above both ``settings.min_jump`` and ``settings.factor``
    times the median.
    """
    c = np.asarray(frame_change, float)
    if not np.isfinite(c).any():
        return np.zeros(0, int)
    limit = max(settings.min_jump, settings.factor * float(np.nanmedian(c)))
    return np.flatnonzero(np.nan_to_num(c) > limit)


def split_by_cuts(windows: list[RepWindow], cuts: np.ndarray) -> tuple[list[RepWindow], list[RepWindow]]:
    """``(kept, interrupted)``: the reps with no cut inside ``(start, end]``, and those with one."""
    interrupted = [w for w in windows if np.any((cuts > w.start) & (cuts <= w.end))]
    return [w for w in windows if w not in interrupted], interrupted
