"""From per-rep measures to per-leg findings, in the clinician's words.

All cut-offs live in :class:`Thresholds` (overridable from the CLI with
``--threshold NAME=VALUE`` and from the API with ``thresholds=``). Their defaults and
reasons, also in docs/measurement.md:

* **Knee-over-foot categories** (fraction of the shank length, medial +; the foot's
  axis runs through the midpoint of the ankle and the foot-index (toe-tip) landmarks,
  see ``kinematics.TOE_WEIGHT``). A foot is about 10 cm wide and a shank about 42 cm
  long, so half a foot's width is about 0.12 shank lengths.
  ``over_foot_max = 0.10``: the knee within about 4 cm of the foot's axis -- over the
  foot, inside half its width. ``clearly_medial_min = 0.20``: about 8 cm, the knee
  past the foot's medial border. ``lateral_max = -0.10``: the knee outside the foot by
  the same margin. These are geometric choices, not published norms: no published norm
  exists for knee alignment in the forward lunge (docs/clinical-background.md); how
  they agree with a clinician-style grading of the test clips is in docs/validation.md.
* **Smallest detectable difference** between legs: ``sdd_knee_over_foot = 0.10``
  (shank fraction, ~5.7 deg of shank tilt) and ``sdd_fppa_deg = 8.0`` (Munro et al.
  2012: 7.5-8.9 deg for 2D FPPA). Asymmetry is reported as an absolute difference in
  the measure's own units, never as a percentage (percentages are unstable for
  small values; Bishop et al. 2018).
* A leg "rolls inward" when at least ``min_reps_per_leg`` reps were measured and more
  than ``inward_fraction`` of them are slightly or clearly medial.

Wording: the tool screens. It reports a pattern "consistent with" gluteus medius
weakness and never a diagnosis: hip-abductor strength explains only about 22 % of
frontal-plane knee alignment (Stickler 2015).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .results import Asymmetry, Finding, LegMeasures, LegSummary, QualityWarning, Rep


@dataclass(frozen=True)
class Thresholds:
    """Screening cut-offs (see the module docstring for units and sources)."""

    over_foot_max: float = 0.10
    clearly_medial_min: float = 0.20
    lateral_max: float = -0.10
    sdd_knee_over_foot: float = 0.10
    sdd_fppa_deg: float = 8.0
    min_reps_per_leg: int = 2
    inward_fraction: float = 0.5
    fppa_min_thigh_ratio: float = 0.5
    fppa_max_abs_deg: float = 60.0

    @classmethod
    def with_overrides(cls, overrides: dict[str, float] | None) -> Thresholds:
        """A copy with some values replaced; unknown names raise ``ValueError``."""
        if not overrides:
            return cls()
        names = {f.name: f.type for f in dataclasses.fields(cls)}
        unknown = set(overrides) - set(names)
        if unknown:
            raise ValueError(f"unknown threshold(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
        values = {k: (int(v) if names[k] in ("int", int) else float(v)) for k, v in overrides.items()}
        return dataclasses.replace(cls(), **values)


def categorise(peak: float, bottom: float, t: Thresholds) -> str:
    """Clinical category of one knee in one rep from its knee-over-foot peak and bottom values.

    The peak (most medial over the loaded part of the rep) decides the medial
    categories, because the inward travel often happens mid-descent or mid-ascent;
    a knee that never comes inward but sits outside the foot at the bottom is lateral.
    """
    if peak >= t.clearly_medial_min:
        return "clearly medial"
    if peak > t.over_foot_max:
        return "slightly medial"
    if bottom < t.lateral_max:
        return "lateral"
    return "over foot"


def _median(values: list[float]) -> float | None:
    v = [x for x in values if x is not None and np.isfinite(x)]
    return float(np.median(v)) if v else None


def _iqr(values: list[float]) -> float | None:
    v = [x for x in values if x is not None and np.isfinite(x)]
    if len(v) < 2:
        return None
    q1, q3 = np.percentile(v, [25, 75])
    return float(q3 - q1)


def summarise_leg(leg: str, reps: list[Rep], t: Thresholds) -> LegSummary:
    """Per-leg summary over the reps that assessed this knee."""
    assessed: list[tuple[Rep, LegMeasures]] = [(r, m) for r in reps for m in r.legs if m.leg == leg]
    valid = [(r, m) for r, m in assessed if m.measured]
    cats = {c: 0 for c in ("over foot", "slightly medial", "clearly medial", "lateral")}
    for _, m in valid:
        cats[m.category] += 1
    n_inward = cats["slightly medial"] + cats["clearly medial"]
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


def _noun(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def finding(
    left: LegSummary,
    right: LegSummary,
    asym: list[Asymmetry],
    reps: list[Rep],
    t: Thresholds,
    warnings: list[QualityWarning],
) -> Finding:
    """The plain-language result: which knee rolls inward, and is one side clearly worse."""
    kind = "squats" if reps and all(r.kind == "squat" for r in reps) else "lunges"
    legs = {"left": left, "right": right}
    measured = [s for s in legs.values() if s.n_valid > 0]
    if not measured:
        reason = "; ".join(w.message for w in warnings[:2]) if warnings else "no repetitions were found"
        return Finding("not measurable", False, f"No measurable {kind}: {reason}.", [])
    details = []
    for s in legs.values():
        if s.n_reps == 0:
            details.append(f"{s.leg.capitalize()} leg: not tested (no {s.leg}-leg {kind} found).")
            continue
        if s.n_valid == 0:
            details.append(
                f"{s.leg.capitalize()} knee: not measured ({_noun(s.n_reps, 'rep')} found, none measurable)."
            )
            continue
        med = s.knee_over_foot_peak_median
        details.append(
            f"{s.leg.capitalize()} knee: rolls inward on {s.n_inward} of {s.n_valid} {kind}"
            f" (median peak knee-over-foot {med:+.2f} shank lengths)."
        )
        if s.n_valid < t.min_reps_per_leg:
            details.append(f"{s.leg.capitalize()} leg: only {_noun(s.n_valid, 'measured rep')}; too few to judge.")
    kof = next(a for a in asym if a.measure == "knee_over_foot_peak")
    inward = [s for s in legs.values() if s.rolls_inward]
    if len(inward) == 1:
        s = inward[0]
        other = legs["right" if s.leg == "left" else "left"]
        if kof.worse_leg == s.leg:
            tail = (
                f"more than the {other.leg} (difference {abs(kof.difference):.2f}, above the {kof.sdd:.2f} detectable)"
            )
        elif other.n_reps == 0:
            tail = f"the {other.leg} leg was not tested (no {other.leg} {kind})"
        elif other.n_valid == 0:
            tail = f"the {other.leg} knee could not be measured"
        else:
            tail = f"the {other.leg} stays over the foot"
        summary = (
            f"{s.leg.capitalize()} knee rolls inward on {s.n_inward} of {s.n_valid} {kind}, {tail} — "
            f"consistent with {s.leg} gluteus medius weakness."
        )
        return Finding(s.leg, True, summary, details)
    if len(inward) == 2:
        if kof.exceeds_sdd:
            w = kof.worse_leg
            summary = (
                f"Both knees roll inward, the {w} more (difference {abs(kof.difference):.2f}, above the "
                f"{kof.sdd:.2f} detectable) — consistent with gluteus medius weakness, more on the {w}."
            )
            return Finding(w, True, summary, details)
        summary = (
            f"Both knees roll inward (left {left.n_inward} of {left.n_valid}, right {right.n_inward} of "
            f"{right.n_valid}) with no clear side-to-side difference — consistent with bilateral hip abductor weakness."
        )
        return Finding("both", True, summary, details)
    few = [s.leg for s in legs.values() if 0 < s.n_valid < t.min_reps_per_leg]
    confident = any(s.n_valid >= t.min_reps_per_leg and s.n_inward for s in legs.values())
    if few and not confident and any(s.n_inward for s in legs.values()):
        summary = f"Inward knee movement seen, but too few measured {kind} to judge ({', '.join(few)} leg)."
        return Finding("none", False, summary, details)
    summary = (
        "Neither knee rolls inward on this screen: the knees stay over the feet — "
        "no pattern consistent with gluteus medius weakness."
    )
    return Finding("none", False, summary, details)
