"""The words of the finding: phrases about one leg's reps, and the headline of each pattern.

Rules every sentence keeps (the headline never contradicts the per-rep table beneath it):

* counts are of the leg's *reliable* reps, and say so when some reps were not counted;
* reps inward on some reps but not others are named ("on the first 3 of 7 squats (reps 1-3)");
* a one-sided or bilateral pattern is "consistent with" gluteus medius weakness, never a
  diagnosis or a cause (hip-abductor strength explains about 22 % of frontal-plane knee
  alignment, Stickler 2015).
"""

from __future__ import annotations

import numpy as np

from ..results import Asymmetry, LegSummary
from ..settings import Thresholds


def noun(n: int, word: str) -> str:
    """``"1 lunge"``, ``"3 lunges"`` (``word`` is the plural)."""
    return f"{n} {word if n != 1 else word[:-1]}"


def rep_list(indices: list[int]) -> str:
    """``"rep 4"``, ``"reps 1–3"`` (consecutive), ``"reps 2, 5 and 7"``."""
    if not indices:
        return "no reps"
    if len(indices) == 1:
        return f"rep {indices[0]}"
    if indices == list(range(indices[0], indices[-1] + 1)):
        return f"reps {indices[0]}–{indices[-1]}"
    return "reps " + ", ".join(map(str, indices[:-1])) + f" and {indices[-1]}"


def where(inward: list[int], reliable: list[int], kind: str) -> str:
    """Which reliable reps were inward: ``"the first 3 of 7 squats (reps 1–3)"``, ``"2 of 6 lunges (reps 2 and 5)"``."""
    k, n = len(inward), len(reliable)
    if not 0 < k < n:
        return f"{k} of {n} {kind}"
    if inward == reliable[:k]:
        return f"the first {k} of {n} {kind} ({rep_list(inward)})"
    if inward == reliable[-k:]:
        return f"the last {k} of {n} {kind} ({rep_list(inward)})"
    return f"{k} of {n} {kind} ({rep_list(inward)})"


def _uncounted(s: LegSummary) -> str:
    """``"2 more not counted: withheld or unreliable"`` when some of the leg's reps were not counted, else ``""``."""
    extra = s.n_reps - s.n_reliable
    return f"{extra} more not counted: withheld or unreliable" if extra and s.n_reliable else ""


def _not_inward(s: LegSummary, kind: str) -> str:
    """``"over the foot on 7 of 10 lunges, outside it on 3"``, ``"outside the foot on 3 of 3 lunges"``."""
    n, over, lateral = s.n_reliable, s.categories.get("over foot", 0), s.categories.get("lateral", 0)
    if over and lateral:
        return f"over the foot on {over} of {n} {kind}, outside it on {lateral}"
    if lateral:
        return f"outside the foot on {lateral} of {n} {kind}"
    return f"over the foot on {over} of {n} {kind}"


def leg_phrase(s: LegSummary, kind: str, t: Thresholds) -> str:
    """What one leg's reps show, as a clause starting with the leg (e.g. "left knee rolls inward on 4 of 5 lunges")."""
    leg, n = s.leg, s.n_reliable
    if s.judgement == "not tested":
        return f"{leg} leg not tested (no {leg}-leg {kind})"
    if s.judgement == "not measured":
        return f"{leg} knee not measured ({noun(s.n_reps, kind)} found, every one withheld)"
    withheld = s.n_reps - s.n_valid
    more = f"; {withheld} more withheld" if withheld else ""
    if s.judgement == "too few reps":
        seen = f"inward on {s.n_inward}" if s.n_inward else "none inward"
        poor = f", {s.n_valid - n} unreliable" if s.n_valid > n else ""
        return f"{leg} knee measured on only {noun(s.n_valid, kind)} ({seen}{poor}{more})"
    if s.judgement == "unreliable":
        why = "; ".join(s.reliability_reasons) or "graded poor"
        return f"{leg} knee too unreliable to judge ({n} of {s.n_valid} measured {kind} reliable: {why}{more})"
    if s.judgement == "inward":
        extra = f" ({_uncounted(s)})" if _uncounted(s) else ""
        return f"{leg} knee rolls inward on {s.n_inward} of {n} {kind}{extra}"
    if s.judgement == "mixed":
        return f"{leg} knee inward on {where(s.inward_reps, s.reliable_reps, kind)}, not on the others"
    extra = f"; {_uncounted(s)}" if _uncounted(s) else ""
    return f"{leg} knee does not roll inward ({_not_inward(s, kind)}{extra})"


def difference_phrase(a: Asymmetry, worse: str = "left") -> str:
    """``"difference 0.19 shank lengths, 95 % interval 0.12 to 0.26, above the 0.10 detectable"``.

    Signed as ``worse`` minus the other leg (left minus right by default), the interval with it.
    """
    if not a.judged or a.difference is None:
        return f"not compared: {a.not_judged_reason}"
    sign = 1.0 if worse == "left" else -1.0
    lo, hi = sorted((sign * a.interval_low, sign * a.interval_high))
    level = f"{a.interval_level:.0%}".replace("%", " %")
    verdict = "above" if a.exceeds_sdd else "within"
    return (
        f"difference {sign * a.difference:+.2f} shank lengths, {level} interval {lo:+.2f} to {hi:+.2f}, "
        f"{verdict} the {a.sdd:.2f} detectable"
    )


def one_sided(s: LegSummary, other: LegSummary, kof: Asymmetry, kind: str, t: Thresholds) -> str:
    """Headline of a one-sided pattern: the difference is beyond the SDD and the interval."""
    return (
        f"{s.leg.capitalize()} knee rolls inward on {s.n_inward} of {s.n_reliable} {kind}, more than the "
        f"{other.leg} ({difference_phrase(kof, s.leg)}) — consistent with {s.leg} gluteus medius weakness."
    )


def bilateral(left: LegSummary, right: LegSummary, kof: Asymmetry, kind: str) -> str:
    """Headline of both knees rolling inward, naming the worse side only when the difference is detected."""
    counts = f"left on {left.n_inward} of {left.n_reliable} {kind}, right on {right.n_inward} of {right.n_reliable}"
    if kof.detected:
        return (
            f"Both knees roll inward ({counts}), the {kof.worse_leg} more ({difference_phrase(kof, kof.worse_leg)}) "
            "— consistent "
            f"with gluteus medius weakness on both sides, more on the {kof.worse_leg}."
        )
    return (
        f"Both knees roll inward ({counts}) with no clear side-to-side difference — consistent with gluteus "
        "medius (hip abductor) weakness on both sides."
    )


def timing(legs: list[LegSummary]) -> str:
    """``"the early"`` / ``"the later"`` when every inward rep lies before / after the middle rep, else ``""``."""
    inward = sorted(i for s in legs for i in s.inward_reps)
    reliable = sorted({i for s in legs for i in s.reliable_reps})
    if not inward or not reliable:
        return ""
    middle = float(np.median(reliable))
    if max(inward) < middle:
        return "early"
    if min(inward) > middle:
        return "later"
    return ""


def inconsistent(judged: list[LegSummary], kind: str, t: Thresholds) -> str:
    """Headline of knees inward on some reps but not others (naming which)."""
    shown = [s for s in judged if s.n_inward]
    per_leg = "; ".join(f"{s.leg} knee on {where(s.inward_reps, s.reliable_reps, kind)}" for s in shown)
    when = timing(judged)
    if when == "early":
        lead = f"Knees rolled inward on the early {kind} only, not on the later ones"
    elif when == "later":
        lead = f"Knees rolled inward on the later {kind} only, not on the first ones"
    else:
        lead = f"Knees rolled inward on some {kind}, not on others"
    if len(shown) == 1:
        lead = lead.replace("Knees", f"{shown[0].leg.capitalize()} knee", 1)
    return f"{lead}: {per_leg} — an inconsistent pattern, not a steady one."


def within_noise(s: LegSummary, other: LegSummary, kof: Asymmetry, kind: str, t: Thresholds) -> str:
    """Headline of one knee rolling inward while its difference from the other is within the noise."""
    return (
        f"{s.leg.capitalize()} knee rolls inward on {s.n_inward} of {s.n_reliable} {kind}, the {other.leg} on "
        f"{other.n_inward} of {other.n_reliable}, but the difference is within this clip's noise "
        f"({difference_phrase(kof, s.leg)}): no clear one-sided pattern."
    )


__all__ = [
    "bilateral",
    "difference_phrase",
    "inconsistent",
    "leg_phrase",
    "noun",
    "one_sided",
    "rep_list",
    "timing",
    "where",
    "within_noise",
]
