"""Frontal-plane knee measures from landmark coordinates: pure NumPy, no video.

Image conventions: pixel coordinates, x to the right, y down. Every function takes
arrays of shape ``(..., 2)`` (or ``(..., 3)`` for world landmarks) so it works on one
frame or a whole time series, and returns NaN where an input is NaN.

"Medial" is decided from the landmarks themselves: it is the image-x direction from
the measured leg's hip toward the *other* hip (``medial_sign``). That keeps the sign
right for front and rear views and for mirrored videos, and both legs read
"medial positive".
"""

from __future__ import annotations

import numpy as np

from ..settings import Thresholds

#: FPPA validity limits: their one owner is :class:`lunge_screen.settings.Thresholds`
#: (``fppa_min_thigh_ratio``, ``fppa_max_abs_deg``, with their sources); these are its defaults.
FPPA_MIN_THIGH_RATIO = Thresholds.fppa_min_thigh_ratio
FPPA_MAX_ABS_DEG = Thresholds.fppa_max_abs_deg

#: Where the foot's vertical axis runs, from the ankle (0) to the foot-index landmark (1).
#: 0.5 = the middle of the foot as seen from the front. For a foot pointing at the camera
#: this is straight above the ankle; for a turned-out foot it lies lateral of the ankle,
#: toward the "second toe" line clinicians use. The hand-made references grade a knee
#: above the ankle but inside out-turned toes as slightly medial, and a knee over
#: out-turned toes but outside the ankle as lateral: the midpoint honours both.
TOE_WEIGHT = 0.5


def medial_sign(hip: np.ndarray, other_hip: np.ndarray) -> np.ndarray:
    """+1 where medial is image +x for this leg, -1 where it is -x (NaN if unknown).

    Parameters
    ----------
    hip, other_hip : array (..., 2)
        Pixel positions of the measured leg's hip and of the other hip.
    """
    d = np.asarray(other_hip, float)[..., 0] - np.asarray(hip, float)[..., 0]
    return np.where(np.isfinite(d) & (d != 0), np.sign(d), np.nan)


def rotate_points(points: np.ndarray, angle_deg: float, centre: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Rotate image points by ``angle_deg`` about ``centre`` (positive = clockwise on screen, y down)."""
    a = np.deg2rad(angle_deg)
    c, s = np.cos(a), np.sin(a)
    p = np.asarray(points, float)
    x, y = p[..., 0] - centre[0], p[..., 1] - centre[1]
    out = p.copy()
    out[..., 0] = c * x - s * y + centre[0]
    out[..., 1] = s * x + c * y + centre[1]
    return out


def camera_roll(mid_hip: np.ndarray, mid_shoulder: np.ndarray) -> float:
    """Camera roll (degrees) from standing frames: the trunk's median tilt from image vertical.

    A person standing upright has a vertical trunk, so its tilt in the image is the
    camera's roll. Positive = the image is rotated clockwise relative to the world
    (rotate points by ``-roll`` to level them). Returns 0 when no frame is usable.
    """
    v = np.asarray(mid_shoulder, float) - np.asarray(mid_hip, float)
    ang = np.degrees(np.arctan2(-v[..., 0], -v[..., 1]))  # 0 when shoulders straight above hips
    ang = ang[np.isfinite(ang)]
    return float(-np.median(ang)) if ang.size else 0.0


def knee_over_foot(
    knee: np.ndarray, ankle: np.ndarray, toe: np.ndarray, medial: np.ndarray, shank_length: np.ndarray | float
) -> np.ndarray:
    """Knee-over-foot offset: the knee's medial distance from the foot's vertical axis.

    The foot's axis is the image vertical through a point between the ankle and the
    foot-index (toe-tip) landmark (``TOE_WEIGHT``, default their midpoint): for a foot
    pointing at the camera that is straight above the ankle; for a turned-out foot it
    lies lateral of the ankle, toward the clinical "knee over the second toe" line.

    Parameters
    ----------
    knee, ankle, toe : array (..., 2)
        Pixel positions (image assumed levelled, see :func:`camera_roll`).
    medial : array (...)
        ``medial_sign`` of the leg.
    shank_length : float or array
        The leg's standing knee-ankle length in pixels (normalisation).

    Returns
    -------
    array (...)
        Offset as a fraction of the standing shank length; positive = knee medial of the foot.
    """
    ref_x = np.asarray(ankle)[..., 0] + TOE_WEIGHT * (np.asarray(toe)[..., 0] - np.asarray(ankle)[..., 0])
    return (np.asarray(knee)[..., 0] - ref_x) * medial / shank_length


def shank_tilt(knee: np.ndarray, ankle: np.ndarray, medial: np.ndarray) -> np.ndarray:
    """Frontal-plane shank tilt from image vertical, degrees; positive = knee medial of the ankle."""
    k, a = np.asarray(knee, float), np.asarray(ankle, float)
    dx = (k[..., 0] - a[..., 0]) * medial
    dy = a[..., 1] - k[..., 1]
    return np.degrees(np.arctan2(dx, dy))


def kmd(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, medial: np.ndarray, leg_length) -> np.ndarray:
    """Knee medial displacement: the knee's perpendicular distance from the hip-ankle line.

    Returns the distance as a fraction of ``leg_length`` (the standing hip-ankle
    length in pixels); positive = knee on the medial side of the line.
    """
    h, k, a = (np.asarray(p, float) for p in (hip, knee, ankle))
    d = a - h
    length = np.hypot(d[..., 0], d[..., 1])
    # Unit normal of the hip->ankle line pointing to image +x for a downward line.
    nx, ny = d[..., 1] / length, -d[..., 0] / length
    flip = np.where(nx < 0, -1.0, 1.0)
    dist = ((k[..., 0] - h[..., 0]) * nx + (k[..., 1] - h[..., 1]) * ny) * flip
    return dist * medial / leg_length


def _medial_deviation(v: np.ndarray, medial: np.ndarray) -> np.ndarray:
    """Angle (deg) of a downward vector from image vertical, positive toward the medial side."""
    return np.degrees(np.arctan2(v[..., 0] * medial, v[..., 1]))


def fppa(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, medial: np.ndarray) -> np.ndarray:
    """Frontal plane projection angle (degrees), positive = valgus (knee medial).

    ``FPPA = dev(thigh) - dev(shank)`` where ``dev`` is a segment's deviation from
    image vertical toward the midline; equal to 180 deg minus the internal
    hip-knee-ankle angle for a knee that is medial. Use :func:`fppa_valid` before
    reporting it.
    """
    h, k, a = (np.asarray(p, float) for p in (hip, knee, ankle))
    return _medial_deviation(k - h, medial) - _medial_deviation(a - k, medial)


def thigh_ratio(hip: np.ndarray, knee: np.ndarray, standing_thigh: np.ndarray | float) -> np.ndarray:
    """Projected thigh length over its standing length (1 = not foreshortened)."""
    d = np.asarray(knee, float) - np.asarray(hip, float)
    return np.hypot(d[..., 0], d[..., 1]) / standing_thigh


def fppa_valid(
    ratio: np.ndarray,
    fppa_deg: np.ndarray | None = None,
    min_ratio: float = FPPA_MIN_THIGH_RATIO,
    max_abs_deg: float = FPPA_MAX_ABS_DEG,
) -> np.ndarray:
    """True where FPPA means anything: the thigh is long enough in projection, and the
    angle is within +-``max_abs_deg`` (beyond it the thigh lies near-horizontal in the
    image -- a deep squat with spread knees -- and the angle is geometry, not alignment)."""
    r = np.asarray(ratio, float)
    ok = np.isfinite(r) & (r >= min_ratio)
    if fppa_deg is not None:
        f = np.asarray(fppa_deg, float)
        ok &= np.isfinite(f) & (np.abs(f) <= max_abs_deg)
    return ok


def knee_flexion(hip_w: np.ndarray, knee_w: np.ndarray, ankle_w: np.ndarray) -> np.ndarray:
    """Knee flexion (degrees, 0 = straight) from 3D world landmarks (metres)."""
    a = np.asarray(hip_w, float) - np.asarray(knee_w, float)
    b = np.asarray(ankle_w, float) - np.asarray(knee_w, float)
    cos = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def pelvic_obliquity(lead_hip_w: np.ndarray, other_hip_w: np.ndarray) -> np.ndarray:
    """Pelvic obliquity (degrees) from world landmarks; positive = the other (swing-side) hip lower.

    Contralateral pelvic drop -- the hip opposite the stance leg sagging -- is the
    sign of a gluteus medius that cannot hold the pelvis level. World y points down.
    """
    d = np.asarray(other_hip_w, float) - np.asarray(lead_hip_w, float)
    horizontal = np.hypot(d[..., 0], d[..., 2])
    return np.degrees(np.arctan2(d[..., 1], horizontal))


def trunk_lean(mid_hip: np.ndarray, mid_shoulder: np.ndarray, lead_side: np.ndarray) -> np.ndarray:
    """Lateral trunk lean in the image (degrees); positive = toward the lead (stance) leg's side.

    ``lead_side`` is +1 where the lead leg is on image +x of the pelvis midline, -1 otherwise.
    """
    v = np.asarray(mid_shoulder, float) - np.asarray(mid_hip, float)
    return np.degrees(np.arctan2(v[..., 0] * lead_side, -v[..., 1]))


def segment_length(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance between two point arrays (same units as the inputs)."""
    d = np.asarray(b, float) - np.asarray(a, float)
    return np.hypot(d[..., 0], d[..., 1])
