"""Edit cuts (reps/cuts.py)."""

import numpy as np

from lunge_screen.reps.cuts import find_cuts, split_by_cuts
from lunge_screen.reps.detection import RepWindow
from lunge_screen.settings import CutSettings


def test_a_jump_far_above_the_typical_change_is_a_cut():
    change = np.array([np.nan, 1.0, 1.2, 0.9, 40.0, 1.1, 1.0])
    assert find_cuts(change).tolist() == [4]


def test_a_small_jump_in_a_still_clip_is_not_a_cut():
    change = np.array([np.nan, 0.1, 0.1, 3.0, 0.1])  # 30x the median but below min_jump
    assert find_cuts(change).tolist() == []
    assert find_cuts(change, CutSettings(min_jump=2.0)).tolist() == [3]


def test_no_change_data_means_no_cuts():
    assert find_cuts(np.full(5, np.nan)).size == 0


def test_a_rep_with_a_cut_inside_is_set_apart():
    a, b = RepWindow(0, 5, 10, "left", 0.3, 1.0), RepWindow(20, 25, 30, "right", 0.3, 1.0)
    kept, interrupted = split_by_cuts([a, b], np.array([22]))
    assert kept == [a] and interrupted == [b]
    assert split_by_cuts([a, b], np.array([20]))[1] == []  # a cut at the first frame does not interrupt
