"""The left-right comparison (screen/asymmetry.py): bootstrap interval, SDD, and when it is not judged."""

import pytest
from screen_reps import T, lunges

from lunge_screen.screen.asymmetry import asymmetries, bootstrap_interval, compare
from lunge_screen.settings import AsymmetrySettings

A = AsymmetrySettings()


def _kof(reps):
    return next(a for a in asymmetries(reps, T, A) if a.measure == "knee_over_foot_peak")


def test_the_bootstrap_is_deterministic_and_follows_its_seed():
    left, right = [0.21, 0.25, 0.32, 0.18, 0.27, 0.11, 0.36], [0.02, 0.10, -0.03, 0.06, 0.01, 0.14, -0.08]
    first = bootstrap_interval(left, right, 2000, 0.95, seed=0)
    assert first[0] < 0.23 < first[1]  # it brackets the difference of medians (0.25 - 0.02)
    for n in (2000, 37):  # with few resamples chance would show at once
        assert all(bootstrap_interval(left, right, n, 0.95, seed=0) == bootstrap_interval(left, right, n, 0.95, seed=0)
                   for _ in range(5))  # fmt: skip
    others = {bootstrap_interval(left, right, 37, 0.95, seed=s) for s in range(5)}
    assert len(others) > 1  # another seed, another (close) interval


def test_one_rep_on_a_leg_is_not_judged():
    a = _kof(lunges([0.70], [0.02, 0.03, 0.01]))
    assert not a.judged and not a.detected and a.worse_leg is None
    assert a.difference is None and a.interval_low is None
    assert "left 1" in a.not_judged_reason and "at least 3" in a.not_judged_reason
    assert (a.n_left, a.n_right) == (1, 3)


def test_a_difference_beyond_the_sdd_and_the_noise_is_detected():
    a = _kof(lunges([0.25, 0.28, 0.30], [0.02, 0.04, 0.00]))
    assert a.judged and a.exceeds_sdd and a.detected and a.worse_leg == "left"
    assert a.difference == pytest.approx(0.28 - 0.02)
    assert 0 < a.interval_low <= a.difference <= a.interval_high
    mirrored = _kof(lunges([0.02, 0.04, 0.00], [0.25, 0.28, 0.30]))
    assert mirrored.detected and mirrored.worse_leg == "right" and mirrored.interval_high < 0


def test_a_large_difference_within_the_clip_s_noise_is_not_detected():
    # medians differ by 0.25 > SDD, but one right rep sits among the left ones: no separation with 3 reps
    a = _kof(lunges([0.30, 0.31, 0.32], [0.00, 0.06, 0.35]))
    assert a.exceeds_sdd and not a.detected and a.worse_leg is None
    assert a.interval_low <= 0 <= a.interval_high


def test_a_clean_separation_smaller_than_the_sdd_is_not_detected():
    a = _kof(lunges([0.15, 0.16, 0.17], [0.08, 0.09, 0.10]))
    assert a.interval_low > 0 and not a.exceeds_sdd and not a.detected


def test_poor_reps_are_left_out_of_the_comparison():
    reps = lunges([0.25, 0.28, 0.30, 0.05], [0.02, 0.04, 0.00], grades={"left": ["poor", "poor", "good", "good"]})
    a = _kof(reps)
    assert a.n_left == 2 and not a.judged


def test_compare_takes_the_sdd_it_is_given():
    a = compare("fppa_deg", [12.0, 14.0, 13.0], [2.0, 3.0, 1.0], 8.0, T, A)
    assert a.detected and a.sdd == 8.0
    assert not compare("fppa_deg", [12.0, 14.0, 13.0], [2.0, 3.0, 1.0], 12.0, T, A).detected
