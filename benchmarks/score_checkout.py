"""Score another checkout's rep detector with today's scoring (for before/after tables).

    git worktree add /tmp/before b63efb0
    python benchmarks/score_checkout.py /tmp/before [--cache benchmarks/out/landmarks]

Imports ``lunge_screen`` from the given checkout, analyses the cached landmarks of every
referenced clip (the same files benchmarks/agreement.py uses: ``{model}_{clip}.npz``) and
prints one summary row per model, scored by this checkout's benchmarks/rep_scoring.py, and how
far the models agree with each other on the same clips (``rep_scoring.model_agreement``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("checkout")
    p.add_argument("--shared", default=str(HERE.parents[0].parent / "shared"))
    p.add_argument("--cache", default=str(HERE / "out" / "landmarks"))
    p.add_argument("--models", nargs="+", default=["lite", "full", "heavy"])
    args = p.parse_args(argv)
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(Path(args.checkout).resolve()))
    from rep_scoring import agreement_totals, load_references, score_clip, totals

    from lunge_screen.pipeline import analyse_series
    from lunge_screen.track.series import LandmarkSeries

    refs = load_references(Path(args.shared) / "annotations")
    print("| model | rep count in range | precision / recall | lead leg | phantom | kind (frontal) | view |")
    print("|---|---|---|---|---|---|---|")
    detected: dict[str, dict[str, list]] = {}
    for model in args.models:
        scores = []
        for clip, ref in sorted(refs.items()):
            result = analyse_series(LandmarkSeries.load(Path(args.cache) / f"{model}_{clip}.npz")).result
            scores.append(score_clip(ref, result.reps, result.view))
            detected.setdefault(clip, {})[model] = scores[-1].detected
        t = totals(scores)
        print(
            f"| {model} | {t['count_ok']}/{t['clips']} | {t['precision']:.2f} / {t['recall']:.2f} "
            f"| {t['leads_right']}/{t['leads_scored']} | {t['phantom']} | {t['kinds_right']}/{t['kinds_scored']} "
            f"| {t['views_right']}/{t['views_scored']} |"
        )
    if {"lite", "full", "heavy"} <= set(args.models):
        tot = agreement_totals(detected)
        print(
            f"\nlite, full and heavy: same rep count on {tot['same_count']}/{tot['clips']} clips; {tot['shared']} of "
            f"{tot['distinct']} distinct reps found by all three; same working leg on {tot['same_lead']}, "
            f"same kind on {tot['same_kind']} of those"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
