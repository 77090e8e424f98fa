"""A session's analysis settings as a form: the pose model and every screening threshold.

The form shows each threshold with the unit, meaning and source recorded on its field in
:mod:`lunge_screen.settings` (one source for the page, the docs and ``config --defaults``). A
session stores ``{"model": NAME, "thresholds": {NAME: value}}`` with only the thresholds that
differ from their defaults; :func:`settings_from_form` checks a posted form into that shape.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from ..settings import Thresholds
from ..types import MODEL_NAMES

MODELS = {
    "lite": "fastest, least precise landmarks",
    "full": "the default: the balance the validation was done with",
    "heavy": "most precise, about three times slower than full",
}


@dataclass(frozen=True)
class ThresholdField:
    name: str
    value: float
    default: float
    unit: str
    meaning: str
    source: str
    integer: bool

    @property
    def changed(self) -> bool:
        return self.value != self.default


def threshold_fields(overrides: dict[str, Any] | None = None) -> list[ThresholdField]:
    """Every threshold with its value in a session (``overrides`` on the defaults) and its documentation."""
    current = Thresholds.with_overrides(overrides or {})
    default = Thresholds()
    return [_field(f, current, default) for f in dataclasses.fields(Thresholds)]


def _field(f: dataclasses.Field, current: Thresholds, default: Thresholds) -> ThresholdField:
    md = f.metadata
    integer = f.type in (int, "int")  # the annotation is a string under postponed evaluation
    return ThresholdField(
        f.name, getattr(current, f.name), getattr(default, f.name), md["unit"], md["meaning"], md.get("source", ""),
        integer,
    )  # fmt: skip


def default_settings(model: str) -> dict[str, Any]:
    return {"model": model, "thresholds": {}}


def settings_from_form(form: dict[str, str], default_model: str) -> dict[str, Any]:
    """``{"model", "thresholds"}`` from a posted form; ``ValueError`` naming the first bad field."""
    model = form.get("model", default_model)
    if model not in MODEL_NAMES:
        raise ValueError(f"model: {model!r} is not one of {', '.join(MODEL_NAMES)}")
    overrides: dict[str, float] = {}
    for f in threshold_fields():
        text = form.get(f"t_{f.name}", "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{f.name}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{f.name}: {text!r} is not a finite number")
        if f.integer:
            if value != int(value):
                raise ValueError(f"{f.name}: expected a whole number, got {text!r}")
            value = int(value)
        if value != f.default:
            overrides[f.name] = value
    Thresholds.with_overrides(overrides)  # the settings module's own checks
    return {"model": model, "thresholds": overrides}
