"""Draw the screening overlay on video frames (pure drawing: no file I/O here).

What is drawn, in the frame's own pixels (landmarks are scaled from full display size):

* the skeleton of hips, knees, ankles and feet; during a rep the lead leg (both legs
  in a squat) is thick and outlined, the other leg thin;
* during each rep, for each assessed knee: the hip–ankle line (dashed white), the
  foot's vertical axis (dashed, in the person's vertical when the camera is rolled)
  and the knee's offset from it (the knee-over-foot measure), coloured by the rep's
  category; a withheld knee gets no lines and a grey banner saying why;
* a readout: rep counter, live knee-over-foot, KMD change and (valid) FPPA per leg.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from ..measure import kinematics as kin
from ..pipeline import Analysis
from ..results import Rep
from ..screen.categories import category_of
from ..settings import Thresholds
from ..track.series import L_HEEL, L_HIP, LEGS, R_HEEL, R_HIP

LEG_COLOURS = {"left": (66, 165, 245), "right": (255, 152, 0)}  # RGB: blue, orange
CATEGORY_COLOURS = {
    "over foot": (67, 160, 71),
    "slightly medial": (251, 192, 45),
    "clearly medial": (229, 57, 53),
    "lateral": (142, 36, 170),
    None: (158, 158, 158),
}
WHITE, BLACK, GREY = (255, 255, 255), (0, 0, 0), (158, 158, 158)
HEEL = {"left": L_HEEL, "right": R_HEEL}


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (shipped with Matplotlib, so always present) at ``size`` pixels."""
    name = "DejaVu Sans:bold" if bold else "DejaVu Sans"
    return ImageFont.truetype(font_manager.findfont(name), size)


@dataclass
class OverlayPlan:
    """Everything needed to draw any analysed frame, precomputed from an :class:`Analysis`.

    ``points`` are full-size display pixels ``(T, 33, 2)``; ``rep_of[t]`` is the index in
    ``reps`` of the rep containing track frame ``t`` (-1 outside reps).
    """

    points: np.ndarray
    time: np.ndarray
    frame_index: np.ndarray
    width: int
    height: int
    roll_deg: float
    reps: list[Rep]
    rep_of: np.ndarray
    live: dict[str, dict[str, np.ndarray]]
    thresholds: Thresholds


def plan_overlay(analysis: Analysis, thresholds: Thresholds) -> OverlayPlan:
    """Precompute the drawing plan of one analysis."""
    t = analysis.track
    rep_of = np.full(t.n_frames, -1)
    for k, w in enumerate(analysis.windows):
        rep_of[w.start : w.end + 1] = k
    live = {
        leg: {"kof": s.knee_over_foot, "kmd_change": s.kmd_change, "fppa": s.fppa_deg}
        for leg, s in analysis.legs.items()
    }
    return OverlayPlan(
        points=np.asarray(t.image[:, :, :2], float),
        time=t.time,
        frame_index=t.frame_index,
        width=t.width,
        height=t.height,
        roll_deg=float(analysis.standing.roll_deg),
        reps=analysis.result.reps,
        rep_of=rep_of,
        live=live,
        thresholds=thresholds,
    )


def live_category(kof: float, t: Thresholds) -> str | None:
    """Category of a single knee-over-foot value (for colouring the live offset), None if NaN."""
    return category_of(kof, t)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(p[0])), int(round(p[1]))


def _ok(*pts: np.ndarray) -> bool:
    return all(np.isfinite(p).all() for p in pts)


def dashed_line(img: np.ndarray, a: np.ndarray, b: np.ndarray, colour, thickness: int, dash: float) -> None:
    """Dashed anti-aliased line from ``a`` to ``b`` (pixels), dashes ``dash`` pixels long."""
    d = np.asarray(b, float) - np.asarray(a, float)
    n = max(1, int(np.hypot(*d) // dash))
    for i in range(0, n, 2):
        p, q = a + d * i / n, a + d * min(i + 1, n) / n
        cv2.line(img, _pt(p), _pt(q), colour, thickness, cv2.LINE_AA)


def _segment(img, a, b, colour, thickness, outline):
    if not _ok(a, b):
        return
    if outline:
        cv2.line(img, _pt(a), _pt(b), BLACK, thickness + max(2, thickness // 2), cv2.LINE_AA)
    cv2.line(img, _pt(a), _pt(b), colour, thickness, cv2.LINE_AA)


def draw_skeleton(img: np.ndarray, p: np.ndarray, unit: float, emphasis: dict[str, bool]) -> None:
    """Hips, knees, ankles, heels and toes of one frame; ``emphasis[leg]`` draws that leg thick."""
    _segment(img, p[L_HIP], p[R_HIP], WHITE, max(1, int(2 * unit)), True)
    for leg, j in LEGS.items():
        strong = emphasis.get(leg, False)
        th = max(1, int((5 if strong else 2) * unit))
        col = LEG_COLOURS[leg]
        chain = [j["hip"], j["knee"], j["ankle"], HEEL[leg], j["toe"], j["ankle"]]
        for a, b in itertools.pairwise(chain):
            _segment(img, p[a], p[b], col, th, strong)
        for k in (j["hip"], j["knee"], j["ankle"]):
            if _ok(p[k]):
                cv2.circle(img, _pt(p[k]), max(2, int((6 if strong else 3) * unit)), WHITE, -1, cv2.LINE_AA)
                cv2.circle(img, _pt(p[k]), max(2, int((6 if strong else 3) * unit)), col, max(1, int(unit)), 16)


def draw_measure(img: np.ndarray, p: np.ndarray, leg: str, plan: OverlayPlan, scale: float, colour) -> None:
    """Hip–ankle line, the foot's vertical axis and the knee's offset from it, for one leg."""
    j = LEGS[leg]
    hip, knee, ankle, toe = p[j["hip"]], p[j["knee"]], p[j["ankle"]], p[j["toe"]]
    if not _ok(hip, knee, ankle, toe):
        return
    unit = max(1.0, scale * min(plan.width, plan.height) / 720)
    dashed_line(img, hip, ankle, WHITE, max(1, int(2 * unit)), 10 * unit)
    # Foot axis and offset in the levelled frame (as kinematics.knee_over_foot measures them), then back.
    centre = (plan.width * scale / 2, plan.height * scale / 2)
    lev = kin.rotate_points(np.array([knee, ankle, toe]), -plan.roll_deg, centre)
    fx = lev[1, 0] + kin.TOE_WEIGHT * (lev[2, 0] - lev[1, 0])
    base_y = max(lev[1, 1], lev[2, 1])
    top_y = lev[0, 1] - 0.25 * (base_y - lev[0, 1])
    axis = kin.rotate_points(np.array([[fx, base_y], [fx, top_y], [fx, lev[0, 1]]]), plan.roll_deg, centre)
    dashed_line(img, axis[0], axis[1], colour, max(1, int(2 * unit)), 7 * unit)
    cv2.line(img, _pt(axis[2]), _pt(knee), BLACK, max(2, int(6 * unit)), cv2.LINE_AA)
    cv2.arrowedLine(img, _pt(axis[2]), _pt(knee), colour, max(1, int(4 * unit)), cv2.LINE_AA, tipLength=0.25)


def _fmt(v: float, spec: str, unit: str = "") -> str:
    return format(v, spec) + unit if np.isfinite(v) else "–"


def wrap(text: str, f: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap of ``text`` to lines at most ``width`` pixels wide in font ``f``."""
    lines: list[str] = []
    for word in text.split():
        if lines and f.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _blend_panel(img: np.ndarray, panel: Image.Image, x: int, y: int) -> None:
    """Alpha-blend an RGBA PIL image onto ``img`` at ``(x, y)`` (clipped to the frame)."""
    a = np.asarray(panel, dtype=np.float32)
    h, w = min(a.shape[0], img.shape[0] - y), min(a.shape[1], img.shape[1] - x)
    if h <= 0 or w <= 0:
        return
    a = a[:h, :w]
    roi = img[y : y + h, x : x + w].astype(np.float32)
    alpha = a[..., 3:4] / 255.0
    img[y : y + h, x : x + w] = (roi * (1 - alpha) + a[..., :3] * alpha).astype(np.uint8)


def text_box(lines: list[tuple[str, tuple, bool]], size: int, width: int, fill=(0, 0, 0, 190)) -> Image.Image:
    """An RGBA box of ``width`` pixels holding wrapped lines ``(text, rgb, bold)``."""
    pad = size // 2
    rows = [(ln, col, bold) for text, col, bold in lines for ln in wrap(text, font(size, bold), width - 2 * pad)]
    h = 2 * pad + int(len(rows) * size * 1.3)
    box = Image.new("RGBA", (width, h), fill)
    d = ImageDraw.Draw(box)
    for i, (text, col, bold) in enumerate(rows):
        d.text((pad, pad + i * size * 1.3), text, font=font(size, bold), fill=(*col, 255))
    return box


def rep_status(rep: Rep) -> tuple[str, tuple]:
    """One-line result of a rep and its colour (grey when any assessed knee is withheld)."""
    if not rep.legs:
        return f"Rep {rep.index}: lead leg unclear — no knee assessed", GREY
    parts = []
    for m in rep.legs:
        if m.measured:
            parts.append(f"{m.leg} knee {m.category} (peak {m.knee_over_foot_peak:+.2f})")
        else:
            parts.append(f"{m.leg} knee: measures withheld — {m.withheld_reason}")
    worst = max((m for m in rep.legs if m.measured), key=lambda m: m.knee_over_foot_peak, default=None)
    colour = GREY if any(not m.measured for m in rep.legs) or worst is None else CATEGORY_COLOURS[worst.category]
    return f"Rep {rep.index} ({rep.kind}): " + "; ".join(parts), colour


def draw_frame(
    img: np.ndarray, plan: OverlayPlan, row: int | None, *, readout: bool = True, only_leg: str | None = None
) -> np.ndarray:
    """Draw the overlay of track frame ``row`` onto RGB ``img`` in place (``None``: readout only).

    ``img`` may be smaller than the full display size; landmarks are scaled to it.
    ``only_leg`` limits the highlight and the measure lines to that leg (key frames).
    """
    h, w = img.shape[:2]
    scale = w / plan.width
    unit = max(0.5, min(w, h) / 720)
    k = int(plan.rep_of[row]) if row is not None else -1
    rep = plan.reps[k] if k >= 0 else None
    if row is not None:
        p = plan.points[row] * scale
        assessed = {m.leg: m for m in rep.legs if only_leg in (None, m.leg)} if rep else {}
        draw_skeleton(img, p, unit, {leg: leg in assessed for leg in LEGS})
        for leg, m in assessed.items():
            if m.measured:
                cat = live_category(float(plan.live[leg]["kof"][row]), plan.thresholds)
                draw_measure(img, p, leg, plan, scale, CATEGORY_COLOURS[cat])
    if not readout:
        return img
    size = max(11, int(18 * unit))
    n = len(plan.reps)
    head = f"Rep {rep.index} of {n} · {rep.kind} · lead: {rep.lead}" if rep else f"{n} rep(s) found · between reps"
    lines = [(head, WHITE, True)]
    withheld = {m.leg for m in rep.legs if not m.measured} if rep else set()
    for leg in LEGS:
        lead = rep is not None and leg in {m.leg for m in rep.legs}
        if leg in withheld:
            lines.append((f"{leg.capitalize()}: measures withheld", GREY, lead))
            continue
        if rep is not None and rep.kind == "lunge" and rep.legs and not lead:
            lines.append((f"{leg.capitalize()}: rear leg (not assessed in this rep)", GREY, False))
            continue
        v = {name: float(a[row]) if row is not None else np.nan for name, a in plan.live[leg].items()}
        text = (
            f"{leg.capitalize()}: knee-over-foot {_fmt(v['kof'], '+.2f')}  KMD Δ {_fmt(v['kmd_change'], '+.2f')}"
            f"  FPPA {_fmt(v['fppa'], '+.0f', '°')}"
        )
        lines.append((text, LEG_COLOURS[leg], lead))
    _blend_panel(img, text_box(lines, size, int(min(w, 30 * size))), 0, 0)
    if rep is not None:
        status, colour = rep_status(rep)
        box = text_box([(status, BLACK if colour != GREY else WHITE, True)], size, w, fill=(*colour, 225))
        _blend_panel(img, box, 0, h - box.height)
        if colour == GREY:  # withheld: hatch a frame border so it is visible at a glance
            cv2.rectangle(img, (0, 0), (w - 1, h - 1), GREY, max(2, int(6 * unit)))
    return img
