"""Hard inputs: broken and odd files give a correct result or a one-line error with its own exit
code -- never a hang, a traceback or a partial output. Built in the test, table-driven."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from media import make_audio_only, make_video

from lunge_screen.io import video

CLI_TIMEOUT_S = 240


def _truncated_real_clip(tmp: Path, shared: Path) -> Path:
    data = (shared / "videos" / "lunge_front_portrait.mp4").read_bytes()
    p = tmp / "truncated.mp4"
    p.write_bytes(data[: len(data) // 3])
    return p


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _damaged(tmp: Path) -> Path:
    """An MP4 whose header is intact and whose video packets are garbage after the first quarter."""
    data = bytearray(make_video(tmp / "a.mp4", n=60, size=(160, 96), faststart=True).read_bytes())
    start = len(data) // 4
    data[start:] = bytes((i * 73) % 256 for i in range(len(data) - start))
    bad = tmp / "damaged.mp4"
    bad.write_bytes(bytes(data))
    return bad


def _random_bytes(tmp: Path) -> Path:
    p = tmp / "random.mp4"
    p.write_bytes(np.random.default_rng(0).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    return p


def _jpeg_named_mp4(tmp: Path) -> Path:
    import cv2

    p = tmp / "photo.mp4"
    _, buf = cv2.imencode(".jpg", np.full((120, 160, 3), 90, np.uint8))
    p.write_bytes(buf.tobytes())
    return p


CASES = {
    # name: (builder(tmp, shared) -> path, expected exit code, words in stderr or stdout)
    "empty file": (lambda t, s: _write(t / "empty.mp4", b""), 4, "empty"),
    "text file named .mp4": (lambda t, s: _write(t / "t.mp4", b"hello"), 4, "not a readable"),
    "random bytes": (lambda t, s: _random_bytes(t), 4, "not a readable"),
    "audio only": (lambda t, s: make_audio_only(t / "a.m4a"), 4, "no video stream"),
    # the real clip keeps its index first: the header lists 217 frames, a third of them are present
    "truncated real clip": (lambda t, s: _truncated_real_clip(t, s), 5, "truncated video"),
    "stream damaged part-way": (lambda t, s: _damaged(t), 5, "decoding failed at frame"),
    "single frame": (lambda t, s: make_video(t / "one.mp4", n=1), 0, "No measurable"),
    "still image as .mp4": (lambda t, s: _jpeg_named_mp4(t), 0, "No measurable"),
    "1 fps": (lambda t, s: make_video(t / "slow.mp4", n=5, fps=1), 0, "No measurable"),
    "240 fps": (lambda t, s: make_video(t / "fast.mp4", n=120, fps=240), 0, "No measurable"),
    "variable frame rate": (
        lambda t, s: make_video(t / "vfr.mp4", n=40, times=list(np.cumsum([0] + [0.02, 0.05] * 19 + [0.02]))),
        0,
        "No measurable",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_and_odd_files(case, tmp_path, shared):
    build, code, words = CASES[case]
    src = build(tmp_path, shared)
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "lunge_screen", "analyse", str(src), "--out", str(out), "--quiet", "--no-download"],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, (r.returncode, r.stderr)
    if r.returncode:
        assert len(r.stderr.strip().splitlines()) == 1 and "lunge-screen: error:" in r.stderr
        assert words in r.stderr
        assert not out.exists() or not any(out.iterdir())  # nothing half-written
    else:
        assert words in r.stdout
        assert (out / "session.json").exists() and not list(out.glob(".*.tmp"))


def test_240fps_is_capped_to_60(tmp_path, shared):
    from lunge_screen.api import extract

    s = extract(make_video(tmp_path / "fast.mp4", n=240, fps=240))
    assert s.n_frames == 60
    assert np.allclose(np.diff(s.time), 1 / 60, atol=2e-3)


def test_huge_resolution_is_refused_before_decoding(tmp_path, monkeypatch):
    path = make_video(tmp_path / "a.mp4", n=2, size=(320, 240))
    monkeypatch.setattr(video, "MAX_PIXELS", 320 * 240 - 1)
    with pytest.raises(Exception, match="larger than supported"):
        video.probe(path)


def test_huge_frame_count_is_probed_without_decoding(tmp_path):
    path = make_video(tmp_path / "long.mp4", n=6000, fps=120, size=(32, 32))
    info = video.probe(path)
    assert info.n_frames == 6000
    idx = video.select_frames(info.times, 10.0, 10.5, None)  # a window costs only its frames
    assert len(list(video.iter_frames(path, info=info, indices=idx))) == len(idx) == 61


def test_no_network_access_during_analysis(tmp_path, shared, monkeypatch):
    """Patient videos never leave the machine: analyse a real clip with every socket blocked."""
    from lunge_screen.api import analyse

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    clip = tmp_path / "clip.mp4"
    shutil.copy(shared / "videos" / "lunge_front_lowres_18fps.mp4", clip)
    result = analyse(clip, download=False)
    assert result.reps


def test_output_is_never_written_outside_out(tmp_path):
    from lunge_screen.errors import OutputError
    from lunge_screen.io.atomic import inside, safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..") == "unnamed"
    assert "/" not in safe_name("a/b\\c:d*e?.mp4")
    with pytest.raises(OutputError):
        inside(tmp_path, "../escape.txt")
    assert inside(tmp_path, "ok.txt") == (tmp_path / "ok.txt").resolve()


def test_vfr_timestamps_survive_into_the_result(tmp_path):
    from lunge_screen.api import extract

    times = list(np.cumsum([0] + [0.02, 0.05] * 19 + [0.02]))
    s = extract(make_video(tmp_path / "vfr.mp4", n=40, times=times))
    assert np.allclose(s.time, times, atol=2e-3)


def test_pyav_is_the_decoder_not_opencv(tmp_path, monkeypatch):
    """The README's design choice: frames come from PyAV with their own timestamps; cv2.VideoCapture is never used."""
    import cv2

    def refuse(*args, **kwargs):
        raise AssertionError("cv2.VideoCapture used")

    monkeypatch.setattr(cv2, "VideoCapture", refuse)
    opened = []
    real_open = av.open
    monkeypatch.setattr(av, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
    times = list(np.cumsum([0] + [0.02, 0.05] * 9 + [0.02]))
    path = make_video(tmp_path / "vfr.mp4", n=20, times=times)
    got = [f.time for f in video.iter_frames(path)]
    assert opened and np.allclose(got, times, atol=2e-3)
