"""The whole pipeline on real clips, checked against what a person sees in them (../shared/annotations).

These assert what the annotator saw -- rep counts, bottoms, lead legs, the clinical
category where the annotation grades it, which view the camera had -- never today's
output to three decimals.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.shared

ALL_CLIPS = [
    "curtsy_lunge_front.mp4",
    "lunge_front_lowres_18fps.mp4",
    "lunge_front_portrait.mp4",
    "lunge_front_portrait_rotated_meta.mp4",
    "multi_person_side_vp9.mp4",
    "reverse_lunge_side_view.mp4",
    "squat_front_valgus_then_neutral.mp4",
    "walking_lunge_near_front.mp4",
]
BOTTOM_TOLERANCE_S = 0.25  # "within a few frames": 4-5 frames at 18 fps, 7 at 30 fps


def _ref(annotations, clip):
    return annotations[clip.replace("_rotated_meta", "")]


def _complete_refs(ann):
    return [r for r in ann["reps"] if r.get("bottom_f") is not None]


# ---- landmarks -------------------------------------------------------------------------------
@pytest.mark.parametrize("clip", ALL_CLIPS)
def test_every_frame_gets_a_row_with_its_real_timestamp(clip, clip_series, annotations):
    """Frame count, size and timestamps as the annotator decoded them (../shared/annotations), not as probed."""
    ann = _ref(annotations, clip)
    s = clip_series(clip)
    assert s.n_frames == ann["n_frames"]  # all clips are <= 30 fps: below the 60 fps cap
    assert np.array_equal(s.frame_index, np.arange(ann["n_frames"]))
    assert [s.source.width, s.source.height] == ann["frame_size"]  # display size, after rotation
    assert np.all(np.diff(s.time) > 0) and s.time[0] == 0.0
    frame_s = 1.0 / ann["fps"]
    assert s.time[-1] + frame_s == pytest.approx(ann["duration_s"], abs=0.6 * frame_s)
    marks = [(r[f"{k}_f"], r[f"{k}_t"]) for r in ann["reps"] for k in ("start", "bottom", "end")]
    marks = [(f, t) for f, t in marks if f is not None and t is not None]
    assert marks or not ann["reps"]
    for f, t in marks:  # the annotator's frame <-> presentation time pairs (ms), also for the VFR side view
        assert s.time[f] == pytest.approx(t, abs=2e-3), (f, t, s.time[f])


@pytest.mark.parametrize(
    ("clip", "frame"),
    [("curtsy_lunge_front.mp4", 0), ("lunge_front_portrait.mp4", 206), ("squat_front_valgus_then_neutral.mp4", 10)],
)
def test_standing_landmarks_sit_on_the_person(clip, frame, clip_series, annotations):
    """Hips above knees above ankles; knees and ankles near the hand-marked points (6 % of the height).

    The hand-marked hips are not compared: the annotator placed them by rule at the
    shorts' hem where clothing hides the joint (../shared/annotations/README.md).
    """
    s = clip_series(clip)
    ref = annotations[clip]["standing_reference"]
    assert ref["frame"] == frame
    pts = s.image[frame, 0]
    tol = 0.06 * s.source.height
    for side, (hip, knee, ankle) in {"L": (23, 25, 27), "R": (24, 26, 28)}.items():
        assert pts[hip, 1] < pts[knee, 1] < pts[ankle, 1]
        for name, idx in (("knee", knee), ("ankle", ankle)):
            marked = np.asarray(ref["points"][f"{name}{side}"], float)  # the person's own left/right
            assert np.hypot(*(pts[idx, :2] - marked)) < tol, (name, side, pts[idx, :2], marked)


def test_rotation_metadata_gives_the_same_portrait_frames_and_landmarks(clip_series):
    a = clip_series("lunge_front_portrait.mp4")
    b = clip_series("lunge_front_portrait_rotated_meta.mp4")
    assert (b.source.width, b.source.height) == (a.source.width, a.source.height) == (1080, 1920)
    assert b.source.rotation == 90
    d = np.hypot(*(a.image[:, 0, :, :2] - b.image[:, 0, :, :2]).transpose(2, 0, 1))
    assert np.nanmedian(d) < 3.0  # pixels, on a 1080x1920 frame (re-encoding changes pixels slightly)
    assert np.nanpercentile(d[:, 23:29], 95) < 12.0


# ---- reps, lead legs, bottoms -----------------------------------------------------------------
@pytest.mark.parametrize(
    "clip",
    [
        "curtsy_lunge_front.mp4",
        "lunge_front_lowres_18fps.mp4",
        "lunge_front_portrait.mp4",
        "reverse_lunge_side_view.mp4",
        "squat_front_valgus_then_neutral.mp4",
        "walking_lunge_near_front.mp4",
    ],
)
def test_reps_bottoms_and_lead_legs_match_the_references(clip, clip_analysis, annotations):
    ref = _complete_refs(_ref(annotations, clip))
    got = clip_analysis(clip).result.reps
    fps = annotations[clip]["fps"]
    assert len(got) == len(ref), [r.bottom_frame for r in got]
    for r, a in zip(got, ref):
        assert abs(r.bottom_frame - a["bottom_f"]) / fps <= BOTTOM_TOLERANCE_S, (r.bottom_frame, a["bottom_f"])
        expected = a["lead"] or "both"
        assert r.lead == expected, (r.index, r.lead, expected)


@pytest.mark.xfail(strict=True, reason="issue 12: a woman walking past (knees 40-50 deg) reads as two squats")
def test_no_reps_are_invented_in_footage_without_lunges(clip_analysis):
    result = clip_analysis("multi_person_side_vp9.mp4").result
    assert result.reps == []
    assert result.finding.pattern == "not measurable"
    assert not result.finding.flag


def test_lowres_front_legs_are_the_left_although_the_model_labels_them_right(clip_analysis, clip_series):
    a = clip_analysis("lunge_front_lowres_18fps.mp4")
    assert all(r.lead == "left" for r in a.result.reps)
    assert a.orientation.leg_swap_frames > 0  # the correction did the work, not luck
    assert any(w.code == "labels_corrected" for w in a.result.warnings)


# ---- views ---------------------------------------------------------------------------------------
def test_side_view_is_recognised_and_frontal_measures_withheld(clip_analysis):
    result = clip_analysis("reverse_lunge_side_view.mp4").result
    assert result.view == "side"
    assert all(r.view == "side" for r in result.reps)
    for m in (m for r in result.reps for m in r.legs):
        assert m.category is None and m.knee_over_foot_peak is None and m.fppa_bottom_deg is None
        assert "side view" in m.withheld_reason
    assert result.finding.pattern == "not measurable"
    assert any(w.code == "view" for w in result.warnings)


def test_oblique_view_is_recognised_and_frontal_measures_withheld(clip_analysis):
    result = clip_analysis("walking_lunge_near_front.mp4").result
    assert result.view == "oblique"
    assert all(m.category is None and "oblique" in m.withheld_reason for r in result.reps for m in r.legs)
    assert not result.finding.flag


# ---- what the clinician would say ----------------------------------------------------------
def test_portrait_lunges_read_over_foot_including_the_narrow_stance(clip_analysis):
    result = clip_analysis("lunge_front_portrait.mp4").result
    cats = [m.category for r in result.reps for m in r.legs]
    assert cats == ["over foot", "over foot"]
    assert not result.finding.flag


def test_curtsy_knee_is_lateral_while_hip_based_measures_read_medial(clip_analysis):
    result = clip_analysis("curtsy_lunge_front.mp4").result
    legs = [m for r in result.reps for m in r.legs]
    assert [m.leg for m in legs] == ["right", "right"]
    assert all(m.category == "lateral" for m in legs)
    assert all(m.kmd_change_bottom > 0 for m in legs)  # the hip-ankle line says "medial"...
    assert all(m.hip_and_foot_disagree for m in legs)  # ...and the report says they disagree
    assert not result.finding.flag


def test_squat_knees_in_reps_read_more_medial_than_knees_out_reps(clip_analysis):
    result = clip_analysis("squat_front_valgus_then_neutral.mp4").result
    cut_s = 6.6  # the clip switches from "knees moving in" to "knees following 2nd toe"
    inward = [m.knee_over_foot_peak for r in result.reps if r.bottom_s < cut_s for m in r.legs]
    neutral = [m.knee_over_foot_peak for r in result.reps if r.bottom_s > cut_s for m in r.legs]
    assert len(inward) == 6 and len(neutral) == 8
    assert min(inward) > max(neutral)
    assert np.median(inward) - np.median(neutral) > 0.2
    cats_in = [m.category for r in result.reps if r.bottom_s < cut_s for m in r.legs]
    assert sum(c in ("slightly medial", "clearly medial") for c in cats_in) >= 4
    assert all(m.category == "lateral" for r in result.reps if r.bottom_s > cut_s for m in r.legs)


def test_squat_edit_cut_is_detected_and_the_cut_rep_not_counted(clip_analysis):
    result = clip_analysis("squat_front_valgus_then_neutral.mp4").result
    assert any(w.code == "video_cut" for w in result.warnings)
    assert not any(6.0 < r.bottom_s < 6.8 for r in result.reps)


def test_rotated_metadata_clip_gives_the_same_findings(clip_analysis):
    a = clip_analysis("lunge_front_portrait.mp4").result
    b = clip_analysis("lunge_front_portrait_rotated_meta.mp4").result
    assert [(r.lead, r.view) for r in a.reps] == [(r.lead, r.view) for r in b.reps]
    assert [abs(r.bottom_frame - s.bottom_frame) <= 3 for r, s in zip(a.reps, b.reps)] == [True] * len(a.reps)
    ka = [m.knee_over_foot_peak for r in a.reps for m in r.legs]
    kb = [m.knee_over_foot_peak for r in b.reps for m in r.legs]
    assert np.allclose(ka, kb, atol=0.03)
    assert a.finding.pattern == b.finding.pattern
