"""The app's SQLite index: its schema, its version, and the migrations from every older version.

The database holds the index only (who, when, which settings, what state); videos and results
are files in the data folder (:mod:`lunge_screen.app.folder`). ``schema_version`` holds one row,
the version the tables are at. :data:`MIGRATIONS` lists, in order, the step that takes a database
from version ``n - 1`` to ``n`` (index ``n - 1``); :func:`open_db` applies the missing steps in
one transaction each, so an old database is brought up to date when the app opens it, and a
failed step leaves it at the version before. A database newer than this code is refused.

Version history:

1. ``patients`` (id, name, created) and ``sessions`` (id, patient, date, notes, video_name,
   status, error, settings JSON, result_dir, created, updated).
2. ``sessions.finding`` and ``sessions.flag``: the finding's sentence and whether it flags a
   leg, for the patient's list of sessions; filled in for finished sessions from their
   ``results/session.json``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import AppStartError


class DatabaseError(AppStartError):
    """The index cannot be opened: unreadable, or made by a newer lunge-screen."""


def _v1(conn: sqlite3.Connection, root: Path) -> None:
    conn.execute(
        """CREATE TABLE patients (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            patient TEXT NOT NULL REFERENCES patients(id),
            date TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            video_name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'interrupted')),
            error TEXT,
            settings TEXT NOT NULL,
            result_dir TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX sessions_by_patient ON sessions(patient, date)")


def _v2(conn: sqlite3.Connection, root: Path) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN finding TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN flag INTEGER")
    rows = conn.execute("SELECT id, result_dir FROM sessions WHERE status = 'done'").fetchall()
    for sid, result_dir in rows:
        summary, flag = finding_of(root / result_dir / "session.json")
        conn.execute("UPDATE sessions SET finding = ?, flag = ? WHERE id = ?", (summary, flag, sid))


#: ``MIGRATIONS[n - 1]`` takes the schema from version ``n - 1`` to ``n``. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection, Path], None]] = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)


def finding_of(session_json: Path) -> tuple[str | None, int | None]:
    """A finished session's finding sentence and flag (1/0) from its ``session.json``; ``None`` if unreadable."""
    try:
        finding = json.loads(session_json.read_text(encoding="utf-8"))["finding"]
        return str(finding["summary"]), int(bool(finding["flag"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the tables are at (0 for an empty database)."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, root: Path, upto: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to version ``upto``; return the version reached."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise DatabaseError(
            f"the index in {root} is at schema version {current}, newer than this lunge-screen knows "
            f"({SCHEMA_VERSION}): update lunge-screen"
        )
    for version in range(current + 1, upto + 1):
        with transaction(conn):  # one transaction per step (SQLite's DDL is transactional): whole or nothing
            MIGRATIONS[version - 1](conn, root)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return max(current, upto)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception (connections are in autocommit mode)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (:func:`transaction` groups statements), foreign keys on, rows by name."""
    try:
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the index {path}: {exc}") from None


def open_db(path: Path) -> int:
    """Create or migrate the database at ``path`` (WAL journal); return its schema version."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        return migrate(conn, path.parent)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open the index {path}: {exc}") from None
    finally:
        conn.close()
