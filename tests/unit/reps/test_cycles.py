"""Rep cycles on synthetic depth signals whose reps are known (reps/cycles.py)."""

import numpy as np

from lunge_screen.reps.cycles import cycles, turning_points
from lunge_screen.settings import RepSettings

S = RepSettings()
HZ = 50.0


def _cycles(d, open_edges=frozenset()):
    return cycles(np.asarray(d, float), S.turn_delta, S.min_amplitude, S.return_fraction, S.return_min, open_edges)


def _reps(depth=0.4, n=3, rep_s=2.0, rest_s=1.0):
    """``n`` cosine reps of ``depth`` leg lengths with standing rests; and the bottom times."""
    parts, bottoms, t = [], [], 0.0
    for _ in range(n):
        parts.append(np.zeros(int(rest_s * HZ)))
        t += rest_s
        k = np.arange(int(rep_s * HZ))
        parts.append(depth * 0.5 * (1 - np.cos(2 * np.pi * k / len(k))))
        bottoms.append(t + rep_s / 2)
        t += rep_s
    parts.append(np.zeros(int(rest_s * HZ)))
    return np.concatenate(parts), bottoms


def _times(cs):
    return [c.bottom / HZ for c in cs]


def test_each_cosine_rep_is_one_cycle_with_its_bottom():
    d, bottoms = _reps()
    found = _cycles(d)
    assert len(found) == 3
    assert np.allclose(_times(found), bottoms, atol=0.05)


def test_jitter_below_the_hysteresis_adds_no_turning_point():
    rng = np.random.default_rng(0)
    d = 0.4 * np.sin(np.linspace(0, np.pi, 200)) + rng.uniform(-0.01, 0.01, 200)
    pts, _, _ = turning_points(d, S.turn_delta)
    assert [k for _, k in pts] == ["top", "bottom", "top"]


def test_a_long_hold_with_a_wobble_at_the_bottom_is_one_rep():
    down = 0.4 * np.sin(np.linspace(0, np.pi / 2, 50))
    hold = 0.4 - 0.04 * (1 - np.cos(np.linspace(0, 14 * np.pi, 350)))  # 7 s, 7 wobbles of 0.08
    up = 0.4 * np.cos(np.linspace(0, np.pi / 2, 50))
    d = np.concatenate([np.zeros(50), down, hold, up, np.zeros(50)])
    assert len(_cycles(d)) == 1


def test_split_squat_pulses_are_reps_each():
    down = 0.4 * np.sin(np.linspace(0, np.pi / 2, 50))
    pulses = 0.4 - 0.125 * (1 - np.cos(np.linspace(0, 6 * np.pi, 150)))  # 3 rises of 0.25 leg lengths
    up = 0.4 * np.cos(np.linspace(0, np.pi / 2, 50))
    d = np.concatenate([np.zeros(50), down, pulses, up, np.zeros(50)])
    assert len(_cycles(d)) == 4


def test_a_rise_below_the_return_is_not_a_second_rep():
    down = 0.4 * np.sin(np.linspace(0, np.pi / 2, 50))
    dip = 0.4 - 0.03 * (1 - np.cos(np.linspace(0, 2 * np.pi, 40)))  # one rise of 0.06 < return_min
    up = 0.4 * np.cos(np.linspace(0, np.pi / 2, 50))
    assert len(_cycles(np.concatenate([np.zeros(50), down, dip, up, np.zeros(50)]))) == 1


def test_a_shallow_dip_is_not_a_rep():
    d, _ = _reps(depth=0.8 * S.min_amplitude)
    assert _cycles(d) == []


def test_a_clip_starting_just_before_a_bottom_keeps_that_rep():
    d, bottoms = _reps(n=2)
    start = int((bottoms[0] - 0.2) * HZ)
    found = _cycles(d[start:])
    assert len(found) == 2
    assert np.isnan(found[0].descent) and found[0].ascent > 0.3


def test_a_clip_ending_on_the_way_down_does_not_count_that_rep():
    d, bottoms = _reps(n=2)
    found = _cycles(d[: int((bottoms[1] - 0.3) * HZ)])
    assert len(found) == 1


def test_a_person_lost_before_rising_loses_the_rep_but_a_cut_does_not():
    d, bottoms = _reps(n=2)
    lost = d.copy()
    gap = slice(int(bottoms[0] * HZ) + 5, int(bottoms[0] * HZ) + 80)
    lost[gap] = np.nan
    assert len(_cycles(lost)) == 1
    cut_edges = frozenset({gap.start - 1, gap.start, gap.stop - 1, gap.stop})
    assert len(_cycles(lost, cut_edges)) == 2


def test_slower_reps_give_the_same_cycles():
    fast, _ = _reps(rep_s=1.5)
    slow, _ = _reps(rep_s=4.0)
    assert len(_cycles(fast)) == len(_cycles(slow)) == 3
