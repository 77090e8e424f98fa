"""``session.json``: writing a result, and reading a saved session back to re-run its analysis.

The result's JSON form is :meth:`lunge_screen.results.SessionResult.to_json`
(docs/schema.md); ``reps.csv`` and ``frames.csv`` are in :mod:`lunge_screen.io.tables`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config import from_dict
from ..errors import InputNotFoundError, SeriesFileError
from ..results import SCHEMA, SCHEMA_VERSION, SessionResult
from ..settings import AnalysisSettings, ConfigError
from ..track.series import LandmarkSeries
from .atomic import write_text
from .landmarks import load_series

SESSION = "session.json"
LANDMARKS = "landmarks.npz"


def write_session(result: SessionResult, out: str | os.PathLike) -> Path:
    """Write ``session.json`` into the folder ``out`` atomically."""
    return write_text(Path(out) / SESSION, result.to_json() + "\n")


def read_session(session_json: str | os.PathLike) -> SessionResult:
    """A saved ``session.json`` as a :class:`SessionResult`.

    Raises
    ------
    InputNotFoundError
        The file is missing.
    SeriesFileError
        It is not a readable lunge-screen session of this schema version.
    """
    path = Path(session_json)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such session file")
    try:
        return SessionResult.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SeriesFileError(f"{path}: not a readable lunge-screen session.json ({exc})") from None


def read_session_settings(session_json: str | os.PathLike) -> tuple[AnalysisSettings, str]:
    """The analysis settings a saved session ran with, and its recorded input path.

    Settings missing from an older session take their defaults; ones this version does
    not know are ignored.

    Raises
    ------
    InputNotFoundError
        ``session.json`` is missing.
    SeriesFileError
        It is not a readable lunge-screen session.
    """
    path = Path(session_json)
    if not path.is_file():
        raise InputNotFoundError(f"{path}: no such session file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA:
            raise ValueError("not a lunge-screen session")
        if data.get("schema_version") != SCHEMA_VERSION:  # another version's fields may mean other things
            raise ValueError(f"schema version {data.get('schema_version')}; this version reads {SCHEMA_VERSION}")
        recorded = data.get("settings", {}).get("analysis", {})
        settings = from_dict(AnalysisSettings, recorded, where="analysis", strict=False)
        return settings, data["input"]["path"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ConfigError) as exc:
        raise SeriesFileError(f"{path}: not a readable lunge-screen session.json ({exc})") from None


def load_session(
    session_json: str | os.PathLike, video: str | os.PathLike | None = None
) -> tuple[LandmarkSeries, AnalysisSettings, Path]:
    """A saved session's inputs: ``(series, settings, video_path)``, to re-run its analysis without inference.

    Reads ``session.json``, the ``landmarks.npz`` beside it and the session's recorded
    analysis settings; the video is ``video`` or the session's recorded input path.

    Raises
    ------
    InputNotFoundError
        ``session.json`` or the video is missing.
    SeriesFileError
        ``session.json`` is not a lunge-screen session, or ``landmarks.npz`` is missing or unreadable.
    """
    path = Path(session_json)
    settings, recorded_video = read_session_settings(path)
    landmarks = path.parent / LANDMARKS
    if not landmarks.is_file():
        raise SeriesFileError(
            f"{landmarks}: landmarks file missing (written by 'lunge-screen analyse VIDEO'); analyse the video again"
        )
    series = load_series(landmarks)
    video_path = Path(video) if video else Path(recorded_video)
    if not video_path.is_file():
        raise InputNotFoundError(
            f"{video_path}: the session's video is missing (moved or deleted?); pass --video PATH to point at it"
        )
    return series, settings, video_path
