"""The app trusts only the browser it was opened in: token, Host, same-origin changes, upload limits, file names."""

from __future__ import annotations

import re

import pytest
from app_helpers import BASE, PORT, TOKEN, add_patient, app_client, files_under, upload


def test_every_page_needs_the_token_or_its_cookie(tmp_path):
    with app_client(tmp_path / "data", login=False) as c:
        for path in ("/", "/patients/0123456789abcdef", "/events?ids=0123456789abcdef", "/static/app.js"):
            r = c.get(path)
            assert r.status_code == 403, path
            assert "address printed by 'lunge-screen app'" in r.text
        assert c.post("/patients", data={"name": "x"}).status_code == 403
        assert c.get("/?token=not-the-token").status_code == 403
        assert c.app.state.store.patients() == []


def test_the_token_becomes_a_strict_httponly_cookie_and_leaves_the_address(tmp_path):
    with app_client(tmp_path / "data", login=False) as c:
        r = c.get(f"/patients?token={TOKEN}&x=1")
        assert r.status_code == 303
        assert r.headers["location"] == "/patients?x=1"  # the token is not kept in the address bar
        cookie = r.headers["set-cookie"]
        assert f"lunge_screen_{PORT}=" in cookie
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert TOKEN not in cookie
        assert c.get("/").status_code == 200  # the cookie alone is enough now


def test_a_foreign_host_header_is_refused_dns_rebinding(tmp_path):
    with app_client(tmp_path / "data") as c:
        assert c.get("/", headers={"Host": f"localhost:{PORT}"}).status_code == 200
        for host in ("evil.example", f"evil.example:{PORT}", f"127.0.0.1:{PORT + 1}", "127.0.0.1"):
            r = c.get("/", headers={"Host": host})
            assert r.status_code == 403, host
            assert "answers only at" in r.text
        # even with the right token in the address
        assert c.get(f"/?token={TOKEN}", headers={"Host": "evil.example"}).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://evil.example"}, {"Origin": "null"}, {"Origin": f"http://127.0.0.1:{PORT + 1}"},
     {"Referer": "http://evil.example/page"}],
    ids=["other site", "null origin", "other port", "referer only"],
)  # fmt: skip
def test_a_change_from_another_origin_is_refused(tmp_path, headers):
    with app_client(tmp_path / "data") as c:
        r = c.post("/patients", data={"name": "from elsewhere"}, headers=headers)
        assert r.status_code == 403
        assert "another web site" in r.text
        assert c.app.state.store.patients() == []
        ok = c.post("/patients", data={"name": "from the app"}, headers={"Origin": BASE})
        assert ok.status_code == 303
        assert [p.name for p in c.app.state.store.patients()] == ["from the app"]


def test_pages_forbid_framing_sniffing_and_foreign_scripts(tmp_path):
    with app_client(tmp_path / "data") as c:
        r = c.get("/")
        assert r.headers["x-frame-options"] == "SAMEORIGIN"
        assert r.headers["x-content-type-options"] == "nosniff"
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp


TRICKY_NAMES = [
    "../../../escaped.mp4", "..\\..\\escaped.mov", "/etc/passwd", "sessions/../../index.sqlite", "<b>x</b>.mp4",
]  # fmt: skip


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_an_uploaded_file_name_is_never_a_path(tmp_path, name):
    data = tmp_path / "data"
    outside_before = files_under(tmp_path) - files_under(data) if data.exists() else files_under(tmp_path)
    with app_client(data) as c:
        patient = add_patient(c)
        r = upload(c, patient, b"not really a video", name=name)
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        session = c.app.state.store.session(sid)
        assert session.video_name == name  # kept as text, exactly
        stored = [p for p in files_under(data / "sessions") if p.parent.name == sid]
        assert len(stored) == 1 and re.fullmatch(r"video(\.[a-z0-9]{1,10})?", stored[0].name), stored
        page = c.get(f"/sessions/{sid}").text
        assert "<b>x</b>" not in page  # shown escaped
    assert files_under(tmp_path) - files_under(data) == outside_before  # nothing written outside the data folder


def test_only_result_files_of_a_known_session_are_served(tmp_path):
    data = tmp_path / "data"
    with app_client(data) as c:
        patient = add_patient(c)
        sid = upload(c, patient, b"x" * 10).json()["id"]
        results = data / "sessions" / sid / "results"
        results.mkdir()
        (results / "report.html").write_text("<p>report</p>")
        (results / "notes.secret").write_text("secret")  # in the results folder, but not a result name
        (data / "secret.txt").write_text("secret")
        assert c.get(f"/sessions/{sid}/files/report.html").text == "<p>report</p>"
        for path in (
            f"/sessions/{sid}/files/..%2F..%2F..%2Fsecret.txt",
            f"/sessions/{sid}/files/%2e%2e%2f%2e%2e%2f%2e%2e%2findex.sqlite",
            f"/sessions/{sid}/files/job.json",  # in the session folder, but not a result
            f"/sessions/{sid}/files/video.mp4",
            f"/sessions/{sid}/files/notes.secret",
            "/sessions/..%2F..%2Fsecret.txt/files/report.html",
            "/static/..%2F..%2F..%2Fsecret.txt",
            "/static/../../secret.txt",
        ):
            r = c.get(path)
            assert r.status_code == 404, path
            assert "secret" not in r.text


def test_an_oversized_upload_is_refused_with_a_clear_message_and_leaves_nothing(tmp_path):
    data = tmp_path / "data"
    with app_client(data, max_upload_mb=0.001) as c:  # 1000 bytes
        patient = add_patient(c)
        r = upload(c, patient, b"x" * 1001)
        assert r.status_code == 413
        assert "larger than the upload limit of 0.001 MB" in r.json()["error"]

        def chunks():  # no Content-Length: the limit holds while streaming
            for _ in range(10):
                yield b"y" * 300

        r = c.post(f"/patients/{patient}/videos", params={"name": "big.mp4"}, content=chunks())
        assert r.status_code == 413
        assert "upload limit" in r.json()["error"]
        assert list((data / "sessions").iterdir()) == []
        assert c.app.state.store.sessions_of(patient) == []
        assert upload(c, patient, b"x" * 1000).status_code == 201  # at the limit: accepted
