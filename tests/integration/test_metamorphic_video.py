"""Video-level metamorphic tests: transformed copies of the real clips, *through the pose model*.

test_metamorphic.py transforms the landmarks (the analysis after the model). Here the video
itself is transformed (benchmarks/metamorphic_video.py: PyAV, libx264 CRF 18, into a temporary
folder) and the full model runs again, so the model's own response to the new picture is part
of the test. The truth is the original clip's own result (the invariant, not correctness):

* **mirrored** (every clip in ../shared/videos): the same number of reps, bottoms within
  ±0.15 s, and the other leg on every rep (``both``/``unknown`` stay as they are);
* on one front-view lunge, one side-view lunge and one single-leg-squat clip, every other variant:
  every third frame dropped with the timestamps kept (VFR), a 60 fps copy, downscaled to
  480 px, the bottom 12 % cropped away (feet partly out of frame: no rep lost, a lead may
  become ``unknown``), a slow zoom to 1.3x (no rep added or lost).

Rotation metadata is covered by the shipped rotated copy of the portrait clip
(test_real_clips.py): PyAV cannot write a display matrix. Every variant on every clip, with
all three models, is measured by ``python -m benchmarks.metamorphic_video``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from benchmarks.metamorphic_video import OTHER, TOL_S, make_variant, reps_of
from tests.conftest import VIDEOS

CLIPS = sorted(p.name for p in VIDEOS.glob("*.mp4")) if VIDEOS.is_dir() else []
#: One clip per kind of footage for the variants that cost a full pose run each. Not the blue-jacket
#: single-leg squat clip: it ends 0.2 s after its last bottom, so whether that rep is kept, and where
#: its bottom is, turns on the last frames; its re-encoded copies differed from run to run (8.80 vs
#: 8.96 s) -- a flaky test, not a measurement. benchmarks/metamorphic_video.py still measures it.
ALL_VARIANT_CLIPS = [
    "lunge_front_portrait.mp4",
    "reverse_lunge_side_view.mp4",
    "lateral_reach_single_leg_squat_front.mp4",
]
OTHER_VARIANTS = ("vfr", "fps60", "small", "crop", "zoom")

#: Cases where the answer on the transformed video is not yet the same (strict: a fix fails the xfail).
#: Why, per case, is in the issue 12 closing note and docs/validation.md.
NOT_YET: set[tuple[str, str]] = {
    # the model reads the mirrored picture differently: other reps found, other kinds or legs
    ("bulgarian_split_squat_side_cuts.mp4", "mirrored"),
    ("lunge_front_lowres_18fps.mp4", "mirrored"),
    ("multi_person_side_vp9.mp4", "mirrored"),
    ("shrimp_squat_side.mp4", "mirrored"),
    # side views: the look-alike legs are not told apart on every rep
    ("lunge_side_cut_closeup.mp4", "mirrored"),
    ("reverse_lunge_side_istock.mp4", "mirrored"),
}


def _cases():
    pairs = [(clip, "mirrored") for clip in CLIPS]
    pairs += [(clip, v) for clip in ALL_VARIANT_CLIPS for v in OTHER_VARIANTS]
    for clip, variant in pairs:
        marks = [pytest.mark.shared]
        if (clip, variant) in NOT_YET:
            marks.append(pytest.mark.xfail(strict=True, reason="not yet invariant on the video (issue 12 note)"))
        yield pytest.param(clip, variant, marks=marks, id=f"{clip}-{variant}")


@pytest.fixture(scope="module")
def variant_reps(shared, tmp_path_factory):
    """``variant_reps(clip, variant)`` -> [(bottom s, lead)] of the transformed video (full model)."""
    persistent = os.environ.get("LUNGE_SCREEN_LANDMARK_CACHE")
    work = Path(persistent) / "video-variants" if persistent else tmp_path_factory.mktemp("video-variants")
    work.mkdir(parents=True, exist_ok=True)

    def get(clip: str, variant: str):
        return reps_of(make_variant(VIDEOS / clip, variant, work / f"{Path(clip).stem}__{variant}.mp4"), "full", work)

    return get


@pytest.mark.parametrize(("clip", "variant"), list(_cases()))
def test_a_transformed_video_gives_the_same_reps_and_legs(clip, variant, clip_analysis, variant_reps):
    want = [(r.bottom_s, r.lead) for r in clip_analysis(clip).result.reps]
    got = variant_reps(clip, variant)
    assert len(got) == len(want), f"{variant}: {len(got)} reps {got}, the original {len(want)} {want}"
    assert np.allclose([t for t, _ in got], [t for t, _ in want], atol=TOL_S), (got, want)
    expected = [OTHER.get(lead, lead) if variant == "mirrored" else lead for _, lead in want]
    if variant == "crop":  # feet partly out of frame: a lead may be withheld, never swapped
        assert all(g in (e, "unknown") for (_, g), e in zip(got, expected)), (got, want)
    else:
        assert [lead for _, lead in got] == expected, (got, want)
