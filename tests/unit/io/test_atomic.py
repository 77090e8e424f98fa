"""Atomic writes: a write that fails part-way leaves the old file whole and no temporary file behind."""

from __future__ import annotations

import os

import pytest

from lunge_screen.errors import OutputError
from lunge_screen.io import atomic


def _only(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_writer_failing_part_way_leaves_the_old_file_and_no_temporary(tmp_path):
    target = atomic.write_text(tmp_path / "session.json", "old result\n")
    with pytest.raises(RuntimeError, match="disk full"), atomic.atomic_path(target) as tmp:
        tmp.write_text("half of the new res", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text() == "old result\n"
    assert _only(tmp_path) == ["session.json"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = atomic.write_bytes(tmp_path / "reps.csv", b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert _only(tmp_path) == ["reps.csv"]


def test_a_successful_write_replaces_the_file_and_keeps_no_temporary(tmp_path):
    target = atomic.write_text(tmp_path / "a.txt", "one")
    atomic.write_text(target, "two")
    assert target.read_text() == "two" and _only(tmp_path) == ["a.txt"]
    assert (target.stat().st_mode & 0o777) == atomic._FILE_MODE  # readable like any file, not mkstemp's 0600


def test_a_folder_that_cannot_be_made_is_an_output_error(tmp_path):
    (tmp_path / "a file").write_text("x")
    with pytest.raises(OutputError) as err:
        atomic.write_text(tmp_path / "a file" / "session.json", "{}")
    assert err.value.exit_code == 10
