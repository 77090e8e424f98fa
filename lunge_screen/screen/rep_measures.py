"""One knee's measures in one rep (:class:`~lunge_screen.results.LegMeasures`), from the per-frame measures.

Each value is either the value at the rep's bottom (the median over its bottom phase, the
frames where the pelvis is within ``bottom_phase`` of its deepest: one frame of a hold is
not the hold), or a *sustained peak*: the
largest value held for ``sustained_s`` seconds over the frames where the leg bears load
(:func:`loaded_frames`) and the pelvis is near the bottom (``peak_depth_fraction``). A value
that cannot be trusted is withheld with its reason (view, frame, the plausibility gates of
:mod:`lunge_screen.screen.gates`); a measured one carries its reliability grade
(:mod:`lunge_screen.screen.reliability`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..measure import kinematics as kin
from ..measure.legs import LegFrames, leg_in_frame
from ..measure.standing import StandingReference, level_image
from ..reps.detection import RepWindow
from ..results import LegMeasures
from ..settings import AnalysisSettings, Thresholds
from ..track.series import LEGS, PersonTrack
from ..track.signals import runs, sample_rate
from ..types import FRONTAL_VIEWS, MEDIAL_CATEGORIES, Leg, View, other_leg
from . import gates
from .categories import categorise
from .reliability import Evidence, concerns, grade, in_plane_ratio, jitter


@dataclass(frozen=True)
class RepInputs:
    """The per-frame data every rep is measured from (one track, its pelvis depth, both legs' measures).

    ``lev`` is the levelled image (``measure.standing.level_image``; None: the track's image),
    ``raw_kof`` each leg's knee-over-foot from the label-corrected landmarks *before*
    cleaning (standing-shank lengths; None: no jitter is measured).
    """

    track: PersonTrack
    depth: np.ndarray
    legs: dict[Leg, LegFrames]
    standing: StandingReference
    lev: np.ndarray | None = None
    raw_kof: dict[Leg, np.ndarray] | None = None
    cutoff_hz: float = 6.0

    @property
    def image(self) -> np.ndarray:
        return self.lev if self.lev is not None else self.track.image[:, :, :2]


def raw_knee_over_foot(
    labelled: PersonTrack, standing: StandingReference, legs: dict[Leg, LegFrames]
) -> dict[Leg, np.ndarray]:
    """Each leg's per-frame knee-over-foot from landmarks before cleaning (standing-shank lengths).

    ``labelled`` is the subject's track with the left/right labels corrected but not yet
    cleaned; the difference from the cleaned value is the landmarks' jitter
    (:func:`lunge_screen.screen.reliability.jitter`).
    """
    lev = level_image(labelled, standing.roll_deg)
    out = {}
    for leg, f in legs.items():
        j = LEGS[leg]
        out[leg] = kin.knee_over_foot(lev[:, j["knee"]], lev[:, j["ankle"]], lev[:, j["toe"]], f.medial,
                                      standing.shank_px[leg])  # fmt: skip
    return out


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


def _window(inputs: RepInputs, w: RepWindow, half_s: float) -> slice:
    """Frames within ``half_s`` seconds of the bottom, inside the rep."""
    t = inputs.track.time
    a = int(np.searchsorted(t, t[w.bottom] - half_s, side="left"))
    b = int(np.searchsorted(t, t[w.bottom] + half_s, side="right"))
    return slice(max(a, w.start), min(b, w.end + 1))


def _rep_scale(inputs: RepInputs, leg: Leg, loaded: np.ndarray) -> tuple[float, float]:
    """(standing shank / this rep's shank, the rep's shank in px): the rep's own normaliser.

    A lunging foot is nearer the camera than where it stood, so its shank looks longer than
    the standing reference: knee-over-foot is re-normalised by the median knee-ankle length
    over the rep's loaded frames.
    """
    j = LEGS[leg]
    im = inputs.track.image
    rep_shank = float(np.nanmedian(np.hypot(*(im[loaded, j["knee"], :2] - im[loaded, j["ankle"], :2]).T)))
    if not np.isfinite(rep_shank) or rep_shank <= 0:
        return 1.0, float("nan")
    return inputs.standing.shank_px[leg] / rep_shank, rep_shank


def _evidence(
    inputs: RepInputs, w: RepWindow, leg: Leg, scale: float, view_yaw: float | None, s: AnalysisSettings
) -> tuple[Evidence, dict[str, float]]:
    """The rep's reliability evidence, and the landmarks' visibility at the bottom (for the gate)."""
    j = LEGS[leg]
    b = w.bottom
    track = inputs.track
    names = {"knee": j["knee"], "ankle": j["ankle"], "foot tip": j["toe"]}
    at_bottom = {name: float(track.visibility[b, i]) for name, i in names.items()}
    win = _window(inputs, w, s.reliability.jitter_window_s)
    around = float(np.nanmin(np.nanmedian(track.visibility[win][:, list(names.values())], axis=0)))
    shank_px = float(np.hypot(*(track.image[b, j["knee"], :2] - track.image[b, j["ankle"], :2])))
    noise = float("nan")
    if inputs.raw_kof is not None:
        clean = inputs.legs[leg].knee_over_foot[win]
        noise = scale * jitter(inputs.raw_kof[leg][win], clean, track.time[win], inputs.cutoff_hz)
    ev = Evidence(
        visibility=around,
        shank_px=shank_px,
        jitter=noise,
        shank_in_plane=in_plane_ratio(track.world[b, j["knee"]], track.world[b, j["ankle"]]),
        yaw_deg=float("nan") if view_yaw is None else float(view_yaw),
        fps=sample_rate(track.time),
    )
    return ev, at_bottom


def _other_foot_offset(inputs: RepInputs, w: RepWindow, leg: Leg, rep_shank: float) -> float:
    """Where the other foot's axis lies from this foot's axis at the bottom (this leg's medial +, shank lengths)."""
    im, b = inputs.image, w.bottom
    j, o = LEGS[leg], LEGS[other_leg(leg)]
    own, other = (im[b, v["ankle"], 0] + kin.TOE_WEIGHT * (im[b, v["toe"], 0] - im[b, v["ankle"], 0]) for v in (j, o))
    return float((other - own) * inputs.legs[leg].medial[b] / rep_shank)


def _values(inputs: RepInputs, w: RepWindow, leg: Leg, loaded: np.ndarray, scale: float, s: AnalysisSettings) -> dict:
    """The knee's frontal-plane values in this rep (bottom and sustained peaks), before the gates."""
    f = inputs.legs[leg]
    b = w.bottom
    near = loaded & (np.nan_to_num(inputs.depth) >= s.peak_depth_fraction * w.depth)
    near[b] = True
    time = inputs.track.time

    def peak(x: np.ndarray) -> float | None:
        return finite_or_none(sustained_peak(x, near, time, s.sustained_s))

    def at_bottom(x: np.ndarray) -> float | None:
        """Median over the bottom phase's frames: a hold's value, not one frame's."""
        v = np.asarray(x, float)[w.bottom_frames]
        v = v[np.isfinite(v)]
        return finite_or_none(float(np.median(v))) if v.size else None

    kof = f.knee_over_foot * scale
    return {
        "knee_over_foot_bottom": at_bottom(kof),
        "knee_over_foot_peak": peak(kof),
        "shank_tilt_bottom_deg": at_bottom(f.shank_tilt_deg),
        "shank_tilt_peak_deg": peak(f.shank_tilt_deg),
        "kmd_bottom": at_bottom(f.kmd),
        "kmd_change_bottom": at_bottom(f.kmd_change),
        "kmd_change_peak": peak(f.kmd_change),
        "thigh_ratio_bottom": at_bottom(f.thigh_ratio),
    }


def _gated(m: LegMeasures, reasons: list[str | None]) -> LegMeasures:
    """``m`` withheld with every reason that fired (no number is kept), or unchanged if none did."""
    fired = [r for r in reasons if r]
    if fired:
        m.withheld_reason = "; ".join(fired)
    return m


def measure_rep_leg(
    inputs: RepInputs,
    w: RepWindow,
    leg: Leg,
    view: View,
    yaw: float | None,
    settings: AnalysisSettings,
    view_yaw: float | None = None,
) -> LegMeasures:
    """One knee's measures in one rep with their reliability grade, or the reason they are withheld.

    ``yaw`` is the rep's own yaw (for the reason text), ``view_yaw`` the yaw its view was
    decided from (the clip's, unless the camera moved; for the grade).
    """
    f = inputs.legs[leg]
    b, r = w.bottom, settings.reliability
    m = LegMeasures(leg=leg, knee_flexion_bottom_deg=finite_or_none(f.knee_flexion_deg[b]))
    m.withheld_reason = _withheld(inputs, w, leg, view, yaw, settings.edge_margin)
    if m.withheld_reason:
        return m
    loaded = loaded_frames(inputs, w, leg, settings)
    if not np.isfinite(f.knee_over_foot[b]) or not np.isfinite(f.knee_over_foot[loaded]).any():
        m.withheld_reason = "knee-over-foot could not be measured (landmarks missing)"
        return m
    scale, rep_shank = _rep_scale(inputs, leg, loaded)
    ev, at_bottom = _evidence(inputs, w, leg, scale, view_yaw, settings)
    m.visibility_bottom, m.jitter = finite_or_none(ev.visibility), finite_or_none(ev.jitter)
    m.shank_px, m.shank_in_plane = finite_or_none(ev.shank_px), finite_or_none(ev.shank_in_plane)
    pre = [
        gates.visibility_gate(leg, at_bottom, r),
        gates.flexion_gate(leg, m.knee_flexion_bottom_deg, r),
        gates.foreshortening_gate(m.shank_in_plane, r),
    ]
    if _gated(m, pre).withheld_reason:
        return m
    v = _values(inputs, w, leg, loaded, scale, settings)
    angles = ("knee_over_foot_bottom", "knee_over_foot_peak", "shank_tilt_bottom_deg", "shank_tilt_peak_deg")
    other = _other_foot_offset(inputs, w, leg, rep_shank) if np.isfinite(rep_shank) else None
    post = [
        gates.anatomy_gate({k: v[k] for k in angles}, r),
        gates.crossing_gate(leg, v["knee_over_foot_bottom"], other),
    ]
    if _gated(m, post).withheld_reason:
        return m
    for k, x in v.items():
        setattr(m, k, x)
    if f.fppa_valid[b]:
        m.fppa_bottom_deg = finite_or_none(f.fppa_deg[b])
    else:
        m.fppa_invalid_reason = _fppa_invalid_reason(m.thigh_ratio_bottom, settings.thresholds)
    m.category = categorise(m.knee_over_foot_peak, m.knee_over_foot_bottom, settings.thresholds)
    m.hip_and_foot_disagree = _hip_and_foot_disagree(m, settings.thresholds)
    found = concerns(ev, r)
    m.reliability = grade(found)
    m.reliability_reasons = [c.message for c in found]
    m.reliability_concerns = [c.code for c in found]
    return m


def _hip_and_foot_disagree(m: LegMeasures, t: Thresholds) -> bool:
    """The knee's offset from the hip-ankle line (KMD change) points the other way than its category."""
    hip_medial = m.kmd_change_bottom is not None and m.kmd_change_bottom > 0.5 * t.over_foot_max
    hip_lateral = m.kmd_change_bottom is not None and m.kmd_change_bottom < -0.5 * t.over_foot_max
    return (hip_medial and m.category in ("over foot", "lateral")) or (hip_lateral and m.category in MEDIAL_CATEGORIES)


__all__ = ["RepInputs", "finite_or_none", "loaded_frames", "measure_rep_leg", "raw_knee_over_foot", "sustained_peak"]
