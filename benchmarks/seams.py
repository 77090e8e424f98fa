"""How many warm-up frames a parallel segment needs before its landmarks match the single stream.

MediaPipe's VIDEO mode carries state from frame to frame (the region of interest
tracked from the previous landmarks, and a smoothing filter). A segment analysed
by its own landmarker starts without that state, so its first frames differ from
the single-stream result. For seams at several places in each clip, this runs a
fresh landmarker from ``k`` frames before the seam and compares the landmarks at
and after the seam with the single-stream ones.

Run::

    .venv/bin/python -m benchmarks.seams [--clips a.mp4,b.mp4] [--json benchmarks/out/seams.json]

Prints, for each warm-up length ``k``, the landmark difference (px, full-frame
pixels) in the first 10 frames after the seam and in the 50 after that.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from lunge_screen.io.models import resolve_model
from lunge_screen.io.video import probe
from lunge_screen.pose.estimator import PoseEstimator, quiet_native_stderr
from lunge_screen.settings import DEFAULT_MAX_SIDE, ExtractSettings

from .common import SHARED_VIDEOS, decode_all, machine_info

#: Landmarks the analysis uses: shoulders, hips, knees, ankles, heels, feet.
KEY_LANDMARKS = [11, 12, *range(23, 33)]
WARMUPS = (0, 5, 10, 15, 30, 45)
CLIPS = (
    "squat_front_valgus_then_neutral.mp4",
    "lunge_front_portrait.mp4",
    "walking_lunge_near_front.mp4",
    "curtsy_lunge_front.mp4",
)
AFTER = 60  # frames compared after each seam
TRANSIENT = 10  # the first frames after a seam, reported separately


def _run(estimator: PoseEstimator, frames, width: int, height: int) -> np.ndarray:
    """Image landmarks of the first person, ``(n, 33, 2)`` px."""
    return np.array([estimator.detect(f, width, height)[0][0, :, :2] for f in frames])


def seam_errors(path: Path, model: str, max_side: int | None, n_seams: int = 5) -> dict:
    """Per warm-up length, landmark errors (px) after ``n_seams`` seams spread over ``path``."""
    info = probe(path)
    frames = decode_all(path, info, max_side)
    resolved, settings = resolve_model(model), ExtractSettings(max_side=max_side)
    with quiet_native_stderr(), PoseEstimator(resolved, settings) as est:
        ref = _run(est, frames, info.width, info.height)
    n = len(frames)
    seams = np.linspace(max(WARMUPS), n - AFTER, n_seams).astype(int)
    out: dict = {"clip": path.name, "frames": n, "seams": seams.tolist(), "by_warmup": {}}
    for k in WARMUPS:
        first, rest = [], []
        for s in seams:
            with quiet_native_stderr(), PoseEstimator(resolved, settings) as est:
                seg = _run(est, frames[s - k : s + AFTER], info.width, info.height)[k:]
            d = np.linalg.norm(seg[:, KEY_LANDMARKS] - ref[s : s + AFTER, KEY_LANDMARKS], axis=-1)
            first.append(d[:TRANSIENT])
            rest.append(d[TRANSIENT:])
        first_a, rest_a = np.concatenate(first), np.concatenate(rest)
        out["by_warmup"][k] = {
            "first10_median_px": float(np.nanmedian(first_a)),
            "first10_p95_px": float(np.nanpercentile(first_a, 95)),
            "first10_max_px": float(np.nanmax(first_a)),
            "after_median_px": float(np.nanmedian(rest_a)),
            "after_p95_px": float(np.nanpercentile(rest_a, 95)),
            "after_max_px": float(np.nanmax(rest_a)),
            "exact_fraction": float(np.mean(np.nan_to_num(np.concatenate([first_a, rest_a]), nan=1) == 0)),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clips", default=",".join(CLIPS), help="comma-separated names in ../shared/videos")
    p.add_argument("--model", default="full")
    p.add_argument("--max-side", type=int, default=DEFAULT_MAX_SIDE)
    p.add_argument("--json", default=str(Path(__file__).parent / "out" / "seams.json"))
    args = p.parse_args(argv)
    os.environ.setdefault("LUNGE_SCREEN_MODEL_DIR", str(SHARED_VIDEOS.parent / "models"))
    results = [seam_errors(SHARED_VIDEOS / c, args.model, args.max_side or None) for c in args.clips.split(",")]
    print(f"{'clip':<36} {'k':>3} {'first10 med/p95/max px':>24} {'after med/p95/max px':>22} {'exact':>6}")
    for r in results:
        for k, m in r["by_warmup"].items():
            print(
                f"{r['clip']:<36} {k:>3} {m['first10_median_px']:7.2f} {m['first10_p95_px']:7.2f} "
                f"{m['first10_max_px']:7.1f}  {m['after_median_px']:6.2f} {m['after_p95_px']:6.2f} "
                f"{m['after_max_px']:7.1f} {m['exact_fraction']:6.2f}"
            )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"machine": machine_info(), "results": results}, indent=1))
    print(f"-> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
