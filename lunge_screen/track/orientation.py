"""Which way the person faces, and which leg is which: correcting the pose model's left/right labels.

Pose models confuse left and right in two ways, and both would put a finding on
the wrong leg:

1. **Whole-body front/back confusion**: every left landmark labelled as if the person
   were seen from behind. Detected where the image order of the hips and shoulders
   disagrees with the world landmarks' depth of the face (the nose in front of the
   shoulders means the model itself sees a face, i.e. a front view).
2. **Leg swaps**: the lower-limb chains (knee, ankle, heel, toe) attached to the wrong
   hip, for a few frames (an impossible jump) or for the whole clip (seen on
   low-resolution footage, where MediaPipe gave a front *left* leg the *right* labels
   throughout; docs/validation.md). Solved jointly over time by a two-state Viterbi path
   (as labelled / swapped) whose cost adds
   * *continuity*: how far each foot and knee would jump between frames, in leg lengths
     (a label change while the feet are apart is expensive; while they cross, cheap);
   * *side order*: feet crossed relative to the hips (the left foot on the person's right
     of the right foot) costs in proportion to the crossing, most when the feet are side
     by side at one depth, where crossing is anatomically implausible. A curtsy lunge
     crosses on purpose, but its standing frames and the cost of a mid-rep jump keep
     its labels, so a single deliberate cross does not flip a whole clip.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..settings import OrientationSettings, ViewSettings
from .series import (
    L_ANKLE,
    L_FOOT,
    L_HEEL,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    N_LANDMARKS,
    NOSE,
    R_ANKLE,
    R_FOOT,
    R_HEEL,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    PersonTrack,
)
from .signals import finite_median

#: Index pairs (left, right) exchanged when the person's sides are swapped (every paired landmark).
LEFT_RIGHT_PAIRS = [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10)] + [(i, i + 1) for i in range(11, 33, 2)]

#: Landmark pairs exchanged by a leg swap (lower-limb chain below the hip).
LEG_CHAIN = [(L_KNEE, R_KNEE), (L_ANKLE, R_ANKLE), (L_HEEL, R_HEEL), (L_FOOT, R_FOOT)]


@dataclass(frozen=True)
class OrientationReport:
    """What was corrected. ``facing``: +1 facing the camera, -1 back to it, 0 unknown."""

    facing: int
    body_swapped: bool
    leg_swap_frames: int
    leg_swap_segments: int


def label_order(track: PersonTrack) -> np.ndarray:
    """Per frame: +1 where left hips/shoulders lie on image +x of the right ones, -1 otherwise.

    +1 is what a person facing the camera shows; -1 a person seen from behind.
    """
    im = track.image
    d = (im[:, L_HIP, 0] - im[:, R_HIP, 0]) + (im[:, L_SHOULDER, 0] - im[:, R_SHOULDER, 0])
    out = np.sign(d)
    out[~np.isfinite(d)] = 0
    return out


def model_sees_face(track: PersonTrack) -> np.ndarray:
    """Per frame: +1 where the model's world landmarks put the nose in front of the shoulders.

    World z is smaller nearer the camera, so a nose nearer than the shoulders' midpoint
    means the model sees the face. 0 where the nose is level with them (side view).
    """
    w = track.world
    dz = w[:, NOSE, 2] - 0.5 * (w[:, L_SHOULDER, 2] + w[:, R_SHOULDER, 2])
    out = np.where(dz < -0.03, 1, np.where(dz > 0.03, -1, 0))
    out[~np.isfinite(dz)] = 0
    return out


def facing_direction(track: PersonTrack) -> int:
    """+1 facing the camera, -1 back to it, 0 undecided (side view / no person)."""
    face = model_sees_face(track)
    vals = face[face != 0]
    if vals.size < max(3, 0.2 * track.n_frames):
        return 0
    return int(np.sign(np.sum(vals)))


def fix_body_swap(track: PersonTrack, min_agreement: float = 0.3) -> tuple[PersonTrack, bool]:
    """Swap every left/right label if the image order contradicts the facing seen in depth.

    Swapped when fewer than ``min_agreement`` of the frames' image order agrees with the facing.
    """
    facing = facing_direction(track)
    order = label_order(track)
    ok = order != 0
    if facing == 0 or not ok.any():
        return track, False
    agree = np.mean(order[ok] == facing)
    if agree < min_agreement:
        return swap_sides(track), True
    return track, False


def swap_permutation(pairs=LEFT_RIGHT_PAIRS) -> np.ndarray:
    """Landmark permutation that exchanges each ``(left, right)`` pair (default: every paired landmark)."""
    perm = np.arange(N_LANDMARKS)
    for a, b in pairs:
        perm[a], perm[b] = b, a
    return perm


def swap_sides(track: PersonTrack, mask: np.ndarray | None = None, pairs=LEFT_RIGHT_PAIRS) -> PersonTrack:
    """A copy with each ``(left, right)`` landmark pair exchanged in the masked frames (all frames if None).

    The package's one left/right swap: :func:`fix_body_swap` exchanges every pair
    (``LEFT_RIGHT_PAIRS``), :func:`swap_legs` the lower-limb chains (``LEG_CHAIN``).
    """
    mask = np.ones(track.n_frames, bool) if mask is None else np.asarray(mask, bool)
    perm = swap_permutation(pairs)
    image, world, vis = track.image.copy(), track.world.copy(), track.visibility.copy()
    image[mask] = track.image[mask][:, perm]
    world[mask] = track.world[mask][:, perm]
    vis[mask] = track.visibility[mask][:, perm]
    return PersonTrack(track.time, track.frame_index, image, world, vis, track.width, track.height)


def swap_legs(track: PersonTrack, mask: np.ndarray) -> PersonTrack:
    """A copy with the lower-limb chains exchanged in the masked frames."""
    return swap_sides(track, mask, LEG_CHAIN)


def relabel_legs(
    track: PersonTrack, report: OrientationReport, mask: np.ndarray
) -> tuple[PersonTrack, OrientationReport]:
    """Exchange the leg labels in ``mask``'s frames after rep detection, and count them in the report.

    The second label pass: :func:`lunge_screen.reps.lead.unify_planted_leads` finds reps on
    one planted front foot whose lead came out as the other label; their frames are swapped
    here so the measures follow the relabelled lead (it needs the reps, so it cannot run
    before them).
    """
    if not mask.any():
        return track, report
    swapped = swap_legs(track, mask)
    return swapped, dataclasses.replace(report, leg_swap_frames=report.leg_swap_frames + int(mask.sum()))


def leg_label_path(
    track: PersonTrack, yaw: np.ndarray | None = None, settings: OrientationSettings = OrientationSettings()
) -> np.ndarray:
    """Boolean ``(T,)``: frames whose lower-limb labels should be swapped (Viterbi, see module doc).

    ``yaw`` (degrees per frame, :func:`lunge_screen.measure.view.yaw_per_frame`): side-order
    evidence counts only where the view is within ``settings.max_yaw`` of frontal; in a side
    view the feet's image order says nothing about which leg is which.
    """
    im = track.image
    n = track.n_frames
    if n == 0:
        return np.zeros(0, bool)
    hip_mid = 0.5 * (im[:, L_HIP, :2] + im[:, R_HIP, :2])
    foot_l = im[:, [L_ANKLE, L_HEEL, L_FOOT], :2].mean(axis=1)
    foot_r = im[:, [R_ANKLE, R_HEEL, R_FOOT], :2].mean(axis=1)
    leg_len = finite_median(np.hypot(*(0.5 * (foot_l + foot_r) - hip_mid).T))
    hip_w = finite_median(np.abs(im[:, L_HIP, 0] - im[:, R_HIP, 0]))
    if not np.isfinite(leg_len) or leg_len <= 0 or not np.isfinite(hip_w) or hip_w <= 0:
        return np.zeros(n, bool)
    side = np.sign(im[:, L_HIP, 0] - im[:, R_HIP, 0])
    # Side-order evidence: >0 when the left foot is on the left hip's side of the right foot.
    cross = (foot_l[:, 0] - foot_r[:, 0]) * side / hip_w
    depth_gap = np.abs(foot_l[:, 1] - foot_r[:, 1]) / leg_len
    weight = 0.05 + 0.95 * np.exp(-((depth_gap / 0.08) ** 2))
    cross = np.nan_to_num(np.clip(cross, -1.5, 1.5))
    if yaw is not None:
        yaw = np.asarray(yaw, float)
        if not np.nanmedian(yaw) <= settings.max_yaw if np.isfinite(yaw).any() else True:
            return np.zeros(n, bool)  # a side-on clip: occlusion, not labels, explains leg jumps
        weight = np.where(yaw <= settings.max_yaw, weight, 0.0)
    weight = np.nan_to_num(weight)
    cost_keep = weight * np.maximum(0.0, -cross)
    cost_swap = weight * np.maximum(0.0, cross) + settings.swap_prior  # ties keep the model's labels

    pts_l = np.stack([im[:, L_KNEE, :2], foot_l], axis=1)  # (T, 2, 2)
    pts_r = np.stack([im[:, R_KNEE, :2], foot_r], axis=1)
    # transition costs between frame t-1 (state s) and t (state s')
    same = np.hypot(*(pts_l[1:] - pts_l[:-1]).T).sum(axis=0) + np.hypot(*(pts_r[1:] - pts_r[:-1]).T).sum(axis=0)
    cross_jump = np.hypot(*(pts_r[1:] - pts_l[:-1]).T).sum(axis=0) + np.hypot(*(pts_l[1:] - pts_r[:-1]).T).sum(axis=0)
    trans_same = settings.continuity_weight * np.nan_to_num(same / leg_len)
    trans_change = settings.continuity_weight * np.nan_to_num(cross_jump / leg_len) + settings.switch_penalty
    return _viterbi(cost_keep, cost_swap, trans_same, trans_change)


def _viterbi(cost_keep: np.ndarray, cost_swap: np.ndarray, trans_same: np.ndarray, trans_change: np.ndarray):
    """Cheapest path over the two states (0 = as labelled, 1 = swapped); boolean ``(T,)`` of state 1."""
    n = len(cost_keep)
    acc = np.array([cost_keep[0], cost_swap[0]])
    back = np.zeros((n, 2), int)
    for t in range(1, n):
        stay = acc + trans_same[t - 1]
        move = acc[::-1] + trans_change[t - 1]
        back[t] = np.where(stay <= move, [0, 1], [1, 0])
        acc = np.minimum(stay, move) + np.array([cost_keep[t], cost_swap[t]])
    state = np.zeros(n, int)
    state[-1] = int(np.argmin(acc))
    for t in range(n - 1, 0, -1):
        state[t - 1] = back[t, state[t]]
    return state.astype(bool)


def correct_labels(
    track: PersonTrack,
    settings: OrientationSettings = OrientationSettings(),
    view: ViewSettings = ViewSettings(),
) -> tuple[PersonTrack, OrientationReport]:
    """Apply both corrections; return the corrected track and what was done.

    The leg-swap path weighs its evidence by the yaw of the body-corrected track
    (:func:`lunge_screen.measure.view.yaw_per_frame`, with ``view``'s side limit).
    """
    from ..measure.view import yaw_per_frame

    track, body = fix_body_swap(track, settings.body_swap_agreement)
    mask = leg_label_path(track, yaw_per_frame(track, view), settings)
    if mask.any():
        track = swap_legs(track, mask)
    segs = int(np.sum(np.diff(np.concatenate([[0], mask.astype(int)])) == 1))
    order = label_order(track)
    facing = int(np.sign(np.sum(order))) if np.any(order) else 0
    if facing_direction(track) == 0:
        facing = 0 if not order.size or abs(np.mean(order)) < 0.5 else facing
    return track, OrientationReport(
        facing=facing, body_swapped=body, leg_swap_frames=int(mask.sum()), leg_swap_segments=segs
    )
