"""Synthetic per-rep values for the screening tests: reps with known knee-over-foot peaks, categories and grades."""

from __future__ import annotations

from lunge_screen.results import LegMeasures, Rep
from lunge_screen.screen.asymmetry import asymmetries
from lunge_screen.screen.categories import categorise
from lunge_screen.screen.finding import finding
from lunge_screen.screen.summary import summarise_leg
from lunge_screen.settings import AsymmetrySettings, Thresholds

T = Thresholds()


def measured(leg: str, kof: float, reliability: str = "good", t: Thresholds = T) -> LegMeasures:
    """A measured knee whose peak and bottom are ``kof`` (category from the thresholds)."""
    return LegMeasures(leg=leg, category=categorise(kof, kof, t), knee_over_foot_peak=kof,
                       knee_over_foot_bottom=kof, reliability=reliability,
                       reliability_concerns=[] if reliability == "good" else ["jitter"],
                       reliability_reasons=[] if reliability == "good" else ["landmark jitter 0.03"])  # fmt: skip


def withheld(leg: str, reason: str = "side view (yaw 60 deg)") -> LegMeasures:
    return LegMeasures(leg=leg, withheld_reason=reason)


def rep(k: int, *legs: LegMeasures) -> Rep:
    lead = legs[0].leg if len(legs) == 1 else "both"
    return Rep(k, 10 * k, 10 * k + 5, 10 * k + 9, float(k), k + 0.5, k + 0.9, lead, 1.0, 0.3, "frontal", 5.0,
               legs=list(legs), kind="squat" if lead == "both" else "lunge")  # fmt: skip


def lunges(left: list[float], right: list[float], grades: dict[str, list[str]] | None = None) -> list[Rep]:
    """Lunges: first the left values, then the right ones (grades per leg optional, default good)."""
    grades = grades or {}
    out, k = [], 1
    for leg, values in (("left", left), ("right", right)):
        for i, v in enumerate(values):
            g = grades.get(leg, ["good"] * len(values))[i]
            out.append(rep(k, measured(leg, v, g)))
            k += 1
    return out


def squats(left: list[float], right: list[float]) -> list[Rep]:
    """Squats assessing both knees, rep by rep."""
    return [rep(k, measured("left", a), measured("right", b)) for k, (a, b) in enumerate(zip(left, right), 1)]


A = AsymmetrySettings()


def screen(reps: list[Rep], t: Thresholds = T, a: AsymmetrySettings = A):
    """(left summary, right summary, asymmetries, finding) of the reps, by the package's own code."""
    left, right = summarise_leg("left", reps, t), summarise_leg("right", reps, t)
    asym = asymmetries(reps, t, a)
    return left, right, asym, finding(left, right, asym, reps, t, [])
