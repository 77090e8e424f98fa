"""Per-leg summaries over the reps, and the left-right asymmetries against their smallest detectable difference.

Asymmetry is reported as an absolute difference in the measure's own units, never as a
percentage (percentages are unstable for small values; Bishop et al. 2018). Cut-offs and
their sources: :class:`lunge_screen.settings.Thresholds`.
"""

from __future__ import annotations

import numpy as np

from ..results import Asymmetry, LegMeasures, LegSummary, Rep
from ..settings import Thresholds
from ..track.signals import finite_median
from ..types import CATEGORIES, MEDIAL_CATEGORIES, Leg


def _median(values: list[float | None]) -> float | None:
    """Median of the finite values, None if there are none."""
    m = finite_median(values)
    return m if np.isfinite(m) else None


def _iqr(values: list[float]) -> float | None:
    v = [x for x in values if x is not None and np.isfinite(x)]
    if len(v) < 2:
        return None
    q1, q3 = np.percentile(v, [25, 75])
    return float(q3 - q1)


def summarise_leg(leg: Leg, reps: list[Rep], t: Thresholds) -> LegSummary:
    """Per-leg summary over the reps that assessed this knee."""
    assessed: list[tuple[Rep, LegMeasures]] = [(r, m) for r in reps for m in r.legs if m.leg == leg]
    valid = [(r, m) for r, m in assessed if m.measured]
    cats = {c: 0 for c in CATEGORIES}
    for _, m in valid:
        cats[m.category] += 1
    n_inward = sum(cats[c] for c in MEDIAL_CATEGORIES)
    fppa = [m.fppa_bottom_deg for _, m in valid if m.fppa_bottom_deg is not None]
    s = LegSummary(
        leg=leg,
        n_reps=len(assessed),
        n_valid=len(valid),
        categories=cats,
        knee_over_foot_peak_median=_median([m.knee_over_foot_peak for _, m in valid]),
        knee_over_foot_peak_iqr=_iqr([m.knee_over_foot_peak for _, m in valid]),
        shank_tilt_peak_median_deg=_median([m.shank_tilt_peak_deg for _, m in valid]),
        kmd_change_median=_median([m.kmd_change_bottom for _, m in valid]),
        fppa_median_deg=_median(fppa),
        n_fppa_valid=len(fppa),
        knee_flexion_median_deg=_median([m.knee_flexion_bottom_deg for _, m in valid]),
        pelvic_obliquity_median_deg=_median([r.pelvic_obliquity_deg for r, _ in valid if r.kind == "lunge"]),
        n_inward=n_inward,
    )
    s.rolls_inward = len(valid) >= t.min_reps_per_leg and n_inward > t.inward_fraction * len(valid)
    return s


def asymmetries(left: LegSummary, right: LegSummary, t: Thresholds) -> list[Asymmetry]:
    """Left-minus-right differences of the main measures, judged against their SDD."""
    out = []
    for measure, lv, rv, sdd in (
        (
            "knee_over_foot_peak",
            left.knee_over_foot_peak_median,
            right.knee_over_foot_peak_median,
            t.sdd_knee_over_foot,
        ),
        ("fppa_deg", left.fppa_median_deg, right.fppa_median_deg, t.sdd_fppa_deg),
    ):
        if lv is None or rv is None:
            out.append(Asymmetry(measure, lv, rv, None, sdd, False, None))
            continue
        diff = lv - rv
        exceeds = abs(diff) > sdd
        out.append(
            Asymmetry(measure, lv, rv, diff, sdd, exceeds, ("left" if diff > 0 else "right") if exceeds else None)
        )
    return out
