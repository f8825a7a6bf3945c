"""The built example handbook under its own Content-Security-Policy, in headless Chromium.

The site is served the way docs/administration.md tells administrators to serve it: the policy
from content-security-policy.txt as a response header (on every response, so the search worker
gets it too), on top of the <meta> policy in each page. Every `securitypolicyviolation` event
and every console message about the policy is recorded; a single one fails the test.

The site is served below /handbok/, the path of site_url in mkdocs.yml, because the 404 page
refers to its assets by that absolute path.

Needs Chromium at /usr/bin/chromium: skipped locally without it, but fails in CI (see tests/chromium.py).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import chromium
from browsing import site_search
from chromium import STORY_DAY
from sitebuild import build_example

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREFIX = "/handbok/"

PAGES = {
    "startsida": "",
    "rutin": "gemensamt/rutiner/handledning/",
    "revisionsläge": "handbok/revisionslage/",
    "dokumentägare": "handbok/dokumentagare/enhetschef-barn-och-unga/",
    "enhet": "barn-och-unga/",
    "evidens": "evidens/bbic/",
    "404": "finns-inte/",
}

# Registered before any page script runs. Violations in the search worker are reported in the
# worker, not the document: the console listener catches those.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber,
                               e.sample].join(" | "));
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built = build_example(tmp_path_factory, strict=True, today=STORY_DAY)
    assert built.result.returncode == 0, built.log
    return built.site


class _PolicyHandler(chromium.QuietHandler):
    """Serves the site below PREFIX with the policy header, and 404.html for missing pages."""

    policy = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        super().end_headers()

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "-utanför-handbok-" / "saknas")  # never exists: a 404
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def base_url(site):
    policy = (site / "content-security-policy.txt").read_text(encoding="utf-8").strip()
    yield from chromium.serve(site, type("Handler", (_PolicyHandler,), {"policy": policy}), PREFIX)


@pytest.fixture
def open_page(browser, base_url):
    """open_page(path) -> (page, violations): the page at base_url + path, and a list that
    collects every CSP violation and policy console message of this test's pages."""
    local = urlsplit(base_url).netloc
    violations: list[str] = []
    context = browser.new_context(timezone_id="Europe/Stockholm", locale="sv-SE",
                                  viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)

    def route(r):  # nothing may leave the local server, as in test_browser.py
        if urlsplit(r.request.url).netloc == local or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            violations.append(f"Begäran till en annan server: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    pages = []

    def console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"konsolen: {message.text}")

    def _open(path: str):
        page = context.new_page()
        page.on("console", console)
        page.on("pageerror", lambda error: violations.append(f"skriptfel: {error}"))
        page.on("worker", lambda worker: worker.on("console", console))
        page.clock.set_fixed_time(dt.datetime(STORY_DAY.year, STORY_DAY.month, STORY_DAY.day, 12,
                                              tzinfo=dt.timezone(dt.timedelta(hours=1))))
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        pages.append(page)
        return page

    def collected() -> list[str]:
        found = list(violations)
        for page in pages:
            found += [f"{page.url}: {v}" for v in page.evaluate("() => window.__cspViolations || []")]
        return found

    _open.violations = collected
    yield _open
    context.close()


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_page_loads_without_policy_violations(open_page, path):
    page = open_page(path)
    # The header really was sent, and the page's own <meta> is in force too.
    meta = page.locator('head > meta[http-equiv="Content-Security-Policy"]')
    assert meta.count() == 1
    # Our script and Material's ran: the page is no longer marked no-js, the header is drawn.
    assert "no-js" not in (page.locator("html").get_attribute("class") or "")
    assert page.locator(".md-header").is_visible()
    violations = open_page.violations()
    assert not violations, f"Innehållspolicyn stoppade något på /{path}:\n" + "\n".join(violations)


def test_handbok_script_runs_under_the_policy(open_page):
    page = open_page("handbok/revisionslage/")
    assert page.locator("form.handbok-filter").is_visible(), "handbok.js ska visa filtret"
    assert not open_page.violations()


def test_search_works_under_the_policy(open_page):
    """Pagefind compiles WebAssembly in a worker: the policy allows exactly that ('wasm-unsafe-eval')."""
    hrefs = site_search(open_page(""), "orosanmälan")
    # Below PREFIX, as the site is served here: the results' addresses follow the site's own path.
    assert PREFIX.lstrip("/") + "barn-och-unga/rutiner/orosanmalan/" in hrefs, hrefs
    violations = open_page.violations()
    assert not violations, "Innehållspolicyn stoppade något i sökningen:\n" + "\n".join(violations)


def test_start_page_is_styled_under_the_policy(open_page, tmp_path):
    page = open_page("")
    # Material's stylesheet applied: the header has its primary colour, not the browser default.
    background = page.locator(".md-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    page.screenshot(path=str(Path(os.environ.get("CSP_SCREENSHOT", tmp_path / "start.png"))))
    assert not open_page.violations()


def test_an_injected_inline_script_is_blocked_and_recorded(open_page):
    """The control: the policy does stop an inline script it does not name, and the test sees it."""
    page = open_page("gemensamt/rutiner/handledning/")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.body.appendChild(s);
    }""")
    page.wait_for_function("() => window.__cspViolations.length > 0", timeout=5_000)
    assert page.evaluate("() => window.__injected") is None
    assert any("script-src" in v for v in open_page.violations()), open_page.violations()
