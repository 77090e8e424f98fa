"""Key frames: the bottom of each leg's worst rep, side by side, with the overlay.

"Worst" is the rep with the largest peak knee-over-foot among the leg's measured
reps (the most inward). Each panel is cropped to the lower body (hips to feet, where
the finding is), captioned with the leg, the rep, its category and value, and the
two panels are joined left knee | right knee: the picture for a letter or to show
the patient. A leg with no measured rep gets a grey panel saying why.
"""

from __future__ import annotations

import io
import os

import numpy as np
from PIL import Image

from ..io.video import iter_frames, probe
from ..results import LegMeasures, Rep
from ..track.series import L_ANKLE, L_FOOT, L_HEEL, L_HIP, L_KNEE, R_ANKLE, R_FOOT, R_HEEL, R_HIP, R_KNEE
from .annotate import nearest_rows
from .faces import Ellipse, blur_ellipses
from .overlay import BLACK, CATEGORY_COLOURS, WHITE, OverlayPlan, draw_frame, text_box

LOWER_BODY = [L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE, L_HEEL, R_HEEL, L_FOOT, R_FOOT]
#: Height of each panel's picture in pixels (before the caption).
PANEL_HEIGHT = 720


def worst_reps(reps: list[Rep]) -> dict[str, tuple[Rep, LegMeasures] | None]:
    """Per leg: the reliable (else measured) rep with the largest peak knee-over-foot; else the first withheld one.

    None for a leg never assessed. A poor rep is shown only when the leg has no reliable one.
    """
    out: dict[str, tuple[Rep, LegMeasures] | None] = {}
    for leg in ("left", "right"):
        assessed = [(r, m) for r in reps for m in r.legs if m.leg == leg]
        measured = [(r, m) for r, m in assessed if m.measured and m.knee_over_foot_peak is not None]
        measured = [(r, m) for r, m in measured if m.reliable] or measured
        if measured:
            out[leg] = max(measured, key=lambda rm: rm[1].knee_over_foot_peak)
        else:
            out[leg] = assessed[0] if assessed else None
    return out


def crop_box(points: np.ndarray, width: int, height: int, margin: float = 0.18) -> tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)`` pixels around the finite ``points`` ``(N, 2)``, padded and at least 3:5 wide:tall.

    Falls back to the whole frame when no point is finite.
    """
    p = np.asarray(points, float)
    p = p[np.isfinite(p).all(axis=1)]
    if len(p) == 0:
        return 0, 0, width, height
    x0, y0 = p.min(axis=0)
    x1, y1 = p.max(axis=0)
    h = max(y1 - y0, 1.0)
    y0, y1 = y0 - margin * h, y1 + margin * h
    w_min = 0.6 * (y1 - y0)
    cx, w = (x0 + x1) / 2, max(x1 - x0 + 2 * margin * h, w_min)
    x0, x1 = cx - w / 2, cx + w / 2
    return max(0, int(x0)), max(0, int(y0)), min(width, int(np.ceil(x1))), min(height, int(np.ceil(y1)))


def _caption(leg: str, pick: tuple[Rep, LegMeasures] | None, n_reps: int, width: int) -> Image.Image:
    size = max(14, width // 24)
    if pick is None:
        lines = [(f"{leg.capitalize()} knee", WHITE, True), (f"not tested: no rep led by the {leg} leg", WHITE, False)]
        return text_box(lines, size, width, fill=(97, 97, 97, 255))
    rep, m = pick
    title = (f"{leg.capitalize()} knee · rep {rep.index} of {n_reps} ({rep.kind}) · {rep.bottom_s:.1f} s", WHITE, True)
    if m.measured:
        line = (f"{m.category}: peak knee-over-foot {m.knee_over_foot_peak:+.2f}", BLACK, True)
        colour = CATEGORY_COLOURS[m.category]
    else:
        line = (f"measures withheld: {m.withheld_reason}", WHITE, True)
        colour = CATEGORY_COLOURS[None]
    top = text_box([title], size, width, fill=(33, 33, 33, 255))
    bottom = text_box([line], size, width, fill=(*colour, 255))
    box = Image.new("RGBA", (width, top.height + bottom.height))
    box.paste(top, (0, 0))
    box.paste(bottom, (0, top.height))
    return box


def _panel(picture: np.ndarray | None, caption: Image.Image, height: int) -> Image.Image:
    width = caption.width
    out = Image.new("RGB", (width, caption.height + height), (224, 224, 224) if picture is None else (33, 33, 33))
    out.paste(caption.convert("RGB"), (0, 0))
    if picture is not None and picture.size:
        ch, cw = picture.shape[:2]
        s = min(width / cw, height / ch)
        pic = Image.fromarray(picture).resize((max(1, round(cw * s)), max(1, round(ch * s))), Image.Resampling.LANCZOS)
        out.paste(pic, ((width - pic.width) // 2, caption.height + (height - pic.height) // 2))
    return out


def render_keyframes(
    video_path: str | os.PathLike,
    plan: OverlayPlan,
    faces: list[list[Ellipse]] | None,
    face_frame_index: np.ndarray | None,
    *,
    panel_height: int = PANEL_HEIGHT,
) -> Image.Image:
    """The side-by-side key-frame image (left knee | right knee), faces blurred when ``faces`` is given.

    ``faces`` are :func:`~lunge_screen.report.faces.face_ellipses` per landmark-series
    frame, and ``face_frame_index`` that series' source frame indices.
    """
    picks = worst_reps(plan.reps)
    frames = sorted({pick[0].bottom_frame for pick in picks.values() if pick is not None})
    info = probe(video_path)
    # threads=False: FFmpeg's frame threads plus PyAV's GIL-taking log callback (installed by
    # lunge_screen.video) deadlocked here now and then after a seek; two frames decode fast on one thread.
    wanted = np.asarray(frames, int)
    decoded = {f.index: f.image for f in iter_frames(video_path, info=info, indices=wanted, threads=False)}
    crops: dict[str, np.ndarray | None] = {}
    for leg, pick in picks.items():
        if pick is None or pick[0].bottom_frame not in decoded:
            crops[leg] = None
            continue
        f = pick[0].bottom_frame
        img = decoded[f].copy()
        if faces is not None and face_frame_index is not None:
            blur_ellipses(img, faces[int(nearest_rows(face_frame_index, np.array([f]))[0])], img.shape[1] / info.width)
        row = int(nearest_rows(plan.frame_index, np.array([f]))[0])
        draw_frame(img, plan, row, readout=False, only_leg=leg)
        s = img.shape[1] / plan.width
        x0, y0, x1, y1 = crop_box(plan.points[row, LOWER_BODY] * s, img.shape[1], img.shape[0])
        crops[leg] = img[y0:y1, x0:x1]
    widths = [int(round(c.shape[1] * panel_height / c.shape[0])) for c in crops.values() if c is not None]
    width = max(360, min(720, max(widths, default=480)))
    panels = [_panel(crops[leg], _caption(leg, picks[leg], len(plan.reps), width), panel_height) for leg in crops]
    gap = 16
    out = Image.new("RGB", (sum(p.width for p in panels) + gap, max(p.height for p in panels)), WHITE)
    x = 0
    for p in panels:
        out.paste(p, (x, 0))
        x += p.width + gap
    return out


def jpeg_bytes(image: Image.Image, quality: int = 88) -> bytes:
    """JPEG bytes of a PIL image."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality, optimize=True)
    return buf.getvalue()
