"""The report's plots (Matplotlib, no pyplot state: safe in threads and batch workers).

Pure functions of plain data: arrays over time and the :class:`~lunge_screen.results.Rep`
list, so they can be tested on synthetic results without any video.

* :func:`timeseries_figure` -- knee-over-foot (primary), KMD change and valid FPPA over
  time for both legs, reps shaded in the lead leg's colour, withheld reps hatched, the
  category thresholds drawn.
* :func:`rep_comparison_figure` -- each rep's peak knee-over-foot per leg against the
  category bands, each leg's median, and the smallest detectable difference (SDD).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure

from ..results import Rep
from ..settings import Thresholds

LEG_COLOURS = {"left": "#1e88e5", "right": "#ef6c00", "both": "#7e57c2"}
BAND_COLOURS = {"lateral": "#8e24aa", "over foot": "#43a047", "slightly medial": "#fbc02d", "clearly medial": "#e53935"}

#: Series expected per leg by :func:`timeseries_figure` (name -> axis label).
SERIES = {
    "knee_over_foot": "knee over foot\n(shank lengths, medial +)",
    "kmd_change": "KMD change\n(leg lengths, medial +)",
    "fppa_deg": "FPPA, valid only\n(deg, valgus +)",
}


def _withheld(rep: Rep) -> bool:
    return not rep.legs or any(not m.measured for m in rep.legs)


def rear_leg_mask(time: np.ndarray, reps: list[Rep], leg: str) -> np.ndarray:
    """Boolean ``(T,)``: frames inside a lunge rep led by the other leg (this leg is the rear, unassessed one)."""
    t = np.asarray(time, float)
    mask = np.zeros(t.shape, bool)
    for r in reps:
        if r.kind == "lunge" and r.lead in ("left", "right") and r.lead != leg:
            mask |= (t >= r.start_s) & (t <= r.end_s)
    return mask


def _shade_reps(ax, reps: list[Rep], label: bool) -> None:
    for r in reps:
        if _withheld(r):
            ax.axvspan(r.start_s, r.end_s, facecolor="none", edgecolor="#9e9e9e", hatch="///", lw=0)
        else:
            ax.axvspan(r.start_s, r.end_s, color=LEG_COLOURS.get(r.lead, "#9e9e9e"), alpha=0.12, lw=0)
        if label:
            lead = {"left": "L", "right": "R", "both": "L+R"}.get(r.lead, "?")
            ax.annotate(
                f"{r.index} {lead}" + (" withheld" if _withheld(r) else ""),
                xy=((r.start_s + r.end_s) / 2, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                color=LEG_COLOURS.get(r.lead, "#616161"),
            )


def timeseries_figure(
    time: np.ndarray, legs: dict[str, dict[str, np.ndarray]], reps: list[Rep], thresholds: Thresholds
) -> Figure:
    """Measures over time for both legs.

    Parameters
    ----------
    time : array (T,)
        Seconds from the first frame.
    legs : dict
        ``legs[leg][name]`` per-frame arrays ``(T,)`` for ``leg`` in left/right and
        ``name`` in :data:`SERIES` (units there); NaN = not measured / not valid.
    reps : list of Rep
        Rep windows (``start_s``, ``bottom_s``, ``end_s``), lead leg and measures.
    thresholds : Thresholds
        Knee-over-foot category cut-offs drawn on the first panel.
    """
    t = np.asarray(time, float)
    fig = Figure(figsize=(6.4, 7.6), layout="constrained")
    axes = fig.subplots(len(SERIES), 1, sharex=True)
    for i, (ax, (name, ylabel)) in enumerate(zip(axes, SERIES.items())):
        _shade_reps(ax, reps, label=i == 0)
        any_valid = False
        for leg in ("left", "right"):
            y = np.where(rear_leg_mask(t, reps, leg), np.nan, legs.get(leg, {}).get(name, np.full(t.shape, np.nan)))
            any_valid |= bool(np.isfinite(y).any())
            ax.plot(t, y, color=LEG_COLOURS[leg], lw=1.6, label=f"{leg} knee")
            for r in reps:
                if r.lead in (leg, "both") and t.size:
                    b = int(np.clip(np.searchsorted(t, r.bottom_s), 0, t.size - 1))
                    if np.isfinite(y[b]):
                        ax.plot(t[b], y[b], marker="v", ms=7, color=LEG_COLOURS[leg], mec="black", mew=0.6)
        ax.axhline(0, color="#616161", lw=0.8)
        ax.set_ylabel(ylabel, fontsize=9)
        ax.grid(alpha=0.3)
        if name == "knee_over_foot":
            for value, cat in (
                (thresholds.clearly_medial_min, "clearly medial"),
                (thresholds.over_foot_max, "slightly medial"),
                (thresholds.lateral_max, "lateral"),
            ):
                ax.axhline(value, color=BAND_COLOURS[cat], ls="--", lw=1.1)
                ax.annotate(
                    cat,
                    xy=(1.0, value),
                    xycoords=("axes fraction", "data"),
                    xytext=(-2, 2 if value > 0 else -2),
                    textcoords="offset points",
                    ha="right",
                    va="bottom" if value > 0 else "top",
                    fontsize=8,
                    color=BAND_COLOURS[cat],
                )
            handles, labels = ax.get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside upper center", ncols=2, fontsize=9, frameon=False)
        if not any_valid:
            msg = "not valid in any frame (thigh foreshortened)" if name == "fppa_deg" else "not measured"
            ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center", color="#616161")
    axes[-1].set_xlabel("time (s)    ▼ bottom of a rep, on its lead leg")
    if t.size:
        axes[-1].set_xlim(t[0], t[-1])
    return fig


def _rep_values(reps: list[Rep], leg: str, attr: str) -> tuple[list[int], list[float], int]:
    """Rep numbers and values of ``attr`` for this leg's measured reps, and its count of withheld reps."""
    idx, vals, withheld = [], [], 0
    for r in reps:
        for m in r.legs:
            if m.leg != leg:
                continue
            v = getattr(m, attr)
            if m.measured and v is not None:
                idx.append(r.index)
                vals.append(float(v))
            elif not m.measured:
                withheld += 1
    return idx, vals, withheld


def _comparison_axis(ax, reps: list[Rep], attr: str, sdd: float, unit: str, bands: Thresholds | None) -> None:
    medians = {}
    lo, hi = -0.05, 0.05
    for x, leg in enumerate(("left", "right")):
        idx, vals, withheld = _rep_values(reps, leg, attr)
        if vals:
            jitter = np.linspace(-0.12, 0.12, len(vals)) if len(vals) > 1 else np.zeros(1)
            ax.scatter(x + jitter, vals, s=46, color=LEG_COLOURS[leg], edgecolor="black", lw=0.6, zorder=3)
            for j, v, k in zip(jitter, vals, idx):
                ax.annotate(str(k), (x + j, v), xytext=(5, 0), textcoords="offset points", fontsize=7, va="center")
            medians[leg] = float(np.median(vals))
            ax.plot([x - 0.25, x + 0.25], [medians[leg]] * 2, color="black", lw=2.2, zorder=4)
            lo, hi = min(lo, *vals), max(hi, *vals)
        n = len(vals)
        ax.annotate(
            f"{leg} knee\n{n} measured" + (f", {withheld} withheld" if withheld else ""),
            xy=(x, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -6),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
        )
    if bands is not None:
        lo, hi = min(lo, bands.lateral_max - 0.05), max(hi, bands.clearly_medial_min + 0.05)
    pad = 0.08 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    if bands is not None:
        edges = [(-np.inf, bands.lateral_max, "lateral"), (bands.lateral_max, bands.over_foot_max, "over foot")]
        edges += [(bands.over_foot_max, bands.clearly_medial_min, "slightly medial")]
        edges += [(bands.clearly_medial_min, np.inf, "clearly medial")]
        y0, y1 = ax.get_ylim()
        for a, b, cat in edges:
            a, b = max(a, y0), min(b, y1)
            if b > a:
                ax.axhspan(a, b, color=BAND_COLOURS[cat], alpha=0.16, lw=0)
                ax.text(1.62, (a + b) / 2, cat, ha="right", va="center", fontsize=8, color=BAND_COLOURS[cat])
    ax.axhline(0, color="#616161", lw=0.8)
    ax.set_xlim(-0.5, 1.65 if bands is not None else 1.5)
    ax.set_xticks([])
    ax.grid(axis="y", alpha=0.3)
    if len(medians) == 2:
        base = min(medians.values())
        diff = abs(medians["left"] - medians["right"])
        ax.annotate("", xy=(0.5, base + sdd), xytext=(0.5, base), arrowprops={"arrowstyle": "|-|", "lw": 1.4})
        verdict = "above" if diff > sdd else "within"
        fmt = ".1f" if unit else ".2f"
        ax.text(0.53, base + sdd / 2, f"SDD {sdd:g}{unit}\ndifference {diff:{fmt}}{unit}\n({verdict} SDD)", fontsize=8)
    else:
        ax.text(0.5, 0.02, f"SDD {sdd:g}{unit}: needs both legs measured", transform=ax.transAxes, fontsize=8,
                ha="center")  # fmt: skip


def rep_comparison_figure(reps: list[Rep], thresholds: Thresholds) -> Figure:
    """Per-leg rep values: peak knee-over-foot with category bands and SDD (+ valid FPPA when any).

    Dots are reps (numbered), bars the leg's median; the bracket between the legs is
    the smallest detectable difference, measured from the lower median: the legs
    differ only when the other median lies above its top.
    """
    has_fppa = any(m.fppa_bottom_deg is not None for r in reps for m in r.legs if m.measured)
    fig = Figure(figsize=(6.4, 4.4 if not has_fppa else 7.8), layout="constrained")
    axes = fig.subplots(2 if has_fppa else 1, 1, squeeze=False)[:, 0]
    _comparison_axis(axes[0], reps, "knee_over_foot_peak", thresholds.sdd_knee_over_foot, "", thresholds)
    axes[0].set_ylabel("peak knee over foot\n(shank lengths, medial +)", fontsize=9)
    axes[0].set_title("Each rep's peak knee-over-foot, by leg", fontsize=10)
    if has_fppa:
        _comparison_axis(axes[1], reps, "fppa_bottom_deg", thresholds.sdd_fppa_deg, "°", None)
        axes[1].set_ylabel("FPPA at the bottom\n(deg, valgus +; valid reps only)", fontsize=9)
    return fig


def png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (no timestamp metadata, so identical inputs give identical files)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
