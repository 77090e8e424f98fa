"""Before and after on real clips: a clip's two halves, a clip against its mirror image, the page in chromium.

* ``squat_front_valgus_then_neutral.mp4`` shows deliberate "knees moving in" squats, then
  "knees following the 2nd toe" (../shared/annotations: slightly medial, then lateral). Its
  two halves, split where the annotation's labels change and analysed with ``--start/--end``
  (pose extraction once per test session), must read as both knees moving from medial to
  over or outside the foot, beyond the smallest detectable change.
* A real clip against its own mirrored copy (landmarks mirrored, analysed through the API)
  must report the legs swapped: each leg's reps are the other leg's, the left-right
  difference changes sign.
* The comparison page in headless chromium: it renders without errors or requests, holds
  the sentences, the plot and both sessions' key frames, fits a phone and prints to A4.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from conftest import VIDEOS
from synth import mirror_series
from test_report_browser import PHONE_WIDTH, SCREENSHOTS, load, page_width, screenshot

import lunge_screen as ls
from lunge_screen.cli import main
from lunge_screen.compare import Comparison
from lunge_screen.settings import Thresholds
from lunge_screen.types import LEGS, other_leg

pytestmark = pytest.mark.shared

CLIP = "squat_front_valgus_then_neutral.mp4"
PORTRAIT = "lunge_front_portrait.mp4"


def split_time(annotation: dict) -> tuple[float, int, int]:
    """Midway between the last complete "knees moving in" rep and the first "knees following" rep; their counts."""
    reps = annotation["reps"]
    inward = [r for r in reps if "moving In" in r["label"] and r.get("end_t") is not None]
    neutral = [r for r in reps if "following" in r["label"]]
    return (inward[-1]["end_t"] + neutral[0]["start_t"]) / 2, len(inward), len(neutral)


@pytest.fixture(scope="module")
def halves(shared, annotations, tmp_path_factory):
    """The clip's two halves analysed by ``lunge-screen analyse --start/--end`` (with the report, no video)."""
    from lunge_screen.pose.parallel import shutdown_workers

    split, n_in, n_out = split_time(annotations[CLIP])
    root = tmp_path_factory.mktemp("halves")
    folders = {"first": root / "knees in", "second": root / "knees out"}
    windows = {"first": ["--end", f"{split:.2f}"], "second": ["--start", f"{split:.2f}"]}
    try:
        for half, folder in folders.items():
            args = ["analyse", str(VIDEOS / CLIP), "--out", str(folder), *windows[half], "--no-video", "--quiet"]
            assert main(args) == 0
    finally:
        shutdown_workers()
    return {"folders": folders, "counts": (n_in, n_out), "split": split}


@pytest.fixture(scope="module")
def halves_compared(halves, tmp_path_factory):
    out = tmp_path_factory.mktemp("compared")
    first, second = halves["folders"].values()
    assert main(["compare", str(first), str(second / "session.json"), "--out", str(out)]) == 0
    return out, Comparison.from_json((out / "comparison.json").read_text(encoding="utf-8"))


def test_first_half_against_second_half_reads_as_the_knees_moving_out(halves, halves_compared):
    out, c = halves_compared
    n_in, n_out = halves["counts"]
    over_foot_max = Thresholds().over_foot_max
    assert [s.label for s in c.sessions] == ["knees in", "knees out"]  # the folders' names
    for leg in LEGS:
        before, after = c.legs[leg]
        assert (before.n_measured, after.n_measured) == (n_in, n_out), leg  # squats: both knees, every rep
        assert before.median > over_foot_max and before.n_inward >= 2, leg  # medial on the "knees in" reps
        assert after.median < over_foot_max and after.n_inward == 0, leg  # over or outside the foot after
        ch = c.headline(leg)
        assert ch.judgement == "less inward" and ch.change < -ch.mdc95 < 0, leg
        assert re.match(rf"The {leg} knee now stays (over|outside) the foot: peak knee-over-foot from \+", ch.sentence)
    # Same clip, same camera: nothing to warn about (the analysed window is not a set-up difference).
    assert c.warnings == []
    assert all(s.keyframes for s in c.sessions)
    assert sorted(p.name for p in out.iterdir()) == ["comparison.html", "comparison.json", "comparison.png"]


def _mirrored_pair(series, tmp_path):
    plain, mirrored = tmp_path / "plain.npz", tmp_path / "mirrored.npz"
    series.save(plain)
    mirror_series(series).save(mirrored)
    return ls.compare([ls.analyse(plain), ls.analyse(mirrored)], ["original", "mirrored"])


def test_a_clip_against_its_mirror_image_reports_the_legs_swapped(halves, tmp_path):
    series = ls.LandmarkSeries.load(halves["folders"]["second"] / "landmarks.npz")
    c = _mirrored_pair(series, tmp_path)
    for leg in LEGS:
        mine, theirs = c.legs[leg][1], c.legs[other_leg(leg)][0]
        assert mine.n_measured == theirs.n_measured >= 3
        assert np.allclose(sorted(mine.values), sorted(theirs.values), atol=1e-3)
    a0, a1 = c.asymmetry
    assert a1.difference == pytest.approx(-a0.difference, abs=1e-3)
    assert a0.exceeds_sdd and a1.worse_leg == other_leg(a0.worse_leg)  # in this half one knee sits further out
    left, right = c.headline("left"), c.headline("right")
    assert left.change == pytest.approx(-right.change, abs=1e-3)
    assert {left.judgement, right.judgement} == {"more inward", "less inward"}


def test_a_one_legged_clip_against_its_mirror_image_moves_its_reps_to_the_other_leg(clip_series, tmp_path):
    c = _mirrored_pair(clip_series(PORTRAIT), tmp_path)  # right lunges only
    original, mirrored = (c.legs["right"][0], c.legs["left"][0]), (c.legs["right"][1], c.legs["left"][1])
    assert original[0].n_reliable >= 2 and original[1].n_assessed == 0  # right measured, no left rep
    assert mirrored[1].values == pytest.approx(original[0].values, abs=1e-3) and mirrored[0].n_assessed == 0
    assert c.headline("left").withheld_reason == "no left-leg reps in original"
    assert c.headline("right").withheld_reason.startswith(f"only {original[0].n_reliable} reliable right-leg reps")


# ---- the page in a real browser (Playwright driving Debian's chromium: tests/browser.py) -----------------
@pytest.mark.browser
def test_the_comparison_page_renders_on_a_phone_with_sentences_plot_and_key_frames(halves_compared, chromium, tmp_path):
    out, c = halves_compared
    page = load(chromium, out / "comparison.html", PHONE_WIDTH)
    try:
        screenshot(page, "comparison_phone.png", tmp_path)
        assert page.problems == []
        text = page.evaluate("document.body.innerText")
        for line in c.summary:
            assert line in text
        assert "not a diagnosis" in text
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.closest('section').id, i.naturalWidth, i.naturalHeight])"
        )
        assert [s for s, _, _ in images] == ["plot", "keyframes", "keyframes"]
        assert all(w > 200 and h > 200 for _, w, h in images)
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert page_width(page) <= PHONE_WIDTH, "horizontal overflow at phone width"
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_comparison_page_prints_to_a4(halves_compared, chromium, tmp_path):
    out, _ = halves_compared
    page = load(chromium, out / "comparison.html", 1100, 900, mobile=False)
    try:
        screenshot(page, "comparison_desktop.png", tmp_path)
        assert page.problems == []
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 695, "height": 1000})  # A4 inside the print margins
        assert page_width(page) <= 695
    finally:
        page.context.close()
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 2 <= pages <= 8, pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "comparison_a4.pdf").write_bytes(pdf)
    shutil.copy(tmp_path / "comparison_a4.pdf", SCREENSHOTS / "comparison_a4.pdf")


# ---- a study: batch with participant and session columns -------------------------------------
def test_a_batch_with_participants_and_sessions_writes_changes_csv(shared, annotations, tmp_path):
    import csv

    (tmp_path / "P01").mkdir()
    for name in ("b_first.mp4", "a_second.mp4"):  # file names sort against the manifest's (time) order
        shutil.copyfile(VIDEOS / CLIP, tmp_path / "P01" / name)
    manifest = tmp_path / "study.csv"
    manifest.write_text(
        "path,participant,session\nP01/b_first.mp4,P01,week 0\nP01/a_second.mp4,P01,week 6\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    split, _, n_out = split_time(annotations[CLIP])  # the "knees out" squats only, at 15 fps: a short batch
    args = ["batch", "--manifest", str(manifest), "--out", str(out), "--start", f"{split:.2f}", "--max-fps", "15"]
    assert main([*args, "-j", "2", "--quiet"]) == 0
    with open(out / "changes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["participant"], r["leg"], r["session_from"], r["session_to"]) for r in rows] == [
        ("P01", "left", "week 0", "week 6"),
        ("P01", "right", "week 0", "week 6"),
    ]
    for row in rows:  # the same clip twice: the same reps, so no change
        assert (int(row["n_from"]), int(row["n_to"])) == (n_out, n_out)
        assert float(row["change"]) == 0.0 and float(row["mdc95"]) > 0
        assert row["judgement"] == "no detectable change" and row["setup_warnings"] == ""
        assert row["video_from"] == "P01/b_first.mp4"
