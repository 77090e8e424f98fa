"""The cohort table of a batch: one row per video x leg, in CSV and Parquet, plus ``failures.csv``.

Columns, in order (stable; Parquet types in brackets):

* the manifest's own columns (participant, session, ...) [string], renamed
  ``manifest_<name>`` if a name clashes with a column below;
* ``video`` [string] the input as given (relative to its folder, or as in the manifest),
  ``leg`` [string] ``left``/``right``, ``status`` [string] ``ok``/``failed``;
* every per-leg summary of ``session.json`` (:class:`lunge_screen.results.LegSummary`:
  ``n_reps``, ``n_valid``, ``knee_over_foot_peak_median``, ... ``rolls_inward``,
  ``n_inward``, ``n_reliable``, ``judgement``, ``reliability``; lists such as ``inward_reps``
  joined by ``; ``), with the rep categories as counts ``cat_over_foot``,
  ``cat_slightly_medial``, ``cat_clearly_medial``, ``cat_lateral``;
* ``leg_flagged`` [bool] the screen's finding names this leg; the session's
  ``finding_pattern``, ``finding_flag``, ``finding_summary``, ``view``, ``facing``;
* asymmetry (left minus right, same on both legs' rows) ``asym_<measure>_difference``,
  ``asym_<measure>_exceeds_sdd``, ``asym_<measure>_worse_leg``;
* ``warnings`` [string] warning codes joined by ``;``; ``error`` [string] why a video failed;
* provenance: ``n_analysed_frames``, ``fps``, ``duration_s``, ``model``,
  ``software_version``, ``input_sha256``, ``output`` (its folder under ``--out``), ``path``.

A failed video keeps its two rows with ``status=failed``, the ``error`` and empty
measures. Empty CSV cells mean "not measured", never zero. Rows are sorted by
``video``, ``path`` and ``leg``, so the same inputs give the same table whichever
engine ran them.
"""

from __future__ import annotations

import csv
import dataclasses
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..io.atomic import atomic_path, write_text
from ..io.tables import csv_text, full_precision
from ..results import LegSummary, SessionResult
from ..types import CATEGORIES, LEGS

ASYMMETRY_MEASURES = ("knee_over_foot_peak", "fppa_deg")
FAILURE_COLUMNS = ["path", "stage", "error"]


def _kind(tp) -> str:
    if typing.get_origin(tp) is list:
        return "str"  # joined by "; "
    args = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
    return {int: "int", float: "float", bool: "bool"}.get(args[0], "str")


def _leg_columns() -> list[tuple[str, str]]:
    hints = typing.get_type_hints(LegSummary)
    cols = []
    for f in dataclasses.fields(LegSummary):
        if f.name == "leg":
            continue
        if f.name == "categories":
            cols += [(f"cat_{c.replace(' ', '_')}", "int") for c in CATEGORIES]
        else:
            cols.append((f.name, _kind(hints[f.name])))
    return cols


#: (name, kind) of every column after the manifest's; kind is str, int, float or bool.
COLUMNS: list[tuple[str, str]] = [
    ("video", "str"),
    ("leg", "str"),
    ("status", "str"),
    *_leg_columns(),
    ("leg_flagged", "bool"),
    ("finding_pattern", "str"),
    ("finding_flag", "bool"),
    ("finding_summary", "str"),
    ("view", "str"),
    ("facing", "str"),
    *[
        (f"asym_{m}_{part}", kind)
        for m in ASYMMETRY_MEASURES
        for part, kind in (("difference", "float"), ("exceeds_sdd", "bool"), ("worse_leg", "str"))
    ],
    ("warnings", "str"),
    ("error", "str"),
    ("n_analysed_frames", "int"),
    ("fps", "float"),
    ("duration_s", "float"),
    ("model", "str"),
    ("software_version", "str"),
    ("input_sha256", "str"),
    ("output", "str"),
    ("path", "str"),
]


@dataclass
class CohortEntry:
    """One input's outcome, as the cohort table needs it."""

    video: str
    path: str
    output: str
    status: str  # "ok" | "failed"
    result: SessionResult | None = None
    stage: str = ""
    error: str = ""
    input_sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def _leg_values(result: SessionResult, leg: str) -> dict[str, object]:
    s = result.legs[leg]
    row: dict[str, object] = {}
    for f in dataclasses.fields(LegSummary):
        if f.name == "categories":
            row.update({f"cat_{c.replace(' ', '_')}": s.categories.get(c, 0) for c in CATEGORIES})
        elif f.name != "leg":
            value = getattr(s, f.name)
            row[f.name] = "; ".join(map(str, value)) if isinstance(value, list) else value
    fnd = result.finding
    named = fnd.pattern in (leg, "bilateral") or (fnd.pattern == "incomplete" and s.rolls_inward)
    row.update(
        leg_flagged=bool(fnd.flag and named),
        finding_pattern=fnd.pattern,
        finding_flag=fnd.flag,
        finding_summary=fnd.summary,
        view=result.view,
        facing=result.facing,
    )
    for a in result.asymmetry:
        if a.measure in ASYMMETRY_MEASURES:
            row.update(
                {
                    f"asym_{a.measure}_difference": a.difference,
                    f"asym_{a.measure}_exceeds_sdd": a.exceeds_sdd,
                    f"asym_{a.measure}_worse_leg": a.worse_leg,
                }
            )
    inp = result.input
    row.update(
        warnings=";".join(w.code for w in result.warnings),
        n_analysed_frames=inp.n_analysed_frames,
        fps=inp.fps,
        duration_s=inp.duration_s,
        model=result.model.name,
        software_version=result.software_version,
    )
    return row


def manifest_columns(entries: Sequence[CohortEntry]) -> dict[str, str]:
    """Manifest column name -> cohort column name, in first-seen order (clashes get a ``manifest_`` prefix)."""
    taken = {name for name, _ in COLUMNS}
    out: dict[str, str] = {}
    for e in entries:
        for k in e.meta:
            if k not in out:
                out[k] = f"manifest_{k}" if k in taken else k
    return out


def cohort_rows(entries: Sequence[CohortEntry]) -> tuple[list[str], list[dict[str, object]], dict[str, str]]:
    """Column names, rows (one per video x leg, sorted) and each column's kind."""
    mcols = manifest_columns(entries)
    kinds = {**{v: "str" for v in mcols.values()}, **dict(COLUMNS)}
    rows = []
    for e in sorted(entries, key=lambda e: (e.video, e.path)):
        for leg in LEGS:
            row: dict[str, object] = {mcols[k]: v for k, v in e.meta.items()}
            row.update(video=e.video, leg=leg, status=e.status, path=e.path, output=e.output)
            row["input_sha256"] = e.input_sha256 or None
            if e.status == "ok" and e.result is not None:
                row.update(_leg_values(e.result, leg))
            else:
                row["error"] = f"{e.stage}: {e.error}" if e.stage else e.error
            rows.append(row)
    return list(kinds), rows, kinds


def write_parquet(path: Path, columns: Sequence[str], rows: Sequence[dict[str, object]], kinds: dict[str, str]) -> Path:
    """Write the table as Parquet with fixed column types; raises ImportError without pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(c, types[kinds[c]]) for c in columns])
    data = {c: [r.get(c) for r in rows] for c in columns}
    table = pa.Table.from_pydict(data, schema=schema)
    with atomic_path(path, suffix=".parquet") as tmp:
        pq.write_table(table, tmp)
    return path


def write_cohort(entries: Sequence[CohortEntry], out: str | Path, *, parquet: bool = True) -> tuple[list[Path], str]:
    """Write ``cohort.csv``, ``cohort.parquet`` and ``failures.csv`` into ``out``.

    Returns the paths written and a note ("" or why Parquet was skipped).
    """
    out = Path(out)
    columns, rows, kinds = cohort_rows(entries)
    written = [write_text(out / "cohort.csv", csv_text(columns, rows, full_precision))]
    note = ""
    if parquet:
        try:
            written.append(write_parquet(out / "cohort.parquet", columns, rows, kinds))
        except ImportError:
            note = "cohort.parquet not written: pyarrow is not installed (pip install 'lunge-screen[parquet]')"
    failures = [
        {"path": e.path, "stage": e.stage, "error": e.error}
        for e in sorted(entries, key=lambda e: e.path)
        if e.status != "ok"
    ]
    written.append(write_text(out / "failures.csv", csv_text(FAILURE_COLUMNS, failures, full_precision)))
    return written, note


def read_cohort_csv(path: str | Path) -> list[dict[str, str]]:
    """The cohort CSV as a list of dicts of strings (for scripts and tests)."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
