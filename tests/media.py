"""Small test videos made on the fly with PyAV (H.264), including variable frame rate."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def frame_image(i: int, width: int, height: int) -> np.ndarray:
    """A frame whose content encodes its index: a bright bar at a position that moves with i."""
    img = np.full((height, width, 3), 40, np.uint8)
    x = (i * 7) % max(1, width - 16)
    img[:, x : x + 16] = 230
    img[: height // 8, : width // 8] = (i * 37) % 255
    return img


def make_video(
    path: Path,
    n: int = 30,
    fps: int = 30,
    size: tuple[int, int] = (160, 96),
    times: list[float] | None = None,
    faststart: bool = False,
) -> Path:
    """Write an H.264 MP4 of ``n`` frames; ``times`` (seconds) gives a variable frame rate."""
    width, height = size
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as c:
        s = c.add_stream("libx264", rate=fps)
        s.width, s.height, s.pix_fmt = width, height, "yuv420p"
        s.codec_context.options = {"preset": "ultrafast", "g": "10"}
        tb = Fraction(1, 1000)
        s.codec_context.time_base = tb
        for i in range(n):
            f = av.VideoFrame.from_ndarray(frame_image(i, width, height), format="rgb24")
            t = times[i] if times is not None else i / fps
            f.pts = int(round(t / tb))
            f.time_base = tb
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def make_audio_only(path: Path, seconds: float = 0.5) -> Path:
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=16000)
        n = int(16000 * seconds)
        samples = (0.1 * np.sin(np.arange(n) / 10.0)).astype(np.float32)[None]
        f = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        f.sample_rate = 16000
        for p in s.encode(f):
            c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path
