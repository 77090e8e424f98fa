"""The landmark series file: lossless round trip, schema checks, segment joining."""

import numpy as np
import pytest
from synth import lunge_series

from lunge_screen.errors import SeriesFileError
from lunge_screen.track.series import LandmarkSeries


def test_round_trip(tmp_path):
    s = lunge_series(["left"])
    path = s.save(tmp_path / "a.npz")
    t = LandmarkSeries.load(path)
    for name in ("time", "frame_index", "image", "world", "visibility", "presence", "frame_change"):
        assert np.array_equal(getattr(s, name), getattr(t, name), equal_nan=True), name
    assert t.source == s.source
    assert not list(tmp_path.glob("*.tmp"))


def test_wrong_files_are_refused(tmp_path):
    with pytest.raises(SeriesFileError, match="no such"):
        LandmarkSeries.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(SeriesFileError):
        LandmarkSeries.load(junk)
    other = tmp_path / "other.npz"
    np.savez(other, meta=np.array('{"schema": "something-else"}'), time=np.zeros(1))
    with pytest.raises(SeriesFileError):
        LandmarkSeries.load(other)


def test_future_schema_version_is_refused(tmp_path):
    s = lunge_series(["left"])
    path = s.save(tmp_path / "a.npz")
    with np.load(path) as z:
        arrays = dict(z)
    arrays["meta"] = np.array(str(arrays["meta"]).replace('"schema_version": 1', '"schema_version": 99'))
    np.savez(path, **arrays)
    with pytest.raises(SeriesFileError, match="version 99"):
        LandmarkSeries.load(path)


def _part(s: LandmarkSeries, a: int, b: int) -> LandmarkSeries:
    return LandmarkSeries(
        s.time[a:b], s.frame_index[a:b], s.image[a:b], s.world[a:b], s.visibility[a:b], s.presence[a:b],
        s.source, s.frame_change[a:b],
    )  # fmt: skip


def test_concatenate_joins_segments_in_order():
    s = lunge_series(["left"])
    n = s.n_frames
    joined = LandmarkSeries.concatenate([_part(s, n // 2, n), _part(s, 0, n // 2)])
    assert np.array_equal(joined.frame_index, s.frame_index)
    assert np.array_equal(joined.image, s.image, equal_nan=True)
    with pytest.raises(ValueError):
        LandmarkSeries.concatenate([_part(s, 0, 10), _part(s, 5, 20)])
