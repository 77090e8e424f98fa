"""What differs between two sessions besides the knee: settings, model, software, view, frame rate, person size.

Each difference becomes a :class:`ComparisonWarning` (codes in docs/schema.md#comparisonjson):
the comparison is still made, and the warning says what differs, because each of these
can move the numbers by itself. Sessions of different people are the user's responsibility.
The analysed time window (``extraction.start``/``end``) is not a difference of set-up.
"""

from __future__ import annotations

from typing import Any

from ..results import SessionResult
from ..settings import CompareSettings
from .model import ComparisonWarning

#: Recorded settings that choose which part of the video is analysed, not how it is measured.
WINDOW_SETTINGS = frozenset({"extraction.start", "extraction.end"})
#: At most this many differing settings are named in one warning.
MAX_NAMED = 4


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for k, v in data.items():
        out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def settings_differences(a: SessionResult, b: SessionResult) -> list[tuple[str, Any, Any]]:
    """``(dotted name, value in a, value in b)`` of every recorded setting that differs (None: not recorded)."""
    fa, fb = _flatten(a.settings), _flatten(b.settings)
    names = sorted((set(fa) | set(fb)) - WINDOW_SETTINGS)
    return [(n, fa.get(n), fb.get(n)) for n in names if fa.get(n) != fb.get(n)]


def analysed_fps(result: SessionResult) -> float:
    """Frames per second the analysis saw: the video's rate, capped at the recorded ``max_fps``."""
    cap = result.settings.get("extraction", {}).get("max_fps")
    fps = float(result.input.fps)
    return min(fps, float(cap)) if isinstance(cap, int | float) and cap > 0 else fps


def _relative(x: float, y: float) -> float:
    return abs(x - y) / min(x, y) if min(x, y) > 0 else float("inf")


def _settings_warning(a: SessionResult, b: SessionResult, pair: str) -> list[ComparisonWarning]:
    diffs = settings_differences(a, b)
    if not diffs:
        return []
    named = ", ".join(f"{n} {va!r} → {vb!r}" for n, va, vb in diffs[:MAX_NAMED])
    more = f" and {len(diffs) - MAX_NAMED} more" if len(diffs) > MAX_NAMED else ""
    return [ComparisonWarning("settings", f"{pair}: analysed with different settings ({named}{more})")]


def pair_warnings(a: SessionResult, b: SessionResult, pair: str, cs: CompareSettings) -> list[ComparisonWarning]:
    """Warnings for one pair of sessions; ``pair`` names them in the messages (e.g. "pre → post")."""
    w = _settings_warning(a, b, pair)
    ma, mb = a.model, b.model
    if (ma.name, ma.sha256, ma.mediapipe_version) != (mb.name, mb.sha256, mb.mediapipe_version):
        w.append(
            ComparisonWarning(
                "model",
                f"{pair}: different pose models ({ma.name} {ma.sha256[:12]}, MediaPipe {ma.mediapipe_version} → "
                f"{mb.name} {mb.sha256[:12]}, MediaPipe {mb.mediapipe_version})",
            )
        )
    if a.software_version != b.software_version:
        w.append(
            ComparisonWarning(
                "software_version",
                f"{pair}: analysed by different lunge-screen versions "
                f"({a.software_version or 'unknown'} → {b.software_version or 'unknown'})",
            )
        )
    if a.view != b.view:
        w.append(ComparisonWarning("view", f"{pair}: filmed from different views ({a.view} → {b.view})"))
    fa, fb = analysed_fps(a), analysed_fps(b)
    if _relative(fa, fb) > cs.fps_tolerance:
        w.append(
            ComparisonWarning(
                "frame_rate",
                f"{pair}: different frame rates ({fa:.0f} → {fb:.0f} frames/s): a lower rate can miss a knee's peak",
            )
        )
    w += _size_warning(a, b, pair, cs)
    return w


def _size_warning(a: SessionResult, b: SessionResult, pair: str, cs: CompareSettings) -> list[ComparisonWarning]:
    ha, hb = a.person_height_px, b.person_height_px
    if ha is None or hb is None:
        return [
            ComparisonWarning(
                "person_size_unknown",
                f"{pair}: the person's size in the image is not recorded for both sessions "
                "(a session.json from an older lunge-screen, or nobody found): the camera distance was not compared",
            )
        ]
    if _relative(ha, hb) > cs.person_size_tolerance:
        return [
            ComparisonWarning(
                "person_size",
                f"{pair}: the person appears at a different size ({ha:.0f} → {hb:.0f} px tall; frames "
                f"{a.input.width}×{a.input.height} → {b.input.width}×{b.input.height}): the camera distance, zoom or "
                "resolution changed",
            )
        ]
    return []


def setup_warnings(results: list[SessionResult], labels: list[str], cs: CompareSettings) -> list[ComparisonWarning]:
    """Warnings for every pair of consecutive sessions, in order."""
    out: list[ComparisonWarning] = []
    for i in range(1, len(results)):
        out += pair_warnings(results[i - 1], results[i], f"{labels[i - 1]} → {labels[i]}", cs)
    return out
