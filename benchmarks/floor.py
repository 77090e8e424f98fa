"""The bare single-stream inference floor: frames already decoded in memory, one landmarker, a tight loop.

The frames are the full-size RGB frames the tutorial loop feeds (decoded before
the clock starts). Only as many frames as fit in ``--budget-mb`` are held (a 4K
RGB frame is 25 MB), so for long or 4K clips the floor is measured on the first
frames and scaled to the clip's length (``extrapolated`` in the output)::

    .venv/bin/python -m benchmarks.floor VIDEO [--model full] [--budget-mb 1500]

Prints one ``BENCH-JSON {...}`` line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("video")
    p.add_argument("--model", default="full")
    p.add_argument("--budget-mb", type=float, default=1500.0, help="memory for decoded frames (MB)")
    args = p.parse_args(argv)

    import numpy as np

    from lunge_screen.io.models import resolve_model
    from lunge_screen.io.video import iter_frames, probe
    from lunge_screen.pose.estimator import PoseEstimator, quiet_native_stderr
    from lunge_screen.settings import ExtractSettings

    info = probe(args.video)
    per_frame_mb = info.width * info.height * 3 / 2**20
    limit = max(30, min(info.n_frames, int(args.budget_mb / per_frame_mb)))
    frames = list(iter_frames(args.video, info=info, indices=np.arange(limit), max_side=None, threads=False))
    with quiet_native_stderr(), PoseEstimator(resolve_model(args.model), ExtractSettings(max_side=None)) as est:
        c0, t0 = time.process_time(), time.perf_counter()
        for f in frames:
            est.detect(f, info.width, info.height)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(frames)
    record = {
        "frames_measured": n,
        "frames": info.n_frames,
        "extrapolated": n < info.n_frames,
        "ms_per_frame": 1000 * wall / n,
        "cpu_ms_per_frame": 1000 * cpu / n,
        "floor_s": wall / n * info.n_frames,
        "loadavg": list(os.getloadavg()),
    }
    print("BENCH-JSON " + json.dumps(record), flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip MediaPipe's slow teardown; nothing left to write


if __name__ == "__main__":
    sys.exit(main())
