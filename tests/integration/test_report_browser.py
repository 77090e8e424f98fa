"""The HTML report of real clips, checked in a real headless browser (Debian's chromium).

Chromium is started by the test on 127.0.0.1 with a random DevTools port and driven
over the DevTools protocol with ``websocket-client`` (no browser download, no Node).
The page must load with no console errors and no requests other than itself and its
inline ``data:`` images; the finding and both legs' rows must be present; every image
must decode; at 390 px (a phone) nothing may overflow sideways; and it must print to A4.

Screenshots go to pytest's tmp folder and are copied to /tmp/report_screenshots/.
When chromium is missing the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import VIDEOS, in_ci

pytestmark = [pytest.mark.shared, pytest.mark.browser]

SCREENSHOTS = Path("/tmp/report_screenshots")
PHONE_WIDTH = 390
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """A minimal DevTools-protocol client for one page: commands, and the events seen so far."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60.0) -> dict:
        end = time.monotonic() + timeout
        for e in self.events:
            if e["method"] == method:
                return e
        while time.monotonic() < end:
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method:
                    return msg
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


@pytest.fixture(scope="module")
def browser():
    """A headless chromium process of our own; yields a function that opens a fresh page client."""
    pytest.importorskip("websocket", reason="websocket-client is in the 'test' extra")
    exe = find_browser()
    if exe is None:
        msg = "chromium not installed (apt-get install -y chromium)"
        if in_ci():
            pytest.fail(msg + " -- CI must run the browser tests")
        pytest.skip(msg)
    profile = tempfile.mkdtemp(prefix="lunge-screen-chromium-")
    args = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = Path(profile) / "DevToolsActivePort"
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start (exit {proc.poll()})")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])

        def open_page() -> DevTools:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
            with urllib.request.urlopen(req, timeout=10) as r:
                target = json.loads(r.read())
            return DevTools(target["webSocketDebuggerUrl"])

        yield open_page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def load(page: DevTools, html: Path, width: int, height: int = 844, mobile: bool = True, decode: bool = True) -> None:
    """Open ``html`` at a viewport of ``width`` CSS px; with ``decode``, fail unless every image decodes."""
    for domain in ("Page", "Runtime", "Network", "Log"):
        page.send(f"{domain}.enable")
    page.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
    page.send("Page.navigate", url=html.resolve().as_uri())
    page.wait_for("Page.loadEventFired")
    if decode:
        page.evaluate("Promise.all(Array.from(document.images).map(i => i.decode()))")
    time.sleep(0.3)  # late console messages
    page.send("Runtime.evaluate", expression="0")  # drain pending events


def page_width(page: DevTools) -> int:
    """Width of the laid-out page in CSS px. A mobile viewport widens itself to fit overflowing
    content (``innerWidth`` grows too), so compare this with the device width, not ``innerWidth``."""
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth)")


def problems(page: DevTools, html: Path) -> list[str]:
    """Console errors, exceptions, error log entries and any request other than the page and data: URLs."""
    url = html.resolve().as_uri()
    out = []
    for e in page.events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append(f"console {p['type']}: {p.get('args')}")
        elif m == "Runtime.exceptionThrown":
            out.append(f"exception: {p.get('exceptionDetails')}")
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            out.append(f"log error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif m == "Network.requestWillBeSent":
            req = p["request"]["url"]
            if req != url and not req.startswith("data:"):
                out.append(f"request: {req}")
        elif m == "Network.loadingFailed":
            out.append(f"failed load: {p.get('errorText')}")
    return out


def screenshot(page: DevTools, name: str, tmp: Path, full: bool = True) -> Path:
    params = {"format": "png"}
    if full:
        size = page.send("Page.getLayoutMetrics")["cssContentSize"]
        params |= {"captureBeyondViewport": True, "clip": {**{k: size[k] for k in ("x", "y", "width")},
                   "height": min(size["height"], 16000), "scale": 1}}  # fmt: skip
    data = base64.b64decode(page.send("Page.captureScreenshot", **params)["data"])
    path = tmp / name
    path.write_bytes(data)
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


def test_front_lunge_report_on_a_phone(reports, browser, tmp_path):
    folder, written = reports["lunge_front_portrait.mp4"]
    html = folder / "report.html"
    names = {p.name for p in written}
    assert {"report.html", "annotated.mp4", "keyframes.jpg", "plot_time.png", "plot_reps.png"} <= names
    assert all(p.resolve().parent == folder.resolve() for p in written), "an output escaped --out"
    assert not list(folder.glob("*.tmp")), "temporary files left behind"
    summary = json.loads((folder / "session.json").read_text())["finding"]["summary"]

    page = browser()
    try:
        load(page, html, PHONE_WIDTH)
        shot = screenshot(page, "report_phone_lunge_front.png", tmp_path)
        assert problems(page, html) == []
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
        page.close()


def test_report_prints_to_a4_and_reads_on_a_desktop(reports, browser, tmp_path):
    folder, _ = reports["lunge_front_portrait.mp4"]
    html = folder / "report.html"
    page = browser()
    try:
        load(page, html, 1280, 900, mobile=False)
        screenshot(page, "report_desktop_lunge_front.png", tmp_path)
        assert problems(page, html) == []
        pdf = base64.b64decode(
            page.send("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)["data"]
        )
        # What the print stylesheet lays out inside A4's margins (184 mm = 695 CSS px at 96 dpi).
        page.send("Emulation.setEmulatedMedia", media="print")
        page.send("Emulation.setDeviceMetricsOverride", width=695, height=1000, deviceScaleFactor=1, mobile=False)
        screenshot(page, "report_print_layout_lunge_front.png", tmp_path)
        assert page_width(page) <= 695
    finally:
        page.close()
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 2 <= pages <= 12, pages
    (tmp_path / "report_a4.pdf").write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "report_a4.pdf", SCREENSHOTS / "report_a4_lunge_front.pdf")


def test_side_view_report_marks_withheld_reps(reports, browser, tmp_path):
    folder, written = reports["reverse_lunge_side_view.mp4"]
    assert "annotated.mp4" not in {p.name for p in written}  # --no-video
    html = folder / "report.html"
    page = browser()
    try:
        load(page, html, PHONE_WIDTH)
        screenshot(page, "report_phone_side_view.png", tmp_path)
        assert problems(page, html) == []
        withheld = page.evaluate("document.querySelectorAll('#reps tr.withheld').length")
        assert withheld >= 1
        assert "side view" in page.evaluate("document.querySelector('#reps').innerText")
        assert page.evaluate("document.querySelector('#video') === null")
        assert page_width(page) <= PHONE_WIDTH
    finally:
        page.close()


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


def test_the_checks_catch_errors_and_requests(browser, tmp_path):
    """Negative control: the same checks flag a page that logs an error and fetches from the network."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><meta name="viewport" content="width=device-width">'
        '<img src="http://127.0.0.1:9/x.png"><div style="width:900px">wide</div>'
        "<script>console.error('boom')</script>",
        encoding="utf-8",
    )
    page = browser()
    try:
        load(page, bad, PHONE_WIDTH, decode=False)
        found = " | ".join(problems(page, bad))
        width = page_width(page)
    finally:
        page.close()
    assert "console error" in found and "request: http://127.0.0.1:9/x.png" in found
    assert width > PHONE_WIDTH
