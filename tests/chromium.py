"""Headless Chromium for the browser tests (test_browser.py, test_csp_browser.py).

Playwright's sync API allows one instance per thread, so the browser is one session fixture
(`browser` in conftest.py) that every browser test shares; each test opens its own context.
Needs Chromium at /usr/bin/chromium (playwright cannot download browsers here). Without it the
tests are skipped locally, but fail in CI (CI set), so a broken CI image is never silently green.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
STORY_DAY = dt.date(2026, 12, 1)  # the day of tests/example_story.yml


def unavailable(reason: str):
    """Skip locally, fail in CI: CI must really run these tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI är satt, så webbläsartesterna får inte hoppas över)")
    pytest.skip(reason)


def launch():
    """Yields a launched Chromium (for the session fixture), or skips/fails when there is none."""
    if not CHROMIUM.exists():
        unavailable(f"Chromium saknas ({CHROMIUM}); installera Debians paket chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright saknas; installera testberoendena: pip install -e '.[test]'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site from 127.0.0.1 without logging every request into the test output."""

    def log_message(self, format, *args):  # noqa: A002 - keep pytest output clean
        pass


def serve(directory, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler, path: str = "/"):
    """Yields the base URL of `directory` served by `handler` on a free local port (for a fixture)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{path}"
    server.shutdown()
    server.server_close()
