"""Camera view: yaw per frame and the view classes (measure/view.py)."""

import numpy as np
import pytest

from lunge_screen.measure.view import classify, loaded_yaw, yaw_per_frame
from lunge_screen.settings import ViewSettings
from lunge_screen.track.series import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, PersonTrack


def _turned_track(world_yaw_deg: float, width_yaw_deg: float, n: int = 5) -> PersonTrack:
    """A trunk whose world skeleton is turned by ``world_yaw_deg`` while its image width reads ``width_yaw_deg``."""
    image = np.full((n, 33, 3), np.nan)
    world = np.full((n, 33, 3), np.nan)
    a = np.radians(world_yaw_deg)
    for j, x, y in ((L_SHOULDER, 0.2, -0.5), (R_SHOULDER, -0.2, -0.5), (L_HIP, 0.15, 0.0), (R_HIP, -0.15, 0.0)):
        world[:, j] = (x * np.cos(a), y, x * np.sin(a))
    w_ratio = np.linalg.norm(world[0, L_SHOULDER] - world[0, R_SHOULDER]) / 0.5  # shoulder width / trunk length
    trunk_px = 200.0
    half = 0.5 * trunk_px * w_ratio * np.cos(np.radians(width_yaw_deg))
    for j, x, y in ((L_SHOULDER, 500 + half, 300), (R_SHOULDER, 500 - half, 300), (L_HIP, 520, 500), (R_HIP, 480, 500)):
        image[:, j] = (x, y, 0.0)
    return PersonTrack(np.arange(n) / 30.0, np.arange(n), image, world, np.ones((n, 33)), 1000, 1000)


def test_side_on_width_overrides_world_yaw_at_the_default_limit():
    yaw = yaw_per_frame(_turned_track(10.0, 50.0))
    assert yaw == pytest.approx(np.full(5, 50.0), abs=0.5)


def test_yaw_per_frame_honours_the_users_side_limit():
    # With the side limit raised to 60 deg, a 50 deg width reading no longer counts as side on:
    # the world skeleton's 10 deg decides.
    yaw = yaw_per_frame(_turned_track(10.0, 50.0), ViewSettings(side_min_yaw=60.0))
    assert yaw == pytest.approx(np.full(5, 10.0), abs=0.5)


@pytest.mark.parametrize(
    ("yaw", "facing", "view"),
    [(10.0, 1, "frontal"), (10.0, -1, "rear"), (30.0, 1, "oblique"), (50.0, 1, "side"), (np.nan, 1, "unknown")],
)
def test_classify_views_by_yaw_and_facing(yaw, facing, view):
    assert classify(yaw, facing, ViewSettings()) == view


def test_loaded_yaw_uses_only_frames_deep_enough():
    yaw = np.array([40.0, 40.0, 10.0, 12.0, 40.0])
    depth = np.array([0.0, 0.1, 0.3, 0.3, 0.1])
    assert loaded_yaw(yaw, depth, 0, 4, 0.2) == pytest.approx(11.0)
    assert loaded_yaw(yaw, depth, 0, 4, 0.9) is None
