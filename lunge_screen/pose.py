"""MediaPipe Pose Landmarker (Tasks API, VIDEO mode): video frames to a :class:`LandmarkSeries`.

The only module that creates MediaPipe landmarkers.

Speed (measured in ``benchmarks/RESULTS.md``)
---------------------------------------------
Inference is the floor of the cost; everything else hides behind it:

* Frames are decoded, scaled and converted to RGB in a background thread into a
  small bounded queue (:data:`PREFETCH` frames), so decoding overlaps inference and
  memory stays flat whatever the video's length. MediaPipe runs its C code with
  the GIL released, so the two threads really run at once.
* Large frames are shrunk before MediaPipe (:data:`DEFAULT_MAX_SIDE`) and
  high-speed video is thinned (:data:`DEFAULT_MAX_FPS`).
* ``workers > 1`` (or ``"auto"``) cuts the video into consecutive time segments,
  one per process. This process analyses the first segment itself while *helper*
  processes analyse the others, each with its own landmarker; each helper segment
  starts ``warmup`` seconds early and those warm-up frames are dropped before the
  parts are joined in frame order. Cuts are balanced in work
  (:func:`plan_segments`): warm-up, the frames a helper decodes from the keyframe
  before its warm-up, and a late start of this process all count. MediaPipe's
  tracking restarts at a segment's start, so landmarks after a seam differ from
  the single-stream ones by about the model's own run-to-run noise;
  ``benchmarks/seams.py`` measures it and ``tests/test_speed_equivalence.py``
  checks that the findings agree.
* Helper processes are started once per process and kept for later videos
  (imports paid once). They are forked when that is safe -- this process has
  created no MediaPipe graph yet and runs no other Python thread -- after this
  process has imported MediaPipe (which starts no thread), so they import
  nothing at all (a spawned helper needs ~1.2 s of CPU to start, a forked one
  ~0.1 s); otherwise they come from a ``forkserver`` that has imported
  MediaPipe, with the main script hidden so that it is not run again.
* :func:`prestart` lets a program set the helpers to work before it has loaded
  its own analysis code (the CLI does).
* Each segment gets a fresh landmarker: creating one costs 0.05-0.09 s, while
  reusing one carries its tracking state into the next video and changes its
  landmarks (measured: up to 970 px on the first frames, and still up to 4 px
  after resetting it with a blank frame).
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import cv2
import numpy as np

from .errors import EmptyVideoError, ModelError
from .models import ResolvedModel, resolve_model
from .processes import _HELPER, POOL, POOL_LOCK, helper_pool, shutdown_workers, start_method
from .segments import ANALYSIS_IMPORT_S, frame_cost_ms, plan_segments, resolve_workers
from .series import N_LANDMARKS, LandmarkSeries, SourceInfo
from .video import Frame, VideoInfo, iter_frames, probe, select_frames

#: Default analysis frame-rate cap (frames/s). Lunge kinematics have almost no
#: content above ~6 Hz (the filters cut at 6 Hz), so 60 fps samples them ten times
#: over and places a rep's bottom within 17 ms; a 240 fps slow-motion clip then
#: costs the same inference as a 60 fps one instead of 4x more (decoding the
#: skipped frames is still paid, about 1/5 of a frame's inference at 1080p).
DEFAULT_MAX_FPS = 60.0
#: Default cap on the longer image side fed to MediaPipe (pixels). MediaPipe crops
#: the person and resizes to 256x256 itself, so bigger frames only cost decoding
#: copies and conversion; ``benchmarks/downscale.py`` measures that 960 changes the
#: landmarks by no more than the model's own run-to-run noise.
DEFAULT_MAX_SIDE = 960
#: People tracked per frame (the subject is chosen afterwards; see ``subject.py``).
DEFAULT_MAX_PEOPLE = 1
#: Seconds of warm-up analysed before each helper segment and then discarded
#: (``benchmarks/seams.py``: after ~15 frames the seam transient is down to the
#: persistent difference any restart of MediaPipe's tracking leaves).
DEFAULT_WARMUP = 0.5
#: Decoded frames waiting for inference (bounded: memory does not grow with length).
PREFETCH = 4

ProgressFn = Callable[[int, int], None]

#: Set once this process has created a MediaPipe graph: forking is unsafe from then on.
_GRAPH_CREATED = False


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
        global _GRAPH_CREATED
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
        self._landmarker = None
        _GRAPH_CREATED = True
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


# ---- one segment in one process --------------------------------------------------------------


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


def _add(timings: dict | None, key: str, value: float) -> None:
    if timings is not None:
        timings[key] = timings.get(key, 0.0) + value


def _event(timings: dict | None, name: str, at: float | None = None) -> None:
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
    (see :func:`lunge_screen.video.iter_frames`) and this thread's ``inference_s``
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
        _add(timings, "wait_s", t0 - t_wait)
        _add(timings, "inference_s", t1 - t0)
        t_wait = t1
        diff = float(np.abs(thumb - previous).mean()) if previous is not None else np.nan
        previous = thumb
        if frame.index < keep_from:
            _add(timings, "warmup_frames", 1)
            continue
        times[k], fidx[k] = frame.time, frame.index
        image[k], world[k], vis[k], pres[k] = res
        change[k] = diff
        k += 1
        if progress:
            progress(1)
    return times[:k], fidx[:k], image[:k], world[:k], vis[:k], pres[:k], change[:k]


def _run_segment(
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
    _event(timings, "segment start")
    with quiet_native_stderr(), PoseEstimator(resolved, settings) as est:
        _add(timings, "model_s", time.perf_counter() - t0)
        _event(timings, "landmarker ready")
        arrays = _run(est, video, info, indices, keep_from, settings.max_side, progress, timings)
    _event(timings, "segment end")
    return arrays


# ---- helper processes (pool in processes.py) ------------------------------------------------------


def _helper_segment(
    resolved: ResolvedModel, settings: ExtractSettings, video: str, info: VideoInfo, indices: np.ndarray, keep_from: int
) -> tuple[tuple[np.ndarray, ...], dict]:
    """A helper's task: one segment; returns its arrays and timings."""
    counter = _HELPER["counter"]
    pending = [0]

    def tick(k: int) -> None:
        pending[0] += k
        if pending[0] >= 5:
            with counter.get_lock():
                counter.value += pending[0]
            pending[0] = 0

    timings: dict = {"events": _HELPER.pop("events", [])}
    c0 = time.process_time()
    arrays = _run_segment(resolved, settings, video, info, indices, keep_from, tick, timings)
    with counter.get_lock():
        counter.value += pending[0]
    timings["cpu_s"] = time.process_time() - c0
    return arrays, timings


def _mediapipe_version() -> str:
    """MediaPipe's version from package metadata (no import of mediapipe itself)."""
    try:
        from importlib.metadata import version

        return version("mediapipe")
    except Exception:  # pragma: no cover - metadata missing
        return ""


@dataclass
class _Plan:
    """Everything decided before any frame is analysed."""

    video: str
    info: VideoInfo
    resolved: ResolvedModel
    settings: ExtractSettings
    warmup: float
    workers: int | str
    total: int
    segments: list[tuple[np.ndarray, int]]


def _key(video, model, settings: ExtractSettings, warmup: float, workers, download: bool) -> tuple:
    """The arguments that must match for :func:`extract_landmarks` to take over a :func:`prestart`-ed plan."""
    model = str(model.path) if isinstance(model, ResolvedModel) else (None if model is None else str(model))
    return (str(video), model, settings, warmup, workers, download)


def _make_plan(video, resolved, settings, workers, warmup, info, first_delay_s: float = 0.0) -> _Plan:
    video = str(video)
    info = info or probe(video)
    indices = select_frames(info.times, settings.start, settings.end, settings.max_fps)
    if len(indices) == 0:
        raise EmptyVideoError(f"{video}: no frames in the requested time window")
    decode_ms, frame_ms = frame_cost_ms(info, resolved.name)
    segments = plan_segments(
        indices,
        info.times,
        resolve_workers(workers, len(indices)),
        warmup,
        keyframes=info.keyframes,
        decode_share=decode_ms / frame_ms,
        first_delay=1000.0 * first_delay_s / frame_ms,
    )
    return _Plan(video, info, resolved, settings, warmup, workers, len(indices), segments)


# ---- running a plan ----------------------------------------------------------------------------------
_PENDING: dict = {}  # a prestarted plan, its helper futures and the counter's value when they started


def prestart(
    video: str | os.PathLike,
    *,
    model: str | os.PathLike | ResolvedModel | None = None,
    settings: ExtractSettings | None = None,
    workers: int | str = 1,
    warmup: float = DEFAULT_WARMUP,
    download: bool = False,
    info: VideoInfo | None = None,
) -> bool:
    """Start the helper processes on their segments of ``video`` now; :func:`extract_landmarks` joins them.

    For a program with slow work of its own before it calls
    :func:`extract_landmarks` with the same arguments (the CLI imports the analysis
    code): the helpers analyse meanwhile, and the calling process's own first
    segment is planned shorter by :data:`ANALYSIS_IMPORT_S` when that code is not
    imported yet. Returns whether helpers were started; never raises for a bad
    input or model (the real call reports those).
    """
    _discard_pending()
    delay = ANALYSIS_IMPORT_S if f"{__package__}.analysis" not in sys.modules else 0.0
    settings = settings or ExtractSettings()
    try:
        info = info or probe(video)
        resolved = model if isinstance(model, ResolvedModel) else resolve_model(model, download=download)
        plan = _make_plan(video, resolved, settings, workers, warmup, info, first_delay_s=delay)
    except Exception:  # the real call will raise it properly
        return False
    if len(plan.segments) < 2 or not POOL_LOCK.acquire(blocking=False):
        return False
    try:
        pool, counter = helper_pool(len(plan.segments) - 1, _GRAPH_CREATED)
        base = counter.value
        futures = [
            pool.submit(_helper_segment, plan.resolved, plan.settings, plan.video, plan.info, seg, keep)
            for seg, keep in plan.segments[1:]
        ]
    except BaseException:
        POOL_LOCK.release()
        raise
    key = _key(video, model, settings, warmup, workers, download)
    _PENDING.update(key=key, plan=plan, futures=futures, base=base)
    return True


def _discard_pending() -> None:
    """Forget a prestarted plan nobody claimed (stopping its helpers) and free the helpers."""
    if not _PENDING:
        return
    futures = _PENDING.get("futures", [])
    _PENDING.clear()
    for fut in futures:
        fut.cancel()
    if not all(f.done() for f in futures):
        shutdown_workers(kill=True)
    POOL_LOCK.release()


def extract_landmarks(
    video: str | os.PathLike,
    *,
    model: str | os.PathLike | ResolvedModel | None = None,
    settings: ExtractSettings | None = None,
    workers: int | str = 1,
    warmup: float = DEFAULT_WARMUP,
    progress: ProgressFn | None = None,
    download: bool = False,
    info: VideoInfo | None = None,
    timings: dict | None = None,
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
        Processes for this one video (time segments, see the module docstring), or
        ``"auto"`` (see :func:`resolve_workers`). 1 runs everything in this process.
    warmup
        Seconds analysed and discarded before each helper segment's first frame.
    progress
        Called as ``progress(frames_done, frames_total)`` as frames finish.
    download
        Allow downloading a missing official model.
    info
        The video's :func:`~lunge_screen.video.probe` result, if already read.
    timings
        If given, filled with seconds spent per stage, summed over processes
        (``decode_s``, ``convert_s``, ``inference_s``, ``wait_s``, ``model_s``,
        ``helper_cpu_s``...), plus ``segments`` and ``start_method``.

    Returns
    -------
    LandmarkSeries
        One row per analysed frame, in frame order.
    """
    settings = settings or ExtractSettings()
    pending = None
    if _PENDING and _PENDING["key"] == _key(video, model, settings, warmup, workers, download):
        pending = dict(_PENDING)  # started by prestart(): its plan, and its helpers already at work
        _PENDING.clear()
        plan = pending["plan"]
    else:
        _discard_pending()
        info = info or probe(video)  # the video's errors before the model's, as always
        resolved = model if isinstance(model, ResolvedModel) else resolve_model(model, download=download)
        plan = _make_plan(video, resolved, settings, workers, warmup, info)
    source = SourceInfo(
        video=plan.video,
        width=plan.info.width,
        height=plan.info.height,
        fps=plan.info.fps,
        n_frames=plan.info.n_frames,
        rotation=plan.info.rotation,
        codec=plan.info.codec,
        model=plan.resolved.name,
        model_sha256=plan.resolved.sha256,
        mediapipe_version=_mediapipe_version(),
        settings={**plan.settings.__dict__, "warmup": plan.warmup, "segments": len(plan.segments)},
    )
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        if progress:
            progress(min(done[0], plan.total), plan.total)

    if timings is not None:
        timings["segments"] = len(plan.segments)
        timings["prestarted"] = pending is not None
    parts = None
    if pending is not None:
        try:
            parts = _extract_parallel(plan, tick, timings, pending)
        finally:
            POOL_LOCK.release()
    elif len(plan.segments) > 1 and POOL_LOCK.acquire(blocking=False):
        try:
            parts = _extract_parallel(plan, tick, timings)
        finally:
            POOL_LOCK.release()
    if parts is None:  # one segment, or another thread is using the helpers
        parts = [
            _run_segment(plan.resolved, plan.settings, plan.video, plan.info, seg, keep, tick, timings)
            for seg, keep in plan.segments
        ]
    return LandmarkSeries.concatenate([_series(a, source) for a in parts])


def _series(arrays: tuple[np.ndarray, ...], source: SourceInfo) -> LandmarkSeries:
    times, fidx, image, world, vis, pres, change = arrays
    return LandmarkSeries(times, fidx, image, world, vis, pres, source=source, frame_change=change)


def _extract_parallel(plan: _Plan, tick, timings, pending: dict | None = None) -> list[tuple[np.ndarray, ...]]:
    """First segment here, the others in helper processes; results in segment order."""
    _event(timings, "helpers requested")
    pool, counter = helper_pool(len(plan.segments) - 1, _GRAPH_CREATED)
    if timings is not None:
        timings["start_method"] = POOL.get("method")
    if pending is not None:
        futures, base = pending["futures"], pending["base"]
    else:
        base = counter.value
        futures = [
            pool.submit(_helper_segment, plan.resolved, plan.settings, plan.video, plan.info, seg, keep)
            for seg, keep in plan.segments[1:]
        ]
    own = [0]
    reported = [0]

    def report() -> None:
        now = own[0] + counter.value - base
        if now > reported[0]:
            tick(now - reported[0])
            reported[0] = now

    def own_tick(k: int) -> None:
        own[0] += k
        report()

    try:
        first = _run_segment(plan.resolved, plan.settings, plan.video, plan.info, *plan.segments[0], own_tick, timings)
        pending_futures = set(futures)
        while pending_futures:
            _, pending_futures = wait(pending_futures, timeout=0.2, return_when=FIRST_COMPLETED)
            report()
        results = [first]
        for (seg, keep), fut in zip(plan.segments[1:], futures):
            try:
                arrays, helper_timings = fut.result()
            except BrokenProcessPool:
                warnings.warn(
                    "a helper process died; analysing its segment in this process instead",
                    RuntimeWarning,
                    stacklevel=3,
                )
                shutdown_workers(kill=True)
                arrays = _run_segment(plan.resolved, plan.settings, plan.video, plan.info, seg, keep, tick, timings)
                helper_timings = {}
            results.append(arrays)
            for key, value in helper_timings.items():
                if key == "events":
                    if timings is not None:
                        timings.setdefault("events", []).extend(value)
                else:
                    _add(timings, "helper_cpu_s" if key == "cpu_s" else key, value)
        return results
    except BaseException:
        for fut in futures:
            fut.cancel()
        if not all(f.done() for f in futures):
            shutdown_workers(kill=True)  # interrupted or failed: do not leave helpers busy
        raise


__all__ = [
    "DEFAULT_MAX_FPS",
    "DEFAULT_MAX_PEOPLE",
    "DEFAULT_MAX_SIDE",
    "DEFAULT_WARMUP",
    "ExtractSettings",
    "PoseEstimator",
    "extract_landmarks",
    "plan_segments",
    "prestart",
    "resolve_workers",
    "shutdown_workers",
    "start_method",
    "thumbnail",
]
