"""The comparison's plot: per leg, each session's rep values and median, and the band of the smallest detectable change.

A pure function of the :class:`Comparison` (Matplotlib, no pyplot state). For each
consecutive pair the grey band at the later session spans the earlier median ± its MDC95:
a median outside the band is a detectable change; inside, none.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from ..report.plots import BAND_COLOURS, LEG_COLOURS
from ..types import LEGS
from .model import Comparison

#: Category edges drawn in the background when a comparison records no thresholds.
DEFAULT_BANDS = {"lateral_max": -0.10, "over_foot_max": 0.10, "clearly_medial_min": 0.20}


def _bands(ax, t: dict[str, float], lo: float, hi: float) -> None:
    edges = [
        (-np.inf, t["lateral_max"], "lateral"),
        (t["lateral_max"], t["over_foot_max"], "over foot"),
        (t["over_foot_max"], t["clearly_medial_min"], "slightly medial"),
        (t["clearly_medial_min"], np.inf, "clearly medial"),
    ]
    for a, b, cat in edges:
        a, b = max(a, lo), min(b, hi)
        if b > a:
            ax.axhspan(a, b, color=BAND_COLOURS[cat], alpha=0.13, lw=0, zorder=0)
            ax.text(
                1.0,
                (a + b) / 2,
                f" {cat}",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=7.5,
                color=BAND_COLOURS[cat],
            )


def _leg_axis(ax, c: Comparison, leg: str, bands: dict[str, float]) -> None:
    sessions = c.legs[leg]
    xs = np.arange(len(sessions))
    values = [v for s in sessions for v in s.values]
    lo = min([*values, bands["lateral_max"]]) - 0.08
    hi = max([*values, bands["clearly_medial_min"]]) + 0.08
    for ch in (ch for ch in c.changes if ch.leg == leg and ch.span == "consecutive"):
        if ch.mdc95 is not None and ch.median_before is not None:
            m, d = ch.median_before, ch.mdc95
            ax.fill_between(
                [ch.after - 0.32, ch.after + 0.32], m - d, m + d, color="#9e9e9e", alpha=0.35, lw=0, zorder=1
            )
            ax.plot([ch.before, ch.after + 0.32], [m, m], color="#757575", ls=":", lw=1.0, zorder=1)
            ax.text(ch.after + 0.3, m + d, f"±{d:.2f} ", ha="right", va="top", fontsize=7.5, color="#424242", zorder=2)
            lo, hi = min(lo, m - d - 0.03), max(hi, m + d + 0.03)
        else:
            ax.text(ch.after, hi - 0.02, "not judged", ha="center", va="top", fontsize=8, color="#616161")
    medians = [s.median for s in sessions]
    known = [(x, m) for x, m in zip(xs, medians) if m is not None]
    if len(known) > 1:
        ax.plot(*zip(*known), color=LEG_COLOURS[leg], lw=1.2, alpha=0.6, zorder=2)
    for x, s in zip(xs, sessions):
        if s.values:
            jitter = np.linspace(-0.12, 0.12, len(s.values)) if len(s.values) > 1 else np.zeros(1)
            ax.scatter(x + jitter, s.values, s=34, color=LEG_COLOURS[leg], edgecolor="black", lw=0.5, zorder=3)
            ax.plot([x - 0.22, x + 0.22], [s.median] * 2, color="black", lw=2.2, zorder=4)
        ax.annotate(
            f"{s.n_reliable} rep{'s' if s.n_reliable != 1 else ''}",
            xy=(x, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="#424242",
        )
    ax.set_ylim(lo, hi)
    _bands(ax, bands, lo, hi)
    ax.axhline(0, color="#616161", lw=0.8, zorder=1)
    ax.set_xlim(-0.5, len(sessions) - 0.5)
    ax.set_xticks(xs, [textwrap.fill(s.label, 14) for s in c.sessions], fontsize=8.5)
    ax.grid(axis="y", alpha=0.3)
    ax.set_ylabel("peak knee over foot\n(shank lengths, medial +)", fontsize=8.5)
    ax.set_title(f"{leg.capitalize()} knee", fontsize=10, color=LEG_COLOURS[leg], loc="left")


def comparison_figure(c: Comparison) -> Figure:
    """Both legs across the sessions: rep dots, median bars, MDC95 bands, category bands."""
    thresholds = c.settings.get("thresholds") or [DEFAULT_BANDS]
    bands = {k: float(thresholds[-1].get(k, v)) for k, v in DEFAULT_BANDS.items()}
    width = max(6.4, 1.6 + 1.3 * len(c.sessions))
    fig = Figure(figsize=(width, 6.6), layout="constrained")
    axes = fig.subplots(len(LEGS), 1)
    for ax, leg in zip(axes, LEGS):
        _leg_axis(ax, c, leg, bands)
    fig.suptitle(
        "Dots: reps. Bars: medians. Grey: the earlier median ± the smallest detectable change (MDC95).",
        fontsize=8.5,
    )
    return fig
