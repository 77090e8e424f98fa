"""Transformed copies of a landmark series, as a pose model would report them on a transformed video.

Each function returns a new :class:`LandmarkSeries`; none touches the original. These are
landmark-level variants: they test that the analysis after the pose model is invariant (or
equivariant) to the transformation. They do not test the pose model itself on a transformed
video (benchmarks/agreement.py runs each model on the real clips for that).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from lunge_screen.track.orientation import swap_permutation
from lunge_screen.track.series import LandmarkSeries


def _replace(s: LandmarkSeries, keep: np.ndarray | None = None, **arrays) -> LandmarkSeries:
    fields = {f: getattr(s, f) for f in ("time", "frame_index", "image", "world", "visibility", "presence",
                                         "frame_change")}  # fmt: skip
    if keep is not None:
        fields = {k: (v[keep] if v is not None else None) for k, v in fields.items()}
    fields.update(arrays)
    return dataclasses.replace(s, **fields)


def mirrored(s: LandmarkSeries) -> LandmarkSeries:
    """A left-right mirrored video: image x -> width - x, world x -> -x, left and right labels swap."""
    perm = swap_permutation()
    image = s.image.copy()
    image[..., 0] = s.source.width - image[..., 0]
    world = s.world.copy()
    world[..., 0] = -world[..., 0]
    return _replace(
        s, image=image[:, :, perm], world=world[:, :, perm], visibility=s.visibility[:, :, perm],
        presence=s.presence[:, :, perm],
    )  # fmt: skip


def every_third_dropped(s: LandmarkSeries) -> LandmarkSeries:
    """Variable frame rate: every third frame missing, the others' timestamps kept."""
    return _replace(s, keep=np.arange(s.n_frames) % 3 != 2)


def resampled(s: LandmarkSeries, fps: float) -> LandmarkSeries:
    """The series linearly interpolated onto a uniform ``fps`` grid (a re-timed video)."""
    t = np.arange(s.time[0], s.time[-1], 1.0 / fps)
    idx = np.searchsorted(s.time, t, side="right").clip(1, s.n_frames - 1)
    w = ((t - s.time[idx - 1]) / (s.time[idx] - s.time[idx - 1]))[:, None, None, None]

    def lerp(a: np.ndarray) -> np.ndarray:
        return (1 - w) * a[idx - 1] + w * a[idx]

    near = np.where(w[:, 0, 0, 0] < 0.5, idx - 1, idx)
    return _replace(
        s, time=t, frame_index=np.arange(len(t)), image=lerp(s.image).astype(s.image.dtype),
        world=lerp(s.world).astype(s.world.dtype), visibility=s.visibility[near], presence=s.presence[near],
        frame_change=s.frame_change[near],
    )  # fmt: skip


def scaled(s: LandmarkSeries, factor: float) -> LandmarkSeries:
    """A downscaled (``factor`` < 1) or upscaled video: image coordinates and frame size scale."""
    image = s.image.copy()
    image[..., :2] *= factor
    src = dataclasses.replace(s.source, width=round(s.source.width * factor), height=round(s.source.height * factor))
    return dataclasses.replace(_replace(s, image=image), source=src)


def zoomed(s: LandmarkSeries, end_factor: float) -> LandmarkSeries:
    """A slow zoom over the whole clip about the frame centre (1 at the start, ``end_factor`` at the end)."""
    zoom = np.linspace(1.0, end_factor, s.n_frames)[:, None, None, None]
    centre = np.array([s.source.width / 2, s.source.height / 2])
    image = s.image.copy()
    image[..., :2] = (image[..., :2] - centre) * zoom + centre
    return _replace(s, image=image)


OTHER = {"left": "right", "right": "left"}


def mirrored_lead(lead: str) -> str:
    """The lead a mirrored video should give."""
    return OTHER.get(lead, lead)
