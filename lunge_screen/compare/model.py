"""The typed result of comparing sessions, and its lossless JSON form (``comparison.json``).

Units and signs are those of ``session.json`` (:mod:`lunge_screen.results`): the compared
measure is each measured rep's **peak knee-over-foot**, in rep-shank lengths, **positive =
knee medial** (inward). A change is ``after - before`` (so negative = the knee moved outward,
toward or past the foot's axis); an asymmetry is ``left - right``. Sessions are referred to
by their 0-based index in :attr:`Comparison.sessions`, which is in the order given (time order).
Field by field: docs/schema.md#comparisonjson.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..results import build
from ..types import AsymmetryJudgement, Category, ChangeSpan, Judgement, Leg, View

SCHEMA = "lunge-screen/comparison"
SCHEMA_VERSION = 1
MEASURE = "knee_over_foot_peak"


@dataclass
class SessionInfo:
    """One compared session: where it came from and how it was filmed and analysed."""

    label: str
    source: str
    video: str
    session_date: str | None
    software_version: str
    model: str
    model_sha256: str
    view: View
    fps: float
    width: int
    height: int
    person_height_px: float | None
    n_reps: int
    finding: str
    warnings: list[str] = field(default_factory=list)
    keyframes: str | None = None


@dataclass
class LegSession:
    """One leg in one session: the peak knee-over-foot of its reliable reps (measured, not graded poor), summarised.

    ``n_assessed`` reps assessed this knee, ``n_measured`` of them were measured, ``n_reliable``
    of those are compared (``rep_indices``, ``values``; categories and ``n_inward`` over them).
    """

    leg: Leg
    session: int
    n_assessed: int
    n_measured: int
    n_reliable: int
    rep_indices: list[int]
    values: list[float]
    median: float | None
    sd: float | None
    se: float | None
    categories: dict[Category, int]
    n_inward: int
    rolls_inward: bool


@dataclass
class LegChange:
    """One leg's change between two sessions, judged against the smallest detectable change (MDC95)."""

    leg: Leg
    span: ChangeSpan
    before: int
    after: int
    median_before: float | None
    median_after: float | None
    change: float | None
    mdc95: float | None
    judgement: Judgement
    withheld_reason: str | None
    n_before: int
    n_after: int
    categories_change: dict[Category, int]
    n_inward_before: int
    n_inward_after: int
    sentence: str


@dataclass
class SessionAsymmetry:
    """One session's left-minus-right median peak knee-over-foot, as the session judged it.

    ``worse_leg`` is named only when the session found the difference beyond its SDD and its
    rep-to-rep scatter; ``difference`` is None, with ``not_judged_reason``, when it was not judged.
    """

    session: int
    left: float | None
    right: float | None
    difference: float | None
    sdd: float
    exceeds_sdd: bool
    worse_leg: Leg | None
    not_judged_reason: str | None = None


@dataclass
class AsymmetryChange:
    """How the left-minus-right difference changed between two sessions, against its own MDC95."""

    span: ChangeSpan
    before: int
    after: int
    difference_before: float | None
    difference_after: float | None
    change: float | None
    mdc95: float | None
    judgement: AsymmetryJudgement
    withheld_reason: str | None
    sentence: str


@dataclass
class ComparisonWarning:
    """Something that differs between the sessions and may change the numbers (``code``: docs/schema.md)."""

    code: str
    message: str


@dataclass
class Comparison:
    """Sessions of one person compared, per leg (serialises to ``comparison.json``)."""

    sessions: list[SessionInfo]
    legs: dict[str, list[LegSession]]
    changes: list[LegChange]
    asymmetry: list[SessionAsymmetry]
    asymmetry_changes: list[AsymmetryChange]
    warnings: list[ComparisonWarning]
    summary: list[str]
    settings: dict[str, Any]
    measure: str = MEASURE
    software_version: str = ""
    schema: str = SCHEMA
    schema_version: int = SCHEMA_VERSION

    def change(self, leg: Leg, before: int, after: int) -> LegChange | None:
        """The change of ``leg`` from session ``before`` to session ``after``, if it was computed."""
        return next((c for c in self.changes if (c.leg, c.before, c.after) == (leg, before, after)), None)

    def headline(self, leg: Leg) -> LegChange:
        """The leg's change from the first to the last session."""
        last = len(self.sessions) - 1
        found = self.change(leg, 0, last)
        assert found is not None, "every comparison holds the first-to-last change of each leg"
        return found

    # ---- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _finite(dataclasses.asdict(self))

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        if data.get("schema") != SCHEMA:
            raise ValueError("not a lunge-screen comparison")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"comparison schema version {data.get('schema_version')} is not {SCHEMA_VERSION}")
        return build(cls, data)

    @classmethod
    def from_json(cls, text: str) -> Comparison:
        return cls.from_dict(json.loads(text))


def _finite(obj: Any) -> Any:
    """NaN and infinities become ``None`` (JSON has none); everything else unchanged."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
