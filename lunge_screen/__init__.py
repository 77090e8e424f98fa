"""lunge-screen: screen forward-lunge videos for frontal-plane knee valgus, per leg.

The public API is this short list; everything else is internal.
"""

__version__ = "0.1.0"

from .analysis import Analysis, AnalysisSettings, analyse_series
from .api import analyse, extract
from .errors import LungeScreenError
from .results import SessionResult
from .screening import Thresholds
from .series import LandmarkSeries

__all__ = [
    "Analysis",
    "AnalysisSettings",
    "LandmarkSeries",
    "LungeScreenError",
    "SessionResult",
    "Thresholds",
    "__version__",
    "analyse",
    "analyse_series",
    "extract",
    "run_batch",
]
