"""The landmark series: what pose extraction produces, saved so analysis never reruns inference.

Two types:

* :class:`LandmarkSeries` -- everything the pose model returned for a video: up to
  ``P`` people per frame, in MediaPipe's own (unordered) order. Saved as ``.npz``.
* :class:`PersonTrack` -- one person's landmarks over time (the screened subject),
  chosen from a series by :mod:`lunge_screen.track.subject`.

Saved and read by :mod:`lunge_screen.io.landmarks`; left/right swaps live in
:mod:`lunge_screen.track.orientation`.

Array conventions (``T`` frames, ``P`` people, 33 MediaPipe landmarks):

* ``image``: ``(T, P, 33, 3)`` float32 -- x and y in **pixels** of the full display
  frame (x right, y down, origin top-left) and MediaPipe's relative depth ``z``
  scaled by the frame width (pixels; smaller = nearer the camera). NaN where no person.
* ``world``: ``(T, P, 33, 3)`` float32 -- metres, origin between the hips, x/y/z
  as MediaPipe's world landmarks (y down, z smaller = nearer the camera).
* ``visibility``, ``presence``: ``(T, P, 33)`` float32 in [0, 1], NaN where no person.
* ``time``: ``(T,)`` float64 seconds from the video's first frame.
* ``frame_index``: ``(T,)`` int64 index of the source frame (0-based, whole video).
* ``frame_change``: ``(T,)`` float32 mean absolute difference (0-255 grey levels) of a
  32x32 thumbnail from the previous analysed frame -- near 0 for a frozen frame, a
  spike at an edit cut. NaN for the first frame.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# MediaPipe Pose landmark indices used by the analysis.
NOSE = 0
L_EYE, R_EYE = 2, 5
L_EAR, R_EAR = 7, 8
L_SHOULDER, R_SHOULDER = 11, 12
L_HIP, R_HIP = 23, 24
L_KNEE, R_KNEE = 25, 26
L_ANKLE, R_ANKLE = 27, 28
L_HEEL, R_HEEL = 29, 30
L_FOOT, R_FOOT = 31, 32
N_LANDMARKS = 33

#: Each leg's landmarks, and the other hip (for the medial direction).
LEGS = {
    "left": {"hip": L_HIP, "knee": L_KNEE, "ankle": L_ANKLE, "toe": L_FOOT, "other_hip": R_HIP},
    "right": {"hip": R_HIP, "knee": R_KNEE, "ankle": R_ANKLE, "toe": R_FOOT, "other_hip": L_HIP},
}


@dataclass
class SourceInfo:
    """Where a series came from: the video and the extraction settings."""

    video: str
    width: int
    height: int
    fps: float
    n_frames: int
    rotation: int = 0
    codec: str = ""
    model: str = ""
    model_sha256: str = ""
    mediapipe_version: str = ""
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class LandmarkSeries:
    """Raw multi-person pose-model output for a video (see the module docstring for shapes)."""

    time: np.ndarray
    frame_index: np.ndarray
    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    source: SourceInfo
    frame_change: np.ndarray | None = None

    def __post_init__(self) -> None:
        t = len(self.time)
        if self.frame_change is None:
            self.frame_change = np.full(t, np.nan, np.float32)
        for name in ("frame_index", "image", "world", "visibility", "presence", "frame_change"):
            arr = getattr(self, name)
            if len(arr) != t:
                raise ValueError(f"{name} has {len(arr)} frames, time has {t}")

    @property
    def n_frames(self) -> int:
        return len(self.time)

    @property
    def max_people(self) -> int:
        return self.image.shape[1]

    def people_per_frame(self) -> np.ndarray:
        """Number of people detected in each frame, shape ``(T,)``."""
        return np.sum(~np.isnan(self.image[:, :, 0, 0]), axis=1)

    @classmethod
    def empty(cls, source: SourceInfo, max_people: int) -> LandmarkSeries:
        return cls(
            time=np.zeros(0),
            frame_index=np.zeros(0, dtype=np.int64),
            image=np.zeros((0, max_people, N_LANDMARKS, 3), np.float32),
            world=np.zeros((0, max_people, N_LANDMARKS, 3), np.float32),
            visibility=np.zeros((0, max_people, N_LANDMARKS), np.float32),
            presence=np.zeros((0, max_people, N_LANDMARKS), np.float32),
            source=source,
            frame_change=np.zeros(0, np.float32),
        )

    @classmethod
    def concatenate(cls, parts: list[LandmarkSeries]) -> LandmarkSeries:
        """Join series of consecutive segments of one video, in frame order."""
        if not parts:
            raise ValueError("nothing to concatenate")
        parts = sorted(parts, key=lambda s: int(s.frame_index[0]) if s.n_frames else -1)
        p = max(s.max_people for s in parts)

        def pad(a: np.ndarray) -> np.ndarray:
            if a.shape[1] == p:
                return a
            shape = list(a.shape)
            shape[1] = p - a.shape[1]
            return np.concatenate([a, np.full(shape, np.nan, a.dtype)], axis=1)

        out = cls(
            time=np.concatenate([s.time for s in parts]),
            frame_index=np.concatenate([s.frame_index for s in parts]),
            image=np.concatenate([pad(s.image) for s in parts]),
            world=np.concatenate([pad(s.world) for s in parts]),
            visibility=np.concatenate([pad(s.visibility) for s in parts]),
            presence=np.concatenate([pad(s.presence) for s in parts]),
            source=parts[0].source,
            frame_change=np.concatenate([s.frame_change for s in parts]),
        )
        if np.any(np.diff(out.frame_index) <= 0):
            raise ValueError("segments overlap or are out of order")
        return out

    # ---- file I/O (lunge_screen.io.landmarks) -----------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Write the series to ``path`` (``.npz``) atomically (see :func:`lunge_screen.io.landmarks.save_series`)."""
        from ..io.landmarks import save_series

        return save_series(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> LandmarkSeries:
        """Read a series written by :meth:`save` (see :func:`lunge_screen.io.landmarks.load_series`).

        Raises
        ------
        SeriesFileError
            Missing, unreadable, or not a lunge-screen landmark file of a known schema version.
        """
        from ..io.landmarks import load_series

        return load_series(path)


@dataclass
class PersonTrack:
    """One person's landmarks over time (shapes as :class:`LandmarkSeries` without the people axis).

    ``image`` ``(T, 33, 3)`` pixels, ``world`` ``(T, 33, 3)`` metres, ``visibility`` ``(T, 33)``;
    frames where the person was not found hold NaN.
    """

    time: np.ndarray
    frame_index: np.ndarray
    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray
    width: int
    height: int

    @property
    def n_frames(self) -> int:
        return len(self.time)

    @property
    def found(self) -> np.ndarray:
        """Boolean ``(T,)``: the person was detected in this frame."""
        return ~np.isnan(self.image[:, L_HIP, 0])

    def xy(self, landmark: int) -> np.ndarray:
        """Pixel coordinates ``(T, 2)`` of one landmark."""
        return self.image[:, landmark, :2]
