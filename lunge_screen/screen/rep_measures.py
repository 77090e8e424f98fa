"""One knee's measures in one rep (:class:`~lunge_screen.results.LegMeasures`), from the per-frame measures.

Each value is either the value at the rep's bottom frame, or a *sustained peak*: the
largest value held for ``sustained_s`` seconds over the frames where the leg bears load
(:func:`loaded_frames`). A value that cannot be trusted is withheld with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..measure.legs import LegFrames, leg_in_frame
from ..measure.standing import StandingReference
from ..reps.detection import RepWindow
from ..results import LegMeasures
from ..settings import AnalysisSettings, Thresholds
from ..track.series import LEGS, PersonTrack
from ..track.signals import runs, sample_rate
from ..types import FRONTAL_VIEWS, MEDIAL_CATEGORIES, Leg, View
from .categories import categorise


@dataclass(frozen=True)
class RepInputs:
    """The per-frame data every rep is measured from (one track, its pelvis depth, both legs' measures)."""

    track: PersonTrack
    depth: np.ndarray
    legs: dict[Leg, LegFrames]
    standing: StandingReference


def finite_or_none(x: Any) -> float | None:
    """A finite float or None."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def loaded_frames(inputs: RepInputs, w: RepWindow, leg: Leg, settings: AnalysisSettings) -> np.ndarray:
    """Boolean ``(T,)``: frames of the rep where this leg bears load.

    The pelvis is at least ``loaded_fraction`` of the rep's depth down and the foot is
    planted (ankle slower than ``planted_speed`` standing leg lengths per second), so a
    foot still swinging into the step never counts toward the peak.
    """
    track = inputs.track
    seg = slice(w.start, w.end + 1)
    ankle = track.image[:, LEGS[leg]["ankle"], :2]
    speed = np.full(track.n_frames, np.nan)
    dt = np.gradient(track.time) if track.n_frames > 1 else np.ones(1)
    speed[:] = np.hypot(*np.gradient(ankle, axis=0).T) / dt / inputs.standing.leg_px[leg]
    loaded = np.zeros(track.n_frames, bool)
    loaded[seg] = (np.nan_to_num(inputs.depth[seg]) >= settings.loaded_fraction * w.depth) & (
        np.nan_to_num(speed[seg], nan=np.inf) < settings.planted_speed
    )
    loaded[w.bottom] = True
    return loaded


def sustained_peak(x: np.ndarray, mask: np.ndarray, time: np.ndarray, duration_s: float) -> float:
    """Largest value that ``x`` holds for at least ``duration_s`` seconds inside ``mask``.

    The maximum, over the masked runs, of a moving minimum ``duration_s`` long: a
    knee that rolls inward and stays there counts; a one-frame landmark jitter does
    not. A run shorter than the window contributes its minimum. NaN if nothing is masked.
    """
    x = np.where(mask, np.asarray(x, float), np.nan)
    k = max(1, int(round(duration_s * (sample_rate(time) or 30.0))))
    best = np.nan
    for a, b in runs(np.isfinite(x)):
        seg = x[a:b]
        if len(seg) <= k:
            best = np.fmax(best, seg.min())
            continue
        win = np.lib.stride_tricks.sliding_window_view(seg, k)
        best = np.fmax(best, win.min(axis=1).max())
    return float(best)


def _withheld(inputs: RepInputs, w: RepWindow, leg: Leg, view: View, yaw: float | None, margin: float) -> str | None:
    """Why this knee's frontal-plane measures are withheld in this rep (None if they are not)."""
    if view not in FRONTAL_VIEWS:
        yaw_txt = f" (yaw {yaw:.0f} deg)" if yaw is not None else ""
        return f"{view} view{yaw_txt}: frontal-plane measures are not valid outside a frontal or rear view"
    if not leg_in_frame(inputs.track, leg, margin)[w.bottom]:
        return "knee or foot out of frame or not detected at the bottom of the rep"
    return None


def _fppa_invalid_reason(ratio: float | None, t: Thresholds) -> str:
    if ratio is None:
        return "thigh not measurable"
    if ratio < t.fppa_min_thigh_ratio:
        return f"thigh foreshortened to {ratio:.0%} of its standing length (< {t.fppa_min_thigh_ratio:.0%})"
    return f"angle beyond +-{t.fppa_max_abs_deg:.0f} deg: the thigh lies near-horizontal in the image"


def measure_rep_leg(
    inputs: RepInputs, w: RepWindow, leg: Leg, view: View, yaw: float | None, settings: AnalysisSettings
) -> LegMeasures:
    """One knee's measures in one rep, or the reason they are withheld."""
    s = inputs.legs[leg]
    b = w.bottom
    t = settings.thresholds
    m = LegMeasures(leg=leg, knee_flexion_bottom_deg=finite_or_none(s.knee_flexion_deg[b]))
    m.withheld_reason = _withheld(inputs, w, leg, view, yaw, settings.edge_margin)
    if m.withheld_reason:
        return m
    loaded = loaded_frames(inputs, w, leg, settings)
    time = inputs.track.time
    if not np.isfinite(s.knee_over_foot[b]) or not np.isfinite(s.knee_over_foot[loaded]).any():
        m.withheld_reason = "knee-over-foot could not be measured (landmarks missing)"
        return m
    # Normalise by this rep's own shank length: a lunging foot is nearer the camera
    # than where it stood, so its shank looks longer than the standing reference.
    j = LEGS[leg]
    lev_k, lev_a = inputs.track.image[:, j["knee"], :2], inputs.track.image[:, j["ankle"], :2]
    rep_shank = np.nanmedian(np.hypot(*(lev_k[loaded] - lev_a[loaded]).T))
    scale = inputs.standing.shank_px[leg] / rep_shank if np.isfinite(rep_shank) and rep_shank > 0 else 1.0
    kof_rep = s.knee_over_foot * scale

    def peak(x: np.ndarray) -> float | None:
        return finite_or_none(sustained_peak(x, loaded, time, settings.sustained_s))

    m.knee_over_foot_bottom = finite_or_none(kof_rep[b])
    m.knee_over_foot_peak = peak(kof_rep)
    m.shank_tilt_bottom_deg = finite_or_none(s.shank_tilt_deg[b])
    m.shank_tilt_peak_deg = peak(s.shank_tilt_deg)
    m.kmd_bottom = finite_or_none(s.kmd[b])
    m.kmd_change_bottom = finite_or_none(s.kmd_change[b])
    m.kmd_change_peak = peak(s.kmd_change)
    m.thigh_ratio_bottom = finite_or_none(s.thigh_ratio[b])
    if s.fppa_valid[b]:
        m.fppa_bottom_deg = finite_or_none(s.fppa_deg[b])
    else:
        m.fppa_invalid_reason = _fppa_invalid_reason(m.thigh_ratio_bottom, t)
    m.category = categorise(m.knee_over_foot_peak, m.knee_over_foot_bottom, t)
    m.hip_and_foot_disagree = _hip_and_foot_disagree(m, t)
    return m


def _hip_and_foot_disagree(m: LegMeasures, t: Thresholds) -> bool:
    """The knee's offset from the hip-ankle line (KMD change) points the other way than its category."""
    hip_medial = m.kmd_change_bottom is not None and m.kmd_change_bottom > 0.5 * t.over_foot_max
    hip_lateral = m.kmd_change_bottom is not None and m.kmd_change_bottom < -0.5 * t.over_foot_max
    return (hip_medial and m.category in ("over foot", "lateral")) or (
        hip_lateral and m.category in MEDIAL_CATEGORIES
    )


__all__ = ["RepInputs", "finite_or_none", "loaded_frames", "measure_rep_leg", "sustained_peak"]
