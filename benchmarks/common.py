"""Helpers shared by the benchmark scripts: where the clips are, machine description, decoding."""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import platform
import subprocess
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
#: The shared test clips (``../shared/videos`` from the project root); override with LUNGE_SCREEN_SHARED.
SHARED = Path(os.environ.get("LUNGE_SCREEN_SHARED", ROOT.parent / "shared"))
SHARED_VIDEOS = SHARED / "videos"
OUT = Path(__file__).resolve().parent / "out"


def cpu_model() -> str:
    """The CPU's model name (Linux ``/proc/cpuinfo``), or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cores() -> int:
    """Cores this process may run on (affinity mask), at least 1."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def git_commit() -> str:
    """The working tree's commit (with ``+dirty`` when it has changes), or ``""``."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return sha.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return ""


def machine_info() -> dict:
    """Machine, software versions, date and current load average (1/5/15 min)."""
    import av
    import cv2
    import mediapipe

    mem = 0
    with contextlib.suppress(ValueError, OSError, AttributeError):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": usable_cores(),
        "memory_gb": round(mem / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "mediapipe": mediapipe.__version__,
        "av": av.__version__,
        "opencv": cv2.__version__,
        "numpy": np.__version__,
        "commit": git_commit(),
        "loadavg": list(os.getloadavg()),
    }


def decode_all(path: Path, info, max_side: int | None, limit: int | None = None) -> list:
    """Every frame of ``path`` (or the first ``limit``) as :class:`lunge_screen.video.Frame`, in memory."""
    from lunge_screen.io.video import iter_frames

    indices = None if limit is None else np.arange(min(limit, info.n_frames))
    return list(iter_frames(path, info=info, indices=indices, max_side=max_side))
