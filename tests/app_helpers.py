"""The clinic app under Starlette's TestClient: an app on a temporary data folder, logged in or not."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from starlette.testclient import TestClient

from lunge_screen.app.server import AppConfig, create_app
from lunge_screen.settings import AppSettings

PORT = 8765  # the TestClient calls the app in-process: nothing listens on it
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "test-token-0123456789"


@contextlib.contextmanager
def app_client(data: Path, *, login: bool = True, run_jobs: bool = False, **settings) -> Iterator[TestClient]:
    """A TestClient of an app on ``data`` (start-up and shut-down run); logged in with the token unless not."""
    app = create_app(AppConfig(data, PORT, TOKEN, AppSettings(**settings), run_jobs=run_jobs))
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        if login:
            r = client.get(f"/?token={TOKEN}")
            assert r.status_code == 303, r.text
        yield client


def add_patient(client: TestClient, name: str = "P-001") -> str:
    r = client.post("/patients", data={"name": name})
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def upload(client: TestClient, patient: str, content: bytes, name: str = "clip.mp4", **params):
    return client.post(
        f"/patients/{patient}/videos",
        params={"name": name, "model": "lite", **params},
        content=content,
        headers={"Content-Type": "application/octet-stream"},
    )


def wait_finished(client: TestClient, session_id: str, timeout_s: float = 120.0) -> str:
    """Poll the index until the session is finished; its status."""
    store = client.app.state.store
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        s = store.session(session_id)
        if s is not None and s.finished:
            return s.status
        time.sleep(0.2)
    raise TimeoutError(f"session {session_id} not finished after {timeout_s} s")


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}
