"""A rep is a cycle, not a peak: top -> descent -> bottom -> ascent -> top, with hysteresis (pure).

Works on the uniform-grid depth of :mod:`lunge_screen.reps.signal` (leg lengths, 0 = top).

1. **Turning points with hysteresis** (:func:`turning_points`): the signal's alternating
   bottoms (local maxima of depth) and tops (minima), where a turn counts only once the
   signal has moved back by ``turn_delta`` leg lengths. Sensor jitter and a wobble smaller
   than that never make a turning point.
2. **Merging** (:func:`merge_bottoms`): two bottoms separated by a top that is not a *real
   return* are one rep (a hold with a wobble, a pause on the way up). A return is real when
   the pelvis rises back *and* falls again by at least ``return_fraction`` of the smaller of
   the two reps' outer excursions (the first one's descent, the second one's ascent), and by
   at least ``return_min`` leg lengths: half-way up between two full lunges, or a pulse in
   split stance of a tenth of a leg length. The deeper bottom is kept.
3. **Accepting** (:func:`cycles`): a cycle is a rep when its larger side (descent or ascent)
   is at least ``min_amplitude`` leg lengths and each side it shows at least ``return_min``.
   A clip (or an edit cut) that starts or ends inside a rep keeps it when it is nearly as deep
   as the clip's whole reps (``HALF_DEPTH_FRACTION`` of their median depth; a bottom at the
   very edge ``EDGE_DEPTH_FRACTION``): the missing side is the clip's edge, not a hold, and the
   bottom was reached -- not the tail of a rep that ended before the clip began, nor the start
   of one the clip cuts off on the way down.

All thresholds are in leg lengths (scale-free) and times in seconds: the same person gives
the same cycles at any distance, zoom and frame rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..track.signals import runs

#: A rep whose deepest point is the first or last sample of a stretch counts only if it is at least
#: this fraction of the clip's typical (median) whole rep's depth: otherwise the video ends on the way down.
EDGE_DEPTH_FRACTION = 0.9
#: A rep with one side cut off by the clip's edge or a cut (its bottom seen) counts only if it is at least
#: this fraction of the typical whole rep's depth: otherwise the clip opens on the tail of an earlier rep (or
#: ends early in a descent). Reps of one clip differ in depth by up to ~30 %.
HALF_DEPTH_FRACTION = 0.6


@dataclass(frozen=True)
class Cycle:
    """One rep on the grid: indices of its start top, bottom and end top, and its depths (leg lengths)."""

    start: int
    bottom: int
    end: int
    descent: float  # bottom depth minus the start top's (NaN when the clip starts inside the rep)
    ascent: float  # bottom depth minus the end top's (NaN when the clip ends inside it)


def turning_points(d: np.ndarray, turn_delta: float) -> tuple[list[tuple[int, str]], bool, bool]:
    """Alternating ``(index, "bottom" | "top")`` turning points of a finite 1-D signal, with hysteresis.

    Returns the points (always top, bottom, top, ..., top) and whether the signal starts and
    ends inside a rep: then its first or last sample is added as the top that the clip cut off.
    """
    n = len(d)
    pts: list[tuple[int, str]] = []
    if n < 2:
        return pts, False, False
    direction, ext, i_min, i_max = 0, 0, 0, 0
    for i in range(1, n):
        if direction == 0:
            i_min = i if d[i] < d[i_min] else i_min
            i_max = i if d[i] > d[i_max] else i_max
            if d[i] - d[i_min] >= turn_delta:
                pts.append((i_min, "top"))
                direction, ext = 1, i
            elif d[i_max] - d[i] >= turn_delta:
                pts.append((i_max, "bottom"))
                direction, ext = -1, i
        elif direction == 1:  # going down (depth rising) toward a bottom
            if d[i] > d[ext]:
                ext = i
            elif d[ext] - d[i] >= turn_delta:
                pts.append((ext, "bottom"))
                direction, ext = -1, i
        else:  # coming up toward a top
            if d[i] < d[ext]:
                ext = i
            elif d[i] - d[ext] >= turn_delta:
                pts.append((ext, "top"))
                direction, ext = 1, i
    if direction == 1:
        pts.append((ext, "bottom"))
    elif direction == -1:
        pts.append((ext, "top"))
    starts_inside = bool(pts) and pts[0][1] == "bottom"
    ends_inside = bool(pts) and pts[-1][1] == "bottom"
    if starts_inside:
        pts.insert(0, (0, "top"))
    if ends_inside:
        pts.append((n - 1, "top"))
    return pts, starts_inside, ends_inside


def _real_return(rise: float, drop: float, before: float, after: float, fraction: float, minimum: float) -> bool:
    """Between two bottoms: the pelvis rose by ``rise`` and fell again by ``drop`` (leg lengths).

    A real return needs both at least ``fraction`` of the smaller of the two reps' outer
    excursions (``before``: the first rep's descent, ``after``: the second's ascent), and at
    least ``minimum``.
    """
    outer = np.nanmin([before, after]) if np.isfinite([before, after]).any() else 0.0
    return bool(min(rise, drop) >= max(minimum, fraction * outer))


def merge_bottoms(
    d: np.ndarray, pts: list[tuple[int, str]], starts_inside: bool, fraction: float, minimum: float
) -> list[tuple[int, int, int]]:
    """``(top, bottom, top)`` index triples after merging bottoms not separated by a real return."""
    tops = [i for i, k in pts if k == "top"]
    bottoms = [i for i, k in pts if k == "bottom"]
    if not bottoms or len(tops) != len(bottoms) + 1:
        return []
    triples = [(tops[k], bottoms[k], tops[k + 1]) for k in range(len(bottoms))]
    merged = True
    while merged and len(triples) > 1:
        merged = False
        for k in range(len(triples) - 1):
            (s, a, top), (_, b, e) = triples[k], triples[k + 1]
            before = np.nan if (k == 0 and (starts_inside or s == 0)) else d[a] - d[s]
            if not _real_return(d[a] - d[top], d[b] - d[top], before, d[b] - d[e], fraction, minimum):
                triples[k : k + 2] = [(s, a if d[a] >= d[b] else b, e)]
                merged = True
                break
    return triples


def cycles(
    d: np.ndarray,
    turn_delta: float,
    min_amplitude: float,
    return_fraction: float,
    return_min: float,
    open_edges: frozenset[int] = frozenset(),
) -> list[Cycle]:
    """Every rep cycle of the depth signal ``d`` (NaN splits it into independent stretches).

    A rep's two sides are its descent and ascent. A side the signal does not show -- it starts
    or ends inside the rep, or ends while the pelvis is still rising -- is NaN; that is allowed
    only at an open edge: the signal's first or last sample, or an edit cut (``open_edges``). A
    stretch that ends because the person was lost is not an open edge (nobody saw them come
    back up), and its rep is dropped; so is a rep whose deepest point is the stretch's first or last
    sample (the clip ends on the way down: its bottom is not seen). A rep is kept when it shows at
    least one side, its larger side is at least
    ``min_amplitude`` and every side it shows at least ``return_min``.
    """
    d = np.asarray(d, float)
    out: list[Cycle] = []
    edge: list[Cycle] = []  # the deepest point is the stretch's first or last sample
    half: list[Cycle] = []  # one side (descent or ascent) cut off by an open edge
    stretches = runs(np.isfinite(d))
    first, last = (stretches[0][0], stretches[-1][1]) if stretches else (0, 0)
    for a, b in stretches:
        seg = d[a:b]
        pts, starts_inside, ends_inside = turning_points(seg, turn_delta)
        open_start = a == first or bool({a - 1, a} & open_edges)
        open_end = b == last or bool({b - 1, b} & open_edges)
        triples = merge_bottoms(seg, pts, starts_inside, return_fraction, return_min)
        for k, (s, m, e) in enumerate(triples):
            descent = np.nan if (k == 0 and starts_inside) else seg[m] - seg[s]
            ascent = np.nan if (k == len(triples) - 1 and ends_inside) else seg[m] - seg[e]
            if k == len(triples) - 1 and ascent < return_min:
                ascent = np.nan  # the stretch ends while the pelvis is still rising
            if k == 0 and s == 0 and descent < return_min:
                descent = np.nan  # the stretch starts while the pelvis is still going down
            if (np.isnan(descent) and not open_start) or (np.isnan(ascent) and not open_end):
                continue  # the person was lost before the rep was seen to start or end
            edge_bottom = m == 0 or m == len(seg) - 1  # still going down at the edge: bottom reached?
            sides = [v for v in (descent, ascent) if np.isfinite(v)]
            if not sides or max(sides) < min_amplitude or min(sides) < return_min:
                continue
            cycle = Cycle(a + s, a + m, a + e, float(descent), float(ascent))
            (edge if edge_bottom else half if len(sides) == 1 else out).append(cycle)
    # A rep the clip (or a cut) shows only part of is counted only if it is as deep as the clip's whole
    # reps: its bottom was reached. A clip that ends on the way down shows a shallower "bottom"; one that
    # opens on the way up from an earlier rep shows its tail. Half-seen reps of a clip without whole reps
    # have nothing to compare with and are kept; a bottom at the very edge is not.
    typical = float(np.median([d[c.bottom] for c in out])) if out else np.nan
    if np.isfinite(typical):
        out += [c for c in edge if d[c.bottom] >= EDGE_DEPTH_FRACTION * typical]
        out += [c for c in half if d[c.bottom] >= HALF_DEPTH_FRACTION * typical]
    else:
        out += half
    return sorted(out, key=lambda c: c.bottom)
