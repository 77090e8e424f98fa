"""The fast paths give the plain single-stream answer (issue #6).

Tolerance, stated once (checked on the real squat clip, see ``benchmarks/RESULTS.md``):

* landmarks: the same frames, and for the landmarks the analysis uses (shoulders,
  hips, knees, ankles, heels, feet) a median difference of at most
  :data:`MEDIAN_PX` and a 95th percentile of at most :data:`P95_PX` full-frame
  pixels. MediaPipe's tracking turns *any* change of input (even a one-grey-level
  colour conversion difference) into persistent differences of this size, so an
  exact match is not a meaningful requirement;
* findings: the same finding pattern, the same reps with the same lead legs, rep
  bottoms within :data:`BOTTOM_FRAMES` frames, the same category per rep and leg (unless the
  two peaks straddle a category boundary: both within the tolerance of it),
  and knee-over-foot peaks within :data:`KOF_TOL`.

"Plain" is one process, full-size frames; "optimised" is the default downscale
and two or three processes (time segments with warm-up, joined at seams).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from lunge_screen.pose import extract as pose
from lunge_screen.pose import parallel as processes
from lunge_screen.pose.extract import extract_landmarks
from lunge_screen.pose.segments import plan_segments, resolve_workers
from lunge_screen.settings import DEFAULT_WARMUP, ExtractSettings

CLIP = "squat_front_valgus_then_neutral.mp4"
KEY_LANDMARKS = [11, 12, *range(23, 33)]
MEDIAN_PX = 1.0
P95_PX = 3.0
BOTTOM_FRAMES = 2
KOF_TOL = 0.03


@pytest.fixture(scope="module", autouse=True)
def _stop_helpers():
    """Helpers are kept for the next video; do not leave them idling in the rest of the test session."""
    yield
    processes.shutdown_workers()


# ---- segment planning (no video needed) --------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 4])
def test_segments_cover_every_frame_once_in_order(n):
    times = np.arange(600) / 30.0
    indices = np.arange(0, 600, 2)  # a 60 -> 30 fps cap
    segs = plan_segments(indices, times, n, warmup=0.5)
    assert len(segs) == n
    kept = np.concatenate([seg[seg >= keep] for seg, keep in segs])
    assert np.array_equal(kept, indices)
    assert segs[0][0][0] == indices[0] and segs[0][1] == indices[0]  # the first segment needs no warm-up
    for seg, keep in segs[1:]:
        warm = times[seg[seg < keep]]
        assert len(warm) > 0 and times[keep] - warm[0] <= 0.5 + 1e-9
    sizes = [len(seg) for seg, _ in segs]  # frames each process analyses, warm-up included
    assert max(sizes) - min(sizes) <= 2


def test_segments_balance_decoding_from_keyframes_and_a_late_first_process():
    times = np.arange(900) / 30.0
    indices = np.arange(900)
    plain = plan_segments(indices, times, 2, warmup=0.5)
    # Decoding the helper's segment starts at keyframe 300, far before its warm-up: the helper's
    # extra decoding (a third of a frame's cost each here) moves the cut later, to balance.
    keyed = plan_segments(indices, times, 2, warmup=0.5, keyframes=np.array([0, 300, 600]), decode_share=1 / 3)
    helper = keyed[1][0]
    waste = (helper[0] - 300) / 3
    assert keyed[1][1] > plain[1][1]
    assert abs(len(keyed[0][0]) - (len(helper) + waste)) <= 2
    # A first process that starts 60 frames' work late gets about 60 frames fewer.
    late = plan_segments(indices, times, 2, warmup=0.5, first_delay=60)
    assert abs((len(late[1][0]) - len(late[0][0])) - 60) <= 2


def test_short_window_is_not_split():
    times = np.arange(30) / 30.0
    assert len(plan_segments(np.arange(30), times, 4, warmup=0.5)) == 1


def test_auto_workers():
    assert resolve_workers("auto", 40) == 1  # just over a second of video: a helper would not pay
    assert 1 <= resolve_workers("auto", 100_000) <= (os.cpu_count() or 1)
    assert resolve_workers(3, 10) == 3
    with pytest.raises(ValueError):
        resolve_workers("many", 10)
    with pytest.raises(ValueError):
        resolve_workers(0, 10)


# ---- the real clip --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(shared):
    """Plain and optimised extractions of the squat clip (full model)."""
    video = shared / "videos" / CLIP
    out = {
        "plain": extract_landmarks(video, model="full", settings=ExtractSettings(max_side=None), workers=1),
        "one": extract_landmarks(video, model="full", workers=1),
    }
    for n in (2, 3):
        timings: dict = {}
        out[f"workers{n}"] = extract_landmarks(video, model="full", workers=n, timings=timings)
        assert timings["segments"] == n
    return out


def _findings(series):
    from lunge_screen.pipeline import analyse_series

    r = analyse_series(series).result
    reps = []
    for rep in r.reps:
        reps.append((rep.bottom_frame, rep.lead, {m.leg: (m.category, m.knee_over_foot_peak) for m in rep.legs}))
    return r.finding.pattern, reps


@pytest.mark.parametrize("variant", ["one", "workers2", "workers3"])
def test_landmarks_match_the_plain_single_stream(extracted, variant):
    plain, fast = extracted["plain"], extracted[variant]
    assert np.array_equal(fast.frame_index, plain.frame_index)
    assert np.allclose(fast.time, plain.time)
    d = np.linalg.norm(fast.image[:, 0][:, KEY_LANDMARKS, :2] - plain.image[:, 0][:, KEY_LANDMARKS, :2], axis=-1)
    found_plain, found_fast = ~np.isnan(plain.image[:, 0, 23, 0]), ~np.isnan(fast.image[:, 0, 23, 0])
    assert np.mean(found_plain != found_fast) <= 0.01 and found_plain.mean() > 0.95
    assert np.nanmedian(d) <= MEDIAN_PX
    assert np.nanpercentile(d, 95) <= P95_PX


def _near_boundary(a: float, b: float) -> bool:
    """A category boundary (lunge_screen.settings.Thresholds) lies between two knee-over-foot values."""
    from lunge_screen.settings import Thresholds

    t = Thresholds()
    bounds = (t.over_foot_max, t.clearly_medial_min, t.lateral_max)
    return any(min(a, b) <= x <= max(a, b) for x in bounds)


@pytest.mark.parametrize("variant", ["one", "workers2", "workers3"])
def test_findings_match_the_plain_single_stream(extracted, variant):
    pattern_a, reps_a = _findings(extracted["plain"])
    pattern_b, reps_b = _findings(extracted[variant])
    assert pattern_a == pattern_b
    assert len(reps_a) == len(reps_b) >= 5
    for (bottom_a, lead_a, legs_a), (bottom_b, lead_b, legs_b) in zip(reps_a, reps_b):
        assert lead_a == lead_b
        assert abs(bottom_a - bottom_b) <= BOTTOM_FRAMES
        assert legs_a.keys() == legs_b.keys()
        for leg, (cat_a, kof_a) in legs_a.items():
            cat_b, kof_b = legs_b[leg]
            assert (kof_a is None) == (kof_b is None)
            if kof_a is not None:
                assert abs(kof_a - kof_b) <= KOF_TOL
                # the same category, unless the two values straddle a category boundary within the tolerance
                assert cat_a == cat_b or _near_boundary(kof_a, kof_b), (leg, cat_a, cat_b, kof_a, kof_b)


def test_seams_change_only_what_segments_change(extracted):
    """The split itself (same frames and sizes, 1 vs 2 processes) stays within the same tolerance."""
    one, two = extracted["one"], extracted["workers2"]
    d = np.linalg.norm(two.image[:, 0][:, KEY_LANDMARKS, :2] - one.image[:, 0][:, KEY_LANDMARKS, :2], axis=-1)
    first_segment = two.frame_index < plan_segments(two.frame_index, two.time, 2, DEFAULT_WARMUP)[1][1]
    assert np.nanmax(d[first_segment]) == 0  # the part this process ran is bit-identical
    assert np.nanmedian(d) <= MEDIAN_PX
    assert (
        np.array_equal(one.frame_change, two.frame_change, equal_nan=True)
        or np.nanmax(np.abs(one.frame_change - two.frame_change)) < 1e-4
    )


def test_helpers_are_kept_for_the_next_video(extracted, shared):
    """Imports and start-up are paid once per process: a second video reuses the same helpers."""
    pids = {p.pid for p in processes.POOL["executor"]._processes.values()}
    extract_landmarks(shared / "videos" / CLIP, model="full", workers=2, settings=ExtractSettings(end=6.0))
    assert {p.pid for p in processes.POOL["executor"]._processes.values()} == pids


# ---- scripts without a main guard, whichever way helpers start -----------------------------------


@pytest.mark.parametrize("method", ["auto", "forkserver"])
def test_a_script_without_main_guard_works(shared, tmp_path, method):
    script = tmp_path / "no_guard.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import warnings
            warnings.filterwarnings("error", message="a helper process died")  # no silent fallback
            import lunge_screen.pose.extract as pose
            timings = {{}}
            s = pose.extract_landmarks({str(shared / "videos" / CLIP)!r}, model="full", workers=2,
                                       settings=pose.ExtractSettings(end=8.0), timings=timings)
            print("RESULT", s.n_frames, timings["segments"], timings["start_method"])
            """
        )
    )
    env = dict(os.environ)
    if method != "auto":
        env[processes.ENV_START_METHOD] = method
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT")]
    assert len(lines) == 1  # the script body ran once: helpers did not re-run it
    _, n, segments, used = lines[0].split()
    assert int(n) == 241 and int(segments) == 2
    assert used == ("fork" if method == "auto" else method)


def test_an_error_in_a_helper_reaches_the_caller(shared, tmp_path):
    """A helper's exception is raised in the calling process with its type and message."""
    script = tmp_path / "helper_error.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import lunge_screen.pose.extract as pose
            import lunge_screen.pose.parallel as parallel
            from lunge_screen.errors import CorruptVideoError

            real = parallel.run_segment

            def failing(resolved, settings, video, info, indices, keep_from, *rest):
                if keep_from > 0:  # only the helper's segment
                    raise CorruptVideoError("broken in the middle")
                return real(resolved, settings, video, info, indices, keep_from, *rest)

            parallel.run_segment = failing  # forked helpers inherit the patch (the helpers' segment runner)
            try:
                pose.extract_landmarks({str(shared / "videos" / CLIP)!r}, model="full", workers=2,
                                       settings=pose.ExtractSettings(end=4.0))
            except CorruptVideoError as exc:
                print("RAISED", exc)
            """
        )
    )
    env = {**os.environ, processes.ENV_START_METHOD: "fork"}
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert "RAISED broken in the middle" in run.stdout, run.stderr[-2000:]


def test_prestart_hands_its_helpers_to_the_matching_call(extracted, shared):
    video = shared / "videos" / CLIP
    settings = ExtractSettings(end=6.0)
    assert pose.prestart(video, model="full", settings=settings, workers=2)
    timings: dict = {}
    early = extract_landmarks(video, model="full", settings=settings, workers=2, timings=timings)
    assert timings["prestarted"] and timings["segments"] == 2
    again = extract_landmarks(video, model="full", settings=settings, workers=2)
    assert np.array_equal(early.image, again.image, equal_nan=True)  # same plan, same landmarks
    # A prestart nobody claims is dropped by the next, different call.
    assert pose.prestart(video, model="full", settings=settings, workers=2)
    other = extract_landmarks(video, model="full", settings=ExtractSettings(end=4.0), workers=2, timings=timings)
    assert other.n_frames == 121 and not pose._PENDING
