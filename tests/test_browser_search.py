"""Search in a real browser, on the example site: Material's box, answered by okrsite's
worker (okrsite/site/assets/search-worker.js) from okrsite's index (search/okrsite/)."""

# ruff: noqa: RUF001, RUF003 (letters that look like others are what some tests are about)
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import browserkit
import pytest

from okrsite.site import search_index, search_text
from okrsite.site.search_index import Doc

from orgkit import search_docs

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = browserkit.NEEDS_CHROMIUM

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    yield from browserkit.serve_example(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    yield from browserkit.launch()


def _titles(page) -> list[str]:
    heads = page.locator(".md-search-result__item > .md-search-result__link h1")
    return [t.strip() for t in heads.all_inner_texts()]


def _translation(page, key: str) -> str:
    # Material's own words, whatever its version says
    return page.evaluate(
        "k => JSON.parse(document.getElementById('__config').textContent).translations[k]", key
    )


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("onboarding flow", "Reduce the onboarding flow from 7 steps to 3 (2026-Q3)"),
        ("most-loved support", "Become the most-loved support team in our category (2026-Q4)"),
        ("gross churn", "Monthly gross churn"),
    ],
    ids=["goal", "objective", "kpi"],
)
def test_search_finds_a_goal_an_objective_and_a_kpi(example, browser, query, title):
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, query)
    assert title in _titles(page)
    # the excerpt under the title marks the words typed
    first = page.locator(".md-search-result__item").first
    assert first.locator("mark").count() >= 1
    page.close()


def test_the_count_line_says_how_many_pages_are_listed(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "most-loved support")
    meta = page.locator(".md-search-result__meta").inner_text()
    count = int(re.search(r"\d+", meta).group())
    assert count > 1
    items = page.locator(".md-search-result__item")
    # Material lists ten, and more as the list is scrolled
    for _ in range(10):
        if items.count() == count:
            break
        page.locator(".md-search__scrollwrap").evaluate("e => e.scrollTo(0, e.scrollHeight)")
        page.wait_for_timeout(300)
    assert items.count() == count
    page.close()


def test_the_count_line_says_how_many_match_when_more_than_shown(example, browser):
    """The worker answers the best 50; the count line says how many matched in all."""
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "goal")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "() => / of /.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=10000,
    )
    shown, total = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+", meta.inner_text()))
    assert shown == 50 < total
    assert meta.inner_text().startswith(f"50 of {total:,} ")
    # a query with fewer results: Material's own words again
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially("gross churn", delay=30)
    page.wait_for_function(
        "() => /^\\d+ (?!of )/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=10000,
    )
    assert int(re.search(r"\d+", meta.inner_text()).group()) < 50
    page.close()


def test_prefixes_and_accents_match_as_typed(example, browser):
    """The last word is a prefix (typeahead); accents need not be typed."""
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "soren odeg")
    assert any("Søren Ødegaard" in t for t in _titles(page))
    marks = page.locator(".md-search-result__item mark").all_inner_texts()
    assert "Søren" in marks and "Ødegaard" in marks
    page.close()


# Letters that fold in more than one step: capitals that NFKD makes ("ℌ", "㎒", "ᴬ"),
# the final sigma, the dotted and dotless i, ligatures, full-width and mathematical
# letters, numbers that are not digits ("Ⅻ", "½").
TRICKY = [
    "ℌ𝔢𝔩𝔩𝔬 Ⅻ ㎒ ᴬᴮ 𝐀𝐁𝐂",
    "ΟΔΟΣ οδος οδοσ ὈΔΌΣ ΐΰ",
    "İstanbul ISTANBUL ıstanbul",
    "Straße STRASSE ẞig",
    "ﬁnal ﬂow ﬀ ﬃ",
    "Ǆemal ǅemal ǈ Ǉ",
    "Ⓐⓑ ①② ½ ¼ x²³ ℃",
    "Ｆｕｌｌ ｗｉｄｔｈ",
    "Ångström Å Ω K",
    "Ørsted ÆØÅ Þór Łódź Đà",
    "日本語 テスト ﾃｽﾄ",
]


def test_the_worker_cuts_a_query_as_the_index_cuts_the_pages(example, browser):
    """The worker's words of a text (JavaScript, in Chromium) are search_text.words' (the
    index's): on tricky letters and on random text of many scripts."""
    rng = random.Random(7)
    pool = [chr(c) for c in [*range(0x80, 0x3000), *range(0xFB00, 0xFB07)] if chr(c).isalnum()]
    pool += [chr(c) for c in range(0x1D400, 0x1D500) if chr(c).isalnum()]
    texts = TRICKY + [
        "".join(rng.choice(pool) for _ in range(rng.randint(2, 6))) + " " + rng.choice(pool) * 2
        for _ in range(2000)
    ]
    base, _ = example
    page = browser.new_page()
    page.goto(base)  # the worker's file names its index by the page's address
    source = (Path(search_index.__file__).parent / "assets/search-worker.js").read_text(
        encoding="utf-8"
    )
    meta = {"min": search_text.MIN_WORD, "stop": list(search_text.STOP_WORDS)}
    cut = page.evaluate(
        f"texts => {{ {source}\n"
        f"const m = {{...{json.dumps(meta)}}}; m.stop = new Set(m.stop);\n"
        "return texts.map((t) => queryWords(t, m)); }",
        texts,
    )
    differ = [(t, search_text.words(t), c) for t, c in zip(texts, cut, strict=True)]
    differ = [d for d in differ if d[1] != d[2]]
    assert not differ, differ[:5]
    assert search_text.words(TRICKY[0]) == ["hello", "xii", "mhz", "ab", "abc"]
    assert search_text.words(TRICKY[1])[0] == "οδοσ"
    page.close()


@pytest.fixture
def published(example, tmp_path):
    """Makes a copy of the example site, served as GitHub Pages serves it (browsers may
    keep every file for 10 minutes): ``published(recheck_ms)`` gives its address and
    folder. ``recheck_ms``: the worker asks for meta.json again after that long instead
    of its own interval."""
    servers = []

    def publish(recheck_ms: int | None = None) -> tuple[str, Path]:
        site = tmp_path / f"site{len(servers)}"
        shutil.copytree(example[1], site)
        if recheck_ms is not None:
            worker = site / "assets/okrsite/search-worker.js"
            text = worker.read_text(encoding="utf-8")
            assert "const RECHECK = " in text
            text = re.sub(r"const RECHECK = \d+;", f"const RECHECK = {recheck_ms};", text)
            worker.write_text(text, encoding="utf-8")
        server, base = browserkit.serve(site, cached=True)
        servers.append(server)
        return base, site

    yield publish
    for server in servers:
        server.shutdown()


def _first(title: str, site: Path) -> dict[str, bytes]:
    """The files of the site's index with one more document, first: every id moves by
    one, every file of the index changes."""
    docs = [
        Doc(d["location"], d["title"], d["summary"], i) for i, d in enumerate(search_docs(site))
    ]
    return search_index.index_files([Doc("kpis/new/", title, "A new KPI", -1), *docs])


def test_a_query_after_a_publication_is_answered_from_the_newer_index(browser, published):
    """The site is published again while a reader's page is open: the next query asks
    for files of the index it knew, gone, and is answered from the newer index, never
    from the newer files through the older meta.json (whose ids point at other
    documents). A publication under way (meta.json there, its files not yet) finds
    nothing, then finds them once they are there, though the browser kept the 404s."""
    base, site = published(recheck_ms=3_600_000)  # only a missing file tells
    folder = site / "search/okrsite"
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "onboarding flow")
    search_index.write_index(_first("Aardvark sightings", site), folder)
    browserkit.search(page, "gross churn")
    assert _titles(page)[0] == "Monthly gross churn"
    browserkit.search(page, "aardvark")
    assert _titles(page) == ["Aardvark sightings"]
    # meta.json uploaded before the files it names
    newer = _first("Zebra crossings", site)
    (folder / "meta.json").write_bytes(newer["meta.json"])
    later = browser.new_page()
    later.goto(base)
    _finds_nothing(later, "zebra")
    search_index.write_index(newer, folder)
    browserkit.search(later, "zebra")
    assert _titles(later) == ["Zebra crossings"]
    page.close()
    later.close()


def test_an_open_page_asks_for_meta_json_again(browser, published):
    """A page open before a publication finds what only the newer index holds (the worker
    asks for meta.json again when it read it more than a few seconds before)."""
    base, site = published()
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "onboarding flow")
    search_index.write_index(_first("Aardvark sightings", site), site / "search/okrsite")
    browserkit.search(page, "aardvark")  # in no shard the older meta.json names
    assert _titles(page) == ["Aardvark sightings"]
    page.close()


def test_arrow_keys_and_enter_open_a_result_highlighted(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "onboarding flow")
    target = page.locator(".md-search-result__item > .md-search-result__link").first
    href = target.get_attribute("href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == href
    page.keyboard.press("Enter")
    page.wait_for_url(href)
    assert "/goals/2026-q3/" in page.url and "h=" in page.url  # search.highlight is on
    marks = page.locator("article mark[data-md-highlight]")
    marks.first.wait_for(timeout=10000)
    marked = " ".join(marks.all_inner_texts()).lower()
    assert "onboarding" in marked and "flow" in marked
    page.close()


def test_enter_in_the_box_opens_the_best_result(example, browser):
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    browserkit.open_and_search(page, "gross churn")
    best = page.locator(".md-search-result__item > .md-search-result__link").first
    href = best.get_attribute("href")
    page.locator("input.md-search__input").press("Enter")
    page.wait_for_url(href)
    page.close()


def test_results_fit_a_phone(example, browser):
    base, _ = example
    page = browser.new_page(viewport=PHONE)
    page.goto(base)
    page.locator("label.md-header__button[for='__search']").click()
    browserkit.search(page, "retention lever")
    assert "Make retention our strongest growth lever (2026-Q4)" in _titles(page)
    for box in page.locator(".md-search-result__item").all()[:5]:
        b = box.bounding_box()
        assert b is not None and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + 1
    page.close()


@pytest.mark.parametrize("query", ["salary review", "coaching plan"])
def test_a_private_goals_title_finds_nothing(example, browser, query):
    """The example's private goals ("Prepare my case for a salary review ...", "Agree a
    coaching plan ...") have no page: the index never saw their words."""
    base, _ = example
    page = browser.new_page()
    page.goto(base)
    _finds_nothing(page, query)
    page.close()


def _finds_nothing(page, query: str) -> None:
    """Open the box and type ``query`` until the worker answers: no result."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    none = _translation(page, "search.result.none")
    meta = page.locator(".md-search-result__meta")
    box = page.locator("input.md-search__input")
    # typed again until the worker answers (what is typed before it is ready is lost)
    for _ in range(15):
        box.fill("")
        box.press_sequentially(query, delay=30)
        try:
            page.wait_for_function(
                "t => document.querySelector('.md-search-result__meta').textContent === t",
                arg=none,
                timeout=2000,
            )
            break
        except playwright.TimeoutError:
            continue
    assert meta.inner_text() == none
    assert page.locator(".md-search-result__item").count() == 0
