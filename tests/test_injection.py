"""An injection corpus: a payload in every text field of every file kind. The built
site must render all of it as text: no script, handler, javascript: link or template
expression from the data may survive anywhere (pages, navigation, titles, search)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orgkit import build, search_docs, site_files, write_site

P = "<script>alert(1)</script><img src=x onerror=alert(2)></title></a><script>alert(3)</script>{{ 7*7 }}{% raw %}"
# Units are bounded (okrsite.limits.MAX_UNIT): a payload that fits.
PU = "<img src=x onerror=alert(2)>"
MD = P + ' [click](javascript:alert(4)) <a href="javascript:alert(5)">x</a>'


def q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML scalar


CORPUS = {
    "org.yaml": f"""
organization: {q("Org " + P)}
teams:
  - {{id: company, name: {q("Company " + P)}, lead: maria}}
  - {{id: product, name: {q("Product " + P)}, parent: company}}
people:
  - {{id: maria, name: {q("Maria " + P)}, team: product}}
""",
    "kpis.yaml": f"""
kpis:
  - id: churn
    name: {q("Churn " + P)}
    description: {q(MD)}
    unit: {q("% " + PU)}
    direction: down
    alert: 5
    owner: product
    history: [{{date: 2026-06-30, value: 4.2}}, {{date: 2026-07-31, value: 5.5}}]
""",
    "2026-Q3/company.yaml": f"""
period: 2026-Q3
team: company
objectives:
  - id: retention
    title: {q("Objective " + P)}
    owner: maria
    description: {q(MD)}
    key_results:
      - id: churn
        title: {q("KR " + P)}
        kpi: churn
        baseline: 4.2
        target: 3.0
        unit: {q("pp " + PU)}
        checkins: [{{date: 2026-07-06, value: 3.6, confidence: 0.7, note: {q(MD)}}}]
        revisions: [{{date: 2026-07-10, old_target: 2.5, reason: {q(P)}}}]
      - {{id: nrr, title: {q("KR2 " + P)}, baseline: 1, target: 2}}
""",
    "2026-Q3/people/maria.yaml": f"""
period: 2026-Q3
owner: maria
goals:
  - id: g1
    title: {q("Goal " + P)}
    supports: company/retention/churn
    metric: {q("Metric " + P)}
    baseline: 1
    target: 2
    unit: {q("u " + PU)}
    due: 2026-08-01
    achievable: {q(MD)}
    checkins: [{{date: 2026-07-20, value: 1.5, note: {q(MD)}}}]
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("corpus"), CORPUS)
    run = build(root)
    assert run.returncode == 0, run.stderr
    return root / "site"


# What a payload that survived would look like in a built file.
SURVIVORS = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img[^>]*onerror", re.I),
    re.compile(r"href\s*=\s*[\"']?\s*javascript:", re.I),
    re.compile(r"</title></a><script", re.I),
]


def assert_no_payload_survives(site: Path, search_index: str) -> None:
    """No file a browser renders (pages, sitemap, the search index at ``search_index``)
    holds a surviving payload or a tag in its <title>; api/okrsite.json carries the
    data as data, and so do okrsite's search index files (search/okrsite/: texts as JSON
    strings, which okrsite's search worker escapes; tests/test_browser.py types into the
    box)."""
    checked = 0
    for rel, text in site_files(site):
        if rel.endswith((".html", ".xml")) or rel == search_index:
            checked += 1
            for pattern in SURVIVORS:
                assert not pattern.search(text), (rel, pattern.pattern)
            for title in re.findall(r"<title>(.*?)</title>", text, re.S):
                assert "<" not in title, (rel, title)
        elif re.match(r"search/okrsite/[0-9a-f]+/d/", rel):
            for doc in json.loads(text):
                assert all(isinstance(field, str) for field in doc), (rel, doc)
    assert checked > 10


def test_no_payload_survives_in_any_file(site: Path):
    assert_no_payload_survives(site, "search/search_index.json")


def test_template_syntax_stays_literal(site: Path):
    page = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in page and "{% raw %}" in page
    assert "Objective &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_titles_and_navigation_are_escaped(site: Path):
    for rel, text in site_files(site):
        if rel.endswith(".html"):
            for title in re.findall(r"<title>(.*?)</title>", text, re.S):
                assert "<" not in title, (rel, title)
    goal = (site / "goals/2026-q3/maria/g1/index.html").read_text(encoding="utf-8")
    assert "<title>Goal &lt;script&gt;alert(1)&lt;/script&gt;" in goal


def test_search_index_holds_the_text_as_text(site: Path):
    """okrsite's index keeps the titles, the payload included, as plain text: the worker
    escapes it for the box (the browser test sees it shown as text)."""
    titles = [d["title"] for d in search_docs(site)]
    assert any(t.startswith("Goal <script>alert(1)</script>") for t in titles)
    assert not any("&lt;" in t for t in titles)  # text, not HTML: the worker escapes it once


def test_markdown_fields_keep_their_text_but_not_their_links(site: Path):
    page = (site / "kpis/churn/index.html").read_text(encoding="utf-8")
    assert "click" in page
    assert "javascript:" not in page


def test_print_page_and_export_are_inert(site: Path):
    printed = (site / "periods/2026-q3/print.html").read_text(encoding="utf-8")
    assert "<script" not in printed.lower()
    css = re.search(r"@bottom-left \{ content: (\"[^\"]*\")", printed)
    assert css and "<" not in css.group(1) and "</style" not in css.group(1).lower()
    data = json.loads((site / "api/okrsite.json").read_text(encoding="utf-8"))
    assert data["goals"][0]["title"] == "Goal " + P  # JSON carries the data as data
