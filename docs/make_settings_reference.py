"""Write the table of defaults in docs/measurement.md from the code, so it cannot drift.

Run from the project root after changing a setting or a threshold::

    .venv/bin/python docs/make_settings_reference.py          # rewrite the block
    .venv/bin/python docs/make_settings_reference.py --check  # exit 1 if it is out of date

The block between ``<!-- settings:begin -->`` and ``<!-- settings:end -->`` is
replaced. Every field of the settings dataclasses needs a one-line meaning in
``MEANINGS`` below: a new setting without one stops this script, so it cannot
reach the docs undocumented.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import sys
from pathlib import Path

from lunge_screen import kinematics, measures
from lunge_screen.analysis import AnalysisSettings, find_cuts
from lunge_screen.reps import RepSettings, pelvis_depth
from lunge_screen.screening import Thresholds
from lunge_screen.signals import FilterSettings
from lunge_screen.view import ViewSettings

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "measurement.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"

MEANINGS = {
    # Thresholds: the screening cut-offs (CLI --threshold NAME=VALUE, API thresholds=)
    "Thresholds.over_foot_max": "knee-over-foot peak above this (shank lengths) is at least 'slightly medial'",
    "Thresholds.clearly_medial_min": "knee-over-foot peak at or above this is 'clearly medial'",
    "Thresholds.lateral_max": "a rep that is not medial, with knee-over-foot at the bottom below this, is 'lateral'",
    "Thresholds.sdd_knee_over_foot": "smallest detectable left-right difference of the median knee-over-foot peak",
    "Thresholds.sdd_fppa_deg": "smallest detectable left-right difference of the median FPPA (deg)",
    "Thresholds.min_reps_per_leg": "measured reps a leg needs before it can be judged",
    "Thresholds.inward_fraction": "a leg 'rolls inward' when more than this fraction of its measured reps are medial",
    "Thresholds.fppa_min_thigh_ratio": "FPPA is reported only where the projected thigh is at least this fraction of "
    "its standing length",
    "Thresholds.fppa_max_abs_deg": "FPPA beyond +- this (deg) is reported invalid: the thigh lies near-horizontal in "
    "the image (deep squat, spread knees) and the angle is geometry, not alignment",
    # AnalysisSettings: per-rep measurement
    "AnalysisSettings.subject": "who is screened when several people are seen (largest, center, left, right)",
    "AnalysisSettings.loaded_fraction": "a frame counts toward a rep's peak when the pelvis is at least this fraction "
    "of the rep's depth down ...",
    "AnalysisSettings.planted_speed": "... and the foot is planted: ankle slower than this (standing leg lengths/s)",
    "AnalysisSettings.sustained_s": "a peak must be held this long (s); shorter spikes are landmark jitter",
    "AnalysisSettings.edge_margin": "knee, ankle and toe must be this fraction of the frame inside its edges at the "
    "bottom",
    # RepSettings: repetition detection
    "RepSettings.min_depth": "a bottom is a peak of pelvis depth at least this high and this prominent "
    "(fraction of standing hip height)",
    "RepSettings.min_interval_s": "bottoms at least this far apart (s)",
    "RepSettings.standing_window_s": "standing hip height = running maximum over this window (s)",
    "RepSettings.boundary_fraction": "a rep starts/ends where depth falls back under this fraction of its peak",
    "RepSettings.min_duration_s": "shortest rep (s)",
    "RepSettings.max_duration_s": "longest rep (s)",
    "RepSettings.bilateral_knee_gap": "knees within this height difference (leg lengths) at the bottom: a squat "
    "(lead 'both')",
    "RepSettings.min_present_fraction": "the person must be detected in at least this fraction of the rep's frames",
    "RepSettings.min_knee_flexion_deg": "the more flexed knee must bend at least this much at the bottom (deg)",
    "RepSettings.min_relative_depth": "reps shallower than this fraction of the clip's median rep depth are dropped",
    "RepSettings.max_hip_travel": "reps whose pelvis travels sideways more than this (leg lengths) are dropped "
    "(walking across)",
    # ViewSettings
    "ViewSettings.frontal_max_yaw": "yaw up to this is a frontal (or rear) view (deg)",
    "ViewSettings.side_min_yaw": "yaw from this on is a side view; between the two, oblique (deg)",
    "ViewSettings.rep_change_deg": "a rep takes the clip's view unless its own yaw differs by more than this (deg): the camera moved",
    # FilterSettings: signal cleaning
    "FilterSettings.min_visibility": "landmarks the model sees with lower visibility are treated as missing",
    "FilterSettings.hampel_window_s": "Hampel outlier filter half-window (s)",
    "FilterSettings.hampel_sigmas": "Hampel threshold (scaled median absolute deviations)",
    "FilterSettings.max_gap_s": "gaps up to this long are interpolated; longer ones stay missing (s)",
    "FilterSettings.cutoff_hz": "zero-phase Butterworth low-pass cut-off (Hz; at most 40 % of the frame rate)",
    "FilterSettings.order": "Butterworth order",
}


def _fmt(v: object) -> str:
    return f"`{v}`" if not isinstance(v, float) else f"`{v:g}`"


def _table(cls: type, prefix: str) -> list[str]:
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    obj = cls()
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(getattr(obj, f.name)):
            continue
        key = f"{prefix}.{f.name}"
        if key not in MEANINGS:
            raise SystemExit(f"{key} has no meaning in docs/make_settings_reference.py: add one")
        rows.append(f"| `{f.name}` | {_fmt(getattr(obj, f.name))} | {MEANINGS[key]} |")
    return rows


def _default(func, name: str) -> object:
    return inspect.signature(func).parameters[name].default


def render_block() -> str:
    lines = [
        BEGIN,
        "<!-- Generated by docs/make_settings_reference.py from the code: do not edit by hand. -->",
        "",
        "**Screening thresholds** (`lunge_screen.Thresholds`; CLI `--threshold NAME=VALUE`, "
        'API `thresholds={"NAME": value}`)',
        "",
        *_table(Thresholds, "Thresholds"),
        "",
        "**Per-rep measurement** (`lunge_screen.AnalysisSettings`)",
        "",
        *_table(AnalysisSettings, "AnalysisSettings"),
        "",
        "**Repetitions** (`AnalysisSettings.reps`, `lunge_screen.reps.RepSettings`)",
        "",
        *_table(RepSettings, "RepSettings"),
        "",
        "**Camera view** (`AnalysisSettings.view`, `lunge_screen.view.ViewSettings`)",
        "",
        *_table(ViewSettings, "ViewSettings"),
        "",
        "**Signal cleaning** (`AnalysisSettings.filters`, `lunge_screen.signals.FilterSettings`)",
        "",
        *_table(FilterSettings, "FilterSettings"),
        "",
        "**Constants**",
        "",
        "| constant | value | meaning |",
        "|---|---|---|",
        f"| `kinematics.TOE_WEIGHT` | {_fmt(kinematics.TOE_WEIGHT)} | where the foot axis runs between the ankle (0) "
        "and the foot-index landmark (1) |",
        f"| `measures.MIN_ROLL_DEG` | {_fmt(measures.MIN_ROLL_DEG)} | smaller camera roll (deg) is left uncorrected |",
        f"| standing frames: knee flexion below | {_fmt(_default(measures.standing_frames, 'max_flexion'))} | "
        "deg, both knees (world landmarks) |",
        f"| standing frames: pelvis depth at most | {_fmt(_default(measures.standing_frames, 'max_depth'))} | "
        "or the clip's 20th percentile of depth, whichever is larger |",
        f"| pelvis depth window | {_fmt(_default(pelvis_depth, 'standing_window_s'))} | s (as "
        "`RepSettings.standing_window_s`) |",
        f"| edit cut: frame change above | {_fmt(_default(find_cuts, 'min_jump'))} | grey levels, and "
        f"{_fmt(_default(find_cuts, 'factor'))} x the clip's median change |",
        "",
        END,
    ]
    return "\n".join(lines)


def updated(text: str) -> str:
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{TARGET}: markers {BEGIN} / {END} not found")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + render_block() + tail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the block is out of date instead of writing it")
    args = ap.parse_args(argv)
    current = TARGET.read_text(encoding="utf-8")
    new = updated(current)
    if args.check:
        if new != current:
            print(f"{TARGET.relative_to(ROOT)}: settings table out of date: run python {__file__}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(new, encoding="utf-8")
    print(f"wrote the settings table in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
