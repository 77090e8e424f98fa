"""``landmarks.npz``: the saved :class:`~lunge_screen.track.series.LandmarkSeries` (schema in docs/schema.md).

Written atomically (a temporary file, then rename); read back with its schema and
version checked, so an analysis can be rerun without inference.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..errors import SeriesFileError
from ..track.series import LandmarkSeries, SourceInfo
from .atomic import atomic_path

SCHEMA = "lunge-screen/landmarks"
SCHEMA_VERSION = 1
#: File name endings of a landmark file (anything else is taken for a video).
LANDMARK_SUFFIXES = (".npz",)


def is_landmark_file(path: str | os.PathLike) -> bool:
    """Is ``path`` a saved landmark series (by its name), rather than a video?"""
    return str(path).lower().endswith(LANDMARK_SUFFIXES)


def save_series(series: LandmarkSeries, path: str | os.PathLike) -> Path:
    """Write ``series`` to ``path`` (``.npz``) atomically: a temporary file, then rename."""
    path = Path(path)
    meta = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "source": asdict(series.source)}
    with atomic_path(path, suffix=".npz") as tmp, open(tmp, "wb") as f:
        np.savez_compressed(
            f,
            meta=np.array(json.dumps(meta)),
            time=series.time.astype(np.float64),
            frame_index=series.frame_index.astype(np.int64),
            image=series.image.astype(np.float32),
            world=series.world.astype(np.float32),
            visibility=series.visibility.astype(np.float32),
            presence=series.presence.astype(np.float32),
            frame_change=series.frame_change.astype(np.float32),
        )
    return path


def load_series(path: str | os.PathLike) -> LandmarkSeries:
    """Read a series written by :func:`save_series`.

    Raises
    ------
    SeriesFileError
        Missing, unreadable, or not a lunge-screen landmark file of a known schema version.
    """
    path = Path(path)
    if not path.is_file():
        raise SeriesFileError(f"{path}: no such landmark file")
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            arrays = {k: z[k] for k in ("time", "frame_index", "image", "world", "visibility", "presence")}
            if "frame_change" in z:
                arrays["frame_change"] = z["frame_change"]
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise SeriesFileError(f"{path}: not a lunge-screen landmark file ({exc})") from None
    if meta.get("schema") != SCHEMA:
        raise SeriesFileError(f"{path}: not a lunge-screen landmark file")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise SeriesFileError(
            f"{path}: landmark file schema version {meta.get('schema_version')} is not supported "
            f"(this version reads {SCHEMA_VERSION}); extract the landmarks again"
        )
    try:
        return LandmarkSeries(source=SourceInfo(**meta["source"]), **arrays)
    except (TypeError, ValueError) as exc:
        raise SeriesFileError(f"{path}: inconsistent landmark file ({exc})") from None
