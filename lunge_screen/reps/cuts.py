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


#: A "cut" this close (s) to the clip's first or last frame leaves no shot on one side: not a cut
#: (the first decoded frames of some encodes differ a lot from the next ones).
MIN_SHOT_S = 0.2


def inner_cuts(cuts: np.ndarray, time: np.ndarray) -> np.ndarray:
    """The cuts with at least ``MIN_SHOT_S`` of video on both sides."""
    t = np.asarray(time, float)
    if not len(cuts) or not len(t):
        return np.asarray(cuts, int)
    keep = (t[cuts] - t[0] >= MIN_SHOT_S) & (t[-1] - t[cuts] >= MIN_SHOT_S)
    return np.asarray(cuts, int)[keep]


def split_by_cuts(windows: list[RepWindow], cuts: np.ndarray) -> tuple[list[RepWindow], list[RepWindow]]:
    """``(kept, interrupted)``: the reps with no cut inside ``(start, end]``, and those with one."""
    interrupted = [w for w in windows if np.any((cuts > w.start) & (cuts <= w.end))]
    return [w for w in windows if w not in interrupted], interrupted
