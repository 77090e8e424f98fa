"""Synthetic people with known geometry: a 3D stick figure projected into the image.

Room coordinates (metres): X to the camera's right, Y up, Z toward the camera.
The image is an orthographic projection (``s`` pixels per metre), so every image
measure has an exact expected value. World landmarks follow MediaPipe's convention
(origin between the hips, x right, y down, z smaller = nearer the camera).

``lunge_series`` builds whole videos' worth of landmark series: alternating forward
lunges with a chosen knee medial displacement per leg, optional camera roll,
mirroring and rear view -- the truth is known exactly, so tests can check the
analysis against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lunge_screen.track.orientation import swap_permutation
from lunge_screen.track.series import (
    L_ANKLE,
    L_EAR,
    L_EYE,
    L_FOOT,
    L_HEEL,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    N_LANDMARKS,
    NOSE,
    R_ANKLE,
    R_EAR,
    R_EYE,
    R_FOOT,
    R_HEEL,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    LandmarkSeries,
    SourceInfo,
)


@dataclass(frozen=True)
class Body:
    hip_half: float = 0.10
    thigh: float = 0.42
    shank: float = 0.42
    ankle_height: float = 0.08
    foot: float = 0.20
    trunk: float = 0.52
    shoulder_half: float = 0.19
    head: float = 0.25


def _knee(hip, ankle, forward, body: Body):
    """Knee by two-link inverse kinematics, bending toward ``forward`` (unit 3-vector)."""
    d_vec = ankle - hip
    d = np.linalg.norm(d_vec)
    u = d_vec / d
    d = min(d, body.thigh + body.shank - 1e-6)
    a = (body.thigh**2 - body.shank**2 + d**2) / (2 * d)
    h = np.sqrt(max(body.thigh**2 - a**2, 0.0))
    v = forward - np.dot(forward, u) * u
    v /= np.linalg.norm(v)
    return hip + a * u + h * v


def pose(
    pelvis: np.ndarray,
    feet: dict[str, np.ndarray],
    knee_medial: dict[str, float],
    facing: int = 1,
    body: Body = Body(),
    toe_out_deg: float = 0.0,
) -> np.ndarray:
    """33 room-coordinate points (metres) of one pose.

    ``pelvis`` is the mid-hip (X, Y, Z); ``feet[leg]`` the ankle (X, Z) on the floor;
    ``knee_medial[leg]`` moves that knee toward the midline by this many metres from
    straight above the ankle (the thigh takes up the stance width, as in real people).
    ``facing`` +1 faces the camera (left side on image right), -1 turns the back to it.
    """
    p = np.zeros((N_LANDMARKS, 3))
    fwd = np.array([0.0, 0.0, float(facing)])
    left = np.array([float(facing), 0.0, 0.0])  # direction of the person's left in the room
    up = np.array([0.0, 1.0, 0.0])
    hips = {"left": pelvis + body.hip_half * left, "right": pelvis - body.hip_half * left}
    ids = {
        "left": (L_HIP, L_KNEE, L_ANKLE, L_HEEL, L_FOOT),
        "right": (R_HIP, R_KNEE, R_ANKLE, R_HEEL, R_FOOT),
    }
    for leg, (hi, ki, ai, he, fo) in ids.items():
        ankle = np.array([feet[leg][0], body.ankle_height, feet[leg][1]])
        knee = _knee(hips[leg], ankle, fwd, body)
        knee[0] = ankle[0]  # the shank is vertical in the frontal plane: the knee is over the foot...
        medial = -left if leg == "left" else left
        knee = knee + knee_medial.get(leg, 0.0) * medial  # ...unless displaced medially
        out = np.deg2rad(toe_out_deg) * (1 if leg == "left" else -1)
        toe_dir = np.cos(out) * fwd + np.sin(out) * left
        p[hi], p[ki], p[ai] = hips[leg], knee, ankle
        p[he] = ankle - 0.06 * fwd - 0.06 * up
        p[fo] = ankle + body.foot * toe_dir - 0.07 * up
    shoulders = pelvis + body.trunk * up
    p[L_SHOULDER] = shoulders + body.shoulder_half * left
    p[R_SHOULDER] = shoulders - body.shoulder_half * left
    head = shoulders + body.head * up
    p[NOSE] = head + 0.10 * fwd
    for i, side in ((L_EYE, 1), (R_EYE, -1)):
        p[i] = head + 0.08 * fwd + 0.03 * side * left + 0.03 * up
        p[i - 1] = p[i] - 0.01 * side * left
        p[i + 1] = p[i] + 0.01 * side * left
    p[L_EAR] = head + 0.07 * left
    p[R_EAR] = head - 0.07 * left
    p[9] = head + 0.09 * fwd - 0.05 * up + 0.02 * left
    p[10] = head + 0.09 * fwd - 0.05 * up - 0.02 * left
    for side, sh in ((1, L_SHOULDER), (-1, R_SHOULDER)):
        elbow = p[sh] - 0.28 * up + 0.04 * side * left
        wrist = elbow - 0.26 * up
        p[sh + 2], p[sh + 4] = elbow, wrist
        for k in (6, 8, 10):
            p[sh + k] = wrist - 0.06 * up
    return p


def project(points: np.ndarray, width: int, height: int, scale: float, roll_deg: float = 0.0) -> np.ndarray:
    """Image ``(..., 33, 3)``: x, y pixels (orthographic, floor at 90 % of the height) and z (px)."""
    x = width / 2 + scale * points[..., 0]
    y = 0.9 * height - scale * points[..., 1]
    z = -scale * points[..., 2]
    if roll_deg:
        a = np.deg2rad(roll_deg)
        cx, cy = width / 2, height / 2
        x, y = (cx + np.cos(a) * (x - cx) - np.sin(a) * (y - cy), cy + np.sin(a) * (x - cx) + np.cos(a) * (y - cy))
    return np.stack([x, y, z], axis=-1)


def to_world(points: np.ndarray) -> np.ndarray:
    """MediaPipe-style world landmarks: origin mid-hip, x right, y down, z smaller = nearer."""
    mid = 0.5 * (points[..., L_HIP, :] + points[..., R_HIP, :])
    rel = points - mid[..., None, :]
    return np.stack([rel[..., 0], -rel[..., 1], -rel[..., 2]], axis=-1)


def lunge_series(
    leads: list[str],
    knee_medial: dict[str, float] | None = None,
    *,
    fps: float = 30.0,
    rep_s: float = 2.4,
    rest_s: float = 1.0,
    step: float = 0.75,
    drop: float = 0.36,
    stance_half: float = 0.10,
    facing: int = 1,
    roll_deg: float = 0.0,
    mirror: bool = False,
    width: int = 1080,
    height: int = 1920,
    scale: float = 800.0,
    toe_out_deg: float = 0.0,
    body: Body = Body(),
) -> LandmarkSeries:
    """Forward lunges, one per entry of ``leads`` ("left"/"right"/"both" for a squat).

    Each rep: ``rest_s`` standing, then ``rep_s`` of step-descend-rise-return, with
    the pelvis ``drop`` metres down at the bottom; the lead knee is displaced
    medially by ``knee_medial[leg] * sin(pi * progress)`` (full at the bottom).
    ``mirror`` flips the image left-right and lets the left/right labels follow
    the image, as a pose model sees a mirrored video.
    """
    knee_medial = knee_medial or {}
    stand_h = body.ankle_height + body.thigh + body.shank - 0.02
    frames = []
    times = []
    t = 0.0
    dt = 1.0 / fps
    left = float(facing)

    def stand():
        return {"left": np.array([stance_half * left, 0.0]), "right": np.array([-stance_half * left, 0.0])}

    for lead in leads:
        for _ in range(int(rest_s * fps)):
            frames.append(pose(np.array([0.0, stand_h, 0.0]), stand(), {}, facing, body, toe_out_deg))
            times.append(t)
            t += dt
        n = int(rep_s * fps)
        for i in range(n):
            prog = np.sin(np.pi * i / (n - 1))  # 0 -> 1 (bottom) -> 0
            feet = stand()
            km = {}
            if lead == "both":
                pelvis = np.array([0.0, stand_h - drop * prog, -0.1 * prog * facing])
                km = {leg: knee_medial.get(leg, 0.0) * prog for leg in ("left", "right")}
            else:
                # lead foot steps forward (toward the camera if facing it), pelvis follows halfway
                feet[lead] = feet[lead] + np.array([0.0, step * min(1.0, 2 * prog) * facing])
                pelvis = np.array([0.0, stand_h - drop * prog, 0.5 * step * prog * facing])
                km = {lead: knee_medial.get(lead, 0.0) * prog}
            frames.append(pose(pelvis, feet, km, facing, body, toe_out_deg))
            times.append(t)
            t += dt
    for _ in range(int(rest_s * fps)):
        frames.append(pose(np.array([0.0, stand_h, 0.0]), stand(), {}, facing, body, toe_out_deg))
        times.append(t)
        t += dt
    pts = np.asarray(frames)
    image = project(pts, width, height, scale, roll_deg)
    world = to_world(pts)
    if mirror:
        image[..., 0] = width - image[..., 0]
        world[..., 0] = -world[..., 0]
        perm = swap_permutation()
        image, world = image[:, perm], world[:, perm]
    n = len(times)
    vis = np.full((n, 1, N_LANDMARKS), 0.99, np.float32)
    src = SourceInfo(video="synthetic.mp4", width=width, height=height, fps=fps, n_frames=n, model="synthetic")
    return LandmarkSeries(
        time=np.asarray(times),
        frame_index=np.arange(n),
        image=image[:, None].astype(np.float32),
        world=world[:, None].astype(np.float32),
        visibility=vis,
        presence=vis.copy(),
        source=src,
        frame_change=np.full(n, 0.5, np.float32),
    )


def mirror_series(series: LandmarkSeries) -> LandmarkSeries:
    """The landmarks a pose model would give for the left-right mirrored video.

    Image x becomes ``width - x`` and world x changes sign; the person's left and right
    landmarks trade ids (a mirrored person's left leg is where their right was).
    """
    perm = swap_permutation()
    image = series.image.copy()
    image[..., 0] = series.source.width - image[..., 0]
    world = series.world.copy()
    world[..., 0] = -world[..., 0]
    return LandmarkSeries(
        time=series.time.copy(),
        frame_index=series.frame_index.copy(),
        image=image[:, :, perm],
        world=world[:, :, perm],
        visibility=series.visibility[:, :, perm],
        presence=series.presence[:, :, perm],
        source=series.source,
        frame_change=series.frame_change.copy(),
    )
