"""Where to cut one video into time segments for parallel pose extraction: pure planning.

No MediaPipe here: how many processes pay (:func:`resolve_workers`) and where the
cuts go so the processes finish together (:func:`plan_segments`), from measured
per-frame costs. ``pose.py`` runs the plan.
"""

from __future__ import annotations

import itertools
import os

import numpy as np

from ..io.video import VideoInfo

#: With ``workers="auto"``, every process must get at least this many analysed
#: frames (1.5 s at 30 fps), else fewer processes are used. A forked helper costs
#: ~0.1 s plus its warm-up; measured on 2 cores, two processes already beat one on
#: a 108-frame clip (2.2 s vs 2.8 s whole process; benchmarks/RESULTS.md).
AUTO_MIN_FRAMES_PER_WORKER = 45
#: A segment keeps at least this many seconds (explicit ``workers`` too).
MIN_SEGMENT_S = 1.0


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | str, n_frames: int) -> int:
    """Processes to use for one video: ``workers``, or for ``"auto"`` what pays on this machine.

    ``"auto"`` = the usable cores, but no more than one process per
    :data:`AUTO_MIN_FRAMES_PER_WORKER` analysed frames, because each helper costs
    its start (about 0.1 s when forked) and its warm-up frames.
    """
    if isinstance(workers, str):
        if workers.strip().lower() != "auto":
            raise ValueError(f"workers must be a positive number or 'auto', not {workers!r}")
        return max(1, min(_usable_cores(), n_frames // AUTO_MIN_FRAMES_PER_WORKER))
    if int(workers) < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return int(workers)


# ---- planning: where to cut, balanced in work ------------------------------------------------------

#: Rough one-core costs used only to balance segments (ms per frame; ``benchmarks/RESULTS.md``):
#: inference per model (tight loop, 2-core EPYC), and H.264 decoding per megapixel of frame.
INFERENCE_MS = {"lite": 9.0, "full": 10.5, "heavy": 28.5}
DECODE_MS_PER_MEGAPIXEL = 1.1
#: Seconds the calling process needs, after :func:`prestart`, before its own inference can
#: start when the analysis code is not imported yet (the CLI's case; measured 0.45-0.5 s).
ANALYSIS_IMPORT_S = 0.5


def frame_cost_ms(info: VideoInfo, model_name: str) -> tuple[float, float]:
    """Estimated (decode, whole) one-core cost of analysing one frame of ``info``, in ms."""
    decode = DECODE_MS_PER_MEGAPIXEL * info.width * info.height / 1e6
    return decode, decode + INFERENCE_MS.get(model_name, INFERENCE_MS["full"]) + 0.5


def plan_segments(
    indices: np.ndarray,
    times: np.ndarray,
    n: int,
    warmup: float,
    *,
    keyframes: np.ndarray | None = None,
    decode_share: float = 0.0,
    first_delay: float = 0.0,
) -> list[tuple[np.ndarray, int]]:
    """Cut frame ``indices`` into up to ``n`` consecutive segments with warm-up, balanced in work.

    Returns a list of ``(segment_indices, keep_from)``: each segment after the
    first also holds up to ``warmup`` seconds of frames before ``keep_from``,
    whose results are discarded. Work is counted in analysed frames: a helper's
    segment costs its warm-up frames, plus ``decode_share`` of a frame for each
    frame it must decode and drop between the ``keyframes`` (video frame indices)
    before its warm-up and the warm-up itself, plus its own frames; the first
    segment, run by the calling process, costs ``first_delay`` frames more (how
    much later that process starts). Cuts are placed so the largest segment's
    work is as small as possible. Segments keep at least :data:`MIN_SEGMENT_S`
    seconds, so fewer than ``n`` may be returned.
    """
    indices = np.asarray(indices)
    if n <= 1 or len(indices) < 2:
        return [(indices, int(indices[0]) if len(indices) else 0)]
    t = np.asarray(times, float)[indices]
    dur = float(t[-1] - t[0])
    n = int(max(1, min(n, dur // max(MIN_SEGMENT_S, 2 * warmup))))
    if n == 1:
        return [(indices, int(indices[0]))]
    size = len(indices)
    warm = np.searchsorted(t, t - warmup - 1e-9)  # position where a segment kept from here starts
    start_cost = (np.arange(size) - warm).astype(float)
    if keyframes is not None and len(keyframes) and decode_share > 0:
        kf = np.sort(np.asarray(keyframes, int))
        first_decoded = indices[warm]
        key = kf[np.clip(np.searchsorted(kf, first_decoded, side="right") - 1, 0, None)]
        start_cost += decode_share * np.maximum(first_decoded - key, 0)

    def cuts(limit: float) -> list[int] | None:
        """Greedy: each segment as long as ``limit`` allows; None if ``n`` segments do not cover all."""
        bounds, a = [0], 0
        for k in range(n):
            cost = first_delay if k == 0 else start_cost[a]
            a = max(a + 1, int(np.floor(a + limit - cost)))
            if a >= size:
                return [*bounds, size]
            bounds.append(a)
        return None

    lo, hi = size / n - 1, size + abs(first_delay) + float(start_cost.max()) + 1
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if cuts(mid) else (mid, hi)
    bounds = cuts(hi) or [0, size]
    out = [(indices[warm[a] if k else 0 : b], int(indices[a])) for k, (a, b) in enumerate(itertools.pairwise(bounds))]
    if len(out) > 1 and min(t[b - 1] - t[a] for a, b in itertools.pairwise(bounds)) < MIN_SEGMENT_S:
        return plan_segments(
            indices,
            times,
            len(out) - 1,
            warmup,
            keyframes=keyframes,
            decode_share=decode_share,
            first_delay=first_delay,
        )
    return out
