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


def method_paragraphs(z: float, mdc_floor: float) -> list[str]:
    """The method in plain words, with the formula and its assumptions (docs/measurement.md#comparing-sessions)."""
    floor = f" It is never taken below {mdc_floor:.2f} shank lengths (the mdc_floor setting)." if mdc_floor > 0 else ""
    return [
        "Each session gives, per leg, the peak knee-over-foot of every measured rep (shank lengths, positive = "
        "knee inward of the foot's axis). The session's value is their median; the change between two sessions is "
        "the later median minus the earlier one, so a negative change means the knee moved outward.",
        f"Smallest detectable change: MDC95 = {z:g} × √(SE₁² + SE₂²), where SE = k(n) × s / √n is the standard "
        "error of a median of n reps with rep-to-rep standard deviation s, and k(n) is the median's factor for "
        "normally distributed noise (1 for one or two reps, 1.16 for three, approaching 1.25 for many). With one "
        "rep per session this is the familiar 1.96 × √2 × SEM." + floor,
        "Assumptions: the reps are independent repeats of the same movement by the same person, filmed with the same "
        "set-up, and the rep-to-rep variability within a session is the noise. Day-to-day variation and re-placing "
        "the camera are not in it, so the MDC95 here is a lower bound of the between-session noise; differences of "
        "set-up are listed as warnings. A change is not judged when either session has fewer measured reps than "
        "the screen needs (at least two: a standard deviation needs two).",
        "For comparison, published between-day reliability of the 2D frontal plane projection angle: SEM 2.7–3.0°, "
        "smallest detectable difference 7.5–8.9° (Munro, Herrington & Carolan 2012). A knee-over-foot of 0.10 shank "
        "lengths is about 5.7° of shank tilt.",
    ]


#: The sources the method cites.
COMPARE_SOURCES = [s for s in SOURCES if s[0].startswith(("Munro", "Gwynne", "Ceballos"))]
