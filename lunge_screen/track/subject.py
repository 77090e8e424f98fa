"""Choose the screened person when the pose model saw several (a clinician, a mirror).

The model returns up to ``P`` people per frame in no stable order. Detections are
linked into tracks frame to frame (nearest hip centre, within half a body height),
then one track is chosen for the whole video by a rule:

* ``largest`` (default): the largest person summed over time (size x frames seen), i.e.
  the one nearest the camera for longest -- the patient, not the mirror image.
* ``center``: the person nearest the frame's centre line, weighted by time seen.
* ``left`` / ``right``: the person furthest to the image's left / right.

The subject is never re-chosen per frame, so legs cannot jump between people mid-rep.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import TrackingSettings
from ..types import SUBJECT_RULES, SubjectRule
from .series import L_ANKLE, L_HIP, L_SHOULDER, NOSE, R_ANKLE, R_HIP, R_SHOULDER, LandmarkSeries, PersonTrack

RULES = SUBJECT_RULES


@dataclass(frozen=True)
class SubjectReport:
    """How the subject was chosen: rule, how many distinct people were seen, frames with others."""

    rule: SubjectRule
    n_tracks: int
    max_people_in_frame: int
    frames_with_others: int


def _size(image: np.ndarray) -> np.ndarray:
    """Body size (px) per detection: nose-to-ankles height, or shoulder-to-hip span as fallback."""
    top = image[..., NOSE, 1]
    bottom = np.fmax(image[..., L_ANKLE, 1], image[..., R_ANKLE, 1])
    h = bottom - top
    trunk = np.abs(
        0.5 * (image[..., L_HIP, 1] + image[..., R_HIP, 1])
        - 0.5 * (image[..., L_SHOULDER, 1] + image[..., R_SHOULDER, 1])
    )
    return np.where(np.isfinite(h) & (h > 0), h, 2.5 * trunk)


def link_tracks(series: LandmarkSeries, link_distance: float = 0.5) -> np.ndarray:
    """Track id per detection, shape ``(T, P)`` (-1 where no detection).

    A detection continues the nearest track whose hip centre was within ``link_distance``
    of its body height in the previous frame it was seen.
    """
    t_n, p_n = series.image.shape[:2]
    centre = 0.5 * (series.image[:, :, L_HIP, :2] + series.image[:, :, R_HIP, :2])
    size = _size(series.image)
    ids = np.full((t_n, p_n), -1, int)
    last_pos: dict[int, np.ndarray] = {}
    last_size: dict[int, float] = {}
    next_id = 0
    for t in range(t_n):
        present = [p for p in range(p_n) if np.isfinite(centre[t, p]).all()]
        pairs = []
        for p in present:
            for tid, pos in last_pos.items():
                d = float(np.hypot(*(centre[t, p] - pos)))
                if d < link_distance * max(last_size[tid], 1.0):
                    pairs.append((d, p, tid))
        used_p, used_t = set(), set()
        for _dist, p, tid in sorted(pairs):
            if p in used_p or tid in used_t:
                continue
            ids[t, p] = tid
            used_p.add(p)
            used_t.add(tid)
        for p in present:
            if p not in used_p:
                ids[t, p] = next_id
                next_id += 1
        for p in present:
            tid = ids[t, p]
            last_pos[tid] = centre[t, p]
            last_size[tid] = float(size[t, p]) if np.isfinite(size[t, p]) else last_size.get(tid, 100.0)
    return ids


def merge_disjoint(
    series: LandmarkSeries, ids: np.ndarray, settings: TrackingSettings = TrackingSettings()
) -> np.ndarray:
    """Join tracks that follow one another in time, near where the last one ended and of similar size.

    A person lost for a frame or across an edit cut gets a new track id from
    :func:`link_tracks`; this puts the pieces back together. Tracks that coexist
    (two people at once) or appear far from where another vanished are kept apart.
    """
    ids = ids.copy()
    lo, hi = settings.merge_size_min, settings.merge_size_max
    centre = 0.5 * (series.image[:, :, L_HIP, :2] + series.image[:, :, R_HIP, :2])
    size = _size(series.image)
    changed = True
    while changed:
        changed = False
        spans = {}
        for tid in np.unique(ids[ids >= 0]):
            tt, pp = np.nonzero(ids == tid)
            spans[tid] = (tt.min(), tt.max(), tt, pp)
        order = sorted(spans, key=lambda k: spans[k][0])
        for a in order:
            _a0, a1, at, ap = spans[a]
            for b in order:
                b0, _b1, bt, bp = spans[b]
                if b == a or b0 <= a1 or series.time[b0] - series.time[a1] > settings.merge_gap_s:
                    continue
                if np.any(np.isin(bt, at)):
                    continue
                sa = np.nanmedian(size[at, ap])
                sb = np.nanmedian(size[bt, bp])
                end_a = centre[a1, ap[at == a1][0]]
                start_b = centre[b0, bp[bt == b0][0]]
                similar = np.isfinite(sa) and np.isfinite(sb) and lo <= sb / sa <= hi
                if not similar:
                    continue
                if np.hypot(*(start_b - end_a)) < sa:
                    ids[ids == b] = a
                    changed = True
                    break
            if changed:
                break
    return ids


def choose_subject(
    series: LandmarkSeries, rule: SubjectRule = "largest", settings: TrackingSettings = TrackingSettings()
) -> tuple[PersonTrack, SubjectReport]:
    """The chosen person's track (NaN in frames where they were not seen) and how it was chosen."""
    if rule not in RULES:
        raise ValueError(f"unknown subject rule {rule!r}; choose one of {', '.join(RULES)}")
    t_n, _p_n = series.image.shape[:2]
    people = series.people_per_frame()
    # Linking also runs for one person per frame: the model can jump to someone else.
    ids = merge_disjoint(series, link_tracks(series, settings.link_distance), settings)
    track_ids = np.unique(ids[ids >= 0])
    n_tracks = len(track_ids)
    chosen = int(track_ids[0]) if n_tracks else 0
    if n_tracks > 1:
        size = np.nan_to_num(_size(series.image))
        cx = 0.5 * (series.image[:, :, L_HIP, 0] + series.image[:, :, R_HIP, 0])
        scores = []
        for tid in track_ids:
            m = ids == tid
            if rule == "largest":
                scores.append(size[m].sum())
            elif rule == "center":
                off = np.abs(cx[m] - series.source.width / 2) / series.source.width
                scores.append(np.sum(1.0 - np.clip(off * 2, 0, 1)))
            elif rule == "left":
                scores.append(-np.nanmedian(cx[m]) + 1e-3 * m.sum())
            else:
                scores.append(np.nanmedian(cx[m]) + 1e-3 * m.sum())
        chosen = int(track_ids[int(np.argmax(scores))])
    shape = (t_n, *series.image.shape[2:])
    image = np.full(shape, np.nan, np.float32)
    world = np.full(shape, np.nan, np.float32)
    vis = np.zeros((t_n, *series.visibility.shape[2:]), np.float32)
    tt, pp = np.nonzero(ids == chosen)
    image[tt] = series.image[tt, pp]
    world[tt] = series.world[tt, pp]
    vis[tt] = np.nan_to_num(series.visibility[tt, pp])
    track = PersonTrack(
        time=series.time,
        frame_index=series.frame_index,
        image=image,
        world=world,
        visibility=vis,
        width=series.source.width,
        height=series.source.height,
    )
    report = SubjectReport(
        rule=rule,
        n_tracks=n_tracks,
        max_people_in_frame=int(people.max()) if people.size else 0,
        frames_with_others=int(np.sum(people > 1)),
    )
    return track, report
