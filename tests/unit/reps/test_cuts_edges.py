"""A cut needs a shot on both sides (reps/cuts.py)."""

import numpy as np

from lunge_screen.reps.cuts import inner_cuts


def test_a_jump_at_the_first_or_last_frames_is_not_a_cut():
    t = np.arange(100) / 30.0
    assert inner_cuts(np.array([1, 50, 98]), t).tolist() == [50]
