"""One lead leg for a run of reps on one planted front foot (the lead of one rep: :mod:`.kind`)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..measure.standing import standing_leg_length
from ..settings import RepSettings
from ..track.series import L_ANKLE, R_ANKLE, PersonTrack

if TYPE_CHECKING:
    from .detection import RepWindow


def _lead_ankle(track: PersonTrack, rep: RepWindow) -> np.ndarray:
    return track.image[rep.bottom, L_ANKLE if rep.lead == "left" else R_ANKLE, :2]


def _stayed_planted(
    track: PersonTrack, a: RepWindow, b: RepWindow, point: np.ndarray, tol: float, fraction: float
) -> bool:
    """Some ankle stays within ``tol`` pixels of ``point`` in ``fraction`` of the frames from a's bottom to b's."""
    ankles = track.image[a.bottom : b.bottom + 1][:, [L_ANKLE, R_ANKLE], :2]
    dist = np.hypot(*(ankles - point).transpose(2, 0, 1))  # (frames, 2)
    near = np.nanmin(np.where(np.isfinite(dist), dist, np.inf), axis=1) <= tol
    return bool(near.mean() >= fraction)


def unify_planted_leads(
    track: PersonTrack, reps: list[RepWindow], settings: RepSettings = RepSettings()
) -> tuple[list[RepWindow], np.ndarray]:
    """Give one lead leg to a run of reps on the same planted front foot (split-squat pulses).

    If the lead foot of consecutive reps is the same image point and that foot never
    left it in between, it is one foot, so one leg: the group takes the lead of its
    most confident reps. This overrides a pose model that relabels the legs part-way
    through (seen on low-resolution footage; docs/validation.md), which per-frame evidence
    alone cannot always undo.

    Returns the reps and a boolean ``(T,)`` mask of the frames (those reps' windows)
    whose leg labels must be exchanged so the measures follow the relabelled lead
    (:func:`lunge_screen.track.orientation.relabel_legs` does it).
    """
    relabel = np.zeros(track.n_frames, bool)
    leg_px = standing_leg_length(track)
    if len(reps) < 2 or not np.isfinite(leg_px):
        return reps, relabel
    tol = settings.planted_foot_tol * leg_px
    groups: list[list[RepWindow]] = [[reps[0]]]
    for prev, cur in itertools.pairwise(reps):
        same = (
            prev.lead in ("left", "right")
            and cur.lead in ("left", "right")
            and np.hypot(*(_lead_ankle(track, cur) - _lead_ankle(track, prev))) <= tol
            and _stayed_planted(track, prev, cur, _lead_ankle(track, prev), tol, settings.planted_fraction)
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
