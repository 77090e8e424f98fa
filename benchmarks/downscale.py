"""Does shrinking frames before MediaPipe change the landmarks or the findings? And what does it save?

For each clip, the landmarks are extracted (one process, full model) with the
frames' longer side capped at ``None`` (full size), 1920, 1280, 960, 640 and 480
pixels, and compared with the full-size result: landmark differences in
full-frame pixels (shoulders, hips, knees, ankles, heels, feet; frames where both
found the person), and the analysis findings (reps, lead legs, categories,
knee-over-foot peaks). Also the per-frame cost of conversion and inference.

A second full-size run with FFmpeg's RGB conversion instead of OpenCV's (a change
of about one grey level per pixel that no one would call material) gives the
**noise floor**: MediaPipe's tracking amplifies any change of input into small
persistent landmark differences, so a size is harmless when its differences stay
at that floor.

Run::

    .venv/bin/python -m benchmarks.downscale [--clips a.mp4,b.mp4] [--sizes 0,1920,1280,960,640,480]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from pathlib import Path

import numpy as np

from lunge_screen.io import video as video_mod
from lunge_screen.io.video import probe
from lunge_screen.pipeline import analyse_series
from lunge_screen.pose.extract import extract_landmarks
from lunge_screen.settings import ExtractSettings

from .clips import make_clip
from .common import OUT, SHARED_VIDEOS, machine_info

KEY_LANDMARKS = [11, 12, *range(23, 33)]
SIZES = (0, 1920, 1280, 960, 640, 480)
CLIPS = (
    "squat_front_valgus_then_neutral.mp4",
    "lunge_front_portrait.mp4",
    "lunge_front_portrait_rotated_meta.mp4",
    "walking_lunge_near_front.mp4",
    "curtsy_lunge_front.mp4",
    "reverse_lunge_side_view.mp4",
    "multi_person_side_vp9.mp4",
    "lunge_front_lowres_18fps.mp4",
)


@contextlib.contextmanager
def ffmpeg_rgb():
    """Convert frames with FFmpeg's scaler (PyAV ``to_ndarray``) instead of OpenCV, for the noise floor."""
    original = video_mod.to_rgb

    def swscale(frame, width, height):
        img = frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
        rot = int(round(getattr(frame, "rotation", 0) or 0)) % 360
        if rot in video_mod._ROTATE:
            img = video_mod.cv2.rotate(img, video_mod._ROTATE[rot])
        return np.ascontiguousarray(img)

    video_mod.to_rgb = swscale
    try:
        yield
    finally:
        video_mod.to_rgb = original


def findings(series) -> dict:
    """The analysis result in comparable form: reps (bottom frame, lead, per-leg category and KOF peak)."""
    r = analyse_series(series).result
    reps = []
    for rep in r.reps:
        legs = {m.leg: (m.category, m.knee_over_foot_peak) for m in rep.legs}
        reps.append({"bottom": rep.bottom_frame, "lead": rep.lead, "legs": legs})
    return {"pattern": r.finding.pattern, "reps": reps}


def compare(ref, other) -> dict:
    """Landmark differences (px) and findings agreement between two series of the same frames."""
    a, b = ref.image[:, 0][:, KEY_LANDMARKS, :2], other.image[:, 0][:, KEY_LANDMARKS, :2]
    d = np.linalg.norm(a - b, axis=-1)
    both = ~np.isnan(d)
    fa, fb = findings(ref), findings(other)
    same_reps = [(x["bottom"], x["lead"]) for x in fa["reps"]] == [(x["bottom"], x["lead"]) for x in fb["reps"]]
    cats = [{k: v[0] for k, v in x["legs"].items()} for x in fa["reps"]]
    cats_b = [{k: v[0] for k, v in x["legs"].items()} for x in fb["reps"]]
    kof = [
        abs(x["legs"][leg][1] - y["legs"][leg][1])
        for x, y in zip(fa["reps"], fb["reps"])
        for leg in x["legs"]
        if leg in y["legs"] and x["legs"][leg][1] is not None and y["legs"][leg][1] is not None
    ]
    found_a, found_b = ~np.isnan(a[:, 0, 0]), ~np.isnan(b[:, 0, 0])
    return {
        "median_px": float(np.median(d[both])) if both.any() else None,
        "p95_px": float(np.percentile(d[both], 95)) if both.any() else None,
        "max_px": float(np.max(d[both])) if both.any() else None,
        "found_mismatch_frames": int(np.sum(found_a != found_b)),
        "n_reps": (len(fa["reps"]), len(fb["reps"])),
        "same_reps_and_leads": bool(same_reps),
        "bottom_shift_frames": [y["bottom"] - x["bottom"] for x, y in zip(fa["reps"], fb["reps"])],
        "same_categories": cats == cats_b,
        "pattern": (fa["pattern"], fb["pattern"]),
        "kof_peak_max_abs_diff": max(kof) if kof else None,
    }


def run(path: Path, sizes, model: str) -> dict:
    """Extract ``path`` at every size; compare each with the full-size result."""
    info = probe(path)
    out: dict = {"clip": path.name, "size": [info.width, info.height], "frames": info.n_frames, "by_size": {}}
    series = {}
    for size in (0, *[s for s in sizes if s]):
        if size and size >= max(info.width, info.height):
            continue
        timings: dict = {}
        t0 = time.perf_counter()
        series[size] = extract_landmarks(
            path, model=model, settings=ExtractSettings(max_side=size or None), timings=timings
        )
        n = timings["frames"]
        out["by_size"][size] = {
            "seconds": time.perf_counter() - t0,
            "convert_ms_per_frame": 1000 * timings["convert_s"] / n,
            "decode_ms_per_frame": 1000 * timings["decode_s"] / n,
            "inference_ms_per_frame": 1000 * timings["inference_s"] / n,
        }
    with ffmpeg_rgb():
        noise = extract_landmarks(path, model=model, settings=ExtractSettings(max_side=None))
    out["noise_floor"] = compare(series[0], noise)
    for size, s in series.items():
        if size:
            out["by_size"][size].update(compare(series[0], s))
    return out


def clip_paths(names: list[str], with_made: bool) -> list[Path]:
    paths = [SHARED_VIDEOS / n for n in names]
    if with_made:
        src = SHARED_VIDEOS / "squat_front_valgus_then_neutral.mp4"
        paths += [make_clip(src, height=1080), make_clip(src, height=2160)]
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clips", default=",".join(CLIPS), help="comma-separated names in ../shared/videos")
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="longer-side caps to try (0 = full size)")
    p.add_argument("--no-made", action="store_true", help="skip the upscaled 1080p and 4K copies of the squat clip")
    p.add_argument("--model", default="full")
    p.add_argument("--json", default=str(OUT / "downscale.json"))
    args = p.parse_args(argv)
    os.environ.setdefault("LUNGE_SCREEN_MODEL_DIR", str(SHARED_VIDEOS.parent / "models"))
    sizes = [int(s) for s in args.sizes.split(",")]
    machine = machine_info()
    results = []
    for path in clip_paths(args.clips.split(","), not args.no_made):
        r = run(path, sizes, args.model)
        results.append(r)
        print(f"\n{r['clip']} {r['size'][0]}x{r['size'][1]}")
        nf = r["noise_floor"]
        print(
            f"  noise floor (FFmpeg RGB): median {nf['median_px']:.2f} p95 {nf['p95_px']:.2f} max {nf['max_px']:.1f} px"
        )
        print(
            f"  {'side':>5} {'med':>5} {'p95':>6} {'max':>6} {'reps':>7} {'same':>5} {'cats':>5} {'KOFd':>6}"
            f" {'conv ms':>7} {'inf ms':>6}"
        )
        for size, m in r["by_size"].items():
            if not size:
                print(
                    f"  {'full':>5} {'':>5} {'':>6} {'':>6} {'':>7} {'':>5} {'':>5} {'':>6}"
                    f" {m['convert_ms_per_frame']:7.2f} {m['inference_ms_per_frame']:6.2f}"
                )
                continue
            kof = m["kof_peak_max_abs_diff"]
            kof_s = f"{kof:.3f}" if kof is not None else "-"
            reps = f"{m['n_reps'][0]}/{m['n_reps'][1]}"
            print(
                f"  {size:>5} {m['median_px']:5.2f} {m['p95_px']:6.2f} {m['max_px']:6.1f} {reps:>7} "
                f"{m['same_reps_and_leads']!s:>5} {m['same_categories']!s:>5} {kof_s:>6} "
                f"{m['convert_ms_per_frame']:7.2f} {m['inference_ms_per_frame']:6.2f}"
            )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"machine": machine, "results": results}, indent=1, default=str))
    print(f"\n-> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
