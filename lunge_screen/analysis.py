"""From a landmark series to a :class:`SessionResult`: the analysis pipeline without video or inference.

series -> subject -> left/right correction -> clean signals -> view -> reps ->
per-frame measures -> per-rep measures -> per-leg findings.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import __version__
from .measures import (
    LEGS,
    LegSeries,
    StandingReference,
    leg_in_frame,
    leg_series,
    level_image,
    pelvis_and_trunk,
    standing_reference,
)
from .orientation import OrientationReport, correct_labels, swap_legs
from .reps import RepSettings, RepWindow, find_reps, pelvis_depth, unify_planted_leads
from .results import (
    InputInfo,
    LegMeasures,
    ModelInfo,
    QualityWarning,
    Rep,
    SessionResult,
)
from .screening import Thresholds, asymmetries, categorise, finding, summarise_leg
from .series import L_ANKLE, R_ANKLE, LandmarkSeries, PersonTrack
from .signals import FilterSettings, clean_track
from .subject import SubjectReport, choose_subject
from .view import ViewSettings, classify, yaw_per_frame

FRONTAL_VIEWS = ("frontal", "rear")


@dataclass(frozen=True)
class AnalysisSettings:
    """Every setting of the analysis (recorded in session.json)."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    filters: FilterSettings = field(default_factory=FilterSettings)
    reps: RepSettings = field(default_factory=RepSettings)
    view: ViewSettings = field(default_factory=ViewSettings)
    subject: str = "largest"
    loaded_fraction: float = 0.5
    planted_speed: float = 0.5
    sustained_s: float = 0.2
    edge_margin: float = 0.01

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Analysis:
    """A session result plus the per-frame data behind it (for tables, plots and video)."""

    result: SessionResult
    track: PersonTrack
    depth: np.ndarray
    yaw: np.ndarray
    legs: dict[str, LegSeries]
    standing: StandingReference
    windows: list[RepWindow]
    orientation: OrientationReport
    subject: SubjectReport

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


def _loaded_yaw(yaw: np.ndarray, depth: np.ndarray, w: RepWindow, loaded_fraction: float) -> float | None:
    """Median yaw (deg) over the loaded part of a rep (pelvis at least ``loaded_fraction`` of its depth down)."""
    seg = slice(w.start, w.end + 1)
    y = yaw[seg][np.nan_to_num(depth[seg]) >= loaded_fraction * w.depth]
    y = y[np.isfinite(y)]
    return float(np.median(y)) if y.size else None


def find_cuts(frame_change: np.ndarray, min_jump: float = 4.0, factor: float = 6.0) -> np.ndarray:
    """Indices of frames that follow an edit cut: an image change far above the clip's typical one.

    ``frame_change`` is :attr:`LandmarkSeries.frame_change` (grey levels of a 32x32
    thumbnail). A cut is a change above both ``min_jump`` and ``factor`` times the median.
    """
    c = np.asarray(frame_change, float)
    if not np.isfinite(c).any():
        return np.zeros(0, int)
    limit = max(min_jump, factor * float(np.nanmedian(c)))
    return np.flatnonzero(np.nan_to_num(c) > limit)


def _f(x: Any) -> float | None:
    """A finite float or None."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def loaded_frames(a: Analysis, w: RepWindow, leg: str, settings: AnalysisSettings) -> np.ndarray:
    """Boolean ``(T,)``: frames of the rep where this leg bears load.

    The pelvis is at least ``loaded_fraction`` of the rep's depth down and the foot is
    planted (ankle slower than ``planted_speed`` standing leg lengths per second), so a
    foot still swinging into the step never counts toward the peak.
    """
    seg = slice(w.start, w.end + 1)
    ankle = a.track.image[:, L_ANKLE if leg == "left" else R_ANKLE, :2]
    speed = np.full(a.track.n_frames, np.nan)
    dt = np.gradient(a.track.time) if a.track.n_frames > 1 else np.ones(1)
    speed[:] = np.hypot(*np.gradient(ankle, axis=0).T) / dt / a.standing.leg_px[leg]
    loaded = np.zeros(a.track.n_frames, bool)
    loaded[seg] = (np.nan_to_num(a.depth[seg]) >= settings.loaded_fraction * w.depth) & (
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
    from .signals import runs, sample_rate

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


def _leg_measures(
    a: Analysis, w: RepWindow, leg: str, view: str, yaw: float | None, settings: AnalysisSettings
) -> LegMeasures:
    s = a.legs[leg]
    b = w.bottom
    t = settings.thresholds
    m = LegMeasures(leg=leg, knee_flexion_bottom_deg=_f(s.knee_flexion_deg[b]))
    if view not in FRONTAL_VIEWS:
        yaw_txt = f" (yaw {yaw:.0f} deg)" if yaw is not None else ""
        m.withheld_reason = f"{view} view{yaw_txt}: frontal-plane measures are not valid outside a frontal or rear view"
        return m
    if not leg_in_frame(a.track, leg, settings.edge_margin)[b]:
        m.withheld_reason = "knee or foot out of frame or not detected at the bottom of the rep"
        return m
    loaded = loaded_frames(a, w, leg, settings)
    time = a.track.time
    if not np.isfinite(s.knee_over_foot[b]) or not np.isfinite(s.knee_over_foot[loaded]).any():
        m.withheld_reason = "knee-over-foot could not be measured (landmarks missing)"
        return m
    # Normalise by this rep's own shank length: a lunging foot is nearer the camera
    # than where it stood, so its shank looks longer than the standing reference.
    j = LEGS[leg]
    lev_k, lev_a = a.track.image[:, j["knee"], :2], a.track.image[:, j["ankle"], :2]
    rep_shank = np.nanmedian(np.hypot(*(lev_k[loaded] - lev_a[loaded]).T))
    scale = a.standing.shank_px[leg] / rep_shank if np.isfinite(rep_shank) and rep_shank > 0 else 1.0
    kof_rep = s.knee_over_foot * scale
    m.knee_over_foot_bottom = _f(kof_rep[b])
    m.knee_over_foot_peak = _f(sustained_peak(kof_rep, loaded, time, settings.sustained_s))
    m.shank_tilt_bottom_deg = _f(s.shank_tilt_deg[b])
    m.shank_tilt_peak_deg = _f(sustained_peak(s.shank_tilt_deg, loaded, time, settings.sustained_s))
    m.kmd_bottom = _f(s.kmd[b])
    m.kmd_change_bottom = _f(s.kmd_change[b])
    m.kmd_change_peak = _f(sustained_peak(s.kmd_change, loaded, time, settings.sustained_s))
    m.thigh_ratio_bottom = _f(s.thigh_ratio[b])
    if s.fppa_valid[b]:
        m.fppa_bottom_deg = _f(s.fppa_deg[b])
    else:
        ratio = m.thigh_ratio_bottom
        if ratio is None:
            m.fppa_invalid_reason = "thigh not measurable"
        elif ratio < t.fppa_min_thigh_ratio:
            m.fppa_invalid_reason = (
                f"thigh foreshortened to {ratio:.0%} of its standing length (< {t.fppa_min_thigh_ratio:.0%})"
            )
        else:
            m.fppa_invalid_reason = (
                f"angle beyond +-{t.fppa_max_abs_deg:.0f} deg: the thigh lies near-horizontal in the image"
            )
    m.category = categorise(m.knee_over_foot_peak, m.knee_over_foot_bottom, t)
    hip_medial = m.kmd_change_bottom is not None and m.kmd_change_bottom > 0.5 * t.over_foot_max
    hip_lateral = m.kmd_change_bottom is not None and m.kmd_change_bottom < -0.5 * t.over_foot_max
    m.hip_and_foot_disagree = (hip_medial and m.category in ("over foot", "lateral")) or (
        hip_lateral and m.category in ("slightly medial", "clearly medial")
    )
    return m


#: Below this body height (pixels, nose to ankles) landmark errors of a few pixels
#: are a large fraction of a knee's offset: the report warns.
MIN_BODY_PX = 200.0


def _body_height(track: PersonTrack) -> float:
    """Median nose-to-lower-ankle height of the person in pixels (NaN if never found)."""
    im = track.image
    h = np.fmax(im[:, L_ANKLE, 1], im[:, R_ANKLE, 1]) - im[:, 0, 1]
    h = h[np.isfinite(h)]
    return float(np.median(h)) if h.size else float("nan")


def _session_warnings(a: Analysis, reps: list[Rep], settings: AnalysisSettings, fps: float) -> list[QualityWarning]:
    w: list[QualityWarning] = []
    t = settings.thresholds
    found = a.track.found
    if not found.any():
        w.append(QualityWarning("no_person", "no person was detected in the video"))
        return w
    height = _body_height(a.track)
    if np.isfinite(height) and height < MIN_BODY_PX:
        w.append(
            QualityWarning(
                "person_small", f"the person is only about {height:.0f} px tall in the frame: move the camera closer"
            )
        )
    if found.mean() < 0.8:
        w.append(QualityWarning("person_missing", f"the person was not detected in {1 - found.mean():.0%} of frames"))
    if a.subject.max_people_in_frame > 1 or a.subject.n_tracks > 1:
        seen = (
            f"up to {a.subject.max_people_in_frame} people in one frame ({a.subject.frames_with_others} frames)"
            if a.subject.max_people_in_frame > 1
            else f"{a.subject.n_tracks} different people one after another"
        )
        w.append(
            QualityWarning(
                "several_people",
                f"more than one person was seen ({seen}); the subject was chosen by the "
                f"'{a.subject.rule}' rule for the whole video (--subject to change it)",
            )
        )
    if not reps:
        w.append(QualityWarning("no_reps", "no lunge or squat repetitions were found"))
    views = {r.view for r in reps}
    if reps and not views & set(FRONTAL_VIEWS):
        w.append(
            QualityWarning(
                "view",
                f"camera view is {'/'.join(sorted(views))}: frontal-plane knee measures need a front or rear view",
            )
        )
    elif views - set(FRONTAL_VIEWS):
        n = sum(r.view not in FRONTAL_VIEWS for r in reps)
        w.append(QualityWarning("view", f"{n} rep(s) filmed outside a frontal view: their knee measures are withheld"))
    for leg in LEGS:
        n = sum(1 for r in reps for m in r.legs if m.leg == leg and m.measured)
        led = sum(1 for r in reps for m in r.legs if m.leg == leg)
        if led and n < t.min_reps_per_leg:
            w.append(QualityWarning("few_reps", f"{leg} leg: {n} measurable rep(s), fewer than {t.min_reps_per_leg}"))
    if any(r.lead == "unknown" for r in reps):
        w.append(QualityWarning("lead_unknown", "the lead leg could not be told for some reps"))
    withheld = sum(1 for r in reps for m in r.legs if m.withheld_reason and "frame" in m.withheld_reason)
    if withheld:
        w.append(QualityWarning("out_of_frame", f"{withheld} knee measure(s) withheld: knee or foot out of frame"))
    o = a.orientation
    if o.body_swapped:
        w.append(QualityWarning("labels_corrected", "the pose model's left/right labels were reversed and corrected"))
    elif o.leg_swap_frames:
        w.append(
            QualityWarning(
                "labels_corrected",
                f"leg labels corrected in {o.leg_swap_frames} frame(s) ({o.leg_swap_segments} stretch(es)) where "
                "the pose model swapped the legs",
            )
        )
    if abs(a.standing.roll_deg) > 3 and views & set(FRONTAL_VIEWS):
        w.append(QualityWarning("camera_roll", f"camera tilted by {a.standing.roll_deg:+.1f} deg; corrected"))
    if a.standing.fallback:
        w.append(
            QualityWarning(
                "no_standing", "no clear standing frames: body-segment lengths taken from the least-flexed frames"
            )
        )
    if 0 < fps < 20:
        w.append(QualityWarning("low_frame_rate", f"low frame rate ({fps:.0f} fps): the bottom of a rep may be missed"))
    return w


def analyse_series(series: LandmarkSeries, settings: AnalysisSettings | None = None) -> Analysis:
    """Analyse a landmark series (no video needed). See the module docstring for the stages.

    NaN means "not measured" throughout, so NumPy's warnings about empty or all-NaN
    slices are expected here and silenced; they never stand for an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyse(series, settings or AnalysisSettings())


def _analyse(series: LandmarkSeries, settings: AnalysisSettings) -> Analysis:
    raw, subject = choose_subject(series, settings.subject)
    track, orient = correct_labels(raw)
    track = clean_track(track, settings.filters)
    yaw = yaw_per_frame(track)
    depth, _ = pelvis_depth(track, settings.reps.standing_window_s)
    facing = orient.facing
    clip_yaw = float(np.nanmedian(yaw)) if np.isfinite(yaw).any() else float("nan")
    windows = find_reps(track, settings.reps, frontal=classify(clip_yaw, facing, settings.view) in FRONTAL_VIEWS)
    windows, relabel = unify_planted_leads(track, windows)
    if relabel.any():  # the lead of these reps was the other label: their legs were swapped
        track = swap_legs(track, relabel)
        orient = dataclasses.replace(orient, leg_swap_frames=orient.leg_swap_frames + int(relabel.sum()))
    ref = standing_reference(track, depth)
    lev = level_image(track, ref.roll_deg)
    t = settings.thresholds
    legs = {leg: leg_series(track, lev, leg, ref, t.fppa_min_thigh_ratio, t.fppa_max_abs_deg) for leg in LEGS}
    cuts = find_cuts(series.frame_change)
    cut_reps = [w for w in windows if np.any((cuts > w.start) & (cuts <= w.end))]
    windows = [w for w in windows if w not in cut_reps]
    a = Analysis(
        result=None,  # type: ignore[arg-type]  (filled below)
        track=track,
        depth=depth,
        yaw=yaw,
        legs=legs,
        standing=ref,
        windows=windows,
        orientation=orient,
        subject=subject,
    )
    rep_yaws = [_loaded_yaw(yaw, depth, w, settings.loaded_fraction) for w in windows]
    known = [y for y in rep_yaws if y is not None]
    if known:
        clip_yaw = float(np.median(known))
    reps: list[Rep] = []
    for k, (w, rep_yaw) in enumerate(zip(windows, rep_yaws), start=1):
        # The camera rarely moves between reps, and one rep's yaw is noisy (+-5 deg): a rep
        # takes the clip's view unless its own yaw is clearly different (camera moved).
        own = rep_yaw is not None and abs(rep_yaw - clip_yaw) > settings.view.rep_change_deg
        view = classify(rep_yaw if own else clip_yaw, facing, settings.view)
        assessed = ["left", "right"] if w.lead == "both" else [w.lead] if w.lead in LEGS else []
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
            pelvic_obliquity_deg=_f(obl) if w.lead in LEGS else None,
            trunk_lean_deg=_f(lean) if w.lead in LEGS else None,
            legs=[_leg_measures(a, w, leg, view, rep_yaw, settings) for leg in assessed],
        )
        if not assessed:
            rep.warnings.append("lead leg unclear: no knee assessed")
        reps.append(rep)
    t = settings.thresholds
    summaries = {leg: summarise_leg(leg, reps, t) for leg in LEGS}
    asym = asymmetries(summaries["left"], summaries["right"], t)
    src = series.source
    warnings = _session_warnings(a, reps, settings, src.fps)
    if cuts.size:
        at = ", ".join(f"{series.time[c]:.1f} s" for c in cuts[:5])
        dropped = f"; {len(cut_reps)} rep(s) interrupted by a cut were not counted" if cut_reps else ""
        warnings.append(QualityWarning("video_cut", f"the video cuts between shots at {at}{dropped}"))
    views = [r.view for r in reps]
    overall_view = max(set(views), key=views.count) if views else classify(clip_yaw, facing, settings.view)
    a.result = SessionResult(
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
        yaw_deg=_f(clip_yaw),
        facing={1: "camera", -1: "away", 0: "unknown"}[facing],
        reps=reps,
        legs=summaries,
        asymmetry=asym,
        finding=finding(summaries["left"], summaries["right"], asym, reps, t, warnings),
        warnings=warnings,
        software_version=__version__,
    )
    return a
