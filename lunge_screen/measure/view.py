"""Camera view: frontal, rear, oblique or side, with a yaw estimate in degrees.

Two estimates of how far the person's frontal plane is turned from the image plane,
per frame:

* **world yaw**: the direction of the shoulder line and of the hip line in the world
  landmarks' x-z plane (MediaPipe's 3D skeleton is camera-aligned), averaged. Measured
  on the reference clips it separates a frontal lunge (about 20 deg or less) from the
  walking lunge filmed about 30-35 deg off (about 28 deg), so it decides frontal vs oblique.
* **width ratio**: the shoulders' apparent width over the trunk's apparent length in the
  image, against the same ratio in the world landmarks:
  ``cos(yaw) = (w_img / h_img) / (w_world / h_world)``. It reads 15-30 deg too high on
  frontal clips (clothing, posture), but it collapses reliably when the person is side on,
  where the 3D skeleton's depth can be wrong; so it only decides "side" (>= ``side_min_yaw``).

Why it matters: an oblique camera turns the knee's sagittal motion into apparent
medial or lateral displacement (15 deg of yaw is enough to flip varus into valgus
at modest flexion), so frontal-plane measures are withheld outside a frontal or rear view.
"""

from __future__ import annotations

import numpy as np

from ..settings import ViewSettings
from ..track.series import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, PersonTrack
from ..track.signals import finite_median
from ..types import View


def yaw_per_frame(track: PersonTrack, settings: ViewSettings = ViewSettings()) -> np.ndarray:
    """Unsigned yaw (degrees, 0 = frontal plane parallel to the image, 90 = side on), per frame.

    The width ratio overrides the world yaw only where it reads at least ``settings.side_min_yaw``.
    """
    im, w = track.image, track.world
    sw = np.abs(im[:, L_SHOULDER, 0] - im[:, R_SHOULDER, 0])
    trunk = np.hypot(*(0.5 * (im[:, L_SHOULDER, :2] + im[:, R_SHOULDER, :2] - im[:, L_HIP, :2] - im[:, R_HIP, :2])).T)
    wsw = np.linalg.norm(w[:, L_SHOULDER] - w[:, R_SHOULDER], axis=1)
    wtr = np.linalg.norm(0.5 * (w[:, L_SHOULDER] + w[:, R_SHOULDER] - w[:, L_HIP] - w[:, R_HIP]), axis=1)
    with np.errstate(all="ignore"):
        cos = (sw / trunk) / (wsw / wtr)
        yaw_width = np.degrees(np.arccos(np.clip(cos, 0.0, 1.0)))
        yaw_world = 0.5 * (_line_yaw(w, L_SHOULDER, R_SHOULDER) + _line_yaw(w, L_HIP, R_HIP))
    side_on = yaw_width >= settings.side_min_yaw
    return np.where(side_on, np.fmax(yaw_world, yaw_width), yaw_world)


def _line_yaw(world: np.ndarray, a: int, b: int) -> np.ndarray:
    """Unsigned angle (deg) of the a-b line from the image plane, in the world x-z plane."""
    d = world[:, a] - world[:, b]
    return np.degrees(np.arctan2(np.abs(d[:, 2]), np.abs(d[:, 0])))


def classify(yaw_deg: float, facing: int, settings: ViewSettings = ViewSettings()) -> View:
    """``frontal`` / ``rear`` / ``oblique`` / ``side`` / ``unknown`` from an unsigned yaw and the facing."""
    if not np.isfinite(yaw_deg):
        return "unknown"
    if yaw_deg >= settings.side_min_yaw:
        return "side"
    if yaw_deg > settings.frontal_max_yaw:
        return "oblique"
    return "rear" if facing < 0 else "frontal"


def view_of(
    yaw: np.ndarray, frames: slice | np.ndarray, facing: int, settings: ViewSettings = ViewSettings()
) -> tuple[float, View]:
    """Median yaw over ``frames`` and its class: ``(yaw_deg, view)``."""
    med = finite_median(np.asarray(yaw)[frames])
    return med, classify(med, facing, settings)


def loaded_yaw(yaw: np.ndarray, depth: np.ndarray, start: int, end: int, depth_min: float) -> float | None:
    """Median yaw (deg) over the loaded frames ``start..end`` (pelvis depth at least ``depth_min``); None if none."""
    seg = slice(start, end + 1)
    med = finite_median(yaw[seg][np.nan_to_num(depth[seg]) >= depth_min])
    return med if np.isfinite(med) else None
