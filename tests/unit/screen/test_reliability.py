"""Reliability grades (screen/reliability.py): jitter from the data, concerns, the grade and the leg's grade."""

import dataclasses

import numpy as np
import pytest

from lunge_screen.screen.reliability import Evidence, concerns, grade, in_plane_ratio, jitter, leg_grade
from lunge_screen.settings import ReliabilitySettings
from lunge_screen.track.signals import lowpass

R = ReliabilitySettings()
CLEAN = Evidence(visibility=0.97, shank_px=100.0, jitter=0.003, shank_in_plane=0.95, yaw_deg=5.0, fps=30.0)


@pytest.mark.parametrize("fps", [18.0, 30.0, 60.0])
def test_jitter_recovers_the_added_noise_at_any_frame_rate(fps):
    rng = np.random.default_rng(1)
    t = np.arange(0, 4.0, 1 / fps)
    smooth = 0.1 * np.sin(2 * np.pi * 0.5 * t)  # a slow knee movement, well under the 6 Hz cut-off
    raw = smooth + rng.normal(0, 0.02, t.size)
    clean = lowpass(raw, t, 6.0)
    assert jitter(raw, clean, t, 6.0) == pytest.approx(0.02, rel=0.3)


def test_jitter_of_a_smooth_signal_is_near_zero_and_nan_without_data():
    t = np.arange(0, 2.0, 1 / 30)
    x = 0.1 * np.sin(2 * np.pi * 0.5 * t)
    assert jitter(x, lowpass(x, t, 6.0), t, 6.0) < 0.002
    assert np.isnan(jitter(np.full(3, np.nan), np.zeros(3), t[:3], 6.0))


def test_in_plane_ratio_is_the_cosine_of_the_shank_s_tilt_toward_the_camera():
    assert in_plane_ratio(np.array([0.0, -0.42, 0.0]), np.zeros(3)) == pytest.approx(1.0)
    tilt = np.radians(53.13)  # cos = 0.6
    knee = np.array([0.0, -0.42 * np.cos(tilt), -0.42 * np.sin(tilt)])
    assert in_plane_ratio(knee, np.zeros(3)) == pytest.approx(0.6, abs=1e-3)


def test_a_clean_rep_is_good_without_reasons():
    assert concerns(CLEAN, R) == [] and grade([]) == "good"


def test_each_fair_concern_lowers_the_grade_one_step():
    low_fps = dataclasses.replace(CLEAN, fps=18.0)
    found = concerns(low_fps, R)
    assert [c.code for c in found] == ["frame_rate"] and grade(found) == "fair"
    assert "18 frames/s" in found[0].message
    both = concerns(dataclasses.replace(low_fps, yaw_deg=18.0), R)
    assert [c.code for c in both] == ["yaw", "frame_rate"] and grade(both) == "poor"


@pytest.mark.parametrize(
    ("change", "code", "level"),
    [
        ({"jitter": 0.012}, "jitter", "fair"),
        ({"jitter": 0.026}, "jitter", "poor"),
        ({"shank_px": 40.0}, "size", "fair"),
        ({"shank_px": 20.0}, "size", "poor"),
        ({"visibility": 0.7}, "visibility", "fair"),
        ({"shank_in_plane": 0.72}, "foreshortening", "fair"),
        ({"fps": 8.0}, "frame_rate", "poor"),
    ],
)
def test_each_concern_fires_beyond_its_limit(change, code, level):
    found = concerns(dataclasses.replace(CLEAN, **change), R)
    assert [(c.code, c.level) for c in found] == [(code, level)]


def test_unknown_evidence_raises_no_concern():
    assert concerns(Evidence(), R) == []


def test_a_leg_grade_is_what_half_its_reps_reach_with_the_concerns_counted():
    assert leg_grade([], []) == (None, [])
    g, why = leg_grade(["good", "good", "fair"], [[], [], ["yaw"]])
    assert g == "good" and why == ["person turned from the camera on 1 of 3 reps"]
    g, why = leg_grade(["poor", "poor", "good"], [["jitter", "frame_rate"], ["jitter"], []])
    assert g == "poor" and "landmark jitter on 2 of 3 reps" in why and "low frame rate on 1 of 3 reps" in why
