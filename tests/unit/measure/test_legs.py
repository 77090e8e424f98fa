"""Per-frame leg measures and the standing reference (measure/legs.py, measure/standing.py)."""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.measure.legs import leg_frames, leg_in_frame
from lunge_screen.measure.standing import level_image, standing_frames, standing_reference
from lunge_screen.reps.signal import rep_signal
from lunge_screen.settings import StandingSettings
from lunge_screen.track.series import L_ANKLE, L_FOOT, L_KNEE, PersonTrack
from lunge_screen.track.subject import choose_subject

SHANK_M, SCALE = 0.42, 800.0  # synth.Body shank, synth.lunge_series pixels per metre


def test_standing_frames_need_straight_knees_and_a_high_pelvis():
    depth = np.array([0.0, 0.01, 0.3, 0.3, 0.0])
    flex = np.array([10.0, 10.0, 90.0, 90.0, 10.0])
    frames, fallback = standing_frames(depth, flex, flex)
    assert frames.tolist() == [0, 1, 4] and not fallback
    frames, fallback = standing_frames(depth, flex, flex, max_flexion=5.0)  # nobody that straight
    assert fallback


def test_standing_lengths_match_the_synthetic_body():
    track = choose_subject(lunge_series(["left", "right"]))[0]
    depth = rep_signal(track).frame_depth
    ref = standing_reference(track, depth)
    assert ref.shank_px["left"] == pytest.approx(SHANK_M * SCALE, rel=0.05)
    assert ref.roll_deg == 0.0


def test_a_known_medial_knee_reads_positive_knee_over_foot():
    track = choose_subject(lunge_series(["left", "left"], {"left": 0.08}))[0]
    depth = rep_signal(track).frame_depth
    ref = standing_reference(track, depth)
    left = leg_frames(track, level_image(track, ref.roll_deg), "left", ref)
    assert np.nanmax(left.knee_over_foot) == pytest.approx(0.08 / SHANK_M, abs=0.02)
    assert np.nanmax(left.knee_over_foot) > 0.1


def test_camera_roll_below_the_setting_is_not_corrected():
    track = choose_subject(lunge_series(["left"], roll_deg=2.0))[0]
    depth = rep_signal(track).frame_depth
    assert standing_reference(track, depth).roll_deg == 0.0
    assert standing_reference(track, depth, StandingSettings(min_roll_deg=1.0)).roll_deg == pytest.approx(2.0, abs=0.5)


def test_a_foot_on_the_frame_border_is_not_in_frame():
    image = np.full((2, 33, 3), 500.0)
    image[1, L_FOOT, 1] = 999.0  # toe on the bottom border of a 1000 px frame
    track = PersonTrack(np.arange(2) / 30, np.arange(2), image, image.copy(), np.ones((2, 33)), 1000, 1000)
    assert leg_in_frame(track, "left").tolist() == [True, False]
    image[0, [L_KNEE, L_ANKLE], 0] = np.nan
    assert not leg_in_frame(track, "left")[0]
