"""Every quality-warning code (docs/measurement.md), each raised by the situation it names, through the pipeline.

Each case changes a synthetic lunge session in one way and must raise its code; the plain
session raises none of them (the control), so a warning that fires always, or never, fails.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.pipeline import analyse_series
from lunge_screen.results import LegMeasures, Rep
from lunge_screen.screen.quality import _reps
from lunge_screen.settings import AnalysisSettings
from lunge_screen.track.orientation import swap_permutation
from lunge_screen.track.series import L_FOOT, L_KNEE, R_FOOT, R_KNEE
from tests.support.variants import zoomed

LEADS = ["left", "right"] * 3  # three per leg: min_reps_per_leg


def _with(series, **arrays):
    return dataclasses.replace(series, **arrays)


def _no_person():
    s = lunge_series(LEADS)
    return _with(s, image=np.full_like(s.image, np.nan), world=np.full_like(s.world, np.nan))


def _missing_between_reps():
    s = lunge_series(LEADS, rest_s=3.0)
    image, world = s.image.copy(), s.world.copy()
    period = int(3.0 * 30) + int(2.4 * 30)  # frames of one rest + one rep
    for k in range(len(LEADS) + 1):
        image[k * period + 20 : k * period + 70] = np.nan  # 1.7 s of each rest without the person: 30 %
        world[k * period + 20 : k * period + 70] = np.nan
    return _with(s, image=image, world=world)


def _second_person():
    s = lunge_series(LEADS)
    other = s.image[:, 0].copy()
    other[..., 0] = other[..., 0] * 0.5 + 700  # a smaller person to the side, in every frame
    other[..., 1] = other[..., 1] * 0.5 + 300
    return _with(
        s,
        image=np.stack([s.image[:, 0], other], axis=1),
        world=np.repeat(s.world, 2, axis=1),
        visibility=np.repeat(s.visibility, 2, axis=1),
        presence=np.repeat(s.presence, 2, axis=1),
    )


def _feet_on_the_bottom_edge():
    s = lunge_series(LEADS)
    toes = np.nanmax(s.image[:, 0, [L_FOOT, R_FOOT], 1])
    return _with(s, source=dataclasses.replace(s.source, height=int(toes) + 5))  # framed too tight: toes on the edge


def _never_straight():
    s = lunge_series(LEADS)
    world = s.world.copy()
    world[:, 0, [L_KNEE, R_KNEE], 2] -= 0.25  # knees always 25 cm forward in 3D: always bent, never standing
    return _with(s, world=world)


def _legs_swapped_for_a_moment():
    s = lunge_series(LEADS)
    image, world = s.image.copy(), s.world.copy()
    perm = swap_permutation()
    frames = slice(20, 26)  # 0.2 s of the model calling the left leg right
    image[frames], world[frames] = image[frames][:, :, perm], world[frames][:, :, perm]
    return _with(s, image=image, world=world)


def _edit_cut():
    s = lunge_series(LEADS)
    change = s.frame_change.copy()
    change[100] = 60.0  # the picture jumps once, inside the first rep
    return _with(s, frame_change=change)


CASES = {
    "no_person": _no_person,
    "person_small": lambda: lunge_series(LEADS, scale=100.0, width=300, height=400),  # about 170 px tall
    "person_missing": _missing_between_reps,
    "several_people": _second_person,
    "no_reps": lambda: lunge_series([], rest_s=6.0),
    "few_reps": lambda: lunge_series(["left", "right"]),  # one measured rep per leg, fewer than 3
    "poor_reliability": lambda: lunge_series(LEADS, scale=40.0),  # a tiny person: shanks of ~18 px
    "out_of_frame": _feet_on_the_bottom_edge,
    "labels_corrected": _legs_swapped_for_a_moment,
    "camera_roll": lambda: lunge_series(LEADS, roll_deg=8.0),
    "no_standing": _never_straight,
    "low_frame_rate": lambda: lunge_series(LEADS, fps=15.0),
    "video_cut": _edit_cut,
    "size_change": lambda: zoomed(lunge_series(LEADS), 1.6),  # the picture zooms in 1.6x over the clip
}


@pytest.fixture(scope="module")
def plain_codes():
    return {w.code for w in analyse_series(lunge_series(LEADS)).result.warnings}


@pytest.mark.parametrize("code", list(CASES))
def test_each_warning_is_raised_by_its_situation(code, plain_codes):
    assert code not in plain_codes  # the control session does not raise it
    warnings = analyse_series(CASES[code]()).result.warnings
    codes = [w.code for w in warnings]
    assert code in codes, codes
    assert all(w.message.strip() for w in warnings)
    if code == "no_person":
        assert codes == ["no_person"]  # nothing else is said about a video without a person


def test_view_and_lead_unknown_warnings_from_the_reps():
    """``view`` (measured on real side-view clips in test_real_clips) and ``lead_unknown``, from the rep rule."""

    def rep(i, lead, view):
        good = LegMeasures(leg="left", category="over foot", knee_over_foot_peak=0.0, reliability="good")
        legs = [good] if lead == "left" else []
        return Rep(i, 0, 1, 2, 0.0, 0.1, 0.2, lead, 1.0, 0.3, view, 5.0, legs=legs)

    settings = AnalysisSettings()
    frontal = [rep(1, "left", "frontal"), rep(2, "left", "frontal"), rep(3, "left", "frontal")]
    assert [w.code for w in _reps(frontal, settings)] == []
    side = [rep(1, "left", "side"), *frontal]
    assert "view" in [w.code for w in _reps(side, settings)]
    unknown = [*frontal, rep(4, "unknown", "frontal")]
    assert "lead_unknown" in [w.code for w in _reps(unknown, settings)]


def test_every_documented_code_is_tested_here():
    import re
    from pathlib import Path

    codes = set()
    for src in (Path(__file__).resolve().parents[3] / "lunge_screen").rglob("*.py"):
        codes |= set(re.findall(r'QualityWarning\(\s*"([a-z_]+)"', src.read_text(encoding="utf-8")))
    assert codes - set(CASES) == {"view", "lead_unknown"}  # those two: the test above
