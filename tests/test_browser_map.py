"""The alignment map in a real browser: 'Expand all' with the shared script, folding by
hand without it, a phone's width, and axe-core's accessibility check."""

from __future__ import annotations

import browserkit
import pytest

pytestmark = browserkit.NEEDS_CHROMIUM

MAP = "periods/2026-q4/map/"
TREE = "#okr-map-tree"
BUTTON = "button[data-okr-expand='okr-map-tree']"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    yield from browserkit.serve_example(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    yield from browserkit.launch()


def _closed(page) -> int:
    return page.locator(f"{TREE} details:not([open])").count()


def test_expand_all_then_collapse(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + MAP)
    button = page.locator(BUTTON)
    assert button.is_visible()
    assert button.inner_text() == "Expand all"
    assert _closed(page) > 0  # team objectives and goals start folded
    button.click()
    assert _closed(page) == 0
    assert page.locator(f"{TREE} details").count() > 3
    assert button.inner_text() == "Collapse all"
    assert button.get_attribute("aria-expanded") == "true"
    # every goal of the tree can now be seen
    goals = page.locator(f"{TREE} .okr-map__goal")
    assert goals.count() >= 1 and all(goals.nth(i).is_visible() for i in range(goals.count()))
    button.click()
    assert page.locator(f"{TREE} details[open]").count() == 0
    assert button.inner_text() == "Expand all"
    assert button.get_attribute("aria-expanded") == "false"
    page.close()


def test_without_javascript_the_summaries_still_fold(example, browser):
    base, _ = example
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + MAP)
    assert not page.locator(BUTTON).is_visible()
    folded = page.locator(f"{TREE} details:not([open])").first
    ident = folded.evaluate("d => d.closest('li').id")
    folded.locator("> summary").click(position={"x": 4, "y": 8})  # the triangle, not a link
    assert page.evaluate(f"document.getElementById({ident!r}).querySelector('details').open")
    context.close()


@pytest.mark.parametrize("expanded", [False, True])
def test_no_sideways_scroll_on_a_phone(example, browser, expanded):
    base, _ = example
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + MAP)
    if expanded:
        page.locator(BUTTON).click()
        assert _closed(page) == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the map is {overflow}px wider than the phone"
    page.close()


def test_axe_finds_no_serious_violation(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base + MAP)
    page.locator(BUTTON).click()  # every line visible, so every line is checked
    found = browserkit.serious_violations(page)
    page.close()
    assert found == [], found


def _frames(page, n: int = 2) -> None:
    """Let ``n`` animation frames pass (the label follows the folds once a frame)."""
    page.evaluate(
        "n => new Promise(done => { const step = k => k ? requestAnimationFrame("
        "() => step(k - 1)) : done(); step(n); })",
        n,
    )


def test_expand_all_counts_the_folds_once_a_frame(example, browser):
    """Opening every fold fires a toggle event each; the label must not count every
    fold again per event (quadratic on a big map), yet end right."""
    base, _ = example
    page = browser.new_page()
    page.goto(base + MAP)
    folds = page.locator(f"{TREE} details").count()
    assert folds > 5
    page.evaluate(
        """() => {
        window.okrCounts = 0;
        const all = Element.prototype.querySelectorAll;
        Element.prototype.querySelectorAll = function (sel) {
          if (String(sel).includes(":not([open])")) window.okrCounts += 1;
          return all.call(this, sel);
        };
      }"""
    )
    page.locator(BUTTON).click()
    _frames(page)
    assert _closed(page) == 0
    assert page.evaluate("window.okrCounts") <= 4
    assert page.locator(BUTTON).inner_text() == "Collapse all"
    # Folding one by hand brings the label back, a frame later.
    page.locator(f"{TREE} details").first.evaluate("d => { d.open = false; }")
    _frames(page)
    assert page.locator(BUTTON).inner_text() == "Expand all"
    page.close()


def test_set_up_once_when_document_emits_again(example, browser):
    """Material's document$ may emit twice for one page: one click still expands."""
    base, _ = example
    page = browser.new_page()
    page.goto(base + MAP)
    assert page.evaluate("typeof document$ !== 'undefined'")
    page.evaluate("document$.next(document)")
    page.locator(BUTTON).click()
    _frames(page)
    assert _closed(page) == 0
    assert page.locator(BUTTON).inner_text() == "Collapse all"
    page.close()


def test_nothing_to_fold_keeps_the_button_hidden(example, browser):
    """A button whose target holds no <details> stays hidden (it would only ever say
    'Collapse all')."""
    base, site = example
    html = (site / "periods" / "2026-q4" / "map" / "index.html").read_text(encoding="utf-8")
    start = html.index('<section class="okr-map"')
    end = html.index("</section>", start)
    bare = (
        html[:start]
        + '<section class="okr-map"><p id="okr-map-tree">Nothing here.</p>'
        + html[end:]
    )
    if 'data-okr-expand="okr-map-tree"' not in bare:  # the page names its button first
        bare = bare.replace(
            '<section class="okr-map">',
            '<p><button type="button" data-okr-expand="okr-map-tree" hidden>Expand all'
            '</button></p><section class="okr-map">',
        )
    (site / "periods" / "2026-q4" / "map" / "bare.html").write_text(bare, encoding="utf-8")
    page = browser.new_page()
    page.goto(base + MAP + "bare.html")
    _frames(page)
    assert page.locator(BUTTON).count() == 1
    assert not page.locator(BUTTON).is_visible()
    page.close()
