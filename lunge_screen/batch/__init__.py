"""Many videos in one run: find the inputs, skip finished ones, analyse the rest, write a cohort table.

>>> from lunge_screen.batch import run_batch
>>> summary = run_batch(["videos/"], "results/", workers=2)           # local process pool
>>> summary = run_batch(manifest="cohort.csv", out="results/", scheduler="tcp://10.0.0.5:8786")  # Dask
>>> summary.n_failed, summary.out / "cohort.csv"

Layout under ``out``::

    videos/<name>-<hash>/   one folder per input: the ``analyse`` outputs + done.json
    cohort.csv, .parquet    one row per video x leg (columns: :mod:`lunge_screen.cohort`)
    changes.csv             with a manifest's participant and session columns: one row per
                            participant x leg x consecutive session pair (:mod:`lunge_screen.batch.changes`)
    failures.csv            path, stage, error of every input that failed
    run_log.jsonl           one JSON object per event, appended: start, each video, end

``<name>`` is the input's path relative to its folder (or as listed), sanitised;
``<hash>`` is a short hash of its absolute path, so two ``IMG_0001.mov`` in
different folders never share a folder. Resume and fault isolation are described in
:mod:`lunge_screen.batch.jobs`, the engines (process pool, Dask) in
:mod:`lunge_screen.batch.engines`. Tables and the exit status always describe every
input of the batch, including those finished by an earlier run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import multiprocessing as mp
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import InputNotFoundError, OutputError
from ..settings import AnalysisSettings, CompareSettings, ExtractSettings, OutputOptions
from .inputs import VIDEO_EXTENSIONS, default_workers, discover_inputs, output_name, read_manifest
from .jobs import (
    BatchInput,
    BatchSettings,
    Job,
    JobRecord,
    clean_temporaries,
    is_current,
    read_marker,
    run_job,
    skipped_record,
)

VIDEOS_DIR = "videos"


# ---- the run -------------------------------------------------------------------------------
class RunLog:
    """Append-only JSON-lines log (one object per event, flushed at once; a kill loses at most a line)."""

    def __init__(self, path: Path) -> None:
        try:
            self._f = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run, see close()
        except OSError as exc:
            raise OutputError(f"cannot write the run log {path} ({exc.strerror})") from None
        self.run = uuid.uuid4().hex[:12]

    def __call__(self, event: str, **data) -> None:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "run": self.run, "event": event, **data}
        self._f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        self._f.flush()

    def close(self) -> None:
        self._f.close()


@contextlib.contextmanager
def _locked(out: Path):
    """Hold ``out/.lock`` so two batches never write into one folder at once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    with open(out / ".lock", "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError(f"{out} is in use by another lunge-screen batch") from None
            # The file system cannot lock (some network mounts): go on unlocked.
        yield


@dataclass
class BatchSummary:
    """What a batch did: one record per input, the tables written, timings."""

    out: Path
    records: list[JobRecord]
    work_seconds: float
    written: list[Path]
    note: str = ""

    @property
    def n_failed(self) -> int:
        return sum(r.status != "ok" for r in self.records)

    @property
    def n_skipped(self) -> int:
        return sum(r.skipped for r in self.records)

    @property
    def processed(self) -> list[JobRecord]:
        return [r for r in self.records if not r.skipped]

    @property
    def frames(self) -> int:
        return sum(r.frames for r in self.processed)

    @property
    def videos_per_min(self) -> float:
        return 60.0 * len(self.processed) / self.work_seconds if self.work_seconds > 0 else 0.0

    @property
    def frames_per_s(self) -> float:
        return self.frames / self.work_seconds if self.work_seconds > 0 else 0.0

    def describe(self) -> str:
        ok = sum(r.status == "ok" for r in self.records)
        lines = [
            f"{len(self.records)} input(s): {ok} ok, {self.n_failed} failed ({self.n_skipped} already done, skipped)",
            f"this run: {len(self.processed)} input(s), {self.frames} frames analysed in {self.work_seconds:.1f} s "
            f"({self.videos_per_min:.1f} videos/min, {self.frames_per_s:.1f} frames/s)",
            *([self.note] if self.note else []),
            f"cohort table: {self.out / 'cohort.csv'}",
        ]
        if any(p.name == "changes.csv" for p in self.written):
            lines.append(f"changes between sessions: {self.out / 'changes.csv'}")
        if self.n_failed:
            lines.append(f"failures: {self.out / 'failures.csv'}")
        return "\n".join(lines)


class _Progress:
    def __init__(self, total: int, enabled: bool, frames, single: bool) -> None:
        from ..progress import progress_bar

        self.bar = progress_bar("videos", unit="videos", total=total, enabled=None if enabled else False)
        self.total, self.frames, self.single = total, frames, single
        self.done = self.ok = self.failed = self.skipped = 0
        self.t0 = time.monotonic()

    def record(self, rec: JobRecord) -> None:
        self.done += 1
        self.skipped += rec.skipped
        self.ok += rec.status == "ok" and not rec.skipped
        self.failed += rec.status != "ok" and not rec.skipped
        self.poll()

    def poll(self) -> None:
        extra = f"| {self.ok} ok {self.failed} failed {self.skipped} skipped"
        if self.frames is not None:
            with self.frames.get_lock():
                total, cur, cur_total = self.frames[:]
            extra += f" | {total / max(time.monotonic() - self.t0, 1e-9):.0f} frames/s"
            if self.single and cur_total:
                extra += f" (this video {cur}/{cur_total})"
        self.bar.set_postfix_str(extra)  # called every 0.2 s: the frame rate stays current
        self.bar.update(self.done - self.bar.n)


def run_batch(
    inputs: Sequence[str | os.PathLike] = (),
    out: str | os.PathLike = "results",
    *,
    manifest: str | os.PathLike | None = None,
    extensions: Sequence[str] = VIDEO_EXTENSIONS,
    model: str | os.PathLike | None = None,
    download: bool = False,
    extract: ExtractSettings | None = None,
    thresholds=None,
    subject: str = "largest",
    analysis: AnalysisSettings | None = None,
    outputs: OutputOptions | None = None,
    compare: CompareSettings | None = None,
    workers: int | None = None,
    pose_workers: int | str = 1,
    scheduler=None,
    force: bool = False,
    progress: bool = True,
    job_fn=run_job,
) -> BatchSummary:
    """Analyse every input into ``out`` and write the cohort table (see the module docstring).

    Parameters
    ----------
    inputs
        Folders (searched recursively for ``extensions``), glob patterns, or files.
    manifest
        CSV with a ``path`` column; its other columns flow into the cohort table.
    extract, thresholds, subject, model
        As for :func:`lunge_screen.analyse`; part of the resume key.
    analysis
        Whole analysis settings (e.g. from a ``--config`` file); replaces ``thresholds`` and ``subject``.
    outputs
        Which files to write per video (default: tables and landmarks, no report or video).
    compare
        How ``changes.csv`` judges each participant's sessions (a manifest with ``participant``
        and ``session`` columns); default :class:`CompareSettings`.
    workers
        Videos at once: local processes (default: usable cores), or worker processes of a new Dask LocalCluster.
    pose_workers
        Processes for each video's pose extraction (time segments; default 1, see ``lunge-screen analyse -j``).
    scheduler
        None for the local process pool; ``"dask"`` for a new LocalCluster; a Dask scheduler
        address; or a ``distributed.Client``.
    force
        Recompute every input even if its result is up to date.
    job_fn
        The per-video function (a top-level function like :func:`run_job`).
    """
    from ..api import make_settings
    from ..io.models import resolve_model
    from .cohort import write_cohort

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    items = discover_inputs(inputs, manifest=manifest, extensions=extensions, exclude=out)
    if not items:
        raise InputNotFoundError("no input videos found (give folders, patterns, files or --manifest)")
    settings = BatchSettings(
        extract=extract or ExtractSettings(),
        analysis=analysis or make_settings(thresholds, subject),
        model=resolve_model(model, download=download),
        outputs=outputs or OutputOptions(report=False, video=False),
    )
    key = settings.key()
    workers = max(1, workers or default_workers())
    try:
        (out / VIDEOS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out / VIDEOS_DIR} ({exc.strerror})") from None
    with _locked(out), contextlib.closing(RunLog(out / "run_log.jsonl")) as log:
        clean_temporaries(out / VIDEOS_DIR)
        jobs = [Job(i, str(out / VIDEOS_DIR / output_name(i)), settings, key, force, pose_workers) for i in items]
        records = {job.input.path: rec for job in jobs if (rec := _already_done(job)) is not None}
        to_run = [job for job in jobs if job.input.path not in records]
        log("start", version=__version__, inputs=len(jobs), to_run=len(to_run), workers=workers, force=force,
            engine="local" if scheduler is None else "dask", settings_key=key, model=settings.model.name,
            model_sha256=settings.model.sha256)  # fmt: skip
        for rec in records.values():
            log("video", **dataclasses.asdict(rec))
        work = _execute(to_run, records, log, workers, scheduler, progress, job_fn)
        entries = [_entry(job, records[job.input.path]) for job in jobs]
        written, note = write_cohort(entries, out)
        written += _changes(entries, out, manifest, compare)
        summary = BatchSummary(out, [records[job.input.path] for job in jobs], work, written, note)
        log("end", inputs=len(jobs), failed=summary.n_failed, skipped=summary.n_skipped,
            processed=len(summary.processed), frames=summary.frames, work_seconds=round(work, 3),
            videos_per_min=round(summary.videos_per_min, 3), frames_per_s=round(summary.frames_per_s, 3))  # fmt: skip
    return summary


def _changes(entries: list, out: Path, manifest, compare: CompareSettings | None) -> list[Path]:
    """``changes.csv`` when the manifest has participant and session columns (:mod:`lunge_screen.batch.changes`)."""
    from .changes import has_sessions, write_changes

    if manifest is None or not has_sessions(entries):
        return []
    order = {item.path: k for k, item in enumerate(read_manifest(manifest))}
    return [write_changes(entries, out, order, compare)]


def _execute(to_run: list[Job], records: dict, log: RunLog, workers: int, scheduler, progress: bool, job_fn) -> float:
    """Run the jobs (local processes or Dask), recording each result as it arrives; the seconds it took."""
    from .engines import new_frame_counter, run_dask, run_local

    ctx = mp.get_context("spawn")
    frames = new_frame_counter(ctx) if scheduler is None else None
    bar = _Progress(len(to_run), progress, frames, single=workers == 1)

    def on_record(rec: JobRecord) -> None:
        records[rec.path] = rec
        log("video", **dataclasses.asdict(rec))
        bar.record(rec)

    t0 = time.monotonic()
    try:
        if to_run and scheduler is None:
            run_local(to_run, min(workers, len(to_run)), on_record, bar.poll, ctx=ctx, frames=frames, job_fn=job_fn)
        elif to_run:
            run_dask(to_run, workers, scheduler, on_record, bar.poll, job_fn=job_fn)
    except BaseException as exc:
        log("interrupted", error=f"{type(exc).__name__}: {exc}", done=len(records))
        raise
    finally:
        bar.bar.close()
    return time.monotonic() - t0


def _already_done(job: Job) -> JobRecord | None:
    """A skipped record if the job's result is current by the quick (size and mtime) check."""
    marker = read_marker(job.out_dir)
    try:
        return skipped_record(job, marker) if is_current(job, marker, os.stat(job.input.path)) else None
    except OSError:
        return None


def _entry(job: Job, rec: JobRecord):
    """The cohort entry of one input (reads its session.json if it succeeded)."""
    from ..results import SessionResult
    from .cohort import CohortEntry

    result = None
    if rec.status == "ok":
        try:
            result = SessionResult.from_json(Path(job.out_dir, "session.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            rec.status, rec.stage, rec.error = "failed", "collect", f"cannot read session.json ({exc})"
    output = f"{VIDEOS_DIR}/{rec.output}"
    return CohortEntry(rec.video, rec.path, output, rec.status, result, rec.stage, rec.error, rec.input_sha256,
                       job.input.meta)  # fmt: skip


__all__ = [
    "VIDEO_EXTENSIONS",
    "BatchInput",
    "BatchSettings",
    "BatchSummary",
    "Job",
    "JobRecord",
    "default_workers",
    "discover_inputs",
    "output_name",
    "read_manifest",
    "run_batch",
    "run_job",
]
