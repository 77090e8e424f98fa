"""Per-leg summaries over the reps: counts, medians and a judgement, from the *reliable* reps only.

A rep counts toward its leg's judgement when its knee was measured (no gate fired) and its
reliability grade is not ``poor`` (:attr:`lunge_screen.results.LegMeasures.reliable`). The
judgement (``LegSummary.judgement``):

* ``not tested`` -- no rep assessed this knee; ``not measured`` -- every one was withheld;
* ``too few reps`` -- fewer than ``min_reps_per_leg`` measured; ``unreliable`` -- enough
  measured, but fewer than ``min_reps_per_leg`` of them reliable;
* ``inward`` -- more than ``inward_fraction`` of the reliable reps are slightly or clearly
  medial (the leg "rolls inward"); ``mixed`` -- some are, not most; ``not inward`` -- none.

The left-right comparison is :mod:`lunge_screen.screen.asymmetry`.
"""

from __future__ import annotations

import numpy as np

from ..results import LegMeasures, LegSummary, Rep
from ..settings import Thresholds
from ..track.signals import finite_median
from ..types import CATEGORIES, MEDIAL_CATEGORIES, Leg, LegJudgement
from .reliability import leg_grade


def _median(values: list[float | None]) -> float | None:
    """Median of the finite values, None if there are none."""
    m = finite_median(values)
    return m if np.isfinite(m) else None


def _iqr(values: list[float | None]) -> float | None:
    v = [x for x in values if x is not None and np.isfinite(x)]
    if len(v) < 2:
        return None
    q1, q3 = np.percentile(v, [25, 75])
    return float(q3 - q1)


def assessed(leg: Leg, reps: list[Rep]) -> list[tuple[Rep, LegMeasures]]:
    """Every (rep, measures) pair in which this knee was assessed, in rep order."""
    return [(r, m) for r in reps for m in r.legs if m.leg == leg]


def judgement(n_reps: int, n_valid: int, n_reliable: int, n_inward: int, t: Thresholds) -> LegJudgement:
    """What a leg's reps show (see the module docstring)."""
    if n_reps == 0:
        return "not tested"
    if n_valid == 0:
        return "not measured"
    if n_reliable < t.min_reps_per_leg:
        return "unreliable" if n_valid >= t.min_reps_per_leg else "too few reps"
    if n_inward > t.inward_fraction * n_reliable:
        return "inward"
    return "mixed" if n_inward else "not inward"


def summarise_leg(leg: Leg, reps: list[Rep], t: Thresholds) -> LegSummary:
    """Per-leg summary over the reps that assessed this knee; categories and medians over the reliable ones."""
    pairs = assessed(leg, reps)
    valid = [(r, m) for r, m in pairs if m.measured]
    reliable = [(r, m) for r, m in valid if m.reliable]
    cats = {c: 0 for c in CATEGORIES}
    for _, m in reliable:
        cats[m.category] += 1
    inward = [r.index for r, m in reliable if m.category in MEDIAL_CATEGORIES]
    fppa = [m.fppa_bottom_deg for _, m in reliable if m.fppa_bottom_deg is not None]
    grade, reasons = leg_grade([m.reliability or "good" for _, m in valid], [m.reliability_concerns for _, m in valid])
    s = LegSummary(
        leg=leg,
        n_reps=len(pairs),
        n_valid=len(valid),
        categories=cats,
        knee_over_foot_peak_median=_median([m.knee_over_foot_peak for _, m in reliable]),
        knee_over_foot_peak_iqr=_iqr([m.knee_over_foot_peak for _, m in reliable]),
        shank_tilt_peak_median_deg=_median([m.shank_tilt_peak_deg for _, m in reliable]),
        kmd_change_median=_median([m.kmd_change_bottom for _, m in reliable]),
        fppa_median_deg=_median(fppa),
        n_fppa_valid=len(fppa),
        knee_flexion_median_deg=_median([m.knee_flexion_bottom_deg for _, m in reliable]),
        pelvic_obliquity_median_deg=_median([r.pelvic_obliquity_deg for r, _ in reliable if r.kind == "lunge"]),
        n_inward=len(inward),
        n_reliable=len(reliable),
        reliability=grade,
        reliability_reasons=reasons,
        inward_reps=inward,
        reliable_reps=[r.index for r, _ in reliable],
    )
    s.judgement = judgement(s.n_reps, s.n_valid, s.n_reliable, s.n_inward, t)
    s.rolls_inward = s.judgement == "inward"
    return s


__all__ = ["assessed", "judgement", "summarise_leg"]
