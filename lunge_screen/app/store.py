"""Patients and sessions in the index: typed rows in, typed rows out (the schema is in :mod:`lunge_screen.app.db`).

One :class:`Store` per app, shared by the request handlers and the job runner's thread: it keeps
one SQLite connection and serialises its use with a lock. Times are ISO 8601 in UTC; a session's
``date`` is the day of the screening (``YYYY-MM-DD``), chosen by the user.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from ..types import FINISHED_STATUSES, SessionStatus
from .db import connect, open_db, transaction
from .folder import DataFolder, new_id

MAX_NAME = 200
MAX_NOTES = 5000
INTERRUPTED = "the analysis stopped before it finished (the app was closed or crashed); run it again"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def check_date(text: str) -> str:
    """A ``YYYY-MM-DD`` date (``ValueError`` with a readable message otherwise)."""
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Patient:
    id: str
    name: str
    created: str
    n_sessions: int = 0
    last_date: str | None = None


@dataclass(frozen=True)
class Session:
    """One video of one patient, its analysis settings and where its analysis is."""

    id: str
    patient: str
    date: str
    notes: str
    video_name: str  # the uploaded file's name: text to show, never a path
    status: SessionStatus
    error: str | None
    settings: dict[str, Any] = field(default_factory=dict)  # {"model": ..., "thresholds": {...}}
    result_dir: str = ""  # relative to the data folder
    created: str = ""
    updated: str = ""
    finding: str | None = None
    flag: bool | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def model(self) -> str:
        return str(self.settings.get("model", ""))

    @property
    def thresholds(self) -> dict[str, float]:
        """The thresholds set for this session (the others are at their defaults)."""
        return dict(self.settings.get("thresholds") or {})


def _session(row) -> Session:
    return Session(
        id=row["id"],
        patient=row["patient"],
        date=row["date"],
        notes=row["notes"],
        video_name=row["video_name"],
        status=row["status"],
        error=row["error"],
        settings=json.loads(row["settings"]),
        result_dir=row["result_dir"],
        created=row["created"],
        updated=row["updated"],
        finding=row["finding"],
        flag=None if row["flag"] is None else bool(row["flag"]),
    )


class Store:
    """The index of one data folder (created or migrated on opening)."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder.create()
        self.version = open_db(folder.db)
        self._conn = connect(folder.db)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _all(self, sql: str, args: tuple = ()) -> list:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _run(self, sql: str, args: tuple = ()) -> int:
        with self._lock:
            return self._conn.execute(sql, args).rowcount

    # ---- patients --------------------------------------------------------------------------------

    def add_patient(self, name: str) -> Patient:
        name = " ".join(name.split())
        if not name:
            raise ValueError("give the patient's name or a pseudonymous ID")
        if len(name) > MAX_NAME:
            raise ValueError(f"a name of at most {MAX_NAME} characters, please")
        patient = Patient(new_id(), name, now())
        self._run("INSERT INTO patients (id, name, created) VALUES (?, ?, ?)", (patient.id, name, patient.created))
        return patient

    def patients(self) -> list[Patient]:
        """Every patient with their number of sessions and latest session date, most recent first."""
        rows = self._all(
            "SELECT p.id, p.name, p.created, COUNT(s.id) AS n, MAX(s.date) AS last FROM patients p "
            "LEFT JOIN sessions s ON s.patient = p.id GROUP BY p.id ORDER BY COALESCE(MAX(s.date), p.created) DESC"
        )
        return [Patient(r["id"], r["name"], r["created"], r["n"], r["last"]) for r in rows]

    def patient(self, patient_id: str) -> Patient | None:
        rows = self._all("SELECT id, name, created FROM patients WHERE id = ?", (patient_id,))
        return Patient(rows[0]["id"], rows[0]["name"], rows[0]["created"]) if rows else None

    # ---- sessions --------------------------------------------------------------------------------

    def add_session(
        self, session_id: str, patient: str, date: str, notes: str, video_name: str, settings: dict[str, Any]
    ) -> Session:
        """A new queued session (its video is already in its folder)."""
        stamp = now()
        result_dir = self.folder.results_dir(session_id).relative_to(self.folder.root).as_posix()
        self._run(
            "INSERT INTO sessions (id, patient, date, notes, video_name, status, settings, result_dir, created, "
            "updated) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
            (session_id, patient, check_date(date), notes[:MAX_NOTES], video_name, json.dumps(settings), result_dir,
             stamp, stamp),
        )  # fmt: skip
        found = self.session(session_id)
        assert found is not None
        return found

    def session(self, session_id: str) -> Session | None:
        rows = self._all("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return _session(rows[0]) if rows else None

    def sessions_of(self, patient_id: str) -> list[Session]:
        """A patient's sessions in time order (screening date, then upload time)."""
        rows = self._all("SELECT * FROM sessions WHERE patient = ? ORDER BY date, created", (patient_id,))
        return [_session(r) for r in rows]

    def active(self) -> list[Session]:
        """Sessions queued or running, oldest first."""
        rows = self._all("SELECT * FROM sessions WHERE status IN ('queued', 'running') ORDER BY created")
        return [_session(r) for r in rows]

    def claim_next(self) -> Session | None:
        """The oldest queued session, now marked running; ``None`` when the queue is empty."""
        with self._lock, transaction(self._conn):
            row = self._conn.execute(
                "SELECT * FROM sessions WHERE status = 'queued' ORDER BY created LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            self._conn.execute(
                "UPDATE sessions SET status = 'running', error = NULL, updated = ? WHERE id = ?", (now(), row["id"])
            )
        return self.session(row["id"])

    def finish(
        self, session_id: str, status: SessionStatus, error: str | None = None, finding: str | None = None,
        flag: bool | None = None,
    ) -> None:  # fmt: skip
        self._run(
            "UPDATE sessions SET status = ?, error = ?, finding = ?, flag = ?, updated = ? WHERE id = ?",
            (status, error, finding, None if flag is None else int(flag), now(), session_id),
        )

    def requeue(self, session_id: str, settings: dict[str, Any] | None = None) -> bool:
        """Queue a finished session again (optionally with new settings); ``False`` if it is not finished."""
        session = self.session(session_id)
        if session is None or not session.finished:
            return False
        new = json.dumps(settings if settings is not None else session.settings)
        return bool(
            self._run(
                "UPDATE sessions SET status = 'queued', error = NULL, settings = ?, updated = ? "
                "WHERE id = ? AND status IN ('done', 'failed', 'interrupted')",
                (new, now(), session_id),
            )
        )

    def unqueue(self, session_id: str, reason: str) -> bool:
        """Take a queued session off the queue (it becomes interrupted); ``False`` if it was not queued."""
        return bool(
            self._run(
                "UPDATE sessions SET status = 'interrupted', error = ?, updated = ? WHERE id = ? AND status = 'queued'",
                (reason, now(), session_id),
            )
        )

    def update_details(self, session_id: str, date: str, notes: str) -> None:
        self._run(
            "UPDATE sessions SET date = ?, notes = ?, updated = ? WHERE id = ?",
            (check_date(date), notes[:MAX_NOTES], now(), session_id),
        )

    def mark_interrupted(self, reason: str = INTERRUPTED) -> list[str]:
        """Every session left running (the app stopped or crashed during it) becomes interrupted; their ids."""
        with self._lock, transaction(self._conn):
            ids = [r["id"] for r in self._conn.execute("SELECT id FROM sessions WHERE status = 'running'")]
            self._conn.execute(
                "UPDATE sessions SET status = 'interrupted', error = ?, updated = ? WHERE status = 'running'",
                (reason, now()),
            )
        return ids
