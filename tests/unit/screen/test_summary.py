"""Per-leg summaries (screen/summary.py): reliable reps only, and the leg's judgement."""

import pytest
from screen_reps import T, lunges, rep, withheld

from lunge_screen.screen.summary import summarise_leg


def test_a_leg_summary_counts_its_own_reliable_reps():
    reps = lunges([0.25, 0.15, 0.22], [0.02, 0.04, -0.15])
    left = summarise_leg("left", reps, T)
    assert (left.n_reps, left.n_valid, left.n_reliable, left.n_inward) == (3, 3, 3, 3)
    assert left.knee_over_foot_peak_median == pytest.approx(0.22)
    assert left.judgement == "inward" and left.rolls_inward
    assert left.inward_reps == [1, 2, 3] == left.reliable_reps
    right = summarise_leg("right", reps, T)
    assert right.judgement == "not inward" and not right.rolls_inward
    assert right.categories["over foot"] == 2 and right.categories["lateral"] == 1
    assert right.reliability == "good" and right.reliability_reasons == []


def test_poor_reps_are_listed_but_not_counted():
    reps = lunges([0.02, 0.03, 0.01, 0.30], [], grades={"left": ["good", "good", "good", "poor"]})
    left = summarise_leg("left", reps, T)
    assert (left.n_valid, left.n_reliable, left.n_inward) == (4, 3, 0)
    assert left.judgement == "not inward" and left.categories["clearly medial"] == 0
    assert left.knee_over_foot_peak_median == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("reps", "judgement"),
    [
        ([], "not tested"),
        ([rep(1, withheld("left")), rep(2, withheld("left"))], "not measured"),
        (lunges([0.3, 0.3], []), "too few reps"),
        (lunges([0.3, 0.3, 0.3], [], grades={"left": ["poor", "poor", "good"]}), "unreliable"),
        (lunges([0.3, 0.3, 0.0], []), "inward"),
        (lunges([0.3, 0.0, 0.0], []), "mixed"),
        (lunges([0.3, 0.3, 0.0, 0.0], []), "mixed"),  # half is not "more than half"
        (lunges([0.0, 0.05, -0.2], []), "not inward"),
    ],
)
def test_each_judgement(reps, judgement):
    assert summarise_leg("left", reps, T).judgement == judgement


def test_the_leg_grade_and_its_reasons_come_from_the_reps():
    reps = lunges([0.0, 0.0, 0.0, 0.0], [], grades={"left": ["poor", "poor", "poor", "good"]})
    left = summarise_leg("left", reps, T)
    assert left.reliability == "poor" and left.reliability_reasons == ["landmark jitter on 3 of 4 reps"]
