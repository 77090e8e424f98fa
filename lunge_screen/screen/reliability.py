"""How far one knee's measure in one rep can be trusted: a grade (good / fair / poor) with its reasons.

The grade comes from the data of this clip, never from its name:

* ``visibility`` -- the model's median visibility of knee, ankle and foot tip around the bottom;
* ``size`` -- the shank's length in pixels at the bottom (how many pixels the over-foot margin spans);
* ``jitter`` -- the landmarks' high-frequency noise on this clip: the robust SD of the raw
  knee-over-foot minus its low-passed value around the bottom (:func:`jitter`), in shank lengths;
* ``foreshortening`` -- the shank's in-plane length over its 3D length (:func:`in_plane_ratio`);
* ``yaw`` -- how far the person is turned from the camera;
* ``frame_rate`` -- frames per second.

Each concern is ``fair`` or ``poor``. The grade starts at ``good`` and, as in GRADE's
downgrading of evidence, drops one step per ``fair`` concern and to ``poor`` for any ``poor``
one: two independent doubts make a poor measurement. Limits: :class:`lunge_screen.settings.ReliabilitySettings`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..settings import ReliabilitySettings
from ..track.signals import sample_rate
from ..types import GRADES, Grade


@dataclass(frozen=True)
class Concern:
    """One reason a measure is less than fully reliable: a stable ``code``, its level and a plain message."""

    code: str
    level: Grade
    message: str


@dataclass(frozen=True)
class Evidence:
    """The numbers a rep's grade is decided from (NaN = unknown: no concern is raised for it)."""

    visibility: float = float("nan")
    shank_px: float = float("nan")
    jitter: float = float("nan")
    shank_in_plane: float = float("nan")
    yaw_deg: float = float("nan")
    fps: float = float("nan")


def jitter(raw: np.ndarray, clean: np.ndarray, time: np.ndarray, cutoff_hz: float) -> float:
    """Per-frame noise SD of a signal from its raw-minus-low-passed residual (same units as the signal).

    The residual holds the noise above the low-pass cut-off only; for white noise that is
    the fraction ``1 - fc / f_nyquist`` of its variance, so the residual's robust SD
    (1.4826 x MAD) is divided by its square root: the same noise then reads the same at
    18 fps and at 60 fps. ``fc`` is clamped as the filter clamps it (40 % of the frame
    rate). NaN with fewer than 5 finite samples.
    """
    r = np.asarray(raw, float) - np.asarray(clean, float)
    r = r[np.isfinite(r)]
    fs = sample_rate(time)
    if r.size < 5 or fs <= 0:
        return float("nan")
    nyquist = 0.5 * fs
    kept = max(1.0 - min(cutoff_hz, 0.4 * fs) / nyquist, 1e-3)
    mad = 1.4826 * float(np.median(np.abs(r - np.median(r))))
    return mad / float(np.sqrt(kept))


def in_plane_ratio(knee_world: np.ndarray, ankle_world: np.ndarray) -> float:
    """The shank's length in the image plane (world x, y) over its 3D length; 1 = parallel to the image."""
    d = np.asarray(knee_world, float) - np.asarray(ankle_world, float)
    full = float(np.linalg.norm(d))
    if not np.isfinite(full) or full <= 0:
        return float("nan")
    return float(np.hypot(d[0], d[1]) / full)


def _low(x: float, poor: float | None, fair: float, code: str, text: str) -> list[Concern]:
    """A concern when ``x`` is below ``fair`` (``poor`` below ``poor``); ``text`` formats the message."""
    if not np.isfinite(x):
        return []
    if poor is not None and x < poor:
        return [Concern(code, "poor", text.format(x=x, limit=poor))]
    if x < fair:
        return [Concern(code, "fair", text.format(x=x, limit=fair))]
    return []


def concerns(e: Evidence, r: ReliabilitySettings) -> list[Concern]:
    """Every concern the evidence raises, in a fixed order (visibility, size, jitter, foreshortening, yaw, fps)."""
    out = _low(e.visibility, None, r.fair_visibility, "visibility", "landmark visibility {x:.2f} (< {limit:.2f})")
    out += _low(e.shank_px, r.poor_shank_px, r.fair_shank_px, "size", "shank only {x:.0f} px long (< {limit:.0f})")
    if np.isfinite(e.jitter) and e.jitter >= r.fair_jitter:
        level: Grade = "poor" if e.jitter >= r.poor_jitter else "fair"
        limit = r.poor_jitter if level == "poor" else r.fair_jitter
        out.append(Concern("jitter", level, f"landmark jitter {e.jitter:.3f} shank lengths (>= {limit:.2f})"))
    out += _low(
        e.shank_in_plane, None, r.fair_shank_in_plane, "foreshortening",
        "shank foreshortened to {x:.0%} (< {limit:.0%})",
    )  # fmt: skip
    if np.isfinite(e.yaw_deg) and e.yaw_deg >= r.fair_yaw_deg:
        text = f"person turned {e.yaw_deg:.0f} deg from the camera (>= {r.fair_yaw_deg:.0f})"
        out.append(Concern("yaw", "fair", text))
    out += _low(e.fps, r.poor_fps, r.fair_fps, "frame_rate", "{x:.0f} frames/s (< {limit:.0f})")
    return out


def grade(found: list[Concern]) -> Grade:
    """``poor`` if any concern is poor; otherwise one step down from ``good`` per fair concern."""
    if any(c.level == "poor" for c in found):
        return "poor"
    return GRADES[min(len(found), len(GRADES) - 1)]


#: Plain names of the concern codes, for one leg's summary.
CONCERN_NAMES = {
    "visibility": "low landmark visibility",
    "size": "person small in the frame",
    "jitter": "landmark jitter",
    "foreshortening": "foreshortened shank",
    "yaw": "person turned from the camera",
    "frame_rate": "low frame rate",
}


def leg_grade(grades: list[Grade], codes: list[list[str]]) -> tuple[Grade | None, list[str]]:
    """One leg's grade over its measured reps, and the concerns of the reps that were not good.

    The grade at least half of the reps reach (``good`` with 2 good of 3, ``fair`` with one
    good, one fair and one poor); None without measured reps. ``codes`` are each rep's
    concern codes; each comes once, with the number of reps it affected. Too few reps is
    not a grade but the leg's judgement (:mod:`lunge_screen.screen.summary`).
    """
    if not grades:
        return None, []
    ranked = sorted(grades, key=GRADES.index)
    g = ranked[(len(ranked) - 1) // 2]
    counts = Counter(code for gr, cs in zip(grades, codes) if gr != "good" for code in cs)
    return g, [f"{CONCERN_NAMES.get(code, code)} on {n} of {len(grades)} reps" for code, n in counts.items()]


__all__ = ["CONCERN_NAMES", "Concern", "Evidence", "concerns", "grade", "in_plane_ratio", "jitter", "leg_grade"]
