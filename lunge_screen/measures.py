"""Per-frame knee measures for both legs, from a cleaned, label-corrected person track.

Builds on the pure functions of :mod:`lunge_screen.kinematics`:

1. **Standing reference**: frames where the pelvis is up (depth below
   ``standing_max_depth``) and both knees are nearly straight. They give each leg's
   standing shank, thigh and leg lengths in pixels (the normalisers), each leg's
   standing KMD (baseline for ``kmd_change``), and the camera roll.
2. **Camera roll**: a phone on a shelf is rarely level. The trunk of a person
   standing upright is vertical, so its median tilt over the standing frames is the
   roll; when it is at least ``MIN_ROLL_DEG``, all image points are rotated by its
   opposite before measuring (the "vertical" of knee-over-foot is then the person's
   vertical, not the phone's). We chose the trunk over the line through both ankles
   because in a lunge the feet are at different depths, so that line is not level.
3. Every measure for every frame and both legs (NaN where a landmark is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import kinematics as kin
from .series import (
    L_ANKLE,
    L_FOOT,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    R_ANKLE,
    R_FOOT,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    PersonTrack,
)

#: Trunk tilts below this (degrees) are left uncorrected: standing posture alone varies
#: by about +-2 deg across our reference clips, so a smaller tilt is not evidence of roll.
MIN_ROLL_DEG = 3.0

LEGS = {
    "left": {"hip": L_HIP, "knee": L_KNEE, "ankle": L_ANKLE, "toe": L_FOOT, "other_hip": R_HIP},
    "right": {"hip": R_HIP, "knee": R_KNEE, "ankle": R_ANKLE, "toe": R_FOOT, "other_hip": L_HIP},
}


@dataclass
class StandingReference:
    """Standing lengths (pixels) per leg, the baseline KMD, the camera roll and the frames used."""

    frames: np.ndarray
    roll_deg: float
    shank_px: dict[str, float] = field(default_factory=dict)
    thigh_px: dict[str, float] = field(default_factory=dict)
    leg_px: dict[str, float] = field(default_factory=dict)
    kmd: dict[str, float] = field(default_factory=dict)
    fallback: bool = False


@dataclass
class LegSeries:
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


def _med(x: np.ndarray) -> float:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def standing_frames(
    depth: np.ndarray, flex_l: np.ndarray, flex_r: np.ndarray, max_depth: float = 0.05, max_flexion: float = 40.0
) -> tuple[np.ndarray, bool]:
    """Indices of standing frames, and whether a looser fallback rule had to be used.

    Rule: both knees flexed less than ``max_flexion`` deg (MediaPipe's world landmarks
    read 20-35 deg for a person standing straight) and the pelvis no lower than
    ``max_depth`` or the clip's 20th percentile of depth, whichever is larger.
    Fallback (no such frame, e.g. walking lunges): the 20 % of frames with the least depth.
    """
    d = np.asarray(depth, float)
    finite = np.flatnonzero(np.isfinite(d))
    if finite.size == 0:
        return finite, True
    limit = max(max_depth, float(np.quantile(d[finite], 0.2)))
    straight = (np.nan_to_num(flex_l, nan=180) < max_flexion) & (np.nan_to_num(flex_r, nan=180) < max_flexion)
    idx = np.flatnonzero(straight & (np.nan_to_num(d, nan=1.0) <= limit))
    if idx.size >= 3:
        return idx, False
    return finite[d[finite] <= np.quantile(d[finite], 0.2)], True


def level_image(track: PersonTrack, roll_deg: float) -> np.ndarray:
    """Image landmarks ``(T, 33, 2)`` rotated by ``-roll_deg`` about the frame centre."""
    centre = (track.width / 2.0, track.height / 2.0)
    return kin.rotate_points(track.image[:, :, :2], -roll_deg, centre)


def standing_reference(track: PersonTrack, depth: np.ndarray) -> StandingReference:
    """Standing lengths, KMD baseline and camera roll (see the module docstring)."""
    w = track.world
    flex_l = kin.knee_flexion(w[:, L_HIP], w[:, L_KNEE], w[:, L_ANKLE])
    flex_r = kin.knee_flexion(w[:, R_HIP], w[:, R_KNEE], w[:, R_ANKLE])
    frames, fallback = standing_frames(depth, flex_l, flex_r)
    im = track.image
    mid_hip = 0.5 * (im[frames, L_HIP, :2] + im[frames, R_HIP, :2])
    mid_sh = 0.5 * (im[frames, L_SHOULDER, :2] + im[frames, R_SHOULDER, :2])
    roll = kin.camera_roll(mid_hip, mid_sh) if frames.size else 0.0
    if abs(roll) < MIN_ROLL_DEG:
        roll = 0.0
    ref = StandingReference(frames=frames, roll_deg=roll, fallback=fallback)
    lev = level_image(track, roll)
    for leg, j in LEGS.items():
        hip, knee, ankle = lev[frames, j["hip"]], lev[frames, j["knee"]], lev[frames, j["ankle"]]
        ref.shank_px[leg] = _med(kin.segment_length(knee, ankle))
        ref.thigh_px[leg] = _med(kin.segment_length(hip, knee))
        ref.leg_px[leg] = _med(kin.segment_length(hip, ankle))
        medial = kin.medial_sign(hip, lev[frames, j["other_hip"]])
        ref.kmd[leg] = _med(kin.kmd(hip, knee, ankle, medial, ref.leg_px[leg]))
    return ref


def leg_series(
    track: PersonTrack,
    lev: np.ndarray,
    leg: str,
    ref: StandingReference,
    fppa_min_thigh_ratio: float,
    fppa_max_abs_deg: float = kin.FPPA_MAX_ABS_DEG,
) -> LegSeries:
    """Every measure of one leg for every frame (see results.py for units and signs).

    ``lev`` is :func:`level_image` of the track with ``ref.roll_deg``.
    """
    j = LEGS[leg]
    hip, knee, ankle, toe = lev[:, j["hip"]], lev[:, j["knee"]], lev[:, j["ankle"]], lev[:, j["toe"]]
    medial = kin.medial_sign(hip, lev[:, j["other_hip"]])
    k = kin.kmd(hip, knee, ankle, medial, ref.leg_px[leg])
    ratio = kin.thigh_ratio(hip, knee, ref.thigh_px[leg])
    raw = kin.fppa(hip, knee, ankle, medial)
    valid = kin.fppa_valid(ratio, raw, fppa_min_thigh_ratio, fppa_max_abs_deg)
    fppa = np.where(valid, raw, np.nan)
    w = track.world
    return LegSeries(
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


def leg_in_frame(track: PersonTrack, leg: str, margin: float = 0.01) -> np.ndarray:
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


def pelvis_and_trunk(track: PersonTrack, lev: np.ndarray, frame: int, lead: str) -> tuple[float, float]:
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
