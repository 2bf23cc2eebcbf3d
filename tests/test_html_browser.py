"""The HTML report in a real headless Chromium, driven over the Chrome DevTools Protocol (Playwright).

The report is made through the CLI (``python -m validator SAMPLE --format html --output …``), opened
from a file:// URL, and checked as a person would use it: every finding shown with its rule code
and message, the severity and rule filters, the printed page, and no script errors and no network.
A full-page screenshot is left in ``test-artifacts/html-report.png`` for people to look at.

Needs the system Chromium (``make system-deps`` / ``scripts/system-deps.sh`` installs it with
fonts-noto-cjk) and the ``playwright`` Python package, of which only the driver is used: never
``playwright install``. Without either it skips, saying why; under CI (``CI`` set) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "samples/000_a81f0d4f916600c6.txt"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ARTIFACTS / "html-report.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
O6_MESSAGE = "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
EXPECTED = [("M1", "error"), ("O6", "error"), ("P1", "warning"), ("P1", "warning"), ("T2", "info")]
NETWORK_URL = re.compile(r"^(https?|wss?|ftp)://", re.IGNORECASE)
TIMEOUT_MS = 5_000


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; under CI a missing browser is a broken set-up, so fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_url(tmp_path_factory) -> str:
    """The sample's HTML report, written by the CLI as a user would run it."""
    out = tmp_path_factory.mktemp("html") / "report.html"
    proc = subprocess.run(
        [sys.executable, "-m", "validator", SAMPLE, "--format", "html", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr  # findings at error level: exit 1
    assert proc.stdout == "" and out.stat().st_size > 0
    return out.as_uri()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        _unavailable("chromium is not installed (run `make system-deps` or scripts/system-deps.sh as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield b
        finally:
            b.close()


class Session:
    """A fresh page with every console message, page error and request recorded from the start."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.url = url
        self.console: list[tuple[str, str]] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []  # as Playwright sees them (page, workers, navigations)
        self.cdp_requests: list[str] = []  # as the browser's Network domain reports them
        self.websockets: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page.on("websocket", lambda ws: self.websockets.append(ws.url))
        # Nothing may leave the machine even if the page tried: abort network URLs (still recorded).
        self.context.route(NETWORK_URL, lambda route: route.abort())
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.on("Network.requestWillBeSent", lambda e: self.cdp_requests.append(e["request"]["url"]))
        self.cdp.on("Network.webSocketCreated", lambda e: self.websockets.append(e["url"]))
        self.cdp.send("Network.enable")

    def open(self) -> None:
        response = self.page.goto(self.url, wait_until="load")
        assert response is None or response.ok
        self.page.wait_for_selector('body[data-filters-ready="true"]', state="attached")

    def visible_cards(self) -> list[tuple[str, str]]:
        cards = self.page.locator("article.finding:visible")
        return [(c.get_attribute("data-rule"), c.get_attribute("data-severity")) for c in cards.all()]

    def visible_count(self) -> str:
        return self.page.locator("#visible-count").inner_text().strip()

    def assert_clean(self) -> None:
        """No console errors, no uncaught exceptions, no request but the file:// document itself."""
        errors = [text for kind, text in self.console if kind == "error"]
        assert errors == [], errors
        assert self.page_errors == [], self.page_errors
        assert self.websockets == [], self.websockets
        for seen in (self.requests, self.cdp_requests):
            assert [u for u in seen if NETWORK_URL.match(u)] == []
            assert [u for u in seen if not u.startswith("data:")] == [self.url], seen

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, report_url):
    s = Session(browser, report_url)
    try:
        yield s
    finally:
        s.close()


def test_findings_shown_and_no_errors_or_network(session):
    session.open()
    page = session.page
    assert session.visible_cards() == EXPECTED
    assert session.visible_count() == "5"
    assert page.locator("#total-count").inner_text().strip() == "5"
    codes = [c.inner_text().strip() for c in page.locator("article.finding .rule-code").all()]
    assert codes == [rule for rule, _ in EXPECTED]
    for card in page.locator("article.finding").all():
        assert card.locator(".rule-code").is_visible()
        assert card.locator(".message").is_visible()
    o6 = page.locator('article.finding[data-rule="O6"]')
    assert o6.locator(".message").inner_text().strip() == O6_MESSAGE
    assert page.get_by_text(O6_MESSAGE, exact=True).is_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    data = SCREENSHOT.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1280 and height > 900  # the whole page, longer than the viewport
    assert len(data) > 20_000
    session.assert_clean()


def test_cjk_text_rendered_with_a_cjk_font(session):
    """The Chinese message is drawn with a real CJK font (not tofu) — what the screenshot shows."""
    session.open()
    cdp = session.cdp
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": 'article.finding[data-rule="O6"] .message'})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    families = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
    assert any(re.search(r"CJK|Han|Hei|Song|Ming|Droid Sans Fallback|WenQuanYi", f, re.I) for f in families), fonts
    session.assert_clean()


def test_severity_filter(session):
    session.open()
    page = session.page
    page.uncheck("#filter-error")
    assert session.visible_cards() == [c for c in EXPECTED if c[1] != "error"]
    hidden = page.locator("article.finding[hidden]")
    assert [(c.get_attribute("data-rule"), c.get_attribute("data-severity")) for c in hidden.all()] == [
        ("M1", "error"),
        ("O6", "error"),
    ]
    assert session.visible_count() == "3"
    assert not page.get_by_text(O6_MESSAGE, exact=True).is_visible()
    page.check("#filter-error")
    assert session.visible_cards() == EXPECTED
    assert session.visible_count() == "5"
    session.assert_clean()


def test_rule_filter(session):
    session.open()
    page = session.page
    page.select_option("#rule-filter", "P1")
    assert session.visible_cards() == [("P1", "warning"), ("P1", "warning")]
    assert session.visible_count() == "2"
    page.select_option("#rule-filter", "")
    assert session.visible_cards() == EXPECTED
    assert session.visible_count() == "5"
    session.assert_clean()


def test_print_shows_every_card(session):
    session.open()
    page = session.page
    page.uncheck("#filter-error")
    page.select_option("#rule-filter", "P1")
    assert len(session.visible_cards()) == 2
    page.emulate_media(media="print")
    assert session.visible_cards() == EXPECTED  # the printed page has every finding
    assert not page.locator("#filters").is_visible()  # and no filter bar
    page.emulate_media(media="screen")
    assert session.visible_cards() == [("P1", "warning"), ("P1", "warning")]
    session.assert_clean()
