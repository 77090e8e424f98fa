"""``changes.csv``: each participant's sessions compared, one row per participant x leg x consecutive session pair.

Written by a batch whose manifest has ``participant`` and ``session`` columns. A
participant's sessions are taken **in the order the manifest lists them** (list them
oldest first); a video that failed is left out, so its neighbours become a pair. Each
pair is compared as ``lunge-screen compare`` does (:mod:`lunge_screen.compare`).

Columns, in order (units and signs as ``session.json``: peak knee-over-foot in
rep-shank lengths, positive = medial; a change is ``to - from``):

* ``participant``, ``leg``, ``session_from``, ``session_to`` (the manifest's labels),
  ``video_from``, ``video_to`` (as listed);
* ``n_from``, ``n_to`` measured reps; ``median_from``, ``median_to``, ``sd_from``, ``sd_to``
  (median and rep-to-rep SD of the peaks); ``change``; ``mdc95`` (the smallest detectable
  change); ``judgement`` (``more inward``, ``less inward``, ``no detectable change``,
  ``withheld``); ``withheld_reason``;
* ``n_inward_from``, ``n_inward_to``; ``cat_<category>_change`` (count after minus before);
* ``setup_warnings``: codes of the pair's differences of set-up joined by ``;``; ``sentence``.

Empty cells mean "not computed" (withheld), never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..compare import compare
from ..compare.setup import pair_warnings
from ..io.atomic import write_text
from ..io.tables import csv_text, full_precision
from ..settings import CompareSettings
from ..types import CATEGORIES
from .cohort import CohortEntry

CHANGES = "changes.csv"
#: Manifest columns that turn a batch into a study of sessions.
PARTICIPANT, SESSION = "participant", "session"
CHANGE_COLUMNS = [
    "participant", "leg", "session_from", "session_to", "video_from", "video_to",
    "n_from", "n_to", "median_from", "median_to", "sd_from", "sd_to", "change", "mdc95", "judgement",
    "withheld_reason", "n_inward_from", "n_inward_to",
    *[f"cat_{c.replace(' ', '_')}_change" for c in CATEGORIES],
    "setup_warnings", "sentence",
]  # fmt: skip


def has_sessions(entries: Sequence[CohortEntry]) -> bool:
    """Whether the manifest gave every input a ``participant`` and a ``session`` column."""
    return bool(entries) and all(PARTICIPANT in e.meta and SESSION in e.meta for e in entries)


def participants(entries: Sequence[CohortEntry], order: dict[str, int]) -> dict[str, list[CohortEntry]]:
    """Each participant's successful sessions in manifest order (``order``: path -> manifest row)."""
    groups: dict[str, list[CohortEntry]] = {}
    for e in sorted(entries, key=lambda e: order.get(e.path, len(order))):
        who = e.meta.get(PARTICIPANT, "").strip()
        if who and e.status == "ok" and e.result is not None:
            groups.setdefault(who, []).append(e)
    return groups


def _rows(who: str, group: list[CohortEntry], cs: CompareSettings) -> list[dict[str, object]]:
    labels = [e.meta.get(SESSION, "").strip() or e.video for e in group]
    c = compare([e.result for e in group], labels, cs)
    rows = []
    for ch in (ch for ch in c.changes if ch.span == "consecutive"):
        a, b = c.legs[ch.leg][ch.before], c.legs[ch.leg][ch.after]
        setup = pair_warnings(group[ch.before].result, group[ch.after].result, "", cs)
        rows.append(
            {
                "participant": who,
                "leg": ch.leg,
                "session_from": c.sessions[ch.before].label,
                "session_to": c.sessions[ch.after].label,
                "video_from": group[ch.before].video,
                "video_to": group[ch.after].video,
                "n_from": ch.n_before,
                "n_to": ch.n_after,
                "median_from": ch.median_before,
                "median_to": ch.median_after,
                "sd_from": a.sd,
                "sd_to": b.sd,
                "change": ch.change,
                "mdc95": ch.mdc95,
                "judgement": ch.judgement,
                "withheld_reason": ch.withheld_reason,
                "n_inward_from": ch.n_inward_before,
                "n_inward_to": ch.n_inward_after,
                **{f"cat_{k.replace(' ', '_')}_change": v for k, v in ch.categories_change.items()},
                "setup_warnings": ";".join(dict.fromkeys(w.code for w in setup)),
                "sentence": ch.sentence,
            }
        )
    return rows


def change_rows(
    entries: Sequence[CohortEntry], order: dict[str, int], cs: CompareSettings | None = None
) -> list[dict[str, object]]:
    """Every participant's consecutive-pair changes, participants in manifest order, left before right."""
    cs = cs or CompareSettings()
    rows: list[dict[str, object]] = []
    for who, group in participants(entries, order).items():
        if len(group) >= 2:
            rows += sorted(_rows(who, group, cs), key=lambda r: r["leg"])
    return rows


def write_changes(
    entries: Sequence[CohortEntry], out: str | Path, order: dict[str, int], cs: CompareSettings | None = None
) -> Path:
    """Write ``changes.csv`` into ``out`` atomically (a header only when no participant has two sessions)."""
    rows = change_rows(entries, order, cs)
    return write_text(Path(out) / CHANGES, csv_text(CHANGE_COLUMNS, rows, full_precision))
