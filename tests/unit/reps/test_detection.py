"""Rep detection on synthetic lunges with known timing (reps/detection.py).

The synthetic person's truth is known: one rep per entry of ``leads``, its bottom half-way
through each ``rep_s`` window after ``rest_s`` standing. Transformed copies (mirror, frame
rate, dropped frames, size in the image, a slow zoom) must give the same reps.
"""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.reps.detection import find_reps
from lunge_screen.settings import RepSettings
from lunge_screen.track.subject import choose_subject

LEADS = ["left", "right", "left"]
REST, REP = 1.0, 2.4
BOTTOMS = [REST + REP / 2 + k * (REST + REP) for k in range(len(LEADS))]


def _reps(settings=RepSettings(), cut_times=None, **kw):
    track = choose_subject(lunge_series(LEADS, rest_s=REST, rep_s=REP, **kw))[0]
    reps, _ = find_reps(track, settings, cut_times)
    return track, reps


def _bottoms(track, reps):
    return [float(track.time[r.bottom]) for r in reps]


def test_one_rep_per_lunge_with_its_lead_leg_and_bottom():
    track, reps = _reps()
    assert [r.lead for r in reps] == LEADS
    assert [r.kind for r in reps] == ["lunge"] * 3
    assert np.allclose(_bottoms(track, reps), BOTTOMS, atol=0.1)
    assert all(r.start < r.bottom < r.end for r in reps)


def test_squats_are_both_legs():
    track = choose_subject(lunge_series(["both", "both"]))[0]
    reps, _ = find_reps(track)
    assert [(r.kind, r.lead) for r in reps] == [("squat", "both")] * 2


def test_a_mirrored_video_gives_the_other_leg_on_every_rep():
    _, reps = _reps(mirror=True)
    assert [r.lead for r in reps] == ["right", "left", "right"]


@pytest.mark.parametrize("fps", [18.0, 60.0, 240.0])
def test_any_frame_rate_gives_the_same_reps_at_the_same_times(fps):
    track, reps = _reps(fps=fps)
    assert [r.lead for r in reps] == LEADS
    assert np.allclose(_bottoms(track, reps), BOTTOMS, atol=0.15)


def test_every_third_frame_dropped_gives_the_same_reps():
    track = choose_subject(lunge_series(LEADS, rest_s=REST, rep_s=REP))[0]
    keep = np.arange(track.n_frames) % 3 != 2
    vfr = type(track)(track.time[keep], track.frame_index[keep], track.image[keep], track.world[keep],
                      track.visibility[keep], track.width, track.height)  # fmt: skip
    reps, _ = find_reps(vfr)
    assert [r.lead for r in reps] == LEADS
    assert np.allclose(_bottoms(vfr, reps), BOTTOMS, atol=0.15)


def test_a_slow_zoom_over_the_whole_clip_adds_no_rep():
    track = choose_subject(lunge_series(LEADS, rest_s=REST, rep_s=REP))[0]
    zoom = np.linspace(1.0, 1.6, track.n_frames)[:, None, None]
    centre = np.array([track.width / 2, track.height / 2, 0.0])
    image = (track.image - centre) * zoom + centre  # the image grows; the world landmarks do not change
    zoomed = type(track)(track.time, track.frame_index, image, track.world, track.visibility, track.width,
                         track.height)  # fmt: skip
    reps, _ = find_reps(zoomed)
    assert [r.lead for r in reps] == LEADS


def test_a_rep_whose_bottom_falls_on_a_cut_is_not_counted_and_no_rep_spans_a_cut():
    cut = BOTTOMS[1] + 0.05
    track, reps = _reps(cut_times=[cut])
    assert [r.lead for r in reps] == ["left", "left"]
    assert not any(track.time[r.start] < cut < track.time[r.end] for r in reps)


def test_a_cut_between_reps_changes_nothing():
    _, reps = _reps(cut_times=[BOTTOMS[1] + REP / 2 + REST / 2])
    assert [r.lead for r in reps] == LEADS


def test_a_rep_longer_than_the_limit_is_dropped():
    assert _reps(RepSettings(max_duration_s=0.5))[1] == []


def test_a_minimum_amplitude_above_the_lunges_finds_no_rep():
    assert _reps(RepSettings(min_amplitude=0.9))[1] == []


def _one_cycle(depth: np.ndarray):
    from lunge_screen.reps.cycles import Cycle

    bottom = int(np.argmax(depth))
    return Cycle(0, bottom, len(depth) - 1, float(depth[bottom] - depth[0]), float(depth[bottom] - depth[-1]))


def test_the_bottom_of_a_symmetric_rep_is_its_deepest_point_and_of_a_hold_its_middle():
    from lunge_screen.reps.detection import _bottom_time

    t = np.arange(0, 4, 0.02)
    dip = 0.5 * np.exp(-(((t - 1.7) / 0.4) ** 2))
    assert _bottom_time(dip, t, _one_cycle(dip), 0.4) == pytest.approx(1.7, abs=0.02)
    # a 2 s hold whose depth drifts down by a fifth while the person holds still: the middle of the hold
    hold = np.interp(t, [0.0, 0.8, 1.0, 3.0, 3.2, 4.0], [0.0, 0.45, 0.55, 0.45, 0.3, 0.0])
    assert _bottom_time(hold, t, _one_cycle(hold), 0.4) == pytest.approx(2.0, abs=0.25)


def test_a_shoulder_of_the_descent_that_barely_crosses_the_band_hardly_moves_the_bottom():
    from lunge_screen.reps.detection import _bottom_time

    t = np.arange(0, 4, 0.02)
    rep = 0.35 * np.exp(-(((t - 2.0) / 0.3) ** 2))
    # the same rep with a pause on the way down at 62 % of its depth, just inside the 40 % band
    shoulder = np.maximum(rep, np.interp(t, [0.9, 1.2, 2.0, 2.01], [0.0, 0.62 * 0.35, 0.62 * 0.35, 0.0]))
    plain = _bottom_time(rep, t, _one_cycle(rep), 0.4)
    paused = _bottom_time(shoulder, t, _one_cycle(shoulder), 0.4)
    assert abs(paused - plain) < 0.06  # the band's middle moves by ~0.3 s here
