"""Choosing the screened person among several, consistently over the whole video."""

import numpy as np
from synth import lunge_series

from lunge_screen.track.series import LandmarkSeries
from lunge_screen.track.subject import choose_subject


def _two_people(shift_px: float = 500.0, scale_second: float = 0.6) -> tuple[LandmarkSeries, np.ndarray]:
    """A series with the subject and a smaller second person; their order swaps every frame."""
    a = lunge_series(["left", "right"])
    b_img = a.image.copy()
    centre = np.nanmean(b_img[..., 0])
    b_img[..., 0] = (b_img[..., 0] - centre) * scale_second + centre + shift_px
    b_img[..., 1] = b_img[..., 1] * scale_second
    n = a.n_frames
    image = np.stack([a.image[:, 0], b_img[:, 0]], axis=1)
    flip = np.arange(n) % 2 == 1  # the model's order of people is not stable
    image[flip] = image[flip][:, ::-1]
    world = np.repeat(a.world, 2, axis=1)
    vis = np.repeat(a.visibility, 2, axis=1)
    s = LandmarkSeries(a.time, a.frame_index, image, world, vis, vis.copy(), a.source, a.frame_change)
    return s, a.image[:, 0]


def test_largest_person_is_kept_for_the_whole_video():
    s, truth = _two_people()
    track, report = choose_subject(s, "largest")
    assert np.allclose(track.image, truth, equal_nan=True)
    assert report.max_people_in_frame == 2 and report.n_tracks == 2


def test_the_user_can_choose_another_person():
    s, truth = _two_people()
    right, _ = choose_subject(s, "right")  # the second person stands 500 px to the right
    assert np.nanmean(right.image[:, :, 0]) > np.nanmean(truth[:, :, 0]) + 300
    left, _ = choose_subject(s, "left")
    assert np.allclose(left.image, truth, equal_nan=True)


def test_a_person_lost_for_a_moment_stays_the_same_track():
    a = lunge_series(["left"])
    a.image[40:43] = np.nan
    track, report = choose_subject(a)
    assert report.n_tracks == 1
    assert track.found.sum() == a.n_frames - 3
