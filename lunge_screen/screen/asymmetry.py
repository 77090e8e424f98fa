"""The left-right comparison, judged against this clip's own noise and the smallest detectable difference.

For each compared measure (the knee-over-foot peak, the FPPA at the bottom) over each leg's
*reliable* reps:

* ``difference`` = median(left) - median(right), in the measure's own units (never a
  percentage: percentages are unstable for small values, Bishop et al. 2018);
* its interval: a percentile bootstrap over reps (each leg's reps resampled with
  replacement, ``n_resamples`` times, a fixed ``seed``: the same reps always give the same
  interval), at ``interval_level``;
* ``detected`` only when ``|difference|`` exceeds the SDD **and** the interval excludes zero
  on the same side: the difference is larger than the measurement's known error *and*
  than the rep-to-rep scatter of this clip. With 3 reps per leg the 95 % interval excludes
  zero only when every rep of one leg is beyond every rep of the other.

Nothing is judged (``judged`` False, ``difference`` withheld, with the reason) unless both
legs have at least ``min_reps_per_leg`` reliable reps. How often this flags a true
difference: ``benchmarks/findings_sensitivity.py``, docs/validation.md.
"""

from __future__ import annotations

import numpy as np

from ..results import Asymmetry, Rep
from ..settings import AsymmetrySettings, Thresholds
from ..types import LEGS, Leg
from .summary import assessed


def bootstrap_interval(
    left: list[float], right: list[float], n_resamples: int, level: float, seed: int
) -> tuple[float, float]:
    """Percentile-bootstrap interval of median(left) - median(right), resampling each side's values."""
    a, b = np.asarray(left, float), np.asarray(right, float)
    rng = np.random.default_rng(seed)
    da = np.median(a[rng.integers(0, a.size, size=(n_resamples, a.size))], axis=1)
    db = np.median(b[rng.integers(0, b.size, size=(n_resamples, b.size))], axis=1)
    tail = 0.5 * (1.0 - level)
    lo, hi = np.quantile(da - db, [tail, 1.0 - tail])
    return float(lo), float(hi)


def compare(
    measure: str, left: list[float], right: list[float], sdd: float, t: Thresholds, a: AsymmetrySettings
) -> Asymmetry:
    """One measure's left-right comparison (see the module docstring). ``left``/``right``: reliable reps' values."""
    lv = float(np.median(left)) if left else None
    rv = float(np.median(right)) if right else None
    out = Asymmetry(measure, lv, rv, None, sdd, False, None, n_left=len(left), n_right=len(right))
    short = [f"{leg} {len(v)}" for leg, v in (("left", left), ("right", right)) if len(v) < t.min_reps_per_leg]
    if short:
        out.not_judged_reason = f"too few reliable reps ({', '.join(short)}; at least {t.min_reps_per_leg} per leg)"
        return out
    diff = lv - rv
    lo, hi = bootstrap_interval(left, right, a.n_resamples, a.interval_level, a.seed)
    out.difference, out.interval_low, out.interval_high, out.interval_level = diff, lo, hi, a.interval_level
    out.judged = True
    out.exceeds_sdd = abs(diff) > sdd
    beyond_noise = (diff > 0 and lo > 0) or (diff < 0 and hi < 0)
    out.detected = out.exceeds_sdd and beyond_noise
    if out.detected:
        out.worse_leg = "left" if diff > 0 else "right"
    return out


def _values(reps: list[Rep], leg: Leg, field: str) -> list[float]:
    return [getattr(m, field) for _, m in assessed(leg, reps) if m.reliable and getattr(m, field) is not None]


def asymmetries(reps: list[Rep], t: Thresholds, a: AsymmetrySettings | None = None) -> list[Asymmetry]:
    """Left-minus-right comparisons of the knee-over-foot peak and the bottom FPPA, over the reliable reps."""
    a = a or AsymmetrySettings()
    out = []
    for measure, field, sdd in (
        ("knee_over_foot_peak", "knee_over_foot_peak", t.sdd_knee_over_foot),
        ("fppa_deg", "fppa_bottom_deg", t.sdd_fppa_deg),
    ):
        left, right = (_values(reps, leg, field) for leg in LEGS)
        out.append(compare(measure, left, right, sdd, t, a))
    return out


__all__ = ["asymmetries", "bootstrap_interval", "compare"]
