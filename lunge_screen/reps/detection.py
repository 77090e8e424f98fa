"""Find lunge repetitions (start, bottom, end) and the lead leg of each.

A rep is stand -> descend -> bottom (lowest pelvis) -> rise -> stand. The signal is
the pelvis's **depth**: ``1 - h(t) / h_stand(t)`` where ``h`` is the image height of
the mid-hip above the lowest foot point and ``h_stand`` its running maximum over a
few seconds (the standing height at the person's current distance, so walking
toward the camera does not look like a descent). Depth is 0 standing and about
0.2-0.5 at a lunge's bottom. Bottoms are peaks of depth of at least
``min_depth`` prominence, at least ``min_interval_s`` apart.

The lead leg of each rep is decided in :mod:`lunge_screen.reps.lead`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter1d
from scipy.signal import find_peaks

from ..measure.kinematics import knee_flexion
from ..measure.standing import standing_leg_length
from ..settings import RepSettings
from ..track.series import L_ANKLE, L_FOOT, L_HEEL, L_HIP, L_KNEE, R_ANKLE, R_FOOT, R_HEEL, R_HIP, R_KNEE, PersonTrack
from ..track.signals import fill_gaps, lowpass, sample_rate
from ..types import Lead
from .lead import lead_leg


@dataclass(frozen=True)
class RepWindow:
    """One repetition in track-frame indices (``start <= bottom <= end``) and its lead leg."""

    start: int
    bottom: int
    end: int
    lead: Lead
    depth: float
    lead_confidence: float


def pelvis_depth(track: PersonTrack, settings: RepSettings = RepSettings()) -> tuple[np.ndarray, np.ndarray]:
    """``(depth, h)``: pelvis depth (0 standing, fraction of standing height) and hip height in px.

    The hip height is gap-filled (``pelvis_fill_gap_s``) and low-passed (``pelvis_cutoff_hz``);
    the standing height is its running maximum over ``standing_window_s``.
    """
    im = track.image
    mid_hip_y = 0.5 * (im[:, L_HIP, 1] + im[:, R_HIP, 1])
    feet = im[:, [L_ANKLE, R_ANKLE, L_HEEL, R_HEEL, L_FOOT, R_FOOT], 1]
    with np.errstate(all="ignore"):
        floor = np.nanmax(np.where(np.isfinite(feet), feet, -np.inf), axis=1)
    floor[~np.isfinite(floor)] = np.nan
    h = floor - mid_hip_y
    h = fill_gaps(h, track.time, settings.pelvis_fill_gap_s)
    h = lowpass(h, track.time, settings.pelvis_cutoff_hz)
    fs = sample_rate(track.time) or 30.0
    size = max(3, int(round(settings.standing_window_s * fs)))
    filled = np.where(np.isfinite(h), h, -np.inf)
    h_stand = maximum_filter1d(filled, size=size, mode="nearest")
    with np.errstate(all="ignore"):
        depth = 1.0 - h / h_stand
    depth[~np.isfinite(depth)] = np.nan
    return depth, h


def find_reps(
    track: PersonTrack, settings: RepSettings = RepSettings(), frontal: bool = True, depth: np.ndarray | None = None
) -> list[RepWindow]:
    """Detect repetitions in a (cleaned, label-corrected) person track.

    ``depth``: the track's :func:`pelvis_depth`, if already computed.
    """
    if depth is None:
        depth, _ = pelvis_depth(track, settings)
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
        lead, conf = lead_leg(track, p, frontal, leg, settings)
        reps.append(RepWindow(int(start), int(p), int(end), lead, float(peak), conf))
    if reps:
        typical = float(np.median([r.depth for r in reps]))
        reps = [r for r in reps if r.depth >= settings.min_relative_depth * typical]
    return reps
