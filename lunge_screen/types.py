"""The fixed value sets of the package, as ``Literal`` types (one owner for each).

They are also the values written to ``session.json`` and ``reps.csv`` (docs/schema.md);
the tuples beside them list the values at run time, in their report order.
"""

from __future__ import annotations

from typing import Literal, get_args

#: One of the person's legs (always the person's own left and right, never the image's).
Leg = Literal["left", "right"]
#: A rep's lead leg: one leg (a lunge), ``both`` (a squat: both knees at one height), or
#: ``unknown`` (no knee height at the bottom frame).
Lead = Literal["left", "right", "both", "unknown"]
#: Camera view of a rep or a clip (see :mod:`lunge_screen.measure.view`).
View = Literal["frontal", "rear", "oblique", "side", "unknown"]
#: Clinical category of one knee in one rep (see :mod:`lunge_screen.screen.categories`).
Category = Literal["over foot", "slightly medial", "clearly medial", "lateral"]
#: The screen's overall pattern (``Finding.pattern``).
Pattern = Literal["none", "left", "right", "both", "not measurable"]
#: Which way the person faces the camera.
Facing = Literal["camera", "away", "unknown"]
#: Rule choosing the screened person when several are seen (see :mod:`lunge_screen.track.subject`).
SubjectRule = Literal["largest", "center", "left", "right"]
#: A rep's kind, from its lead.
RepKind = Literal["lunge", "squat"]
#: Where an app session is (see :mod:`lunge_screen.app.store`): waiting, being analysed, finished, failed
#: with an error, or stopped part-way by a crash or a stop of the app.
SessionStatus = Literal["queued", "running", "done", "failed", "interrupted"]
#: A bundled MediaPipe Pose Landmarker model (see :mod:`lunge_screen.io.models`).
ModelName = Literal["lite", "full", "heavy"]

LEGS: tuple[Leg, ...] = get_args(Leg)
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
