"""The three small files through which the app and an analysis job talk, all written atomically.

``job.json`` (app -> job): the video's file name in the session folder, the model, the
threshold overrides and the patient fields for the report.

``progress.json`` (job -> app, rewritten as the job goes): ``stage`` (one of :data:`STAGES`),
``done`` and ``total`` frames of the pose stage, ``eta_s`` (seconds left in that stage, or
``None``), ``started`` and ``updated`` (Unix times, s). The page shows it; it survives a reload
because it lives on disk, not in the page.

``outcome.json`` (job -> app, once, at the end): ``status`` ``done`` or ``failed``, ``error``
(the message the command line prints for the same input), ``error_type`` and ``exit_code``
(those of :mod:`lunge_screen.errors`), and for a finished analysis the finding's sentence and flag.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..io.atomic import write_text

JOB, PROGRESS, OUTCOME, LOG, LANDMARKS = "job.json", "progress.json", "outcome.json", "job.log", "landmarks.npz"

Stage = Literal["starting", "pose", "reusing landmarks", "analysis", "report", "finished"]
STAGES: dict[Stage, str] = {
    "starting": "Starting the analysis",
    "pose": "Finding the person in each frame (pose model)",
    "reusing landmarks": "Reading the saved landmarks (no pose model needed)",
    "analysis": "Measuring the knees rep by rep",
    "report": "Writing the report and the annotated video",
    "finished": "Finished",
}


@dataclass(frozen=True)
class JobSpec:
    video: str  # a file name inside the session folder
    video_name: str  # the uploaded file's own name, for messages
    model: str
    thresholds: dict[str, float] = field(default_factory=dict)
    patient: dict[str, str] = field(default_factory=dict)
    workers: int | str = "auto"

    def write(self, session_dir: Path) -> Path:
        return write_text(session_dir / JOB, json.dumps(asdict(self), indent=1))

    @classmethod
    def read(cls, session_dir: Path) -> JobSpec:
        return cls(**json.loads((session_dir / JOB).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Progress:
    stage: Stage = "starting"
    done: int = 0
    total: int = 0
    eta_s: float | None = None
    started: float = 0.0
    updated: float = 0.0

    @property
    def label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def percent(self) -> float | None:
        """Frames done as a percentage in the pose stage; ``None`` when there is no frame count."""
        return 100.0 * self.done / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label, "percent": self.percent}


def read_progress(session_dir: Path) -> Progress | None:
    """The job's last progress report, or ``None`` (not started, or unreadable)."""
    try:
        data = json.loads((session_dir / PROGRESS).read_text(encoding="utf-8"))
        return Progress(**data)
    except (OSError, ValueError, TypeError):
        return None


class ProgressWriter:
    """The job's side: ``stage(name)`` and ``frames(done, total)``, throttled to a few writes a second."""

    def __init__(self, session_dir: Path, interval_s: float = 0.25) -> None:
        self.path = session_dir / PROGRESS
        self.interval_s = interval_s
        self.started = time.time()
        self._stage: Stage = "starting"
        self._stage_start = time.monotonic()
        self._last = 0.0
        self._write(0, 0, None)

    def _write(self, done: int, total: int, eta: float | None) -> None:
        report = Progress(self._stage, done, total, eta, self.started, time.time())
        write_text(self.path, json.dumps(asdict(report)))
        self._last = time.monotonic()

    def stage(self, stage: Stage) -> None:
        self._stage, self._stage_start = stage, time.monotonic()
        self._write(0, 0, None)

    def frames(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.interval_s:
            return
        elapsed = now - self._stage_start
        eta = (total - done) * elapsed / done if done > 0 else None
        self._write(done, total, eta)


def write_outcome(session_dir: Path, status: str, **fields: Any) -> Path:
    return write_text(session_dir / OUTCOME, json.dumps({"status": status, **fields}))


def read_outcome(session_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((session_dir / OUTCOME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None
