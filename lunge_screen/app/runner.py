"""The analysis queue: queued sessions run one at a time (``[app] jobs_at_once``), each in its own process.

A worker thread takes the oldest queued session (the index marks it running), writes its
``job.json``, starts ``python -m lunge_screen.app.job SESSION_DIR`` in a new process group with
its output going to ``job.log``, waits, and records the job's ``outcome.json`` in the index. A
job process that dies without an outcome (a crash, out of memory) fails its session with the
exit status; the app goes on with the next one.

On start, sessions the index still shows running were cut off by a crash or a stop of the app:
they become ``interrupted`` and wait for the user to rerun them (a session that crashed the app
should not run again by itself); queued sessions run. On stop, running jobs are ended and their
sessions marked interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .folder import DataFolder, video_suffix
from .jobfiles import LOG, OUTCOME, PROGRESS, JobSpec, read_outcome
from .store import Session, Store

STOPPED_BY_APP = "the app was stopped during the analysis; run it again"
STOPPED_BY_USER = "stopped before it finished; run it again"


def job_spec(store: Store, session: Session, workers: int | str) -> JobSpec:
    """What the job process should do for ``session``."""
    patient = store.patient(session.patient)
    fields = {"name": patient.name if patient else "", "session_date": session.date, "note": session.notes}
    return JobSpec(
        video="video" + video_suffix(session.video_name),
        video_name=session.video_name,
        model=session.model,
        thresholds=session.thresholds,
        patient={k: v for k, v in fields.items() if v},
        workers=workers,
    )


def _failure(code: int, session_dir: Path) -> str:
    how = f"was killed by signal {-code}" if code < 0 else f"ended with exit code {code}"
    return f"the analysis process {how} without a result; details in {session_dir.name}/{LOG}"


class JobRunner:
    """Runs queued sessions in subprocesses; ``wake()`` after queueing one."""

    def __init__(self, store: Store, folder: DataFolder, jobs_at_once: int = 1, python: str = sys.executable) -> None:
        self.store, self.folder = store, folder
        self.jobs_at_once = max(1, jobs_at_once)
        self.python = python
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._procs: dict[str, subprocess.Popen] = {}
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the workers (after :meth:`Store.mark_interrupted`: nothing can be running yet)."""
        for k in range(self.jobs_at_once):
            t = threading.Thread(target=self._loop, name=f"lunge-screen-job-{k}", daemon=True)
            t.start()
            self._threads.append(t)

    def wake(self) -> None:
        self._wake.set()

    def running(self) -> list[str]:
        with self._lock:
            return list(self._procs)

    def cancel(self, session_id: str) -> bool:
        """Stop a running session's job (it becomes interrupted); ``False`` if it is not running here."""
        with self._lock:
            proc = self._procs.get(session_id)
            if proc is None:
                return False
            self._cancelled.add(session_id)
        _end(proc)
        return True

    def stop(self, timeout_s: float = 5.0) -> None:
        """End every running job (their sessions become interrupted) and the workers."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            procs = list(self._procs.values())
        for proc in procs:
            _end(proc)
        for t in self._threads:
            t.join(timeout_s)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            session = self.store.claim_next()
            if session is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            try:
                self._run(session)
            except Exception as exc:  # never let one session stop the queue
                self.store.finish(session.id, "failed", f"could not run the analysis: {exc}")

    def _run(self, session: Session) -> None:
        session_dir = self.folder.session_dir(session.id)
        workers: int | str = "auto" if self.jobs_at_once == 1 else 1
        job_spec(self.store, session, workers).write(session_dir)
        for name in (PROGRESS, OUTCOME):
            (session_dir / name).unlink(missing_ok=True)
        with open(session_dir / LOG, "a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} model {session.model}\n")
            log.flush()
            proc = subprocess.Popen(
                [self.python, "-m", "lunge_screen.app.job", str(session_dir)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            with self._lock:
                self._procs[session.id] = proc
            code = proc.wait()
        with self._lock:
            self._procs.pop(session.id, None)
            cancelled = session.id in self._cancelled
            self._cancelled.discard(session.id)
        self._record(session.id, session_dir, code, cancelled)

    def _record(self, session_id: str, session_dir: Path, code: int, cancelled: bool) -> None:
        outcome = read_outcome(session_dir)
        if cancelled or (self._stopping.is_set() and outcome is None):
            self.store.finish(session_id, "interrupted", STOPPED_BY_USER if cancelled else STOPPED_BY_APP)
        elif outcome is None:
            self.store.finish(session_id, "failed", _failure(code, session_dir))
        elif outcome.get("status") == "done":
            self.store.finish(session_id, "done", None, outcome.get("finding"), outcome.get("flag"))
        else:
            self.store.finish(session_id, "failed", str(outcome.get("error") or _failure(code, session_dir)))


def _end(proc: subprocess.Popen, grace_s: float = 3.0) -> None:
    """End a job's whole process group (the job and its pose helpers): SIGTERM, then SIGKILL."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
