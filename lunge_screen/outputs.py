"""Everything ``lunge-screen analyse`` writes into its output folder, in one place.

Tables (``session.json``, ``reps.csv``, ``frames.csv``) come from
:mod:`lunge_screen.report.tables`; the clinician's report (plots, key frames,
annotated video, HTML) from the rest of :mod:`lunge_screen.report`. Every file is
written atomically inside ``out`` and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .analysis import Analysis
from .report.tables import write_tables
from .series import LandmarkSeries


@dataclass(frozen=True)
class OutputOptions:
    """What to write besides the tables (which are always written)."""

    frames_csv: bool = True
    landmarks: bool = True
    report: bool = True
    video: bool = True
    blur_faces: bool = True
    patient: dict[str, str] = field(default_factory=dict)


def write_outputs(
    analysis: Analysis,
    series: LandmarkSeries,
    out: str | Path,
    *,
    video_path: str | Path | None,
    options: OutputOptions = OutputOptions(),
) -> list[Path]:
    """Write every output of one analysis into ``out`` (created if needed); return the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if options.landmarks and video_path is not None:
        written.append(series.save(out / "landmarks.npz"))
    written += write_tables(analysis.result, analysis.frame_table() if options.frames_csv else None, out)
    if options.report or options.video:
        from .report.build import build_report  # Matplotlib and drawing only when asked for

        written += build_report(
            analysis,
            series,
            out,
            video_path=video_path,
            report=options.report,
            video=options.video,
            blur_faces=options.blur_faces,
            patient=options.patient,
        )
    return written
