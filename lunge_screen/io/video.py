"""Open a video (probe: size, rotation, every frame's timestamp) and decode its frames with real timestamps.

The frame type and the RGB conversion/shrinking live in :mod:`lunge_screen.io.frames`.

Decoding uses PyAV (FFmpeg's libraries, shipped in the ``av`` wheel) rather than
``cv2.VideoCapture`` because it gives the exact presentation timestamp of every
frame (phone videos are often variable-frame-rate), the display-rotation angle
as data, and lets FFmpeg's scaler convert to RGB and downscale in one pass.

Conventions
-----------
* ``Frame.index`` is the 0-based index of the frame in presentation order over the
  whole file, whatever window or frame-rate cap is applied, so it matches what a
  player or OpenCV would number.
* ``Frame.time`` is the presentation time in seconds from the first frame.
* ``Frame.image`` is ``uint8`` RGB, shape ``(H, W, 3)``, already rotated so the
  person appears as they did when filming. It may be downscaled (see
  ``max_side``); ``VideoInfo.width/height`` always give the full display size.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ..errors import CorruptVideoError, EmptyVideoError, InputNotFoundError, NotAVideoError
from .frames import Frame, scaled_size, to_rgb

#: A file with more pixels per frame than this is refused (guards memory; 16K x 16K).
MAX_PIXELS = 16384 * 16384

# PyAV's default log level (None) ignores FFmpeg's log lines without a Python
# callback; setting any level installs a callback that takes the GIL for every FFmpeg
# message and can deadlock threaded decoding (seen here after seeks), so leave it alone.


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, read without decoding it.

    Attributes
    ----------
    width, height : int
        Display size in pixels, after rotation.
    rotation : int
        Counter-clockwise rotation (degrees, multiple of 90) applied to stored frames.
    fps : float
        Average frame rate (frames / s) from the timestamps.
    n_frames : int
        Number of frames (from the container's packet index).
    duration : float
        Time of the last frame in seconds (first frame = 0).
    codec : str
        FFmpeg decoder name (``h264``, ``hevc``, ``vp9``...).
    times : numpy.ndarray
        Presentation time of every frame in seconds, shape ``(n_frames,)``, increasing.
    keyframes : numpy.ndarray or None
        Indices of the frames decoding can start from (``None`` when unknown).
    """

    path: str
    width: int
    height: int
    rotation: int
    fps: float
    n_frames: int
    duration: float
    codec: str
    times: np.ndarray
    start_pts: int = 0
    time_base: float = 0.0
    keyframes: np.ndarray | None = None

    @property
    def variable_frame_rate(self) -> bool:
        """True when frame intervals differ by more than 10 % of the median interval."""
        if self.n_frames < 3:
            return False
        d = np.diff(self.times)
        med = float(np.median(d))
        return bool(med > 0 and np.max(np.abs(d - med)) > 0.1 * med)


#: FFmpeg demuxers that show a text file as a "video" of its characters (``tty``: .txt, .nfo, .asc, ANSI art).
TEXT_FORMATS = frozenset({"tty"})


def _open(path: Path):
    if not path.exists():
        raise InputNotFoundError(f"{path}: no such file")
    if not path.is_file():
        raise InputNotFoundError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise NotAVideoError(f"{path}: the file is empty (0 bytes)")
    try:
        container = av.open(str(path), mode="r")
    except av.error.FFmpegError as exc:
        raise NotAVideoError(f"{path}: not a readable video file ({exc.strerror or exc})") from None
    except (OSError, ValueError) as exc:
        raise NotAVideoError(f"{path}: cannot open ({exc})") from None
    if container.format.name in TEXT_FORMATS:
        container.close()
        raise NotAVideoError(f"{path}: a text file, not a video")
    if not container.streams.video:
        container.close()
        raise NotAVideoError(f"{path}: the file has no video stream")
    return container


def probe(path: str | Path) -> VideoInfo:
    """Read a video's size, rotation, frame count and every frame's timestamp.

    Reads the container's packet index (no decoding beyond the first frame), so it
    is fast even for long videos.

    Raises
    ------
    InputNotFoundError, NotAVideoError, CorruptVideoError, EmptyVideoError
    """
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        tb = stream.time_base
        pts, key_pts, n_no_pts = _packet_times(container, stream, path)
        n = len(pts) + n_no_pts
        if n == 0:
            raise EmptyVideoError(f"{path}: the video stream holds no frames")
        header_frames = int(stream.frames or 0)
        if header_frames and n < header_frames:
            raise CorruptVideoError(
                f"{path}: truncated video: the header lists {header_frames} frames but only {n} are present"
            )
        start_pts = 0
        keyframes = None
        if n_no_pts or tb is None:
            rate = float(stream.average_rate or stream.guessed_rate or 30)
            times = np.arange(n) / rate
        else:
            arr = np.sort(np.asarray(pts, dtype=np.int64))
            start_pts = int(arr[0])
            times = (arr - arr[0]) * float(tb)
            keyframes = np.searchsorted(arr, np.unique(np.asarray(key_pts, dtype=np.int64)))
        w, h, rotation = _display_size(container, stream, path)
        duration = float(times[-1]) if n else 0.0
        fps = (n - 1) / duration if n > 1 and duration > 0 else float(stream.average_rate or 0.0)
        return VideoInfo(
            path=str(path),
            width=w,
            height=h,
            rotation=rotation,
            fps=float(fps),
            n_frames=n,
            duration=duration,
            codec=codec,
            times=times,
            start_pts=start_pts,
            time_base=float(tb) if tb and not n_no_pts else 0.0,
            keyframes=keyframes,
        )
    finally:
        container.close()


def _packet_times(container, stream, path: Path) -> tuple[list[int], list[int], int]:
    """The stream's packet timestamps, its keyframes' timestamps, and how many packets carry none."""
    pts: list[int] = []
    key_pts: list[int] = []
    n_no_pts = 0
    try:
        for packet in container.demux(stream):
            if packet.size == 0:
                continue
            if packet.pts is None:
                n_no_pts += 1
            else:
                pts.append(packet.pts)
                if packet.is_keyframe:
                    key_pts.append(packet.pts)
    except av.error.FFmpegError as exc:
        raise CorruptVideoError(f"{path}: the container is damaged ({exc.strerror or exc})") from None
    return pts, key_pts, n_no_pts


def _display_size(container, stream, path: Path) -> tuple[int, int, int]:
    """``(width, height, rotation)`` as displayed, from the first decoded frame (its display matrix)."""
    container.seek(0)
    try:
        first = next(container.decode(stream))
    except StopIteration:
        raise EmptyVideoError(f"{path}: no frame of the video can be decoded") from None
    except av.error.FFmpegError as exc:
        raise CorruptVideoError(f"{path}: the first frame cannot be decoded ({exc.strerror or exc})") from None
    rotation = int(round(getattr(first, "rotation", 0) or 0)) % 360
    w, h = first.width, first.height
    if w * h > MAX_PIXELS:
        raise NotAVideoError(f"{path}: frame size {w}x{h} is larger than supported ({MAX_PIXELS} pixels)")
    if rotation in (90, 270):
        w, h = h, w
    return w, h, rotation


def _prepare_decoder(container, info: VideoInfo, first_wanted: int, threads: bool, max_side: int | None):
    """The video stream, set to its threading and seeked to the keyframe before ``first_wanted``; and the
    decoded frames' size after shrinking (stored orientation)."""
    stream = container.streams.video[0]
    if threads:
        stream.thread_type = "AUTO"
    else:  # FFmpeg's default would still use slice threads: one thread costs no more CPU in all
        stream.codec_context.thread_count = 1
    tb = info.time_base
    stored_w, stored_h = (info.height, info.width) if info.rotation in (90, 270) else (info.width, info.height)
    if first_wanted > 0 and tb:
        target = info.start_pts + int(info.times[first_wanted] / tb)
        container.seek(target, stream=stream, backward=True, any_frame=False)
    return stream, scaled_size(stored_w, stored_h, max_side)


def _index_of(frame, info: VideoInfo) -> int:
    """Index of a decoded frame: the probed timestamp nearest to its own."""
    t = (frame.pts - info.start_pts) * info.time_base
    i = int(np.searchsorted(info.times, t))
    if i > 0 and (i == info.n_frames or t - info.times[i - 1] < info.times[i] - t):
        i -= 1
    return i


def select_frames(times: np.ndarray, start: float | None, end: float | None, max_fps: float | None) -> np.ndarray:
    """Indices of the frames to analyse: inside ``[start, end]`` seconds, thinned to ``max_fps``.

    Thinning keeps the frame nearest to each tick of a ``max_fps`` clock, so a 240 fps
    clip capped at 60 keeps every 4th frame and a variable-frame-rate clip keeps
    evenly spaced ones (no drift when timestamps are rounded to milliseconds).
    """
    t = np.asarray(times, dtype=float)
    keep = np.ones(len(t), dtype=bool)
    if start is not None:
        keep &= t >= start - 1e-9
    if end is not None:
        keep &= t <= end + 1e-9
    idx = np.flatnonzero(keep)
    if max_fps and len(idx) > 1 and (t[idx[-1]] - t[idx[0]]) * max_fps < len(idx) - 1:
        # Nearest frame to each tick of a uniform max_fps clock: no drift on rounded timestamps.
        ticks = np.arange(t[idx[0]], t[idx[-1]] + 1e-9, 1.0 / max_fps)
        pos = np.clip(np.searchsorted(t[idx], ticks), 1, len(idx) - 1)
        nearer_left = ticks - t[idx][pos - 1] <= t[idx][pos] - ticks
        idx = np.unique(idx[np.where(nearer_left, pos - 1, pos)])
    return idx


def iter_frames(
    path: str | Path,
    *,
    info: VideoInfo | None = None,
    indices: np.ndarray | None = None,
    max_side: int | None = None,
    threads: bool = True,
    timings: dict | None = None,
) -> Iterator[Frame]:
    """Decode the frames of ``path`` one at a time (memory stays bounded).

    Parameters
    ----------
    info
        The result of :func:`probe` (probed here if not given).
    indices
        Increasing frame indices to yield (default: all). Decoding seeks to the
        keyframe before the first one, so a segment in the middle of a long video
        does not decode the whole start.
    max_side
        Downscale so the longer side of the yielded image is at most this many pixels.
    threads
        Let FFmpeg decode with its own threads (frame threads cost ~20 % more CPU
        per frame; worth it only when a core would otherwise idle). ``False``
        decodes in the calling thread only.
    timings
        If given, seconds are added to it as they are spent: ``decode_s`` /
        ``decode_cpu_s`` (wall / this thread's CPU time in the decoder, including
        frames decoded and skipped), ``convert_s`` / ``convert_cpu_s`` (scaling,
        RGB conversion, rotation), and ``frames`` (frames yielded).

    Raises
    ------
    CorruptVideoError
        If the stream fails to decode part-way, or ends before the wanted frames.
    """
    path = Path(path)
    info = info or probe(path)
    wanted = np.arange(info.n_frames) if indices is None else np.asarray(indices, dtype=int)
    if len(wanted) == 0:
        return
    container = _open(path)
    try:
        stream, (out_w, out_h) = _prepare_decoder(container, info, int(wanted[0]), threads, max_side)
        tb = info.time_base
        want_pos = 0
        counter = 0
        last_index = -1
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            for frame in container.decode(stream):
                index = _index_of(frame, info) if tb and frame.pts is not None else counter
                counter += 1
                if index <= last_index:  # duplicate or out-of-order pts: keep decode order
                    index = last_index + 1
                last_index = index
                while want_pos < len(wanted) and wanted[want_pos] < index:
                    want_pos += 1  # a wanted frame was skipped by the decoder
                if want_pos >= len(wanted):
                    break
                if index != wanted[want_pos]:
                    continue
                want_pos += 1
                if timings is not None:
                    t1, c1 = time.perf_counter(), time.thread_time()
                    timings["decode_s"] = timings.get("decode_s", 0.0) + t1 - t0
                    timings["decode_cpu_s"] = timings.get("decode_cpu_s", 0.0) + c1 - c0
                image = to_rgb(frame, out_w, out_h)
                if timings is not None:
                    t0, c0 = time.perf_counter(), time.thread_time()
                    timings["convert_s"] = timings.get("convert_s", 0.0) + t0 - t1
                    timings["convert_cpu_s"] = timings.get("convert_cpu_s", 0.0) + c0 - c1
                    timings["frames"] = timings.get("frames", 0) + 1
                yield Frame(index=index, time=float(info.times[min(index, info.n_frames - 1)]), image=image)
                if timings is not None:
                    t0, c0 = time.perf_counter(), time.thread_time()
                if want_pos >= len(wanted):
                    break
        except av.error.FFmpegError as exc:
            raise CorruptVideoError(
                f"{path}: decoding failed at frame {last_index + 1} of {info.n_frames} ({exc.strerror or exc})"
            ) from None
        if want_pos < len(wanted) and last_index < int(wanted[-1]) and last_index + 1 < info.n_frames * 0.98:
            raise CorruptVideoError(
                f"{path}: the video ended after {last_index + 1} of {info.n_frames} frames (truncated or damaged)"
            )
    finally:
        container.close()


def frame_count_for(info: VideoInfo, start: float | None, end: float | None, max_fps: float | None) -> int:
    """How many frames :func:`select_frames` keeps (for progress bars)."""
    return len(select_frames(info.times, start, end, max_fps))


__all__ = [
    "Frame",
    "VideoInfo",
    "frame_count_for",
    "iter_frames",
    "probe",
    "scaled_size",
    "select_frames",
    "to_rgb",
]
