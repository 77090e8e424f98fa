"""The Python API, and the package's only pipeline wiring: ``extract``, ``analyse``, ``analyse_series``, ``write``.

The command line and the batch runner call these; nothing else chains the stages.

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
from typing import TYPE_CHECKING, Any

from .io.landmarks import is_landmark_file, load_series
from .pipeline import Analysis, analyse_series
from .settings import (
    DEFAULT_MAX_FPS,
    DEFAULT_MAX_PEOPLE,
    DEFAULT_MAX_SIDE,
    AnalysisSettings,
    ExtractSettings,
    OutputOptions,
    Thresholds,
)
from .track.series import LandmarkSeries
from .types import SubjectRule

if TYPE_CHECKING:
    from .io.models import ResolvedModel
    from .io.video import VideoInfo
    from .pose.extract import ProgressFn
    from .results import SessionResult

__all__ = ["analyse", "analyse_path", "analyse_series", "analyse_session", "extract", "make_settings", "run", "write"]


def extract(
    video: str | os.PathLike,
    *,
    model: str | os.PathLike | ResolvedModel | None = None,
    max_people: int = DEFAULT_MAX_PEOPLE,
    max_fps: float | None = DEFAULT_MAX_FPS,
    max_side: int | None = DEFAULT_MAX_SIDE,
    start: float | None = None,
    end: float | None = None,
    settings: ExtractSettings | None = None,
    workers: int | str = 1,
    progress: ProgressFn | None = None,
    download: bool = False,
    info: VideoInfo | None = None,
) -> LandmarkSeries:
    """Run the pose model over a video (see :func:`lunge_screen.pose.extract.extract_landmarks`).

    ``settings`` (an :class:`ExtractSettings`) replaces the separate ``max_*``/``start``/``end`` arguments.
    """
    from .pose.extract import extract_landmarks

    if settings is None:
        settings = ExtractSettings(max_people=max_people, max_fps=max_fps, max_side=max_side, start=start, end=end)
    return extract_landmarks(
        video, model=model, settings=settings, workers=workers, progress=progress, download=download, info=info
    )


def make_settings(
    thresholds: Thresholds | dict[str, float] | None = None, subject: SubjectRule = "largest", **overrides: Any
) -> AnalysisSettings:
    """Analysis settings from a thresholds object or dict of overrides, and a subject rule."""
    if not isinstance(thresholds, Thresholds):
        thresholds = Thresholds.with_overrides(thresholds)
    return dataclasses.replace(AnalysisSettings(), thresholds=thresholds, subject=subject, **overrides)


def load_or_extract(path: str | os.PathLike, **extract_options: Any) -> LandmarkSeries:
    """The landmarks of a video (pose inference), or of a saved landmark file (none)."""
    return load_series(path) if is_landmark_file(path) else extract(path, **extract_options)


def run(
    path: str | os.PathLike, analysis: AnalysisSettings | None = None, **extract_options: Any
) -> tuple[LandmarkSeries, Analysis]:
    """Landmarks and full analysis of a video or a saved landmark file, with whole settings objects.

    ``extract_options`` go to :func:`extract` (for a video), e.g. ``settings=ExtractSettings(...)``.
    """
    series = load_or_extract(path, **extract_options)
    return series, analyse_series(series, analysis)


def analyse_path(
    path: str | os.PathLike,
    *,
    thresholds: Thresholds | dict[str, float] | None = None,
    subject: SubjectRule = "largest",
    **extract_options: Any,
) -> tuple[LandmarkSeries, Analysis]:
    """Landmarks and full analysis of a video, or of a saved landmark file (no inference)."""
    return run(path, make_settings(thresholds, subject), **extract_options)


def analyse(
    path: str | os.PathLike,
    *,
    thresholds: Thresholds | dict[str, float] | None = None,
    subject: SubjectRule = "largest",
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


def analyse_session(
    session_json: str | os.PathLike,
    video: str | os.PathLike | None = None,
    settings: AnalysisSettings | None = None,
) -> tuple[LandmarkSeries, Analysis, Path]:
    """Re-run a saved session's analysis from the ``landmarks.npz`` beside it: ``(series, analysis, video)``.

    ``settings`` replaces the session's recorded ones (default: the recorded ones).
    """
    from .io.session import load_session

    series, recorded, video_path = load_session(session_json, video)
    return series, analyse_series(series, settings or recorded), video_path


def write(
    analysis: Analysis,
    series: LandmarkSeries,
    out: str | os.PathLike,
    *,
    video_path: str | os.PathLike | None,
    options: OutputOptions = OutputOptions(),
) -> list[Path]:
    """Write every output of one analysis into ``out`` (created if needed); return the paths written.

    A session date among ``options.patient`` is also recorded in the result (``session_date``).
    Tables (``session.json``, ``reps.csv``, ``frames.csv``) from :mod:`lunge_screen.io.tables`;
    the clinician's report (plots, key frames, annotated video, HTML) from :mod:`lunge_screen.report`.
    Every file is written atomically inside ``out`` and nowhere else.
    """
    from .errors import OutputError
    from .io.tables import write_tables

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out} ({exc.strerror})") from None
    if options.patient.get("session_date"):  # recorded in session.json: the default label of a comparison
        analysis.result.session_date = options.patient["session_date"]
    written: list[Path] = []
    if options.landmarks and video_path is not None:
        written.append(series.save(out / "landmarks.npz"))
    written += write_tables(analysis.result, analysis.frame_table() if options.frames_csv else None, out)
    if options.report or options.video:
        from .report.build import build_report  # Matplotlib and drawing only when asked for

        written += build_report(
            analysis,
            series,
            out,
            video_path=video_path,
            report=options.report,
            video=options.video,
            blur_faces=options.blur_faces,
            patient=options.patient,
        )
    return written
