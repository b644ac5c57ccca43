"""The repository's own site: the example organisation plus the user guide, built
strictly with the real mkdocs, and read back as HTML."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from orgkit import ENGINE, search_docs, site_files

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
HREF = re.compile(r'href="([^"#?]*)(#[^"]*)?"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [ENGINE, "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return out


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _resolve(page: Path, href: str) -> Path:
    target = (page.parent / href).resolve()
    return target / "index.html" if href.endswith("/") or href in ("", ".") else target


def test_every_internal_link_resolves(site: Path):
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # MkDocs writes the 404 page with site-absolute links
        for href, _frag in HREF.findall(page.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "data:")) or not href:
                continue
            if not _resolve(page, href).exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def _example_goals() -> list[dict]:
    goals = []
    for path in sorted((ROOT / "goals").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "goals" in data:
            for g in data["goals"]:
                goals.append({**g, "period": data["period"], "owner": data["owner"]})
    return goals


def test_every_public_goal_page_links_each_step_up_to_a_kpi(site: Path):
    public = [g for g in _example_goals() if g.get("visibility") != "private"]
    assert len(public) >= 10
    for g in public:
        url = f"goals/{g['period'].lower()}/{g['owner']}/{g['id']}"
        html = _html(site, url)
        chain = html[
            html.index('<ol class="okr-chain"') : html.index(
                "</ol>", html.index('<ol class="okr-chain"')
            )
        ]
        steps = re.findall(r"okr-chain__step--([a-z-]+)", chain)
        # The platform objective's chain is broken on purpose (and shown so); every
        # other chain names a KPI at the step that moves it.
        broken = g["supports"].startswith("platform/")
        assert steps[0] == "goal" and (steps[-1] == "broken") == broken, (url, steps)
        assert ("okr-chain__kpi" in chain) != broken, url
        assert "key-result" in steps and "objective" in steps
        page = site / url / "index.html"
        links = [h for h, _ in HREF.findall(chain)]
        assert links, url
        for href in links:
            assert _resolve(page, href).exists(), (url, href)
        kr_ref = g["supports"].split("/")
        assert f'#kr-{kr_ref[-1]}"' in chain


def test_goal_chain_of_the_classic_example(site: Path):
    html = _html(site, "goals/2026-q3/fatima/outreach")
    chain = html[html.index('<ol class="okr-chain"') :]
    order = [
        "Launch health-score outreach",
        "Cut churn in bottom-quartile accounts",
        "Turn at-risk accounts into advocates",
        "Reduce monthly gross churn from 4.2% to 3.0%",
        "Monthly gross churn",  # at the key result that moves it
        "Make retention our strongest growth lever",
    ]
    positions = [chain.index(text) for text in order]
    assert positions == sorted(positions)
    assert "../../../../kpis/gross-churn/" in chain


def test_a_rule_page_keeps_the_case_of_its_summary(site: Path):
    """The summary's first letter is raised, the rest kept: 'a KPI', not 'a kpi'."""
    html = _html(site, "rules/okr202/")
    assert (
        "<p><strong>A key result or goal keeps a number steady: a KPI with a date.</strong>" in html
    )


def test_broken_chain_is_shown(site: Path):
    html = _html(site, "okrs/2026-q4/platform/boring-deploys")
    assert "Broken chain" in html and "okr-chain__step--broken" in html
    home = _html(site, "")
    assert "broken chain" in home


def test_scores_on_pages(site: Path):
    # Q3 company retention: churn 4.2 -> 3.0 at 3.6 = 0.5; final values from the files.
    html = _html(site, "okrs/2026-q3/company/retention")
    assert "4.2% &rarr; <strong>" in html
    assert re.search(r'aria-label="Score 0\.\d\d of 1\.0 \((red|yellow|green)\)"', html)


def test_private_goals_leave_no_trace(site: Path):
    texts = []
    for path in (ROOT / "goals").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for g in (data or {}).get("goals", []) if isinstance(data, dict) else []:
            if g.get("visibility") == "private":
                texts += [str(g[k]) for k in ("title", "metric", "achievable", "id") if g.get(k)]
                texts += [str(v) for v in (g.get("waive") or {}).values()]
    assert len(texts) >= 4
    # every file, the search index's (search/okrsite/) included
    for rel, body in site_files(site):
        for text in texts:
            if len(text) > 6:
                assert text not in body, (rel, text)
    assert "private goal" in _html(site, "")


def test_search_index_finds_goals_objectives_and_kpis(site: Path):
    titles = {d["title"] for d in search_docs(site)}
    # an objective's or a goal's title in the results names its period
    assert "Reduce the onboarding flow from 7 steps to 3 (2026-Q3)" in titles
    assert "Become the most-loved support team in our category (2026-Q3)" in titles
    assert "Become the most-loved support team in our category (2026-Q4)" in titles
    assert "Monthly gross churn" in titles


def test_navigation_lists_index_pages_only(site: Path):
    html = _html(site, "")
    nav = html[html.index("md-nav--primary") : html.index("md-sidebar--secondary")]
    hrefs = set(re.findall(r'href="([^"]+)"', nav))
    assert {"kpis/", "periods/", "teams/", "people/", "quality/"} <= hrefs
    assert not any(h.startswith(("goals/", "okrs/")) for h in hrefs)
    assert len(hrefs) < 30  # index pages, the guide and the TOC: not one per item


def test_generated_home_beside_hand_written_guide(site: Path):
    assert (site / "index.html").exists()
    assert (site / "guide/goal-quality/index.html").exists()


def test_nothing_loads_from_outside(site: Path):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_published_data_and_schemas(site: Path):
    data = json.loads((site / "api/okrsite.json").read_text(encoding="utf-8"))
    assert data["organization"] == "Acme Cloud"
    assert data["private_goals"] == 2
    assert {g["id"] for g in data["goals"]} >= {"flow-steps", "outreach"}
    assert all(g["owner"] for g in data["goals"])
    for name in ("org", "kpis", "okrs", "goals"):
        assert json.loads((site / f"schemas/{name}.schema.json").read_text())["type"] == "object"
    import jsonschema

    schema = json.loads((site / "api/okrsite.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_search_indexes_page_text_but_not_charts(site: Path):
    """Charts reach the reader, not the search index: their axis labels are noise."""
    index = {d["location"]: d for d in search_docs(site)}
    objective = [u for u in index if u.startswith("okrs/2026-q3/company/")]
    assert objective, "objective pages are indexed"
    assert "The expected-pace line runs straight" not in json.dumps(list(index.values()))
    page = _html(site, "okrs/2026-q3/company/retention/")
    # ...while every chart is still on the page the theme writes.
    assert page.count('<svg class="okr-chart"') >= 2
    assert "The expected-pace line runs straight" in page
    assert 'class="okr-chart__series-points"' in page
    # A KPI's tree neither: each of its items has its own page in the index.
    kpi = index["kpis/gross-churn/"]
    assert "Share of MRR lost" in kpi["summary"]  # its description
    assert "Reduce monthly gross churn" not in kpi["summary"]
    assert "Reduce monthly gross churn" in _html(site, "kpis/gross-churn/")


def test_search_sees_the_same_text_without_the_parts_it_skips(site: Path):
    """What okrsite cuts out before search (okrsite.site.sitefiles.search_body) is exactly what
    Material's indexer would skip anyway: the same sections and text either way."""
    from material.plugins.search.plugin import Parser

    from okrsite.site.sitefiles import search_body

    def sections(html: str) -> list[tuple[str, str]]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return [
            (" ".join("".join(s.title).split()), " ".join("".join(s.text).split()))
            for s in parser.data
        ]

    pages = ["okrs/2026-q3/company/retention/", "kpis/gross-churn/", "teams/growth/"]
    for rel in pages:
        html = _html(site, rel)
        body = html[html.index("<article") : html.index("</article>")]
        assert search_body(body) != body, rel  # there was something to cut
        assert sections(search_body(body)) == sections(body), rel


def test_reproducible_builds(tmp_path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        subprocess.run([ENGINE, "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
        outs.append(out)
    a, b = outs
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    differ = [str(p) for p in files_a if (a / p).read_bytes() != (b / p).read_bytes()]
    # MkDocs stamps the sitemap with the build date (documented); nothing else may differ
    assert set(differ) <= {"sitemap.xml", "sitemap.xml.gz"}, differ
    data = json.loads((a / "api/okrsite.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-11-22"


def test_open_goals_and_key_results_show_their_pace(site: Path):
    """Zoë's goal runs to 2026-12-11 (the build's today is 2026-11-22): its pace is
    measured against its own time; a KPI page's key results show theirs."""
    html = _html(site, "goals/2026-q4/zoe/activation-experiments")
    assert 'class="okr-pace okr-pace--on-track"' in html
    assert "the share of the time to its due date passed" in html
    assert "On track up to 0.10 behind, at risk up to 0.25" in html
    kpi = _html(site, "kpis/arr")
    moved = kpi[kpi.index('id="moved-by"') : kpi.index("</article>")]
    assert "okr-pace" in moved and "okr-badge--overdue" not in moved


def test_every_list_of_scores_in_a_running_period_shows_pace(site: Path):
    """Home, period, map, team, person, KPI, index and print pages: a pace chip beside the scores of the
    running quarter (2026-Q4 on the build's today), none beside the closed one's."""
    for rel in (
        "",
        "periods/2026-q4/",
        "teams/growth/",
        "people/ana/",
        "okrs/2026-q4/company/retention/",
        "periods/2026-q4/map/",
        "periods/",
        "teams/",
        "kpis/gross-churn/",
    ):
        assert 'class="okr-pace okr-pace--' in _html(site, rel), rel
    printed = (site / "periods/2026-q4/print.html").read_text(encoding="utf-8")
    assert printed.count('class="okr-pace okr-pace--') >= 8  # the period, teams, objectives
    closed = _html(site, "periods/2026-q3/")
    assert "okr-pace" not in closed  # a closed period's scores are final


def test_the_old_health_address_forwards_to_goal_quality(site: Path):
    """The goal-quality page was 'Health' at /health/ before version 2: links and
    bookmarks to it still arrive, and the old page is not a search result."""
    quality = _html(site, "quality/")
    assert '<h1 id="quality">Goal quality</h1>' in quality
    old = _html(site, "health/")
    head = old[: old.index("</head>")]
    assert '<meta http-equiv="refresh" content="0; url=../quality/">' in head
    assert 'This page has moved to <a href="../quality/">Goal quality</a>' in old
    assert [d for d in search_docs(site) if d["location"] == "quality/"]
    assert not [d for d in search_docs(site) if d["location"].startswith("health/")]
    assert 'href="quality/"' in _html(site, "")


def test_a_person_page_gives_each_goal_its_chain_and_puts_periods_newest_first(site: Path):
    html = _html(site, "people/fatima/")
    rows = html[html.index('id="goals-2026-q3"') :]
    line = rows[rows.index('<span class="okr-chain-line">') :]
    line = line[: line.index("</span>")]
    steps = [
        "Cut churn in bottom-quartile accounts",
        "Turn at-risk accounts into advocates",
        "Reduce monthly gross churn from 4.2% to 3.0%",
        "Make retention our strongest growth lever",
        "KPI Monthly gross churn",
    ]
    assert [line.index(s) for s in steps] == sorted(line.index(s) for s in steps)
    owns = html[html.index('id="owns"') :]
    assert owns.index("2026-Q4") < owns.index("2026-Q3")  # as the goals above
