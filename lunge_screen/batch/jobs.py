"""One video's work in a batch: the picklable job, its ``done.json`` marker, and :func:`run_job`.

This is all a worker (a local process or a Dask worker) needs to import. Each
input's outputs are written into a temporary sibling folder that is renamed into
place last (the rename is the commit point); ``done.json`` inside it records the
input's sha256, size and mtime, the model's sha256, a hash of every setting and the
lunge-screen version. A result is reused only when its marker matches (the input is
re-hashed only when its size or mtime changed). Half-written folders are never read
and are removed by the next run (:func:`clean_temporaries`).

Every error becomes a failed :class:`JobRecord` naming the stage it happened in
(``input``, ``read``, ``pose``, ``analyse``, ``write``); the batch goes on. A video
in which no person is detected counts as failed (stage ``analyse``); its outputs are
kept and, being a finished analysis, it is not redone on resume.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import InputNotFoundError, LungeScreenError
from ..io.atomic import write_text
from ..io.checksum import sha256_file
from ..io.models import ResolvedModel
from ..settings import AnalysisSettings, ExtractSettings, OutputOptions

MARKER = "done.json"
MARKER_SCHEMA = "lunge-screen/batch-done"
#: Output options that must match exactly (not just be covered) for a result to be reused.
_EXACT_OUTPUTS = ("blur_faces",)


@dataclass(frozen=True)
class BatchInput:
    """One input: absolute ``path``, its display name ``video`` and the manifest's columns."""

    path: str
    video: str
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class BatchSettings:
    """Everything that decides a video's result (the resume key) plus which files to write."""

    extract: ExtractSettings
    analysis: AnalysisSettings
    model: ResolvedModel
    outputs: OutputOptions

    def key(self) -> str:
        """Hash of the settings, the model's sha256 and the lunge-screen version."""
        data = {
            "extraction": dataclasses.asdict(self.extract),
            "analysis": self.analysis.to_dict(),
            "model_sha256": self.model.sha256,
            "software_version": __version__,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def output_flags(self) -> dict[str, bool]:
        return {k: v for k, v in dataclasses.asdict(self.outputs).items() if isinstance(v, bool)}


@dataclass(frozen=True)
class Job:
    """One video's work: picklable, so it can go to a process pool or a Dask cluster."""

    input: BatchInput
    out_dir: str
    settings: BatchSettings
    settings_key: str
    force: bool = False
    #: Processes for this video's pose extraction (time segments); not part of the resume key.
    pose_workers: int | str = 1


@dataclass
class JobRecord:
    """What a job reports back (small; the results themselves are on disk)."""

    path: str
    video: str
    output: str
    status: str = "ok"  # "ok" | "failed": the outcome, also for a skipped (already done) input
    skipped: bool = False
    stage: str = ""
    error: str = ""
    frames: int = 0
    seconds: float = 0.0
    input_sha256: str = ""
    detail: str = ""  # traceback of an unexpected error, for the run log


def read_marker(folder: str | os.PathLike) -> dict | None:
    """The ``done.json`` of a result folder, or None if absent or unreadable."""
    try:
        marker = json.loads(Path(folder, MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("schema") == MARKER_SCHEMA else None


def is_current(job: Job, marker: dict | None, st: os.stat_result, digest: str | None = None) -> bool:
    """Is this marker a finished result of this input (same content) with these settings and outputs?

    Without ``digest`` the content is taken as unchanged when size and mtime match.
    """
    if job.force or not marker or marker.get("settings_key") != job.settings_key:
        return False
    if marker.get("status") == "ok" and not Path(job.out_dir, "session.json").is_file():
        return False
    done, want = marker.get("outputs", {}), job.settings.output_flags()
    if any(v and not done.get(k) for k, v in want.items() if k not in _EXACT_OUTPUTS):
        return False
    if (want.get("report") or want.get("video")) and any(done.get(k) != want.get(k) for k in _EXACT_OUTPUTS):
        return False
    src = marker.get("input", {})
    if digest is not None:
        return src.get("sha256") == digest
    return src.get("size") == st.st_size and src.get("mtime_ns") == st.st_mtime_ns


def skipped_record(job: Job, marker: dict) -> JobRecord:
    return JobRecord(
        job.input.path,
        job.input.video,
        Path(job.out_dir).name,
        status=marker.get("status", "ok"),
        skipped=True,
        stage=marker.get("stage", ""),
        error=marker.get("error", ""),
        frames=int(marker.get("frames", 0)),
        input_sha256=marker.get("input", {}).get("sha256", ""),
    )


def _screen_failure(result) -> str:
    """Why a finished analysis still counts as a failed input ("" if it does not)."""
    return next((w.message for w in result.warnings if w.code == "no_person"), "")


def _commit(tmp: Path, final: Path) -> None:
    """Rename the finished temporary folder into place, replacing an older result."""
    try:
        os.rename(tmp, final)
        return
    except OSError:
        if not final.exists():
            raise
    old = final.with_name(f".{final.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    os.rename(final, old)
    os.rename(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def _done_marker(job: Job, rec: JobRecord, src: Path, st: os.stat_result) -> dict:
    """The ``done.json`` of a finished input."""
    return {
        "schema": MARKER_SCHEMA,
        "status": rec.status,
        "stage": rec.stage,
        "error": rec.error,
        "input": {"path": str(src), "sha256": rec.input_sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns},
        "model": {"name": job.settings.model.name, "sha256": job.settings.model.sha256},
        "settings_key": job.settings_key,
        "software_version": __version__,
        "outputs": job.settings.output_flags(),
        "frames": rec.frames,
        "seconds": round(rec.seconds, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _fail(rec: JobRecord, stage: str, exc: Exception, path: str) -> None:
    """Record an error of ``stage`` in ``rec`` (a user error's message, or a bug's type, message and traceback)."""
    rec.status, rec.stage = "failed", stage
    if isinstance(exc, LungeScreenError):
        rec.error = str(exc).removeprefix(f"{path}: ")  # the path has its own column
    else:
        rec.error = f"{type(exc).__name__}: {exc}".strip()
        rec.detail = traceback.format_exc()[-4000:]
    rec.error = rec.error[:2000]  # records stay small (they travel through pipes)


def run_job(job: Job, progress: Callable[[int, int], None] | None = None) -> JobRecord:
    """Analyse one input into ``job.out_dir`` (or skip it if already done); never raises on a bad input."""
    from .. import api
    from ..io.landmarks import is_landmark_file, load_series
    from ..io.video import probe

    t0 = time.monotonic()
    final = Path(job.out_dir)
    rec = JobRecord(job.input.path, job.input.video, final.name)
    stage, tmp = "input", None
    try:
        src = Path(job.input.path)
        if not src.is_file():
            raise InputNotFoundError(f"{src}: no such file")
        st = src.stat()
        marker = read_marker(final)
        if is_current(job, marker, st):
            return skipped_record(job, marker)
        rec.input_sha256 = sha256_file(src)
        if is_current(job, marker, st, rec.input_sha256):  # touched or copied, same content
            marker["input"].update(size=st.st_size, mtime_ns=st.st_mtime_ns)
            write_text(final / MARKER, json.dumps(marker, indent=2, ensure_ascii=False))
            return skipped_record(job, marker)
        stage = "read"
        is_video = not is_landmark_file(src)
        if not is_video:
            series = load_series(src)
        else:
            info = probe(src)
            stage = "pose"
            s = job.settings
            series = api.extract(src, model=s.model, settings=s.extract, workers=job.pose_workers, progress=progress,
                                 info=info)  # fmt: skip
        stage = "analyse"
        analysis = api.analyse_series(series, job.settings.analysis)
        rec.frames = series.n_frames
        failure = _screen_failure(analysis.result)
        stage = "write"
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}-{time.monotonic_ns()}")
        api.write(analysis, series, tmp, video_path=src if is_video else None, options=job.settings.outputs)
        if failure:
            rec.status, rec.stage, rec.error = "failed", "analyse", failure
        rec.seconds = time.monotonic() - t0
        marker = _done_marker(job, rec, src, st)
        write_text(tmp / MARKER, json.dumps(marker, indent=2, ensure_ascii=False))
        _commit(tmp, final)
        tmp = None
    except Exception as exc:
        _fail(rec, stage, exc, job.input.path)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    rec.seconds = time.monotonic() - t0
    return rec


def clean_temporaries(videos_dir: Path) -> None:
    """Remove half-written result folders left by a killed run (call while holding the lock)."""
    if videos_dir.is_dir():
        for p in videos_dir.iterdir():
            if p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name):
                shutil.rmtree(p, ignore_errors=True)
