"""The queue and the progress stream, without running an analysis: claims, server-sent events, upload checks."""

from __future__ import annotations

import json
import threading
import time

from app_helpers import add_patient, app_client, upload

from lunge_screen.app.folder import DataFolder
from lunge_screen.app.jobfiles import ProgressWriter
from lunge_screen.app.store import Store


def test_two_workers_never_claim_the_same_session(tmp_path):
    store = Store(DataFolder(tmp_path / "data"))
    patient = store.add_patient("P")
    ids = {f"{k:016x}" for k in range(1, 21)}
    for sid in sorted(ids):
        store.add_session(sid, patient.id, "2024-05-01", "", "v.mp4", {"model": "lite"})
    claimed: list[str] = []

    def worker():
        while (s := store.claim_next()) is not None:
            claimed.append(s.id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)  # each exactly once
    assert {s.status for s in store.sessions_of(patient.id)} == {"running"}


def _events(client, sid: str) -> list[dict]:
    with client.stream("GET", f"/events?ids={sid}") as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        return [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data:")]


def test_the_stream_sends_progress_and_ends_with_the_outcome(tmp_path):
    with app_client(tmp_path / "data") as c:
        patient = add_patient(c)
        sid = upload(c, patient, b"x" * 100).json()["id"]
        store = c.app.state.store
        assert store.claim_next().id == sid
        progress = ProgressWriter(c.app.state.folder.session_dir(sid), interval_s=0)
        progress.stage("pose")
        progress.frames(50, 200)

        def finish_later():
            time.sleep(1.0)
            store.finish(sid, "failed", "clip.mp4: not a readable video file")

        threading.Thread(target=finish_later).start()
        events = _events(c, sid)  # returns once the session is finished
    running, last = events[0], events[-1]
    assert running["status"] == "running"
    assert running["progress"]["stage"] == "pose"
    assert (running["progress"]["done"], running["progress"]["total"]) == (50, 200)
    assert running["progress"]["percent"] == 25.0
    assert last["status"] == "failed" and last["error"] == "clip.mp4: not a readable video file"


def test_a_session_page_shows_the_saved_progress_on_load(tmp_path):
    with app_client(tmp_path / "data") as c:
        patient = add_patient(c)
        first = upload(c, patient, b"x").json()["id"]
        second = upload(c, patient, b"y").json()["id"]
        c.app.state.store.claim_next()
        progress = ProgressWriter(c.app.state.folder.session_dir(first), interval_s=0)
        progress.stage("pose")
        progress.frames(120, 160)
        page = c.get(f"/sessions/{first}").text
        assert '<progress max="100" value="75.0">' in page
        assert "120 / 160 frames" in page
        assert "Finding the person in each frame" in page
        assert "number 1 in the queue" in c.get(f"/sessions/{second}").text


def test_an_upload_with_a_bad_date_or_model_stores_nothing(tmp_path):
    data = tmp_path / "data"
    with app_client(data) as c:
        patient = add_patient(c)
        r = upload(c, patient, b"x" * 10, date="31/12/2024")
        assert r.status_code == 400 and "is not a date (YYYY-MM-DD)" in r.json()["error"]
        r = upload(c, patient, b"x" * 10, model="tiny")
        assert r.status_code == 400 and "not one of lite, full, heavy" in r.json()["error"]
        assert upload(c, "0123456789abcdef", b"x").status_code == 404
        assert list((data / "sessions").iterdir()) == []
        assert c.app.state.store.sessions_of(patient) == []
