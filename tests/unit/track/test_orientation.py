"""Left/right label corrections: leg swaps (brief or whole-clip) and whole-body front/back confusion."""

import numpy as np
from synth import lunge_series

from lunge_screen.track.orientation import LEG_CHAIN, correct_labels, swap_sides
from lunge_screen.track.series import PersonTrack
from lunge_screen.track.subject import choose_subject


def _track(series) -> PersonTrack:
    return choose_subject(series)[0]


def _swap_legs(track: PersonTrack, frames: slice) -> PersonTrack:
    image = track.image.copy()
    world = track.world.copy()
    for a, b in LEG_CHAIN:
        for arr in (image, world):
            arr[frames, [a, b]] = arr[frames, [b, a]]
    return PersonTrack(track.time, track.frame_index, image, world, track.visibility, track.width, track.height)


def test_a_brief_leg_swap_is_undone():
    truth = _track(lunge_series(["left", "right"], stance_half=0.12))
    corrupted = _swap_legs(truth, slice(50, 56))
    fixed, report = correct_labels(corrupted)
    assert report.leg_swap_frames == 6
    assert np.allclose(fixed.image, truth.image, equal_nan=True)


def test_a_whole_clip_leg_swap_is_undone():
    truth = _track(lunge_series(["left", "right", "left"], stance_half=0.12))
    corrupted = _swap_legs(truth, slice(None))
    fixed, report = correct_labels(corrupted)
    assert report.leg_swap_frames == truth.n_frames
    assert np.allclose(fixed.image, truth.image, equal_nan=True)


def test_correct_labels_leave_correct_labels_alone():
    truth = _track(lunge_series(["left", "right"], stance_half=0.12))
    _, report = correct_labels(truth)
    assert report.leg_swap_frames == 0 and not report.body_swapped
    assert report.facing == 1


def test_whole_body_front_back_confusion_is_corrected():
    truth = _track(lunge_series(["left"], stance_half=0.12))
    # A model that thinks it sees the back: every left label on the person's right, but
    # its own 3D face still in front of the shoulders.
    confused = swap_sides(truth)
    confused.world[:, :, 0] *= -1  # world x follows the swapped labels; depth does not change
    fixed, report = correct_labels(confused)
    assert report.body_swapped
    assert np.allclose(fixed.image, truth.image, equal_nan=True)
