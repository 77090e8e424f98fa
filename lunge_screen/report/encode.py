"""Write H.264 MP4 files that play in every browser and on phones.

Why PyAV: OpenCV's pip wheels cannot encode H.264 (no patent-encumbered encoder is
built in), and ``imageio-ffmpeg`` drives an ``ffmpeg`` executable through a pipe.
PyAV (already our decoder, :mod:`lunge_screen.video`) ships FFmpeg's libraries with
``libx264`` inside its wheel, so encoding needs no extra dependency, no subprocess,
and we set every frame's timestamp ourselves (phone videos are often
variable-frame-rate, and the annotated video keeps the original timing).

Browser/phone compatibility: H.264 High profile, ``yuv420p`` pixels (the only chroma
format every hardware decoder plays), even width and height, and the ``moov`` index at
the start of the file (``movflags=+faststart``) so playback starts before the whole
file is read. Frames are written upright (display orientation) with no rotation
metadata, so every player shows them as the person saw them when filming.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

#: Timestamps are stored in milliseconds (exact for any real frame rate up to 1000 fps).
TIME_BASE = Fraction(1, 1000)


def even_size(width: int, height: int) -> tuple[int, int]:
    """The largest even ``(width, height)`` not larger than the given size (yuv420p needs even sides)."""
    return max(2, width - width % 2), max(2, height - height % 2)


class H264Writer:
    """Encode RGB ``uint8`` frames of one fixed size to an H.264 MP4 file.

    Parameters
    ----------
    path
        Output file (write to a temporary path and rename it yourself for atomicity).
    width, height
        Frame size in pixels; both must be even.
    fps
        Nominal frame rate (frames/s), used for rate control; actual timing comes from
        the ``time`` given to :meth:`write`.
    crf
        x264 constant rate factor (lower = better quality, larger file; 23 is x264's default).
    preset
        x264 speed/size trade-off (``ultrafast`` ... ``veryslow``).
    """

    def __init__(
        self,
        path: str | os.PathLike,
        width: int,
        height: int,
        fps: float,
        *,
        crf: int = 23,
        preset: str = "veryfast",
    ) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"H.264 in yuv420p needs even sides, got {width}x{height}")
        self.width, self.height = width, height
        self.n_frames = 0
        self._last_pts = -1
        self._container = av.open(str(Path(path)), mode="w", format="mp4", options={"movflags": "+faststart"})
        rate = Fraction(fps).limit_denominator(1001) if fps and fps > 0 else Fraction(30)
        s = self._container.add_stream("libx264", rate=rate)
        s.width, s.height = width, height
        s.pix_fmt = "yuv420p"
        s.time_base = TIME_BASE
        s.codec_context.time_base = TIME_BASE
        s.options = {"crf": str(crf), "preset": preset, "profile": "high"}
        self._stream = s

    def write(self, image: np.ndarray, time: float) -> None:
        """Encode one RGB frame shown at ``time`` seconds from the start of the output."""
        if image.shape[:2] != (self.height, self.width):
            raise ValueError(f"frame is {image.shape[1]}x{image.shape[0]}, writer is {self.width}x{self.height}")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
        pts = max(int(round(time / TIME_BASE)), self._last_pts + 1)
        frame.pts, frame.time_base = pts, TIME_BASE
        self._last_pts = pts
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.n_frames += 1

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        if self._container is None:
            return
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        finally:
            self._container.close()
            self._container = None

    def __enter__(self) -> H264Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def encoder_version() -> str:
    """``"PyAV x.y / FFmpeg libavcodec a.b.c / libx264"`` for the report's software section."""
    lib = av.library_versions.get("libavcodec", ())
    return f"PyAV {av.__version__}, libavcodec {'.'.join(map(str, lib))}, libx264"
