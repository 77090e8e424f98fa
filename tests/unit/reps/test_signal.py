"""The body-relative rep signal and its uniform time base (reps/signal.py)."""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.reps.signal import rep_signal, resample_uniform, uniform_grid, upright_world
from lunge_screen.track.subject import choose_subject


def _track(**kw):
    return choose_subject(lunge_series(["left", "right"], **kw))[0]


def test_resampling_bridges_short_gaps_and_keeps_long_ones_missing():
    t = np.array([0.0, 0.1, 0.2, 0.9, 1.0])
    x = np.array([0.0, 1.0, 2.0, 9.0, 10.0])
    grid = uniform_grid(t, 10.0)
    y = resample_uniform(x, t, grid, max_gap_s=0.25)
    assert y[1] == pytest.approx(1.0)
    assert np.isnan(y[5])  # inside the 0.7 s gap
    assert y[-1] == pytest.approx(10.0)


def test_depth_is_zero_at_the_top_and_deep_at_a_lunge_bottom():
    sig = rep_signal(_track())
    assert np.nanmin(sig.depth) == pytest.approx(0.0, abs=0.02)
    assert 0.25 < np.nanmax(sig.depth) < 0.6  # a 0.36 m drop of a ~0.9 m leg


def test_depth_does_not_change_with_the_persons_size_in_the_image():
    near = rep_signal(_track(scale=1600.0))
    far = rep_signal(_track(scale=300.0))
    assert np.allclose(near.depth, far.depth, equal_nan=True, atol=1e-6)


def test_dropped_frames_give_the_same_grid_signal():
    full = _track()
    keep = np.arange(full.n_frames) % 3 != 2
    sub = type(full)(full.time[keep], full.frame_index[keep], full.image[keep], full.world[keep],
                     full.visibility[keep], full.width, full.height)  # fmt: skip
    a, b = rep_signal(full), rep_signal(sub)
    n = min(len(a.t), len(b.t))
    assert np.allclose(a.t[:n], b.t[:n])
    assert np.nanmax(np.abs(a.depth[:n] - b.depth[:n])) < 0.01


def test_a_camera_pitched_down_is_undone_from_the_standing_frames():
    track = _track()
    pitch = np.deg2rad(30)
    rot = np.array([[1, 0, 0], [0, np.cos(pitch), -np.sin(pitch)], [0, np.sin(pitch), np.cos(pitch)]])
    tilted = track.world @ rot.T
    up = upright_world(tilted, straight_deg=35.0, close_feet=0.4)
    assert np.allclose(up[..., 1], track.world[..., 1], atol=0.02, equal_nan=True)
