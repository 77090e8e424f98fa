"""The maths of the smallest detectable change (compare/stats.py), against closed forms and simulation."""

import math
import statistics

import numpy as np
import pytest

from lunge_screen.compare.stats import (
    RepStats,
    detectable,
    median_se_factor,
    quantile,
    rep_stats,
    smallest_detectable_change,
    welch_df,
)


def test_the_median_factor_matches_the_closed_forms():
    assert median_se_factor(1) == median_se_factor(2) == 1.0  # one value; two values: the median is the mean
    # The middle of three standard normals has variance 1 - sqrt(3)/pi (order statistics, David & Nagaraja).
    assert median_se_factor(3) ** 2 == pytest.approx(3 * (1 - math.sqrt(3) / math.pi), rel=1e-5)
    # Many values: the median's asymptotic relative efficiency, pi/2 (from below, odd and even counts alike).
    assert median_se_factor(399) ** 2 == pytest.approx(math.pi / 2, rel=0.004)
    assert median_se_factor(400) ** 2 == pytest.approx(math.pi / 2, rel=0.004)
    assert median_se_factor(10_000) ** 2 == pytest.approx(math.pi / 2)


@pytest.mark.parametrize("n", [4, 5, 6, 8])
def test_the_median_factor_matches_a_simulation(n):
    x = np.random.default_rng(n).standard_normal((200_000, n))
    simulated = n * np.median(x, axis=1).var()
    assert median_se_factor(n) ** 2 == pytest.approx(simulated, rel=0.015)


def test_rep_stats_of_known_values():
    s = rep_stats([0.10, 0.30, 0.20, float("nan"), None])
    assert (s.n, s.median) == (3, pytest.approx(0.20))
    assert s.sd == pytest.approx(statistics.stdev([0.1, 0.2, 0.3]))
    assert s.se == pytest.approx(median_se_factor(3) * s.sd / math.sqrt(3))
    assert rep_stats([0.4]) == RepStats(1, 0.4, None, None)  # one rep: a median but no spread
    assert rep_stats([]) == RepStats(0, None, None, None)


def test_the_normal_mdc_is_the_textbook_one():
    # One rep per session, SD = SEM: MDC95 = 1.96 * sqrt(2) * SEM.
    sem = 3.0
    one = RepStats(1, 0.0, sem, sem)
    assert smallest_detectable_change([one, one], kind="normal") == pytest.approx(1.96 * math.sqrt(2) * sem, rel=1e-3)
    # Means-style inputs: 1.96 * sqrt(se1^2 + se2^2).
    a, b = RepStats(4, 0.0, 0.1, 0.03), RepStats(5, 0.0, 0.1, 0.04)
    assert smallest_detectable_change([a, b], kind="normal") == pytest.approx(1.959964 * 0.05)
    assert smallest_detectable_change([a, b], kind="normal", floor=0.2) == 0.2


def test_the_t_mdc_uses_welch_degrees_of_freedom():
    a, b = RepStats(3, 0.0, 0.1, 0.04), RepStats(3, 0.0, 0.1, 0.04)
    assert welch_df([0.04**2, 0.04**2], [3, 3]) == pytest.approx(4.0)  # equal variances, 2 + 2 df
    assert quantile(0.95, 4.0) == pytest.approx(2.776445, rel=1e-5)  # Student's t table
    assert smallest_detectable_change([a, b]) == pytest.approx(2.776445 * 0.04 * math.sqrt(2), rel=1e-5)
    assert quantile(0.95, math.inf) == pytest.approx(1.959964, rel=1e-6)
    with pytest.raises(ValueError):
        smallest_detectable_change([a, RepStats(1, 0.2, None, None)])


@pytest.mark.parametrize("n", [3, 5])
def test_an_unchanged_leg_is_called_changed_in_at_most_about_5_percent_of_pairs(n):
    """The point of the t quantile: with SDs from a few reps, 1.96 would call far more than 5 % changed."""
    rng = np.random.default_rng(100 + n)
    called = {"t": 0, "normal": 0}
    pairs = 2000
    for _ in range(pairs):
        a, b = rep_stats(list(rng.normal(0.1, 0.05, n))), rep_stats(list(rng.normal(0.1, 0.05, n)))
        for kind in called:
            called[kind] += detectable(b.median - a.median, smallest_detectable_change([a, b], kind=kind))
    assert called["t"] / pairs <= 0.06
    assert called["normal"] / pairs > 0.065  # what the textbook 1.96 would have done
