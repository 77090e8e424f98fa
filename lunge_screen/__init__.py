"""lunge-screen: screen forward-lunge videos for frontal-plane knee valgus, per leg.

The public API is this short list; everything else is internal. Names are imported
on first use (PEP 562), so ``import lunge_screen`` -- and the command line, which
starts its pose helper processes before loading the analysis -- stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_PUBLIC = {
    "Analysis": "pipeline",
    "AnalysisSettings": "settings",
    "analyse_series": "pipeline",
    "analyse": "api",
    "compare": "compare",
    "Comparison": "compare",
    "write_comparison": "compare",
    "extract": "api",
    "run_batch": "batch",
    "LungeScreenError": "errors",
    "SessionResult": "results",
    "Thresholds": "settings",
    "LandmarkSeries": "track.series",
}

__all__ = [
    "Analysis",
    "AnalysisSettings",
    "Comparison",
    "LandmarkSeries",
    "LungeScreenError",
    "SessionResult",
    "Thresholds",
    "__version__",
    "analyse",
    "analyse_series",
    "compare",
    "extract",
    "run_batch",
    "write_comparison",
]


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lunge_screen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .api import analyse, extract
    from .batch import run_batch
    from .compare import Comparison, compare, write_comparison
    from .errors import LungeScreenError
    from .pipeline import Analysis, analyse_series
    from .results import SessionResult
    from .settings import AnalysisSettings, Thresholds
    from .track.series import LandmarkSeries
