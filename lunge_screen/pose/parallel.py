"""The pose helper processes: one process-wide pool, started once and reused.

Started by ``fork`` when that is safe (this process has created no MediaPipe graph
and runs one Python thread: helpers then need not import anything again), else from a
``forkserver`` with MediaPipe preloaded. Each helper analyses one time segment
(:func:`helper_segment`); :func:`extract_parallel` runs the first segment in this process
meanwhile and joins the results in order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import cv2
import numpy as np

from ..io.models import ResolvedModel
from ..io.video import VideoInfo
from ..settings import ExtractSettings
from . import estimator
from .run import add_timing, note_event, run_segment

#: Environment variable forcing the helpers' start method (fork, forkserver, spawn).
ENV_START_METHOD = "LUNGE_SCREEN_START_METHOD"

_HELPER: dict = {}  # in a helper: its progress counter
POOL: dict = {}  # in the main process: the helper pool, its size, start method and counter
POOL_LOCK = threading.Lock()


def _helper_init(counter) -> None:
    """Start of a helper process: quiet, one OpenCV thread, MediaPipe imported before any task arrives."""
    _HELPER["events"] = [("helper start", os.getpid(), time.time())]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    os.environ.setdefault("GLOG_minloglevel", "2")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a helper's native log lines would only clutter the terminal
    os.close(devnull)
    cv2.setNumThreads(1)  # every core already runs a process
    _HELPER["counter"] = counter
    with contextlib.suppress(ImportError):
        import mediapipe.tasks.python.vision  # noqa: F401  (paid now, in parallel with the main process)
    _HELPER["events"].append(("helper imported mediapipe", os.getpid(), time.time()))


def _ping() -> int:
    return os.getpid()


def start_method(graph_created: bool = False) -> str:
    """How helper processes are started: ``fork`` when safe, else ``forkserver`` (or ``spawn``).

    ``fork`` copies this process, so helpers need not import anything again; it is
    used on Linux only while this process has created no MediaPipe graph (whose
    threads could hold locks at the fork) and runs a single Python thread. The
    environment variable ``LUNGE_SCREEN_START_METHOD`` overrides the choice.
    """
    methods = multiprocessing.get_all_start_methods()
    forced = os.environ.get(ENV_START_METHOD, "").strip().lower()
    if forced in methods:
        return forced
    if "fork" in methods and sys.platform.startswith("linux") and not graph_created:
        if threading.active_count() == 1:
            return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def helper_pool(n: int, graph_created: bool, initializer=None) -> tuple[ProcessPoolExecutor, object]:
    """The process-wide pool of ``n`` (or more) helpers, started now if not running; and its counter."""
    pool = POOL.get("executor")
    if pool is not None and POOL["size"] >= n and not getattr(pool, "_broken", False):
        return pool, POOL["counter"]
    shutdown_workers()
    method = start_method(graph_created)
    if method == "fork":  # import MediaPipe once, here: forked helpers inherit it (it starts no thread)
        with contextlib.suppress(ImportError):
            import mediapipe.tasks.python.vision  # noqa: F401
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["lunge_screen.pose.parallel", "mediapipe.tasks.python.vision"])
    counter = ctx.Value("q", 0)
    pool = ProcessPoolExecutor(n, mp_context=ctx, initializer=initializer or _helper_init, initargs=(counter,))
    # Start the processes now, so their imports overlap this process's own work. A forked
    # helper starts at the first task; others start one per task waiting.
    with _main_module_hidden(method != "fork"):
        for _ in range(1 if method == "fork" else n):
            pool.submit(_ping)
    POOL.update(executor=pool, size=n, method=method, counter=counter)
    return pool, counter


@contextlib.contextmanager
def _main_module_hidden(hide: bool):
    """Keep ``spawn``/``forkserver`` children from re-running the main script while helpers start.

    multiprocessing re-imports the parent's ``__main__`` in such children (it
    records the script's path), which re-runs a script that lacks an ``if __name__ ==
    "__main__":`` guard and then fails. Helpers only run this module's functions, so
    the script's path is hidden while they are launched.
    """
    main = sys.modules.get("__main__")
    if not hide or main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def shutdown_workers(kill: bool = False) -> None:
    """Stop the helper processes of :func:`extract_landmarks` (they are otherwise kept for the next video)."""
    pool = POOL.pop("executor", None)
    POOL.clear()
    if pool is None:
        return
    if kill:  # idle or abandoned helpers: no need to let them finish
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


# ---- segments in helper processes ---------------------------------------------------------------


def helper_segment(
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
    arrays = run_segment(resolved, settings, video, info, indices, keep_from, tick, timings)
    with counter.get_lock():
        counter.value += pending[0]
    timings["cpu_s"] = time.process_time() - c0
    return arrays, timings


def extract_parallel(plan, tick, timings, pending: dict | None = None) -> list[tuple[np.ndarray, ...]]:
    """First segment here, the others in helper processes; results in segment order."""
    note_event(timings, "helpers requested")
    pool, counter = helper_pool(len(plan.segments) - 1, estimator.GRAPH_CREATED)
    if timings is not None:
        timings["start_method"] = POOL.get("method")
    if pending is not None:
        futures, base = pending["futures"], pending["base"]
    else:
        base = counter.value
        futures = [
            pool.submit(helper_segment, plan.resolved, plan.settings, plan.video, plan.info, seg, keep)
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
        first = run_segment(plan.resolved, plan.settings, plan.video, plan.info, *plan.segments[0], own_tick, timings)
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
                arrays = run_segment(plan.resolved, plan.settings, plan.video, plan.info, seg, keep, tick, timings)
                helper_timings = {}
            results.append(arrays)
            for key, value in helper_timings.items():
                if key == "events":
                    if timings is not None:
                        timings.setdefault("events", []).extend(value)
                else:
                    add_timing(timings, "helper_cpu_s" if key == "cpu_s" else key, value)
        return results
    except BaseException:
        for fut in futures:
            fut.cancel()
        if not all(f.done() for f in futures):
            shutdown_workers(kill=True)  # interrupted or failed: do not leave helpers busy
        raise
