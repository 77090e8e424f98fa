"""The standing reference: each leg's standing lengths, its baseline KMD, and the camera roll.

1. **Standing frames**: the pelvis is up (depth below ``StandingSettings.max_depth``) and
   both knees are nearly straight. They give each leg's standing shank, thigh and leg
   lengths in pixels (the normalisers), each leg's standing KMD (baseline for
   ``kmd_change``), and the camera roll.
2. **Camera roll**: a phone on a shelf is rarely level. The trunk of a person standing
   upright is vertical, so its median tilt over the standing frames is the roll; when it is
   at least ``StandingSettings.min_roll_deg``, all image points are rotated by its opposite
   before measuring (the "vertical" of knee-over-foot is then the person's vertical, not the
   phone's). We chose the trunk over the line through both ankles because in a lunge the
   feet are at different depths, so that line is not level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..settings import StandingSettings
from ..track.series import L_ANKLE, L_HIP, L_KNEE, L_SHOULDER, LEGS, R_ANKLE, R_HIP, R_KNEE, R_SHOULDER, PersonTrack
from ..track.signals import finite_median
from . import kinematics as kin

#: Trunk tilts below this (degrees) are left uncorrected (``StandingSettings.min_roll_deg``'s default).
MIN_ROLL_DEG = StandingSettings.min_roll_deg


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


def standing_frames(
    depth: np.ndarray,
    flex_l: np.ndarray,
    flex_r: np.ndarray,
    max_depth: float = StandingSettings.max_depth,
    max_flexion: float = StandingSettings.max_flexion_deg,
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


def standing_reference(
    track: PersonTrack, depth: np.ndarray, settings: StandingSettings = StandingSettings()
) -> StandingReference:
    """Standing lengths, KMD baseline and camera roll (see the module docstring)."""
    w = track.world
    flex_l = kin.knee_flexion(w[:, L_HIP], w[:, L_KNEE], w[:, L_ANKLE])
    flex_r = kin.knee_flexion(w[:, R_HIP], w[:, R_KNEE], w[:, R_ANKLE])
    frames, fallback = standing_frames(depth, flex_l, flex_r, settings.max_depth, settings.max_flexion_deg)
    im = track.image
    mid_hip = 0.5 * (im[frames, L_HIP, :2] + im[frames, R_HIP, :2])
    mid_sh = 0.5 * (im[frames, L_SHOULDER, :2] + im[frames, R_SHOULDER, :2])
    roll = kin.camera_roll(mid_hip, mid_sh) if frames.size else 0.0
    if abs(roll) < settings.min_roll_deg:
        roll = 0.0
    ref = StandingReference(frames=frames, roll_deg=roll, fallback=fallback)
    lev = level_image(track, roll)
    for leg, j in LEGS.items():
        hip, knee, ankle = lev[frames, j["hip"]], lev[frames, j["knee"]], lev[frames, j["ankle"]]
        ref.shank_px[leg] = finite_median(kin.segment_length(knee, ankle))
        ref.thigh_px[leg] = finite_median(kin.segment_length(hip, knee))
        ref.leg_px[leg] = finite_median(kin.segment_length(hip, ankle))
        medial = kin.medial_sign(hip, lev[frames, j["other_hip"]])
        ref.kmd[leg] = finite_median(kin.kmd(hip, knee, ankle, medial, ref.leg_px[leg]))
    return ref


def standing_leg_length(track: PersonTrack, depth: np.ndarray | None = None) -> float:
    """Hip-ankle length (px) of a straight leg: the 90th percentile over frames of the longer leg.

    A leg is longest when straight, and most clips show it straight at some point
    (standing, stepping), even split-squat clips that never stand on both feet.
    ``depth`` is accepted for compatibility and not used.
    """
    im = track.image
    legs = np.fmax(
        np.hypot(*(im[:, L_ANKLE, :2] - im[:, L_HIP, :2]).T), np.hypot(*(im[:, R_ANKLE, :2] - im[:, R_HIP, :2]).T)
    )
    legs = legs[np.isfinite(legs)]
    return float(np.percentile(legs, 90)) if legs.size else float("nan")
