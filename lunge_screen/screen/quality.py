"""The session's quality warnings: what a clinician should know before trusting the numbers.

Each warning has a stable ``code`` (docs/schema.md) and a plain message; when they are
raised is set by :class:`lunge_screen.settings.QualitySettings`.
"""

from __future__ import annotations

import numpy as np

from ..measure.standing import StandingReference
from ..results import QualityWarning, Rep
from ..settings import AnalysisSettings
from ..track.orientation import OrientationReport
from ..track.series import L_ANKLE, L_HIP, NOSE, R_ANKLE, R_HIP, PersonTrack
from ..track.signals import finite_median
from ..track.subject import SubjectReport
from ..types import FRONTAL_VIEWS, LEGS


def body_height(track: PersonTrack) -> float:
    """Median nose-to-lower-ankle height of the person in pixels (NaN if never found)."""
    im = track.image
    return finite_median(np.fmax(im[:, L_ANKLE, 1], im[:, R_ANKLE, 1]) - im[:, NOSE, 1])


def size_change(track: PersonTrack, depth: np.ndarray, top_depth: float = 0.1) -> float:
    """How much the person's size in the picture changes over the clip: the 90th over the 10th percentile
    of the pixels per metre of the legs (image hip-to-ankle length over the world landmarks' one), over
    the frames near the top posture (rep depth at most ``top_depth`` leg lengths, so a foreshortened
    thigh at a lunge's bottom does not count). 1 = constant; NaN when too few frames. A zoom, or the
    camera or the person moving closer or farther, changes it; the person's own movement does not."""
    im, w = np.asarray(track.image, float), np.asarray(track.world, float)
    ratios = []
    for hip, ankle in ((L_HIP, L_ANKLE), (R_HIP, R_ANKLE)):
        px = np.hypot(*(im[:, hip, :2] - im[:, ankle, :2]).T)
        m = np.linalg.norm(w[:, hip] - w[:, ankle], axis=1)
        ratios.append(px / m)
    scale = np.nanmedian(np.stack(ratios), axis=0)
    ok = np.isfinite(scale) & (np.asarray(depth, float) <= top_depth)
    if ok.sum() < 10:
        return float("nan")
    lo, hi = np.percentile(scale[ok], [10, 90])
    return float(hi / lo) if lo > 0 else float("nan")


def _person(track: PersonTrack, subject: SubjectReport, settings: AnalysisSettings) -> list[QualityWarning]:
    """Warnings about the person: too small, often missing, several people."""
    w: list[QualityWarning] = []
    found = track.found
    height = body_height(track)
    if np.isfinite(height) and height < settings.quality.min_body_px:
        w.append(
            QualityWarning(
                "person_small", f"the person is only about {height:.0f} px tall in the frame: move the camera closer"
            )
        )
    if found.mean() < settings.quality.min_found_fraction:
        w.append(QualityWarning("person_missing", f"the person was not detected in {1 - found.mean():.0%} of frames"))
    if subject.max_people_in_frame > 1 or subject.n_tracks > 1:
        seen = (
            f"up to {subject.max_people_in_frame} people in one frame ({subject.frames_with_others} frames)"
            if subject.max_people_in_frame > 1
            else f"{subject.n_tracks} different people one after another"
        )
        w.append(
            QualityWarning(
                "several_people",
                f"more than one person was seen ({seen}); the subject was chosen by the "
                f"'{subject.rule}' rule for the whole video (--subject to change it)",
            )
        )
    return w


def _reps(reps: list[Rep], settings: AnalysisSettings) -> list[QualityWarning]:
    """Warnings about the reps: none, views outside frontal, too few per leg, lead unknown, out of frame."""
    w: list[QualityWarning] = []
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
    least = settings.thresholds.min_reps_per_leg
    for leg in LEGS:
        n = sum(1 for r in reps for m in r.legs if m.leg == leg and m.reliable)
        led = sum(1 for r in reps for m in r.legs if m.leg == leg)
        if led and n < least:
            w.append(QualityWarning("few_reps", f"{leg} leg: {n} reliable measured rep(s), fewer than {least}"))
    measured = [m for r in reps for m in r.legs if m.measured]
    poor = [m for m in measured if m.reliability == "poor"]
    if poor:
        codes = sorted({c for m in poor for c in m.reliability_concerns})
        w.append(
            QualityWarning(
                "poor_reliability",
                f"{len(poor)} of {len(measured)} measured knee(s) graded poor ({', '.join(codes)}): not counted",
            )
        )
    if any(r.lead == "unknown" for r in reps):
        w.append(QualityWarning("lead_unknown", "the lead leg could not be told for some reps"))
    withheld = sum(1 for r in reps for m in r.legs if m.withheld_reason and "frame" in m.withheld_reason)
    if withheld:
        w.append(QualityWarning("out_of_frame", f"{withheld} knee measure(s) withheld: knee or foot out of frame"))
    return w


def _corrections(
    o: OrientationReport, standing: StandingReference, frontal: bool, fps: float, settings: AnalysisSettings
) -> list[QualityWarning]:
    """Warnings about what was corrected or estimated: labels, camera roll, standing frames, frame rate."""
    w: list[QualityWarning] = []
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
    if abs(standing.roll_deg) > settings.quality.roll_warning_deg and frontal:
        w.append(QualityWarning("camera_roll", f"camera tilted by {standing.roll_deg:+.1f} deg; corrected"))
    if standing.fallback:
        w.append(
            QualityWarning(
                "no_standing", "no clear standing frames: body-segment lengths taken from the least-flexed frames"
            )
        )
    if 0 < fps < settings.quality.min_fps:
        w.append(QualityWarning("low_frame_rate", f"low frame rate ({fps:.0f} fps): the bottom of a rep may be missed"))
    return w


def session_warnings(
    track: PersonTrack,
    subject: SubjectReport,
    orientation: OrientationReport,
    standing: StandingReference,
    reps: list[Rep],
    fps: float,
    settings: AnalysisSettings,
    depth: np.ndarray | None = None,
) -> list[QualityWarning]:
    """Every quality warning of a session, in report order (``no_person`` alone when nobody was seen).

    ``depth``: the rep signal per frame (:attr:`lunge_screen.reps.signal.RepSignal.frame_depth`), for
    the ``size_change`` warning."""
    if not track.found.any():
        return [QualityWarning("no_person", "no person was detected in the video")]
    frontal = bool({r.view for r in reps} & set(FRONTAL_VIEWS))
    return (
        _person(track, subject, settings)
        + _size(track, depth, settings)
        + _reps(reps, settings)
        + _corrections(orientation, standing, frontal, fps, settings)
    )


def _size(track: PersonTrack, depth: np.ndarray | None, settings: AnalysisSettings) -> list[QualityWarning]:
    """``size_change``: a zoom or a change of distance during the clip (camera or person moving)."""
    if depth is None:
        return []
    ratio = size_change(track, depth)
    if not np.isfinite(ratio) or ratio - 1 <= settings.quality.max_size_change:
        return []
    return [
        QualityWarning(
            "size_change",
            f"the person's size in the picture changes by about {ratio - 1:.0%} during the clip (a zoom, or the "
            "camera or the person moving closer or farther): reps are found from body-relative measures, but "
            "film sessions you compare from the same place",
        )
    ]


def cut_warning(cut_times: list[float], n_dropped: int) -> QualityWarning:
    """The ``video_cut`` warning: where the video cuts (first five), and how many reps a cut interrupted."""
    at = ", ".join(f"{t:.1f} s" for t in cut_times[:5])
    dropped = f"; {n_dropped} rep(s) interrupted by a cut were not counted" if n_dropped else ""
    return QualityWarning("video_cut", f"the video cuts between shots at {at}{dropped}")
