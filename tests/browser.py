"""Headless chromium for the browser tests: Playwright driving Debian's chromium (no browser download).

Use the ``chromium`` fixture (registered in ``tests/conftest.py``; one browser per test module,
so Playwright's event loop never outlives the module that needs it) for a
Playwright ``Browser``; open pages with ``new_page(chromium)``, which also records every
console error, page error and network request in ``page.problems``::

    def test_my_page(chromium, tmp_path):
        page = new_page(chromium, width=390)
        page.goto(path.as_uri())
        assert page.problems == []

The browser is ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs it)
or ``$LUNGE_SCREEN_CHROMIUM``, started with ``--headless --no-sandbox --disable-gpu``.
``playwright`` is in the ``test`` extra; ``playwright install`` is never run. When either
is missing the tests skip on a developer's machine and FAIL under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LUNGE_SCREEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _missing(msg: str):
    if _in_ci():
        pytest.fail(msg + " -- CI must run the browser tests, not skip them")
    pytest.skip(msg)


def launch_chromium() -> Iterator:
    """Start Playwright and Debian's chromium; yield the ``Browser``; close both afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (it is in the 'test' extra: pip install -e '.[test]')")
    exe = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not exe:
        _missing(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1280, height: int = 844, mobile: bool = False):
    """A fresh page (own context) at ``width`` x ``height`` CSS px whose ``problems`` list collects console
    errors, uncaught exceptions, failed loads and every request other than the page itself and data: URLs."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, is_mobile=mobile, has_touch=mobile
    )
    page = context.new_page()
    problems: list[str] = []
    page.problems = problems

    def console(m) -> None:
        if m.type in ("error", "assert"):
            problems.append(f"console {m.type}: {m.text}")

    def request(r) -> None:
        if not (r.is_navigation_request() or r.url.startswith("data:")):
            problems.append(f"request: {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"exception: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed load: {r.url} {r.failure}"))
    page.on("request", request)
    return page
