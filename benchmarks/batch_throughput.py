"""Batch throughput: ``lunge-screen batch`` over the shared clips with -j 1 and -j 2.

Usage (from the project root, with ../shared beside it)::

    LUNGE_SCREEN_MODEL_DIR=../shared/models .venv/bin/python benchmarks/batch_throughput.py

Each run is the real command in a subprocess, default analysis settings, a fresh
output folder and ``--force``. It prints a table and writes
``benchmarks/out/batch_throughput.json`` (git-ignored) with, per -j: videos/min and
frames/s over the whole command (what a user waits, including start-up and the
cohort table) and over the analysis alone (from the run log), plus the machine
(cores, CPU model, load average before the run), Python, MediaPipe and date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import cpu_model, usable_cores  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SHARED = Path(os.environ.get("LUNGE_SCREEN_SHARED", ROOT.parent / "shared"))


def machine() -> dict:
    import mediapipe

    import lunge_screen

    usable = usable_cores()
    return {
        "nproc": usable,
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "loadavg_before": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "mediapipe": mediapipe.__version__,
        "lunge_screen": lunge_screen.__version__,
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run(videos: Path, jobs: int, extra: list[str]) -> dict:
    out = OUT / "batch_throughput" / f"j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "lunge_screen", "batch", str(videos), "-o", str(out), "-j", str(jobs)]
    cmd += ["--force", "--quiet", *extra]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 11):
        sys.exit(f"batch -j {jobs} failed ({proc.returncode}):\n{proc.stderr}")
    end = [json.loads(line) for line in (out / "run_log.jsonl").read_text(encoding="utf-8").splitlines()][-1]
    n = end["processed"]
    return {
        "jobs": jobs,
        "videos": n,
        "failed": end["failed"],
        "frames": end["frames"],
        "wall_s": round(wall, 2),
        "work_s": end["work_seconds"],
        "videos_per_min": round(60 * n / wall, 2),
        "frames_per_s": round(end["frames"] / wall, 1),
        "videos_per_min_work": round(end["videos_per_min"], 2),
        "frames_per_s_work": round(end["frames_per_s"], 1),
        "loadavg_1min_before": load,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--videos", type=Path, default=SHARED / "videos", help="folder of clips (default ../shared/videos)")
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="-j values to measure (default 1 2)")
    p.add_argument("extra", nargs="*", help="more options for 'lunge-screen batch' (after --)")
    args = p.parse_args()
    if not args.videos.is_dir():
        sys.exit(f"{args.videos} not found (set LUNGE_SCREEN_SHARED or --videos)")
    os.environ.setdefault("LUNGE_SCREEN_MODEL_DIR", str(SHARED / "models"))
    info = machine()
    results = [run(args.videos, j, args.extra) for j in args.jobs]
    load = info["loadavg_before"]
    print(f"{info['cpu_model']}, {info['nproc']} usable cores, load {load}, mediapipe {info['mediapipe']}")
    print(f"{'-j':>3} {'videos':>6} {'frames':>7} {'wall s':>7} {'videos/min':>10} {'frames/s':>8}   (analysis only)")
    for r in results:
        print(
            f"{r['jobs']:>3} {r['videos']:>6} {r['frames']:>7} {r['wall_s']:>7.1f} {r['videos_per_min']:>10.1f} "
            f"{r['frames_per_s']:>8.1f}   ({r['videos_per_min_work']:.1f} videos/min, {r['frames_per_s_work']:.1f} f/s)"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "batch_throughput.json"
    path.write_text(json.dumps({"machine": info, "videos": str(args.videos), "runs": results}, indent=2) + "\n")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
