"""The clinician's outputs: plots, faces, H.264 writer, overlay video, key frames, HTML, the report CLI.

Synthetic results and videos first (no ../shared needed), then real clips: the
annotated video's frame count, size, codec and rotation, face blurring, and
``lunge-screen report`` rebuilding a real session.
"""

from __future__ import annotations

import json
import shutil

import av
import numpy as np
import pytest
from media import make_video
from PIL import Image
from synth import lunge_series

from lunge_screen.api import write as write_outputs
from lunge_screen.cli import main
from lunge_screen.pipeline import analyse_series
from lunge_screen.report import faces, keyframes, plots
from lunge_screen.report.annotate import nearest_rows, output_size, write_annotated_video
from lunge_screen.report.encode import H264Writer, even_size
from lunge_screen.report.html import InlineImage, render_html
from lunge_screen.report.overlay import draw_frame, live_category, plan_overlay
from lunge_screen.results import LegMeasures, Rep
from lunge_screen.settings import OutputOptions, Thresholds

T = Thresholds()


def rep(index, lead, start, bottom, end, legs):
    return Rep(index, int(start * 30), int(bottom * 30), int(end * 30), start, bottom, end, lead, 1.0, 0.3,
               "frontal", 5.0, legs=legs)  # fmt: skip


def measured(leg, peak, fppa=None):
    cat = "clearly medial" if peak >= 0.2 else "slightly medial" if peak > 0.1 else "over foot"
    return LegMeasures(leg, category=cat, knee_over_foot_peak=peak, knee_over_foot_bottom=peak, fppa_bottom_deg=fppa)


SYNTH_REPS = [
    rep(1, "left", 1.0, 1.5, 2.0, [measured("left", 0.25, 12.0)]),
    rep(2, "right", 3.0, 3.5, 4.0, [measured("right", 0.02, 3.0)]),
    rep(3, "left", 5.0, 5.5, 6.0, [LegMeasures("left", withheld_reason="side view (yaw 60 deg)")]),
    rep(4, "right", 7.0, 7.5, 8.0, [measured("right", 0.05)]),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic lunge session (left knee inward) with a matching small H.264 video."""
    series = lunge_series(["left", "right", "left", "right"], {"left": 0.08}, width=270, height=480, scale=220)
    video = make_video(tmp_path_factory.mktemp("synth") / "synthetic.mp4", n=series.n_frames, size=(270, 480))
    series.source.video = str(video)
    return series, analyse_series(series), video


# ---- plots -------------------------------------------------------------------------------------
def test_timeseries_figure_draws_thresholds_reps_and_withheld():
    t = np.arange(0, 9, 1 / 30)
    legs = {
        leg: {"knee_over_foot": np.sin(t) * 0.2, "kmd_change": np.cos(t) * 0.05, "fppa_deg": np.full(t.shape, np.nan)}
        for leg in ("left", "right")
    }
    fig = plots.timeseries_figure(t, legs, SYNTH_REPS, T)
    axes = fig.axes
    assert len(axes) == 3
    flat = {round(float(line.get_ydata()[0]), 3) for line in axes[0].lines if len(set(line.get_ydata())) == 1}
    assert {T.over_foot_max, T.clearly_medial_min, T.lateral_max} <= flat
    hatched = [p for p in axes[0].patches if p.get_hatch()]
    assert len(hatched) == 1  # rep 3 is withheld
    assert any("not valid" in txt.get_text() for txt in axes[2].texts)  # FPPA never valid
    img = Image.open(__import__("io").BytesIO(plots.png_bytes(fig)))
    assert img.format == "PNG" and img.size[0] > 800


def test_rear_leg_is_masked_during_the_other_legs_lunge():
    t = np.arange(0, 9, 0.5)
    mask = plots.rear_leg_mask(t, SYNTH_REPS, "right")
    assert mask[(t >= 1.0) & (t <= 2.0)].all() and not mask[(t >= 3.0) & (t <= 4.0)].any()


def test_rep_comparison_shows_each_rep_bands_and_sdd():
    fig = plots.rep_comparison_figure(SYNTH_REPS, T)
    ax = fig.axes[0]
    assert len(fig.axes) == 2  # valid FPPA exists -> second panel
    ys = sorted(float(y) for c in ax.collections for y in c.get_offsets()[:, 1])
    assert ys == pytest.approx(sorted([0.25, 0.02, 0.05]))
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "SDD 0.1" in texts and "difference 0.21" in texts and "above SDD" in texts
    assert {"lateral", "over foot", "slightly medial", "clearly medial"} <= {t.get_text() for t in ax.texts}
    assert "1 withheld" in texts
    empty = plots.rep_comparison_figure([], T)
    assert "needs both legs" in " ".join(t.get_text() for t in empty.axes[0].texts)
    plots.png_bytes(empty)


# ---- faces ------------------------------------------------------------------------------------
def test_head_ellipse_covers_the_face_and_blur_stays_inside():
    face = np.array([[100, 50], [95, 45], [92, 45], [90, 45], [105, 45], [108, 45], [110, 45],
                     [85, 48], [115, 48], [96, 58], [104, 58]], float)  # fmt: skip
    e = faces.head_ellipse(face, np.array([[60, 110], [140, 110]], float))
    assert e.rx >= 0.85 * 40 and abs(e.cx - 100) < 2  # floor: half the shoulder width
    assert faces.head_ellipse(np.full((11, 2), np.nan)) is None
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)
    before = img.copy()
    faces.blur_ellipses(img, [e])
    inside = (slice(45, 55), slice(95, 105))
    assert np.abs(img[inside].astype(int) - before[inside]).mean() > 20
    assert np.array_equal(img[150:, :], before[150:, :]) and np.array_equal(img[:, :40], before[:, :40])


def test_face_ellipses_hold_over_short_dropouts(synthetic):
    series = synthetic[0]
    s = type(series)(**{**series.__dict__, "image": series.image.copy()})
    s.image[10, :, :11] = np.nan  # one frame without a face
    s.image[100:200, :, :11] = np.nan  # 3.3 s without a face
    e = faces.face_ellipses(s, hold_s=0.5)
    assert e[10] == e[9] or e[10] == e[11]
    assert e[150] == [] and e[99] and e[100]


# ---- H.264 writer and the annotated video ----------------------------------------------------------
def test_h264_writer_plays_everywhere(tmp_path):
    times = [0, 0.04, 0.08, 0.15, 0.2, 0.3]  # variable frame rate
    path = tmp_path / "v.mp4"
    with H264Writer(path, 64, 48, 25) as w:
        for i, t in enumerate(times):
            w.write(np.full((48, 64, 3), 40 * i, np.uint8), t)
    data = path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # faststart
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        got = [float(f.pts * f.time_base) for f in c.decode(s)]
    assert got == pytest.approx(times, abs=1e-3)
    with pytest.raises(ValueError, match="even"):
        H264Writer(tmp_path / "odd.mp4", 65, 48, 25)
    assert even_size(65, 49) == (64, 48) and output_size(1080, 1920, 1280) == (720, 1280)


def test_nearest_rows():
    assert nearest_rows(np.array([0, 2, 4]), np.arange(6)).tolist() == [0, 0, 1, 1, 2, 2]
    assert nearest_rows(np.array([7]), np.arange(3)).tolist() == [0, 0, 0]


def test_annotated_video_of_a_synthetic_session(synthetic, tmp_path):
    series, analysis, video = synthetic
    plan = plan_overlay(analysis, T)
    summary = write_annotated_video(video, plan, series, tmp_path / "a.mp4", blur_faces=True)
    assert (summary.n_frames, summary.width, summary.height, summary.codec) == (series.n_frames, 270, 480, "h264")
    with av.open(str(tmp_path / "a.mp4")) as c:
        s = c.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
    assert len(frames) == series.n_frames and frames[0].shape == (480, 270, 3)
    bottom = analysis.windows[0].bottom
    raw = np.full((480, 270, 3), 40, np.uint8)
    drawn = draw_frame(raw.copy(), plan, bottom)
    assert (drawn != raw).any(axis=2).mean() > 0.02  # skeleton, lines and readout
    assert not list(tmp_path.glob("*.tmp"))


def test_live_category_matches_thresholds():
    assert [live_category(v, T) for v in (0.25, 0.15, 0.0, -0.2, np.nan)] == [
        "clearly medial", "slightly medial", "over foot", "lateral", None
    ]  # fmt: skip


# ---- key frames -----------------------------------------------------------------------------------
def test_worst_reps_and_crop_box():
    picks = keyframes.worst_reps(SYNTH_REPS)
    assert picks["left"][0].index == 1 and picks["right"][0].index == 4
    only_withheld = keyframes.worst_reps(SYNTH_REPS[2:3])
    assert only_withheld["left"][0].index == 3 and only_withheld["right"] is None
    x0, y0, x1, y1 = keyframes.crop_box(np.array([[100, 100], [120, 300], [np.nan, np.nan]]), 400, 400)
    assert 0 <= x0 < 100 and y0 < 100 and x1 > 120 and y1 > 300 and (x1 - x0) >= 0.6 * (y1 - y0) - 2
    assert keyframes.crop_box(np.full((3, 2), np.nan), 50, 40) == (0, 0, 50, 40)


def test_keyframes_of_a_synthetic_session(synthetic):
    series, analysis, video = synthetic
    img = keyframes.render_keyframes(video, plan_overlay(analysis, T), faces.face_ellipses(series), series.frame_index)
    assert img.width > img.height > 300
    assert keyframes.jpeg_bytes(img)[:2] == b"\xff\xd8"


# ---- HTML ------------------------------------------------------------------------------------------
def test_html_is_self_contained_and_escapes_everything(synthetic):
    result = synthetic[1].result
    png = plots.png_bytes(plots.rep_comparison_figure(result.reps, T))
    page = render_html(
        result,
        thresholds=T,
        keyframes=None,
        plots=[InlineImage(png, "image/png", "alt <x>", "caption & more")],
        patient={"name": "<script>alert(1)</script>", "note": "a \"quoted\" 'note'"},
        video_file=None,
    )
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in page and 'name="viewport"' in page
    assert result.finding.summary.replace("'", "&#x27;") in page
    for section in ("finding", "legs", "keyframes", "plots", "reps", "quality", "method", "limitations", "sources"):
        assert f'id="{section}"' in page
    assert "consistent with" in page and "not a diagnosis" in page
    assert "Stickler" in page and "Munro" in page


# ---- CLI and write_outputs --------------------------------------------------------------------------
def test_report_cli_rebuilds_a_session_and_explains_missing_files(synthetic, tmp_path, capsys):
    series, _, video = synthetic
    npz = series.save(tmp_path / "in.npz")
    out = tmp_path / "out"
    assert main(["analyse", str(npz), "--out", str(out), "--quiet", "--patient-name", "J. Doe"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"session.json", "report.html", "plot_time.png", "plot_reps.png", "keyframes.jpg"} <= names
    assert "annotated.mp4" in names  # the session's recorded video still exists
    assert "J. Doe" in (out / "report.html").read_text(encoding="utf-8")

    assert main(["report", str(tmp_path / "nope.json")]) == 3
    assert main(["report", str(out / "session.json"), "--no-video"]) == 9  # no landmarks.npz (npz input)
    assert "landmarks file missing" in capsys.readouterr().err
    shutil.copy(npz, out / "landmarks.npz")
    moved = tmp_path / "moved.mp4"
    video.rename(moved)
    try:
        assert main(["report", str(out / "session.json"), "--no-video"]) == 3
        assert "--video" in capsys.readouterr().err
        again = tmp_path / "again"
        code = main(
            ["report", str(out / "session.json"), "--video", str(moved), "--out", str(again), "--no-blur-faces"]
        )
        assert code == 0
    finally:
        moved.rename(video)
    names = {p.name for p in again.iterdir()}
    assert {"report.html", "annotated.mp4", "keyframes.jpg", "session.json", "landmarks.npz"} <= names
    assert "not blurred" in (again / "report.html").read_text(encoding="utf-8")
    old, new = (json.loads((d / "session.json").read_text())["finding"] for d in (out, again))
    assert old == new


def test_no_report_no_video_writes_only_tables(synthetic, tmp_path):
    series, analysis, video = synthetic
    written = write_outputs(
        analysis, series, tmp_path, video_path=video, options=OutputOptions(report=False, video=False)
    )
    assert {p.name for p in written} == {"landmarks.npz", "session.json", "reps.csv", "frames.csv"}


# ---- real clips -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def portrait(shared, clip_series):
    series = clip_series("lunge_front_portrait.mp4")
    return series, analyse_series(series)


def detect_faces(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Faces found by OpenCV's Haar cascade (independent of our face landmarks): ``(x, y, w, h)`` boxes."""
    import cv2

    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    return [tuple(map(int, b)) for b in cascade.detectMultiScale(grey, 1.1, 5, minSize=(24, 24))]


def overlaps(a: tuple[int, int, int, int], boxes: list[tuple[int, int, int, int]]) -> bool:
    """Does any of ``boxes`` cover at least a third of box ``a`` (the same face found again)?"""
    ax, ay, aw, ah = a
    for bx, by, bw, bh in boxes:
        ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
        iy = max(0, min(ay + ah, by + bh) - max(ay, by))
        if ix * iy >= aw * ah / 3:
            return True
    return False


def sharpness(rgb: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Variance of the Laplacian inside ``box`` (x, y, w, h): high for detail, near zero for a blurred patch."""
    import cv2

    x, y, w, h = box
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y : y + h, x : x + w]), cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def test_real_annotated_video_keeps_size_rotation_and_frame_count(portrait, shared, tmp_path):
    from lunge_screen.io.video import iter_frames, probe

    series, analysis = portrait
    plan = plan_overlay(analysis, T)
    videos = shared / "videos"
    out = {}
    for clip in ("lunge_front_portrait.mp4", "lunge_front_portrait_rotated_meta.mp4"):
        summary = write_annotated_video(videos / clip, plan, series, tmp_path / clip, blur_faces=True)
        with av.open(str(tmp_path / clip)) as c:
            s = c.streams.video[0]
            assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
            frames = [f for f in c.decode(s)]
            assert all(not getattr(f, "rotation", 0) for f in frames[:3])
            out[clip] = [f.to_ndarray(format="rgb24") for f in frames[::50]]
        assert summary.n_frames == len(frames) == series.n_frames == 217
        assert (frames[0].width, frames[0].height) == (720, 1280)  # portrait, as filmed
    a, b = (np.stack(v).astype(int) for v in out.values())
    assert np.abs(a - b).mean() < 6  # the rotated-metadata copy comes out upright and identical

    # Faces are blurred, measured without our own face landmarks: OpenCV's face detector finds the face in
    # every sampled original frame, in no annotated one, and the original's face box loses its detail.
    info = probe(videos / "lunge_front_portrait.mp4")
    originals = [f.image for f in iter_frames(videos / "lunge_front_portrait.mp4", info=info,
                                              indices=np.arange(0, 217, 50), max_side=1280)]  # fmt: skip
    annotated = out["lunge_front_portrait.mp4"]
    for original, drawn in zip(originals, annotated):
        found = detect_faces(original)
        assert found, "the face detector must see the face in the original frame (control)"
        assert not overlaps(found[0], detect_faces(drawn))  # (a stray detection elsewhere is not the face)
        assert sharpness(drawn, found[0]) < 0.25 * sharpness(original, found[0])


def test_report_command_on_a_real_session(portrait, shared, tmp_path):
    series, analysis = portrait
    video = shared / "videos" / "lunge_front_portrait.mp4"
    write_outputs(analysis, series, tmp_path, video_path=video, options=OutputOptions(report=False, video=False))
    assert main(["report", str(tmp_path / "session.json"), "--no-video", "--clinician", "A. Physio"]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert analysis.result.finding.summary.replace("'", "&#x27;") in html and "A. Physio" in html
    kf = Image.open(tmp_path / "keyframes.jpg")
    assert kf.width > 700 and kf.height > 700
    assert not (tmp_path / "annotated.mp4").exists()


def _report_images(folder) -> dict[str, np.ndarray]:
    """keyframes.jpg and every picture inlined in report.html, as RGB arrays."""
    import base64
    import io
    import re

    images = {"keyframes.jpg": np.asarray(Image.open(folder / "keyframes.jpg").convert("RGB"))}
    html = (folder / "report.html").read_text(encoding="utf-8")
    for i, data in enumerate(re.findall(r'src="data:image/[a-z]+;base64,([^"]+)"', html)):
        images[f"report image {i}"] = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
    return images


def test_no_face_can_be_seen_in_the_key_frames_or_the_report_pictures(portrait, shared, tmp_path, monkeypatch):
    """keyframes.jpg and the report's pictures show no face; and where a key frame does show the face (the crop
    widened to the whole frame here), the face is blurred: found by OpenCV's detector only without blurring,
    and its box loses most of its detail."""
    series, analysis = portrait
    video = shared / "videos" / "lunge_front_portrait.mp4"
    write_outputs(analysis, series, tmp_path / "as made", video_path=video, options=OutputOptions(video=False))
    pictures = _report_images(tmp_path / "as made")
    assert len(pictures) >= 3  # key frames, two plots
    assert {name: detect_faces(img) for name, img in pictures.items()} == {name: [] for name in pictures}

    monkeypatch.setattr(keyframes, "crop_box", lambda points, width, height, margin=0.18: (0, 0, width, height))
    shown = {}
    for blur in (False, True):
        options = OutputOptions(video=False, blur_faces=blur)
        write_outputs(analysis, series, tmp_path / f"blur {blur}", video_path=video, options=options)
        shown[blur] = _report_images(tmp_path / f"blur {blur}")
    for name in ("keyframes.jpg", "report image 0"):  # the file, and the copy inlined in the page
        found = detect_faces(shown[False][name])
        assert found, f"{name}: with the whole frame shown and blurring off, the face detector sees the face"
        assert not overlaps(found[0], detect_faces(shown[True][name])), name
        assert sharpness(shown[True][name], found[0]) < 0.25 * sharpness(shown[False][name], found[0]), name
