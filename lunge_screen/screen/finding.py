"""The screen's finding: which pattern the clip shows, in one headline that matches the per-rep table.

Each leg is judged from its reliable reps (:mod:`lunge_screen.screen.summary`); a leg is
*judged* when it has at least ``min_reps_per_leg`` of them. The pattern (``Finding.pattern``):

* ``not measurable`` -- no knee measured at all, or too few measured reps on every leg;
* ``unreliable`` -- measured, but no leg has enough reliable reps;
* ``bilateral`` -- both judged legs roll inward (the worse side named only if the
  difference is detected, :mod:`lunge_screen.screen.asymmetry`);
* ``left`` / ``right`` -- that leg rolls inward, the other is judged, and the difference
  is detected (beyond the SDD and the bootstrap interval): the only one-sided claim,
  "consistent with left gluteus medius weakness";
* ``inconsistent`` -- a judged knee is inward on some reps but not on most, or one knee
  rolls inward while the difference from the other is within this clip's noise;
* ``incomplete`` -- a knee rolls inward but the other leg cannot be judged;
* ``none`` -- no judged knee is inward on any reliable rep.

``flag`` is true for ``left``, ``right``, ``bilateral`` and ``incomplete`` (a knee rolls
inward on most of its reps). Wording: :mod:`lunge_screen.screen.wording`.
"""

from __future__ import annotations

from ..results import Asymmetry, Finding, LegSummary, QualityWarning, Rep
from ..settings import Thresholds
from ..types import Pattern, other_leg
from . import wording as say

JUDGED = ("inward", "mixed", "not inward")
FLAGGED: tuple[Pattern, ...] = ("left", "right", "bilateral", "incomplete")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _kind(reps: list[Rep]) -> str:
    """The headline's noun: the reps' kind in the plural when they share one ("single-leg squats"), else "reps"."""
    kinds = {r.kind for r in reps} - {"unknown"}
    if not reps:
        return "lunges"
    return f"{kinds.pop()}s" if len(kinds) == 1 else "reps"


def _details(legs: dict[str, LegSummary], asym: list[Asymmetry], kind: str, t: Thresholds) -> list[str]:
    """One line per leg (what its reps show, its reliability), and the left-right comparison."""
    out = []
    for s in legs.values():
        line = _cap(say.leg_phrase(s, kind, t)) + "."
        if s.reliability:
            why = f": {'; '.join(s.reliability_reasons)}" if s.reliability_reasons else ""
            line += f" Reliability {s.reliability}{why}."
        out.append(line)
    kof = next(a for a in asym if a.measure == "knee_over_foot_peak")
    out.append(f"Left minus right median knee-over-foot peak: {say.difference_phrase(kof)}.")
    return out


def _not_judged(legs: dict[str, LegSummary], reps: list[Rep], kind: str, t, quality) -> tuple[Pattern, str]:
    """Pattern and headline when no leg can be judged."""
    clauses = [say.leg_phrase(s, kind, t) for s in legs.values() if s.judgement != "not tested"]
    if any(s.judgement == "unreliable" for s in legs.values()):
        return "unreliable", " ".join(_cap(c) + "." for c in clauses)
    if any(s.n_valid for s in legs.values()):
        return "not measurable", (
            f"Too few measurable {kind} to judge (at least {t.min_reps_per_leg} reliable per leg): "
            + "; ".join(clauses)
            + "."
        )
    withheld = [m.withheld_reason for r in reps for m in r.legs if m.withheld_reason]
    if withheld:
        reason = max(withheld, key=withheld.count)  # the commonest; a tie goes to the earliest rep's
    else:
        reason = "; ".join(w.message for w in quality[:2]) if quality else "no repetitions were found"
    return "not measurable", f"No measurable {kind}: {reason}."


def _others(legs: dict[str, LegSummary], shown: list[str], kind: str, t: Thresholds) -> str:
    """`` — right leg not tested (...)`` for the legs the headline does not already describe."""
    rest = [say.leg_phrase(s, kind, t) for leg, s in legs.items() if leg not in shown]
    return "" if not rest else " " + "; ".join(_cap(r) for r in rest) + "."


def _judged(legs: dict[str, LegSummary], kof: Asymmetry, kind: str, t: Thresholds) -> tuple[Pattern, str]:
    """Pattern and headline when at least one leg is judged."""
    judged = [s for s in legs.values() if s.judgement in JUDGED]
    names = [s.leg for s in judged]
    inward = [s for s in judged if s.judgement == "inward"]
    if len(inward) == 2:
        return "bilateral", say.bilateral(legs["left"], legs["right"], kof, kind)
    if len(inward) == 1:
        s = inward[0]
        other = legs[other_leg(s.leg)]
        if other.judgement not in JUDGED:
            head = f"{_cap(say.leg_phrase(s, kind, t))}, but the sides cannot be compared."
            return "incomplete", head + _others(legs, names, kind, t)
        if kof.detected and kof.worse_leg == s.leg:
            return s.leg, say.one_sided(s, other, kof, kind, t)
        return "inconsistent", say.within_noise(s, other, kof, kind, t)
    if any(s.judgement == "mixed" for s in judged):
        return "inconsistent", say.inconsistent(judged, kind, t) + _others(legs, names, kind, t)
    if len(judged) == 2:
        head = (
            f"Neither knee rolls inward: {'; '.join(say.leg_phrase(s, kind, t) for s in judged)} — no pattern "
            "consistent with gluteus medius weakness."
        )
        return "none", head
    head = f"{_cap(say.leg_phrase(judged[0], kind, t))}."
    return "none", head + _others(legs, names, kind, t)


def finding(
    left: LegSummary,
    right: LegSummary,
    asym: list[Asymmetry],
    reps: list[Rep],
    t: Thresholds,
    quality: list[QualityWarning],
) -> Finding:
    """The plain-language result: the pattern, whether a knee is flagged, one headline and per-leg details."""
    kind = _kind(reps)
    legs = {"left": left, "right": right}
    kof = next(a for a in asym if a.measure == "knee_over_foot_peak")
    if any(s.judgement in JUDGED for s in legs.values()):
        pattern, summary = _judged(legs, kof, kind, t)
    else:
        pattern, summary = _not_judged(legs, reps, kind, t, quality)
    details = _details(legs, asym, kind, t) if any(s.n_reps for s in legs.values()) else []
    return Finding(pattern, pattern in FLAGGED, summary, details)


__all__ = ["FLAGGED", "JUDGED", "finding"]
