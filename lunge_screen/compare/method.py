"""Fixed text of the comparison page: what a detectable change is, its assumptions, and the published figures."""

from __future__ import annotations

from ..report.method import SOURCES

NOTE = (
    "A change is called detectable when it is larger than the smallest detectable change (MDC95) of these two "
    "sessions: the change that rep-to-rep variability alone would exceed in fewer than 5 % of repeat screens. "
    "It says the measured knee position differs by more than this measurement's own noise — not why it differs "
    "(exercise, pain, fatigue, footwear, the day, or how the movement was done). The tool screens; it does not "
    "diagnose."
)


def method_paragraphs(confidence: float, quantile: str, mdc_floor: float) -> list[str]:
    """The method in plain words, with the formula and its assumptions (docs/measurement.md#comparing-sessions)."""
    floor = f" It is never taken below {mdc_floor:.2f} shank lengths (the mdc_floor setting)." if mdc_floor > 0 else ""
    q = (
        f"Student's t quantile (two-sided {confidence:.0%}) at the Welch–Satterthwaite degrees of freedom, "
        "because each SD comes from a few reps (with the normal 1.96 instead, an unchanged knee would be called "
        "changed in about 11 % of pairs of three-rep sessions)"
        if quantile == "t"
        else f"the normal quantile (two-sided {confidence:.0%}: 1.96 at 95 %)"
    )
    return [
        "Each session gives, per leg, the peak knee-over-foot of every reliable rep (measured and not graded poor; "
        "shank lengths, positive = "
        "knee inward of the foot's axis). The session's value is their median; the change between two sessions is "
        "the later median minus the earlier one, so a negative change means the knee moved outward.",
        "Smallest detectable change: MDC = q × √(SE₁² + SE₂²), where SE = k(n) × s / √n is the standard error of "
        "the median of n reps with rep-to-rep standard deviation s, k(n) the median's factor for normally "
        "distributed noise (1 for one or two reps, 1.16 for three, approaching 1.25 for many), and q the " + q + "."
        " With one rep per session and q = 1.96 this is the familiar MDC95 = 1.96 × √2 × SEM." + floor,
        "Assumptions: the reps are independent repeats of the same movement by the same person, filmed with the same "
        "set-up, and the rep-to-rep variability within a session is the noise. Day-to-day variation and re-placing "
        "the camera are not in it, so the MDC95 here is a lower bound of the between-session noise; differences of "
        "set-up are listed as warnings. A change is not judged when either session has fewer reliable reps than "
        "the screen needs (at least two: a standard deviation needs two).",
        "For comparison, published between-day reliability of the 2D frontal plane projection angle: SEM 2.7–3.0°, "
        "smallest detectable difference 7.5–8.9° (Munro, Herrington & Carolan 2012). A knee-over-foot of 0.10 shank "
        "lengths is about 5.7° of shank tilt.",
    ]


#: The sources the method cites.
COMPARE_SOURCES = [s for s in SOURCES if s[0].startswith(("Munro", "Gwynne", "Ceballos"))]
