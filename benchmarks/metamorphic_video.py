"""Video-level metamorphic check: transformed copies of real clips, through the pose model, give the same reps.

The CI tests (tests/integration/test_metamorphic.py) transform the *landmarks*; they test the
analysis after the pose model. This benchmark transforms the *video* and runs the pose model
again, so the model's own response to a mirrored, re-timed, smaller or cropped picture is
part of what is measured. Each variant is re-encoded with PyAV (libx264, CRF 18) into
``benchmarks/out/metamorphic/`` (git-ignored, reused between runs):

* ``mirrored``: every frame flipped left-right (expected: the other leg on every rep);
* ``vfr``: every third frame dropped, the others keep their timestamps;
* ``fps60``: every frame shown twice at double rate (a 60 fps copy of a 30 fps clip);
* ``small``: scaled to 480 px on the longer side;
* ``crop``: the bottom 12 % of the picture cut away (feet partly out of frame; expected: no
  rep lost, leads may become unknown);
* ``zoom``: a slow zoom to 1.3x about the centre over the whole clip.

Run::

    .venv/bin/python -m benchmarks.metamorphic_video --model lite [--clips a.mp4,b.mp4]

Prints, per clip and variant, whether the rep count, bottoms (±0.15 s) and legs agree with
the original clip's result, and writes benchmarks/out/metamorphic_<model>.json.
"""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lunge_screen.api import extract
from lunge_screen.io.frames import to_rgb
from lunge_screen.pipeline import analyse_series
from lunge_screen.track.series import LandmarkSeries

from .common import OUT, SHARED_VIDEOS, machine_info

VARIANTS = ("mirrored", "vfr", "fps60", "small", "crop", "zoom")
TOL_S = 0.15
OTHER = {"left": "right", "right": "left"}


def _transform(img: np.ndarray, variant: str, k: int, n: int) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    if variant == "mirrored":
        return cv2.flip(img, 1)  # a C loop: numpy's reversed-stride copy of a 720p frame costs ~7 ms
    if variant == "small":
        s = 480 / max(h, w)
        return cv2.resize(img, (round(w * s) // 2 * 2, round(h * s) // 2 * 2), interpolation=cv2.INTER_AREA)
    if variant == "crop":
        return img[: int(h * 0.88) // 2 * 2]
    if variant == "zoom":
        z = 1.0 + 0.3 * k / max(1, n - 1)
        cw, ch = int(w / z), int(h / z)
        x0, y0 = (w - cw) // 2, (h - ch) // 2
        return cv2.resize(img[y0 : y0 + ch, x0 : x0 + cw], (w, h), interpolation=cv2.INTER_LINEAR)
    return img


def _i420(img: np.ndarray) -> np.ndarray:
    """RGB -> planar YUV 4:2:0 (BT.601, limited range: what PyAV's own conversion gives), in OpenCV's
    C code: PyAV's per-frame software scaler was most of a variant's encoding time."""
    import cv2

    return cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2YUV_I420)


def make_variant(src: Path, variant: str, dst: Path) -> Path:
    """Write ``variant`` of ``src`` to ``dst`` (an H.264 MP4), unless it exists."""
    if dst.exists():
        return dst
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(".part.mp4")
    with av.open(str(src)) as inp:
        ist = inp.streams.video[0]
        # as displayed: rotation metadata applied (the variant is written upright, without it)
        frames = [to_rgb(f, f.width, f.height) for f in inp.decode(ist)]
        times = [float(f) for f in _times(src)]
    rate = Fraction(1000)  # ms time base: any timestamps, VFR included
    with av.open(str(tmp), "w") as out:
        first = _transform(frames[0], variant, 0, len(frames))
        ost = out.add_stream("libx264", rate=rate)  # a 1 ms time base keeps every timestamp
        ost.width, ost.height, ost.pix_fmt = first.shape[1], first.shape[0], "yuv420p"
        ost.time_base = 1 / rate
        ost.options = {"crf": "18", "preset": "veryfast"}
        pts_list: list[tuple[int, np.ndarray]] = []
        for k, (img, t) in enumerate(zip(frames, times)):
            if variant == "vfr" and k % 3 == 2:
                continue
            img = _transform(img, variant, k, len(frames))
            pts_list.append((round(t * 1000), img))
            if variant == "fps60" and k + 1 < len(times):
                pts_list.append((round((t + 0.5 * (times[k + 1] - t)) * 1000), img))
        for pts, img in pts_list:
            frame = av.VideoFrame.from_ndarray(_i420(img), format="yuv420p")
            frame.pts, frame.time_base = pts, 1 / rate
            for packet in ost.encode(frame):
                out.mux(packet)
        for packet in ost.encode():
            out.mux(packet)
    tmp.replace(dst)
    return dst


def _times(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        st = c.streams.video[0]
        ts = [float((f.pts or 0) * st.time_base) for f in c.decode(st)]
    return [t - ts[0] for t in ts]


def reps_of(video: Path, model: str, cache: Path) -> list[tuple[float, str]]:
    npz = cache / f"{video.stem}_{model}.npz"
    if not npz.exists():
        extract(video, model=model).save(npz)
    return [(r.bottom_s, r.lead) for r in analyse_series(LandmarkSeries.load(npz)).result.reps]


def agree(orig: list, got: list, variant: str) -> dict:
    same_count = len(orig) == len(got)
    times = same_count and bool(np.allclose([t for t, _ in orig], [t for t, _ in got], atol=TOL_S))
    want = [OTHER.get(lead, lead) if variant == "mirrored" else lead for _, lead in orig]
    legs = same_count and [lead for _, lead in got] == want
    return {"count": same_count, "bottoms": times, "legs": legs, "ours": got}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="lite")
    p.add_argument("--clips", default="", help="comma-separated clip names (default: every clip)")
    p.add_argument("--variants", default=",".join(VARIANTS))
    args = p.parse_args(argv)
    clips = args.clips.split(",") if args.clips else sorted(x.name for x in SHARED_VIDEOS.glob("*.mp4"))
    work = OUT / "metamorphic"
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    results: dict = {}
    for clip in clips:
        orig = reps_of(SHARED_VIDEOS / clip, args.model, work)
        results[clip] = {"original": orig}
        for variant in args.variants.split(","):
            video = make_variant(SHARED_VIDEOS / clip, variant, work / f"{Path(clip).stem}__{variant}.mp4")
            r = agree(orig, reps_of(video, args.model, work), variant)
            results[clip][variant] = r
            ok = "ok" if r["count"] and r["bottoms"] and r["legs"] else "DIFFERS"
            print(f"{clip:50s} {variant:9s} {ok:8s} count={r['count']} bottoms={r['bottoms']} legs={r['legs']}")
    cells = [v for c in results.values() for k, v in c.items() if k != "original"]
    summary = {
        "machine": machine_info(),
        "model": args.model,
        "seconds": round(time.time() - t0),
        "agree_all": sum(v["count"] and v["bottoms"] and v["legs"] for v in cells),
        "agree_count": sum(v["count"] for v in cells),
        "cases": len(cells),
    }
    print(json.dumps(summary, indent=2))
    (OUT / f"metamorphic_{args.model}.json").write_text(json.dumps({"summary": summary, "clips": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
