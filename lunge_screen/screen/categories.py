"""The clinical categories of one knee in one rep: the one place that maps knee-over-foot to a category.

All cut-offs live in :class:`lunge_screen.settings.Thresholds` (overridable from the CLI with
``--threshold NAME=VALUE`` and from the API with ``thresholds=``). Their defaults and
reasons, also in docs/measurement.md:

* **Knee-over-foot categories** (fraction of the shank length, medial +; the foot's
  axis runs through the midpoint of the ankle and the foot-index (toe-tip) landmarks,
  see ``measure.kinematics.TOE_WEIGHT``). A foot is about 10 cm wide and a shank about 42 cm
  long, so half a foot's width is about 0.12 shank lengths.
  ``over_foot_max = 0.10``: the knee within about 4 cm of the foot's axis -- over the
  foot, inside half its width. ``clearly_medial_min = 0.20``: about 8 cm, the knee
  past the foot's medial border. ``lateral_max = -0.10``: the knee outside the foot by
  the same margin. These are geometric choices, not published norms: no published norm
  exists for knee alignment in the forward lunge (docs/clinical-background.md); how
  they agree with a clinician-style grading of the test clips is in docs/validation.md.

Wording: the tool screens. It reports a pattern "consistent with" gluteus medius
weakness and never a diagnosis: hip-abductor strength explains only about 22 % of
frontal-plane knee alignment (Stickler 2015).
"""

from __future__ import annotations

import numpy as np

from ..settings import Thresholds
from ..types import CATEGORIES, MEDIAL_CATEGORIES, Category

__all__ = ["CATEGORIES", "MEDIAL_CATEGORIES", "categorise", "category_of"]


def categorise(peak: float, bottom: float, t: Thresholds) -> Category:
    """Clinical category of one knee in one rep from its knee-over-foot peak and bottom values.

    The peak (most medial over the loaded part of the rep) decides the medial
    categories, because the inward travel often happens mid-descent or mid-ascent;
    a knee that never comes inward but sits outside the foot at the bottom is lateral.
    """
    if peak >= t.clearly_medial_min:
        return "clearly medial"
    if peak > t.over_foot_max:
        return "slightly medial"
    if bottom < t.lateral_max:
        return "lateral"
    return "over foot"


def category_of(value: float, t: Thresholds) -> Category | None:
    """Category of a single knee-over-foot value (peak and bottom alike), None if it is NaN.

    The report's overlay colours the live offset with it.
    """
    if not np.isfinite(value):
        return None
    return categorise(value, value, t)
