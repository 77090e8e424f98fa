"""One session's analysis, in its own process: ``python -m lunge_screen.app.job SESSION_DIR``.

Reads ``job.json``, runs the public API (:func:`lunge_screen.api.extract`, ``analyse_series``,
``write``) and reports through ``progress.json`` and ``outcome.json`` (:mod:`lunge_screen.app.jobfiles`).
A separate process keeps the app responsive and alive whatever the video does to the decoder or
the pose model: a crash here fails one session, never the app.

* The pose model's output is kept as ``landmarks.npz`` in the session folder; when it is there and
  was made by the requested model, it is reused and no inference runs (a re-analysis with other
  thresholds takes a second or two).
* The results are written into ``results.new/`` and swapped in for ``results/`` when complete, so
  the page never shows half of a new report beside half of the old one.
* An error a user can cause (:mod:`lunge_screen.errors`) becomes ``outcome.json``'s ``error``: the
  same message the command line prints, with the uploaded file's own name in place of its stored
  path. Anything else is a bug: its traceback goes to ``job.log``.
* The process watches its parent: if the app dies, the job stops too (with its helper processes).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from ..errors import LungeScreenError
from .jobfiles import LANDMARKS, OUTCOME, JobSpec, ProgressWriter, write_outcome

RESULTS, NEW_RESULTS, OLD_RESULTS = "results", "results.new", "results.old"


def _watch_parent(parent: int, interval_s: float = 1.0) -> None:
    """Stop this process group when the app that started it has gone (re-parented to another process)."""
    while True:
        time.sleep(interval_s)
        if os.getppid() != parent:
            if os.getpgrp() == os.getpid():  # started as its own group (as the app does): take the helpers too
                os.killpg(os.getpgrp(), signal.SIGKILL)
            os._exit(1)


def _landmarks(session_dir: Path, spec: JobSpec, video: Path, progress: ProgressWriter):
    """The saved landmarks when the requested model made them; else run the pose model and save them."""
    from ..io.landmarks import load_series

    saved = session_dir / LANDMARKS
    if saved.is_file():
        try:
            series = load_series(saved)
        except LungeScreenError:
            series = None  # unreadable: extract again
        if series is not None and series.source.model == spec.model:
            progress.stage("reusing landmarks")
            return series
    from ..pose.extract import prestart
    from ..settings import ExtractSettings

    options = {"model": spec.model, "settings": ExtractSettings(), "workers": spec.workers, "download": True}
    prestart(video, **options)  # helper processes start on later segments while this one loads the API
    from .. import api

    progress.stage("pose")
    series = api.extract(video, progress=progress.frames, **options)
    series.save(saved)
    return series


def _swap_in(session_dir: Path, new: Path) -> Path:
    """Replace ``results/`` by the complete ``results.new/``."""
    current, old = session_dir / RESULTS, session_dir / OLD_RESULTS
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)
    return current


def analyse_session(session_dir: Path) -> dict:
    """Run the analysis of one session folder; return the outcome's fields (also written to outcome.json)."""
    spec = JobSpec.read(session_dir)
    (session_dir / OUTCOME).unlink(missing_ok=True)
    progress = ProgressWriter(session_dir)
    video = session_dir / spec.video
    try:
        series = _landmarks(session_dir, spec, video, progress)
        from .. import api
        from ..settings import OutputOptions

        progress.stage("analysis")
        analysis = api.analyse_series(series, api.make_settings(spec.thresholds))
        progress.stage("report")
        new = session_dir / NEW_RESULTS
        shutil.rmtree(new, ignore_errors=True)
        api.write(analysis, series, new, video_path=video, options=OutputOptions(patient=spec.patient))
        _swap_in(session_dir, new)
        finding = analysis.result.finding
        outcome = {"status": "done", "finding": finding.summary, "flag": bool(finding.flag)}
    except LungeScreenError as exc:
        message = str(exc).replace(str(video), spec.video_name)
        outcome = {
            "status": "failed", "error": message, "error_type": type(exc).__name__, "exit_code": exc.exit_code,
        }  # fmt: skip
    except Exception as exc:  # a bug: keep the traceback, fail this session only
        traceback.print_exc()
        outcome = {
            "status": "failed", "error": f"internal error ({type(exc).__name__}: {exc}); details in {session_dir.name}"
            "/job.log", "error_type": type(exc).__name__, "exit_code": 1,
        }  # fmt: skip
    progress.stage("finished")
    write_outcome(session_dir, **outcome)
    return outcome


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m lunge_screen.app.job SESSION_DIR", file=sys.stderr)
        return 2
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    outcome = analyse_session(Path(args[0]))
    parallel = sys.modules.get("lunge_screen.pose.parallel")
    if parallel is not None:
        parallel.shutdown_workers(kill=True)
    return 0 if outcome["status"] == "done" else int(outcome.get("exit_code", 1))


if __name__ == "__main__":
    sys.exit(main())
