"""The annotated video: every frame of the analysed stretch, with the overlay, as H.264 MP4.

Frames are decoded upright (rotation metadata applied), optionally shrunk so the
longer side is at most ``max_side`` pixels (a phone plays 1280 px smoothly and the
file stays small), cropped by at most one pixel to even sides, faces blurred, the
overlay drawn, and encoded with the source's own timestamps. Source frames that the
analysis skipped (a frame-rate cap) show the nearest analysed frame's landmarks.

Decoding is single-threaded on purpose (see :mod:`lunge_screen.report.keyframes`): the
encoder already keeps the other core busy, and FFmpeg's decoder threads combined with
PyAV's Python log callback can deadlock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..io.atomic import atomic_path
from ..io.frames import scaled_size
from ..io.video import iter_frames, probe
from ..track.series import LandmarkSeries
from .encode import H264Writer, even_size
from .faces import Ellipse, blur_ellipses, face_ellipses
from .overlay import OverlayPlan, draw_frame

#: Default longer side of the annotated video, pixels.
VIDEO_MAX_SIDE = 1280


@dataclass(frozen=True)
class VideoSummary:
    """What was written: frame count, size in pixels, codec name and duration in seconds."""

    path: Path
    n_frames: int
    width: int
    height: int
    codec: str
    duration_s: float


def nearest_rows(frame_index: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """For each source frame in ``frames``, the row of ``frame_index`` (increasing) nearest to it."""
    fi = np.asarray(frame_index)
    i = np.clip(np.searchsorted(fi, frames), 1, max(1, len(fi) - 1))
    if len(fi) == 1:
        return np.zeros(len(frames), int)
    left = fi[i - 1]
    return np.where(np.abs(frames - left) <= np.abs(fi[i] - frames), i - 1, i)


def output_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """Annotated-video size for a display size: shrunk to ``max_side`` then made even."""
    return even_size(*scaled_size(width, height, max_side))


def write_annotated_video(
    video_path: str | os.PathLike,
    plan: OverlayPlan,
    series: LandmarkSeries,
    target: str | os.PathLike,
    *,
    blur_faces: bool = True,
    max_side: int | None = VIDEO_MAX_SIDE,
    crf: int = 23,
    faces: list[list[Ellipse]] | None = None,
) -> VideoSummary:
    """Write the annotated video of the analysed stretch of ``video_path`` atomically to ``target``.

    ``faces`` are :func:`~lunge_screen.report.faces.face_ellipses` of ``series`` if
    already computed; ``max_side`` (pixels) shrinks the output; ``crf`` is x264's quality.
    """
    info = probe(video_path)
    first, last = int(plan.frame_index[0]), int(plan.frame_index[-1])
    frames = np.arange(first, min(last, info.n_frames - 1) + 1)
    rows = nearest_rows(plan.frame_index, frames)
    if blur_faces and faces is None:
        faces = face_ellipses(series)
    face_rows = nearest_rows(series.frame_index, frames) if blur_faces else None
    out_w, out_h = output_size(info.width, info.height, max_side)
    t0 = float(info.times[first])
    with atomic_path(target, suffix=".mp4") as tmp, H264Writer(tmp, out_w, out_h, info.fps, crf=crf) as writer:
        for frame in iter_frames(video_path, info=info, indices=frames, max_side=max_side, threads=False):
            img = np.ascontiguousarray(frame.image[:out_h, :out_w])
            i = min(int(np.searchsorted(frames, frame.index)), len(frames) - 1)
            if blur_faces:
                blur_ellipses(img, faces[int(face_rows[i])], out_w / info.width)
            draw_frame(img, plan, int(rows[i]))
            writer.write(img, float(info.times[frame.index]) - t0)
        n = writer.n_frames
    return VideoSummary(Path(target), n, out_w, out_h, "h264", float(info.times[frames[-1]]) - t0)
