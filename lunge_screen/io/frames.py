"""Decoded frames: the :class:`Frame` type and FFmpeg-frame -> RGB conversion (rotate, shrink).

``Frame.image`` is ``uint8`` RGB, shape ``(H, W, 3)``, in display orientation; it may be
downscaled (``max_side``), while :class:`lunge_screen.io.video.VideoInfo` keeps the full size.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class Frame:
    """One decoded frame. ``image`` is RGB uint8 ``(H, W, 3)`` in display orientation."""

    index: int
    time: float
    image: np.ndarray


_ROTATE = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """Size after shrinking so the longer side is at most ``max_side`` (never enlarges).

    Both sides are rounded to even numbers, as FFmpeg's scaler prefers.
    """
    if not max_side or max(width, height) <= max_side:
        return width, height
    s = max_side / max(width, height)
    return max(2, int(round(width * s / 2)) * 2), max(2, int(round(height * s / 2)) * 2)


def _shrink_into(plane: np.ndarray, out: np.ndarray) -> None:
    """Resize one image plane into ``out``: exact 2:1 area averages, then bilinear for the rest.

    Halving with ``INTER_AREA`` is OpenCV's vectorised fast path and is properly
    anti-aliased; the remaining factor (below 2) is bilinear, which is cheap and
    aliases little at such ratios. A 4K frame to 960 px costs about 1.7 ms
    (one core) instead of 5 ms for a direct area resize (``benchmarks/RESULTS.md``).
    """
    height, width = out.shape
    while plane.shape[1] >= 2 * width and plane.shape[0] >= 2 * height:
        half = (plane.shape[1] // 2, plane.shape[0] // 2)
        if half == (width, height):
            cv2.resize(plane, half, dst=out, interpolation=cv2.INTER_AREA)
            return
        plane = cv2.resize(plane, half, interpolation=cv2.INTER_AREA)
    if (plane.shape[1], plane.shape[0]) != (width, height):
        cv2.resize(plane, (width, height), dst=out, interpolation=cv2.INTER_LINEAR)
    else:
        out[...] = plane


def _plane(frame, i: int) -> np.ndarray:
    """Plane ``i`` of a decoded frame as a ``(rows, cols)`` uint8 view (no copy; rows may be padded)."""
    p = frame.planes[i]
    return np.frombuffer(p, np.uint8, count=p.line_size * p.height).reshape(p.height, p.line_size)[:, : p.width]


def _fast_yuv(frame, width: int, height: int) -> bool:
    """Whether :func:`to_rgb` may use its OpenCV path (8-bit 4:2:0, limited range, even sizes)."""
    return (
        frame.format.name == "yuv420p"
        and int(getattr(frame, "color_range", 0) or 0) != 2  # 2 = full ("JPEG") range
        and frame.width % 2 == 0
        and frame.height % 2 == 0
        and width % 2 == 0
        and height % 2 == 0
    )


def to_rgb(frame, width: int, height: int) -> np.ndarray:
    """A decoded frame as packed RGB uint8 ``(H, W, 3)``, scaled to ``width`` x ``height``, in display orientation.

    ``width``/``height`` are in the stored orientation (before rotation). For the
    usual 8-bit 4:2:0 video, the Y, U and V planes are scaled separately straight
    from the decoder's buffers and converted to RGB once, at the small size, by
    OpenCV (BT.601 limited range, as FFmpeg's default): about 4x less CPU than
    FFmpeg's scaler converting and scaling in one pass. Other formats (10-bit,
    full range, 4:2:2...) go through FFmpeg's scaler with area averaging.
    """
    if _fast_yuv(frame, width, height):
        buf = np.empty((height * 3 // 2, width), np.uint8)  # I420: Y, then U, then V
        _shrink_into(_plane(frame, 0), buf[:height])
        uv = buf[height:].reshape(2, height // 2, width // 2)
        _shrink_into(_plane(frame, 1), uv[0])
        _shrink_into(_plane(frame, 2), uv[1])
        image = cv2.cvtColor(buf, cv2.COLOR_YUV2RGB_I420)
    elif (width, height) == (frame.width, frame.height):
        image = frame.to_ndarray(format="rgb24")
    else:
        image = frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
    rot = int(round(getattr(frame, "rotation", 0) or 0)) % 360
    if rot in _ROTATE:
        return cv2.rotate(image, _ROTATE[rot])
    if not image.flags.c_contiguous:  # FFmpeg pads rows; MediaPipe needs packed rows
        image = np.ascontiguousarray(image)
    return image
