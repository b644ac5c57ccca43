"""Search by Pagefind (okrsite.site.search_index): the option, the page glue, and what a
build indexes. No browser here: tests/test_browser_search.py types into the box."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrsite import settings
from okrsite.site import search_index

from orgkit import ANA, ENV, FILES, build, pagefind_pages, site_files, write_site

MARKED = '<article class="md-content__inner md-typeset" data-pagefind-body>'
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


def test_the_option_defaults_to_pagefind_and_takes_material():
    assert settings.options_from({}).search == "pagefind"
    assert settings.options_from({"search": "material"}).search == "material"
    for bad in ("lunr", True, ["pagefind"]):
        with pytest.raises(settings.SettingsError, match="search must be pagefind or material"):
            settings.options_from({"search": bad})


def test_the_worker_is_pointed_at_only_in_the_pages_configuration():
    page = (
        '<p>"search": "assets/javascripts/workers/search.1.min.js"</p>'
        '<script id="__config" type="application/json">{"base": "../..", '
        '"search": "../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null}'
        "</script>"
    )
    out = search_index.point_worker(page)
    assert '"search": "../../assets/okrsite/search-worker.js", "tags"' in out
    assert out.startswith('<p>"search": "assets/javascripts/workers/search.1.min.js"</p>')
    assert search_index.point_worker("<p>no configuration</p>") == "<p>no configuration</p>"


def test_only_the_article_is_marked_and_only_once():
    page = '<article class="md-content__inner md-typeset"><p>x</p></article>' * 2
    assert search_index.mark_page(page).count("data-pagefind-body") == 1


def test_a_missing_pagefind_is_one_line_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-program"))
    with pytest.raises(search_index.SearchIndexError) as caught:
        search_index.index_site(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "pagefind[bin]" in message and "search: material" in message


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(
        tmp_path_factory.mktemp("pagefind"), {**FILES, "2026-Q3/people/ana.yaml": PRIVATE}
    )
    (root / "docs" / "handbook.md").write_text(
        "# Team handbook\n\nHow we write a good objective.\n\n## Weekly rhythm\n\n"
        "Check in every Monday with a value and a confidence.\n",
        encoding="utf-8",
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    return root / "site"


def test_every_page_is_in_pagefinds_index_titled_as_in_the_box(site):
    titles = {p["meta"]["title"]: p for p in pagefind_pages(site)}
    assert "Ship in-app usage tips for the top 5 underused features (2026-Q3)" in titles
    assert "Make retention our strongest growth lever (2026-Q3)" in titles
    assert "Monthly gross churn" in titles
    # a hand-written page too, with its sections by heading (not the pilcrow's text)
    handbook = titles["Team handbook"]
    assert "Check in every Monday" in handbook["content"]
    [rhythm] = [a for a in handbook["anchors"] if a.get("id") == "weekly-rhythm"]
    assert rhythm["text"] == "Weekly rhythm"
    assert "¶" not in json.dumps([p["anchors"] for p in titles.values()])


def test_materials_index_is_empty_and_its_box_asks_okrsites_worker(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '"search": "assets/okrsite/search-worker.js"' in home
    assert MARKED in home
    assert (site / "assets/okrsite/search-worker.js").is_file()
    assert (site / "pagefind/pagefind.js").is_file()
    assert not (site / ".pagefind-new").exists()


def test_charts_and_check_ins_stay_out_of_the_index(site):
    [objective] = [
        p for p in pagefind_pages(site) if p["url"] == "/okrs/2026-q3/company/retention/"
    ]
    page = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "okr-chart" in page
    assert "expected-pace" not in objective["content"]


def test_the_private_goal_is_nowhere_in_the_index(site):
    assert all("Zanzibar" not in text for _, text in site_files(site))


def test_the_scan_reads_the_index_decompressed(site, tmp_path):
    """A word only Pagefind's files hold is found by site_files, which the privacy and
    injection tests scan with; the raw bytes would never show it."""
    copy = tmp_path / "site"
    import shutil

    shutil.copytree(site, copy)
    (copy / "handbook" / "index.html").unlink()  # the page gone: its words only in the index
    texts = dict(site_files(copy))
    assert any("Monday" in t for rel, t in texts.items() if rel.startswith("pagefind/"))
    files = [p for p in (copy / "pagefind").rglob("*") if p.is_file()]
    assert not any(b"Monday" in p.read_bytes() for p in files)


def test_indexing_again_replaces_the_bundle(site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    before = {p["url"] for p in pagefind_pages(copy)}
    (copy / "handbook" / "index.html").unlink()
    search_index.index_site(copy)
    assert {p["url"] for p in pagefind_pages(copy)} == before - {"/handbook/"}
    assert not (copy / ".pagefind-new").exists()


def test_search_material_keeps_materials_index_and_worker(tmp_path):
    root = write_site(tmp_path, FILES, plugin="today: 2026-08-01, search: material")
    run = build(root)
    assert run.returncode == 0, run.stderr
    site = root / "site"
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {d["title"] for d in index["docs"]}
    assert "Ship in-app usage tips for the top 5 underused features (2026-Q3)" in titles
    assert not (site / "pagefind").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "search-worker.js" not in home and "data-pagefind-body" not in home


def test_a_build_without_pagefind_fails_with_the_fix(tmp_path):
    root = write_site(tmp_path, FILES)
    env = {**ENV, "PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-program")}
    import subprocess

    from orgkit import ENGINE

    run = subprocess.run([ENGINE, "build"], cwd=root, env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "okrsite: Pagefind's program was not found" in run.stderr
    assert "search: material" in run.stderr
    assert "Traceback" not in run.stderr
