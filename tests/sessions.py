"""Synthetic sessions with known per-rep values: SessionResult objects built without any video.

``make_session({"left": [...], "right": [...]})`` gives one lunge rep per value (a ``None``
value is a rep whose knee was withheld), categorised by the default thresholds and
summarised by the package's own per-leg summary, asymmetry and finding -- so a test
knows every rep's peak knee-over-foot exactly.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lunge_screen.results import InputInfo, LegMeasures, ModelInfo, Rep, SessionResult
from lunge_screen.screen.asymmetry import asymmetries
from lunge_screen.screen.categories import categorise
from lunge_screen.screen.finding import finding
from lunge_screen.screen.summary import summarise_leg
from lunge_screen.settings import AnalysisSettings, ExtractSettings, Thresholds

SHA = "a" * 64


def _rep(k: int, leg: str, value: float | None, t: Thresholds, view: str, poor: bool = False) -> Rep:
    if value is None:
        m = LegMeasures(leg=leg, withheld_reason="side view (yaw 70 deg): frontal-plane measures are not valid")
    else:
        m = LegMeasures(leg=leg, category=categorise(value, value, t), knee_over_foot_peak=value,
                        knee_over_foot_bottom=value, reliability="poor" if poor else "good")  # fmt: skip
    t0 = 3.0 * k
    return Rep(k, 30 * k, 30 * k + 20, 30 * k + 40, t0, t0 + 0.7, t0 + 1.4, leg, 1.0, 0.3, view, 5.0, legs=[m])


def make_session(
    values: dict[str, list[float | None]],
    *,
    thresholds: dict[str, float] | None = None,
    extraction: dict[str, Any] | None = None,
    model: str = "full",
    model_sha256: str = SHA,
    view: str = "frontal",
    fps: float = 30.0,
    person_height_px: float | None = 900.0,
    session_date: str | None = None,
    software_version: str = "0.1.0",
    video: str = "/clinic/patient.mp4",
    poor: dict[str, set[int]] | None = None,
) -> SessionResult:
    """A session whose reps have exactly these peak knee-over-foot values, per leg (left reps first).

    ``poor[leg]``: positions (0-based, in that leg's list) of reps graded ``poor`` (measured, not reliable).
    """
    t = Thresholds.with_overrides(thresholds)
    analysis = dataclasses.replace(AnalysisSettings(), thresholds=t)
    reps, k = [], 1
    for leg in ("left", "right"):
        for i, v in enumerate(values.get(leg, [])):
            reps.append(_rep(k, leg, v, t, view, i in (poor or {}).get(leg, set())))
            k += 1
    legs = {leg: summarise_leg(leg, reps, t) for leg in ("left", "right")}
    asym = asymmetries(reps, t)
    ext = {**dataclasses.asdict(ExtractSettings()), **(extraction or {})}
    return SessionResult(
        input=InputInfo(video, 1080, 1920, fps, 300, 300, 10.0),
        model=ModelInfo(model, model_sha256, "0.10.30"),
        settings={"analysis": analysis.to_dict(), "extraction": ext},
        view=view,
        yaw_deg=5.0,
        facing="camera",
        reps=reps,
        legs=legs,
        asymmetry=asym,
        finding=finding(legs["left"], legs["right"], asym, reps, t, []),
        warnings=[],
        software_version=software_version,
        person_height_px=person_height_px,
        session_date=session_date,
    )
