"""The app's data folder: where the index, the videos and the results live, and the only names used as paths.

Layout (every name here is fixed or generated; no name typed by a user or carried by an
upload is ever part of a path)::

    DATA/
      index.sqlite                the index (patients, sessions): lunge_screen.app.db
      sessions/<id>/              one folder per session; <id> is 16 random hex digits
        video<.ext>               the uploaded video (.ext: the upload's own extension when plain letters/digits)
        job.json                  what the analysis should do (written by the app)
        progress.json             stage, frames done, time left (written by the job, atomically)
        outcome.json              done or failed, and the error message (written by the job)
        job.log                   the analysis process's own output
        landmarks.npz             the pose model's output, reused when only thresholds change
        results/                  what ``lunge-screen analyse`` writes: report.html, annotated.mp4, ...
      comparisons/<key>/          comparison.json, comparison.html of some sessions; <key> from their ids
      open.html                   the launch page holding the token (readable by this user only)

The default folder is ``platformdirs.user_data_dir("lunge-screen")``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "index.sqlite"
ID_PATTERN = re.compile(r"[0-9a-f]{16}")
SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
#: Files of a session's results folder that may be served, and their media types.
RESULT_FILES = {
    "report.html": "text/html; charset=utf-8",
    "annotated.mp4": "video/mp4",
    "keyframes.jpg": "image/jpeg",
    "plot_time.png": "image/png",
    "plot_reps.png": "image/png",
    "session.json": "application/json",
    "reps.csv": "text/csv; charset=utf-8",
    "frames.csv": "text/csv; charset=utf-8",
}


def default_data_dir() -> Path:
    """The user's data folder for lunge-screen (platformdirs)."""
    return Path(user_data_dir("lunge-screen"))


def new_id() -> str:
    """A fresh random id: 16 lowercase hex digits (64 bits)."""
    return secrets.token_hex(8)


def is_id(text: str) -> bool:
    """Whether ``text`` is exactly an id this module makes (so it is safe as a folder name)."""
    return bool(ID_PATTERN.fullmatch(text))


def video_suffix(original_name: str) -> str:
    """The stored video's extension: the upload's own, lower case, when it is 1-10 letters or digits; else none.

    Kept because FFmpeg reads a file's extension as a hint, so the app decodes (or refuses) a file
    exactly as ``lunge-screen analyse`` does under its own name; it cannot carry a separator or a dot.
    """
    suffix = os.path.splitext(original_name.replace("\\", "/"))[1].lower()
    return suffix if SUFFIX.fullmatch(suffix) else ""


class DataFolder:
    """Paths inside one data folder. Created (mode 0700) on first use."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).expanduser().resolve()

    def create(self) -> DataFolder:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.root / "sessions").mkdir(exist_ok=True, mode=0o700)
        return self

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def open_page(self) -> Path:
        return self.root / "open.html"

    def session_dir(self, session_id: str) -> Path:
        """A session's folder; ``session_id`` must be an id (``ValueError`` otherwise)."""
        if not is_id(session_id):
            raise ValueError(f"not a session id: {session_id!r}")
        return self.root / "sessions" / session_id

    def results_dir(self, session_id: str) -> Path:
        return self.session_dir(session_id) / "results"

    def result_file(self, session_id: str, name: str) -> Path | None:
        """A servable file of a session's results, or ``None`` (unknown name, or not written)."""
        if name not in RESULT_FILES:
            return None
        path = self.results_dir(session_id) / name
        return path if path.is_file() else None

    def comparison_dir(self, key: str) -> Path:
        """A comparison's folder; ``key`` must be an id (see :func:`comparison_key`)."""
        if not is_id(key):
            raise ValueError(f"not a comparison key: {key!r}")
        return self.root / "comparisons" / key


def comparison_key(session_ids: list[str]) -> str:
    """The id of the comparison of these sessions in this order: a hash of their ids."""
    return hashlib.sha256(",".join(session_ids).encode("ascii")).hexdigest()[:16]
