"""The command line: one-line errors with distinct exit codes, no partial outputs, re-analysis from .npz."""

import json
import os
import subprocess
import sys

import pytest
from media import make_audio_only, make_video
from synth import lunge_series

from lunge_screen.cli import main
from lunge_screen.errors import EXIT_CODES


def run(*args):
    return subprocess.run([sys.executable, "-m", "lunge_screen", *args], capture_output=True, text=True, timeout=300)


def test_exit_codes_are_distinct():
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    assert not {0, 1, 2} & set(EXIT_CODES.values())


def _damaged(tmp):
    """An MP4 whose header is intact and whose video packets are garbage after the first quarter."""
    data = bytearray(make_video(tmp / "ok.mp4", n=60, size=(160, 96), faststart=True).read_bytes())
    data[len(data) // 4 :] = bytes((i * 73) % 256 for i in range(len(data) - len(data) // 4))
    (tmp / "damaged.mp4").write_bytes(bytes(data))
    return ["analyse", str(tmp / "damaged.mp4")]


def _npz(tmp):
    return str(lunge_series(["left", "right"]).save(tmp / "l.npz"))


def _wrong_schema_session(tmp):
    out = tmp / "s"
    assert main(["analyse", _npz(tmp), "--out", str(out), "--quiet", "--no-report"]) == 0
    session = json.loads((out / "session.json").read_text())
    session["schema_version"] = 99
    (out / "session.json").write_text(json.dumps(session))
    return ["report", str(out / "session.json"), "--out", str(tmp / "r")]


def _under_a_file(tmp):
    (tmp / "a file").write_text("x")
    return ["analyse", _npz(tmp), "--out", str(tmp / "a file" / "results")]


def _offline_model(tmp, env):
    (tmp / "no models").mkdir()
    env |= {
        "LUNGE_SCREEN_MODEL_DIR": str(tmp / "no models"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "LUNGE_SCREEN_DOWNLOAD_URL": "http://127.0.0.1:9",
    }  # fmt: skip  (the discard port: refused)
    return ["analyse", str(make_video(tmp / "a.mp4", n=5)), "--model", "lite"]


EXIT_CASES = {
    # name: (command builder(tmp, env) -> args before --out, the README's code, words in stderr)
    "success": (lambda t, e: ["analyse", _npz(t), "--no-report"], 0, ""),
    "unknown flag": (lambda t, e: ["analyse", _npz(t), "--frobnicate"], 2, "unrecognized arguments"),
    "unknown threshold": (lambda t, e: ["analyse", _npz(t), "--threshold", "nope=1"], 2, "unknown threshold"),
    "input not found": (lambda t, e: ["analyse", str(t / "missing.mp4")], 3, "no such file"),
    "not a video": (lambda t, e: ["analyse", str(make_audio_only(t / "a.m4a"))], 4, "no video stream"),
    "corrupt video": (lambda t, e: _damaged(t), 5, "decoding failed at frame"),
    "no frames in the window": (
        lambda t, e: ["analyse", str(make_video(t / "a.mp4", n=10)), "--start", "50"], 6, "no frames"),
    "model unreadable": (lambda t, e: ["analyse", str(make_video(t / "a.mp4", n=5)), "--model", _junk(t)], 7, "model"),
    "model download failed": (lambda t, e: _offline_model(t, e), 8, "could not download"),
    "landmark file unreadable": (lambda t, e: ["analyse", _junk(t, "x.npz")], 9, "x.npz"),
    "session of another schema version": (lambda t, e: _wrong_schema_session(t), 9, "schema"),
    "output under a file": (lambda t, e: _under_a_file(t), 10, "is a file"),
}  # fmt: skip


def _junk(tmp, name="broken.task"):
    (tmp / name).write_bytes(b"not what it claims to be")
    return str(tmp / name)


@pytest.mark.parametrize("case", list(EXIT_CASES))
def test_each_exit_code_is_the_documented_number(case, tmp_path):
    """The README's exit-code table, each code by its literal number, from the real command's process."""
    build, code, words = EXIT_CASES[case]
    env = {k: v for k, v in os.environ.items() if k != "LUNGE_SCREEN_SLOW_EXIT"}
    args = build(tmp_path, env)
    out = tmp_path / "out"
    if "--out" not in args:
        args += ["--out", str(out)]
    quiet = ["--quiet"] if args[0] == "analyse" else []
    r = subprocess.run([sys.executable, "-m", "lunge_screen", *args, *quiet], capture_output=True, text=True,
                       timeout=300, env=env)  # fmt: skip
    assert r.returncode == code, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    if code:
        assert words in r.stderr and r.stderr.count("lunge-screen: error:") == 1, r.stderr
        assert not out.exists() or not any(out.iterdir())  # nothing half-written
    else:
        assert (out / "session.json").is_file()


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [(None, 3, "no such file"), (b"", 4, "empty"), (b"not a video", 4, "not a readable video")],
)
def test_user_errors_are_one_line_without_traceback(tmp_path, content, code, words):
    src = tmp_path / "input.mp4"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "out"
    r = run("analyse", str(src), "--out", str(out), "--quiet")
    assert r.returncode == code
    assert words in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_unreadable_model_is_its_own_error(tmp_path):
    bad = tmp_path / "broken.task"
    bad.write_bytes(b"not a model")
    video = make_video(tmp_path / "a.mp4", n=5)
    r = run("analyse", str(video), "--out", str(tmp_path / "o"), "--model", str(bad), "--quiet")
    assert r.returncode == 7, r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_threshold_is_a_usage_error(tmp_path, capsys):
    s = lunge_series(["left"])
    npz = s.save(tmp_path / "l.npz")
    assert main(["analyse", str(npz), "--out", str(tmp_path / "o"), "--threshold", "nonsense=1"]) == 2
    assert "unknown threshold" in capsys.readouterr().err


def test_reanalyse_saved_landmarks_without_inference(tmp_path, capsys):
    npz = lunge_series(["left", "right", "left", "right"], {"left": 0.08}).save(tmp_path / "l.npz")
    out = tmp_path / "o"
    assert main(["analyse", str(npz), "--out", str(out), "--threshold", "over_foot_max=0.3", "--json"]) == 0
    session = json.loads((out / "session.json").read_text())
    assert session["schema"] == "lunge-screen/session" and session["schema_version"] == 2
    assert session["settings"]["analysis"]["thresholds"]["over_foot_max"] == 0.3
    assert json.loads(capsys.readouterr().out) == session
    rows = (out / "reps.csv").read_text().splitlines()
    assert rows[0].startswith("rep,kind,leg,lead") and len(rows) == 5
    assert (out / "frames.csv").exists()
    assert not list(out.glob(".*tmp"))
