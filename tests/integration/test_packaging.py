"""Packaging: building the project prints no deprecation warning (the licence is an SPDX string)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_licence_is_an_spdx_string_with_a_backend_that_reads_it():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "Apache-2.0"
    assert "setuptools>=77" in meta["build-system"]["requires"]  # SPDX strings need setuptools 77


def test_building_the_wheel_prints_no_warning(tmp_path):
    """What ``pip install`` runs (the build backend in an isolated environment), without its dependencies.

    With the old ``license = { text = ... }`` table this printed a ``BuildBackendWarning`` block."""
    src = tmp_path / "src"  # a copy: the build leaves build/ and *.egg-info beside the sources
    shutil.copytree(ROOT / "lunge_screen", src / "lunge_screen", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-w", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    output = r.stdout + r.stderr
    assert "BuildBackendWarning" not in output and "deprecated" not in output.lower(), output[-3000:]
    assert list(tmp_path.glob("lunge_screen-*.whl"))
