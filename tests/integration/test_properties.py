"""Property-based tests: noise, gaps and outliers never crash the analysis and never turn into
NaN findings reported as valid."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synth import lunge_series

from lunge_screen.pipeline import analyse_series
from lunge_screen.results import CATEGORIES

BASE = {}


def _base(leads: tuple[str, ...]):
    if leads not in BASE:
        BASE[leads] = lunge_series(list(leads), {"left": 0.06}, fps=20.0, rest_s=0.6, rep_s=1.8)
    return BASE[leads]


def _corrupt(series, seed: int, noise_px: float, gap_fraction: float, outlier_fraction: float, drop_people: float):
    rng = np.random.default_rng(seed)
    s = type(series)(
        series.time.copy(), series.frame_index.copy(), series.image.copy(), series.world.copy(),
        series.visibility.copy(), series.presence.copy(), series.source, series.frame_change.copy(),
    )  # fmt: skip
    s.image[..., :2] += rng.normal(0, noise_px, s.image[..., :2].shape).astype(np.float32)
    s.world += rng.normal(0, noise_px / 800, s.world.shape).astype(np.float32)
    gaps = rng.random(s.image.shape[:3]) < gap_fraction
    s.image[gaps] = np.nan
    s.world[gaps] = np.nan
    outliers = rng.random(s.image.shape[:3]) < outlier_fraction
    s.image[outliers] += rng.normal(0, 300, (int(outliers.sum()), 3)).astype(np.float32)
    s.visibility[rng.random(s.visibility.shape) < gap_fraction] = 0.05
    lost = rng.random(s.n_frames) < drop_people
    s.image[lost] = np.nan
    s.world[lost] = np.nan
    return s


def _check(result):
    for r in result.reps:
        assert r.lead in ("left", "right", "both", "unknown")
        for m in r.legs:
            if m.category is not None:
                assert m.category in CATEGORIES
                for v in (m.knee_over_foot_peak, m.knee_over_foot_bottom):
                    assert v is not None and math.isfinite(v)
            else:
                assert m.withheld_reason
            if m.fppa_bottom_deg is not None:
                assert math.isfinite(m.fppa_bottom_deg)
    for s in result.legs.values():
        assert s.n_valid <= s.n_reps
        for v in (s.knee_over_foot_peak_median, s.fppa_median_deg, s.kmd_change_median):
            assert v is None or math.isfinite(v)
    assert "nan" not in result.finding.summary.lower()
    result.to_json()  # JSON refuses NaN (allow_nan=False): would raise


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    leads=st.sampled_from([("left", "right"), ("both",), ("right",)]),
    seed=st.integers(0, 10_000),
    noise_px=st.floats(0, 25),
    gap_fraction=st.floats(0, 0.4),
    outlier_fraction=st.floats(0, 0.05),
    drop_people=st.floats(0, 0.5),
)
def test_noise_gaps_and_outliers_never_crash_or_leak_nan(
    leads, seed, noise_px, gap_fraction, outlier_fraction, drop_people
):
    s = _corrupt(_base(leads), seed, noise_px, gap_fraction, outlier_fraction, drop_people)
    _check(analyse_series(s).result)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(0, 12), seed=st.integers(0, 1000))
def test_tiny_and_garbage_series(n, seed):
    rng = np.random.default_rng(seed)
    s = _base(("left",))
    k = min(n, s.n_frames)
    t = type(s)(
        s.time[:k], s.frame_index[:k], rng.normal(500, 300, s.image[:k].shape).astype(np.float32),
        rng.normal(0, 1, s.world[:k].shape).astype(np.float32), s.visibility[:k], s.presence[:k], s.source,
        s.frame_change[:k],
    )  # fmt: skip
    _check(analyse_series(t).result)
