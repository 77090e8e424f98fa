"""Video input: frame counts, real timestamps (also variable frame rate), windows, seeking, bad files."""

import numpy as np
import pytest
from media import make_audio_only, make_video

from lunge_screen.errors import CorruptVideoError, InputNotFoundError, NotAVideoError
from lunge_screen.io import video


def test_probe_and_decode_every_frame(tmp_path):
    path = make_video(tmp_path / "a.mp4", n=45, fps=30, size=(160, 96))
    info = video.probe(path)
    assert (info.width, info.height, info.n_frames, info.rotation) == (160, 96, 45, 0)
    assert info.fps == pytest.approx(30.0, rel=1e-3)
    frames = list(video.iter_frames(path, info=info))
    assert [f.index for f in frames] == list(range(45))
    assert np.allclose([f.time for f in frames], np.arange(45) / 30, atol=1e-3)
    assert frames[0].image.shape == (96, 160, 3) and frames[0].image.dtype == np.uint8


def test_variable_frame_rate_keeps_real_timestamps(tmp_path):
    times = np.cumsum([0.0] + [0.02 if i % 3 else 0.05 for i in range(1, 40)])
    path = make_video(tmp_path / "vfr.mp4", n=40, times=list(times))
    info = video.probe(path)
    assert info.variable_frame_rate
    assert np.allclose(info.times, times, atol=1.5e-3)
    got = [f.time for f in video.iter_frames(path, info=info)]
    assert np.allclose(got, times, atol=1.5e-3)


def test_a_segment_in_the_middle_decodes_the_same_frames(tmp_path):
    path = make_video(tmp_path / "a.mp4", n=60, fps=30, size=(96, 64))
    info = video.probe(path)
    full = {f.index: f.image for f in video.iter_frames(path, info=info)}
    part = list(video.iter_frames(path, info=info, indices=np.arange(37, 50)))
    assert [f.index for f in part] == list(range(37, 50))
    for f in part:
        assert np.array_equal(f.image, full[f.index])


def test_downscale_keeps_the_aspect_and_gives_packed_rows(tmp_path):
    path = make_video(tmp_path / "a.mp4", n=3, size=(320, 180))
    f = next(video.iter_frames(path, max_side=100))
    assert f.image.shape == (56, 100, 3)
    assert f.image.flags.c_contiguous  # MediaPipe needs packed rows
    assert video.scaled_size(4000, 3000, 960) == (960, 720)
    assert video.scaled_size(640, 480, 960) == (640, 480)


@pytest.mark.parametrize(
    ("fps", "cap", "expected"),
    [(240.0, 60.0, 60), (30.0, 60.0, 30), (120.0, None, 120), (1.0, 60.0, 1)],
)
def test_frame_rate_cap(fps, cap, expected):
    times = np.arange(0, 1, 1 / fps)
    assert len(video.select_frames(times, None, None, cap)) == expected


def test_time_window():
    times = np.arange(0, 10, 0.5)
    idx = video.select_frames(times, 2.0, 4.0, None)
    assert times[idx].tolist() == [2.0, 2.5, 3.0, 3.5, 4.0]


def test_missing_empty_and_non_video_files(tmp_path):
    with pytest.raises(InputNotFoundError):
        video.probe(tmp_path / "nope.mp4")
    with pytest.raises(InputNotFoundError):
        video.probe(tmp_path)
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(NotAVideoError, match="empty"):
        video.probe(tmp_path / "empty.mp4")
    (tmp_path / "text.mp4").write_text("hello, this is not a video")
    with pytest.raises(NotAVideoError):
        video.probe(tmp_path / "text.mp4")
    with pytest.raises(NotAVideoError, match="no video stream"):
        video.probe(make_audio_only(tmp_path / "audio.m4a"))


@pytest.mark.parametrize("name", ["notes.txt", "readme.nfo", "scan.asc"])
def test_a_text_file_is_not_a_video_whatever_its_name(tmp_path, name):
    # FFmpeg would open these names as a "video" of the text drawn as ANSI art (its tty demuxer)
    (tmp_path / name).write_text("Patient notes, not a video.\n" * 40)
    with pytest.raises(NotAVideoError, match="a text file, not a video"):
        video.probe(tmp_path / name)


def test_truncated_video_is_an_error(tmp_path):
    path = make_video(tmp_path / "a.mp4", n=90, size=(160, 96), faststart=True)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptVideoError, match="truncated video: the header lists 90 frames but only"):
        video.probe(cut)  # the index first (faststart): the missing frames are known before decoding
    moov_last = make_video(tmp_path / "b.mp4", n=90, size=(160, 96))
    cut2 = tmp_path / "cut2.mp4"
    cut2.write_bytes(moov_last.read_bytes()[:5000])
    with pytest.raises(NotAVideoError, match="not a readable video file"):
        video.probe(cut2)  # the index at the end, cut off: nothing says what the file holds


def test_a_stream_damaged_part_way_is_a_corrupt_video(tmp_path):
    path = make_video(tmp_path / "a.mp4", n=60, size=(160, 96), faststart=True)
    data = bytearray(path.read_bytes())
    start = len(data) // 4
    data[start:] = bytes((i * 73) % 256 for i in range(len(data) - start))  # packets overwritten with garbage
    bad = tmp_path / "damaged.mp4"
    bad.write_bytes(bytes(data))
    info = video.probe(bad)  # the header is intact
    assert info.n_frames == 60
    with pytest.raises(CorruptVideoError, match="decoding failed at frame"):
        list(video.iter_frames(bad, info=info))
