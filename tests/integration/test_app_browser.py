"""The clinic app end to end in a real headless Chromium (Debian's, driven by Playwright; no browser download).

``lunge-screen app`` runs as its own process on a free port with a temporary data folder; the
browser opens the printed address, creates a patient, uploads ``lunge_front_portrait.mp4`` twice
(the lite model, to keep CI fast), watches the progress bar move, reloads during the analysis,
reads the finding and the per-leg table, plays the annotated video, downloads the zip, uploads a
text file and sees its error, and compares the two sessions. A screenshot of each step goes to
pytest's tmp folder, and to ``$LUNGE_SCREEN_SCREENSHOTS`` when that is set.

When chromium or Playwright is missing the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import MODELS, VIDEOS, in_ci

pytestmark = [pytest.mark.shared, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's package (.ci/run installs it)
CLIP = "lunge_front_portrait.mp4"
TIMEOUT_MS = 240_000  # one analysis on a busy 2-core machine


def _need(ok: bool, what: str) -> None:
    if not ok:
        if in_ci():
            pytest.fail(f"{what} -- CI must run the app's browser tests, not skip them")
        pytest.skip(what)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """``shots(page, name)``: a screenshot into the tmp folder (and $LUNGE_SCREEN_SCREENSHOTS)."""
    folder = tmp_path_factory.mktemp("app_screenshots")
    extra = Path(os.environ["LUNGE_SCREEN_SCREENSHOTS"]) if os.environ.get("LUNGE_SCREEN_SCREENSHOTS") else None
    taken: list[Path] = []

    def take(page, name: str, full_page: bool = False) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        taken.append(path)
        if extra is not None:
            extra.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, extra / path.name)
        return path

    yield take
    print("\napp screenshots:\n" + "\n".join(f"  {p}" for p in taken))


@pytest.fixture(scope="module")
def app_url(shared, tmp_path_factory):
    """``lunge-screen app --no-browser --port 0`` on a fresh data folder; the address it prints (with the token)."""
    data = tmp_path_factory.mktemp("app_data")
    env = {**os.environ, "LUNGE_SCREEN_MODEL_DIR": str(MODELS), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "lunge_screen", "app", "--no-browser", "--port", "0", "--data", str(data)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url, seen = None, []
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        url = found.group(0) if found else None
    assert url, "the app printed no address:\n" + "".join(seen)
    yield url
    proc.send_signal(signal.SIGINT)  # as Ctrl-C: running jobs end, their sessions become interrupted
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def page(app_url):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright is not installed (pip install playwright; no 'playwright install' needed)")
    _need(Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.errors = errors
        yield pg
        browser.close()


STATE: dict = {}


def wait_until(page, js: str, arg=None, timeout_s: float = TIMEOUT_MS / 1000):
    """Poll ``js`` (a function of ``arg``) with page.evaluate until it is truthy; its value.

    Playwright's own wait_for_function evaluates a string inside the page, which the app's
    Content-Security-Policy forbids (no 'unsafe-eval'), as it should.
    """
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = page.evaluate(js, arg)
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(js)


def _session_ids(page) -> list[str]:
    return page.eval_on_selector_all("#sessions .status[data-session]", "els => els.map(e => e.dataset.session)")


def _bar_value(page, session_id: str) -> float | None:
    return page.evaluate(
        "(id) => { const b = document.querySelector(`.status[data-session='${id}'] progress`);"
        " return b && b.hasAttribute('value') ? b.value : null; }",
        session_id,
    )


def test_patient_upload_progress_reload_and_report(page, app_url, shots):
    page.goto(app_url)  # the token is swapped for a cookie and dropped from the address
    assert "token=" not in page.url
    shots(page, "patients")
    page.fill("#name", "P-017 (browser test)")
    page.click("#new-patient button")
    page.wait_for_selector("h1:has-text('P-017 (browser test)')")
    STATE["patient_url"] = page.url
    page.select_option("#model", "lite")
    clip = (VIDEOS / CLIP).read_bytes()
    page.set_input_files(
        "#files",
        [{"name": CLIP, "mimeType": "video/mp4", "buffer": clip},
         {"name": "second visit.mp4", "mimeType": "video/mp4", "buffer": clip}],
    )  # fmt: skip
    wait_until(page, "() => document.querySelectorAll('#sessions .status[data-session]').length === 2")
    ids = _session_ids(page)
    STATE["sessions"] = ids
    assert page.locator("#uploads li").count() == 2
    assert page.locator("#uploads li .error").count() == 0

    first = ids[0]
    wait_until(
        page, "(id) => { const b = document.querySelector(`.status[data-session='${id}'] progress`);"
        " return b && b.value > 0; }", first,
    )  # fmt: skip
    v1 = _bar_value(page, first)
    assert page.locator(f".status[data-session='{ids[1]}'] .badge").inner_text() == "queued"
    wait_until(
        page, "([id, v]) => { const b = document.querySelector(`.status[data-session='${id}'] progress`);"
        " return !b || !b.hasAttribute('value') || b.value > v; }", [first, v1],
    )  # fmt: skip
    shots(page, "progress")
    v2 = _bar_value(page, first)
    assert v2 is None or v2 > v1  # the bar moved (or the pose stage ended and the next stage has no frame count)

    page.click(f"#row-{first} a.video-name")  # the session page, during its analysis
    page.wait_for_selector("#analysis .status")
    response = page.reload()
    served = response.text()  # what the server sent on reload, before any script ran
    assert f'data-session="{first}" data-status="running"' in served, "the analysis ended before the reload"
    assert re.search(r'<span class="stage">[^<]+</span>', served)
    shown = re.search(r'<progress max="100" value="([\d.]+)">', served)
    assert shown is None or float(shown.group(1)) >= v1  # progress restored from the server, not from zero
    shots(page, "reloaded-during-analysis")

    page.wait_for_selector("#finding .summary")  # the page reloads itself when the analysis is done
    summary = page.inner_text("#finding .summary")
    assert "knee" in summary.lower() or "lunge" in summary.lower()
    table = page.locator("#legs table.legs")
    assert table.locator("thead").inner_text().split()[-2:] == ["Left", "Right"]
    # the clip: two lunges, both led by the right leg (../shared/annotations/annotations.json)
    left, right = map(int, table.locator("tr:has(th:text-is('Reps with this leg assessed')) td").all_inner_texts())
    assert left == 0 and 1 <= right <= 2  # the lite model may not tell the lead of one rep
    frame = page.frame_locator("#report-frame")
    assert frame.locator("#finding .summary").inner_text() == summary  # the report says the same
    found = re.search(r"(\d+) rep\(s\) found", frame.locator("header dl.fields").inner_text())
    assert found and int(found.group(1)) == 2
    wait_until(page, "() => document.querySelector('#annotated').readyState >= 1")  # the H.264 video loads
    assert page.evaluate("document.querySelector('#annotated').duration") == pytest.approx(8.7, abs=0.5)
    zipped = page.request.get(urljoin(page.url, page.get_attribute("#download", "href")))
    assert zipped.status == 200 and zipped.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(zipped.body())).namelist()
    for name in ("report.html", "session.json", "annotated.mp4", "reps.csv", "landmarks.npz"):
        assert any(n.endswith(f"/{name}") for n in names), names
    shots(page, "report", full_page=True)
    page.click("#print")  # prints the report frame (headless: no dialog)
    assert page.errors == []


def _cli_message(tmp_path, name: str, content: bytes) -> str:
    """What ``lunge-screen analyse NAME`` prints for this file (its error line, without the prefix)."""
    (tmp_path / name).write_bytes(content)
    cmd = [sys.executable, "-m", "lunge_screen", "analyse", name, "-o", "out", "--quiet"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stderr
    return done.stderr.strip().removeprefix("lunge-screen: error: ")


def test_a_text_file_shows_its_error_and_the_app_goes_on(page, shots, tmp_path):
    text = b"Patient notes, not a video.\n" * 40
    expected = _cli_message(tmp_path, "notes.txt", text)
    assert expected == "notes.txt: a text file, not a video"
    page.goto(STATE["patient_url"])
    page.set_input_files("#files", [{"name": "notes.txt", "mimeType": "text/plain", "buffer": text}])
    wait_until(page, "() => document.querySelectorAll('#sessions .status[data-session]').length === 3")
    text_id = next(i for i in _session_ids(page) if i not in STATE["sessions"])
    error = page.locator(f".status[data-session='{text_id}'] .error")
    error.wait_for()
    assert error.inner_text() == expected
    page.locator(f".status[data-session='{STATE['sessions'][1]}'] .badge:text-is('done')").wait_for()
    shots(page, "text-file-error")
    page.click(f"#row-{text_id} a.video-name")
    assert page.inner_text("#error") == expected
    assert page.locator("#rerun").is_visible()
    assert page.errors == []


def test_compare_two_sessions(page, shots):
    page.goto(STATE["patient_url"])
    for sid in STATE["sessions"]:
        page.check(f"#row-{sid} input[type=checkbox]")
    page.click("#compare")
    page.wait_for_selector("#comparison-summary .summary")
    lines = page.locator("#comparison-summary .summary").all_inner_texts()
    assert any(line.startswith("Right knee") for line in lines), lines
    # the same video twice: nothing may read as a change
    assert not any("more inward" in line or "less inward" in line for line in lines), lines
    frame = page.frame_locator("#comparison-frame")
    frame.locator("body").wait_for()
    shots(page, "compare", full_page=True)
    assert page.errors == []
