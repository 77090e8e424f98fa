"""Signal cleaning: cut-offs in Hz hold from 18 to 240 fps, gaps and outliers are handled honestly."""

import numpy as np
import pytest

from lunge_screen.track import signals


@pytest.mark.parametrize("fps", [18.0, 30.0, 60.0, 240.0])
def test_lowpass_keeps_movement_and_removes_jitter_at_any_frame_rate(fps):
    t = np.arange(0, 6, 1 / fps)
    slow = np.sin(2 * np.pi * 0.8 * t)  # a lunge is ~0.5-1 Hz
    fast = 0.3 * np.sin(2 * np.pi * min(15.0, 0.45 * fps) * t)
    y = signals.lowpass(slow + fast, t, cutoff_hz=6.0)
    core = slice(len(t) // 6, -len(t) // 6)
    assert np.max(np.abs(fast[core])) > 0.25  # the jitter is there to be removed (a do-nothing filter fails)
    assert np.max(np.abs(y[core] - slow[core])) < 0.05  # at 18 fps too: the jitter is at 8.1 Hz, above 6 Hz


def test_hampel_removes_a_spike_and_keeps_the_rest():
    t = np.arange(0, 3, 1 / 30)
    x = np.sin(2 * np.pi * 0.5 * t)
    x[40] += 5.0
    y = signals.hampel(x, t, 0.25, 4.0)
    assert np.isnan(y[40])
    assert np.isfinite(np.delete(y, 40)).all()


def test_fill_gaps_fills_short_gaps_only():
    t = np.arange(0, 2, 0.1)
    x = t.copy()
    x[3:5] = np.nan  # 0.3 s between valid samples 2 and 5
    x[10:16] = np.nan  # 0.7 s
    y = signals.fill_gaps(x, t, max_gap_s=0.35)
    assert np.allclose(y[3:5], t[3:5])
    assert np.isnan(y[10:16]).all()


def test_ends_are_never_extrapolated():
    t = np.arange(0, 1, 0.1)
    x = t.copy()
    x[:2] = np.nan
    assert np.isnan(signals.fill_gaps(x, t, 1.0)[:2]).all()


def test_all_missing_stays_missing():
    t = np.arange(0, 1, 0.05)
    assert np.isnan(signals.clean_signal(np.full_like(t, np.nan), t)).all()


def test_runs():
    assert signals.runs(np.array([0, 1, 1, 0, 1], bool)) == [(1, 3), (4, 5)]
