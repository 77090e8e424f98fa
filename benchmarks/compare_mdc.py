"""How the smallest detectable change (MDC95) of ``lunge-screen compare`` behaves: simulated and on the real clips.

One command::

    python benchmarks/compare_mdc.py [--shared ../shared] [--pairs 40000]

1. **Simulation** (normal rep-to-rep noise, no change between two sessions of ``n`` reps each):
   the fraction of pairs judged changed with the t quantile (the default) and with the
   normal 1.96; and, with the t quantile, the true change (in rep-to-rep SDs) detected in
   80 % of pairs.
2. **Real clips** (``../shared``, full model, default settings): each leg's rep-to-rep SD
   of the peak knee-over-foot where a clip has at least three reliable reps of that leg,
   and the MDC95 it gives between two such sessions of 3, 5 and 8 reps.

Prints Markdown tables (quoted in docs/measurement.md#comparing-sessions) and writes
``benchmarks/out/compare_mdc.json``. Landmarks are cached in ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lunge_screen.compare.stats import RepStats, median_se_factor, smallest_detectable_change  # noqa: E402

REPS = (2, 3, 4, 5, 8, 12)
#: Deliberate "knees in" squats, then "knees out": two patterns, each its own session here.
TWO_PATTERNS = "squat_front_valgus_then_neutral.mp4"
CLIPS = (
    "curtsy_lunge_front.mp4",
    "lunge_front_lowres_18fps.mp4",
    "lunge_front_portrait.mp4",
    "squat_front_valgus_then_neutral.mp4",
    "single_leg_squat_front_blue_jacket.mp4",
    "single_leg_squat_front_gym_good_bad.mp4",
    "lateral_reach_single_leg_squat_front.mp4",
    "split_squat_valgus_demo_splitscreen_portrait.mp4",
)


def _vectorised_mdc(a: np.ndarray, b: np.ndarray, kind: str) -> np.ndarray:
    """MDC95 of every simulated pair (rows), as lunge_screen.compare.stats computes it for one pair."""
    from scipy import stats as st

    n1, n2 = a.shape[1], b.shape[1]
    v1 = median_se_factor(n1) ** 2 * a.var(axis=1, ddof=1) / n1
    v2 = median_se_factor(n2) ** 2 * b.var(axis=1, ddof=1) / n2
    if kind == "normal":
        q = st.norm.ppf(0.975)
    else:
        q = st.t.ppf(0.975, (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)))
    return q * np.sqrt(v1 + v2)


def _check_against_package(rng: np.random.Generator) -> None:
    """The vectorised MDC above equals the package's own on a few pairs (so the tables describe the package)."""
    for n in (2, 3, 5):
        a, b = rng.standard_normal((3, n)), rng.standard_normal((3, n))
        fast = _vectorised_mdc(a, b, "t")
        for i in range(3):
            parts = [RepStats(n, 0.0, float(np.std(x[i], ddof=1)), None) for x in (a, b)]
            parts = [RepStats(p.n, 0.0, p.sd, median_se_factor(n) * p.sd / math.sqrt(n)) for p in parts]
            assert math.isclose(smallest_detectable_change(parts), fast[i], rel_tol=1e-9)


def simulate(pairs: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    _check_against_package(rng)
    rows = []
    for n in REPS:
        a, b = rng.standard_normal((pairs, n)), rng.standard_normal((pairs, n))
        d = np.median(b, axis=1) - np.median(a, axis=1)
        row = {"reps": n}
        for kind in ("t", "normal"):
            row[f"false_{kind}"] = float(np.mean(np.abs(d) > _vectorised_mdc(a, b, kind)))
        mdc = _vectorised_mdc(a, b, "t")
        # Power: a true change delta moves d by delta; find the delta detected in 80 % of pairs.
        deltas = np.linspace(0, 20, 801)
        power = np.array([np.mean(np.abs(d + x) > mdc) for x in deltas])
        row["change_80_sd"] = float(deltas[np.argmax(power >= 0.8)]) if (power >= 0.8).any() else math.inf
        row["median_mdc_sd"] = float(np.median(mdc))
        rows.append(row)
    return rows


def real_sds(shared: Path) -> list[dict]:
    """Rep-to-rep SD of the peak knee-over-foot per clip and leg (legs with at least 3 reliable reps)."""
    from lunge_screen.api import extract
    from lunge_screen.compare.build import leg_session
    from lunge_screen.pipeline import analyse_series
    from lunge_screen.track.series import LandmarkSeries

    cache = ROOT / "benchmarks" / "out"
    cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for clip in CLIPS:
        video = shared / "videos" / clip
        if not video.is_file():
            continue
        path = cache / f"full_{clip}.npz"
        if not path.is_file():
            extract(video).save(path)
        result = analyse_series(LandmarkSeries.load(path)).result
        for part, reps in _parts(clip, result.reps, shared):
            one = dataclasses.replace(result, reps=reps)
            for leg in ("left", "right"):
                s = leg_session(one, leg, 0)
                if s.n_reliable >= 3:
                    rows.append({"clip": clip + part, "leg": leg, "reps": s.n_reliable, "median": s.median, "sd": s.sd})
    return rows


def _parts(clip: str, reps: list, shared: Path) -> list[tuple[str, list]]:
    """The clip's reps; the two-pattern squat clip split where its annotation's labels change (as in the tests)."""
    if clip != TWO_PATTERNS:
        return [("", reps)]
    ann = json.loads((shared / "annotations" / "annotations.json").read_text(encoding="utf-8"))[clip]["reps"]
    last_in = [r["end_t"] for r in ann if "moving In" in r["label"] and r.get("end_t") is not None][-1]
    first_out = next(r["start_t"] for r in ann if "following" in r["label"])
    split = (last_in + first_out) / 2
    return [
        (" (knees in)", [r for r in reps if r.bottom_s < split]),
        (" (knees out)", [r for r in reps if r.bottom_s > split]),
    ]


def _mdc_for(sd: float, n: int) -> float:
    part = RepStats(n, 0.0, sd, median_se_factor(n) * sd / math.sqrt(n))
    return smallest_detectable_change([part, part])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--pairs", type=int, default=40000)
    args = ap.parse_args()
    sim = simulate(args.pairs)
    print("| reps per session | unchanged legs called changed, t (default) | with 1.96 | median MDC95 (SDs) "
          "| change found in 80 % of pairs (SDs) |")  # fmt: skip
    print("|---|---|---|---|---|")
    for r in sim:
        print(f"| {r['reps']} | {r['false_t']:.1%} | {r['false_normal']:.1%} | {r['median_mdc_sd']:.2f} "
              f"| {r['change_80_sd']:.2f} |")  # fmt: skip
    real = real_sds(args.shared)
    print("\n| clip | leg | reliable reps | median peak | rep-to-rep SD | MDC95, 3 vs 3 reps | 5 vs 5 | 8 vs 8 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in real:
        mdcs = " | ".join(f"{_mdc_for(r['sd'], n):.2f}" for n in (3, 5, 8))
        print(f"| {r['clip']} | {r['leg']} | {r['reps']} | {r['median']:+.2f} | {r['sd']:.3f} | {mdcs} |")
    if real:
        sd = float(np.median([r["sd"] for r in real]))
        mdcs = " / ".join(f"{_mdc_for(sd, n):.2f}" for n in (3, 5, 8))
        print(f"\nmedian rep-to-rep SD over {len(real)} clip legs: {sd:.3f} (MDC95 at 3 / 5 / 8 reps: {mdcs})")
    out = ROOT / "benchmarks" / "out" / "compare_mdc.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"simulation": sim, "real": real}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
