"""The Python API: ``extract`` (video -> landmarks) and ``analyse`` (video or landmarks -> result).

Example
-------
>>> import lunge_screen as ls
>>> result = ls.analyse("lunge.mp4", model="full", thresholds={"clearly_medial_min": 0.25})
>>> result.finding.summary
>>> series = ls.extract("lunge.mp4")          # inference once ...
>>> series.save("lunge.npz")
>>> ls.analyse("lunge.npz", thresholds={...})  # ... re-analyse without it
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from .analysis import Analysis, AnalysisSettings, analyse_series
from .pose import DEFAULT_MAX_FPS, DEFAULT_MAX_PEOPLE, DEFAULT_MAX_SIDE, ExtractSettings, ProgressFn, extract_landmarks
from .results import SessionResult
from .screening import Thresholds
from .series import LandmarkSeries

LANDMARK_SUFFIXES = (".npz",)


def extract(
    video: str | os.PathLike,
    *,
    model: str | os.PathLike | None = None,
    max_people: int = DEFAULT_MAX_PEOPLE,
    max_fps: float | None = DEFAULT_MAX_FPS,
    max_side: int | None = DEFAULT_MAX_SIDE,
    start: float | None = None,
    end: float | None = None,
    workers: int = 1,
    progress: ProgressFn | None = None,
    download: bool = False,
) -> LandmarkSeries:
    """Run the pose model over a video (see :func:`lunge_screen.pose.extract_landmarks`)."""
    settings = ExtractSettings(max_people=max_people, max_fps=max_fps, max_side=max_side, start=start, end=end)
    return extract_landmarks(
        video, model=model, settings=settings, workers=workers, progress=progress, download=download
    )


def make_settings(
    thresholds: Thresholds | dict[str, float] | None = None, subject: str = "largest", **overrides: Any
) -> AnalysisSettings:
    """Analysis settings from a thresholds object or dict of overrides, and a subject rule."""
    if not isinstance(thresholds, Thresholds):
        thresholds = Thresholds.with_overrides(thresholds)
    return dataclasses.replace(AnalysisSettings(), thresholds=thresholds, subject=subject, **overrides)


def analyse_path(
    path: str | os.PathLike,
    *,
    thresholds: Thresholds | dict[str, float] | None = None,
    subject: str = "largest",
    **extract_options: Any,
) -> tuple[LandmarkSeries, Analysis]:
    """Landmarks and full analysis of a video, or of a saved landmark file (no inference)."""
    path = Path(path)
    series = LandmarkSeries.load(path) if path.suffix.lower() in LANDMARK_SUFFIXES else extract(path, **extract_options)
    return series, analyse_series(series, make_settings(thresholds, subject))


def analyse(
    path: str | os.PathLike,
    *,
    thresholds: Thresholds | dict[str, float] | None = None,
    subject: str = "largest",
    **extract_options: Any,
) -> SessionResult:
    """Screen one video (or a saved ``.npz`` landmark file) and return its :class:`SessionResult`.

    Parameters
    ----------
    path
        A video file, or a landmark file written by ``extract(...).save()`` /
        ``lunge-screen landmarks`` (then no inference runs).
    thresholds
        :class:`Thresholds`, or a dict of names to override (e.g. ``{"clearly_medial_min": 0.25}``).
    subject
        Who to screen when several people are seen: ``largest``, ``center``, ``left``, ``right``.
        Any rule but ``largest`` makes the pose model report at least two people per frame
        (``max_people``), which costs about half as much inference again.
    **extract_options
        Passed to :func:`extract` for videos (``model``, ``max_fps``, ``start``, ``end``, ...).
    """
    return analyse_path(path, thresholds=thresholds, subject=subject, **extract_options)[1].result
