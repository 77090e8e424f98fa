"""Progress bars (tqdm): shown on a terminal, silent in logs; the download's bar counts the bytes."""

from __future__ import annotations

import hashlib
import io

import pytest
from http_server import serve

from lunge_screen import progress
from lunge_screen.io.download import fetch


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    stream = _Terminal()
    monkeypatch.setattr(progress, "_STREAM", stream)
    return stream


def test_frames_bar_counts_on_a_terminal(terminal):
    bar = progress.progress_bar("pose")
    update = progress.counter(bar)
    for done in (10, 120, 217):
        update(done, 217)
    bar.close()
    text = terminal.getvalue()
    assert "pose" in text and "217/217" in text and "frames" in text


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    stream = io.StringIO()  # a log file or a pipe
    monkeypatch.setattr(progress, "_STREAM", stream)
    bar = progress.progress_bar("pose")
    progress.counter(bar)(5, 10)
    bar.close()
    assert stream.getvalue() == ""


def test_download_shows_its_bytes_on_a_terminal(terminal, tmp_path, capsys):
    payload = bytes(range(256)) * 2000  # 512 kB
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "clip.mp4").write_bytes(payload)
    with serve(tmp_path / "srv") as (url, _):
        path = fetch(f"{url}/clip.mp4", hashlib.sha256(payload).hexdigest(), tmp_path / "cache", "clip.mp4")
    assert path.read_bytes() == payload
    text = terminal.getvalue()
    assert "downloading clip.mp4" in text and "100%" in text and "512k" in text
    assert "downloading clip.mp4 from http://127.0.0.1" in capsys.readouterr().err  # said once, also in logs
