"""The whole analysis on synthetic lunges whose truth is known exactly (no video, no model)."""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.pipeline import analyse_series
from lunge_screen.results import SessionResult

LEADS = ["left", "right"] * 3  # 3 per leg: min_reps_per_leg
SHANK = 0.42  # metres, synth.Body default


def _kof(result, leg):
    return [m.knee_over_foot_peak for r in result.reps for m in r.legs if m.leg == leg]


def test_reps_leads_and_a_known_medial_knee():
    result = analyse_series(lunge_series(LEADS, {"left": 0.08})).result
    assert [r.lead for r in result.reps] == LEADS
    assert all(r.view == "frontal" for r in result.reps)
    assert _kof(result, "left") == pytest.approx([0.08 / SHANK] * 3, abs=0.01)
    assert _kof(result, "right") == pytest.approx([0.0] * 3, abs=0.01)
    assert result.legs["left"].rolls_inward and not result.legs["right"].rolls_inward
    assert result.finding.pattern == "left" and result.finding.flag
    assert "consistent with left gluteus medius weakness" in result.finding.summary
    assert "diagnos" not in result.finding.summary.lower()


@pytest.mark.parametrize("stance_half", [0.0, 0.05, 0.10, 0.20])
def test_knee_over_foot_does_not_depend_on_stance_width_but_kmd_does(stance_half):
    result = analyse_series(lunge_series(["left", "left"], {"left": 0.06}, stance_half=stance_half)).result
    assert _kof(result, "left") == pytest.approx([0.06 / SHANK] * 2, abs=0.01)


def test_kmd_carries_the_stance_width_offset():
    narrow = analyse_series(lunge_series(["left"], {"left": 0.06}, stance_half=0.0)).result
    wide = analyse_series(lunge_series(["left"], {"left": 0.06}, stance_half=0.2)).result
    assert abs(narrow.reps[0].legs[0].kmd_change_bottom - wide.reps[0].legs[0].kmd_change_bottom) > 0.03


def test_a_mirrored_video_swaps_left_and_right_exactly():
    plain = analyse_series(lunge_series(LEADS, {"left": 0.08})).result
    mirrored = analyse_series(lunge_series(LEADS, {"left": 0.08}, mirror=True)).result
    swap = {"left": "right", "right": "left"}
    assert [swap[r.lead] for r in plain.reps] == [r.lead for r in mirrored.reps]
    assert _kof(plain, "left") == pytest.approx(_kof(mirrored, "right"), abs=1e-6)
    assert mirrored.finding.pattern == "right"


@pytest.mark.parametrize("roll", [-12.0, 6.0, 10.0])
def test_camera_roll_does_not_change_the_result(roll):
    plain = analyse_series(lunge_series(LEADS, {"left": 0.08})).result
    rolled = analyse_series(lunge_series(LEADS, {"left": 0.08}, roll_deg=roll)).result
    assert [r.lead for r in rolled.reps] == [r.lead for r in plain.reps]
    assert _kof(rolled, "left") == pytest.approx(_kof(plain, "left"), abs=0.01)
    assert any(w.code == "camera_roll" for w in rolled.warnings)


def test_rear_view_keeps_the_medial_sign():
    rear = analyse_series(lunge_series(LEADS, {"left": 0.08}, facing=-1)).result
    assert rear.facing == "away"
    assert all(r.view == "rear" for r in rear.reps)
    assert [r.lead for r in rear.reps] == LEADS
    assert _kof(rear, "left") == pytest.approx([0.08 / SHANK] * 3, abs=0.01)
    assert rear.finding.pattern == "left"


def test_squats_assess_both_knees():
    result = analyse_series(lunge_series(["both"] * 3, {"left": 0.1, "right": 0.1}, drop=0.4)).result
    assert [r.lead for r in result.reps] == ["both"] * 3
    assert all({m.leg for m in r.legs} == {"left", "right"} for r in result.reps)
    assert result.finding.pattern == "bilateral"


def test_standing_still_finds_no_reps():
    result = analyse_series(lunge_series([], rest_s=5.0)).result
    assert result.reps == []
    assert result.finding.pattern == "not measurable"
    assert result.finding.summary.startswith("No measurable")


def test_thresholds_change_the_categories():
    series = lunge_series(LEADS, {"left": 0.08})
    from lunge_screen.api import make_settings

    strict = analyse_series(series, make_settings({"over_foot_max": 0.25, "clearly_medial_min": 0.4})).result
    assert all(m.category == "over foot" for r in strict.reps for m in r.legs)
    assert strict.finding.pattern == "none"


def test_session_json_round_trips_without_loss():
    result = analyse_series(lunge_series(LEADS, {"left": 0.08})).result
    assert len(result.reps) == len(LEADS) and result.asymmetry and result.warnings is not None  # a full result
    again = SessionResult.from_json(result.to_json())
    assert again == result  # every field of the original, compared as dataclasses (floats exactly)
    assert again.reps[0].legs[0] == result.reps[0].legs[0] and again.finding == result.finding
    assert again.legs == result.legs and again.asymmetry == result.asymmetry


def test_frame_table_has_one_row_per_frame():
    series = lunge_series(["left"])
    a = analyse_series(series)
    table = a.frame_table()
    assert {len(v) for v in table.values()} == {series.n_frames}
    assert np.nanmax(table["rep"]) == 1


@pytest.mark.parametrize(
    ("medial", "exceeds", "worse"),
    [({"left": 0.08}, True, "left"), ({"right": 0.08}, True, "right"), ({"left": 0.08, "right": 0.06}, False, None)],
)
def test_knee_asymmetry_is_left_minus_right_against_the_sdd(medial, exceeds, worse):
    """Truth: the knee-over-foot peak is medial displacement / shank (0.08 m -> 0.19, 0.06 m -> 0.14)."""
    result = analyse_series(lunge_series(LEADS, medial)).result
    kof = next(a for a in result.asymmetry if a.measure == "knee_over_foot_peak")
    left, right = medial.get("left", 0.0) / SHANK, medial.get("right", 0.0) / SHANK
    assert (kof.left, kof.right) == (pytest.approx(left, abs=0.01), pytest.approx(right, abs=0.01))
    assert kof.difference == pytest.approx(left - right, abs=0.015)
    assert kof.sdd == 0.10 and kof.exceeds_sdd is exceeds and kof.worse_leg == worse
    fppa = next(a for a in result.asymmetry if a.measure == "fppa_deg")
    assert fppa.sdd == 8.0
    if fppa.left is None or fppa.right is None:  # FPPA withheld on a leg: no difference, never "exceeds"
        assert fppa.difference is None and not fppa.exceeds_sdd and fppa.worse_leg is None
    else:
        assert fppa.difference == pytest.approx(fppa.left - fppa.right)
    assert [a.measure for a in SessionResult.from_json(result.to_json()).asymmetry] == [
        "knee_over_foot_peak",
        "fppa_deg",
    ]
