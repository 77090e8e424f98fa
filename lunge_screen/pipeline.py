"""From a landmark series to an :class:`Analysis`: the analysis stages in order, without video or inference.

track (subject -> left/right labels -> clean signals) -> measure (yaw, pelvis depth) ->
reps (detection, lead leg, one lead per planted foot, edit cuts) -> measure (standing
reference, per-frame leg measures) -> screen (per-rep measures, per-leg summaries,
asymmetry, quality warnings, finding).

The stage functions live in the stage folders; this module only calls them in order
and builds the :class:`Analysis` once, at the end, with the settings it ran with.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import __version__
from .measure.legs import LegFrames, leg_frames, leg_in_frame, pelvis_and_trunk
from .measure.standing import StandingReference, level_image, standing_reference
from .measure.view import classify, loaded_yaw, yaw_per_frame
from .reps.cuts import find_cuts, inner_cuts, split_by_cuts
from .reps.detection import RepWindow, find_reps
from .reps.lead import unify_planted_leads
from .results import InputInfo, ModelInfo, QualityWarning, Rep, SessionResult
from .screen.asymmetry import asymmetries
from .screen.finding import finding
from .screen.quality import body_height, cut_warning, session_warnings
from .screen.rep_measures import RepInputs, finite_or_none, measure_rep_leg, raw_knee_over_foot
from .screen.summary import summarise_leg
from .settings import AnalysisSettings
from .track.orientation import OrientationReport, correct_labels, relabel_legs
from .track.series import LandmarkSeries, PersonTrack
from .track.signals import clean_track, finite_median
from .track.subject import SubjectReport, choose_subject
from .types import LEGS, Leg, View

FACING = {1: "camera", -1: "away", 0: "unknown"}


@dataclass
class Analysis:
    """A session result plus the per-frame data behind it (for tables, plots and video), and its settings."""

    result: SessionResult
    track: PersonTrack
    depth: np.ndarray
    yaw: np.ndarray
    legs: dict[Leg, LegFrames]
    standing: StandingReference
    windows: list[RepWindow]
    orientation: OrientationReport
    subject: SubjectReport
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)

    def frame_table(self) -> dict[str, np.ndarray]:
        """Per-frame columns (one row per analysed frame) for ``frames.csv``."""
        t = self.track
        rep_of = np.zeros(t.n_frames, int)
        for k, w in enumerate(self.windows, start=1):
            rep_of[w.start : w.end + 1] = k
        cols: dict[str, np.ndarray] = {
            "frame": t.frame_index,
            "time_s": t.time,
            "person_found": t.found.astype(int),
            "rep": rep_of,
            "pelvis_depth": self.depth,
            "yaw_deg": self.yaw,
        }
        for leg, s in self.legs.items():
            cols[f"{leg}_knee_over_foot"] = s.knee_over_foot
            cols[f"{leg}_shank_tilt_deg"] = s.shank_tilt_deg
            cols[f"{leg}_kmd"] = s.kmd
            cols[f"{leg}_kmd_change"] = s.kmd_change
            cols[f"{leg}_fppa_deg"] = s.fppa_deg
            cols[f"{leg}_thigh_ratio"] = s.thigh_ratio
            cols[f"{leg}_knee_flexion_deg"] = s.knee_flexion_deg
            cols[f"{leg}_in_frame"] = leg_in_frame(t, leg).astype(int)
        return cols


def analyse_series(series: LandmarkSeries, settings: AnalysisSettings | None = None) -> Analysis:
    """Analyse a landmark series (no video needed). See the module docstring for the stages.

    NaN means "not measured" throughout, so NumPy's warnings about empty or all-NaN
    slices are expected here and silenced; they never stand for an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyse(series, settings or AnalysisSettings())


def _analyse(series: LandmarkSeries, settings: AnalysisSettings) -> Analysis:
    raw, subject = choose_subject(series, settings.subject, settings.tracking)
    # before cleaning: the rep signal reads it, and its difference from the cleaned track is the landmarks' jitter
    labelled, orient = correct_labels(raw, settings.orientation, settings.view)
    track = clean_track(labelled, settings.filters)
    yaw = yaw_per_frame(track, settings.view)
    clip_yaw = finite_median(yaw)
    cuts = inner_cuts(find_cuts(series.frame_change, settings.cuts), series.time)
    windows, signal = find_reps(labelled, settings.reps, [float(series.time[c]) for c in cuts])
    depth = signal.frame_depth
    windows, relabel = unify_planted_leads(track, windows, settings.reps)
    track, orient = relabel_legs(track, orient, relabel)
    labelled, _ = relabel_legs(labelled, orient, relabel)
    ref = standing_reference(track, depth, settings.standing)
    lev = level_image(track, ref.roll_deg)
    legs = {leg: leg_frames(track, lev, leg, ref, settings.thresholds) for leg in LEGS}
    windows, cut_reps = split_by_cuts(windows, cuts)
    raw_kof = raw_knee_over_foot(labelled, ref, legs)
    inputs = RepInputs(track, depth, legs, ref, lev, raw_kof, settings.filters.cutoff_hz)
    reps, clip_yaw = _measure_reps(inputs, lev, yaw, windows, clip_yaw, orient.facing, settings)
    quality = session_warnings(track, subject, orient, ref, reps, series.source.fps, settings, depth)
    if cuts.size:
        quality.append(cut_warning([float(series.time[c]) for c in cuts], len(cut_reps)))
    result = _session_result(series, reps, quality, clip_yaw, orient.facing, settings)
    height = finite_or_none(body_height(track))
    result.person_height_px = round(height, 1) if height is not None else None
    return Analysis(result, track, depth, yaw, legs, ref, windows, orient, subject, settings)


def _measure_reps(
    inputs: RepInputs,
    lev: np.ndarray,
    yaw: np.ndarray,
    windows: list[RepWindow],
    clip_yaw: float,
    facing: int,
    settings: AnalysisSettings,
) -> tuple[list[Rep], float]:
    """Every rep's view and per-knee measures; and the clip's yaw (median of the reps' own, when known)."""
    rep_yaws = [loaded_yaw(yaw, inputs.depth, w.start, w.end, settings.loaded_fraction * w.depth) for w in windows]
    known = [y for y in rep_yaws if y is not None]
    if known:
        clip_yaw = float(np.median(known))
    reps: list[Rep] = []
    for k, (w, rep_yaw) in enumerate(zip(windows, rep_yaws), start=1):
        # The camera rarely moves between reps, and one rep's yaw is noisy (+-5 deg): a rep
        # takes the clip's view unless its own yaw is clearly different (camera moved).
        own = rep_yaw is not None and abs(rep_yaw - clip_yaw) > settings.view.rep_change_deg
        view_yaw = rep_yaw if own else finite_or_none(clip_yaw)
        view = classify(rep_yaw if own else clip_yaw, facing, settings.view)
        reps.append(_rep(k, w, view, (rep_yaw, view_yaw), inputs, lev, settings))
    return reps, clip_yaw


def _rep(
    k: int,
    w: RepWindow,
    view: View,
    yaws: tuple[float | None, float | None],
    inputs: RepInputs,
    lev: np.ndarray,
    s: AnalysisSettings,
) -> Rep:
    """One rep: its frames and times, lead, view, pelvis and trunk, and the assessed knees' measures.

    ``yaws``: the rep's own yaw, and the yaw its view was decided from.
    """
    rep_yaw, view_yaw = yaws
    track = inputs.track
    assessed: list[Leg] = list(LEGS) if w.lead == "both" else [w.lead] if w.lead in LEGS else []
    obl, lean = pelvis_and_trunk(track, lev, w.bottom, w.lead)
    rep = Rep(
        index=k,
        start_frame=int(track.frame_index[w.start]),
        bottom_frame=int(track.frame_index[w.bottom]),
        end_frame=int(track.frame_index[w.end]),
        start_s=float(track.time[w.start]),
        bottom_s=float(track.time[w.bottom]),
        end_s=float(track.time[w.end]),
        lead=w.lead,
        lead_confidence=round(w.lead_confidence, 3),
        depth=round(w.depth, 4),
        view=view,
        yaw_deg=rep_yaw,
        pelvic_obliquity_deg=finite_or_none(obl) if w.lead in LEGS else None,
        trunk_lean_deg=finite_or_none(lean) if w.lead in LEGS else None,
        legs=[measure_rep_leg(inputs, w, leg, view, rep_yaw, s, view_yaw) for leg in assessed],
        kind=w.kind,
    )
    if not assessed:
        rep.warnings.append("lead leg unclear: no knee assessed")
    return rep


def _session_result(
    series: LandmarkSeries,
    reps: list[Rep],
    quality: list[QualityWarning],
    clip_yaw: float,
    facing: int,
    settings: AnalysisSettings,
) -> SessionResult:
    """The session's result: input and model, every setting, reps, per-leg summaries, asymmetry, finding."""
    t = settings.thresholds
    summaries = {leg: summarise_leg(leg, reps, t) for leg in LEGS}
    asym = asymmetries(reps, t, settings.asymmetry)
    views = [r.view for r in reps]
    overall_view = max(views, key=views.count) if views else classify(clip_yaw, facing, settings.view)
    src = series.source
    return SessionResult(
        input=InputInfo(
            path=src.video,
            width=src.width,
            height=src.height,
            fps=round(src.fps, 4),
            n_frames=src.n_frames,
            n_analysed_frames=series.n_frames,
            duration_s=float(series.time[-1]) if series.n_frames else 0.0,
            rotation=src.rotation,
            codec=src.codec,
        ),
        model=ModelInfo(name=src.model, sha256=src.model_sha256, mediapipe_version=src.mediapipe_version),
        settings={"analysis": settings.to_dict(), "extraction": src.settings},
        view=overall_view,
        yaw_deg=finite_or_none(clip_yaw),
        facing=FACING[facing],
        reps=reps,
        legs=summaries,
        asymmetry=asym,
        finding=finding(summaries["left"], summaries["right"], asym, reps, t, quality),
        warnings=quality,
        software_version=__version__,
    )
