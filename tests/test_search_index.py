"""okrsite's search index (okrsite.site.search_index, search_text): the option, the
words and summaries, the files, and what a build indexes. No browser here:
tests/test_browser_search.py types into the box."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from okrsite import settings
from okrsite.site import search_index, search_text
from okrsite.site.search_index import Doc

from orgkit import ANA, FILES, build, search_docs, site_files, write_site

PRIVATE = (
    ANA
    + """\
  - id: secret
    title: Quietly prepare the Zanzibar reorganisation
    visibility: private
    supports: growth/trials/aha
    metric: Teams moved
    baseline: 0
    target: 4
    due: 2026-09-15
"""
)


def test_the_option_defaults_to_okrsite_and_takes_material():
    assert settings.options_from({}).search == "okrsite"
    assert settings.options_from({"search": "material"}).search == "material"
    for bad in ("lunr", "pagefind", True, ["okrsite"]):
        with pytest.raises(settings.SettingsError, match="search must be okrsite or material"):
            settings.options_from({"search": bad})


def test_the_worker_is_pointed_at_only_in_the_pages_configuration():
    page = (
        '<p>"search": "assets/javascripts/workers/search.1.min.js"</p>'
        '<script id="__config" type="application/json">{"base": "../..", '
        '"search": "../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}'
        "</script>"
    )
    out = search_index.point_worker(page)
    assert re.search(
        r'"search": "../../assets/okrsite/search-worker.js\?v=[0-9a-f]{8}", "tags"', out
    )
    assert out.startswith('<p>"search": "assets/javascripts/workers/search.1.min.js"</p>')
    assert search_index.point_worker("<p>no configuration</p>") == "<p>no configuration</p>"


# -- words and summaries -------------------------------------------------------------


def test_words_are_folded_split_on_anything_but_letters_and_digits():
    assert search_text.words("Réduire l'écart: Zoë's 90-day ÉTÉ, réduire") == [
        "reduire",
        "ecart",
        "zoe",
        "90",
        "day",
        "ete",
    ]
    # one-character words and the stop words carry nothing
    assert search_text.words("a Q4 of the plan, x_y 7") == ["q4", "plan"]
    assert search_text.words("日本語 テスト") == ["日本語", "テスト"]
    assert search_text.words("Søren Ødegaard, Straße") == ["soren", "odegaard", "strasse"]
    # capitals that NFKD makes are lowered too; the final sigma is the sigma
    assert search_text.words("\N{BLACK-LETTER CAPITAL H}ello \N{SQUARE MHZ}") == ["hello", "mhz"]
    sigma = "\N{GREEK SMALL LETTER SIGMA}"
    final = "\N{GREEK SMALL LETTER FINAL SIGMA}"
    assert search_text.words(f"\N{GREEK CAPITAL LETTER SIGMA}o{final} so{sigma}") == [
        f"{sigma}o{sigma}",
        f"so{sigma}",
    ]


def test_the_worker_folds_and_shards_as_the_index_does():
    """The worker (JavaScript) repeats search_text's steps: its table of letters is the
    same, and it reads the stop words and the shortest word from meta.json."""
    worker = (Path(search_index.__file__).parent / "assets" / "search-worker.js").read_text(
        encoding="utf-8"
    )
    table = re.search(r"const LETTERS = (\{.*?\});", worker).group(1)
    assert json.loads(table) == search_text.FOLDED_LETTERS
    assert f"[{''.join(search_text.FOLDED_LETTERS)}]" in worker
    assert "m.stop.has(word)" in worker and "m.min" in worker
    assert f"const VERSION = {search_index.VERSION};" in worker


def test_clip_cuts_at_a_word_boundary():
    text = "word " * 100
    cut = search_text.clip(text, 42)
    assert cut.endswith("word…") and len(cut) <= 43
    assert search_text.clip("short", 42) == "short"


GOAL_BODY = """<h1 id="goal">Cut churn<span class="okr-visually-hidden"> (2026-Q4)</span></h1>
<p class="okr-kicker">SMART goal &middot; <a href="x">Chloé</a> &middot; 2026-Q4</p>
<figure class="okr-figure" data-search-exclude><svg><text>axis 12%</text></svg></figure>
<h2 id="chain">The chain up to the company KPI</h2>
<ol class="okr-chain"><li><span>Goal</span> <strong>Cut churn</strong></li>
<li><span>Key result</span> <a href="y">Reduce churn</a>.</li></ol>
<h2 id="smart">SMART</h2><table><tr><td>Specific text</td></tr></table>"""


def test_a_pages_summary_is_its_first_paragraph_and_its_chain():
    summary = search_text.summary(GOAL_BODY)
    assert summary == "SMART goal · Chloé · 2026-Q4 — Key result Reduce churn."
    # not the chart (marked data-search-exclude), not the page's own step, not the rest
    assert "axis" not in summary and "Cut churn" not in summary and "Specific" not in summary


def test_a_summary_is_short_whatever_the_page():
    body = "<h1>T</h1><p>" + "many words here " * 500 + "</p>"
    assert len(search_text.summary(body)) <= search_text.SUMMARY_CHARS + 1


def test_a_hand_written_page_has_one_document_per_section_with_an_id():
    body = (
        '<h1 id="handbook">Handbook</h1><p>How we write.</p>'
        '<h2 id="weekly-rhythm">Weekly rhythm<a class="headerlink" href="#weekly-rhythm">¶</a></h2>'
        "<p>Check in every Monday.</p><h3>No id</h3><p>more</p>"
        '<h3 id="hidden">Hidden</h3><div data-search-exclude><p>secret</p></div>'
    )
    docs = search_index.page_docs("handbook/", "Handbook", body, None, sections=True)
    assert docs == [
        Doc("handbook/", "Handbook", "How we write.", search_index.OTHER_RANK),
        Doc("handbook/#weekly-rhythm", "Weekly rhythm", "Check in every Monday. No id more",
            search_index.OTHER_RANK, 1),
        Doc("handbook/#hidden", "Hidden", "", search_index.OTHER_RANK, 2),
    ]  # fmt: skip


# -- the files -----------------------------------------------------------------------


def _docs() -> list[Doc]:
    return [
        Doc("goals/q4/a/x/", "Reduce cycle time (2026-Q4)", "SMART goal", 5),
        Doc("kpis/churn/", "Monthly churn", "KPI — share lost", 0),
        Doc("people/ana/", "Ana Silva", "Person", 3),
        Doc("okrs/q4/t/o/", "Reduce churn (2026-Q4)", "Objective — churn", 1),
    ]


def _ungap(gaps: list[int]) -> list[int]:
    out, n = [], 0
    for gap in gaps:
        n += gap
        out.append(n)
    return out


def test_kpis_objectives_and_people_come_before_goals_newest_period_first():
    order = [d.location for d in search_index.order(_docs())]
    assert order == ["kpis/churn/", "okrs/q4/t/o/", "people/ana/", "goals/q4/a/x/"]
    goals = [
        Doc("goals/2026-q3/a/x/", "x", "", 5, period="2026-Q3"),
        Doc("goals/2026-q4/b/y/", "y", "", 5, period="2026-Q4"),
        Doc("goals/2026-q4/a/z/", "z", "", 5, period="2026-Q4"),
        Doc("goals/2027-q1/c/w/", "w", "", 5, period="2027-Q1"),
    ]
    assert [d.title for d in search_index.order(goals)] == ["w", "z", "y", "x"]


def _file(files: dict[str, bytes], rel: str) -> object:
    """The JSON of the index file ``rel`` (``w/ch``, ``d/0``) in the folder meta.json names."""
    return json.loads(files[f"{json.loads(files['meta.json'])['index']}/{rel}.json"])


def test_the_files_hold_sharded_words_and_blocks_of_documents():
    files = search_index.index_files(_docs())
    meta = json.loads(files["meta.json"])
    assert meta["version"] == 2
    assert meta["docs"] == 4 and meta["block"] == search_index.BLOCK
    assert "the" in meta["stop"] and meta["min"] == 2
    # every file but meta.json is in the folder it names, a fingerprint of the files
    assert re.fullmatch("[0-9a-f]{16}", meta["index"])
    inside = {n.split("/", 1)[1] for n in files if n != "meta.json"}
    assert {n for n in files if n != "meta.json"} == {f"{meta['index']}/{n}" for n in inside}
    assert set(meta["shards"]) == {n[2:-5] for n in inside if n.startswith("w/")}
    assert {n for n in inside if n.startswith("d/")} == {"d/0.json"}
    churn = _file(files, "w/ch")["churn"]
    # in the KPI's and the objective's titles (ids 0 and 1), in the summary of both
    assert [_ungap(churn[0]), _ungap(churn[1])] == [[0, 1], [1]]
    assert _file(files, "w/re")["reduce"][0] == [1, 2]  # ids 1 and 3, as gaps
    block = _file(files, "d/0")
    assert block[3] == ["goals/q4/a/x/", "Reduce cycle time (2026-Q4)", "SMART goal"]
    indexed = {w for k, v in files.items() if "/w/" in k for w in json.loads(v)}
    assert "churn" in indexed
    assert not indexed & set(search_text.STOP_WORDS)


def test_a_shard_name_is_safe_for_any_word():
    assert search_index.shard_key("churn") == "ch"
    assert search_index.shard_key("日本語") == "_65e5-672c"
    assert search_index.shard_key("x") == "_78"


def test_the_files_are_the_same_for_the_same_documents_in_any_order():
    assert search_index.index_files(_docs()) == search_index.index_files(_docs()[::-1])


def test_bounds_on_words_per_document_and_documents_per_block():
    many = " ".join(f"word{i}" for i in range(500))
    files = search_index.index_files([Doc(f"p{i}/", many, many) for i in range(70)])
    words = {w for k, v in files.items() if "/w/" in k for w in json.loads(v)}
    assert len(words) == search_index.WORDS_PER_DOC
    assert [len(_file(files, f"d/{n}")) for n in range(3)] == [32, 32, 6]
    assert sum(n.endswith(".json") and "/d/" in n for n in files) == 3


def test_a_new_index_is_written_whole_before_meta_json_and_the_last_one_removed(tmp_path):
    folder = tmp_path / "search" / "okrsite"
    files = search_index.index_files(_docs())
    assert search_index.write_index(files, folder) == [
        *sorted(set(files) - {"meta.json"}),
        "meta.json",
    ]
    assert search_index.write_index(files, folder) == []
    (folder / "w").mkdir()  # an index of an older okrsite, and a file a build left half-done
    (folder / "w" / "ch.json").write_text("{}")
    index = json.loads(files["meta.json"])["index"]
    (folder / index / "w" / "zz.json.new").write_text("{")
    # One document changed: a new folder, written before the meta.json that names it.
    docs = _docs()
    docs[0] = Doc(docs[0].location, docs[0].title + " (retitled)", docs[0].summary, docs[0].rank)
    newer = search_index.index_files(docs)
    old_index, new_index = (json.loads(f["meta.json"])["index"] for f in (files, newer))
    assert old_index != new_index
    changed = search_index.write_index(newer, folder)
    written = [*sorted(set(newer) - {"meta.json"}), "meta.json"]
    assert changed[: len(written)] == written
    removed = {*(set(files) - {"meta.json"}), "w/ch.json", f"{index}/w/zz.json.new"}
    assert set(changed[len(written) :]) == removed
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    assert {p for p in on_disk if (folder / p).is_file()} == set(newer)
    assert {p for p in on_disk if (folder / p).is_dir()} == {
        new_index,
        f"{new_index}/w",
        f"{new_index}/d",
    }


# -- a build -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(
        tmp_path_factory.mktemp("index"), {**FILES, "2026-Q3/people/ana.yaml": PRIVATE}
    )
    (root / "docs" / "handbook.md").write_text(
        "# Team handbook\n\nHow we write a good objective.\n\n## Weekly rhythm\n\n"
        "Check in every Monday with a value and a confidence.\n\n" + MARKED,
        encoding="utf-8",
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert "search index" in run.stderr  # in okrsite's timing line
    return root / "site"


# Material's search plugin removes data-search-* attributes with a value from every page
# it looks at: a sign of whether it looked.
MARKED = '<p data-search-note="marked">A marked paragraph.</p>\n'


def test_materials_search_plugin_sits_out_the_pages_but_draws_the_box(site):
    assert 'data-search-note="marked"' in (site / "handbook/index.html").read_text("utf-8")
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if 'class="md-header' in text:  # a page of the site, not a print summary
            assert 'class="md-search__input' in text, page


def test_every_page_is_in_the_index_titled_as_in_the_box(site):
    docs = {d["title"]: d for d in search_docs(site)}
    assert "Ship in-app usage tips for the top 5 underused features (2026-Q3)" in docs
    assert "Make retention our strongest growth lever (2026-Q3)" in docs
    assert "Monthly gross churn" in docs
    # a hand-written page too, with its sections by heading (not the pilcrow's text)
    assert docs["Team handbook"]["summary"] == "How we write a good objective."
    rhythm = docs["Weekly rhythm"]
    assert rhythm["location"] == "handbook/#weekly-rhythm"
    assert "Check in every Monday" in rhythm["summary"]
    assert "¶" not in json.dumps(list(docs))


def test_materials_index_is_empty_and_its_box_asks_okrsites_worker(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'"search": "{search_index.worker_url()}"' in home
    assert (site / "assets/okrsite/search-worker.js").is_file()
    assert not list(site.rglob("*.new"))


def test_charts_and_check_ins_stay_out_of_the_index(site):
    [objective] = [
        d for d in search_docs(site) if d["location"] == "okrs/2026-q3/company/retention/"
    ]
    page = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "okr-chart" in page
    assert "expected-pace" not in objective["summary"]
    assert objective["summary"].startswith("Objective · 2026-Q3")


def test_the_private_goal_is_nowhere_in_the_index(site):
    texts = dict(site_files(site))
    assert any(re.match("search/okrsite/[0-9a-f]+/w/", rel) for rel in texts)  # the scan sees them
    assert all("Zanzibar" not in text and "zanzibar" not in text for text in texts.values())


def test_search_material_keeps_materials_index_and_worker(tmp_path):
    root = write_site(tmp_path, FILES, plugin="today: 2026-08-01, search: material")
    (root / "docs" / "marked.md").write_text("# Marked\n\n" + MARKED, encoding="utf-8")
    run = build(root)
    assert run.returncode == 0, run.stderr
    site = root / "site"
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {d["title"] for d in index["docs"]}
    assert "Ship in-app usage tips for the top 5 underused features (2026-Q3)" in titles
    assert not (site / "search" / "okrsite").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "search-worker.js" not in home
    marked = (site / "marked/index.html").read_text(encoding="utf-8")
    assert "A marked paragraph." in marked and "data-search-note" not in marked
    assert 'class="md-search__input' in marked
