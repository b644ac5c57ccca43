"""In a real browser: Playwright driving Debian's Chromium against built sites served
on 127.0.0.1. Nothing is downloaded: the browser is /usr/bin/chromium."""

from __future__ import annotations

import contextlib
from pathlib import Path

import browserkit
import pytest
from browserkit import serve

from orgkit import build, write_site

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = browserkit.NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    yield from browserkit.serve_example(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    yield from browserkit.launch()


def _pages(site: Path) -> list[str]:
    """Every page of the site, but those that only forward to another (an old address)."""
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("index.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:4000]
    )


def test_every_page_loads_without_console_errors_or_failed_requests(example, browser):
    base, site = example
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A request cut short by our own next navigation is ERR_ABORTED: not a failure of
    # the site. Missing files still show up, as HTTP errors below.
    page.on(
        "requestfailed",
        lambda r: (
            problems.append(f"failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    page.on(
        "response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    urls = _pages(site)
    assert len(urls) > 50
    for url in urls:
        page.goto(base + url, wait_until="load")
        assert page.locator("article h1").count() >= 1, url
    # the goal-quality page's old address sends readers on
    page.goto(base + "health/")
    page.wait_for_url(base + "quality/")
    assert page.locator("article h1").inner_text() == "Goal quality"
    # also the standalone print pages
    for printed in site.glob("periods/*/print.html"):
        page.goto(base + printed.relative_to(site).as_posix())
    page.close()
    assert problems == []


def test_nothing_is_requested_from_outside(example, browser):
    base, _ = example
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(base) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(base)
    page.goto(base + "okrs/2026-q3/company/retention/")
    page.close()
    assert outside == []


def test_search_finds_a_goal_by_a_word_of_its_title(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "onboarding flow")
    result = page.locator(
        ".md-search-result__link", has_text="Reduce the onboarding flow from 7 steps to 3"
    )
    result.first.wait_for(timeout=30000)
    result.first.click()
    page.wait_for_url("**/goals/2026-q3/tomas/flow-steps/**")
    assert "Reduce the onboarding flow from 7 steps to 3" in page.locator("h1").first.inner_text()
    page.close()


def test_from_a_goal_up_the_chain_to_the_kpi_by_clicking(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + "goals/2026-q3/fatima/outreach/")
    chain = page.locator("ol.okr-chain")
    chain.get_by_role(
        "link", name="Cut churn in bottom-quartile accounts from 6.0% to 4.5%"
    ).click()
    page.wait_for_url("**/okrs/2026-q3/customer-success/advocates/#kr-quartile-churn")
    page.locator("ol.okr-chain").get_by_role(
        "link", name="Reduce monthly gross churn from 4.2% to 3.0%"
    ).click()
    page.wait_for_url("**/okrs/2026-q3/company/retention/#kr-churn")
    page.locator("ol.okr-chain").get_by_role("link", name="Monthly gross churn").first.click()
    page.wait_for_url("**/kpis/gross-churn/")
    assert page.locator("h1").first.inner_text() == "Monthly gross churn"
    page.close()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "okrs/2026-q3/company/retention/",
        "goals/2026-q3/fatima/outreach/",
        "kpis/gross-churn/",
        "teams/support/",
        "quality/",
    ],
)
def test_usable_at_phone_width(example, browser, url):
    base, _ = example
    page = browser.new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page.goto(base + url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{url}: page is {overflow}px wider than the phone"
    page.close()


def _contrast(page, selector: str) -> float:
    return page.evaluate(
        """(sel) => {
      const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const el = document.querySelector(sel);
      let bgEl = el; let bg = getComputedStyle(bgEl).backgroundColor;
      while (bg === 'rgba(0, 0, 0, 0)' && bgEl.parentElement) { bgEl = bgEl.parentElement; bg = getComputedStyle(bgEl).backgroundColor; }
      const a = lum(getComputedStyle(el).color), b = lum(bg);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_scores_are_readable_in_both_schemes(example, browser, scheme):
    base, _ = example
    page = browser.new_page(color_scheme=scheme)
    page.goto(base + "okrs/2026-q3/company/retention/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "slate" if scheme == "dark" else "default"
    )
    for selector in (
        ".md-typeset p",
        ".okr-progress__value",
        ".okr-band-label",
        ".okr-chain__kind",
    ):
        ratio = _contrast(page, selector)
        assert ratio >= 4.5 if selector != ".okr-chain__kind" else ratio >= 3, (selector, ratio)
    page.close()


# Each chart text's size as drawn (its font size times the scale it is drawn at, and
# the height of its box) and its contrast with the page: a fill with alpha (Material's
# lighter text colours) is blended over the background first.
_CHART_TEXT = """() => {
  const rgba = (c) => { const v = c.match(/[\\d.]+/g).map(Number); return [...v.slice(0, 3), v.length > 3 ? v[3] : 1]; };
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const bg = rgba(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll('svg.okr-chart text')].map(t => {
    const [r, g, b, a] = rgba(getComputedStyle(t).fill);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {text: t.textContent,
            size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            height: t.getBoundingClientRect().height,
            contrast: (l1 + 0.05) / (l2 + 0.05)};
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "url",
    [
        "okrs/2026-q4/company/retention/",
        "goals/2026-q4/chloe/weekend-rota/",
        "kpis/arr/",
        "teams/support/",
    ],
)
def test_chart_text_is_11px_and_readable_on_a_phone(example, browser, url, scheme):
    """Charts are drawn at a 390 px phone's width with their text at 11 px or more,
    in 4.5:1 contrast with the page in both schemes."""
    base, _ = example
    page = browser.new_page(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    page.goto(base + url)
    found = page.evaluate(_CHART_TEXT)
    assert found
    small = [t for t in found if t["size"] < 11 or t["height"] < 11]
    faint = [t for t in found if t["contrast"] < 4.5]
    assert (small, faint) == ([], [])
    page.close()


def test_print_emulation_shows_no_navigation(example, browser):
    base, _ = example
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(base + "periods/2026-q3/print.html")
    assert page.locator(".md-header, .md-sidebar, .md-search, nav").count() == 0
    assert page.locator("section.team").count() >= 5
    page.goto(base + "periods/2026-q3/")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search"):
        assert not page.locator(selector).first.is_visible(), selector
    page.close()


AXE_PAGES = [
    "",
    "kpis/",
    "kpis/gross-churn/",
    "periods/2026-q3/",
    "periods/2026-q4/",
    "periods/2026-q4/map/",
    "teams/support/",
    "people/ana/",
    "okrs/2026-q3/company/retention/",
    "goals/2026-q3/fatima/outreach/",
    "quality/",
    "rules/okr201/",
]


def test_accessibility_no_serious_violations_in_our_content(example, browser):
    base, _ = example
    page = browser.new_page()
    found = []
    for url in AXE_PAGES:
        page.goto(base + url)
        found += [(url, *v) for v in browserkit.serious_violations(page)]
    page.close()
    assert found == []


def test_charts_and_bars_have_text_alternatives(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + "okrs/2026-q3/company/retention/")
    charts = page.locator("svg.okr-chart")
    assert charts.count() >= 3
    for i in range(charts.count()):
        svg = charts.nth(i)
        assert svg.get_attribute("role") == "img"
        label_ids = svg.get_attribute("aria-labelledby").split()
        for ident in label_ids:
            assert (page.locator(f"#{ident}").text_content() or "").strip()
    bars = page.locator(".okr-progress")
    for i in range(bars.count()):
        label = bars.nth(i).get_attribute("aria-label")
        assert label and "of 1.0 (" in label
        # colour is not the only signal: the band is also a word
        assert bars.nth(i).locator(".okr-band-label").inner_text().lower() in (
            "red",
            "yellow",
            "green",
        )
    page.close()


# Records every script or event-handler element that appears after the page's own
# markup, so a theme script that turns escaped text back into HTML is caught whether or
# not the browser then runs it.
_WATCH_INJECTIONS = """
window.__okrInjected = [];
new MutationObserver(records => {
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeType !== 1 || !document.body) continue;
    const found = [n, ...n.querySelectorAll('*')].filter(e =>
      e.tagName === 'SCRIPT' && document.readyState === 'complete' ||
      [...e.attributes].some(a => a.name.startsWith('on')));
    for (const e of found) window.__okrInjected.push(location.pathname + ': ' + e.outerHTML.slice(0, 200));
  }
}).observe(document, {childList: true, subtree: true});
"""

# Theme scripts that act on a pointer or focus (Material's tooltips for titles cut short
# by an ellipsis, in some releases) render text only then: every element gets both.
_POINT_AT_EVERYTHING = """
() => { for (const e of document.querySelectorAll('body *')) {
  for (const t of ['mouseenter', 'mouseover', 'focus', 'focusin'])
    e.dispatchEvent(new Event(t, {bubbles: t !== 'mouseenter' && t !== 'focus'}));
} }
"""


def test_injection_corpus_runs_no_script_in_the_browser(tmp_path, browser):
    from test_injection import CORPUS

    root = write_site(tmp_path, CORPUS)
    assert build(root).returncode == 0
    site = root / "site"
    server, base = serve(site)
    page = browser.new_page()
    page.add_init_script(_WATCH_INJECTIONS)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        # the page may already be gone; the message is what the test needs
        with contextlib.suppress(Exception):
            dialog.dismiss()

    page.on("dialog", on_dialog)
    injected: list[str] = []
    try:
        # search results render titles from the index: type a word of every title
        page.goto(base)
        browserkit.open_and_search(page, "Goal")
        page.locator(".md-search-result__link").first.wait_for(timeout=30000)
        page.wait_for_timeout(500)
        # the payload is shown as text in the results, not run
        assert "<script>alert(1)</script>" in page.locator(".md-search-result").inner_text()
        injected += page.evaluate("window.__okrInjected")
        for url in [*_pages(site), "periods/2026-q3/print.html"]:
            page.goto(base + url)
            page.evaluate(_POINT_AT_EVERYTHING)
            # tooltips render on the next frames: give a loaded machine time for them
            page.wait_for_timeout(250)
            injected += page.evaluate("window.__okrInjected")
    finally:
        page.close()
        server.shutdown()
    assert injected == []
    assert dialogs == []
