"""The quarter at a glance in a real browser: the team and owner filter (a parent team
shows its sub-teams' items, groups left empty hide, the reset shows all), the page without
JavaScript (no form, every item), and no sideways scrolling on a phone; a list cut to its
budget of rows filters its team counts too and keeps saying it is cut."""

from __future__ import annotations

import subprocess
import sys

import browserkit
import pytest

from orgkit import ENGINE, ENV

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = browserkit.NEEDS_CHROMIUM

PERIOD = "periods/2026-q4/"
ITEMS = "#glance-items-2026-q4 [data-okr-item]"
FORM = "form[data-okr-filter='glance-items-2026-q4']"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    yield from browserkit.serve_example(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    yield from browserkit.launch()


def shown(page) -> list[dict]:
    """The visible rows' teams and owner."""
    return page.eval_on_selector_all(
        ITEMS,
        "els => els.filter(e => e.offsetParent !== null).map(e => "
        "({teams: e.dataset.teams.split(' '), owner: e.dataset.owner}))",
    )


def visible_groups(page) -> list[str]:
    return page.eval_on_selector_all(
        "#glance-items-2026-q4 [data-okr-group]",
        "els => els.filter(e => !e.hidden).map(e => e.querySelector('[id]').id)",
    )


def test_choosing_a_team_shows_it_and_its_sub_teams_only(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + PERIOD)
    form = page.locator(FORM)
    assert form.is_visible()
    total = page.locator(ITEMS).count()
    assert len(shown(page)) == total == 26
    form.locator("select[name=team]").select_option("product")
    rows = shown(page)
    # product has no objectives of its own: onboarding's and growth's are shown
    assert rows and all("product" in r["teams"] for r in rows)
    assert {r["teams"][0] for r in rows} == {"onboarding", "growth"}
    assert f"{len(rows)} of {total} shown" in form.locator("[data-okr-status]").inner_text()
    # groups with nothing left in them hide; the counts follow
    for group in page.locator("#glance-items-2026-q4 [data-okr-group]").all():
        if group.is_visible():
            count = int(group.locator("[data-okr-count]").inner_text())
            assert count == group.locator("[data-okr-item]:visible").count() > 0
    assert "not-started" not in visible_groups(page)  # mid-market's, under sales
    form.locator("select[name=team]").select_option("growth")
    assert {r["teams"][0] for r in shown(page)} == {"growth"}
    page.close()


def test_choosing_an_owner_and_reset(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + PERIOD)
    form = page.locator(FORM)
    form.locator("select[name=owner]").select_option("soren")
    rows = shown(page)
    assert rows and {r["owner"] for r in rows} == {"soren"}
    # an owner and a team together: both must match
    form.locator("select[name=team]").select_option("growth")
    assert shown(page) == []
    assert visible_groups(page) == []
    form.locator("button[type=reset]").click()
    page.wait_for_function(
        f"document.querySelectorAll('{ITEMS}:not([hidden])').length === 26", timeout=5000
    )
    assert len(visible_groups(page)) == 4
    assert form.locator("[data-okr-status]").inner_text() == ""
    page.close()


def test_without_javascript_the_form_hides_and_everything_shows(example, browser):
    base, _ = example
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in (PERIOD, ""):
        page.goto(base + path)
        assert not page.locator(FORM).is_visible()
        assert len(shown(page)) == page.locator(ITEMS).count() == 26
        assert len(visible_groups(page)) == 4
    context.close()


@pytest.mark.parametrize("path", [PERIOD, "", "periods/2026-q3/"])
def test_no_sideways_scrolling_on_a_phone(example, browser, path):
    base, _ = example
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + path)
    overflow = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    assert overflow <= 1, f"{path}: {overflow}px wider than the phone"
    # each row stacks: its score sits under its title, not beside it
    row = page.locator("[data-okr-item]").first
    what = row.locator(".okr-glance__what").bounding_box()
    score = row.locator(".okr-glance__score").bounding_box()
    assert what and score and score["y"] >= what["y"] + what["height"] - 1
    page.close()


# -- a list cut to its budget of rows ----------------------------------------------------------

LARGE = "#glance-items-2026-q3"


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A generated organisation just over the budget of rows, served."""
    sys.path.insert(0, str(browserkit.ROOT / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("large")
    generate(320, root)
    subprocess.run([ENGINE, "build", "-q"], cwd=root, env=ENV, check=True)
    server, base = browserkit.serve(root / "site")
    yield base
    server.shutdown()


def test_a_cut_list_filters_rows_and_team_counts_and_says_it_is_cut(large, browser):
    page = browser.new_page()
    page.goto(large + "periods/2026-q3/")
    note = page.locator(".okr-glance__cut")
    assert note.is_visible() and "Showing the first 400 of" in note.inner_text()
    form = page.locator("form[data-okr-filter='glance-items-2026-q3']")
    team = page.eval_on_selector(
        f"{LARGE} .okr-glance__rest [data-okr-item]", "e => e.dataset.teams.split(' ')[0]"
    )
    form.locator("select[name=team]").select_option(team)
    visible = page.eval_on_selector_all(
        f"{LARGE} [data-okr-item]",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.teams.split(' '))",
    )
    assert visible and all(team in teams for teams in visible)
    # the team's counts are folded under each group; opened, only that team's show
    for summary in page.locator(f"{LARGE} details.okr-glance__rest > summary:visible").all():
        summary.click()
    rest = page.locator(f"{LARGE} .okr-glance__rest [data-okr-item]:visible")
    assert rest.count() > 0
    assert all(t.split()[0] == team for t in [e.get_attribute("data-teams") for e in rest.all()])
    assert note.is_visible()  # still said while filtered
    # an owner's rows only: team counts are not anyone's
    form.locator("select[name=team]").select_option("")
    owner = page.eval_on_selector(f"{LARGE} .okr-glance__item", "e => e.dataset.owner")
    form.locator("select[name=owner]").select_option(owner)
    assert page.locator(f"{LARGE} .okr-glance__rest [data-okr-item]:not([hidden])").count() == 0
    assert page.locator(f"{LARGE} .okr-glance__item:visible").count() > 0
    page.close()


@pytest.mark.parametrize("path", ["periods/2026-q3/", ""])
def test_a_cut_list_has_no_sideways_scrolling_on_a_phone(large, browser, path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(large + path)
    overflow = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    assert overflow <= 1, f"{path}: {overflow}px wider than the phone"
    page.close()
