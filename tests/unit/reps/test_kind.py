"""Movement kind and working leg from the cues at the bottom (reps/kind.py)."""

import numpy as np

from lunge_screen.reps.kind import BottomCues, classify_rep, lifted_foot, reaching_foot


def _cues(
    kh=(0.5, 0.5), clear=(0.0, 0.0), flex=(90.0, 90.0), width=0.3, motion=(0.05, 0.05), rise=(np.nan, np.nan)
) -> BottomCues:
    pair = lambda v: {"left": v[0], "right": v[1]}  # noqa: E731
    return BottomCues(pair(kh), pair(clear), pair(flex), width, pair(motion), pair(rise))


def _mirror(c: BottomCues) -> BottomCues:
    swap = lambda d: {"left": d["right"], "right": d["left"]}  # noqa: E731
    return BottomCues(
        swap(c.knee_height),
        swap(c.foot_clearance),
        swap(c.flexion),
        c.stance_width,
        swap(c.ankle_motion),
        swap(c.image_rise),
    )


def test_split_stance_the_leg_with_the_higher_knee_works():
    kind, lead, conf = classify_rep(_cues(kh=(0.55, 0.1)))
    assert (kind, lead) == ("lunge", "left") and conf >= 0.5


def test_one_foot_off_the_ground_the_standing_leg_is_the_more_flexed_and_stiller_one():
    cues = _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.02, 0.2))
    assert classify_rep(cues) == ("single-leg squat", "left", 1.0)
    # a pistol's free foot, held forward near the floor, read *below* the standing foot: height is no cue
    misplaced = _cues(kh=(0.8, 0.7), clear=(0.3, 0.0), flex=(85.0, 20.0), motion=(0.02, 0.2))
    assert classify_rep(misplaced)[:2] == ("single-leg squat", "left")


def test_single_leg_the_lower_foot_only_breaks_a_tie_and_never_decides_alone():
    # knee and ankle disagree: the lower foot (left) breaks the tie
    tie = _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.2, 0.02))
    assert classify_rep(tie) == ("single-leg squat", "left", 0.5)
    # knees alike (free leg held bent behind), ankles alike: only the feet's heights differ -> unknown
    alone = _cues(kh=(0.6, 0.6), clear=(0.0, 0.3), flex=(95.0, 90.0), motion=(0.03, 0.04))
    assert classify_rep(alone)[:2] == ("single-leg squat", "unknown")
    # one primary cue decides, even against the lower foot (the knee here, the ankle abstaining)
    pistol = _cues(kh=(0.8, 0.7), clear=(0.3, 0.0), flex=(85.0, 20.0), motion=(0.05, 0.06))
    assert classify_rep(pistol) == ("single-leg squat", "left", 0.5)
    agreeing = _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.05, 0.06))
    assert classify_rep(agreeing) == ("single-leg squat", "left", 0.75)


def test_wide_stance_one_knee_bent_is_a_lateral_lunge_on_the_bent_leg():
    assert classify_rep(_cues(kh=(0.5, 0.4), flex=(20.0, 100.0), width=1.1))[:2] == ("lateral lunge", "right")


def test_both_feet_down_and_knees_alike_is_a_squat():
    assert classify_rep(_cues(kh=(0.55, 0.5), flex=(100.0, 95.0)))[:2] == ("squat", "both")
    # the world heights of the knees in a wide stance are no cue: flexions alike decide
    assert classify_rep(_cues(kh=(0.67, 0.93), flex=(111.0, 123.0), width=1.1))[:2] == ("squat", "both")
    # ... but knees half a leg length apart are a split stance, not a squat (rear knee not down: unknown)
    assert classify_rep(_cues(kh=(0.65, 1.13), flex=(125.0, 101.0)))[:2] == ("unknown", "unknown")


def test_a_squat_bends_both_knees():
    # a dip with one knee at the gate and the other nearly straight (a jump's landing, a shift of weight)
    assert classify_rep(_cues(kh=(0.55, 0.6), flex=(38.0, 49.0), width=0.5))[:2] == ("unknown", "unknown")


def test_cues_that_fit_no_movement_give_unknown():
    assert classify_rep(_cues(kh=(0.55, 0.5), flex=(100.0, 40.0)))[:2] == ("unknown", "unknown")


def test_a_foot_is_off_the_ground_only_when_the_world_and_the_image_agree():
    # a wide squat whose right foot the world landmarks lift by 0.13 while the image shows both feet level
    misread = _cues(kh=(0.65, 0.9), clear=(0.0, 0.13), flex=(109.0, 120.0), width=1.1, rise=(-0.02, 0.02))
    assert lifted_foot(misread) is None
    assert classify_rep(misread)[:2] == ("squat", "both")
    # the same world reading with the foot clearly higher in the image: a single-leg squat on the left
    held_up = _cues(kh=(0.65, 0.9), clear=(0.0, 0.13), flex=(109.0, 60.0), motion=(0.01, 0.05), rise=(-0.2, 0.2))
    assert lifted_foot(held_up) == "right"
    assert classify_rep(held_up)[:2] == ("single-leg squat", "left")
    # the image alone never lifts a foot (a front-view lunge's rear foot is higher in the image by perspective)
    assert lifted_foot(_cues(clear=(0.02, 0.0), rise=(0.4, -0.4))) is None


def test_a_free_foot_that_reaches_while_the_bent_leg_stands_still_is_a_single_leg_squat():
    # both feet down, free leg almost straight and reaching out sideways: not a lateral lunge
    reach = _cues(kh=(0.85, 0.62), flex=(106.0, 40.0), width=0.85, motion=(0.01, 0.11))
    assert reaching_foot(reach) == "right"
    assert classify_rep(reach) == ("single-leg squat", "left", 1.0)
    lateral_reach = _cues(kh=(0.5, 0.4), flex=(100.0, 20.0), width=1.1, motion=(0.01, 0.11))
    assert classify_rep(lateral_reach)[:2] == ("single-leg squat", "left")
    # a lateral lunge whose bent leg stepped out (its ankle moved): the straight leg stayed planted
    stepping = _cues(kh=(0.5, 0.4), flex=(20.0, 100.0), width=1.1, motion=(0.01, 0.11))
    assert reaching_foot(stepping) is None
    assert classify_rep(stepping)[:2] == ("lateral lunge", "right")
    # a planted foot's ankle hardly moves: no reach however still the other one is
    assert reaching_foot(_cues(flex=(100.0, 40.0), motion=(0.005, 0.03))) is None


def test_mirrored_cues_give_the_other_leg_for_every_movement():
    for cues in (
        _cues(kh=(0.55, 0.1)),
        _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.02, 0.2)),
        _cues(kh=(0.65, 0.9), clear=(0.0, 0.13), flex=(109.0, 60.0), motion=(0.01, 0.05), rise=(-0.2, 0.2)),
        _cues(kh=(0.85, 0.62), flex=(106.0, 40.0), width=0.85, motion=(0.01, 0.11)),
        _cues(kh=(0.5, 0.4), flex=(20.0, 100.0), width=1.1),
    ):
        kind, lead, conf = classify_rep(cues)
        m_kind, m_lead, m_conf = classify_rep(_mirror(cues))
        assert (m_kind, m_conf) == (kind, conf)
        assert {lead, m_lead} == {"left", "right"}
