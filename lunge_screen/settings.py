"""Every setting of lunge-screen, in one place: the dataclasses, their defaults, units, meanings and sources.

Each field carries its documentation as field metadata (``unit``, ``meaning``,
``source``), read by :func:`describe`, by ``lunge-screen config --defaults`` and by
``docs/make_settings_reference.py``, so the docs cannot drift from the code.

One vocabulary for file, command line and API (reading and writing them:
:mod:`lunge_screen.config`): a TOML config file (``--config``) has the same shape as the
``settings`` object of ``session.json``::

    [analysis]              # AnalysisSettings' own fields (subject, loaded_fraction, ...)
    [analysis.thresholds]   # Thresholds
    [analysis.reps]         # RepSettings (and filters, view, standing, cuts, tracking, orientation, quality)
    [extraction]            # ExtractSettings

Unknown sections or keys are an error (:class:`ConfigError`, exit code 2).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import LungeScreenError
from .types import ModelName, SubjectRule


class ConfigError(LungeScreenError, ValueError):
    """A settings file or override names an unknown setting or gives a value of the wrong type."""

    exit_code = 2


def setting(default: Any, unit: str, meaning: str, source: str = "") -> Any:
    """A dataclass field with its unit, meaning and source as metadata."""
    return field(default=default, metadata={"unit": unit, "meaning": meaning, "source": source})


def section(cls: type, meaning: str) -> Any:
    """A nested settings dataclass field."""
    return field(default_factory=cls, metadata={"meaning": meaning})


GEOMETRY = "geometric choice, checked against the hand-made references (docs/validation.md)"
TUNED = "tuned on the reference clips (benchmarks/agreement.py)"


# ---- pose extraction -------------------------------------------------------------------------------

#: Default analysis frame-rate cap (frames/s). Lunge kinematics have almost no content above
#: ~6 Hz (the filters cut at 6 Hz), so 60 fps samples them ten times over and places a rep's
#: bottom within 17 ms; a 240 fps slow-motion clip then costs the same inference as a 60 fps one.
DEFAULT_MAX_FPS = 60.0
#: Default cap on the longer image side fed to MediaPipe (pixels): MediaPipe crops the person and
#: resizes to 256x256 itself; ``benchmarks/downscale.py`` measures that 960 changes the landmarks
#: by no more than the model's own run-to-run noise.
DEFAULT_MAX_SIDE = 960
#: People tracked per frame (the subject is chosen afterwards; see :mod:`lunge_screen.track.subject`).
DEFAULT_MAX_PEOPLE = 1
#: Seconds of warm-up analysed before each helper segment and then discarded (``benchmarks/seams.py``).
DEFAULT_WARMUP = 0.5


@dataclass(frozen=True)
class ExtractSettings:
    """Settings that change the landmark values (recorded in the series and in cache keys)."""

    max_people: int = setting(DEFAULT_MAX_PEOPLE, "people", "people the pose model reports per frame")
    max_fps: float | None = setting(
        DEFAULT_MAX_FPS, "frames/s", "cap on the analysed frame rate (None: no cap)", "benchmarks/RESULTS.md"
    )
    max_side: int | None = setting(
        DEFAULT_MAX_SIDE, "px", "frames are shrunk to this longer side before the model (None: never)",
        "benchmarks/downscale.py",
    )  # fmt: skip
    start: float | None = setting(None, "s", "analyse from this time (None: the start)")
    end: float | None = setting(None, "s", "analyse up to this time (None: the end)")
    min_detection_confidence: float = setting(0.5, "0-1", "MediaPipe's pose detection/presence confidence", "MediaPipe")
    min_tracking_confidence: float = setting(0.5, "0-1", "MediaPipe's tracking confidence", "MediaPipe")


# ---- analysis -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """Screening cut-offs (CLI ``--threshold NAME=VALUE``, API ``thresholds=``); reasons in docs/measurement.md."""

    over_foot_max: float = setting(
        0.10, "shank lengths", "knee-over-foot peak above this is at least 'slightly medial'",
        "geometry: ~4 cm, inside half a foot's width (docs/measurement.md)",
    )  # fmt: skip
    clearly_medial_min: float = setting(
        0.20, "shank lengths", "knee-over-foot peak at or above this is 'clearly medial'",
        "geometry: ~8 cm, past the foot's medial border",
    )  # fmt: skip
    lateral_max: float = setting(
        -0.10, "shank lengths", "a rep that is not medial, with knee-over-foot at the bottom below this, is 'lateral'",
        "geometry: the knee outside the foot by the over-foot margin",
    )  # fmt: skip
    sdd_knee_over_foot: float = setting(
        0.10, "shank lengths", "smallest detectable left-right difference of the median knee-over-foot peak",
        "~5.7 deg of shank tilt",
    )  # fmt: skip
    sdd_fppa_deg: float = setting(
        8.0, "deg", "smallest detectable left-right difference of the median FPPA", "Munro et al. 2012: 7.5-8.9 deg"
    )
    min_reps_per_leg: int = setting(2, "reps", "measured reps a leg needs before it can be judged")
    inward_fraction: float = setting(
        0.5, "fraction", "a leg 'rolls inward' when more than this fraction of its measured reps are medial"
    )
    fppa_min_thigh_ratio: float = setting(
        0.5, "fraction", "FPPA is reported only where the projected thigh is at least this fraction of its standing "
        "length", "../shared/docs/measurement.md: a shorter thigh points at the camera",
    )  # fmt: skip
    fppa_max_abs_deg: float = setting(
        60.0, "deg", "FPPA beyond +- this is reported invalid: the thigh lies near-horizontal in the image (deep "
        "squat, spread knees) and the angle is geometry, not alignment",
        "the hand-made references call such values clinically meaningless (../shared/annotations)",
    )  # fmt: skip

    @classmethod
    def with_overrides(cls, overrides: dict[str, float] | None) -> Thresholds:
        """A copy with some values replaced; unknown names raise :class:`ConfigError` (a ``ValueError``)."""
        if not overrides:
            return cls()
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = set(overrides) - set(names)
        if unknown:
            raise ConfigError(f"unknown threshold(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
        from .config import from_dict

        return from_dict(cls, overrides, where="threshold")


@dataclass(frozen=True)
class FilterSettings:
    """Signal cleaning (:mod:`lunge_screen.track.signals`): every time in seconds, so any frame rate works."""

    min_visibility: float = setting(0.3, "0-1", "landmarks the model sees with lower visibility are treated as missing")
    hampel_window_s: float = setting(0.25, "s", "Hampel outlier filter half-window")
    hampel_sigmas: float = setting(4.0, "scaled MADs", "Hampel threshold")
    max_gap_s: float = setting(0.25, "s", "gaps up to this long are interpolated; longer ones stay missing")
    cutoff_hz: float = setting(
        6.0, "Hz", "zero-phase Butterworth low-pass cut-off (at most 40 % of the frame rate)", "Sports2D's defaults"
    )
    order: int = setting(4, "-", "Butterworth order", "Sports2D's defaults")


@dataclass(frozen=True)
class RepSettings:
    """Repetition detection (:mod:`lunge_screen.reps`): depth as a fraction of standing hip height."""

    min_depth: float = setting(
        0.06, "fraction of standing hip height", "a bottom is a peak of pelvis depth at least this high and prominent",
        TUNED,
    )  # fmt: skip
    min_interval_s: float = setting(0.6, "s", "bottoms at least this far apart")
    standing_window_s: float = setting(4.0, "s", "standing hip height = running maximum over this window")
    boundary_fraction: float = setting(0.25, "fraction", "a rep starts/ends where depth falls back under this "
                                       "fraction of its peak")  # fmt: skip
    min_duration_s: float = setting(0.4, "s", "shortest rep")
    max_duration_s: float = setting(12.0, "s", "longest rep")
    bilateral_knee_gap: float = setting(
        0.10, "leg lengths", "knees within this height difference at the bottom: a squat (lead 'both')", TUNED
    )
    min_present_fraction: float = setting(0.8, "fraction", "the person must be detected in at least this fraction "
                                          "of the rep's frames")  # fmt: skip
    min_knee_flexion_deg: float = setting(60.0, "deg", "the more flexed knee must bend at least this much at the "
                                          "bottom")  # fmt: skip
    min_relative_depth: float = setting(
        0.5, "fraction", "reps shallower than this fraction of the clip's median rep depth are dropped"
    )
    max_hip_travel: float = setting(
        0.6, "leg lengths", "reps whose pelvis travels sideways more than this are dropped (walking across)"
    )
    pelvis_fill_gap_s: float = setting(0.5, "s", "gaps in the hip height up to this long are interpolated")
    pelvis_cutoff_hz: float = setting(3.0, "Hz", "low-pass cut-off of the hip height before finding bottoms")
    lead_full_score: float = setting(
        0.3, "leg lengths", "knee (or foot) height gap at which the lead-leg confidence reaches 1"
    )
    planted_foot_tol: float = setting(
        0.12, "standing leg lengths", "consecutive reps whose lead ankle stays within this of one point share one "
        "planted foot, so one lead leg", "split-squat pulses on lunge_front_lowres_18fps.mp4",
    )  # fmt: skip
    planted_fraction: float = setting(
        0.9, "fraction", "... in at least this fraction of the frames between their bottoms"
    )


@dataclass(frozen=True)
class ViewSettings:
    """Camera view classes from the yaw (:mod:`lunge_screen.measure.view`)."""

    frontal_max_yaw: float = setting(25.0, "deg", "yaw up to this is a frontal (or rear) view", TUNED)
    side_min_yaw: float = setting(45.0, "deg", "yaw from this on is a side view; between the two, oblique", TUNED)
    rep_change_deg: float = setting(
        12.0, "deg", "a rep takes the clip's view unless its own yaw differs by more than this: the camera moved",
        "one rep's yaw is noisy (+-5 deg)",
    )  # fmt: skip


@dataclass(frozen=True)
class StandingSettings:
    """Standing reference frames and camera roll (:mod:`lunge_screen.measure.standing`)."""

    max_depth: float = setting(
        0.05, "fraction of standing hip height", "standing frames: pelvis depth at most this, or the clip's 20th "
        "percentile of depth, whichever is larger",
    )  # fmt: skip
    max_flexion_deg: float = setting(
        40.0, "deg", "standing frames: both knees flexed less than this (world landmarks)",
        "MediaPipe reads 20-35 deg for a person standing straight",
    )  # fmt: skip
    min_roll_deg: float = setting(
        3.0, "deg", "a smaller camera roll is left uncorrected",
        "standing posture alone varies by about +-2 deg across the reference clips",
    )  # fmt: skip


@dataclass(frozen=True)
class CutSettings:
    """Edit cuts (:mod:`lunge_screen.reps.cuts`): a rep interrupted by a cut is not counted."""

    min_jump: float = setting(4.0, "grey levels", "edit cut: a 32x32 thumbnail changes by more than this ...")
    factor: float = setting(6.0, "x median", "... and more than this many times the clip's median change")


@dataclass(frozen=True)
class TrackingSettings:
    """Linking detections into people over time (:mod:`lunge_screen.track.subject`)."""

    link_distance: float = setting(
        0.5, "body heights", "a detection continues a track whose hip centre was this close in the previous frame"
    )
    merge_gap_s: float = setting(2.0, "s", "a track that starts within this time after another ended may join it ...")
    merge_size_min: float = setting(0.67, "ratio", "... when their body sizes' ratio is at least this ...")
    merge_size_max: float = setting(1.5, "ratio", "... and at most this, and it starts within one body height")


@dataclass(frozen=True)
class OrientationSettings:
    """Left/right label correction (:mod:`lunge_screen.track.orientation`)."""

    continuity_weight: float = setting(15.0, "cost per leg length", "leg-swap path: cost of the feet and knees' "
                                       "jumps between frames")  # fmt: skip
    switch_penalty: float = setting(3.0, "cost", "leg-swap path: cost of changing the labels at all")
    max_yaw: float = setting(35.0, "deg", "feet's side order counts as label evidence only up to this yaw")
    swap_prior: float = setting(0.01, "cost", "leg-swap path: per-frame cost of the swapped state (ties keep labels)")
    body_swap_agreement: float = setting(
        0.3, "fraction", "every label is swapped when fewer than this fraction of frames agree with the facing"
    )


@dataclass(frozen=True)
class QualitySettings:
    """When the session's quality warnings are raised (:mod:`lunge_screen.screen.quality`)."""

    min_body_px: float = setting(
        200.0, "px", "a person shorter than this (nose to ankles) gets the 'person_small' warning: a few pixels of "
        "landmark error are a large part of a knee's offset",
    )  # fmt: skip
    min_found_fraction: float = setting(0.8, "fraction", "'person_missing' when found in fewer frames than this")
    min_fps: float = setting(20.0, "frames/s", "'low_frame_rate' below this: the bottom of a rep may be missed")
    roll_warning_deg: float = setting(3.0, "deg", "'camera_roll' when the corrected roll is larger than this")


@dataclass(frozen=True)
class AnalysisSettings:
    """Every setting of the analysis (recorded in full in session.json)."""

    thresholds: Thresholds = section(Thresholds, "screening cut-offs")
    filters: FilterSettings = section(FilterSettings, "signal cleaning")
    reps: RepSettings = section(RepSettings, "repetition detection and lead leg")
    view: ViewSettings = section(ViewSettings, "camera view")
    subject: SubjectRule = setting(
        "largest", "rule", "who is screened when several people are seen (largest, center, left, right)"
    )
    loaded_fraction: float = setting(
        0.5, "fraction of the rep's depth", "a frame counts toward a rep's peak when the pelvis is at least this far "
        "down ...",
    )  # fmt: skip
    planted_speed: float = setting(
        0.5, "standing leg lengths/s", "... and the foot is planted: ankle slower than this"
    )
    sustained_s: float = setting(0.2, "s", "a peak must be held this long; shorter spikes are landmark jitter")
    edge_margin: float = setting(
        0.01, "fraction of the frame", "knee, ankle and toe must be this far inside the frame's edges at the bottom"
    )
    standing: StandingSettings = section(StandingSettings, "standing reference and camera roll")
    cuts: CutSettings = section(CutSettings, "edit cuts")
    tracking: TrackingSettings = section(TrackingSettings, "linking people over time")
    orientation: OrientationSettings = section(OrientationSettings, "left/right label correction")
    quality: QualitySettings = section(QualitySettings, "quality warnings")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class AppSettings:
    """The clinic app (``lunge-screen app``, :mod:`lunge_screen.app`): its limits and defaults."""

    max_upload_mb: float = setting(
        2048.0, "MB (10^6 bytes)", "largest video the app accepts in one upload; checked while the upload streams",
        "a 10-minute 4K phone video is about 1.5 GB",
    )  # fmt: skip
    default_model: ModelName = setting("full", "name", "pose model preselected for new sessions (lite, full, heavy)")
    jobs_at_once: int = setting(
        1, "analyses", "analyses run at the same time; more wait in the queue",
        "one analysis already uses every core (docs/app.md)",
    )  # fmt: skip


@dataclass(frozen=True)
class OutputOptions:
    """What to write besides the tables (which are always written)."""

    frames_csv: bool = True
    landmarks: bool = True
    report: bool = True
    video: bool = True
    blur_faces: bool = True
    patient: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """A whole configuration: what a ``--config`` TOML file holds and ``session.json`` records."""

    analysis: AnalysisSettings = section(AnalysisSettings, "the analysis")
    extraction: ExtractSettings = section(ExtractSettings, "pose extraction")
    app: AppSettings = section(AppSettings, "the clinic app (lunge-screen app)")
