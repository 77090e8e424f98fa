"""Rep detection on synthetic lunges with known timing (reps/detection.py)."""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.reps.detection import find_reps, pelvis_depth
from lunge_screen.settings import RepSettings
from lunge_screen.track.subject import choose_subject

LEADS = ["left", "right", "left"]


def _track(leads=LEADS, **kw):
    return choose_subject(lunge_series(leads, **kw))[0]


def test_pelvis_depth_is_zero_standing_and_deep_at_a_lunge_bottom():
    depth, _ = pelvis_depth(_track())
    assert np.nanmin(depth) == pytest.approx(0.0, abs=0.01)
    assert 0.2 < np.nanmax(depth) < 0.6


def test_one_rep_per_lunge_with_its_lead_leg():
    reps = find_reps(_track())
    assert [r.lead for r in reps] == LEADS
    assert all(r.start < r.bottom < r.end for r in reps)


def test_reps_are_found_from_a_given_depth_the_same_as_computed_here():
    track = _track()
    depth, _ = pelvis_depth(track)
    assert find_reps(track, depth=depth) == find_reps(track)


def test_a_minimum_depth_above_the_lunges_finds_no_rep():
    assert find_reps(_track(), RepSettings(min_depth=0.9)) == []


def test_a_rep_longer_than_the_limit_is_dropped():
    assert find_reps(_track(), RepSettings(max_duration_s=0.5)) == []
