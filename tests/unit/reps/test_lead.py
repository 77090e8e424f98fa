"""The lead leg at a bottom frame (reps/lead.py)."""

import numpy as np
import pytest

from lunge_screen.reps.lead import lead_leg
from lunge_screen.settings import RepSettings
from lunge_screen.track.series import L_ANKLE, L_KNEE, R_ANKLE, R_KNEE, PersonTrack

LEG_PX = 400.0


def _frame(left_knee_y, right_knee_y, left_ankle_y=900.0, right_ankle_y=900.0) -> PersonTrack:
    image = np.full((1, 33, 3), np.nan)
    for j, x, y in ((L_KNEE, 560, left_knee_y), (R_KNEE, 440, right_knee_y), (L_ANKLE, 560, left_ankle_y),
                    (R_ANKLE, 440, right_ankle_y)):  # fmt: skip
        image[0, j] = (x, y, 0)
    return PersonTrack(np.zeros(1), np.zeros(1, int), image, np.full((1, 33, 3), np.nan), np.ones((1, 33)), 1000, 1000)


def test_the_leg_whose_knee_stays_high_leads():
    # The right knee dropped toward the floor by a full score's worth of leg lengths: the left leads, surely.
    lead, conf = lead_leg(_frame(600, 600 + 0.3 * LEG_PX), 0, frontal=False, leg_px=LEG_PX)
    assert lead == "left" and conf == pytest.approx(1.0)
    lead, conf = lead_leg(_frame(600 + 0.15 * LEG_PX, 600), 0, frontal=False, leg_px=LEG_PX)
    assert lead == "right" and conf == pytest.approx(0.5)


def test_knees_at_one_height_are_a_squat():
    lead, conf = lead_leg(_frame(600, 600), 0, frontal=True, leg_px=LEG_PX)
    assert lead == "both" and conf == pytest.approx(1.0)


def test_in_a_frontal_view_a_stronger_foot_cue_overrides_the_knees():
    # Knees say left (weakly); the right foot is far lower in the image (nearer the camera): right leads.
    track = _frame(600, 600 + 0.12 * LEG_PX, left_ankle_y=700, right_ankle_y=700 + 0.3 * LEG_PX)
    assert lead_leg(track, 0, frontal=True, leg_px=LEG_PX)[0] == "right"
    assert lead_leg(track, 0, frontal=False, leg_px=LEG_PX)[0] == "left"


def test_no_knee_or_no_leg_length_is_unknown():
    assert lead_leg(_frame(np.nan, 600), 0, frontal=True, leg_px=LEG_PX) == ("unknown", 0.0)
    assert lead_leg(_frame(600, 700), 0, frontal=True, leg_px=float("nan")) == ("unknown", 0.0)


def test_the_squat_gap_is_a_setting():
    track = _frame(600, 600 + 0.15 * LEG_PX)
    assert lead_leg(track, 0, frontal=False, leg_px=LEG_PX)[0] == "left"
    assert lead_leg(track, 0, frontal=False, leg_px=LEG_PX, settings=RepSettings(bilateral_knee_gap=0.2))[0] == "both"
