"""Per-frame knee measures of each leg (:class:`LegFrames`), from a cleaned, label-corrected person track.

Builds on the pure functions of :mod:`lunge_screen.measure.kinematics` and on the standing
reference of :mod:`lunge_screen.measure.standing` (the normalising lengths, the baseline KMD
and the camera roll): every measure for every frame and both legs, NaN where a landmark is
missing. Per-rep values are taken from these in :mod:`lunge_screen.screen.rep_measures`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import Thresholds
from ..track.series import (
    L_HIP,
    L_SHOULDER,
    LEGS,
    R_HIP,
    R_SHOULDER,
    PersonTrack,
)
from ..types import Lead, Leg
from . import kinematics as kin
from .standing import StandingReference


@dataclass
class LegFrames:
    """One leg's per-frame measures (arrays of shape ``(T,)``; units in results.py)."""

    knee_over_foot: np.ndarray
    shank_tilt_deg: np.ndarray
    kmd: np.ndarray
    kmd_change: np.ndarray
    fppa_deg: np.ndarray
    fppa_valid: np.ndarray
    thigh_ratio: np.ndarray
    knee_flexion_deg: np.ndarray
    medial: np.ndarray


def leg_frames(
    track: PersonTrack,
    lev: np.ndarray,
    leg: Leg,
    ref: StandingReference,
    thresholds: Thresholds = Thresholds(),
) -> LegFrames:
    """Every measure of one leg for every frame (see results.py for units and signs).

    ``lev`` is :func:`lunge_screen.measure.standing.level_image` of the track with ``ref.roll_deg``.
    """
    j = LEGS[leg]
    hip, knee, ankle, toe = lev[:, j["hip"]], lev[:, j["knee"]], lev[:, j["ankle"]], lev[:, j["toe"]]
    medial = kin.medial_sign(hip, lev[:, j["other_hip"]])
    k = kin.kmd(hip, knee, ankle, medial, ref.leg_px[leg])
    ratio = kin.thigh_ratio(hip, knee, ref.thigh_px[leg])
    raw = kin.fppa(hip, knee, ankle, medial)
    valid = kin.fppa_valid(ratio, raw, thresholds.fppa_min_thigh_ratio, thresholds.fppa_max_abs_deg)
    fppa = np.where(valid, raw, np.nan)
    w = track.world
    return LegFrames(
        knee_over_foot=kin.knee_over_foot(knee, ankle, toe, medial, ref.shank_px[leg]),
        shank_tilt_deg=kin.shank_tilt(knee, ankle, medial),
        kmd=k,
        kmd_change=k - ref.kmd[leg],
        fppa_deg=fppa,
        fppa_valid=valid,
        thigh_ratio=ratio,
        knee_flexion_deg=kin.knee_flexion(w[:, j["hip"]], w[:, j["knee"]], w[:, j["ankle"]]),
        medial=medial,
    )


def leg_in_frame(track: PersonTrack, leg: Leg, margin: float = 0.01) -> np.ndarray:
    """Boolean ``(T,)``: the leg's knee, ankle and toe were found and lie inside the frame.

    ``margin`` is a fraction of the frame size kept clear of the edges: a pose model
    places landmarks of a cut-off foot on the border, so those are not trusted.
    """
    j = LEGS[leg]
    p = track.image[:, [j["knee"], j["ankle"], j["toe"]], :2]
    mx, my = margin * track.width, margin * track.height
    with np.errstate(invalid="ignore"):
        inside = (
            (p[..., 0] >= mx) & (p[..., 0] <= track.width - mx) & (p[..., 1] >= my) & (p[..., 1] <= track.height - my)
        )
    return np.all(inside & np.isfinite(p).all(axis=-1), axis=1)


def pelvis_and_trunk(track: PersonTrack, lev: np.ndarray, frame: int, lead: Lead) -> tuple[float, float]:
    """Pelvic obliquity and lateral trunk lean (degrees) at one frame for the given lead leg."""
    if lead not in LEGS:
        return float("nan"), float("nan")
    j = LEGS[lead]
    w = track.world[frame]
    obliquity = float(kin.pelvic_obliquity(w[j["hip"]], w[j["other_hip"]]))
    lev = lev[frame]
    mid_hip = 0.5 * (lev[L_HIP] + lev[R_HIP])
    mid_sh = 0.5 * (lev[L_SHOULDER] + lev[R_SHOULDER])
    side = np.sign(lev[j["hip"], 0] - mid_hip[0])
    lean = float(kin.trunk_lean(mid_hip, mid_sh, side)) if side != 0 else float("nan")
    return obliquity, lean
