"""Find lunge repetitions (start, bottom, end) and the lead leg of each.

A rep is stand -> descend -> bottom (lowest pelvis) -> rise -> stand. The signal is
the pelvis's **depth**: ``1 - h(t) / h_stand(t)`` where ``h`` is the image height of
the mid-hip above the lowest foot point and ``h_stand`` its running maximum over a
few seconds (the standing height at the person's current distance, so walking
toward the camera does not look like a descent). Depth is 0 standing and about
0.2-0.5 at a lunge's bottom. Bottoms are peaks of depth of at least
``min_depth`` prominence, at least ``min_interval_s`` apart.

Lead leg: at the bottom the rear knee drops toward the floor while the lead knee
stays about a thigh's length higher, in any camera view; in a frontal view the lead
foot is also the lower one in the image (nearer the camera). When both knees are
at one height (a squat, both feet planted) the rep is bilateral (``lead = "both"``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
from scipy.ndimage import maximum_filter1d
from scipy.signal import find_peaks

from .kinematics import knee_flexion
from .series import L_ANKLE, L_FOOT, L_HEEL, L_HIP, L_KNEE, R_ANKLE, R_FOOT, R_HEEL, R_HIP, R_KNEE, PersonTrack
from .signals import fill_gaps, lowpass, sample_rate


@dataclass(frozen=True)
class RepSettings:
    """Rep detection settings: depth as a fraction of standing hip height, times in seconds."""

    min_depth: float = 0.06
    min_interval_s: float = 0.6
    standing_window_s: float = 4.0
    boundary_fraction: float = 0.25
    min_duration_s: float = 0.4
    max_duration_s: float = 12.0
    bilateral_knee_gap: float = 0.10
    min_present_fraction: float = 0.8
    min_knee_flexion_deg: float = 60.0
    min_relative_depth: float = 0.5
    max_hip_travel: float = 0.6


@dataclass(frozen=True)
class RepWindow:
    """One repetition in track-frame indices (``start <= bottom <= end``) and its lead leg."""

    start: int
    bottom: int
    end: int
    lead: str  # "left" | "right" | "both"
    depth: float
    lead_confidence: float


def pelvis_depth(track: PersonTrack, standing_window_s: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """``(depth, h)``: pelvis depth (0 standing, fraction of standing height) and hip height in px."""
    im = track.image
    mid_hip_y = 0.5 * (im[:, L_HIP, 1] + im[:, R_HIP, 1])
    feet = im[:, [L_ANKLE, R_ANKLE, L_HEEL, R_HEEL, L_FOOT, R_FOOT], 1]
    with np.errstate(all="ignore"):
        floor = np.nanmax(np.where(np.isfinite(feet), feet, -np.inf), axis=1)
    floor[~np.isfinite(floor)] = np.nan
    h = floor - mid_hip_y
    h = fill_gaps(h, track.time, 0.5)
    h = lowpass(h, track.time, 3.0)
    fs = sample_rate(track.time) or 30.0
    size = max(3, int(round(standing_window_s * fs)))
    filled = np.where(np.isfinite(h), h, -np.inf)
    h_stand = maximum_filter1d(filled, size=size, mode="nearest")
    with np.errstate(all="ignore"):
        depth = 1.0 - h / h_stand
    depth[~np.isfinite(depth)] = np.nan
    return depth, h


def standing_leg_length(track: PersonTrack, depth: np.ndarray | None = None) -> float:
    """Hip-ankle length (px) of a straight leg: the 90th percentile over frames of the longer leg.

    A leg is longest when straight, and most clips show it straight at some point
    (standing, stepping), even split-squat clips that never stand on both feet.
    ``depth`` is accepted for compatibility and not used.
    """
    im = track.image
    legs = np.fmax(
        np.hypot(*(im[:, L_ANKLE, :2] - im[:, L_HIP, :2]).T), np.hypot(*(im[:, R_ANKLE, :2] - im[:, R_HIP, :2]).T)
    )
    legs = legs[np.isfinite(legs)]
    return float(np.percentile(legs, 90)) if legs.size else float("nan")


def lead_leg(
    track: PersonTrack, frame: int, frontal: bool, leg: float, bilateral_gap: float = 0.10
) -> tuple[str, float]:
    """Lead leg at a bottom frame and a confidence in [0, 1].

    ``leg`` is the standing leg length in pixels. Score > 0 means the left leg
    leads: the right knee is lower than the left (it dropped toward the floor),
    and in frontal/rear views the left foot is lower in the image (nearer the
    camera, for a person facing it).
    """
    im = track.image[frame]
    if not np.isfinite(leg) or leg <= 0:
        return "unknown", 0.0
    knee_gap = (im[R_KNEE, 1] - im[L_KNEE, 1]) / leg
    if not np.isfinite(knee_gap):
        return "unknown", 0.0
    score = knee_gap
    if abs(knee_gap) < bilateral_gap:
        return "both", float(1.0 - abs(knee_gap) / bilateral_gap)
    if frontal:
        foot_gap = (im[L_ANKLE, 1] - im[R_ANKLE, 1]) / leg
        if np.isfinite(foot_gap) and np.sign(foot_gap) != np.sign(knee_gap) and abs(foot_gap) > abs(knee_gap):
            score = foot_gap  # the two cues disagree: trust the stronger
    return ("left" if score > 0 else "right"), float(min(1.0, abs(score) / 0.3))


def find_reps(track: PersonTrack, settings: RepSettings = RepSettings(), frontal: bool = True) -> list[RepWindow]:
    """Detect repetitions in a (cleaned, label-corrected) person track."""
    depth, _ = pelvis_depth(track, settings.standing_window_s)
    n = len(depth)
    if n < 5 or not np.isfinite(depth).any():
        return []
    fs = sample_rate(track.time) or 30.0
    d = np.nan_to_num(depth, nan=0.0)
    peaks, _ = find_peaks(
        d, prominence=settings.min_depth, distance=max(1, int(settings.min_interval_s * fs)), height=settings.min_depth
    )
    found = track.found
    leg = standing_leg_length(track, depth)
    w = track.world
    flexion = np.fmax(
        knee_flexion(w[:, L_HIP], w[:, L_KNEE], w[:, L_ANKLE]), knee_flexion(w[:, R_HIP], w[:, R_KNEE], w[:, R_ANKLE])
    )
    hip_x = 0.5 * (track.image[:, L_HIP, 0] + track.image[:, R_HIP, 0])
    reps: list[RepWindow] = []
    for k, p in enumerate(peaks):
        peak = d[p]
        lo_limit = reps[-1].end if reps else 0
        hi_limit = peaks[k + 1] if k + 1 < len(peaks) else n - 1
        thr = settings.boundary_fraction * peak
        # Walk out from the bottom while depth keeps falling, until it is back under the
        # boundary fraction of the peak (standing) or turns (the next rep starts).
        start = p
        while start > lo_limit and d[start] > thr and d[start - 1] <= d[start] + 1e-6:
            start -= 1
        while start < p and not np.isfinite(depth[start]):
            start += 1  # never start a rep on a frame without a pelvis depth
        end = p
        while end < hi_limit and d[end] > thr and d[end + 1] <= d[end] + 1e-6:
            end += 1
        rose = d[end] <= thr or (end < hi_limit and d[end + 1] > d[end] + 1e-6)
        if not rose or not found[min(end + 1, n - 1)]:
            continue  # the clip or the person's track ends before the rise: the bottom is not known
        if start > 0 and d[start] > thr and not d[start - 1] > d[start] + 1e-6 and np.isfinite(depth[start - 1]):
            continue
        dur = track.time[end] - track.time[start]
        if not settings.min_duration_s <= dur <= settings.max_duration_s:
            continue
        if found[start : end + 1].mean() < settings.min_present_fraction:
            continue
        if np.isfinite(flexion[p]) and flexion[p] < settings.min_knee_flexion_deg:
            continue  # pelvis dipped (a step, walking) but no knee bent like a lunge or squat
        travel = abs(hip_x[end] - hip_x[start]) / leg if np.isfinite(leg) else np.nan
        if np.isfinite(travel) and travel > settings.max_hip_travel:
            continue  # walked across the frame: not a rep
        lead, conf = lead_leg(track, p, frontal, leg, settings.bilateral_knee_gap)
        reps.append(RepWindow(int(start), int(p), int(end), lead, float(peak), conf))
    if reps:
        typical = float(np.median([r.depth for r in reps]))
        reps = [r for r in reps if r.depth >= settings.min_relative_depth * typical]
    return reps


def _lead_ankle(track: PersonTrack, rep: RepWindow) -> np.ndarray:
    return track.image[rep.bottom, L_ANKLE if rep.lead == "left" else R_ANKLE, :2]


def _stayed_planted(track: PersonTrack, a: RepWindow, b: RepWindow, point: np.ndarray, tol: float) -> bool:
    """Some ankle stays within ``tol`` pixels of ``point`` in every frame from a's bottom to b's bottom."""
    ankles = track.image[a.bottom : b.bottom + 1][:, [L_ANKLE, R_ANKLE], :2]
    dist = np.hypot(*(ankles - point).transpose(2, 0, 1))  # (frames, 2)
    near = np.nanmin(np.where(np.isfinite(dist), dist, np.inf), axis=1) <= tol
    return bool(near.mean() >= 0.9)


def unify_planted_leads(track: PersonTrack, reps: list[RepWindow]) -> tuple[list[RepWindow], np.ndarray]:
    """Give one lead leg to a run of reps on the same planted front foot (split-squat pulses).

    If the lead foot of consecutive reps is the same image point and that foot never
    left it in between, it is one foot, so one leg: the group takes the lead of its
    most confident reps. This overrides a pose model that relabels the legs part-way
    through (seen on ``lunge_front_lowres_18fps.mp4``), which per-frame evidence alone
    cannot always undo.

    Returns the reps and a boolean ``(T,)`` mask of the frames (those reps' windows)
    whose leg labels must be exchanged so the measures follow the relabelled lead.
    """
    relabel = np.zeros(track.n_frames, bool)
    leg_px = standing_leg_length(track)
    if len(reps) < 2 or not np.isfinite(leg_px):
        return reps, relabel
    tol = 0.12 * leg_px
    groups: list[list[RepWindow]] = [[reps[0]]]
    for prev, cur in itertools.pairwise(reps):
        same = (
            prev.lead in ("left", "right")
            and cur.lead in ("left", "right")
            and np.hypot(*(_lead_ankle(track, cur) - _lead_ankle(track, prev))) <= tol
            and _stayed_planted(track, prev, cur, _lead_ankle(track, prev), tol)
        )
        if same:
            groups[-1].append(cur)
        else:
            groups.append([cur])
    out: list[RepWindow] = []
    for g in groups:
        votes = {"left": 0.0, "right": 0.0}
        for r in g:
            if r.lead in votes:
                votes[r.lead] += max(r.lead_confidence, 1e-3)
        lead = max(votes, key=votes.get)
        for r in g:
            if r.lead in votes and r.lead != lead:
                relabel[r.start : r.end + 1] = True
                r = replace(r, lead=lead)
            out.append(r)
    return out, relabel
