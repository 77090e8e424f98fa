"""Shared fixtures: where ../shared is, real-clip landmarks extracted once per session, annotations.

Tests that need the real videos or the pose models use the ``shared`` fixture (or
``require_shared()``): it skips when ../shared is missing on a developer's machine
and FAILS when ``CI=true``, so CI can never pass by skipping them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LUNGE_SCREEN_SHARED", ROOT.parent / "shared")).resolve()
VIDEOS = SHARED / "videos"
MODELS = SHARED / "models"
ANNOTATIONS = SHARED / "annotations" / "annotations.json"
#: The clips of ../shared/videos (its README): the first round (annotations.json) and the second (more_clips.json).
FIRST_ROUND_CLIPS = [
    "curtsy_lunge_front.mp4",
    "lunge_front_lowres_18fps.mp4",
    "lunge_front_portrait.mp4",
    "lunge_front_portrait_rotated_meta.mp4",
    "multi_person_side_vp9.mp4",
    "reverse_lunge_side_view.mp4",
    "squat_front_valgus_then_neutral.mp4",
    "walking_lunge_near_front.mp4",
]
SECOND_ROUND_CLIPS = [
    "single_leg_squat_front_gym_good_bad.mp4",
    "single_leg_squat_front_blue_jacket.mp4",
    "lateral_reach_single_leg_squat_front.mp4",
    "lateral_lunge_kb_front_countdown.mp4",
    "split_squat_valgus_demo_splitscreen_portrait.mp4",
    "jumping_lunge_oblique_gym.mp4",
    "bulgarian_split_squat_side_cuts.mp4",
    "reverse_lunge_side_istock.mp4",
    "lunge_side_cut_closeup.mp4",
    "shrimp_squat_side.mp4",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_shared() -> Path:
    """The ../shared folder, or skip (fail under CI) when it or its parts are missing."""
    missing = [p for p in (VIDEOS, MODELS, ANNOTATIONS) if not p.exists()]
    if missing:
        msg = f"test material missing: {', '.join(map(str, missing))} (see ../shared/README.md)"
        if in_ci():
            pytest.fail(msg + " -- CI must run the real-video tests, not skip them")
        pytest.skip(msg)
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session", autouse=True)
def _model_dir_env():
    """Point model lookup at ../shared/models for the whole session (never download in tests)."""
    if MODELS.is_dir() and not os.environ.get("LUNGE_SCREEN_MODEL_DIR"):
        os.environ["LUNGE_SCREEN_MODEL_DIR"] = str(MODELS)
    if VIDEOS.is_dir() and not os.environ.get("LUNGE_SCREEN_DATA_DIR"):
        os.environ["LUNGE_SCREEN_DATA_DIR"] = str(VIDEOS)
    yield


@pytest.fixture(scope="session")
def annotations(shared) -> dict:
    return json.loads(ANNOTATIONS.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def clip_series(shared, tmp_path_factory):
    """``clip_series(name)`` -> LandmarkSeries of a real clip (full model, defaults), extracted once."""
    from lunge_screen.api import extract
    from lunge_screen.track.series import LandmarkSeries

    # LUNGE_SCREEN_LANDMARK_CACHE keeps extracted landmarks between local runs (CI extracts afresh).
    persistent = os.environ.get("LUNGE_SCREEN_LANDMARK_CACHE")
    cache_dir = Path(persistent) if persistent else tmp_path_factory.mktemp("landmarks")
    cache: dict[str, LandmarkSeries] = {}

    def get(name: str) -> LandmarkSeries:
        if name not in cache:
            path = cache_dir / f"{name}.npz"
            if not path.exists():
                extract(VIDEOS / name).save(path)
            cache[name] = LandmarkSeries.load(path)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def clip_analysis(clip_series):
    """``clip_analysis(name)`` -> Analysis of a real clip with default settings (cached)."""
    from lunge_screen.pipeline import analyse_series

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = analyse_series(clip_series(name))
        return cache[name]

    return get


@pytest.fixture(scope="module")
def chromium():
    """A headless chromium (Playwright ``Browser``) for one test module; see tests/browser.py."""
    from browser import launch_chromium

    yield from launch_chromium()
