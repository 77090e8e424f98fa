"""Measurement maths on points with known answers (no video, no model)."""

import numpy as np
import pytest

from lunge_screen.measure import kinematics as kin


def _p(*xy):
    return np.asarray(xy, float)


@pytest.mark.parametrize(
    ("hip", "knee", "ankle", "other_hip", "leg_len", "fppa", "kmd"),
    [
        # Hand-marked points of squat_front_valgus_then_neutral.mp4 rep 1 (../shared/annotations),
        # with the annotator's own FPPA (deg) and KMD (% of standing hip-ankle length).
        ((243, 742), (213, 783), (205, 827), (319, 742), 195.5, -25.9, -5.5),
        ((319, 742), (346, 786), (346, 830), (243, 742), 194.7, -31.5, -6.6),
        # lunge_front_portrait.mp4 rep 1, right leg (other hip: a point to its image right).
        ((442, 1120), (469, 1190), (472, 1483), (560, 1120), 330.0, 20.5, 6.4),
    ],
)
def test_fppa_and_kmd_match_the_hand_marked_references(hip, knee, ankle, other_hip, leg_len, fppa, kmd):
    medial = kin.medial_sign(_p(hip), _p(other_hip))
    assert kin.fppa(_p(hip), _p(knee), _p(ankle), medial) == pytest.approx(fppa, abs=0.15)
    assert 100 * kin.kmd(_p(hip), _p(knee), _p(ankle), medial, leg_len) == pytest.approx(kmd, abs=0.1)


def test_medial_sign_points_to_the_other_hip():
    assert kin.medial_sign(_p(100, 0), _p(200, 0)) == 1
    assert kin.medial_sign(_p(200, 0), _p(100, 0)) == -1
    assert np.isnan(kin.medial_sign(_p(np.nan, 0), _p(100, 0)))


@pytest.mark.parametrize("offset_px", [-30.0, 0.0, 12.5, 40.0])
@pytest.mark.parametrize("hip_x", [300.0, 420.0, 520.0])  # narrow, hip-width and wide stance
def test_knee_over_foot_is_the_medial_offset_whatever_the_stance(offset_px, hip_x):
    ankle, toe = _p(400, 800), _p(400, 840)  # foot pointing at the camera
    medial = kin.medial_sign(_p(hip_x, 400), _p(hip_x + 150, 400))  # other hip to the image right
    knee = _p(400 + offset_px, 600)
    assert kin.knee_over_foot(knee, ankle, toe, medial, 200.0) == pytest.approx(offset_px / 200.0)


def test_knee_over_foot_references_the_foot_between_ankle_and_toe():
    # A turned-out foot: toe 40 px lateral of the ankle; knee straight above the ankle.
    ankle, toe, knee = _p(400, 800), _p(360, 830), _p(400, 600)
    medial = np.float64(1.0)  # medial is image +x for this leg
    expected = (400 - (400 + kin.TOE_WEIGHT * (360 - 400))) / 200.0
    assert kin.knee_over_foot(knee, ankle, toe, medial, 200.0) == pytest.approx(expected)
    assert expected > 0  # knee inside the line of the out-turned toes reads medial


def test_mirroring_the_image_keeps_each_legs_values():
    hip, knee, ankle, other = _p(300, 400), _p(320, 600), _p(310, 800), _p(450, 400)
    width = 1000

    def mirror(p):
        return _p(width - p[0], p[1])

    m1 = kin.medial_sign(hip, other)
    m2 = kin.medial_sign(mirror(hip), mirror(other))
    assert kin.fppa(hip, knee, ankle, m1) == pytest.approx(kin.fppa(mirror(hip), mirror(knee), mirror(ankle), m2))
    assert kin.kmd(hip, knee, ankle, m1, 400) == pytest.approx(kin.kmd(*map(mirror, (hip, knee, ankle)), m2, 400))


def test_camera_roll_is_recovered_and_undone():
    hips = np.column_stack([np.full(5, 500.0), np.full(5, 900.0)])
    shoulders = np.column_stack([np.full(5, 500.0), np.full(5, 500.0)])
    rolled_h = kin.rotate_points(hips, 8.0, (540, 960))
    rolled_s = kin.rotate_points(shoulders, 8.0, (540, 960))
    roll = kin.camera_roll(rolled_h, rolled_s)
    assert roll == pytest.approx(8.0, abs=1e-6)
    back = kin.rotate_points(rolled_s, -roll, (540, 960))
    assert np.allclose(back, shoulders)


def test_knee_flexion_from_world_points():
    hip, knee = _p(0, 0, 0), _p(0, 0.4, 0)
    assert kin.knee_flexion(hip, knee, _p(0, 0.8, 0)) == pytest.approx(0.0, abs=1e-6)
    assert kin.knee_flexion(hip, knee, _p(0, 0.4, 0.4)) == pytest.approx(90.0)


def test_pelvic_obliquity_positive_when_the_other_hip_drops():
    lead, other = _p(0.1, 0.0, 0.0), _p(-0.1, 0.02, 0.0)  # world y down: other hip 2 cm lower
    assert kin.pelvic_obliquity(lead, other) == pytest.approx(np.degrees(np.arctan2(0.02, 0.2)))
    assert kin.pelvic_obliquity(other, lead) < 0


def test_trunk_lean_toward_the_lead_side_is_positive():
    mid_hip, shoulders = _p(500, 900), _p(540, 500)  # shoulders lean to image +x
    assert kin.trunk_lean(mid_hip, shoulders, 1.0) > 0
    assert kin.trunk_lean(mid_hip, shoulders, -1.0) < 0


def test_fppa_validity_rule():
    ratio = kin.thigh_ratio(_p(0, 0), _p(0, 40), 100.0)
    assert ratio == pytest.approx(0.4)
    assert not kin.fppa_valid(ratio)
    assert kin.fppa_valid(kin.thigh_ratio(_p(0, 0), _p(0, 60), 100.0))
    assert not kin.fppa_valid(np.nan)
    assert kin.fppa_valid(0.8, 45.0) and not kin.fppa_valid(0.8, -100.0)
