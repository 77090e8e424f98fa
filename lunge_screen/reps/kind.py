"""The movement of a rep and its working leg, from world-landmark cues at the bottom (pure rules).

Cues (world landmarks: metres, y down, camera-aligned axes; every length divided by the
clip's leg length ``L``, so the rules hold at any distance and zoom). Each is the median over
the rep's bottom phase (the pelvis within ``bottom_phase`` of its deepest excursion, at least
``CUE_WINDOW_S`` around the bottom), so one noisy frame or one frame rate does not decide:

* ``knee_height[leg]``: the knee above the floor (the lowest foot point of both feet);
* ``foot_clearance[leg]``: that foot's lowest point above the floor (0 = on the ground);
* ``image_rise[leg]``: how much higher that foot's lowest point is *in the image* than the
  other foot's (image y, standing leg lengths; positive = higher). A foot is off the ground
  only when the world landmarks and the image agree (:func:`lifted_foot`);
* ``flexion[leg]``: knee flexion, degrees (0 = straight);
* ``stance_width``: the ankles' distance along the world's lateral axis;
* ``ankle_motion[leg]``: how much that ankle moves in the image over the whole rep (SD of its
  position, standing leg lengths): a standing foot stays planted, a free foot moves.

Rules, first match wins (reasons in docs/measurement.md, "Reps"):

1. **lateral lunge**: both feet on the ground, one knee bent (``min_knee_flexion_deg``) and the
   other straight (``straight_knee_deg``), feet wide apart (``wide_stance``), and the straight
   leg's foot planted, not reaching (:func:`reaching_foot`) -> the bent leg works.
2. **lunge** (split stance: forward, reverse, walking, split and Bulgarian squats): the knees'
   heights differ by ``knee_gap`` and the lower knee is bent and down toward the floor (at most
   ``rear_knee_max``) -> the leg with the higher knee (the front leg) works. A single-leg
   squat's free knee stays up near the standing knee, so it fails this rule.
3. **single-leg squat**: one foot is off the ground (:func:`lifted_foot`), or both are down but the
   less bent leg's foot travels while the bent leg's stays planted (:func:`reaching_foot`: a
   lateral or forward reach, a toe tap) -> the standing leg works.
   Primary cues: the more flexed knee (by at least half ``straight_knee_deg``) and the less
   moving ankle (1.5 times stiller); a cue too close to call abstains. The lower foot is the
   weakest cue -- a pistol's free foot is held forward near the floor, and the pose models put
   it level with or below the standing foot (all three models, on the front-view pistol clip)
   -- so it only breaks a tie between the primary cues and never decides alone.
4. **squat**: both feet down, *both* knees bent at least ``min_knee_flexion_deg``, their
   flexions within ``squat_max_flexion_gap_deg`` and their heights within twice ``knee_gap``
   -> both knees are assessed (lead ``both``). Twice: in a wide stance the models' world
   heights of the two knees differ by up to 0.26 leg lengths with both feet flat, while a
   lunge's differ by about half a leg length.
5. otherwise ``unknown``.

The confidence is how far the deciding cue clears its threshold (0.5 at the threshold, 1 at
twice it; for a single-leg squat at most 1 when both primary cues agree, 0.75 when one
abstains and the lower foot agrees, else 0.5); a rep below ``min_lead_confidence`` gets
lead ``unknown``. Every rule treats the legs symmetrically, so a mirrored video (legs
relabelled) gives the other leg on every rep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from ..types import Lead, Leg, RepKind

#: Half-width of the window around the bottom whose median gives the cues, s.
CUE_WINDOW_S = 0.1
_LEGS = {
    "left": (L_HIP, L_KNEE, L_ANKLE, (L_ANKLE, L_HEEL, L_FOOT)),
    "right": (R_HIP, R_KNEE, R_ANKLE, (R_ANKLE, R_HEEL, R_FOOT)),
}


@dataclass(frozen=True)
class BottomCues:
    """World-landmark cues at a rep's bottom (lengths in leg lengths, angles in degrees; NaN = unknown)."""

    knee_height: dict[Leg, float]
    foot_clearance: dict[Leg, float]
    flexion: dict[Leg, float]
    stance_width: float
    ankle_motion: dict[Leg, float] = field(default_factory=lambda: {"left": np.nan, "right": np.nan})
    image_rise: dict[Leg, float] = field(default_factory=lambda: {"left": np.nan, "right": np.nan})


def bottom_cues(
    track: PersonTrack, frame: int, window: tuple[int, int], leg_px: float, phase: tuple[float, float] | None = None
) -> BottomCues:
    """The cues of :class:`BottomCues` at the bottom: medians over the bottom phase.

    ``phase``: the bottom phase's first and last time, s (the frames where the pelvis is in
    the deepest part of the rep); it always covers ``CUE_WINDOW_S`` around ``frame``. More
    frames than one make the cues stable across frame rates. ``window``: the rep's first and
    last frame (for the ankles' motion); ``leg_px``: the standing leg length in pixels.
    """
    t = np.asarray(track.time, float)
    sel = np.abs(t - t[frame]) <= CUE_WINDOW_S
    if phase is not None:
        sel |= (t >= phase[0]) & (t <= phase[1])
    w = np.asarray(track.world, float)[sel]
    feet_y = w[:, [j for leg in _LEGS.values() for j in leg[3]], 1]
    floor = np.nanmax(feet_y, axis=1)
    legs = [segment_length(w[:, h], w[:, k]) + segment_length(w[:, k], w[:, a]) for h, k, a, _ in _LEGS.values()]
    length = np.nanmedian(np.concatenate(legs)) if np.isfinite(np.concatenate(legs)).any() else np.nan
    kh, clear, flex = {}, {}, {}
    for leg, (h, k, a, foot) in _LEGS.items():
        kh[leg] = _med((floor - w[:, k, 1]) / length)
        clear[leg] = _med((floor - np.nanmax(w[:, list(foot), 1], axis=1)) / length)
        flex[leg] = _med(knee_flexion(w[:, h], w[:, k], w[:, a]))
    width = _med(np.abs(w[:, L_ANKLE, 0] - w[:, R_ANKLE, 0]) / length)
    image = np.asarray(track.image, float)
    lowest = {leg: np.nanmax(image[sel][:, list(foot), 1], axis=1) for leg, (*_, foot) in _LEGS.items()}
    rise = _med(lowest["left"] - lowest["right"]) / leg_px if leg_px > 0 else np.nan  # image y is down
    im = image[window[0] : window[1] + 1]
    motion = {}
    for leg, ankle in (("left", L_ANKLE), ("right", R_ANKLE)):
        xy = im[:, ankle, :2]
        xy = xy[np.isfinite(xy).all(axis=1)]
        motion[leg] = float(np.sqrt(xy.var(axis=0).sum()) / leg_px) if len(xy) > 2 and leg_px > 0 else np.nan
    return BottomCues(kh, clear, flex, width, motion, {"left": -rise, "right": rise})


def _med(x: np.ndarray) -> float:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def _confidence(value: float, threshold: float) -> float:
    """0.5 when ``value`` just reaches ``threshold``, 1 at twice it (linear between)."""
    if not np.isfinite(value) or threshold <= 0:
        return 0.0
    return float(np.clip(0.5 * value / threshold, 0.0, 1.0))


def lifted_foot(c: BottomCues, s: RepSettings = RepSettings()) -> Leg | None:
    """The foot off the ground at the bottom, or ``None`` when both are down (or it cannot be told).

    Off the ground: the world landmarks put its lowest point ``foot_lift`` leg lengths above the
    other foot's, *and* the image shows it at least ``foot_lift_image`` standing leg lengths
    higher than the other foot (when the image can tell). The world landmarks alone are wrong in
    both directions: the heavy model lifts a planted foot of a wide squat by 0.12-0.15, and
    a free foot can read level with the floor. A planted pair of feet is level in the image
    (within ~0.03 on every squat rep) when both stand at one depth; a foot held up is higher in
    the image too. Not caught: a foot misplaced in both (the lite model lifts a lateral lunge's
    straight leg by 0.2 in the world and 0.09-0.14 in the image).
    """
    cl, cr = c.foot_clearance["left"], c.foot_clearance["right"]
    if not (np.isfinite(cl) and np.isfinite(cr)) or abs(cl - cr) < s.foot_lift:
        return None
    leg: Leg = "left" if cl > cr else "right"
    rise = c.image_rise[leg]
    if np.isfinite(rise) and rise < s.foot_lift_image:
        return None
    return leg


def _more_flexed(c: BottomCues, s: RepSettings) -> Leg | None:
    """The leg whose knee is flexed at least half ``straight_knee_deg`` more than the other's, or ``None``."""
    fl, fr = c.flexion["left"], c.flexion["right"]
    if not (np.isfinite(fl) and np.isfinite(fr)) or abs(fl - fr) < s.straight_knee_deg / 2:
        return None
    return "left" if fl > fr else "right"


def reaching_foot(c: BottomCues, s: RepSettings = RepSettings()) -> Leg | None:
    """The free foot of a single-leg squat that reaches or taps the floor, or ``None``.

    Its leg is the less bent (by at least half ``straight_knee_deg``), and its ankle moves in
    the image over the rep at least ``reach_motion`` standing leg lengths and 1.5 times as much
    as the bent leg's ankle: the bent leg stands still on a planted foot while the other foot
    travels, so it carries little weight. In a stepping lunge (forward, reverse or lateral) the
    foot that steps is a *bent* leg's, so this never names it.
    """
    standing = _more_flexed(c, s)
    if standing is None:
        return None
    free: Leg = "right" if standing == "left" else "left"
    m_free, m_stand = c.ankle_motion[free], c.ankle_motion[standing]
    if not (np.isfinite(m_free) and np.isfinite(m_stand)):
        return None
    return free if m_free >= s.reach_motion and m_free >= 1.5 * m_stand else None


def classify_rep(c: BottomCues, s: RepSettings = RepSettings()) -> tuple[RepKind, Lead, float]:
    """``(kind, lead, confidence)`` of one rep from its bottom cues (rules in the module docstring)."""
    fl, fr = c.flexion["left"], c.flexion["right"]
    kl, kr = c.knee_height["left"], c.knee_height["right"]
    lifted = lifted_foot(c, s)
    both_down = lifted is None
    reach = reaching_foot(c, s) if both_down else None
    bent = "left" if fl >= fr else "right"
    straight_f, bent_f = min(fl, fr), max(fl, fr)
    one_bent = bent_f >= s.min_knee_flexion_deg and straight_f < s.straight_knee_deg
    if both_down and reach is None and one_bent and c.stance_width >= s.wide_stance:
        spread = _confidence(bent_f - straight_f, 2 * s.straight_knee_deg)
        return _lead("lateral lunge", bent, min(_confidence(c.stance_width, s.wide_stance), spread), s)
    gap = kl - kr
    lower: Leg = "left" if gap < 0 else "right"
    rear_down = c.knee_height[lower] <= s.rear_knee_max and c.flexion[lower] >= s.min_knee_flexion_deg
    if abs(gap) >= s.knee_gap and rear_down:
        return _lead("lunge", "left" if gap > 0 else "right", _confidence(abs(gap), s.knee_gap), s)
    if lifted is not None or reach is not None:
        return _single_leg(c, s, reach)
    alike = abs(gap) < 2 * s.knee_gap and bent_f - straight_f < s.squat_max_flexion_gap_deg
    if both_down and straight_f >= s.min_knee_flexion_deg and alike:
        return "squat", "both", round(1.0 - 0.5 * (bent_f - straight_f) / s.squat_max_flexion_gap_deg, 3)
    return "unknown", "unknown", 0.0


def _single_leg(c: BottomCues, s: RepSettings, reach: Leg | None = None) -> tuple[RepKind, Lead, float]:
    """Standing leg of a single-leg squat (rule 3 of the module docstring).

    The two primary cues are the more flexed knee and the stiller ankle; a cue too close to
    call abstains. Which foot is lower is the weakest cue (a pistol's free foot, held forward
    near the floor, is read level with or below the standing foot): it only breaks a tie
    between the two primary cues, and never decides alone. ``reach``: the free foot found by
    :func:`reaching_foot` (both primary cues name the other leg); its motion, not the feet's
    heights, then gives the confidence.
    """
    if reach is not None:
        standing: Leg = "left" if reach == "right" else "right"
        excess = c.ankle_motion[reach] - c.ankle_motion[standing]
        return _lead("single-leg squat", standing, round(_confidence(excess, s.reach_motion), 3), s)
    cl, cr = c.foot_clearance["left"], c.foot_clearance["right"]
    knee = _more_flexed(c, s)
    primary: list[Leg] = [knee] if knee is not None else []
    ml, mr = c.ankle_motion["left"], c.ankle_motion["right"]
    if np.isfinite(ml) and np.isfinite(mr) and max(ml, mr) > 1.5 * min(ml, mr):
        primary.append("left" if ml < mr else "right")
    lower: Leg = "left" if cl < cr else "right"
    if not primary:
        return "single-leg squat", "unknown", 0.0
    if len(primary) == 2 and primary[0] == primary[1]:
        leg, agreement = primary[0], 1.0
    elif len(primary) == 1:
        leg = primary[0]
        agreement = 0.75 if lower == leg else 0.5
    else:  # the knee and the ankle disagree: the lower foot breaks the tie
        leg, agreement = lower, 0.5
    return _lead("single-leg squat", leg, round(min(agreement, _confidence(abs(cl - cr), s.foot_lift)), 3), s)


def _lead(kind: RepKind, leg: Leg, conf: float, s: RepSettings) -> tuple[RepKind, Lead, float]:
    if conf < s.min_lead_confidence:
        return kind, "unknown", round(conf, 3)
    return kind, leg, round(conf, 3)
