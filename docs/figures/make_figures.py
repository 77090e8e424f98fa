"""Draw the documentation figures from synthetic points with the project's own measurement code.

Run from the project root::

    .venv/bin/python docs/figures/make_figures.py

Writes

* ``docs/figures/sign_conventions.svg`` -- what each frontal-plane measure is and
  which way is positive, with the values computed by :mod:`lunge_screen.kinematics`
  on the drawn points (so the figure cannot disagree with the code);
* ``docs/figures/views.svg`` -- camera roll correction and the view classes by yaw;
* ``sample_videos/camera_setup.svg`` -- the recording set-up for clinicians.

The SVGs are deterministic (fixed hash salt, no date), so re-running the script
changes nothing unless the drawing or the code's conventions changed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Arc, FancyArrowPatch, Polygon, Rectangle, Wedge

from lunge_screen.measure import kinematics as kin
from lunge_screen.measure.standing import MIN_ROLL_DEG
from lunge_screen.settings import AnalysisSettings, Thresholds

ROOT = Path(__file__).resolve().parents[2]
MEDIAL = "#c0392b"  # medial / valgus-looking: red
LATERAL = "#2471a3"  # lateral: blue
GREY = "#7f8c8d"
LEG = "#2c3e50"

plt.rcParams.update(
    {
        "svg.hashsalt": "lunge-screen",
        "svg.fonttype": "none",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
    }
)


def save(fig: plt.Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    print(f"wrote {path.relative_to(ROOT)}")


def image_axes(ax: plt.Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Image coordinates: x right, y DOWN, equal scale, no ticks."""
    ax.set_xlim(*xlim)
    ax.set_ylim(ylim[1], ylim[0])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_color("#d5d8dc")


def arrow(ax, a, b, color, text=None, offset=(0, 0), **kw) -> None:
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=10, color=color, lw=1.4, **kw))
    if text:
        mid = (0.5 * (a[0] + b[0]) + offset[0], 0.5 * (a[1] + b[1]) + offset[1])
        ax.text(*mid, text, color=color, ha="center", va="center", fontsize=8)


def draw_leg(ax, hip, knee, ankle, toe=None, other_hip=None, color=LEG) -> None:
    pts = np.array([hip, knee, ankle])
    ax.plot(pts[:, 0], pts[:, 1], "-", color=color, lw=3, solid_capstyle="round", zorder=3)
    ax.plot(pts[:, 0], pts[:, 1], "o", ms=6, mfc="white", mec=color, mew=1.5, zorder=4)
    if toe is not None:
        ax.plot([ankle[0], toe[0]], [ankle[1], toe[1]], "-", color=color, lw=3, solid_capstyle="round", zorder=3)
    if other_hip is not None:
        ax.plot([hip[0], other_hip[0]], [hip[1], other_hip[1]], "-", color=GREY, lw=2, zorder=2)
        ax.plot(*other_hip, "o", ms=6, mfc="white", mec=GREY, mew=1.5, zorder=4)


def medial_hint(ax, x, y, medial: float) -> None:
    arrow(ax, (x, y), (x + 45 * medial, y), GREY)
    ax.text(x + 50 * medial, y, "medial", color=GREY, ha="left" if medial > 0 else "right", va="center", fontsize=8)


# The person's RIGHT leg of someone facing the camera: it is on the IMAGE LEFT, so its
# medial side (toward the other hip) is image +x. Pixels, y down.
HIP = np.array([300.0, 300.0])
OTHER_HIP = np.array([390.0, 300.0])
KNEE = np.array([326.0, 420.0])
ANKLE = np.array([300.0, 540.0])
TOE = np.array([290.0, 566.0])
STANDING_SHANK = 120.0
STANDING_THIGH = 120.0
STANDING_LEG = 240.0


def sign_conventions() -> plt.Figure:
    t = Thresholds()
    medial = kin.medial_sign(HIP[None], OTHER_HIP[None])
    fig, axes = plt.subplots(1, 4, figsize=(12.5, 4.4))

    # (a) knee-over-foot and shank tilt
    ax = axes[0]
    image_axes(ax, (215, 425), (270, 600))
    draw_leg(ax, HIP, KNEE, ANKLE, TOE, OTHER_HIP)
    ref_x = 0.5 * (ANKLE[0] + TOE[0])
    ax.axvline(ref_x, color=GREY, ls="--", lw=1)
    ax.text(ref_x - 4, 592, "foot axis", color=GREY, ha="right", fontsize=8)
    ax.plot(ref_x, 0.5 * (ANKLE[1] + TOE[1]), "x", color=GREY, ms=7)
    kof = float(kin.knee_over_foot(KNEE[None], ANKLE[None], TOE[None], medial, STANDING_SHANK)[0])
    tilt = float(kin.shank_tilt(KNEE[None], ANKLE[None], medial)[0])
    arrow(ax, (ref_x, KNEE[1]), KNEE, MEDIAL)
    ax.text(
        0.5 * (ref_x + KNEE[0]),
        KNEE[1] - 14,
        f"{kof:+.2f} shank",
        color=MEDIAL,
        ha="center",
        fontsize=8,
    )
    ax.plot([ANKLE[0], ANKLE[0]], [ANKLE[1], KNEE[1] + 10], ":", color=MEDIAL, lw=1)
    ax.add_patch(Arc(ANKLE, 90, 90, theta1=270, theta2=270 + tilt, color=MEDIAL, lw=1.2))
    ax.text(ANKLE[0] + 18, ANKLE[1] - 58, f"shank tilt\n{tilt:+.1f}°", color=MEDIAL, fontsize=8)
    medial_hint(ax, 340, 585, float(medial[0]))
    cat = (
        "clearly medial" if kof >= t.clearly_medial_min else "slightly medial" if kof > t.over_foot_max else "over foot"
    )
    ax.set_title("(a) knee-over-foot (primary)")
    ax.set_xlabel(f"knee {kof:+.2f} standing shank lengths medial\nof the foot axis → '{cat}'")

    # (b) KMD
    ax = axes[1]
    image_axes(ax, (215, 425), (270, 600))
    draw_leg(ax, HIP, KNEE, ANKLE, None, OTHER_HIP)
    ax.plot([HIP[0], ANKLE[0]], [HIP[1], ANKLE[1]], "--", color="#e67e22", lw=1.2, zorder=2)
    d = ANKLE - HIP
    foot = HIP + d * np.dot(KNEE - HIP, d) / np.dot(d, d)
    value = float(kin.kmd(HIP[None], KNEE[None], ANKLE[None], medial, STANDING_LEG)[0])
    arrow(ax, foot, KNEE, MEDIAL)
    ax.text(KNEE[0] + 8, KNEE[1] + 4, f"KMD {value:+.2f}\nleg lengths", color=MEDIAL, fontsize=8, va="top")
    ax.text(HIP[0] - 6, 0.5 * (HIP[1] + ANKLE[1]) + 40, "hip–ankle\nline", color="#e67e22", ha="right", fontsize=8)
    medial_hint(ax, 340, 585, float(medial[0]))
    ax.set_title("(b) knee medial displacement")
    ax.set_xlabel("KMD change = KMD − the leg's own\nstanding KMD (removes stance width)")

    # (c) FPPA and its validity: a long thigh (valid) and a foreshortened one (withheld)
    ax = axes[2]
    image_axes(ax, (215, 545), (270, 600))
    draw_leg(ax, HIP, KNEE, ANKLE, None, None)
    ext = KNEE + (KNEE - HIP) * 0.6
    ax.plot([KNEE[0], ext[0]], [KNEE[1], ext[1]], ":", color=MEDIAL, lw=1.2)
    angle = float(kin.fppa(HIP[None], KNEE[None], ANKLE[None], medial)[0])
    th_dir = np.degrees(np.arctan2(KNEE[1] - HIP[1], KNEE[0] - HIP[0]))
    sh_dir = np.degrees(np.arctan2(ANKLE[1] - KNEE[1], ANKLE[0] - KNEE[0]))
    ax.add_patch(Arc(KNEE, 80, 80, theta1=th_dir, theta2=sh_dir, color=MEDIAL, lw=1.2))
    ax.text(KNEE[0] + 12, KNEE[1] + 45, f"FPPA {angle:+.0f}°\n(valgus +)", color=MEDIAL, fontsize=8)
    ratio = float(kin.thigh_ratio(HIP[None], KNEE[None], STANDING_THIGH)[0])
    ax.text(HIP[0], HIP[1] - 12, f"thigh {ratio:.0%}: valid", ha="center", fontsize=8)
    # the same knee and ankle with the thigh pointing at the camera (bottom of a front-view lunge)
    dx = 170.0
    short_hip = KNEE + np.array([dx - 22.0, -12.0])
    k2, a2 = KNEE + np.array([dx, 0.0]), ANKLE + np.array([dx, 0.0])
    draw_leg(ax, short_hip, k2, a2, None, None, color=GREY)
    r2 = float(kin.thigh_ratio(short_hip[None], k2[None], STANDING_THIGH)[0])
    a_short = float(kin.fppa(short_hip[None], k2[None], a2[None], medial)[0])
    ax.text(
        k2[0],
        short_hip[1] - 40,
        f"thigh {r2:.0%}: the angle\n({a_short:+.0f}°) is noise → withheld",
        ha="center",
        fontsize=8,
        color=GREY,
    )
    ax.set_title("(c) FPPA, only when valid")
    ax.set_xlabel(f"reported only where the projected thigh is\n≥ {t.fppa_min_thigh_ratio:.0%} of its standing length")

    # (d) pelvic obliquity and trunk lean (lead = right leg, on the image left)
    ax = axes[3]
    image_axes(ax, (190, 460), (110, 440))
    lead_hip, other_hip = np.array([290.0, 330.0]), np.array([380.0, 345.0])
    mid_hip = 0.5 * (lead_hip + other_hip)
    mid_sh = mid_hip + np.array([-32.0, -190.0])
    sh_l, sh_r = mid_sh + np.array([-55.0, 0.0]), mid_sh + np.array([55.0, 0.0])
    ax.plot([lead_hip[0], other_hip[0]], [lead_hip[1], other_hip[1]], "-", color=LEG, lw=3)
    ax.plot([mid_hip[0], mid_sh[0]], [mid_hip[1], mid_sh[1]], "-", color=LEG, lw=3)
    ax.plot([sh_l[0], sh_r[0]], [sh_l[1], sh_r[1]], "-", color=LEG, lw=3)
    ax.plot(*lead_hip, "o", ms=7, mfc=LEG, mec=LEG)
    ax.plot(*other_hip, "o", ms=6, mfc="white", mec=LEG)
    ax.text(lead_hip[0] - 6, lead_hip[1] + 20, "lead (stance)\nhip", ha="right", fontsize=8)
    ax.plot([lead_hip[0], other_hip[0] + 20], [lead_hip[1], lead_hip[1]], ":", color=GREY)
    # world landmarks share the image's "y down" convention; z = 0 in this sketch
    w_lead = np.array([lead_hip[0], lead_hip[1], 0.0]) / 1000
    w_other = np.array([other_hip[0], other_hip[1], 0.0]) / 1000
    obliquity = float(kin.pelvic_obliquity(w_lead, w_other))
    ax.text(other_hip[0] + 8, other_hip[1] + 22, f"pelvic obliquity\n{obliquity:+.1f}° (other\nhip lower)", fontsize=8)
    side = float(np.sign(lead_hip[0] - mid_hip[0]))
    lean = float(kin.trunk_lean(mid_hip, mid_sh, side))
    ax.plot([mid_hip[0], mid_hip[0]], [mid_hip[1], mid_sh[1] - 10], ":", color=GREY)
    ax.text(mid_hip[0] + 8, mid_sh[1] - 4, f"trunk lean {lean:+.1f}°\n(toward lead leg)", fontsize=8)
    ax.set_title("(d) pelvis and trunk, at the bottom")
    ax.set_xlabel("positive = contralateral pelvic drop;\ntrunk leaning over the stance leg")

    fig.suptitle(
        "Sign conventions (person facing the camera; their RIGHT leg, on the image left). "
        "Values computed by lunge_screen.kinematics on these points.",
        fontsize=9,
        y=1.0,
    )
    fig.tight_layout()
    return fig


def views() -> plt.Figure:
    v = AnalysisSettings().view
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.0))

    # (a) camera roll
    ax = axes[0]
    image_axes(ax, (-140, 140), (-170, 170))
    roll = 6.0
    frame = Rectangle((-95, -150), 190, 300, fill=False, ec=GREY, lw=1.5)
    ax.add_patch(frame)
    a = np.radians(roll)
    trunk = np.array([[0.0, 40.0], [np.sin(a) * 150, 40 - np.cos(a) * 150]])
    ax.plot(trunk[:, 0], trunk[:, 1], "-", color=LEG, lw=3)
    ax.plot([0, 0], [40, -120], ":", color=GREY)
    ax.add_patch(Arc((0, 40), 120, 120, theta1=270, theta2=270 + roll, color=MEDIAL, lw=1.3))
    ax.text(-88, 55, f"standing trunk tilt\n= camera roll ({roll:.0f}°)", color=MEDIAL, fontsize=8, va="top")
    ax.text(
        0,
        125,
        f"corrected (points rotated back)\nwhen |roll| ≥ {MIN_ROLL_DEG:.0f}°",
        ha="center",
        fontsize=8,
        color=GREY,
    )
    ax.set_title("(a) a phone that is not level")
    ax.set_xlabel("median trunk tilt over the standing frames")

    # (b) view classes: where the camera stands around the person, seen from above
    ax = axes[1]
    ax.set_aspect("equal")
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.2, 0.4)
    ax.axis("off")
    for lo, hi, color, name in (
        (0, v.frontal_max_yaw, "#abebc6", "frontal\n(rear if behind)"),
        (v.frontal_max_yaw, v.side_min_yaw, "#f9e79f", "oblique"),
        (v.side_min_yaw, 90, "#f5b7b1", "side"),
    ):
        for sgn in (1, -1):
            t1, t2 = (270 + lo, 270 + hi) if sgn > 0 else (270 - hi, 270 - lo)
            ax.add_patch(Wedge((0, 0), 1.0, t1, t2, fc=color, ec="white"))
        mid = np.radians(270 if lo == 0 else 270 + 0.5 * (lo + hi))
        label = f"{name}\n{lo:.0f}–{hi:.0f}°"
        ax.text(0.72 * np.cos(mid), 0.72 * np.sin(mid), label, ha="center", va="center", fontsize=8)
    ax.plot([-0.22, 0.22], [0, 0], "-", color=LEG, lw=4)
    ax.add_patch(plt.Circle((0, 0), 0.08, fc="white", ec=LEG, lw=2))
    ax.text(0, 0.14, "person (shoulders), facing down the page", ha="center", fontsize=8)
    ax.add_patch(Polygon([[-0.07, -1.12], [0.07, -1.12], [0, -0.98]], closed=True, fc=LEG))
    ax.text(0.1, -1.1, "camera, yaw 0°", fontsize=8)
    ax.set_title("(b) view class from the yaw (seen from above)")
    ax.text(
        0,
        0.3,
        "frontal-plane knee measures are withheld outside a frontal or rear view",
        ha="center",
        fontsize=8,
        color=GREY,
    )
    fig.tight_layout()
    return fig


def person_front(ax, cx: float, floor: float, height: float, lunge: bool = True) -> None:
    """A stick figure facing the viewer, optionally in a forward lunge toward the viewer."""
    h = height
    head_y = floor - 0.93 * h
    hip_y = floor - 0.5 * h * (0.8 if lunge else 1.0)
    sh_y = floor - 0.8 * h
    ax.add_patch(plt.Circle((cx, head_y), 0.06 * h, fc="white", ec=LEG, lw=2))
    ax.plot([cx, cx], [head_y + 0.06 * h, hip_y], "-", color=LEG, lw=2.5)
    ax.plot([cx - 0.12 * h, cx + 0.12 * h], [sh_y, sh_y], "-", color=LEG, lw=2.5)
    for s in (-1, 1):
        ax.plot([cx + s * 0.12 * h, cx + s * 0.16 * h], [sh_y, sh_y + 0.28 * h], "-", color=LEG, lw=2)
    hw = 0.07 * h
    ax.plot([cx - hw, cx + hw], [hip_y, hip_y], "-", color=LEG, lw=2.5)
    # lead leg (image left = person's right) forward: foot lower in the image
    ax.plot(
        [cx - hw, cx - hw - 0.01 * h, cx - hw],
        [hip_y, hip_y + 0.2 * h, floor + 0.04 * h],
        "-",
        color=LEG,
        lw=2.5,
    )
    ax.plot(
        [cx + hw, cx + hw + 0.02 * h, cx + hw + 0.01 * h],
        [hip_y, hip_y + 0.27 * h if lunge else hip_y + 0.25 * h, floor - 0.03 * h],
        "-",
        color=LEG,
        lw=2.5,
    )


def camera_setup() -> plt.Figure:
    fig = plt.figure(figsize=(12, 4.6))
    gs = fig.add_gridspec(1, 3, width_ratios=[1.25, 1.5, 0.8])

    # (a) from above
    ax = fig.add_subplot(gs[0])
    ax.set_aspect("equal")
    ax.set_xlim(-1.7, 1.7)
    ax.set_ylim(-0.6, 4.9)
    ax.axis("off")
    ax.add_patch(Wedge((0, 0), 4.7, 90 - 24, 90 + 24, fc="#eaf2f8", ec="#aed6f1"))
    ax.add_patch(Rectangle((-0.12, -0.12), 0.24, 0.16, fc=LEG))
    ax.text(0.2, -0.2, "phone", fontsize=9)
    ax.add_patch(Rectangle((-0.9, 2.0), 1.8, 2.0, fc="#fdfefe", ec="#f0b27a", ls="--"))
    ax.text(0, 4.2, "screening area\n(plain, uncluttered)", ha="center", fontsize=8, color="#ca6f1e")
    ax.plot([-0.15, 0.15], [3.4, 3.4], "-", color=LEG, lw=5)
    ax.add_patch(plt.Circle((0, 3.4), 0.1, fc="white", ec=LEG, lw=2))
    arrow(ax, (-0.45, 3.3), (-0.45, 2.55), MEDIAL)
    arrow(ax, (0.45, 3.3), (0.45, 2.55), MEDIAL)
    ax.text(0.55, 2.85, "lunge\ntoward\nthe phone", color=MEDIAL, fontsize=8)
    ax.annotate("", xy=(-1.25, 0.05), xytext=(-1.25, 3.4), arrowprops={"arrowstyle": "<->", "color": GREY})
    ax.text(-1.35, 1.75, "2–4 m", rotation=90, ha="right", va="center", fontsize=9)
    ax.text(0, -0.55, "square to the person: facing the\nlens, not turned (≤ 25° of yaw)", ha="center", fontsize=8)
    ax.set_title("(a) from above")

    # (b) from the side
    ax = fig.add_subplot(gs[1])
    ax.set_aspect("equal")
    ax.set_xlim(-0.5, 4.3)
    ax.set_ylim(-0.25, 2.2)
    ax.axis("off")
    ax.plot([-0.5, 4.3], [0, 0], "-", color=GREY, lw=1.5)
    ax.plot([0.2, 0.2], [0, 0.9], "-", color=GREY, lw=2)
    ax.add_patch(Rectangle((0.14, 0.88), 0.12, 0.2, fc=LEG))
    ax.text(0.3, 1.15, "phone at hip height\n(≈ 0.9–1.0 m), level", fontsize=8)
    ax.add_patch(Polygon([[0.26, 0.98], [3.9, 2.05], [3.9, -0.1]], closed=True, fc="#eaf2f8", ec="#aed6f1", zorder=0))
    # person in profile, lunging toward the camera (to the left)
    hip, knee_f, ankle_f = (3.15, 0.78), (2.75, 0.45), (2.75, 0.02)
    knee_b, ankle_b = (3.35, 0.18), (3.75, 0.03)
    for a, b in ((hip, knee_f), (knee_f, ankle_f), (hip, knee_b), (knee_b, ankle_b)):
        ax.plot([a[0], b[0]], [a[1], b[1]], "-", color=LEG, lw=2.5)
    ax.plot([hip[0], 3.12], [hip[1], 1.45], "-", color=LEG, lw=2.5)
    ax.add_patch(plt.Circle((3.11, 1.58), 0.11, fc="white", ec=LEG, lw=2))
    ax.annotate("", xy=(0.2, -0.15), xytext=(3.15, -0.15), arrowprops={"arrowstyle": "<->", "color": GREY})
    ax.text(1.7, -0.22, "2–4 m", ha="center", va="top", fontsize=9)
    ax.text(2.2, 1.85, "whole body in the frame,\nfeet and some floor included", ha="center", fontsize=8)
    ax.set_title("(b) from the side")

    # (c) what the phone should see
    ax = fig.add_subplot(gs[2])
    ax.set_aspect("equal")
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(1.9, -0.1)
    ax.axis("off")
    ax.add_patch(Rectangle((0, 0), 1.0, 1.78, fc="#fbfcfc", ec=LEG, lw=2))
    person_front(ax, 0.5, 1.55, 1.35, lunge=False)
    ax.plot([0.05, 0.95], [1.66, 1.66], ":", color=GREY)
    ax.text(0.5, 1.72, "floor visible below the feet", ha="center", fontsize=7, color=GREY)
    ax.text(0.5, 0.06, "head room", ha="center", fontsize=7, color=GREY)
    ax.set_title("(c) the frame (portrait is fine)")
    fig.tight_layout()
    return fig


def main() -> None:
    save(sign_conventions(), ROOT / "docs" / "figures" / "sign_conventions.svg")
    save(views(), ROOT / "docs" / "figures" / "views.svg")
    save(camera_setup(), ROOT / "sample_videos" / "camera_setup.svg")


if __name__ == "__main__":
    main()
