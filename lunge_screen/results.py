"""Typed results of an analysis, and their lossless JSON form.

Units and signs (stable; part of the JSON schema, see docs/schema.md):

* ``knee_over_foot``: the knee's horizontal offset from the foot's vertical axis as a
  fraction of the leg's standing shank length; **positive = knee medial** (inward).
* ``shank_tilt_deg``: the shank's tilt from vertical, degrees, positive = knee medial of the ankle.
* ``kmd``: knee medial displacement from the hip-ankle line, fraction of standing leg
  length, positive = medial; ``kmd_change`` is the same minus the leg's standing value.
* ``fppa_deg``: frontal plane projection angle, degrees, positive = valgus; ``None``
  whenever the thigh is too foreshortened for the angle to mean anything.
* ``knee_flexion_deg``: 0 = straight, from the 3D world landmarks.
* ``pelvic_obliquity_deg``: positive = the hip opposite the lead leg is lower (contralateral drop).
* ``trunk_lean_deg``: positive = toward the lead leg's side.
* Times in seconds from the first frame; frames are 0-based indices in the source video.
* Legs are always the **person's** left and right.
* ``reliability``: ``good`` / ``fair`` / ``poor`` with its ``reliability_reasons``; a withheld
  knee (``withheld_reason`` set, ``category`` None) has no frontal-plane number at all.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from .types import CATEGORIES, Category, Facing, Grade, Lead, Leg, LegJudgement, Pattern, RepKind, View

SCHEMA = "lunge-screen/session"
SCHEMA_VERSION = 2
#: Versions :meth:`SessionResult.from_dict` reads (older ones are upgraded, docs/schema.md).
READABLE_VERSIONS = (1, 2)

__all__ = ["CATEGORIES", "READABLE_VERSIONS", "SCHEMA", "SCHEMA_VERSION", "SessionResult", "upgrade"]


@dataclass
class LegMeasures:
    """One knee's measures in one rep (the lead knee in a lunge, each knee in a squat)."""

    leg: Leg
    category: Category | None = None
    withheld_reason: str | None = None
    knee_over_foot_bottom: float | None = None
    knee_over_foot_peak: float | None = None
    shank_tilt_bottom_deg: float | None = None
    shank_tilt_peak_deg: float | None = None
    kmd_bottom: float | None = None
    kmd_change_bottom: float | None = None
    kmd_change_peak: float | None = None
    fppa_bottom_deg: float | None = None
    fppa_invalid_reason: str | None = None
    thigh_ratio_bottom: float | None = None
    knee_flexion_bottom_deg: float | None = None
    hip_and_foot_disagree: bool = False
    reliability: Grade | None = None
    reliability_reasons: list[str] = field(default_factory=list)
    reliability_concerns: list[str] = field(default_factory=list)
    visibility_bottom: float | None = None
    jitter: float | None = None
    shank_px: float | None = None
    shank_in_plane: float | None = None

    @property
    def measured(self) -> bool:
        return self.category is not None

    @property
    def reliable(self) -> bool:
        """Measured, and not graded ``poor``: it counts toward the leg's judgement."""
        return self.measured and self.reliability != "poor"


@dataclass
class Rep:
    """One repetition."""

    index: int
    start_frame: int
    bottom_frame: int
    end_frame: int
    start_s: float
    bottom_s: float
    end_s: float
    lead: Lead
    lead_confidence: float
    depth: float
    view: View
    yaw_deg: float | None
    pelvic_obliquity_deg: float | None = None
    trunk_lean_deg: float | None = None
    legs: list[LegMeasures] = field(default_factory=list)
    kind: RepKind = "lunge"
    warnings: list[str] = field(default_factory=list)


@dataclass
class LegSummary:
    """Per-leg summary over the reps in which this knee was assessed."""

    leg: Leg
    n_reps: int = 0
    n_valid: int = 0
    categories: dict[Category, int] = field(default_factory=dict)
    knee_over_foot_peak_median: float | None = None
    knee_over_foot_peak_iqr: float | None = None
    shank_tilt_peak_median_deg: float | None = None
    kmd_change_median: float | None = None
    fppa_median_deg: float | None = None
    n_fppa_valid: int = 0
    knee_flexion_median_deg: float | None = None
    pelvic_obliquity_median_deg: float | None = None
    rolls_inward: bool = False
    n_inward: int = 0
    n_reliable: int = 0
    judgement: LegJudgement | None = None
    reliability: Grade | None = None
    reliability_reasons: list[str] = field(default_factory=list)
    inward_reps: list[int] = field(default_factory=list)
    reliable_reps: list[int] = field(default_factory=list)


@dataclass
class Asymmetry:
    """Left-right difference of one measure (left minus right), against its smallest detectable difference."""

    measure: str
    left: float | None
    right: float | None
    difference: float | None
    sdd: float
    exceeds_sdd: bool
    worse_leg: Leg | None
    interval_low: float | None = None
    interval_high: float | None = None
    interval_level: float | None = None
    n_left: int = 0
    n_right: int = 0
    judged: bool = False
    detected: bool = False
    not_judged_reason: str | None = None


@dataclass
class Finding:
    """The screen's plain-language result."""

    pattern: Pattern
    flag: bool
    summary: str
    details: list[str] = field(default_factory=list)


@dataclass
class QualityWarning:
    code: str
    message: str


@dataclass
class InputInfo:
    path: str
    width: int
    height: int
    fps: float
    n_frames: int
    n_analysed_frames: int
    duration_s: float
    rotation: int = 0
    codec: str = ""


@dataclass
class ModelInfo:
    name: str
    sha256: str
    mediapipe_version: str


@dataclass
class SessionResult:
    """Everything ``analyse`` found for one video (serialises to ``session.json``)."""

    input: InputInfo
    model: ModelInfo
    settings: dict[str, Any]
    view: View
    yaw_deg: float | None
    facing: Facing
    reps: list[Rep]
    legs: dict[str, LegSummary]
    asymmetry: list[Asymmetry]
    finding: Finding
    warnings: list[QualityWarning]
    software_version: str = ""
    #: Median height of the screened person in the image (nose to the lower ankle), px: how large the
    #: person appears (camera distance, zoom, resolution). None when never found, or in older files.
    person_height_px: float | None = None
    #: The session's date as the user gave it (``--session-date``), None if not given.
    session_date: str | None = None
    schema: str = SCHEMA
    schema_version: int = SCHEMA_VERSION

    # ---- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _clean(dataclasses.asdict(self))

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionResult:
        if data.get("schema") != SCHEMA:
            raise ValueError("not a lunge-screen session")
        version = data.get("schema_version")
        if version not in READABLE_VERSIONS:
            raise ValueError(
                f"session schema version {version} is not supported (this version reads "
                f"{', '.join(map(str, READABLE_VERSIONS))}); analyse the video or its landmarks.npz again"
            )
        return build(cls, upgrade(data))

    @classmethod
    def from_json(cls, text: str) -> SessionResult:
        return cls.from_dict(json.loads(text))


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A session dict of an older schema version in the current form (a copy; the current one unchanged).

    Version 1 to 2: the pattern ``both`` is now ``bilateral``; a rep's ``kind`` (not written by
    version 1) is version 1's rule, ``squat`` when the lead is ``both``, else ``lunge``; fields added in version 2
    (reliability grades, intervals, leg judgements) take their defaults: unknown, not judged.
    The values version 1 computed are kept as written.
    """
    if data.get("schema_version") == SCHEMA_VERSION:
        return data
    out = json.loads(json.dumps(data))
    finding = out.get("finding") or {}
    if finding.get("pattern") == "both":
        finding["pattern"] = "bilateral"
    for rep in out.get("reps") or []:
        rep.setdefault("kind", "squat" if rep.get("lead") == "both" else "lunge")  # version 1's rule, from the lead
    out["schema_version"] = SCHEMA_VERSION
    return out


def _clean(obj: Any) -> Any:
    """NaN and infinities become ``None`` (JSON has no NaN); everything else unchanged."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def build(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its JSON form (dataclasses, lists, dicts, optionals)."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return build(args[0], value) if len(args) == 1 else value
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {f.name: build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value}
        return tp(**kwargs)
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [build(arg, v) for v in value]
    if origin is dict:
        _, arg = typing.get_args(tp)
        return {k: build(arg, v) for k, v in value.items()}
    if tp is float:
        return float(value)
    return value
