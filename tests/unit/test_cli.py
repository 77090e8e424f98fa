"""The command line: one-line errors with distinct exit codes, no partial outputs, re-analysis from .npz."""

import json
import subprocess
import sys

import pytest
from media import make_video
from synth import lunge_series

from lunge_screen.cli import main
from lunge_screen.errors import EXIT_CODES


def run(*args):
    return subprocess.run([sys.executable, "-m", "lunge_screen", *args], capture_output=True, text=True, timeout=300)


def test_exit_codes_are_distinct():
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    assert not {0, 1, 2} & set(EXIT_CODES.values())


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
