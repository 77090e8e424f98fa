"""Write a comparison's outputs into one folder, each file atomically, nothing outside it.

==================== =====================================================================
``comparison.json``  the whole :class:`Comparison` (lossless; docs/schema.md#comparisonjson)
``comparison.png``   the plot: both legs across the sessions with the MDC95 bands
``comparison.html``  the self-contained page (plot and each session's key frames inlined)
==================== =====================================================================
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..io.atomic import inside, write_bytes, write_text
from ..report.html import InlineImage
from .model import Comparison

JSON, PLOT, PAGE = "comparison.json", "comparison.png", "comparison.html"


def _plot_image(png: bytes) -> InlineImage:
    return InlineImage(
        png,
        "image/png",
        "Peak knee over foot of each rep, per leg and session, with each session's median and the bands of the "
        "smallest detectable change",
        "Each dot is one rep; black bars are each session's median. The grey band at a session spans the previous "
        "session's median ± the smallest detectable change between the two: a median outside it is a detectable "
        "change. Coloured background: the categories.",
    )


def _keyframes(c: Comparison) -> list[InlineImage | None]:
    """Each session's ``keyframes.jpg`` (written with its report), where it still exists."""
    images: list[InlineImage | None] = []
    for s in c.sessions:
        path = Path(s.keyframes) if s.keyframes else None
        if path is None or not path.is_file():
            images.append(None)
            continue
        images.append(
            InlineImage(
                path.read_bytes(),
                "image/jpeg",
                f"{s.label}: bottom of each leg's most inward rep",
                f"{s.label}: left knee and right knee at the bottom of their most inward rep.",
            )
        )
    return images


def write_comparison(comparison: Comparison, out_dir: str | os.PathLike, *, page: bool = True) -> list[Path]:
    """Write ``comparison.json``, and with ``page`` also ``comparison.png`` and ``comparison.html``, into ``out_dir``.

    The folder is created if needed. Returns the paths written.

    Raises
    ------
    OutputError
        ``out_dir`` cannot be created or written (exit code 10).
    """
    out = Path(out_dir)
    written = [write_text(inside(out, JSON), comparison.to_json() + "\n")]
    if not page:
        return written
    from ..report.plots import png_bytes  # Matplotlib only for the page
    from .page import render_page
    from .plot import comparison_figure

    png = png_bytes(comparison_figure(comparison))
    written.append(write_bytes(inside(out, PLOT), png))
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    html = render_page(comparison, _plot_image(png), _keyframes(comparison), generated)
    written.append(write_text(inside(out, PAGE), html))
    return written
