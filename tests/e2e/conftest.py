"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server, plus axe."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole run; absent Chromium skips, or fails when CI requires it."""
    if not CHROMIUM.exists():
        reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("GOVLEARN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; GOVLEARN_REQUIRE_BROWSER=1 requires the browser tests to run")
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to run
    # while a loop runs unless told that this (synchronous) use is safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_site(live_server):
    """The live server with the site set up; transactional tests flush data, so this runs per test."""
    from govlearn.setup import setup_site

    setup_site()
    return live_server


@pytest.fixture
def page(browser, live_site, request) -> Iterator:
    """A fresh browser context and page per test, pointed at the live server; a screenshot is kept."""
    context = browser.new_context(base_url=live_site.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    # Console errors (CSP refusals among them) and any request off the site (no CDN, no third parties).
    tab.console_errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    tab.on(
        "request",
        lambda req: (
            req.url.startswith(("http://", "https://"))
            and not req.url.startswith(live_site.url)
            and tab.console_errors.append(f"third-party request: {req.url}")
        ),
    )
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        tab.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), full_page=True)
    finally:
        context.close()


def axe_check(page) -> None:
    """Run axe on the current page and fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for violation in blocking:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        pytest.fail("\n".join(lines))


def assert_stylesheet_loaded(page) -> None:
    """The site's stylesheet really applied (live_server serves static files through staticfiles)."""
    loaded = page.evaluate(
        "() => [...document.styleSheets].some(s => (s.href || '').endsWith('/govlearn/css/govlearn.css')"
        " && s.cssRules.length > 10)"
    )
    assert loaded, "govlearn.css did not load"
    header_bg = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_bg == "rgb(11, 79, 108)", f"site header is not styled: {header_bg}"
