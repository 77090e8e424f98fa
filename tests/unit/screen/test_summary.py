"""Per-leg summaries, asymmetry and the finding (screen/summary.py, screen/finding.py)."""

import pytest

from lunge_screen.results import LegMeasures, Rep
from lunge_screen.screen.finding import finding
from lunge_screen.screen.summary import asymmetries, summarise_leg
from lunge_screen.settings import Thresholds

T = Thresholds()


def _rep(k, lead, kof, category):
    m = LegMeasures(leg=lead, category=category, knee_over_foot_peak=kof, knee_over_foot_bottom=kof)
    return Rep(k, 0, 1, 2, 0.0, 0.1, 0.2, lead, 1.0, 0.3, "frontal", 5.0, legs=[m])


REPS = [
    _rep(1, "left", 0.25, "clearly medial"),
    _rep(2, "right", 0.02, "over foot"),
    _rep(3, "left", 0.15, "slightly medial"),
    _rep(4, "right", 0.04, "over foot"),
]


def test_a_leg_summary_counts_its_own_reps():
    left = summarise_leg("left", REPS, T)
    assert (left.n_reps, left.n_valid, left.n_inward) == (2, 2, 2)
    assert left.knee_over_foot_peak_median == pytest.approx(0.20)
    assert left.rolls_inward
    right = summarise_leg("right", REPS, T)
    assert right.n_inward == 0 and not right.rolls_inward
    assert right.categories["over foot"] == 2


def test_withheld_reps_do_not_count():
    reps = [*REPS[:2], _rep(3, "left", None, None)]
    left = summarise_leg("left", reps, T)
    assert (left.n_reps, left.n_valid) == (2, 1) and not left.rolls_inward  # one rep is too few


def test_asymmetry_against_the_smallest_detectable_difference():
    kof = asymmetries(summarise_leg("left", REPS, T), summarise_leg("right", REPS, T), T)[0]
    assert kof.difference == pytest.approx(0.17) and kof.exceeds_sdd and kof.worse_leg == "left"
    wide = Thresholds(sdd_knee_over_foot=0.2)
    none = asymmetries(summarise_leg("left", REPS, wide), summarise_leg("right", REPS, wide), wide)
    assert not none[0].exceeds_sdd and none[0].worse_leg is None


def test_the_finding_names_the_worse_leg_as_consistent_with_not_a_diagnosis():
    left, right = summarise_leg("left", REPS, T), summarise_leg("right", REPS, T)
    f = finding(left, right, asymmetries(left, right, T), REPS, T, [])
    assert f.pattern == "left" and f.flag
    assert "consistent with left gluteus medius weakness" in f.summary
    assert "diagnos" not in f.summary.lower()


def test_no_measured_rep_is_not_measurable():
    reps = [_rep(1, "left", None, None)]
    left, right = summarise_leg("left", reps, T), summarise_leg("right", reps, T)
    assert finding(left, right, asymmetries(left, right, T), reps, T, []).pattern == "not measurable"
