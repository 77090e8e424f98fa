"""The maths of comparing sessions: rep values, the standard error of their median, the smallest detectable change.

Pure functions of numbers (no video, no files), derived in docs/measurement.md#comparing-sessions:

* one session, one leg: ``n`` measured reps with peak knee-over-foot values ``x``; their
  median ``m`` and rep-to-rep standard deviation ``s`` (``ddof=1``);
* the standard error of that median is ``k(n) * s / sqrt(n)``, where ``k(n)**2`` is ``n``
  times the variance of the median of ``n`` standard normal values (:func:`median_se_factor`:
  1 for ``n <= 2``, where the median is the mean; 1.16 at ``n = 3``; toward ``sqrt(pi/2) = 1.25``);
* two sessions: the change is ``m2 - m1`` and its standard error ``SE = sqrt(se1**2 + se2**2)``
  (independent reps); the smallest detectable change at 95 % is ``q * SE``.

``q`` is 1.96 (``quantile="normal"``, the textbook MDC95) or, by default, Student's t at
Welch-Satterthwaite degrees of freedom (``quantile="t"``): ``s`` is itself estimated from a
few reps, and with 1.96 a leg that did not change is called changed in 11 % of pairs of
3-rep sessions (19 % at 2 reps, 7 % at 5; ``benchmarks/compare_mdc.py``).

With means instead of medians ``k = 1`` and ``SE = sqrt(s1**2/n1 + s2**2/n2)``; with one rep
per session and ``s1 = s2 = SEM`` the normal form is the familiar ``MDC95 = 1.96 * sqrt(2) * SEM``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..types import Quantile

#: Above this many reps the median's factor is its large-sample value (within 0.4 % of it there).
EXACT_UP_TO = 400


@cache
def median_se_factor(n: int) -> float:
    """``k(n)``: the median of ``n`` independent normal values has standard error ``k(n) * sigma / sqrt(n)``.

    Exact for normal noise (order-statistic integrals on a fine grid): ``k(1) = k(2) = 1``,
    ``k(3)**2 = 3 * (1 - sqrt(3)/pi) = 1.346``, and ``k(n)**2 -> pi/2`` for many reps (the
    median's asymptotic efficiency). Beyond :data:`EXACT_UP_TO` reps the limit is returned.
    """
    if n < 1:
        raise ValueError("at least one value is needed")
    if n <= 2:
        return 1.0
    if n > EXACT_UP_TO:
        return math.sqrt(math.pi / 2)
    return math.sqrt(n * _median_variance(n))


def _median_variance(n: int) -> float:
    """Variance of the median of ``n`` standard normal values (``n >= 3``)."""
    from scipy.integrate import cumulative_trapezoid, trapezoid
    from scipy.special import gammaln, log_ndtr

    x = np.linspace(-9.0, 9.0, 36001)
    log_phi = -0.5 * x**2 - 0.5 * math.log(2 * math.pi)
    log_lo, log_hi = log_ndtr(x), log_ndtr(-x)  # log P(X < x), log P(X > x)

    def order_density(k: int) -> np.ndarray:
        """Density of the k-th smallest of n (1-based)."""
        log_c = gammaln(n + 1) - gammaln(k) - gammaln(n - k + 1)
        return np.exp(log_c + (k - 1) * log_lo + (n - k) * log_hi + log_phi)

    if n % 2:
        return float(trapezoid(x**2 * order_density((n + 1) // 2), x))
    m = n // 2  # the median is the mean of the m-th and (m+1)-th smallest
    second = [float(trapezoid(x**2 * order_density(k), x)) for k in (m, m + 1)]
    # E[X(m) X(m+1)] = C * integral of x Phi(x)^(m-1) phi(x) G(x) dx, G(x) = int_x^inf y phi(y) (1-Phi(y))^(n-m-1) dy
    tail = x * np.exp((n - m - 1) * log_hi + log_phi)
    g = -cumulative_trapezoid(tail[::-1], x[::-1], initial=0.0)[::-1]
    log_c = gammaln(n + 1) - gammaln(m) - gammaln(n - m)
    cross = float(trapezoid(x * np.exp(log_c + (m - 1) * log_lo + log_phi) * g, x))
    return (second[0] + second[1] + 2 * cross) / 4


@dataclass(frozen=True)
class RepStats:
    """One leg in one session: the measured reps' values summarised (units of the values)."""

    n: int
    median: float | None
    sd: float | None
    se: float | None


def rep_stats(values: list[float]) -> RepStats:
    """Count, median, rep-to-rep SD (``ddof=1``) and standard error of the median; ``None`` where undefined.

    Non-finite values are ignored. One value has a median but no SD.
    """
    v = np.asarray([x for x in values if x is not None and math.isfinite(x)], float)
    n = int(v.size)
    if n == 0:
        return RepStats(0, None, None, None)
    median = float(np.median(v))
    if n < 2:
        return RepStats(n, median, None, None)
    sd = float(np.std(v, ddof=1))
    return RepStats(n, median, sd, median_se_factor(n) * sd / math.sqrt(n))


def welch_df(variances: list[float], counts: list[int]) -> float:
    """Welch-Satterthwaite degrees of freedom of a sum of independent variance estimates.

    A part from a single value (``n = 1``) is taken as a known variance (no degrees of freedom
    lost); infinite when every part is known or zero.
    """
    den = sum(v * v / (n - 1) for v, n in zip(variances, counts) if n > 1)
    return sum(variances) ** 2 / den if den > 0 else math.inf


def quantile(confidence: float, df: float = math.inf, kind: Quantile = "t") -> float:
    """Two-sided quantile: Student's t at ``df`` degrees of freedom (``kind="t"``), or the normal one."""
    from scipy import stats as st

    p = 0.5 + confidence / 2
    if kind == "normal" or not math.isfinite(df):
        return float(st.norm.ppf(p))
    return float(st.t.ppf(p, df))


def smallest_detectable_change(
    parts: list[RepStats], confidence: float = 0.95, kind: Quantile = "t", floor: float = 0.0
) -> float:
    """The smallest change of a sum or difference of the medians in ``parts`` that exceeds their noise.

    ``max(floor, q * sqrt(sum(se**2)))`` with ``q`` from :func:`quantile` (Welch-Satterthwaite
    degrees of freedom of the ``parts``). Two parts: a leg's change between two sessions;
    four: a change of the left-right difference. Every part needs an SE (at least 2 reps).
    """
    if any(p.se is None for p in parts):
        raise ValueError("every median needs a standard error (at least two reps)")
    variances = [p.se * p.se for p in parts]
    q = quantile(confidence, welch_df(variances, [p.n for p in parts]), kind)
    return max(floor, q * math.sqrt(sum(variances)))


def detectable(change: float, mdc: float) -> bool:
    """Whether a change exceeds the smallest detectable change (strictly)."""
    return abs(change) > mdc
