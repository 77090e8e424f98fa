"""Clinical categories (screen/categories.py): the one mapping, also used by the report's overlay."""

import numpy as np
import pytest

from lunge_screen.report.overlay import live_category
from lunge_screen.screen.categories import categorise, category_of
from lunge_screen.settings import Thresholds

T = Thresholds()


@pytest.mark.parametrize(
    ("peak", "bottom", "category"),
    [
        (0.25, 0.0, "clearly medial"),
        (0.20, 0.0, "clearly medial"),  # at the limit: clearly
        (0.15, 0.0, "slightly medial"),
        (0.10, 0.0, "over foot"),  # at the limit: not yet medial
        (0.05, -0.15, "lateral"),
        (0.15, -0.15, "slightly medial"),  # medial travel beats a lateral bottom
    ],
)
def test_categories_from_peak_and_bottom(peak, bottom, category):
    assert categorise(peak, bottom, T) == category


def test_the_cut_offs_are_the_thresholds():
    assert categorise(0.15, 0.0, Thresholds(over_foot_max=0.16)) == "over foot"


def test_a_single_value_takes_the_same_category_and_nan_none():
    for v in (0.25, 0.15, 0.0, -0.2):
        assert category_of(v, T) == categorise(v, v, T)
        assert live_category(v, T) == category_of(v, T)
    assert category_of(np.nan, T) is None
