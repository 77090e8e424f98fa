"""The screen's plain-language finding: which knee rolls inward, and is one side clearly worse.

A leg "rolls inward" when at least ``min_reps_per_leg`` reps were measured and more than
``inward_fraction`` of them are slightly or clearly medial (:mod:`lunge_screen.screen.summary`).

Wording: the tool screens. It reports a pattern "consistent with" gluteus medius
weakness and never a diagnosis: hip-abductor strength explains only about 22 % of
frontal-plane knee alignment (Stickler 2015).
"""

from __future__ import annotations

from ..results import Asymmetry, Finding, LegSummary, QualityWarning, Rep
from ..settings import Thresholds
from ..types import other_leg


def _noun(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _details(legs: dict[str, LegSummary], kind: str, t: Thresholds) -> list[str]:
    """One line per leg: tested or not, measured or not, how often inward, and too few reps."""
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
    return details


def _one_leg_summary(s: LegSummary, other: LegSummary, kof: Asymmetry, kind: str) -> str:
    """The summary when exactly one knee (``s``) rolls inward."""
    if kof.worse_leg == s.leg:
        tail = f"more than the {other.leg} (difference {abs(kof.difference):.2f}, above the {kof.sdd:.2f} detectable)"
    elif other.n_reps == 0:
        tail = f"the {other.leg} leg was not tested (no {other.leg} {kind})"
    elif other.n_valid == 0:
        tail = f"the {other.leg} knee could not be measured"
    else:
        tail = f"the {other.leg} stays over the foot"
    return (
        f"{s.leg.capitalize()} knee rolls inward on {s.n_inward} of {s.n_valid} {kind}, {tail} — "
        f"consistent with {s.leg} gluteus medius weakness."
    )


def finding(
    left: LegSummary,
    right: LegSummary,
    asym: list[Asymmetry],
    reps: list[Rep],
    t: Thresholds,
    quality: list[QualityWarning],
) -> Finding:
    """The plain-language result: which knee rolls inward, and is one side clearly worse."""
    kind = "squats" if reps and all(r.kind == "squat" for r in reps) else "lunges"
    legs = {"left": left, "right": right}
    measured = [s for s in legs.values() if s.n_valid > 0]
    if not measured:
        reason = "; ".join(w.message for w in quality[:2]) if quality else "no repetitions were found"
        return Finding("not measurable", False, f"No measurable {kind}: {reason}.", [])
    details = _details(legs, kind, t)
    kof = next(a for a in asym if a.measure == "knee_over_foot_peak")
    inward = [s for s in legs.values() if s.rolls_inward]
    if len(inward) == 1:
        s = inward[0]
        return Finding(s.leg, True, _one_leg_summary(s, legs[other_leg(s.leg)], kof, kind), details)
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
