"""Movement kind and working leg from the cues at the bottom (reps/kind.py)."""

from lunge_screen.reps.kind import BottomCues, classify_rep


def _cues(kh=(0.5, 0.5), clear=(0.0, 0.0), flex=(90.0, 90.0), width=0.3, motion=(0.05, 0.05)) -> BottomCues:
    pair = lambda v: {"left": v[0], "right": v[1]}  # noqa: E731
    return BottomCues(pair(kh), pair(clear), pair(flex), width, pair(motion))


def _mirror(c: BottomCues) -> BottomCues:
    swap = lambda d: {"left": d["right"], "right": d["left"]}  # noqa: E731
    return BottomCues(
        swap(c.knee_height), swap(c.foot_clearance), swap(c.flexion), c.stance_width, swap(c.ankle_motion)
    )


def test_split_stance_the_leg_with_the_higher_knee_works():
    kind, lead, conf = classify_rep(_cues(kh=(0.55, 0.1)))
    assert (kind, lead) == ("lunge", "left") and conf >= 0.5


def test_one_foot_off_the_ground_the_standing_leg_works_by_two_of_three_cues():
    # the model misplaces the free foot low (it reaches toward the camera) but the knee and the ankle's stillness agree
    cues = _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.02, 0.2))
    assert classify_rep(cues)[:2] == ("single-leg squat", "left")
    misplaced = _cues(kh=(0.8, 0.7), clear=(0.3, 0.0), flex=(85.0, 20.0), motion=(0.02, 0.2))
    assert classify_rep(misplaced)[:2] == ("single-leg squat", "left")


def test_wide_stance_one_knee_bent_is_a_lateral_lunge_on_the_bent_leg():
    assert classify_rep(_cues(kh=(0.5, 0.4), flex=(20.0, 100.0), width=1.1))[:2] == ("lateral lunge", "right")


def test_both_feet_down_and_knees_alike_is_a_squat():
    assert classify_rep(_cues(kh=(0.55, 0.5), flex=(100.0, 95.0)))[:2] == ("squat", "both")


def test_cues_that_fit_no_movement_give_unknown():
    assert classify_rep(_cues(kh=(0.55, 0.5), flex=(100.0, 40.0)))[:2] == ("unknown", "unknown")


def test_mirrored_cues_give_the_other_leg_for_every_movement():
    for cues in (
        _cues(kh=(0.55, 0.1)),
        _cues(kh=(0.7, 0.8), clear=(0.0, 0.3), flex=(85.0, 20.0), motion=(0.02, 0.2)),
        _cues(kh=(0.5, 0.4), flex=(20.0, 100.0), width=1.1),
    ):
        kind, lead, conf = classify_rep(cues)
        m_kind, m_lead, m_conf = classify_rep(_mirror(cues))
        assert (m_kind, m_conf) == (kind, conf)
        assert {lead, m_lead} == {"left", "right"}
