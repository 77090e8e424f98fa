"""Per-clip before/after of two checkouts' rep detectors on the same cached landmarks (one model).

    git worktree add /tmp/before b63efb0
    python benchmarks/compare_checkouts.py /tmp/before . [--model full]

Prints one Markdown row per referenced clip: rep count in range, matched/detected bottoms,
working legs right, phantom reps -- before → after -- so a gain on one clip that costs another
shows. Scoring: benchmarks/rep_scoring.py; landmarks: benchmarks/out/landmarks/{model}_{clip}.npz.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rep_scoring import load_references, score_clip  # noqa: E402


def _scores(root: str, refs: dict, model: str, cache: Path) -> dict:
    for name in [k for k in sys.modules if k == "lunge_screen" or k.startswith("lunge_screen.")]:
        del sys.modules[name]
    sys.path.insert(0, str(Path(root).resolve()))
    try:
        from lunge_screen.pipeline import analyse_series
        from lunge_screen.track.series import LandmarkSeries

        out = {}
        for clip, ref in sorted(refs.items()):
            result = analyse_series(LandmarkSeries.load(cache / f"{model}_{clip}.npz")).result
            out[clip] = score_clip(ref, result.reps, result.view)
        return out
    finally:
        sys.path.pop(0)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--model", default="full")
    p.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    p.add_argument("--cache", default=str(HERE / "out" / "landmarks"))
    args = p.parse_args(argv)
    refs = load_references(Path(args.shared) / "annotations")
    before = _scores(args.before, refs, args.model, Path(args.cache))
    after = _scores(args.after, refs, args.model, Path(args.cache))
    print(f"| clip ({args.model}) | count in range | matched/detected | working leg | phantom |")
    print("|---|---|---|---|---|")
    mark = {True: "✓", False: "✗"}
    for clip, x in before.items():
        y = after[clip]
        print(
            f"| {clip.removesuffix('.mp4')} | {mark[x.count_ok]} → {mark[y.count_ok]} "
            f"| {x.matched}/{x.n_detected} → {y.matched}/{y.n_detected} "
            f"| {x.leads_right}/{x.leads_scored} → {y.leads_right}/{y.leads_scored} | {x.phantom} → {y.phantom} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
