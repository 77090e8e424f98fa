"""Blur faces in frames, from the pose model's own face landmarks (no face detector, nothing online).

MediaPipe Pose gives 11 face points per person (indices 0-10: nose, eyes, ears,
mouth corners). Each detected person's head is covered by an ellipse sized from
the spread of those points and, as a floor, from the shoulder width (a head is
about half as wide as the shoulders), so a face seen side-on or with a few points
missing is still covered. Frames where no face was found reuse the nearest frame's
ellipses within ``hold_s`` seconds, so a one-frame dropout does not reveal a face.

The blur is a heavy pixelation followed by a Gaussian blur inside the ellipse: the
face cannot be recognised and the result is not reversible by sharpening.

Limitation: a face the pose model never found (a bystander it missed, a person
turned away for longer than ``hold_s``) is not blurred.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..track.series import L_SHOULDER, R_SHOULDER, LandmarkSeries

FACE_LANDMARKS = tuple(range(11))

#: Ellipse half-axes as multiples of the head size estimate (generous on purpose).
HALF_WIDTH = 0.85
HALF_HEIGHT = 1.15


@dataclass(frozen=True)
class Ellipse:
    """A head region in full-size display pixels: centre ``(cx, cy)``, half-axes ``(rx, ry)``."""

    cx: float
    cy: float
    rx: float
    ry: float

    def scaled(self, s: float) -> Ellipse:
        return Ellipse(self.cx * s, self.cy * s, self.rx * s, self.ry * s)


def head_ellipse(face: np.ndarray, shoulders: np.ndarray | None = None) -> Ellipse | None:
    """The ellipse covering one person's head.

    Parameters
    ----------
    face : array (11, 2)
        Face landmark pixel positions (NaN where missing).
    shoulders : array (2, 2), optional
        Left and right shoulder pixel positions, for the size floor.

    Returns
    -------
    Ellipse or None
        ``None`` when fewer than two face points are known.
    """
    p = np.asarray(face, float)[:, :2]
    p = p[np.isfinite(p).all(axis=1)]
    if len(p) < 2:
        return None
    span_x = float(np.ptp(p[:, 0]))
    span_y = float(np.ptp(p[:, 1]))
    size = max(span_x, 1.5 * span_y)
    if shoulders is not None:
        sh = np.asarray(shoulders, float)[:, :2]
        if np.isfinite(sh).all():
            size = max(size, 0.5 * float(np.hypot(*(sh[0] - sh[1]))))
    size = max(size, 8.0)
    cx, cy = (float(v) for v in p.mean(axis=0))
    return Ellipse(cx, cy - 0.1 * size, HALF_WIDTH * size, HALF_HEIGHT * size)


def face_ellipses(series: LandmarkSeries, hold_s: float = 0.5) -> list[list[Ellipse]]:
    """Head ellipses of every detected person in every frame of ``series`` (full-size display pixels).

    Frames with no face reuse the nearest frame's ellipses when it is at most
    ``hold_s`` seconds away.
    """
    out: list[list[Ellipse]] = []
    for t in range(series.n_frames):
        found = []
        for p in range(series.max_people):
            e = head_ellipse(
                series.image[t, p, list(FACE_LANDMARKS), :2], series.image[t, p, [L_SHOULDER, R_SHOULDER], :2]
            )
            if e is not None:
                found.append(e)
        out.append(found)
    have = np.array([bool(e) for e in out])
    if have.any() and not have.all():
        idx = np.flatnonzero(have)
        for t in np.flatnonzero(~have):
            j = idx[np.argmin(np.abs(series.time[idx] - series.time[t]))]
            if abs(series.time[j] - series.time[t]) <= hold_s:
                out[t] = out[j]
    return out


def blur_ellipses(image: np.ndarray, ellipses: list[Ellipse], scale: float = 1.0) -> np.ndarray:
    """Blur the inside of each ellipse of an RGB ``uint8`` image, in place; returns the image.

    ``scale`` converts the ellipses' full-size pixels to this image's pixels.
    """
    h, w = image.shape[:2]
    for e in ellipses:
        e = e.scaled(scale)
        x0, x1 = max(0, int(e.cx - e.rx) - 1), min(w, int(np.ceil(e.cx + e.rx)) + 1)
        y0, y1 = max(0, int(e.cy - e.ry) - 1), min(h, int(np.ceil(e.cy + e.ry)) + 1)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        roi = image[y0:y1, x0:x1]
        rh, rw = roi.shape[:2]
        small = cv2.resize(roi, (max(1, rw // 12), max(1, rh // 12)), interpolation=cv2.INTER_AREA)
        k = max(3, (min(rw, rh) // 4) | 1)
        blurred = cv2.GaussianBlur(cv2.resize(small, (rw, rh), interpolation=cv2.INTER_LINEAR), (k, k), 0)
        mask = np.zeros((rh, rw), np.uint8)
        centre = (int(round(e.cx - x0)), int(round(e.cy - y0)))
        cv2.ellipse(mask, centre, (max(1, int(e.rx)), max(1, int(e.ry))), 0, 0, 360, 255, -1)
        roi[mask > 0] = blurred[mask > 0]
    return image
