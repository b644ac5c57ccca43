"""The example site on a 390 px phone, in Chromium: no page wider than the screen, every
table's title, score and state in view without scrolling sideways, axe-core finding no
serious or critical problem in the light and the dark scheme, and search results that
tell one quarter's objective from the next."""

from __future__ import annotations

import browserkit
import pytest

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = browserkit.NEEDS_CHROMIUM

PHONE = {"width": 390, "height": 844}

# One page of every kind okrsite generates (the changes page exists only in previews).
KINDS = {
    "home": "",
    "KPI list": "kpis/",
    "KPI": "kpis/first-response/",
    "periods": "periods/",
    "period": "periods/2026-q4/",
    "alignment map": "periods/2026-q4/map/",
    "teams": "teams/",
    "team": "teams/support/",
    "people": "people/",
    "person": "people/tomas/",
    "objective": "okrs/2026-q4/onboarding/effortless/",
    "goal": "goals/2026-q4/tomas/checklist/",
    "quality": "quality/",
    "rules": "rules/",
    "rule": "rules/okr201/",
}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    yield from browserkit.serve_example(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    yield from browserkit.launch()


def _open(example, browser, url: str, scheme: str = "light"):
    base, site = example
    assert (site / url / "index.html").exists(), url
    page = browser.new_page(viewport=PHONE, color_scheme=scheme)
    page.goto(base + url)
    # check-ins and other folded tables count too
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return page


# Every cell of every okrsite table whose box is not inside the viewport: the cells a
# phone must show (not okr-aux) always, an okr-aux cell only when it is shown at all.
# A table without okr-aux cells may scroll inside itself instead, if it says so.
_OUT_OF_VIEW = """() => {
  const out = [];
  const w = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll('article table.okr-table')) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    const hasAux = table.querySelector('.okr-aux') !== null;
    if (!hasAux && scrolls) {
      const style = getComputedStyle(table);
      if (!['auto', 'scroll'].includes(style.overflowX) || !style.backgroundImage.includes('radial-gradient'))
        out.push('scrolls without a cue: ' + table.className);
      continue;
    }
    for (const cell of table.querySelectorAll('tbody td')) {
      const r = cell.getBoundingClientRect();
      const shown = r.width > 0 && r.height > 0;
      if (cell.classList.contains('okr-aux') && !shown) continue;
      if (!shown || r.left < -1 || r.right > w + 1)
        out.push(table.className + ': ' + cell.textContent.trim().slice(0, 40) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return out;
}"""


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_wider_than_the_phone(example, browser, kind):
    page = _open(example, browser, KINDS[kind])
    overflow = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    assert overflow <= 1, f"{kind}: {overflow}px wider than the phone"
    assert page.evaluate(_OUT_OF_VIEW) == []
    page.close()


@pytest.mark.parametrize("url", ["kpis/", "people/ana/"])
def test_titles_scores_and_states_are_in_view(example, browser, url):
    """The KPI table and an objectives table: name, value, state and score on screen,
    the owner and the rest stacked under the name rather than cut off to the right."""
    page = _open(example, browser, url)
    table = page.locator("table.okr-table--kpis, table.okr-table--objectives").first
    rows = table.locator("tbody tr")
    assert rows.count() >= 2
    wanted = "td:first-child, td:has(.okr-progress), td:has(.okr-badge), td:has(.okr-score)"
    for i in range(rows.count()):
        cells = rows.nth(i).locator(wanted)
        assert cells.count() >= 2
        for j in range(cells.count()):
            box = cells.nth(j).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (i, j)
        # the title reads as a line, not a column of single words
        title = rows.nth(i).locator("td").first.bounding_box()
        assert title and title["width"] >= PHONE["width"] / 2
    owner = table.locator('tbody tr td.okr-aux[data-label="Owner"]').first
    assert owner.is_visible()
    # named there, where its column's header is out of sight
    label = owner.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Owner: "'
    page.close()


def test_a_table_too_wide_for_the_phone_scrolls_inside_itself_with_a_shade(example, browser):
    page = _open(example, browser, "people/")
    # a column that cannot wrap: the page stays the phone's width, the table scrolls
    page.evaluate(
        """() => { for (const tr of document.querySelectorAll('table.okr-table tr')) {
             const td = document.createElement(tr.parentElement.tagName === 'THEAD' ? 'th' : 'td');
             td.textContent = 'x'.repeat(80); tr.appendChild(td); } }"""
    )
    table = page.locator("table.okr-table").first
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    style = table.evaluate(
        "t => { const s = getComputedStyle(t); "
        "return [s.overflowX, s.backgroundImage, s.backgroundAttachment]; }"
    )
    assert style[0] == "auto"
    assert style[1].count("radial-gradient") == 2  # a shade at each edge
    assert "local" in style[2] and "scroll" in style[2]  # covered where nothing is hidden
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_at_phone_width(example, browser, scheme):
    found = []
    for kind, url in KINDS.items():
        page = _open(example, browser, url, scheme)
        found += [(kind, *v) for v in browserkit.serious_violations(page)]
        page.close()
    assert found == []


def test_search_results_name_the_period(example, browser):
    """The example sets "Make retention our strongest growth lever" in 2026-Q3 and again
    in 2026-Q4: each result's title says which."""
    base, _ = example
    page = browser.new_page(viewport=PHONE)
    page.goto(base)
    page.locator("label.md-header__button[for='__search']").click()
    browserkit.search(page, "retention lever")
    titles = page.locator(".md-search-result__item > .md-search-result__link h1")
    titles.first.wait_for(timeout=30000)
    found = [t.strip() for t in titles.all_inner_texts()]
    assert "Make retention our strongest growth lever (2026-Q3)" in found
    assert "Make retention our strongest growth lever (2026-Q4)" in found
    page.close()


def test_long_names_and_units_do_not_widen_the_page(tmp_path, browser):
    """A 48-letter team name made the glance's team menu, and a 40-letter unit the team
    page's numbers, wider than the phone (found by an attacker)."""
    from orgkit import FILES, build, write_site

    team = "Customer Success Operations and Enablement EMEA"
    unit = "U" * 40
    files = {
        **FILES,
        "org.yaml": FILES["org.yaml"].replace("name: Growth", f"name: {team}"),
        "2026-Q3/company.yaml": FILES["2026-Q3/company.yaml"].replace('unit: "%"', f"unit: {unit}"),
    }
    root = write_site(tmp_path, files)
    assert build(root).returncode == 0
    server, base = browserkit.serve(root / "site")
    page = browser.new_page(viewport=PHONE)
    try:
        for url in ("", "periods/2026-q3/", "teams/company/", "teams/growth/"):
            page.goto(base + url)
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wider <= 1, (url, wider)
    finally:
        page.close()
        server.shutdown()
