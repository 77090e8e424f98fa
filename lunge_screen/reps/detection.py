"""Find repetitions (start, bottom, end), their movement kind and the working leg of each.

Stages (every rule is in docs/measurement.md, "Reps", with its reason):

1. :func:`lunge_screen.reps.signal.rep_signal`: body-relative pelvis depth on a uniform grid
   (world landmarks; leg lengths; VFR-safe). Edit cuts split it: nothing is measured across
   a cut.
2. :func:`lunge_screen.reps.cycles.cycles`: top -> bottom -> top cycles with hysteresis.
3. Gates: the more flexed knee bends at least ``min_knee_flexion_deg`` at the bottom (a step
   or walking dips the pelvis a little with straight-ish knees), the person is present in
   most of the rep's frames, the rep lasts ``min_duration_s``-``max_duration_s``, the pelvis
   does not travel across the frame.
4. :func:`lunge_screen.reps.kind.classify_rep`: the movement kind and the working leg from
   the world-landmark cues at the bottom.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..measure.standing import standing_leg_length
from ..settings import RepSettings
from ..track.series import L_HIP, R_HIP, PersonTrack
from ..types import Lead, RepKind
from .cycles import Cycle, cycles
from .kind import bottom_cues, classify_rep
from .signal import RepSignal, flexion_on_grid, rep_signal, upright_world

#: A rep whose bottom is this close to an edit cut (s) is not counted: its bottom is not seen,
#: and the shot on the other side may show the same rep.
CUT_BOTTOM_S = 0.2


@dataclass(frozen=True)
class RepWindow:
    """One repetition in track-frame indices (``start <= bottom <= end``), its kind and working leg.

    ``depth``: pelvis depth at the bottom, leg lengths below the clip's top posture.
    ``lead_confidence``: 0-1, how clearly the cues name the working leg (see :mod:`.kind`).
    ``phase``: first and last frame of the bottom phase (the pelvis within ``bottom_phase`` of
    its deepest excursion: the frames of the movement cues); ``bottom`` is the centroid of the wider
    ``bottom_time_phase`` (:func:`_bottom_time`). ``None``: the bottom frame alone.
    """

    start: int
    bottom: int
    end: int
    lead: Lead
    depth: float
    lead_confidence: float
    kind: RepKind = "lunge"
    phase: tuple[int, int] | None = None

    @property
    def bottom_frames(self) -> slice:
        """The bottom phase's frames (at least the bottom frame)."""
        a, b = self.phase or (self.bottom, self.bottom)
        return slice(min(a, self.bottom), max(b, self.bottom) + 1)


def cut_signal(sig: RepSignal, cut_times: list[float]) -> tuple[np.ndarray, frozenset[int]]:
    """The grid depth with the samples nearest each edit cut set missing (no cycle spans a cut),
    and the grid indices beside the cuts (open edges: a rep may start or end there unseen)."""
    d = sig.depth.copy()
    edges: set[int] = set()
    for t in cut_times:
        i = int(np.searchsorted(sig.t, t))
        d[max(0, i - 1) : i + 1] = np.nan
        edges.update({max(0, i - 2), max(0, i - 1), i, i + 1})
    return d, frozenset(edges)


def _boundary(d: np.ndarray, c: Cycle, fraction: float, step: int) -> int:
    """Walk from the bottom toward the start (``step=-1``) or end (``+1``) top until depth is back near it."""
    top = c.start if step < 0 else c.end
    limit = d[top] + fraction * (d[c.bottom] - d[top])
    i = c.bottom
    while i != top and np.isfinite(d[i + step]) and d[i] > limit:
        i += step
    return i


def _band_edge(d: np.ndarray, c: Cycle, fraction: float) -> float:
    """The depth ``fraction`` of the rep's excursion (from its shallower top) above its deepest point."""
    top = np.nanmax([d[c.start], d[c.end]])
    return float(d[c.bottom] - fraction * (d[c.bottom] - top))


def _bottom_phase(d: np.ndarray, t: np.ndarray, c: Cycle, fraction: float) -> tuple[float, float]:
    """First and last time (s) of the run around the bottom where depth is within ``fraction`` of the
    rep's excursion from its shallower top (:func:`_band_edge`): the deepest part of the rep."""
    limit = _band_edge(d, c, fraction)
    a = b = c.bottom
    while a > c.start and np.isfinite(d[a - 1]) and d[a - 1] >= limit:
        a -= 1
    while b < c.end and np.isfinite(d[b + 1]) and d[b + 1] >= limit:
        b += 1
    return float(t[a]), float(t[b])


def _bottom_time(d: np.ndarray, t: np.ndarray, c: Cycle, fraction: float) -> float:
    """The reported bottom, s: the centroid of the :func:`_bottom_phase` of ``fraction`` (the deeper
    part of the rep, a hold included), each sample weighted by how much deeper it is than the band's edge.

    A weighted centroid, not the band's middle: a shoulder of the descent that barely crosses the
    edge moves the band's end by its whole length but adds almost no weight. A band cut off by the
    clip's edge (or a cut) has no centre: then the deepest point is the bottom.
    """
    a, b = _bottom_phase(d, t, c, fraction)
    cut_off = (np.isnan(c.descent) and a <= t[c.start]) or (np.isnan(c.ascent) and b >= t[c.end])
    if cut_off:
        return float(t[c.bottom])
    sel = (t >= a) & (t <= b) & np.isfinite(d)
    w = np.clip(d[sel] - _band_edge(d, c, fraction), 0.0, None)
    return float(np.sum(w * t[sel]) / np.sum(w)) if np.sum(w) > 0 else float(t[c.bottom])


def find_reps(
    track: PersonTrack,
    settings: RepSettings = RepSettings(),
    cut_times: list[float] | None = None,
    signal: RepSignal | None = None,
) -> tuple[list[RepWindow], RepSignal]:
    """Reps of a label-corrected person track (landmarks before visibility masking), and the rep signal."""
    track = replace(track, world=upright_world(track.world, settings.straight_knee_deg, settings.standing_feet))
    sig = signal or rep_signal(track, settings)
    d, open_edges = cut_signal(sig, cut_times or [])
    found = np.asarray(track.found, bool)
    if len(d) < 5 or not np.isfinite(d).any():
        return [], sig
    flex_l, flex_r = flexion_on_grid(track, sig.t, settings)
    leg_px = standing_leg_length(track)
    hip_x = 0.5 * (track.image[:, L_HIP, 0] + track.image[:, R_HIP, 0])
    reps: list[RepWindow] = []
    found_cycles = cycles(
        d, settings.turn_delta, settings.min_amplitude, settings.return_fraction, settings.return_min, open_edges
    )
    for c in found_cycles:
        if any(abs(sig.t[c.bottom] - tc) <= CUT_BOTTOM_S for tc in cut_times or []):
            continue  # the bottom is at a cut: it may be the same rep as the other shot's, and is not seen
        fb = float(np.nanmax([flex_l[c.bottom], flex_r[c.bottom]])) if np.isfinite(
            [flex_l[c.bottom], flex_r[c.bottom]]
        ).any() else np.nan  # fmt: skip
        if np.isfinite(fb) and fb < settings.min_knee_flexion_deg:
            continue  # the pelvis dipped but no knee bent like a lunge or squat: a step, walking
        t0 = sig.t[_boundary(d, c, settings.boundary_fraction, -1)]
        t1 = sig.t[_boundary(d, c, settings.boundary_fraction, +1)]
        whole = np.isfinite(c.descent) and np.isfinite(c.ascent)
        if t1 - t0 > settings.max_duration_s or (whole and t1 - t0 < settings.min_duration_s):
            continue  # (a rep cut by the clip's edge is shorter than it was)
        phase = _bottom_phase(d, sig.t, c, settings.bottom_phase)
        t_bottom = _bottom_time(d, sig.t, c, settings.bottom_time_phase)
        start, bottom, end = (sig.frame_at(track.time, t) for t in (t0, t_bottom, t1))
        if found[start : end + 1].mean() < settings.min_present_fraction:
            continue
        travel = abs(hip_x[end] - hip_x[start]) / leg_px if np.isfinite(leg_px) and leg_px > 0 else np.nan
        if np.isfinite(travel) and travel > settings.max_hip_travel:
            continue  # walked across the frame: not a rep
        kind, lead, conf = classify_rep(bottom_cues(track, bottom, (start, end), leg_px, phase), settings)
        frames = (sig.frame_at(track.time, phase[0]), sig.frame_at(track.time, phase[1]))
        reps.append(RepWindow(start, bottom, end, lead, float(d[c.bottom]), conf, kind, frames))
    return reps, sig
