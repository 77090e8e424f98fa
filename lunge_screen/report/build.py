"""Build the clinician's outputs of one analysis: plots, key frames, annotated video, HTML report.

Called by :func:`lunge_screen.api.write` (``lunge-screen analyse``) and by
``lunge-screen report SESSION.json`` (which first re-runs the analysis from the saved
landmarks). Every file is written atomically inside ``out``:

==================  ===============================================================
``plot_time.png``   knee over foot, KMD change and valid FPPA over time
``plot_reps.png``   each rep's peak knee over foot per leg, bands and SDD
``keyframes.jpg``   the bottom of each leg's worst rep, side by side (needs the video)
``annotated.mp4``   the annotated video, H.264 (needs the video; skipped by --no-video)
``report.html``     the self-contained report (skipped by --no-report)
==================  ===============================================================
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

from .. import __version__
from ..io.atomic import inside, write_bytes, write_text
from ..pipeline import Analysis
from ..track.series import LandmarkSeries
from .annotate import write_annotated_video
from .encode import encoder_version
from .faces import face_ellipses
from .html import InlineImage, render_html
from .keyframes import jpeg_bytes, render_keyframes
from .overlay import plan_overlay
from .plots import png_bytes, rep_comparison_figure, timeseries_figure

PLOT_TIME, PLOT_REPS, KEYFRAMES, VIDEO, REPORT = (
    "plot_time.png",
    "plot_reps.png",
    "keyframes.jpg",
    "annotated.mp4",
    "report.html",
)


def source_video(video_path: str | os.PathLike | None, analysis: Analysis) -> Path | None:
    """The video to draw on: the one given, else the one recorded in the session when it still exists."""
    for candidate in (video_path, analysis.result.input.path):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def software_versions(analysis: Analysis) -> dict[str, str]:
    """Software and model versions for the report's footer."""
    import cv2
    import matplotlib
    import numpy
    import scipy

    m = analysis.result.model
    return {
        "lunge-screen": analysis.result.software_version or __version__,
        "Pose model": f"MediaPipe Pose Landmarker '{m.name}', MediaPipe {m.mediapipe_version}",
        "Model sha256": m.sha256 or "–",
        "Python": platform.python_version(),
        "Libraries": f"NumPy {numpy.__version__}, SciPy {scipy.__version__}, OpenCV {cv2.__version__}, "
        f"Matplotlib {matplotlib.__version__}",
        "Video encoder": encoder_version(),
    }


def build_report(
    analysis: Analysis,
    series: LandmarkSeries,
    out: str | os.PathLike,
    *,
    video_path: str | os.PathLike | None,
    report: bool = True,
    video: bool = True,
    blur_faces: bool = True,
    patient: dict[str, str] | None = None,
) -> list[Path]:
    """Write the clinician's outputs into ``out``; return the paths written.

    Parameters
    ----------
    video_path
        The analysed video; ``None`` falls back to the path recorded in the session.
        Without a video, the plots and the report are still written (no key frames, no video).
    report
        Write the plots, the key frames and ``report.html``.
    video
        Write the annotated video.
    blur_faces
        Blur faces in the annotated video and the key frames.
    patient
        Optional ``name``, ``id``, ``session_date``, ``clinician``, ``note`` shown in the report.
    """
    out = Path(out)
    written: list[Path] = []
    if not (report or video) or analysis.track.n_frames == 0:
        return written
    thresholds = analysis.settings.thresholds
    plan = plan_overlay(analysis, thresholds)
    src = source_video(video_path, analysis)
    faces = face_ellipses(series) if blur_faces and src is not None else None
    video_file = None
    if video and src is not None:
        written.append(
            write_annotated_video(src, plan, series, inside(out, VIDEO), blur_faces=blur_faces, faces=faces).path
        )
        video_file = VIDEO
    if not report:
        return written
    plots, pngs = _plots(analysis, thresholds)
    written += [write_bytes(inside(out, name), data) for name, data in pngs]
    keyframes = None
    if src is not None and analysis.result.reps:
        jpg = jpeg_bytes(render_keyframes(src, plan, faces, series.frame_index))
        written.append(write_bytes(inside(out, KEYFRAMES), jpg))
        keyframes = _keyframes_image(jpg)
    result = analysis.result
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    html = render_html(
        result,
        thresholds=thresholds,
        cutoff_hz=analysis.settings.filters.cutoff_hz,
        keyframes=keyframes,
        plots=plots,
        patient=patient,
        video_file=video_file,
        blur_faces=blur_faces,
        versions=software_versions(analysis),
        generated=generated,
    )
    written.append(write_text(inside(out, REPORT), html))
    return written


def _keyframes_image(jpg: bytes) -> InlineImage:
    return InlineImage(
        jpg,
        "image/jpeg",
        "Bottom of each leg's most inward rep, left knee and right knee, with the overlay",
        "The bottom of each leg's most inward rep. Coloured arrow: the knee's offset from the foot's vertical "
        "line (dashed); white dashed line: hip to ankle.",
    )


def _plots(analysis: Analysis, thresholds) -> tuple[list[InlineImage], list[tuple[str, bytes]]]:
    """The two plots as images for the page, and as ``(file name, PNG bytes)`` to write."""
    result = analysis.result
    legs = {
        leg: {"knee_over_foot": s.knee_over_foot, "kmd_change": s.kmd_change, "fppa_deg": s.fppa_deg}
        for leg, s in analysis.legs.items()
    }
    time_png = png_bytes(timeseries_figure(analysis.track.time, legs, result.reps, thresholds))
    reps_png = png_bytes(rep_comparison_figure(result.reps, thresholds))
    plots = [
        InlineImage(
            reps_png,
            "image/png",
            "Peak knee over foot of each rep, by leg, with category bands and the smallest detectable difference",
            "Each dot is one rep (numbered); black bars are each leg's median; the bracket is the smallest "
            "detectable difference between the legs.",
        ),
        InlineImage(
            time_png,
            "image/png",
            "Knee over foot, KMD change and FPPA over time for both legs, reps shaded",
            "Measures over the whole video. Dashed lines: category thresholds. Shaded: reps, in the lead leg's "
            "colour; hatched: measures withheld. The rear leg of a lunge is not assessed and not drawn during "
            "that rep.",
        ),
    ]
    return plots, [(PLOT_TIME, time_png), (PLOT_REPS, reps_png)]
