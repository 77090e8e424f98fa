"""One segment of a video in one process: decode (in a background thread) -> pose model -> arrays.

Frames are decoded, scaled and converted to RGB in a background thread into a small
bounded queue (:data:`PREFETCH` frames), so decoding overlaps inference and memory stays
flat whatever the video's length. MediaPipe runs its C code with the GIL released, so
the two threads really run at once.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator

import cv2
import numpy as np

from ..io.frames import Frame
from ..io.models import ResolvedModel
from ..io.video import VideoInfo, iter_frames
from ..settings import ExtractSettings
from ..track.series import N_LANDMARKS
from .estimator import PoseEstimator, quiet_native_stderr

#: Decoded frames waiting for inference (bounded: memory does not grow with length).
PREFETCH = 4


def thumbnail(image: np.ndarray) -> np.ndarray:
    """32x32 grey thumbnail (mean of R, G, B; float32) for :attr:`LandmarkSeries.frame_change`.

    A bilinear shrink to 128x128 then a 4:1 area average: each thumbnail pixel
    averages 64 samples spread over its block. 0.06 ms per frame instead of 1.1 ms
    for OpenCV's general area resize straight to 32x32.
    """
    small = cv2.resize(image, (128, 128), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(small, (32, 32), interpolation=cv2.INTER_AREA).mean(axis=2, dtype=np.float32)


def _with_thumbnails(frames: Iterator[Frame]) -> Iterator[tuple[Frame, np.ndarray]]:
    """Pair each frame with its thumbnail (runs in the decode thread, off the inference thread)."""
    for f in frames:
        yield f, thumbnail(f.image)


def _prefetch(items: Iterator, size: int = PREFETCH) -> Iterator:
    """Produce ``items`` in a background thread into a bounded queue (overlaps decoding with inference)."""
    q: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()
    done = object()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:
            q.put(exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # close the decoder in the thread that ran it
                close()

    t = threading.Thread(target=work, name="lunge-screen-decode", daemon=True)
    t.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                q.get_nowait()
        t.join(timeout=5)


def add_timing(timings: dict | None, key: str, value: float) -> None:
    if timings is not None:
        timings[key] = timings.get(key, 0.0) + value


def note_event(timings: dict | None, name: str, at: float | None = None) -> None:
    """Note when something happened (``time.time()``, comparable across processes) in ``timings["events"]``."""
    if timings is not None:
        timings.setdefault("events", []).append((name, os.getpid(), time.time() if at is None else at))


def _run(
    estimator: PoseEstimator,
    video: str,
    info: VideoInfo,
    indices: np.ndarray,
    keep_from: int,
    max_side: int | None,
    progress: Callable[[int], None] | None,
    timings: dict | None = None,
) -> tuple[np.ndarray, ...]:
    """Run the estimator over ``indices``; return arrays for frames with index >= ``keep_from``.

    ``timings`` (if given) receives the decode thread's ``decode_s``/``convert_s``
    (see :func:`lunge_screen.io.video.iter_frames`) and this thread's ``inference_s``
    (in MediaPipe) and ``wait_s`` (waiting for a decoded frame), in seconds.
    """
    p = estimator.max_people
    n = int(np.sum(indices >= keep_from))
    times = np.zeros(n)
    fidx = np.zeros(n, np.int64)
    image = np.full((n, p, N_LANDMARKS, 3), np.nan, np.float32)
    world = np.full((n, p, N_LANDMARKS, 3), np.nan, np.float32)
    vis = np.full((n, p, N_LANDMARKS), np.nan, np.float32)
    pres = np.full((n, p, N_LANDMARKS), np.nan, np.float32)
    change = np.full(n, np.nan, np.float32)
    k = 0
    previous = None
    decoder = iter_frames(video, info=info, indices=indices, max_side=max_side, threads=False, timings=timings)
    t_wait = time.perf_counter()
    for frame, thumb in _prefetch(_with_thumbnails(decoder)):
        t0 = time.perf_counter()
        res = estimator.detect(frame, info.width, info.height)
        t1 = time.perf_counter()
        add_timing(timings, "wait_s", t0 - t_wait)
        add_timing(timings, "inference_s", t1 - t0)
        t_wait = t1
        diff = float(np.abs(thumb - previous).mean()) if previous is not None else np.nan
        previous = thumb
        if frame.index < keep_from:
            add_timing(timings, "warmup_frames", 1)
            continue
        times[k], fidx[k] = frame.time, frame.index
        image[k], world[k], vis[k], pres[k] = res
        change[k] = diff
        k += 1
        if progress:
            progress(1)
    return times[:k], fidx[:k], image[:k], world[:k], vis[:k], pres[:k], change[:k]


def run_segment(
    resolved: ResolvedModel,
    settings: ExtractSettings,
    video: str,
    info: VideoInfo,
    indices: np.ndarray,
    keep_from: int,
    progress: Callable[[int], None] | None,
    timings: dict | None,
) -> tuple[np.ndarray, ...]:
    """One segment with a fresh landmarker (model load timed as ``model_s``)."""
    t0 = time.perf_counter()
    note_event(timings, "segment start")
    with quiet_native_stderr(), PoseEstimator(resolved, settings) as est:
        add_timing(timings, "model_s", time.perf_counter() - t0)
        note_event(timings, "landmarker ready")
        arrays = _run(est, video, info, indices, keep_from, settings.max_side, progress, timings)
    note_event(timings, "segment end")
    return arrays
