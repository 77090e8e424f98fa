"""MediaPipe Pose Landmarker (Tasks API, VIDEO mode): video frames to a :class:`LandmarkSeries`.

The only module that imports mediapipe. One landmarker per process is created
once and reused (model load is paid once per worker, not per segment or video).

Speed (see ``benchmarks/``): frames are decoded in a background thread into a
small bounded queue, so decoding overlaps inference; with ``workers > 1`` the
video is cut into time segments analysed by separate processes, each segment
starting ``warmup`` seconds early so the landmarker's tracking and smoothing have
settled by the seam, and the warm-up frames are dropped before the parts are
joined in frame order.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from .errors import ModelError
from .models import ResolvedModel, resolve_model
from .series import N_LANDMARKS, LandmarkSeries, SourceInfo
from .video import Frame, VideoInfo, iter_frames, probe, select_frames

#: Default analysis frame-rate cap (frames/s). Lunge kinematics have almost no
#: content above ~6 Hz (the filters cut at 6 Hz), so 60 fps samples them ten times
#: over and places a rep's bottom within 17 ms; a 240 fps slow-motion clip then
#: costs the same inference as a 60 fps one instead of 4x more.
DEFAULT_MAX_FPS = 60.0
#: Default cap on the longer image side fed to MediaPipe (pixels). MediaPipe resizes
#: to 224-256 px internally, so larger frames only cost conversion and copying;
#: ``benchmarks/downscale.py`` measures that landmarks do not change materially.
DEFAULT_MAX_SIDE = 960
#: People tracked per frame (the subject is chosen afterwards; see ``subject.py``).
DEFAULT_MAX_PEOPLE = 1
#: Seconds of warm-up decoded before each parallel segment and then discarded.
DEFAULT_WARMUP = 1.0

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class ExtractSettings:
    """Settings that change the landmark values (recorded in the series and in cache keys)."""

    max_people: int = DEFAULT_MAX_PEOPLE
    max_fps: float | None = DEFAULT_MAX_FPS
    max_side: int | None = DEFAULT_MAX_SIDE
    start: float | None = None
    end: float | None = None
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5


@contextlib.contextmanager
def quiet_native_stderr():
    """Silence the C++ log lines MediaPipe/TFLite print to file descriptor 2.

    MediaPipe's native code logs to fd 2 directly (model load, tensor alignment,
    accelerator teardown), which Python cannot filter. Python exceptions are
    objects and still propagate; :class:`lunge_screen.progress.ProgressBar` writes
    to its own copy of the original stderr, so progress stays visible.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class PoseEstimator:
    """A MediaPipe Pose Landmarker in VIDEO mode. Use as a context manager, or ``close()``."""

    def __init__(self, model: ResolvedModel, settings: ExtractSettings) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        try:
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ModelError(f"mediapipe is not installed ({exc})") from None
        self._mp = mp
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model.path)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=settings.max_people,
            min_pose_detection_confidence=settings.min_detection_confidence,
            min_pose_presence_confidence=settings.min_detection_confidence,
            min_tracking_confidence=settings.min_tracking_confidence,
        )
        try:
            with quiet_native_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load pose model {model.path}: {str(exc).splitlines()[0]}") from None
        self.max_people = settings.max_people
        self._last_ms = -1

    def detect(self, frame: Frame, width: int, height: int) -> tuple[np.ndarray, ...]:
        """Landmarks of one frame: ``image (P,33,3)`` px, ``world (P,33,3)`` m, ``vis``, ``pres`` ``(P,33)``.

        ``width``/``height`` are the full display size the normalised coordinates refer to.
        """
        ms = int(round(frame.time * 1000.0))
        ms = max(ms, self._last_ms + 1)  # VIDEO mode needs strictly increasing timestamps
        self._last_ms = ms
        img = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=frame.image)
        result = self._landmarker.detect_for_video(img, ms)
        p = self.max_people
        image = np.full((p, N_LANDMARKS, 3), np.nan, np.float32)
        world = np.full((p, N_LANDMARKS, 3), np.nan, np.float32)
        vis = np.full((p, N_LANDMARKS), np.nan, np.float32)
        pres = np.full((p, N_LANDMARKS), np.nan, np.float32)
        for k, (lms, wlms) in enumerate(zip(result.pose_landmarks, result.pose_world_landmarks)):
            if k >= p:
                break
            a = np.array([(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in lms], np.float32)
            image[k, :, 0] = a[:, 0] * width
            image[k, :, 1] = a[:, 1] * height
            image[k, :, 2] = a[:, 2] * width
            vis[k], pres[k] = a[:, 3], a[:, 4]
            world[k] = np.array([(lm.x, lm.y, lm.z) for lm in wlms], np.float32)
        return image, world, vis, pres

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _prefetch(frames: Iterator[Frame], size: int = 8) -> Iterator[Frame]:
    """Decode in a background thread into a bounded queue (overlaps decoding with inference)."""
    q: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()
    done = object()

    def work() -> None:
        try:
            for f in frames:
                while not stop.is_set():
                    try:
                        q.put(f, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:
            q.put(exc)

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


def _run(
    estimator: PoseEstimator,
    video: str,
    info: VideoInfo,
    indices: np.ndarray,
    keep_from: int,
    max_side: int | None,
    progress: Callable[[int], None] | None,
) -> tuple[np.ndarray, ...]:
    """Run the estimator over ``indices``; return arrays for frames with index >= ``keep_from``."""
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
    for frame in _prefetch(iter_frames(video, info=info, indices=indices, max_side=max_side)):
        res = estimator.detect(frame, info.width, info.height)
        thumb = cv2.resize(frame.image, (32, 32), interpolation=cv2.INTER_AREA).mean(axis=2)
        diff = float(np.abs(thumb - previous).mean()) if previous is not None else np.nan
        previous = thumb
        if frame.index < keep_from:
            continue
        times[k], fidx[k] = frame.time, frame.index
        image[k], world[k], vis[k], pres[k] = res
        change[k] = diff
        k += 1
        if progress:
            progress(1)
    return times[:k], fidx[:k], image[:k], world[:k], vis[:k], pres[:k], change[:k]


# ---- per-process worker state (one landmarker per process, reused across tasks) ----------
_WORKER: dict = {}


def _worker_init(model: ResolvedModel, settings: ExtractSettings, counter) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a worker's native log lines would only clutter the parent's terminal
    os.close(devnull)
    _WORKER["estimator"] = PoseEstimator(model, settings)
    _WORKER["counter"] = counter


def _worker_segment(video: str, info: VideoInfo, indices: np.ndarray, keep_from: int, max_side: int | None):
    counter = _WORKER["counter"]

    def tick(k: int) -> None:
        with counter.get_lock():
            counter.value += k

    estimator: PoseEstimator = _WORKER["estimator"]
    estimator._last_ms = -1
    # A fresh landmarker per segment would re-pay model load; VIDEO mode only needs
    # increasing timestamps, so reuse it and let the warm-up frames re-acquire tracking.
    return _run(estimator, video, info, indices, keep_from, max_side, tick)


def plan_segments(indices: np.ndarray, times: np.ndarray, n: int, warmup: float) -> list[tuple[np.ndarray, int]]:
    """Cut frame ``indices`` into ``n`` consecutive segments with warm-up.

    Returns a list of ``(segment_indices, keep_from)``: each segment's indices
    include up to ``warmup`` seconds of frames before ``keep_from``, whose results
    are discarded. Segments of fewer than ~3 s are not worth a process.
    """
    indices = np.asarray(indices)
    if n <= 1 or len(indices) < 2:
        return [(indices, int(indices[0]) if len(indices) else 0)]
    dur = times[indices[-1]] - times[indices[0]]
    n = int(max(1, min(n, dur // 3.0)))
    bounds = np.linspace(0, len(indices), n + 1).astype(int)
    out = []
    for a, b in itertools.pairwise(bounds):
        keep_from = int(indices[a])
        t0 = times[keep_from] - warmup
        first = int(np.searchsorted(times[indices], t0)) if a > 0 else 0
        out.append((indices[first:b], keep_from))
    return out


def extract_landmarks(
    video: str | os.PathLike,
    *,
    model: str | os.PathLike | ResolvedModel | None = None,
    settings: ExtractSettings | None = None,
    workers: int = 1,
    warmup: float = DEFAULT_WARMUP,
    progress: ProgressFn | None = None,
    download: bool = False,
    info: VideoInfo | None = None,
) -> LandmarkSeries:
    """Run the pose model over a video and return every frame's landmarks.

    Parameters
    ----------
    video
        Path to the video file.
    model
        Model name (``lite``/``full``/``heavy``), path, or an already resolved model.
    settings
        Extraction settings (people per frame, frame-rate cap, downscale, window).
    workers
        Processes for this one video (time segments, see the module docstring).
    progress
        Called as ``progress(frames_done, frames_total)`` as frames finish.
    download
        Allow downloading a missing official model.

    Returns
    -------
    LandmarkSeries
        One row per analysed frame, in frame order.
    """
    settings = settings or ExtractSettings()
    video = str(video)
    info = info or probe(video)
    resolved = model if isinstance(model, ResolvedModel) else resolve_model(model, download=download)
    indices = select_frames(info.times, settings.start, settings.end, settings.max_fps)
    total = len(indices)
    try:
        import mediapipe

        mp_version = mediapipe.__version__
    except ImportError:  # pragma: no cover
        mp_version = ""
    source = SourceInfo(
        video=video,
        width=info.width,
        height=info.height,
        fps=info.fps,
        n_frames=info.n_frames,
        rotation=info.rotation,
        codec=info.codec,
        model=resolved.name,
        model_sha256=resolved.sha256,
        mediapipe_version=mp_version,
        settings={**settings.__dict__, "warmup": warmup},
    )
    if total == 0:
        from .errors import EmptyVideoError

        raise EmptyVideoError(f"{video}: no frames in the requested time window")
    segments = plan_segments(indices, info.times, workers, warmup)
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        if progress:
            progress(done[0], total)

    if len(segments) == 1:
        with quiet_native_stderr(), PoseEstimator(resolved, settings) as est:
            arrays = _run(est, video, info, indices, int(indices[0]), settings.max_side, tick)
        parts = [_series(arrays, source)]
    else:
        parts = _extract_parallel(video, info, resolved, settings, segments, tick)
        parts = [_series(a, source) for a in parts]
    series = LandmarkSeries.concatenate(parts)
    return series


def _series(arrays: tuple[np.ndarray, ...], source: SourceInfo) -> LandmarkSeries:
    times, fidx, image, world, vis, pres, change = arrays
    return LandmarkSeries(times, fidx, image, world, vis, pres, source=source, frame_change=change)


def _extract_parallel(video, info, resolved, settings, segments, tick) -> list[tuple[np.ndarray, ...]]:
    import multiprocessing as mp
    import time

    ctx = mp.get_context("spawn")
    counter = ctx.Value("l", 0)
    with ProcessPoolExecutor(
        max_workers=len(segments), mp_context=ctx, initializer=_worker_init, initargs=(resolved, settings, counter)
    ) as pool:
        futures = [pool.submit(_worker_segment, video, info, seg, keep, settings.max_side) for seg, keep in segments]
        reported = 0
        while not all(f.done() for f in futures):
            time.sleep(0.2)
            now = counter.value
            if now > reported:
                tick(now - reported)
                reported = now
        results = [f.result() for f in futures]
        if counter.value > reported:
            tick(counter.value - reported)
    return results


__all__ = [
    "DEFAULT_MAX_FPS",
    "DEFAULT_MAX_PEOPLE",
    "DEFAULT_MAX_SIDE",
    "ExtractSettings",
    "PoseEstimator",
    "extract_landmarks",
    "plan_segments",
]
