"""Plausibility gates: when one knee's frontal-plane value in one rep is not a measurement at all.

A gate that fires withholds the value: the knee gets no category and no number, only the
reason (``LegMeasures.withheld_reason``). Each gate is a pure function of numbers taken at
the rep's bottom and returns its reason, or None. Bounds live in
:class:`lunge_screen.settings.ReliabilitySettings`; their derivations in docs/measurement.md.

* **visibility** -- the knee, ankle or foot tip is more likely hidden than seen (MediaPipe
  visibility below ``min_visibility``): its position is the model's guess.
* **knee flexion** -- the assessed knee is nearly straight at the bottom: it is not the
  loaded, bending knee of a lunge or squat (a free leg held forward, a phantom rep), and a
  straight leg's tilt is hip abduction, not a knee rolling in.
* **foreshortening** -- the shank's in-plane length over its 3D length (world landmarks)
  below ``min_shank_in_plane``: the shank points at or away from the camera, so a few
  degrees of unseen yaw move the knee sideways by more than the over-foot margin. The 3D
  ratio is used instead of the image length against the standing shank because that one
  changes with zoom, cuts and walking toward the camera.
* **anatomy** -- ``|knee-over-foot|`` beyond ``max_knee_over_foot`` (0.5 = sin 30 deg) or
  ``|shank tilt|`` beyond asin of it: a knee that far beside its foot is misplaced landmarks.
* **crossing** -- the assessed knee lies on or past the other foot's axis: the legs cross in
  the image, so which foot the knee is over (and which knee the model found) cannot be told.
"""

from __future__ import annotations

import math

import numpy as np

from ..settings import ReliabilitySettings


def _finite(x: float | None) -> bool:
    return x is not None and bool(np.isfinite(x))


def _down(x: float, digits: int = 0) -> str:
    """``x`` rounded *down* for a message that it is below a limit (39.6 shows as 39, not as the limit 40)."""
    f = 10**digits
    return f"{math.floor(x * f) / f:.{digits}f}"


def visibility_gate(leg: str, visibility: dict[str, float], r: ReliabilitySettings) -> str | None:
    """Reason when a landmark of the knee or foot is more likely hidden than seen at the bottom.

    ``visibility`` maps ``knee``, ``ankle`` and ``foot tip`` to the model's visibility (0-1) at the bottom.
    """
    low = {name: v for name, v in visibility.items() if not (np.isfinite(v) and v >= r.min_visibility)}
    if not low:
        return None
    parts = ", ".join(f"{name} {_down(v, 2)}" if np.isfinite(v) else f"{name} missing" for name, v in low.items())
    return f"{leg} {'/'.join(low)} barely visible at the bottom (visibility {parts} < {r.min_visibility:.2f})"


def flexion_gate(leg: str, flexion_deg: float | None, r: ReliabilitySettings) -> str | None:
    """Reason when the assessed knee is too straight at the bottom to be a loaded, bending knee."""
    if not _finite(flexion_deg) or flexion_deg >= r.min_knee_flexion_deg:
        return None
    return (
        f"{leg} knee bent only {_down(flexion_deg)} deg at the bottom (< {r.min_knee_flexion_deg:.0f}): not the "
        "loaded, bending knee of this rep (free leg or wrong lead?)"
    )


def foreshortening_gate(in_plane: float | None, r: ReliabilitySettings) -> str | None:
    """Reason when the shank points so much at or away from the camera that its sideways offset means nothing."""
    if not _finite(in_plane) or in_plane >= r.min_shank_in_plane:
        return None
    return (
        f"shank foreshortened to {_down(100 * in_plane)}% of its length (< {r.min_shank_in_plane:.0%}): it points "
        "at or away from the camera"
    )


def anatomy_gate(values: dict[str, float | None], r: ReliabilitySettings) -> str | None:
    """Reason when a knee-over-foot value or a shank tilt is beyond what a knee can do.

    ``values`` holds ``knee_over_foot_bottom`` / ``_peak`` (shank lengths) and
    ``shank_tilt_bottom_deg`` / ``_peak_deg``; the tilt bound is asin(``max_knee_over_foot``).
    """
    bound = r.max_knee_over_foot
    tilt_bound = math.degrees(math.asin(min(bound, 1.0)))
    for name, v in values.items():
        if not _finite(v):
            continue
        limit = tilt_bound if name.endswith("_deg") else bound
        if abs(v) > limit:
            what = "shank tilted" if name.endswith("_deg") else "knee"
            value = f"{v:+.0f} deg" if name.endswith("_deg") else f"{v:+.2f} shank lengths beside the foot"
            return (
                f"implausible: {what} {value} (beyond +-{limit:.2f}{' deg' if name.endswith('_deg') else ''}, "
                "about a 30 deg shank tilt); landmarks misplaced"
            )
    return None


def crossing_gate(leg: str, knee_offset: float | None, other_foot_offset: float | None) -> str | None:
    """Reason when the assessed knee lies on or past the other foot's axis (the legs cross in the image).

    Both offsets are from the assessed foot's axis, in the assessed leg's medial direction
    (+ = medial), in shank lengths: ``knee_offset`` is knee-over-foot at the bottom,
    ``other_foot_offset`` where the other foot's axis lies.
    """
    if not (_finite(knee_offset) and _finite(other_foot_offset)) or other_foot_offset == 0:
        return None
    if np.sign(knee_offset) == np.sign(other_foot_offset) and abs(knee_offset) >= abs(other_foot_offset):
        side = "medial" if other_foot_offset > 0 else "lateral"
        return (
            f"{leg} knee on or past the other foot ({side}; knee {knee_offset:+.2f}, other foot "
            f"{other_foot_offset:+.2f} shank lengths): the legs cross in the image, so which foot it is over "
            "cannot be told"
        )
    return None


__all__ = ["anatomy_gate", "crossing_gate", "flexion_gate", "foreshortening_gate", "visibility_gate"]
