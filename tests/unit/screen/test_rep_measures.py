"""Sustained peaks (screen/rep_measures.py)."""

import numpy as np
import pytest

from lunge_screen.screen.rep_measures import finite_or_none, sustained_peak

TIME = np.arange(30) / 30.0  # 30 fps


def test_a_one_frame_spike_is_not_a_peak():
    x = np.zeros(30)
    x[10] = 1.0
    assert sustained_peak(x, np.ones(30, bool), TIME, 0.2) == pytest.approx(0.0)


def test_a_value_held_long_enough_is_the_peak():
    x = np.zeros(30)
    x[10:17] = 0.5  # 7 frames, longer than 0.2 s
    assert sustained_peak(x, np.ones(30, bool), TIME, 0.2) == pytest.approx(0.5)


def test_only_masked_frames_count():
    x = np.zeros(30)
    x[10:17] = 0.5
    mask = np.zeros(30, bool)
    mask[20:] = True
    assert sustained_peak(x, mask, TIME, 0.2) == pytest.approx(0.0)
    assert np.isnan(sustained_peak(x, np.zeros(30, bool), TIME, 0.2))


def test_finite_or_none():
    assert finite_or_none(np.float32(1.5)) == 1.5 and finite_or_none(np.nan) is None and finite_or_none(None) is None


@pytest.mark.parametrize("fps", [18.0, 25.0, 30.0, 60.0, 240.0])
def test_the_peak_is_what_the_knee_holds_for_0_2_s_at_any_frame_rate(fps):
    """README: the sustained peak is held for >= 0.2 s. 0.12 s inward does not count; 0.3 s does."""
    from lunge_screen.settings import AnalysisSettings

    held_for = AnalysisSettings().sustained_s
    assert held_for == 0.2
    t = np.arange(0, 2, 1 / fps)
    for held, expected in ((0.12, 0.1), (0.3, 0.5)):
        x = np.full(t.shape, 0.1)
        x[(t >= 0.5) & (t < 0.5 + held)] = 0.5
        assert sustained_peak(x, np.ones(t.shape, bool), t, held_for) == pytest.approx(expected), (fps, held)
