"""The rep signal: how low the pelvis is, in the person's own leg lengths, on a uniform time grid.

**Why body-relative.** The first detector used the image height of the pelvis above the feet
against its running maximum. A zoom, an orbiting or handheld camera, or a person walking
toward the camera changes that image height without any movement of the person. Here
every quantity comes from MediaPipe's *world* landmarks (metres, origin at the hips,
estimated from the body's own proportions), so it does not depend on the person's size in
the image or the camera's distance:

* ``h(t)``: the hip centre's height above the lowest foot point (ankles, heels, toes of
  both feet) along the world vertical axis, metres;
* ``L``: the leg length, the median of hip-knee + knee-ankle (3-D, both legs) over the
  clip's straight-knee frames, metres — one constant per clip (the models shorten a bent
  leg in front views, so frames in a lunge would make ``L`` depend on the clip's content);
* **depth** ``d(t) = (h_top - h(t)) / L`` where ``h_top`` is the ``top_percentile``-th
  percentile of ``h`` (the clip's highest posture: standing, or the top of a split stance).
  0 at the top, about 0.3-0.5 at a lunge's bottom; unitless (leg lengths).

Both feet and both hips enter symmetrically, so the signal does not depend on which leg
the pose model calls left (a mirrored video gives the same signal). The landmarks are used
whatever their visibility: MediaPipe still places a foot that has left the frame, and a
rep that the hips and knees show must not be lost (measures that need the foot are gated
later, in :mod:`lunge_screen.screen`).

**Why a uniform grid.** Variable-frame-rate video and dropped frames give unevenly spaced
samples; a digital filter and any spacing rule in samples then depends on the frame
pattern. The signal is linearly interpolated onto a grid of ``grid_hz`` (default 50 Hz,
above every analysed rate's Nyquist band of interest) before outlier rejection and
low-pass filtering; gaps longer than ``max_gap_s`` stay missing (NaN), never invented.
Detected events are mapped back to the nearest real frame for reporting.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..measure.kinematics import knee_flexion, segment_length
from ..settings import RepSettings
from ..track.series import (
    L_ANKLE,
    L_FOOT,
    L_HEEL,
    L_HIP,
    L_KNEE,
    R_ANKLE,
    R_FOOT,
    R_HEEL,
    R_HIP,
    R_KNEE,
    PersonTrack,
)
from ..track.signals import fill_gaps, hampel, lowpass

FEET = (L_ANKLE, R_ANKLE, L_HEEL, R_HEEL, L_FOOT, R_FOOT)


@dataclass(frozen=True)
class RepSignal:
    """The rep signal on a uniform grid and mapped back to the track's frames.

    ``t``: ``(N,)`` grid times, s (same origin as the track's). ``depth``: ``(N,)`` leg lengths,
    0 = top posture, larger = lower pelvis; NaN where unknown. ``frame_depth``: ``(T,)`` the same
    at the track's own frame times. ``leg_m``: the clip's leg length, metres (NaN if unknown).
    """

    t: np.ndarray
    depth: np.ndarray
    frame_depth: np.ndarray
    leg_m: float

    def frame_at(self, track_time: np.ndarray, t_s: float) -> int:
        """Index of the track frame nearest to time ``t_s``."""
        return int(np.argmin(np.abs(np.asarray(track_time, float) - t_s)))


def uniform_grid(time: np.ndarray, rate_hz: float) -> np.ndarray:
    """A uniform time grid at ``rate_hz`` covering ``time``'s span (s)."""
    time = np.asarray(time, float)
    if time.size == 0:
        return np.zeros(0)
    n = int(np.floor((time[-1] - time[0]) * rate_hz + 1e-9)) + 1
    return time[0] + np.arange(n) / rate_hz


def resample_uniform(x: np.ndarray, time: np.ndarray, grid: np.ndarray, max_gap_s: float) -> np.ndarray:
    """``x`` (NaN = missing) linearly interpolated at ``grid``; NaN inside gaps longer than ``max_gap_s``.

    A grid point is interpolated only between two finite samples at most ``max_gap_s`` apart,
    so dropped frames are bridged and long gaps stay missing. Pure; seconds throughout.
    """
    x = np.asarray(x, float)
    time = np.asarray(time, float)
    ok = np.isfinite(x)
    out = np.full(len(grid), np.nan)
    if ok.sum() < 2:
        return out
    tv, xv = time[ok], x[ok]
    out = np.interp(grid, tv, xv, left=np.nan, right=np.nan)
    right = np.searchsorted(tv, grid, side="left").clip(1, len(tv) - 1)
    span = tv[right] - tv[right - 1]
    exact = np.isclose(tv[right], grid) | np.isclose(tv[right - 1], grid)
    out[(span > max_gap_s + 1e-9) & ~exact] = np.nan
    return out


def hip_height(world: np.ndarray) -> np.ndarray:
    """``(T,)`` metres: hip centre above the lowest foot point, along the world vertical (y down)."""
    hip_y = 0.5 * (world[:, L_HIP, 1] + world[:, R_HIP, 1])
    feet = world[:, list(FEET), 1]
    with np.errstate(all="ignore"):
        lowest = np.nanmax(np.where(np.isfinite(feet), feet, -np.inf), axis=1)
    lowest[~np.isfinite(lowest)] = np.nan
    return lowest - hip_y


_LEGS = ((L_HIP, L_KNEE, L_ANKLE), (R_HIP, R_KNEE, R_ANKLE))


def straight_knee_frames(world: np.ndarray, straight_deg: float) -> np.ndarray:
    """``(T,)`` bool: frames where the more flexed knee is at its straightest -- flexion (world
    landmarks, deg) at most ``straight_deg`` or the clip's 20th percentile, whichever is larger."""
    w = np.asarray(world, float)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        flex_max = np.nanmax(np.stack([knee_flexion(w[:, h], w[:, k], w[:, a]) for h, k, a in _LEGS]), axis=0)
        cutoff = np.nanpercentile(flex_max, 20) if np.isfinite(flex_max).any() else np.nan
        return flex_max <= max(straight_deg, cutoff)


def leg_length_m(world: np.ndarray, straight_deg: float | None = None) -> float:
    """The clip's leg length (median of hip-knee + knee-ankle over frames and both legs), metres.

    With ``straight_deg``, only the :func:`straight_knee_frames` count (when there are at least
    3): in a front view the pose models shorten a bent leg along the camera axis (full model,
    front-view lunge: 0.74 m straight, 0.47 m past 90 deg of flexion), so a median over all
    frames would depend on how long the clip stays down -- and a clip cut short in a hold
    would read deeper reps than the whole clip. Side views read the same length at any flexion.
    """
    w = np.asarray(world, float)
    legs = np.stack([segment_length(w[:, h], w[:, k]) + segment_length(w[:, k], w[:, a]) for h, k, a in _LEGS])
    if straight_deg is not None:
        straight = straight_knee_frames(w, straight_deg)
        if straight.sum() >= 3:
            legs = legs[:, straight]
    v = legs.ravel()
    v = v[np.isfinite(v) & (v > 0)]
    return float(np.median(v)) if v.size else float("nan")


def upright_world(world: np.ndarray, straight_deg: float, close_feet: float) -> np.ndarray:
    """World landmarks rotated so that the person's standing vertical is the y axis (y down).

    MediaPipe's world axes follow the camera: a phone pitched down by 30 deg tilts "down" by
    30 deg, and a foot reaching toward the camera then reads half a shank lower than it is.
    The vertical is taken from the person instead: the median direction from the hip centre
    to the ankle centre over the frames where both knees are at their straightest (flexion
    below ``straight_deg`` or the clip's 20th percentile, whichever is larger) and the ankles
    are close (within ``close_feet`` leg lengths): standing.
    With no such frame the camera's axes are kept. Pure; ``(T, 33, 3)`` in and out.
    """
    w = np.asarray(world, float)
    hip = 0.5 * (w[:, L_HIP] + w[:, R_HIP])
    ankle = 0.5 * (w[:, L_ANKLE] + w[:, R_ANKLE])
    apart = np.linalg.norm(w[:, L_ANKLE] - w[:, R_ANKLE], axis=1) / leg_length_m(w)
    with np.errstate(invalid="ignore"):
        standing = straight_knee_frames(w, straight_deg) & (apart < close_feet)
    v = (ankle - hip)[standing]
    v = v[np.isfinite(v).all(axis=1)]
    if len(v) < 3:
        return w
    down = np.median(v / np.linalg.norm(v, axis=1, keepdims=True), axis=0)
    down /= np.linalg.norm(down)
    return w @ _rotation_to_y(down).T


def _rotation_to_y(u: np.ndarray) -> np.ndarray:
    """The 3x3 rotation taking unit vector ``u`` onto (0, 1, 0) (Rodrigues' formula)."""
    y = np.array([0.0, 1.0, 0.0])
    axis = np.cross(u, y)
    sin, cos = float(np.linalg.norm(axis)), float(np.dot(u, y))
    if sin < 1e-9:
        return np.eye(3) if cos > 0 else np.diag([1.0, -1.0, -1.0])
    k = axis / sin
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + sin * kx + (1 - cos) * kx @ kx


def smooth_on_grid(x: np.ndarray, grid: np.ndarray, settings: RepSettings) -> np.ndarray:
    """Hampel outlier rejection, short-gap fill and zero-phase low-pass on a uniform grid."""
    y = hampel(x, grid, settings.hampel_window_s, settings.hampel_sigmas)
    y = fill_gaps(y, grid, settings.max_gap_s)
    return lowpass(y, grid, settings.cutoff_hz)


def rep_signal(track: PersonTrack, settings: RepSettings = RepSettings()) -> RepSignal:
    """The body-relative depth of ``track`` (see the module docstring), on the grid and per frame."""
    world = np.asarray(track.world, float)
    time = np.asarray(track.time, float)
    leg = leg_length_m(world, settings.straight_knee_deg)
    grid = uniform_grid(time, settings.grid_hz)
    h = resample_uniform(hip_height(world), time, grid, settings.max_gap_s)
    h = smooth_on_grid(h, grid, settings)
    if not np.isfinite(leg) or not np.isfinite(h).any():
        nan = np.full(len(grid), np.nan)
        return RepSignal(grid, nan, np.full(len(time), np.nan), leg)
    top = float(np.nanpercentile(h, settings.top_percentile))
    depth = (top - h) / leg
    frame_depth = resample_uniform(depth, grid, time, 1.5 / settings.grid_hz)
    return RepSignal(grid, depth, frame_depth, leg)


def flexion_on_grid(track: PersonTrack, grid: np.ndarray, settings: RepSettings) -> tuple[np.ndarray, np.ndarray]:
    """Left and right knee flexion (deg, 0 = straight; world landmarks) smoothed on ``grid``."""
    w = np.asarray(track.world, float)
    out = []
    for hip, knee, ankle in _LEGS:
        f = knee_flexion(w[:, hip], w[:, knee], w[:, ankle])
        out.append(smooth_on_grid(resample_uniform(f, track.time, grid, settings.max_gap_s), grid, settings))
    return out[0], out[1]
