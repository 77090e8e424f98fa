"""The peer baseline: MediaPipe's tutorial loop (read -> convert -> detect_for_video, one thread).

What most pose tools do: ``cv2.VideoCapture`` reads a BGR frame, ``cv2.cvtColor``
makes it RGB, and the Pose Landmarker (VIDEO mode) runs on the full-size frame;
nothing overlaps. Run as its own process, so its wall time includes Python
start-up, imports and model load, like ``lunge-screen analyse``::

    .venv/bin/python -m benchmarks.tutorial VIDEO [--model full] [--limit N]

Prints one ``BENCH-JSON {...}`` line: frames, seconds in each part, load average.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("video")
    p.add_argument("--model", default="full", help="lite, full, heavy (from LUNGE_SCREEN_MODEL_DIR) or a .task path")
    p.add_argument("--limit", type=int, default=0, help="stop after this many frames (0 = all)")
    args = p.parse_args(argv)
    model = args.model
    if not model.endswith(".task"):
        model = os.path.join(os.environ.get("LUNGE_SCREEN_MODEL_DIR", "."), f"pose_landmarker_{model}.task")

    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    t_import = time.perf_counter()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=model), running_mode=vision.RunningMode.VIDEO
    )
    read = convert = infer = 0.0
    n = 0
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        t_model = time.perf_counter()
        cap = cv2.VideoCapture(args.video)
        fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        while cap.isOpened() and (not args.limit or n < args.limit):
            a = time.perf_counter()
            ok, bgr = cap.read()
            if not ok:
                break
            b = time.perf_counter()
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            c = time.perf_counter()
            landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), int(n * 1000 / fps))
            d = time.perf_counter()
            read, convert, infer, n = read + b - a, convert + c - b, infer + d - c, n + 1
        cap.release()
        t_loop = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    record = {
        "frames": n,
        "import_s": t_import - T0,
        "model_s": t_model - t_import,
        "loop_s": t_loop - t_model,
        "decode_s": read,
        "convert_s": convert,
        "inference_s": infer,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "loadavg": list(os.getloadavg()),
    }
    print("BENCH-JSON " + json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
