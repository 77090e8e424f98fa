"""Plausibility gates (screen/gates.py): each fires with its reason, and only beyond its bound."""

import dataclasses

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.pipeline import analyse_series
from lunge_screen.screen import gates
from lunge_screen.settings import ReliabilitySettings
from lunge_screen.track.series import L_KNEE

R = ReliabilitySettings()


def test_a_barely_visible_foot_is_withheld_naming_the_landmark():
    reason = gates.visibility_gate("right", {"knee": 0.98, "ankle": 0.45, "foot tip": 0.46}, R)
    assert "right ankle/foot tip" in reason and "0.45" in reason and "0.50" in reason
    assert gates.visibility_gate("right", {"knee": 0.98, "ankle": 0.5, "foot tip": 0.9}, R) is None
    assert "missing" in gates.visibility_gate("left", {"knee": np.nan, "ankle": 0.9, "foot tip": 0.9}, R)


def test_a_nearly_straight_knee_is_not_the_loaded_knee():
    assert "bent only 16 deg" in gates.flexion_gate("left", 16.0, R)  # a free leg held out straight
    assert "bent only 35 deg" in gates.flexion_gate("left", 35.0, R)  # as MediaPipe reads a straight knee
    assert gates.flexion_gate("left", 43.0, R) is None  # a deep single-leg squat's standing knee
    assert gates.flexion_gate("left", 95.0, R) is None
    assert gates.flexion_gate("left", None, R) is None  # unknown flexion: no evidence either way


def test_a_shank_pointing_at_the_camera_is_withheld():
    assert "foreshortened to 50%" in gates.foreshortening_gate(0.5, R)
    assert gates.foreshortening_gate(0.7, R) is None


@pytest.mark.parametrize("kof", [0.94, -0.94, 0.70, 0.51])
def test_a_knee_beyond_the_anatomical_bound_is_withheld(kof):
    reason = gates.anatomy_gate({"knee_over_foot_bottom": 0.0, "knee_over_foot_peak": kof}, R)
    assert reason.startswith("implausible") and f"{kof:+.2f}" in reason


def test_values_a_person_shows_pass_the_anatomical_bound():
    # the largest values by eye in ../shared: curtsy lunges and the squat clip, about 0.3
    assert gates.anatomy_gate({"knee_over_foot_bottom": -0.34, "knee_over_foot_peak": 0.29}, R) is None
    assert gates.anatomy_gate({"shank_tilt_bottom_deg": 25.0, "shank_tilt_peak_deg": -29.0}, R) is None
    assert "shank tilted -35 deg" in gates.anatomy_gate({"shank_tilt_bottom_deg": -35.0}, R)


def test_the_anatomical_bound_is_the_setting():
    strict = dataclasses.replace(R, max_knee_over_foot=0.3)
    assert gates.anatomy_gate({"knee_over_foot_peak": 0.35}, strict) is not None
    assert gates.anatomy_gate({"knee_over_foot_peak": 0.35}, R) is None


def test_a_knee_on_or_past_the_other_foot_is_withheld():
    assert "past the other foot" in gates.crossing_gate("left", 0.31, 0.28)
    assert gates.crossing_gate("left", 0.27, 0.37) is None  # between its own foot and the other
    assert gates.crossing_gate("right", -0.26, -1.41) is None  # curtsy: knee lateral, other foot further out
    assert gates.crossing_gate("right", -0.5, -0.4) is not None  # lateral past the other foot
    assert gates.crossing_gate("right", 0.1, -0.4) is None  # opposite sides


def test_a_knee_a_whole_shank_beside_the_foot_is_withheld_in_the_pipeline():
    """On a synthetic clip, move the left knee one standing shank length medially in the first rep."""
    leads = ["left", "right"] * 3
    series = lunge_series(leads, {"left": 0.04})
    plain = analyse_series(series)
    w = plain.windows[0]
    shank = plain.standing.shank_px["left"]
    medial = plain.legs["left"].medial[w.bottom]
    series.image[w.start : w.end + 1, 0, L_KNEE, 0] += medial * shank
    moved = analyse_series(series).result
    rep1 = moved.reps[0].legs[0]
    assert rep1.leg == "left" and rep1.category is None
    assert rep1.knee_over_foot_peak is None and rep1.knee_over_foot_bottom is None and rep1.kmd_bottom is None
    assert "implausible" in rep1.withheld_reason or "past the other foot" in rep1.withheld_reason
    # the other reps are untouched and still measured
    assert all(m.measured for r in moved.reps[1:] for m in r.legs)
