"""What can be compared: a ``session.json``, an ``analyse`` output folder, or a :class:`SessionResult`; and labels.

A folder must hold ``session.json``; ``keyframes.jpg`` beside it (written with the report)
is picked up for the comparison page. Default labels: the session date recorded in
``session.json`` (``--session-date``), else the folder's name for a ``session.json`` path,
else the file name; repeated labels get `` (2)``, `` (3)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..errors import InputNotFoundError
from ..io.session import SESSION, read_session
from ..results import SessionResult

#: Anything :func:`lunge_screen.compare.compare` accepts as one session.
SessionLike = SessionResult | str | os.PathLike
KEYFRAMES = "keyframes.jpg"


@dataclass(frozen=True)
class LoadedSession:
    """A session's result and, when it was read from disk, its file (absolute path) and folder."""

    result: SessionResult
    source: Path | None = None

    @property
    def folder(self) -> Path | None:
        return self.source.parent if self.source is not None else None

    @property
    def keyframes(self) -> Path | None:
        """``keyframes.jpg`` beside the session file, when there is one."""
        path = self.folder / KEYFRAMES if self.folder is not None else None
        return path if path is not None and path.is_file() else None


def load_session(session: SessionLike) -> LoadedSession:
    """One session from a result, a ``session.json`` path or a folder holding one.

    Raises
    ------
    InputNotFoundError
        The path does not exist, or the folder holds no ``session.json``.
    SeriesFileError
        The file is not a readable lunge-screen session of this schema version (exit code 9).
    """
    if isinstance(session, SessionResult):
        return LoadedSession(session)
    path = Path(session)
    if path.is_dir():
        if not (path / SESSION).is_file():
            raise InputNotFoundError(f"{path}: no {SESSION} in this folder (is it a 'lunge-screen analyse' output?)")
        path = path / SESSION
    elif not path.exists():
        raise InputNotFoundError(f"{path}: no such session file or folder")
    return LoadedSession(read_session(path), path.absolute())


def default_label(session: LoadedSession) -> str:
    """The session date if recorded, else the output folder's name, else the session or video file name."""
    if session.result.session_date:
        return session.result.session_date
    if session.source is not None:
        if session.source.name == SESSION and session.source.parent.name:
            return session.source.parent.resolve().name
        return session.source.stem
    return PurePath(session.result.input.path).stem or "session"


def make_labels(sessions: Sequence[LoadedSession], labels: Sequence[str] | None) -> list[str]:
    """The sessions' labels: the given ones (one per session) or the defaults, made unique.

    Raises
    ------
    ValueError
        ``labels`` does not have one entry per session, or one is empty.
    """
    if labels is not None:
        labels = [str(x).strip() for x in labels]
        if len(labels) != len(sessions):
            raise ValueError(f"{len(labels)} label(s) for {len(sessions)} session(s): give one label per session")
        if not all(labels):
            raise ValueError("a session label is empty")
    names = list(labels) if labels is not None else [default_label(s) for s in sessions]
    out: list[str] = []
    for name in names:
        unique, k = name, 2
        while unique in out:
            unique, k = f"{name} ({k})", k + 1
        out.append(unique)
    return out
