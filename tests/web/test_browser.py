"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright.

The app runs under uvicorn on 127.0.0.1; every request the page makes is recorded and
must go to that host (the Vega bundle and the boundaries are served locally, never from
a CDN), and the console must stay free of errors. Screenshots are saved to the test's
temporary directory (path printed; ``SMARTSPEC_SCREENSHOTS=dir`` keeps them there).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from smartspec.geo import ATTRIBUTION
from smartspec.reports.maps import ACCENT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SMARTSPEC_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAN_CODES = {
    "SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211", "SE212", "SE213",
    "SE214", "SE221", "SE224", "SE231", "SE232", "SE311", "SE312", "SE313", "SE321",
    "SE322", "SE331", "SE332",
}  # fmt: skip
MARKS = 'path[role="graphics-symbol"][aria-roledescription="geoshape"]'
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (Python) is not installed: pip install -e '.[dev]'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SMARTSPEC_CHROMIUM)"
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """A browser page with everything it requested and every console error."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None
        assert response.ok, f"{path}: HTTP {response.status}"

    def assert_clean(self) -> None:
        """Only 127.0.0.1 was asked for anything, and nothing was logged as an error."""
        foreign = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert foreign == [], f"requests to other hosts: {foreign}"
        assert self.errors == [], f"console errors: {self.errors}"

    def screenshot(self, directory: Path, name: str) -> Path:
        path = directory / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path


@pytest.fixture
def tab(browser: Any, live_server: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    t = Tab(page=page, base=live_server.url)
    page.on("request", lambda request: t.requests.append(request.url))
    page.on(
        "console",
        lambda msg: t.errors.append(f"{msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: t.errors.append(f"pageerror: {exc}"))
    try:
        yield t
    finally:
        context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    keep = os.environ.get("SMARTSPEC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path


def _labels(tab: Tab, container: str) -> list[str]:
    selector = f"{container}[data-rendered='true']"
    tab.page.wait_for_selector(selector)
    labels: list[str] = tab.page.eval_on_selector_all(
        f"{container} svg {MARKS}", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    return labels


def test_home_page_draws_the_21_lan(tab: Tab, shots: Path) -> None:
    tab.goto("/")
    labels = _labels(tab, "#map-sweden")
    codes = [label.split(" ", 1)[0] for label in labels]
    assert len(codes) == 21
    assert set(codes) == LAN_CODES
    assert "SE211 Jönköpings län" in labels

    europe = _labels(tab, "#map-europe")
    assert len(europe) > 200  # every NUTS 2 region with a 2024 boundary
    assert any(label.startswith("SE11 ") for label in europe)

    attributions = tab.page.get_by_text(ATTRIBUTION)
    assert attributions.count() == 2
    for i in range(2):
        assert attributions.nth(i).is_visible()
    # the län list links to the region pages
    assert tab.page.locator("nav.lan-list a[href='/regions/SE211']").count() == 1

    tab.screenshot(shots, "home")
    tab.assert_clean()


def test_map_tooltip_and_click_open_the_region(tab: Tab) -> None:
    tab.goto("/")
    _labels(tab, "#map-sweden")
    mark = tab.page.locator(f"#map-sweden {MARKS}[aria-label='SE211 Jönköpings län']")
    mark.hover()
    tooltip = tab.page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "SE211" in tooltip.inner_text()
    assert "Jönköpings län" in tooltip.inner_text()
    mark.click()
    tab.page.wait_for_url(re.compile(r"/regions/SE211$"))
    assert "Jönköpings län" in tab.page.locator("h1").inner_text()
    tab.assert_clean()


def test_region_page(tab: Tab, shots: Path) -> None:
    tab.goto("/regions/SE211")
    assert "Jönköpings län" in tab.page.locator("h1").inner_text()
    labels = _labels(tab, "#map-region")
    assert "SE211 Jönköpings län" in labels
    assert len(labels) > 1  # drawn among its neighbours
    fill = tab.page.get_attribute(f"#map-region {MARKS}[aria-label^='SE211 ']", "fill")
    assert fill is not None
    assert fill.lower() == ACCENT.lower()
    assert tab.page.get_by_text(ATTRIBUTION).is_visible()
    tab.screenshot(shots, "region-SE211")
    tab.assert_clean()


def test_unknown_region_page(tab: Tab) -> None:
    response = tab.page.goto(tab.base + "/regions/SE999")
    assert response is not None
    assert response.status == 404
    assert "Did you mean" in tab.page.content()
    tab.errors = [e for e in tab.errors if "404" not in e]  # the page's own status
    tab.assert_clean()
