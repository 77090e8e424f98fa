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
    [compare]               # CompareSettings (lunge-screen compare, batch changes.csv)

Unknown sections or keys are an error (:class:`ConfigError`, exit code 2).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import LungeScreenError
from .types import ModelName, Quantile, SubjectRule


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
    min_reps_per_leg: int = setting(
        3, "reps", "reliable reps a leg needs before it is judged, and each leg before left and right are compared",
        "the screen asks for 'a few' lunges on each leg (../shared/docs/measurement.md); with 3 per leg a "
        "bootstrap interval can exclude no difference at all (docs/validation.md, sensitivity)",
    )  # fmt: skip
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
    """Repetition detection (:mod:`lunge_screen.reps`): cycles of body-relative depth on a uniform time grid.

    Depth is in the person's own leg lengths (world landmarks), so no setting here depends on the
    person's size in the image, the camera's distance or the frame rate (docs/measurement.md, "Reps").
    """

    grid_hz: float = setting(50.0, "Hz", "the rep signal is resampled onto a uniform grid of this rate before "
                             "filtering and event detection", "above twice the 2 Hz band of a lunge's motion; "
                             "VFR and dropped frames then filter alike")  # fmt: skip
    max_gap_s: float = setting(0.5, "s", "gaps in the rep signal up to this long are bridged; longer ones "
                               "stay missing", "half the quickest rep seen (jumping lunges, ~1.2 s)")  # fmt: skip
    hampel_window_s: float = setting(0.25, "s", "outlier rejection half-window on the rep signal")
    hampel_sigmas: float = setting(4.0, "scaled MADs", "outlier threshold on the rep signal")
    cutoff_hz: float = setting(
        2.0, "Hz", "low-pass cut-off of the rep signal",
        "a rep takes 1-4 s (0.25-1 Hz); 2 Hz keeps a jumping lunge's bottom and removes jitter",
    )  # fmt: skip
    top_percentile: float = setting(
        95.0, "percentile", "the top posture (depth 0) is this percentile of the hip height over the clip",
        "robust to a few frames of a jump or a mis-detection",
    )  # fmt: skip
    turn_delta: float = setting(
        0.03, "leg lengths", "a turning point of the depth counts once the signal has moved back by this much",
        "about twice MediaPipe's world-landmark jitter of the hip height (~1.5 % of leg length)",
    )  # fmt: skip
    min_amplitude: float = setting(
        0.06, "leg lengths", "a rep's descent or ascent is at least this deep",
        "a split-squat pulse moves the pelvis ~7 % of leg length; walking and stepping move it less than 5 %",
    )  # fmt: skip
    return_fraction: float = setting(
        0.4, "fraction", "between two reps the pelvis rises and falls again by at least this fraction of the "
        "smaller rep's outer excursion, or they are one rep (a hold, a wobble, a pause on the way up); a rep "
        "whose smaller side is under this fraction of its larger never came back (a hold to the clip's end)",
        "a split-squat pulse returns 50-100 % of its descent; a wobble a few per cent",
    )  # fmt: skip
    return_min: float = setting(
        0.10, "leg lengths", "... and by at least this much",
        "three times the 0.03 hysteresis; a pulse in split stance moves the pelvis 0.2-0.4 leg lengths",
    )  # fmt: skip
    bottom_phase: float = setting(
        0.25, "fraction", "the bottom phase: depth within this fraction of the rep's excursion from its deepest; "
        "its frames give the movement and working-leg cues",
        "a median over the phase, not one frame: the single deepest frame moves with the frame rate and the "
        "model's noise. 0.25, not 0.1: a hold's wobbles (~15-25 % of the excursion) split a narrower phase",
    )  # fmt: skip
    bottom_time_phase: float = setting(
        0.4, "fraction", "the reported bottom time is the centroid (weighted by depth past the band's edge) of the "
        "part of the rep where depth is within this fraction of its excursion from the deepest point",
        "wider than bottom_phase: in a hold the models' "
        "depth drifts by up to ~0.15 leg lengths while the person holds still (full model, front-view lunge "
        "held 2.3 s: the 25 % band ended 0.8 s before the hold did), and a band ending early moves the bottom; "
        "on the 18 referenced clips 0.4 put more reps at one time for all three models (benchmarks/agreement.py)",
    )  # fmt: skip
    boundary_fraction: float = setting(0.25, "fraction", "a rep starts/ends where depth is back within this "
                                       "fraction of its excursion from the top")  # fmt: skip
    min_duration_s: float = setting(0.4, "s", "shortest rep")
    max_duration_s: float = setting(12.0, "s", "longest rep")
    min_present_fraction: float = setting(0.8, "fraction", "the person must be detected in at least this fraction "
                                          "of the rep's frames")  # fmt: skip
    min_knee_flexion_deg: float = setting(
        40.0, "deg", "the more flexed knee bends at least this much at the bottom (world landmarks)",
        "MediaPipe reads 20-35 deg standing; a lunge or squat bends the knee 60-110 deg; a step bends it less",
    )  # fmt: skip
    max_hip_travel: float = setting(
        1.0, "standing leg lengths", "reps whose pelvis ends more than this far sideways (image) from where it "
        "started are dropped (walking across the frame)", "a walking lunge advances about one step per rep",
    )  # fmt: skip
    foot_lift: float = setting(
        0.12, "leg lengths", "a foot whose lowest point is this much above the other's at the bottom is off the "
        "ground (single-leg squat)", "a lunge's rear foot stays on its toes (~0 above the floor)",
    )  # fmt: skip
    foot_lift_image: float = setting(
        0.06, "standing leg lengths", "... and that foot's lowest point is at least this much higher than the "
        "other's in the image (image y): the world landmarks and the image must agree",
        "front-view single-leg squats: the free foot 0.08-0.39 higher in the image, all three models; two "
        "planted feet at one depth within 0.03 on every squat rep, all models (the heavy model's world "
        "landmarks lift a planted foot of a wide squat by 0.12-0.15); the lite model's lateral lunge is the "
        "exception, its straight leg's foot 0.09-0.14 higher in the image as well",
    )  # fmt: skip
    reach_motion: float = setting(
        0.05, "standing leg lengths", "both feet down, the less bent leg's ankle moving at least this much over "
        "the rep (SD of its image position) and 1.5 times the bent leg's: a single-leg squat with a reaching or "
        "tapping free foot", "a planted foot's ankle moves 0.00-0.03 over a rep; a reaching foot 0.09-0.11 "
        "(front-view lateral-reach single-leg squat, all three models)",
    )  # fmt: skip
    knee_gap: float = setting(
        0.15, "leg lengths", "split stance: the knees' heights above the floor differ by at least this at the "
        "bottom, the rear knee toward the floor", "a lunge's front knee is about a shank (~0.5) above the rear",
    )  # fmt: skip
    rear_knee_max: float = setting(
        0.6, "leg lengths", "split stance: the lower (rear) knee is at most this high above the floor at the bottom",
        "a lunge's rear knee drops toward the floor; a single-leg squat's free knee stays near the standing knee",
    )  # fmt: skip
    straight_knee_deg: float = setting(
        35.0, "deg", "a knee flexed less than this is straight (the free leg of a single-leg squat, the "
        "trailing leg of a lateral lunge)", "MediaPipe reads 20-35 deg for a straight standing knee",
    )  # fmt: skip
    standing_feet: float = setting(
        0.4, "leg lengths", "frames with both knees straight and the ankles this close give the person's vertical "
        "(the world landmarks follow the camera's tilt)", "hip-width stance is ~0.3 leg lengths",
    )  # fmt: skip
    wide_stance: float = setting(
        0.8, "leg lengths", "feet at least this far apart sideways with one knee straight: a lateral lunge",
        "hip-width stance is ~0.3 leg lengths",
    )  # fmt: skip
    squat_max_flexion_gap_deg: float = setting(
        25.0, "deg", "both feet down, both knees bent at least min_knee_flexion_deg and within this of each other "
        "(and their heights within twice knee_gap): a squat (lead 'both')"
    )  # fmt: skip
    min_lead_confidence: float = setting(
        0.5, "0-1", "a rep whose lead cues reach less than this confidence gets lead 'unknown' and stays out "
        "of the per-leg findings",
    )  # fmt: skip
    planted_foot_tol: float = setting(
        0.12, "standing leg lengths", "consecutive reps whose lead ankle stays within this of one point share one "
        "planted foot, so one lead leg", "a foot that stays put is one foot: pose-model relabelling undone",
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
    max_size_change: float = setting(
        0.25, "fraction", "'size_change' when the person's pixels per metre near the top posture vary by more "
        "than this over the clip (90th over 10th percentile)",
        "a person standing still on a fixed camera varies by a few per cent (landmark noise)",
    )  # fmt: skip


@dataclass(frozen=True)
class ReliabilitySettings:
    """Plausibility gates (a value is withheld) and reliability grades (:mod:`lunge_screen.screen.gates`,
    :mod:`lunge_screen.screen.reliability`); derivations in docs/measurement.md."""

    max_knee_over_foot: float = setting(
        0.5, "shank lengths", "gate: |knee-over-foot| (bottom or peak) beyond this is withheld as anatomically "
        "impossible; the same bound, as asin(0.5) = 30 deg, applies to the shank tilt",
        "sin(30 deg): a shank tilted more than ~30 deg in the frontal plane at a lunge's bottom is not "
        "physiological; the largest value by eye in ../shared is about 0.3 (docs/measurement.md)",
    )  # fmt: skip
    min_shank_in_plane: float = setting(
        0.6, "fraction", "gate: the shank's length in the image plane over its 3D length (world landmarks) below "
        "this is withheld: the shank points at (or away from) the camera",
        "cos(53 deg): beyond it 7 deg of unseen camera yaw moves the knee by the over-foot margin "
        "(docs/measurement.md)",
    )  # fmt: skip
    fair_shank_in_plane: float = setting(
        0.8, "fraction", "grade: a shank in-plane ratio below this makes the rep at most 'fair'",
        "cos(37 deg): from here 10 deg of yaw moves the knee by the over-foot margin",
    )  # fmt: skip
    min_visibility: float = setting(
        0.5, "0-1", "gate: knee, ankle or foot tip with a lower MediaPipe visibility at the bottom is withheld",
        "visibility 0.5: the model finds the point as likely hidden as seen",
    )  # fmt: skip
    fair_visibility: float = setting(
        0.8, "0-1", "grade: a lower median visibility (knee, ankle, foot tip) around the bottom makes the rep "
        "at most 'fair'",
    )  # fmt: skip
    min_knee_flexion_deg: float = setting(
        40.0, "deg", "gate: an assessed knee bent less than this at the bottom (world landmarks) is nearly "
        "straight: not the loaded, bending knee of a lunge or squat; its alignment is withheld",
        "MediaPipe reads 20-35 deg for a straight standing knee and 10-18 for a free leg held out; the standing "
        "knee of a deep single-leg squat reads from 43 deg (the thigh points at the camera)",
    )  # fmt: skip
    jitter_window_s: float = setting(0.5, "s", "landmark jitter is measured over this long on each side of the bottom")
    fair_jitter: float = setting(
        0.01, "shank lengths", "grade: knee-over-foot jitter (high-frequency landmark noise) from this makes the "
        "rep at most 'fair'", "a tenth of the over-foot margin (0.10); clear clips in ../shared measure "
        "0.001-0.007 (docs/measurement.md)",
    )  # fmt: skip
    poor_jitter: float = setting(
        0.02, "shank lengths", "grade: jitter from this makes the rep 'poor'", "a fifth of the over-foot margin"
    )
    fair_shank_px: float = setting(
        50.0, "px", "grade: a shank shorter than this in the image makes the rep at most 'fair'",
        "the over-foot margin (0.10 shank) then spans fewer than 5 px: a few pixels of landmark error",
    )  # fmt: skip
    poor_shank_px: float = setting(25.0, "px", "grade: a shank shorter than this makes the rep 'poor'",
                                   "the margin spans fewer than 2.5 px")  # fmt: skip
    fair_yaw_deg: float = setting(
        15.0, "deg", "grade: a rep filmed with the person turned this far or more is at most 'fair'",
        "15 deg of yaw can turn varus into apparent valgus at modest flexion (../shared/docs/measurement.md)",
    )  # fmt: skip
    fair_fps: float = setting(
        20.0, "frames/s", "grade: a lower frame rate makes every rep at most 'fair'",
        "as QualitySettings.min_fps: the bottom of a rep may fall between frames",
    )  # fmt: skip
    poor_fps: float = setting(10.0, "frames/s", "grade: a lower frame rate makes every rep 'poor'")


@dataclass(frozen=True)
class AsymmetrySettings:
    """The left-right comparison's interval (:mod:`lunge_screen.screen.asymmetry`)."""

    interval_level: float = setting(
        0.95, "fraction", "coverage of the bootstrap interval of the left-minus-right difference", "convention"
    )
    n_resamples: int = setting(2000, "resamples", "bootstrap resamples of each leg's reps",
                               "enough for stable 2.5/97.5 percentiles (Efron & Tibshirani 1993)")  # fmt: skip
    seed: int = setting(0, "-", "random seed of the bootstrap: the same reps always give the same interval")


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
    peak_depth_fraction: float = setting(
        0.75, "fraction of the rep's depth", "knee-over-foot and shank-tilt peaks count only frames with the "
        "pelvis at least this far down (and the loaded frames' rules)",
        "in a wide stance a straighter, abducted leg puts the knee medial of the foot without any valgus "
        "before the leg is loaded (measured on a lateral lunge: docs/measurement.md)",
    )  # fmt: skip
    planted_speed: float = setting(0.5, "standing leg lengths/s", "... and the foot is planted: ankle slower than this")
    sustained_s: float = setting(0.2, "s", "a peak must be held this long; shorter spikes are landmark jitter")
    edge_margin: float = setting(
        0.01, "fraction of the frame", "knee, ankle and toe must be this far inside the frame's edges at the bottom"
    )
    standing: StandingSettings = section(StandingSettings, "standing reference and camera roll")
    cuts: CutSettings = section(CutSettings, "edit cuts")
    tracking: TrackingSettings = section(TrackingSettings, "linking people over time")
    orientation: OrientationSettings = section(OrientationSettings, "left/right label correction")
    quality: QualitySettings = section(QualitySettings, "quality warnings")
    reliability: ReliabilitySettings = section(ReliabilitySettings, "plausibility gates and reliability grades")
    asymmetry: AsymmetrySettings = section(AsymmetrySettings, "left-right comparison")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# ---- comparing sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareSettings:
    """Comparing sessions (:mod:`lunge_screen.compare`): the smallest detectable change and the set-up checks.

    Too few reps: a leg's change is withheld unless both sessions measured at least
    ``max(2, min_reps_per_leg)`` of its reps (``[analysis.thresholds]``, as each session recorded it).
    """

    confidence: float = setting(
        0.95, "0-1", "two-sided confidence of the smallest detectable change (0.95: MDC95)",
        "docs/measurement.md#comparing-sessions",
    )  # fmt: skip
    quantile: Quantile = setting(
        "t", "t or normal", "the MDC is this quantile times the standard error of the change: Student's t at "
        "Welch-Satterthwaite degrees of freedom (the SDs come from a few reps), or the normal 1.96",
        "benchmarks/compare_mdc.py: with 1.96, 11 % of unchanged legs are called changed at 3 reps per session",
    )  # fmt: skip
    mdc_floor: float = setting(
        0.0, "shank lengths", "the smallest detectable change is never below this; 0 = the sessions' own rep-to-rep "
        "noise only (set a between-session value once one is measured)",
        "no published between-session value for knee-over-foot",
    )  # fmt: skip
    person_size_tolerance: float = setting(
        0.2, "fraction", "'person_size' warning when the person's height in the image differs by more than this "
        "fraction between sessions (camera distance, zoom or resolution changed)",
    )  # fmt: skip
    fps_tolerance: float = setting(
        0.15, "fraction", "'frame_rate' warning when the analysed frame rates differ by more than this fraction"
    )


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
    compare: CompareSettings = section(CompareSettings, "comparing sessions (lunge-screen compare, batch changes.csv)")
    app: AppSettings = section(AppSettings, "the clinic app (lunge-screen app)")
