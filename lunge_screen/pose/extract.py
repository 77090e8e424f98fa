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

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import EmptyVideoError
from ..io.models import ResolvedModel, resolve_model
from ..io.video import VideoInfo, probe, select_frames
from ..settings import DEFAULT_WARMUP, ExtractSettings
from ..track.series import LandmarkSeries, SourceInfo
from . import estimator
from .parallel import POOL_LOCK, extract_parallel, helper_pool, helper_segment, shutdown_workers
from .run import run_segment
from .segments import ANALYSIS_IMPORT_S, frame_cost_ms, plan_segments, resolve_workers

ProgressFn = Callable[[int, int], None]

_PENDING: dict = {}  # a prestarted plan, its helper futures and the counter's value when they started


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
    delay = ANALYSIS_IMPORT_S if "lunge_screen.pipeline" not in sys.modules else 0.0
    settings = settings or ExtractSettings()
    try:
        info = info or probe(video)
        # Never downloads: a missing model is the real call's to fetch (once, with its progress and errors).
        resolved = model if isinstance(model, ResolvedModel) else resolve_model(model, download=False)
        plan = _make_plan(video, resolved, settings, workers, warmup, info, first_delay_s=delay)
    except Exception:  # the real call will raise it properly
        return False
    if len(plan.segments) < 2 or not POOL_LOCK.acquire(blocking=False):
        return False
    try:
        pool, counter = helper_pool(len(plan.segments) - 1, estimator.GRAPH_CREATED)
        base = counter.value
        futures = [
            pool.submit(helper_segment, plan.resolved, plan.settings, plan.video, plan.info, seg, keep)
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
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        if progress:
            progress(min(done[0], plan.total), plan.total)

    if timings is not None:
        timings["segments"] = len(plan.segments)
        timings["prestarted"] = pending is not None
    source = _source_info(plan)
    return LandmarkSeries.concatenate([_series(a, source) for a in _run_plan(plan, tick, timings, pending)])


def _source_info(plan: _Plan) -> SourceInfo:
    """What the series records about its video, model and extraction settings."""
    return SourceInfo(
        video=plan.video,
        width=plan.info.width,
        height=plan.info.height,
        fps=plan.info.fps,
        n_frames=plan.info.n_frames,
        rotation=plan.info.rotation,
        codec=plan.info.codec,
        model=plan.resolved.name,
        model_sha256=plan.resolved.sha256,
        mediapipe_version=estimator.mediapipe_version(),
        settings={**plan.settings.__dict__, "warmup": plan.warmup, "segments": len(plan.segments)},
    )


def _run_plan(plan: _Plan, tick, timings: dict | None, pending: dict | None) -> list[tuple[np.ndarray, ...]]:
    """Every segment's arrays, in order: with the helpers when there are several segments and they are free."""
    parts = None
    if pending is not None:
        try:
            parts = extract_parallel(plan, tick, timings, pending)
        finally:
            POOL_LOCK.release()
    elif len(plan.segments) > 1 and POOL_LOCK.acquire(blocking=False):
        try:
            parts = extract_parallel(plan, tick, timings)
        finally:
            POOL_LOCK.release()
    if parts is None:  # one segment, or another thread is using the helpers
        parts = [
            run_segment(plan.resolved, plan.settings, plan.video, plan.info, seg, keep, tick, timings)
            for seg, keep in plan.segments
        ]
    return parts


def _series(arrays: tuple[np.ndarray, ...], source: SourceInfo) -> LandmarkSeries:
    times, fidx, image, world, vis, pres, change = arrays
    return LandmarkSeries(times, fidx, image, world, vis, pres, source=source, frame_change=change)


__all__ = ["ExtractSettings", "ProgressFn", "extract_landmarks", "prestart", "shutdown_workers"]
