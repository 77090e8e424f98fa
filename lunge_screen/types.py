"""The fixed value sets of the package, as ``Literal`` types (one owner for each).

They are also the values written to ``session.json`` and ``reps.csv`` (docs/schema.md);
the tuples beside them list the values at run time, in their report order.
"""

from __future__ import annotations

from typing import Literal, get_args

#: One of the person's legs (always the person's own left and right, never the image's).
Leg = Literal["left", "right"]
#: A rep's working (assessed) leg: the front leg of a lunge, the standing leg of a single-leg
#: squat, the bending leg of a lateral lunge; ``both`` in a squat; ``unknown`` when the cues are
#: weak or disagree (such reps stay out of the per-leg findings).
Lead = Literal["left", "right", "both", "unknown"]
#: Camera view of a rep or a clip (see :mod:`lunge_screen.measure.view`).
View = Literal["frontal", "rear", "oblique", "side", "unknown"]
#: Clinical category of one knee in one rep (see :mod:`lunge_screen.screen.categories`).
Category = Literal["over foot", "slightly medial", "clearly medial", "lateral"]
#: The screen's overall pattern (``Finding.pattern``; see :mod:`lunge_screen.screen.finding`): ``left`` /
#: ``right`` (that knee rolls inward, more than the other beyond this clip's noise), ``bilateral`` (both
#: knees roll inward), ``inconsistent`` (inward on some reps, not others, or a one-sided difference within
#: the noise), ``incomplete`` (a knee rolls inward but the other leg cannot be compared), ``none``,
#: ``unreliable`` (measured, too noisy to judge) and ``not measurable``.
Pattern = Literal["none", "left", "right", "bilateral", "inconsistent", "incomplete", "unreliable", "not measurable"]
#: How far one knee's measure in one rep (or one leg's over its reps) can be trusted
#: (see :mod:`lunge_screen.screen.reliability`).
Grade = Literal["good", "fair", "poor"]
#: What one leg's reliable reps show (``LegSummary.judgement``; see :mod:`lunge_screen.screen.summary`).
LegJudgement = Literal["not tested", "not measured", "too few reps", "unreliable", "inward", "mixed", "not inward"]
#: Which way the person faces the camera.
Facing = Literal["camera", "away", "unknown"]
#: Rule choosing the screened person when several are seen (see :mod:`lunge_screen.track.subject`).
SubjectRule = Literal["largest", "center", "left", "right"]
#: A rep's movement (see :mod:`lunge_screen.reps.kind`): split stance, both feet, one foot off the
#: ground, a wide stance with one knee bent; ``unknown`` when the bottom's cues fit none.
RepKind = Literal["lunge", "squat", "single-leg squat", "lateral lunge", "unknown"]
#: How one leg's knee-over-foot changed between two sessions (see :mod:`lunge_screen.compare`):
#: beyond the smallest detectable change toward medial (``more inward``) or away from it
#: (``less inward``), within it, or not judged (too few measured reps).
Judgement = Literal["more inward", "less inward", "no detectable change", "withheld"]
#: How the left-right difference changed between two sessions.
AsymmetryJudgement = Literal["changed", "no detectable change", "withheld"]
#: The quantile of a smallest detectable change: Student's t (Welch-Satterthwaite degrees of
#: freedom, for SDs estimated from few reps) or the normal distribution's (1.96 at 95 %).
Quantile = Literal["t", "normal"]
#: Which two sessions a change is between: neighbours in time, or the first and the last.
ChangeSpan = Literal["consecutive", "first to last"]
#: Where an app session is (see :mod:`lunge_screen.app.store`): waiting, being analysed, finished, failed
#: with an error, or stopped part-way by a crash or a stop of the app.
SessionStatus = Literal["queued", "running", "done", "failed", "interrupted"]
#: A bundled MediaPipe Pose Landmarker model (see :mod:`lunge_screen.io.models`).
ModelName = Literal["lite", "full", "heavy"]

LEGS: tuple[Leg, ...] = get_args(Leg)
PATTERNS: tuple[Pattern, ...] = get_args(Pattern)
GRADES: tuple[Grade, ...] = get_args(Grade)
CATEGORIES: tuple[Category, ...] = get_args(Category)
VIEWS: tuple[View, ...] = get_args(View)
SUBJECT_RULES: tuple[SubjectRule, ...] = get_args(SubjectRule)
MODEL_NAMES: tuple[ModelName, ...] = get_args(ModelName)
SESSION_STATUSES: tuple[SessionStatus, ...] = get_args(SessionStatus)
#: Statuses after which nothing changes until the user asks for a rerun.
FINISHED_STATUSES: tuple[SessionStatus, ...] = ("done", "failed", "interrupted")
#: Views in which frontal-plane knee measures are valid.
FRONTAL_VIEWS: tuple[View, ...] = ("frontal", "rear")
#: Categories in which the knee is inside the foot's axis.
MEDIAL_CATEGORIES: tuple[Category, ...] = ("slightly medial", "clearly medial")


def other_leg(leg: Leg) -> Leg:
    """The other leg."""
    return "right" if leg == "left" else "left"
