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
