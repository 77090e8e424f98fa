"""Clean landmark trajectories: confidence masking, outlier rejection, gap filling, low-pass.

All functions work on a time axis in **seconds** (not frame counts), so the same
settings hold at 18 fps and at 240 fps, and on variable-frame-rate video.

Order used by :func:`clean_track`: mask low-visibility points -> Hampel outlier
rejection -> fill gaps up to ``max_gap`` seconds -> zero-phase Butterworth low-pass
(4th order, ``cutoff`` Hz; Sports2D's defaults, see docs/clinical-background). Gaps
longer than ``max_gap`` stay NaN: no value is invented there.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.signal import butter, sosfiltfilt

from ..settings import FilterSettings
from .series import (
    L_ANKLE,
    L_EAR,
    L_FOOT,
    L_HEEL,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    NOSE,
    R_ANKLE,
    R_EAR,
    R_FOOT,
    R_HEEL,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    PersonTrack,
)

#: Landmarks the analysis uses; only these are cleaned (the rest stay raw).
USED_LANDMARKS = (
    NOSE, L_EAR, R_EAR, L_SHOULDER, R_SHOULDER, L_HIP, R_HIP, L_KNEE, R_KNEE,
    L_ANKLE, R_ANKLE, L_HEEL, R_HEEL, L_FOOT, R_FOOT,
)  # fmt: skip


def finite_median(x) -> float:
    """Median of the finite values of ``x`` (array or sequence; ``None`` counts as missing); NaN if none."""
    a = np.asarray([np.nan if v is None else v for v in x] if isinstance(x, list | tuple) else x, float)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else float("nan")


def sample_rate(time: np.ndarray) -> float:
    """Median sampling rate (Hz) of a time vector in seconds."""
    d = np.diff(np.asarray(time, float))
    d = d[d > 0]
    return float(1.0 / np.median(d)) if d.size else 0.0


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` index pairs of the runs of True in a boolean array."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.diff(m.astype(int))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def hampel(x: np.ndarray, time: np.ndarray, window_s: float, n_sigmas: float) -> np.ndarray:
    """Replace outliers with NaN: points more than ``n_sigmas`` scaled MADs from the moving median.

    The window is ``window_s`` seconds on each side (converted to samples at the
    median rate). NaNs are ignored. A small floor on the MAD (0.1 % of the signal's
    range) keeps flat stretches from flagging rounding noise.
    """
    x = np.asarray(x, float)
    n = len(x)
    fs = sample_rate(time)
    if n < 3 or fs <= 0 or not np.isfinite(x).any():
        return x.copy()
    k = max(1, int(round(window_s * fs)))
    padded = np.concatenate([np.full(k, np.nan), x, np.full(k, np.nan)])
    win = np.lib.stride_tricks.sliding_window_view(padded, 2 * k + 1)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(win, axis=1)
        mad = 1.4826 * np.nanmedian(np.abs(win - med[:, None]), axis=1)
    floor = 1e-3 * (np.nanmax(x) - np.nanmin(x)) + 1e-9
    count = np.sum(np.isfinite(win), axis=1)
    bad = (count >= 3) & (np.abs(x - med) > n_sigmas * np.maximum(mad, floor))
    out = x.copy()
    out[bad] = np.nan
    return out


def fill_gaps(x: np.ndarray, time: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate NaN gaps no longer than ``max_gap_s`` seconds between valid samples."""
    x = np.asarray(x, float).copy()
    t = np.asarray(time, float)
    ok = np.isfinite(x)
    if ok.sum() < 2:
        return x
    for a, b in runs(~ok):
        if a == 0 or b == len(x):
            continue  # never extrapolate at the ends
        if t[b] - t[a - 1] <= max_gap_s + 1e-9:
            x[a:b] = np.interp(t[a:b], [t[a - 1], t[b]], [x[a - 1], x[b]])
    return x


def lowpass(x: np.ndarray, time: np.ndarray, cutoff_hz: float, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass on each run of finite samples.

    The cut-off is clamped to 80 % of the Nyquist frequency, so low frame rates stay
    valid; runs too short to pad are left unfiltered.
    """
    x = np.asarray(x, float).copy()
    fs = sample_rate(time)
    if fs <= 0:
        return x
    wn = min(cutoff_hz, 0.4 * fs) / (0.5 * fs)
    sos = butter(order, wn, btype="low", output="sos")
    padlen = 3 * (2 * len(sos) + 1)
    for a, b in runs(np.isfinite(x)):
        if b - a > padlen:
            x[a:b] = sosfiltfilt(sos, x[a:b], padlen=padlen)
    return x


def clean_signal(x: np.ndarray, time: np.ndarray, settings: FilterSettings = FilterSettings()) -> np.ndarray:
    """Hampel -> gap fill -> low-pass on one 1-D signal (NaN = missing)."""
    y = hampel(x, time, settings.hampel_window_s, settings.hampel_sigmas)
    y = fill_gaps(y, time, settings.max_gap_s)
    return lowpass(y, time, settings.cutoff_hz, settings.order)


def clean_track(track: PersonTrack, settings: FilterSettings = FilterSettings()) -> PersonTrack:
    """A copy of ``track`` with the used landmarks' coordinates cleaned (image and world).

    Points whose visibility is below ``settings.min_visibility`` are masked first.
    """
    image = track.image.astype(float).copy()
    world = track.world.astype(float).copy()
    low = ~(track.visibility >= settings.min_visibility)
    image[low] = np.nan
    world[low] = np.nan
    for arr in (image, world):
        for j in USED_LANDMARKS:
            for c in range(arr.shape[2]):
                arr[:, j, c] = clean_signal(arr[:, j, c], track.time, settings)
    return PersonTrack(
        time=track.time,
        frame_index=track.frame_index,
        image=image,
        world=world,
        visibility=track.visibility,
        width=track.width,
        height=track.height,
    )
