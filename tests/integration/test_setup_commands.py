"""The README's two set-up commands, run exactly as written on a fresh clone with no ../shared beside it.

The clone (of this checkout's HEAD) sits in a temporary folder; the sample clip and the
pose model are served over HTTP by a local server on 127.0.0.1 (copies of ../shared's
files), and ``LUNGE_SCREEN_DOWNLOAD_URL`` points the real download code at it, so
``./dev demo`` goes through the whole path a new user's machine takes: find nothing
locally, download with the sha256 check, screen the clip, write the report.

Set-up of the virtual environment: ``LUNGE_SCREEN_VENV`` reuses the environment this
test runs in (its install stamp for the same pyproject.toml is there, so ``./dev`` does
not reinstall) and ``PYTHONPATH`` puts the clone's package first, so the clone's code
is what runs (checked below). A second install of mediapipe and the test extra would
add minutes per CI run; the install itself is what CI's own ``./dev test`` does on its
fresh clone every run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MODELS, ROOT, VIDEOS
from http_server import serve

pytestmark = pytest.mark.shared

SAMPLE = "lunge_front_portrait.mp4"
MODEL = "pose_landmarker_full.task"
TIMEOUT_S = 600


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clone(shared, tmp_path_factory) -> Path:
    """A fresh clone of this checkout's HEAD, in a folder with no ``shared`` beside it."""
    parent = tmp_path_factory.mktemp("fresh")
    dest = parent / "lunge-screen"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(dest)], check=True, timeout=120)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", head.stdout.strip()], check=True, timeout=120)
    assert not (dest.parent / "shared").exists()
    return dest


def _env(clone: Path, cache: Path, mirror_url: str) -> dict[str, str]:
    """The environment of a new user's shell: no model or data folder, an empty cache, the mirror."""
    stamp = hashlib.sha256((clone / "pyproject.toml").read_bytes()).hexdigest()[:16]
    venv = Path(sys.prefix)
    assert (venv / f".installed-{stamp}").is_file(), "run the suite through ./dev test (its .venv is reused here)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUNGE_SCREEN_") and k != "PYTHONPATH"}
    env |= {
        "XDG_CACHE_HOME": str(cache),
        "LUNGE_SCREEN_DOWNLOAD_URL": mirror_url,
        "LUNGE_SCREEN_VENV": str(venv),
        "PYTHONPATH": str(clone),
    }
    return env


def _mirror(folder: Path, corrupt: bool = False) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(VIDEOS / SAMPLE, folder / SAMPLE)
    shutil.copyfile(MODELS / MODEL, folder / MODEL)
    if corrupt:
        for name in (SAMPLE, MODEL):
            data = bytearray((folder / name).read_bytes())
            data[len(data) // 2] ^= 0xFF  # one byte flipped: same size, other sha256
            (folder / name).write_bytes(bytes(data))
    return folder


def test_dev_demo_on_a_fresh_clone_downloads_checks_and_screens(clone, tmp_path):
    cache = tmp_path / "cache"
    with serve(_mirror(tmp_path / "mirror")) as (url, requested):
        env = _env(clone, cache, url)
        which = subprocess.run(
            [f"{sys.prefix}/bin/python", "-c", "import lunge_screen; print(lunge_screen.__file__)"],
            env=env, cwd=clone, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert Path(which.stdout.strip()).is_relative_to(clone), which.stdout  # the clone's code runs
        r = subprocess.run(["./dev", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert r.returncode == 0, r.stderr[-3000:]
    assert sorted(requested) == sorted([f"/{MODEL}", f"/{SAMPLE}"])  # both downloaded, each once
    assert f"downloading {SAMPLE}" in r.stderr and f"downloading {MODEL}" in r.stderr
    kept = cache / "lunge-screen"
    assert _sha256(kept / "samples" / SAMPLE) == _sha256(VIDEOS / SAMPLE)
    assert _sha256(kept / "models" / MODEL) == _sha256(MODELS / MODEL)
    out = clone / "results" / "demo"
    assert {"session.json", "reps.csv", "report.html", "keyframes.jpg", "annotated.mp4"} <= {
        p.name for p in out.iterdir()
    }
    assert f"report: {Path('results/demo/report.html')}" in r.stdout
    import json

    session = json.loads((out / "session.json").read_text(encoding="utf-8"))
    assert len(session["reps"]) == 2 and session["model"]["name"] == "full"  # the clip's two lunges


def test_a_corrupted_download_is_refused_with_exit_8_and_nothing_kept(clone, tmp_path):
    cache = tmp_path / "cache"
    shutil.rmtree(clone / "results", ignore_errors=True)
    with serve(_mirror(tmp_path / "mirror", corrupt=True)) as (url, requested):
        env = _env(clone, cache, url)
        demo = subprocess.run(["./dev", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
        model = subprocess.run(
            [f"{sys.prefix}/bin/lunge-screen", "models", "fetch", "full"],
            cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
        )  # fmt: skip
    assert requested == [f"/{SAMPLE}", f"/{MODEL}"]
    for r in (demo, model):
        assert r.returncode == 8, r.stderr[-2000:]
        assert "refused" in r.stderr and "Traceback" not in r.stderr
    leftovers = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert leftovers == []  # no partial or refused file in the cache
    assert not (clone / "results" / "demo" / "session.json").exists()


def test_dev_test_runs_on_the_fresh_clone(clone, tmp_path):
    """The README's test command, as written, with -k selecting one small test (the whole suite is CI's run)."""
    with serve(tmp_path) as (url, _):
        env = _env(clone, tmp_path / "cache", url)
        env.pop("CI", None)  # this clone has no ../shared: real-clip tests would fail by design under CI=true
        r = subprocess.run(
            ["./dev", "test", "tests/unit/track/test_signals.py", "-k", "test_runs", "-q", "-p", "no:cacheprovider"],
            cwd=clone, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
        )  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "1 passed" in r.stdout and str(clone) in r.stdout + f"{clone}"
