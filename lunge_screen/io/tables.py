"""``session.json``, ``reps.csv`` and ``frames.csv``: the stable machine-readable outputs.

Column names and units are part of the public contract (docs/schema.md). Empty CSV
cells mean "not measured" (withheld or invalid), never zero.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..results import LegMeasures, SessionResult
from .atomic import write_text
from .session import write_session

REP_COLUMNS = [
    "rep", "kind", "leg", "lead", "lead_confidence", "start_frame", "bottom_frame", "end_frame",
    "start_s", "bottom_s", "end_s", "depth", "view", "yaw_deg", "category", "withheld_reason",
    "knee_over_foot_bottom", "knee_over_foot_peak", "shank_tilt_bottom_deg", "shank_tilt_peak_deg",
    "kmd_bottom", "kmd_change_bottom", "kmd_change_peak", "fppa_bottom_deg", "fppa_invalid_reason",
    "thigh_ratio_bottom", "knee_flexion_bottom_deg", "pelvic_obliquity_deg", "trunk_lean_deg",
    "hip_and_foot_disagree", "reliability", "reliability_reasons", "visibility_bottom", "jitter", "shank_px",
    "shank_in_plane",
]  # fmt: skip


def cell(v: object, digits: int | None = 6) -> str:
    """The package's one CSV cell format: '' for missing (None, NaN), ``true``/``false``, numbers as text.

    Floats get ``digits`` significant digits (reps.csv, frames.csv), or their full
    round-trip precision with ``digits=None`` (the cohort table, read back by scripts).
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float | np.floating):
        if not math.isfinite(float(v)):
            return ""
        return repr(float(v)) if digits is None else f"{float(v):.{digits}g}"
    return str(v)


def full_precision(v: object) -> str:
    """:func:`cell` with every float digit kept."""
    return cell(v, None)


def rep_rows(result: SessionResult) -> list[dict[str, object]]:
    """One row per assessed knee per rep (a rep with no knee assessed still gets one row)."""
    rows = []
    for r in result.reps:
        legs = r.legs or [LegMeasures(leg="", withheld_reason="; ".join(r.warnings) or "no knee assessed")]
        for m in legs:
            rows.append(
                {
                    "rep": r.index,
                    "kind": r.kind,
                    "leg": m.leg,
                    "lead": r.lead,
                    "lead_confidence": r.lead_confidence,
                    "start_frame": r.start_frame,
                    "bottom_frame": r.bottom_frame,
                    "end_frame": r.end_frame,
                    "start_s": r.start_s,
                    "bottom_s": r.bottom_s,
                    "end_s": r.end_s,
                    "depth": r.depth,
                    "view": r.view,
                    "yaw_deg": r.yaw_deg,
                    "category": m.category,
                    "withheld_reason": m.withheld_reason,
                    "knee_over_foot_bottom": m.knee_over_foot_bottom,
                    "knee_over_foot_peak": m.knee_over_foot_peak,
                    "shank_tilt_bottom_deg": m.shank_tilt_bottom_deg,
                    "shank_tilt_peak_deg": m.shank_tilt_peak_deg,
                    "kmd_bottom": m.kmd_bottom,
                    "kmd_change_bottom": m.kmd_change_bottom,
                    "kmd_change_peak": m.kmd_change_peak,
                    "fppa_bottom_deg": m.fppa_bottom_deg,
                    "fppa_invalid_reason": m.fppa_invalid_reason,
                    "thigh_ratio_bottom": m.thigh_ratio_bottom,
                    "knee_flexion_bottom_deg": m.knee_flexion_bottom_deg,
                    "pelvic_obliquity_deg": r.pelvic_obliquity_deg,
                    "trunk_lean_deg": r.trunk_lean_deg,
                    "hip_and_foot_disagree": m.hip_and_foot_disagree if m.measured else None,
                    "reliability": m.reliability,
                    "reliability_reasons": "; ".join(m.reliability_reasons) or None,
                    "visibility_bottom": m.visibility_bottom,
                    "jitter": m.jitter,
                    "shank_px": m.shank_px,
                    "shank_in_plane": m.shank_in_plane,
                }
            )
    return rows


def csv_text(
    columns: Sequence[str], rows: Sequence[dict[str, object]], cell_format: Callable[[object], str] | None = None
) -> str:
    """CSV text with a header row; ``cell_format`` formats each value (default: 6 significant digits, '' = missing)."""
    fmt = cell_format or cell
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([fmt(row.get(c)) for c in columns])
    return buf.getvalue()


def frames_csv_text(table: dict[str, np.ndarray]) -> str:
    """CSV of the per-frame table (column order as given)."""
    cols = list(table)
    n = len(next(iter(table.values()))) if table else 0
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    arrays = [np.asarray(table[c]) for c in cols]
    for i in range(n):
        w.writerow([cell(a[i].item() if hasattr(a[i], "item") else a[i]) for a in arrays])
    return buf.getvalue()


def write_tables(result: SessionResult, frame_table: dict[str, np.ndarray] | None, out: Path) -> list[Path]:
    """Write session.json, reps.csv and (if given) frames.csv into ``out`` atomically."""
    written = [
        write_session(result, out),
        write_text(out / "reps.csv", csv_text(REP_COLUMNS, rep_rows(result))),
    ]
    if frame_table is not None:
        written.append(write_text(out / "frames.csv", frames_csv_text(frame_table)))
    return written
