"""The HTML report of real clips, checked in a real headless browser (Playwright driving Debian's chromium).

The browser comes from the ``chromium`` fixture (tests/browser.py): ``/usr/bin/chromium``
started by Playwright, no browser download. The page must load with no console errors and
no requests other than itself and its inline ``data:`` images; the finding and both legs'
rows must be present; every image must decode; at 390 px (a phone) nothing may overflow
sideways; and it must print to A4.

Screenshots go to pytest's tmp folder and are copied to /tmp/report_screenshots/.
When chromium or playwright is missing the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from browser import new_page
from conftest import VIDEOS

pytestmark = [pytest.mark.shared, pytest.mark.browser]

SCREENSHOTS = Path("/tmp/report_screenshots")
PHONE_WIDTH = 390


def load(browser, html: Path, width: int, height: int = 844, mobile: bool = True, decode: bool = True):
    """A page showing ``html`` at ``width`` CSS px; with ``decode``, fail unless every image decodes."""
    page = new_page(browser, width, height, mobile=mobile)
    page.goto(html.resolve().as_uri(), wait_until="load")
    if decode:
        page.evaluate("Promise.all(Array.from(document.images).map(i => i.decode()))")
    page.wait_for_timeout(300)  # late console messages
    return page


def page_width(page) -> int:
    """Width of the laid-out page in CSS px. A mobile viewport widens itself to fit overflowing
    content (``innerWidth`` grows too), so compare this with the device width, not ``innerWidth``."""
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth)")


def screenshot(page, name: str, tmp: Path) -> Path:
    path = tmp / name
    page.screenshot(path=str(path), full_page=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / name)
    print(f"screenshot: {path} (copy: {SCREENSHOTS / name})")
    return path


@pytest.fixture(scope="module")
def reports(shared, clip_series, tmp_path_factory):
    """Full outputs for a front-view lunge (with video) and a side-view lunge (withheld; no video)."""
    from lunge_screen.api import write as write_outputs
    from lunge_screen.pipeline import analyse_series
    from lunge_screen.settings import OutputOptions

    out = {}
    patient = {"name": "Jane <b>Doe</b> & Co", "id": "P-0042", "session_date": "2026-11-24", "clinician": "A. Physio"}
    for clip, video in (("lunge_front_portrait.mp4", True), ("reverse_lunge_side_view.mp4", False)):
        series = clip_series(clip)
        folder = tmp_path_factory.mktemp(clip.split(".")[0])
        options = OutputOptions(video=video, patient=patient)
        written = write_outputs(analyse_series(series), series, folder, video_path=VIDEOS / clip, options=options)
        out[clip] = (folder, written)
    return out


def test_front_lunge_report_on_a_phone(reports, chromium, tmp_path):
    folder, written = reports["lunge_front_portrait.mp4"]
    html = folder / "report.html"
    names = {p.name for p in written}
    assert {"report.html", "annotated.mp4", "keyframes.jpg", "plot_time.png", "plot_reps.png"} <= names
    assert all(p.resolve().parent == folder.resolve() for p in written), "an output escaped --out"
    assert not list(folder.glob("*.tmp")), "temporary files left behind"
    summary = json.loads((folder / "session.json").read_text())["finding"]["summary"]

    page = load(chromium, html, PHONE_WIDTH)
    try:
        shot = screenshot(page, "report_phone_lunge_front.png", tmp_path)
        assert page.problems == []
        text = page.evaluate("document.body.innerText")
        assert summary in text
        assert "consistent with" in text.lower() or "no pattern" in text.lower()
        legs = page.evaluate("Array.from(document.querySelectorAll('#legs thead th')).map(th => th.innerText.trim())")
        assert legs[1:] == ["Left", "Right"]
        rep_legs = page.evaluate(
            "Array.from(document.querySelectorAll('#reps tbody tr')).map(r => r.cells[3].innerText)"
        )
        assert rep_legs and set(rep_legs) <= {"Left", "Right", "–"}
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        assert len(images) == 3 and all(ok and w > 100 and h > 100 for ok, w, h in images)
        assert page_width(page) <= PHONE_WIDTH, "horizontal overflow at phone width"
        # Patient fields are shown as text, never as markup.
        assert "Jane <b>Doe</b> & Co" in text
        assert page.evaluate("document.querySelector('header b') === null")
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert page.evaluate("getComputedStyle(document.querySelector('#finding')).borderLeftWidth") == "8px"
        assert shot.stat().st_size > 50_000
    finally:
        page.context.close()


def test_report_prints_to_a4_and_reads_on_a_desktop(reports, chromium, tmp_path):
    folder, _ = reports["lunge_front_portrait.mp4"]
    html = folder / "report.html"
    page = load(chromium, html, 1280, 900, mobile=False)
    try:
        screenshot(page, "report_desktop_lunge_front.png", tmp_path)
        assert page.problems == []
        pdf = page.pdf(format="A4", print_background=True)
        # What the print stylesheet lays out inside A4's margins (184 mm = 695 CSS px at 96 dpi).
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 695, "height": 1000})
        screenshot(page, "report_print_layout_lunge_front.png", tmp_path)
        assert page_width(page) <= 695
    finally:
        page.context.close()
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 2 <= pages <= 12, pages
    (tmp_path / "report_a4.pdf").write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "report_a4.pdf", SCREENSHOTS / "report_a4_lunge_front.pdf")


def test_side_view_report_marks_withheld_reps(reports, chromium, tmp_path):
    folder, written = reports["reverse_lunge_side_view.mp4"]
    assert "annotated.mp4" not in {p.name for p in written}  # --no-video
    html = folder / "report.html"
    page = load(chromium, html, PHONE_WIDTH)
    try:
        screenshot(page, "report_phone_side_view.png", tmp_path)
        assert page.problems == []
        withheld = page.evaluate("document.querySelectorAll('#reps tr.withheld').length")
        assert withheld >= 1
        assert "side view" in page.evaluate("document.querySelector('#reps').innerText")
        assert page.evaluate("document.querySelector('#video') === null")
        assert page_width(page) <= PHONE_WIDTH
    finally:
        page.context.close()


def test_report_makes_no_request_even_with_network_allowed(reports):
    """Static check of the file itself: no external URL in any src/href and a CSP that forbids fetches."""
    folder, _ = reports["lunge_front_portrait.mp4"]
    text = (folder / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    for attr in ("src=", "href="):
        for chunk in text.split(attr)[1:]:
            value = chunk[1:].split(chunk[0], 1)[0]
            assert value.startswith(("data:", "annotated.mp4", "#")), value
    assert os.path.getsize(folder / "report.html") < 6_000_000


def test_the_checks_catch_errors_and_requests(chromium, tmp_path):
    """Negative control: the same checks flag a page that logs an error and fetches from the network."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><meta name="viewport" content="width=device-width">'
        '<img src="http://127.0.0.1:9/x.png"><div style="width:900px">wide</div>'
        "<script>console.error('boom')</script>",
        encoding="utf-8",
    )
    page = load(chromium, bad, PHONE_WIDTH, decode=False)
    try:
        found = " | ".join(page.problems)
        width = page_width(page)
    finally:
        page.context.close()
    assert "console error" in found and "request: http://127.0.0.1:9/x.png" in found
    assert width > PHONE_WIDTH
