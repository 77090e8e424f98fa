"""The index: a database of an older schema is migrated when opened; a newer one is refused; steps are atomic."""

from __future__ import annotations

import json

import pytest
from app_helpers import app_client
from synth import lunge_series

from lunge_screen.app import db
from lunge_screen.app.folder import DataFolder
from lunge_screen.app.store import INTERRUPTED, Store
from lunge_screen.io.session import write_session
from lunge_screen.pipeline import analyse_series

SETTINGS = json.dumps({"model": "lite", "thresholds": {}})


def _v1_database(folder: DataFolder) -> None:
    """An index as version 1 of the app left it: a patient, a finished and a failed session."""
    conn = db.connect(folder.db)
    assert db.migrate(conn, folder.root, upto=1) == 1
    conn.execute("INSERT INTO patients VALUES ('aaaaaaaaaaaaaaaa', 'P-007', '2024-01-01T00:00:00+00:00')")
    for sid, status, error in (("bbbbbbbbbbbbbbbb", "done", None), ("cccccccccccccccc", "failed", "not a video")):
        conn.execute(
            "INSERT INTO sessions (id, patient, date, notes, video_name, status, error, settings, result_dir, "
            "created, updated) VALUES (?, 'aaaaaaaaaaaaaaaa', '2024-01-02', 'first visit', 'a.mp4', ?, ?, ?, ?, "
            "'2024-01-02T10:00:00+00:00', '2024-01-02T10:00:00+00:00')",
            (sid, status, error, SETTINGS, f"sessions/{sid}/results"),
        )
    conn.close()


def test_an_old_index_is_migrated_and_keeps_its_rows(tmp_path):
    folder = DataFolder(tmp_path / "data").create()
    analysis = analyse_series(lunge_series(["left", "right"] * 3, {"left": 0.12}))
    write_session(analysis.result, folder.results_dir("bbbbbbbbbbbbbbbb"))
    _v1_database(folder)

    store = Store(folder)
    assert store.version == db.SCHEMA_VERSION == 2
    [patient] = store.patients()
    assert (patient.name, patient.n_sessions, patient.last_date) == ("P-007", 2, "2024-01-02")
    done, failed = store.sessions_of(patient.id)
    assert (done.status, done.notes, done.video_name, done.model) == ("done", "first visit", "a.mp4", "lite")
    # version 2's columns are filled in from the finished session's own result
    assert done.finding == analysis.result.finding.summary
    assert done.flag is analysis.result.finding.flag
    assert (failed.status, failed.error, failed.finding) == ("failed", "not a video", None)
    store.close()
    assert Store(folder).version == 2  # opening again changes nothing


def test_a_new_index_starts_at_the_current_version(tmp_path):
    store = Store(DataFolder(tmp_path / "data"))
    assert store.version == db.SCHEMA_VERSION
    patient = store.add_patient("  Jane   Doe ")
    assert store.patient(patient.id).name == "Jane Doe"
    with pytest.raises(ValueError, match="name or a pseudonymous ID"):
        store.add_patient("   ")


def test_an_index_from_a_newer_version_is_refused(tmp_path):
    folder = DataFolder(tmp_path / "data").create()
    Store(folder).close()
    conn = db.connect(folder.db)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(db.DatabaseError, match="schema version 99, newer"):
        Store(folder)


def test_a_failing_migration_step_leaves_the_index_as_it_was(tmp_path, monkeypatch):
    folder = DataFolder(tmp_path / "data").create()
    conn = db.connect(folder.db)
    db.migrate(conn, folder.root, upto=1)

    def broken(conn, root):
        conn.execute("ALTER TABLE sessions ADD COLUMN finding TEXT")
        raise RuntimeError("disk full")

    monkeypatch.setattr(db, "MIGRATIONS", [db.MIGRATIONS[0], broken])
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    with pytest.raises(RuntimeError, match="disk full"):
        db.migrate(conn, folder.root)
    assert db.schema_version(conn) == 1
    columns = [r["name"] for r in conn.execute("PRAGMA table_info(sessions)")]
    assert "finding" not in columns  # the step's change was rolled back with it
    conn.close()


def test_sessions_left_running_are_marked_interrupted_at_start_and_can_be_rerun(tmp_path):
    data = tmp_path / "data"
    store = Store(DataFolder(data))
    patient = store.add_patient("P-002")
    running = store.add_session("1111111111111111", patient.id, "2024-03-01", "", "a.mp4", {"model": "lite"})
    queued = store.add_session("2222222222222222", patient.id, "2024-03-01", "", "b.mp4", {"model": "lite"})
    assert store.claim_next().id == running.id  # the app was analysing it ... and then crashed
    store.close()

    with app_client(data) as c:  # start-up (the queue itself stays still here)
        s = c.app.state.store
        assert s.session(running.id).status == "interrupted"
        assert s.session(running.id).error == INTERRUPTED
        assert s.session(queued.id).status == "queued"  # waiting sessions simply wait on
        page = c.get(f"/sessions/{running.id}").text
        assert INTERRUPTED in page and 'id="rerun"' in page
        assert c.post(f"/sessions/{running.id}/rerun").status_code == 303
        assert s.session(running.id).status == "queued"
        assert s.session(running.id).error is None
        assert c.post(f"/sessions/{running.id}/rerun").status_code == 409  # already queued
