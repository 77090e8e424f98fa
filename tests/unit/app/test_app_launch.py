"""``lunge-screen app`` start-up: a taken port or a newer index is a clear error; the launch page is private."""

from __future__ import annotations

import socket
import stat

from lunge_screen.app.folder import DataFolder
from lunge_screen.app.launch import write_open_page
from lunge_screen.app.store import Store
from lunge_screen.cli import main


def test_a_taken_port_is_a_one_line_error_with_its_exit_code(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = main(["app", "--no-browser", "--port", str(port), "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 12
    assert f"cannot listen on 127.0.0.1:{port}" in err and "choose another --port" in err


def test_an_index_from_a_newer_version_stops_the_start(tmp_path, capsys):
    folder = DataFolder(tmp_path / "data")
    store = Store(folder)
    store._conn.execute("UPDATE schema_version SET version = 42")
    store.close()
    assert main(["app", "--no-browser", "--data", str(folder.root)]) == 12
    assert "newer than this lunge-screen knows" in capsys.readouterr().err


def test_the_launch_page_forwards_with_the_token_and_only_its_owner_can_read_it(tmp_path):
    folder = DataFolder(tmp_path / "data").create()
    url = "http://127.0.0.1:8123/?token=abc&x=1"
    page = write_open_page(folder, url)
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert 'content="0;url=http://127.0.0.1:8123/?token=abc&amp;x=1"' in page.read_text()
    assert stat.S_IMODE(folder.root.stat().st_mode) == 0o700
