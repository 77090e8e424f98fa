"""Camera view: frontal, rear, oblique or side, with a yaw estimate in degrees.

Two independent estimates of how far the person's frontal plane is turned from the
image plane, per frame, combined by taking the larger (a view is only as frontal as
its least frontal evidence):

* **width ratio**: the shoulders' apparent width over the trunk's apparent length
  in the image, against the same ratio in the model's 3D world landmarks for this
  person: ``cos(yaw) = (w_img / h_img) / (w_world / h_world)``. Robust to distance and
  body size; insensitive to the sign of the yaw.
* **world yaw**: the direction of the shoulder line in the world landmarks' x-z plane.

Why it matters: an oblique camera turns the knee's sagittal motion into apparent
medial or lateral displacement (15 deg of yaw is enough to flip varus into valgus
at modest flexion), so frontal-plane measures are withheld outside a frontal or rear view.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .series import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, PersonTrack


@dataclass(frozen=True)
class ViewSettings:
    """Yaw limits (degrees) for the view classes."""

    frontal_max_yaw: float = 25.0
    side_min_yaw: float = 45.0


def yaw_per_frame(track: PersonTrack) -> np.ndarray:
    """Unsigned yaw (degrees, 0 = frontal plane parallel to the image, 90 = side on), per frame."""
    im, w = track.image, track.world
    sw = np.abs(im[:, L_SHOULDER, 0] - im[:, R_SHOULDER, 0])
    trunk = np.hypot(*(0.5 * (im[:, L_SHOULDER, :2] + im[:, R_SHOULDER, :2] - im[:, L_HIP, :2] - im[:, R_HIP, :2])).T)
    wsw = np.linalg.norm(w[:, L_SHOULDER] - w[:, R_SHOULDER], axis=1)
    wtr = np.linalg.norm(0.5 * (w[:, L_SHOULDER] + w[:, R_SHOULDER] - w[:, L_HIP] - w[:, R_HIP]), axis=1)
    with np.errstate(all="ignore"):
        cos = (sw / trunk) / (wsw / wtr)
        yaw_width = np.degrees(np.arccos(np.clip(cos, 0.0, 1.0)))
        d = w[:, L_SHOULDER] - w[:, R_SHOULDER]
        yaw_world = np.degrees(np.arctan2(np.abs(d[:, 2]), np.abs(d[:, 0])))
    return np.fmax(yaw_width, yaw_world)


def classify(yaw_deg: float, facing: int, settings: ViewSettings = ViewSettings()) -> str:
    """``frontal`` / ``rear`` / ``oblique`` / ``side`` / ``unknown`` from an unsigned yaw and the facing."""
    if not np.isfinite(yaw_deg):
        return "unknown"
    if yaw_deg >= settings.side_min_yaw:
        return "side"
    if yaw_deg > settings.frontal_max_yaw:
        return "oblique"
    return "rear" if facing < 0 else "frontal"


def view_of(yaw: np.ndarray, frames: slice | np.ndarray, facing: int, settings: ViewSettings = ViewSettings()):
    """Median yaw over ``frames`` and its class: ``(yaw_deg, view)``."""
    y = np.asarray(yaw)[frames]
    y = y[np.isfinite(y)]
    med = float(np.median(y)) if y.size else float("nan")
    return med, classify(med, facing, settings)
