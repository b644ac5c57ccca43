"""The quarter at a glance, read from built sites: the period page and the home page show
every objective and key result grouped off track -> at risk -> on track -> done -> not
started, then by team in tree order; what needs attention (KPIs in alert, stale key
results, broken chains); the filter's markup; private goals only ever counted."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from okrsite.model.attention import STATES

from orgkit import ENV, FILES, build, site_files, write_site

ROOT = Path(__file__).resolve().parent.parent
# Depth first, as goals/org.yaml lists them: the order of each group's rows.
EXAMPLE_TREE = [
    "company", "product", "onboarding", "growth", "customer-success", "support", "sales",
    "mid-market", "engineering", "platform",
]  # fmt: skip
SECTION = re.compile(
    r'<section class="okr-glance__group okr-glance__group--([a-z-]+)" data-okr-group>(.*?)</section>',
    re.S,
)
ROW = re.compile(
    r'<li class="okr-glance__item[^"]*" data-okr-item data-teams="([^"]*)" data-owner="([^"]*)">'
    r'.*?<span class="okr-glance__kind">([^<]*)</span> <a class="okr-glance__title" '
    r'href="([^"]*)">([^<]*)</a>',
    re.S,
)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("glance") / "site"
    subprocess.run(["mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
    return out


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def groups(text: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """(state slug, rows) in page order; each row (teams, owner, kind, href, title)."""
    return [
        (state, [(*r[:4], html.unescape(r[4])) for r in ROW.findall(body)])
        for state, body in SECTION.findall(text)
    ]


def section(text: str, cls: str) -> str:
    found = re.search(
        rf'<section class="okr-glance__need okr-glance__need--{cls}">(.*?)</section>', text, re.S
    )
    return found.group(1) if found else ""


def test_the_period_page_groups_by_state_then_team(example: Path):
    text = page(example, "periods/2026-q4")
    got = groups(text)
    slugs = [s for s, _ in got]
    # the example on 2026-11-22: nothing done yet, so no 'done' group
    assert slugs == ["off-track", "at-risk", "on-track", "not-started"]
    assert slugs == [s.replace(" ", "-") for s in STATES if s != "done"]
    for _, rows in got:
        ranks = [EXAMPLE_TREE.index(teams.split()[0]) for teams, *_ in rows]
        assert ranks == sorted(ranks)
    off = dict(got)["off-track"]
    assert [r[4] for r in off][:2] == [
        "Grow net revenue retention from 107% to 112%",
        "Make our best customers grow with us",
    ]
    assert dict(got)["not-started"][0][4] == "Shorten the mid-market sales cycle from 62 to 45 days"
    # the counts in the header say the same
    for state, rows in got:
        assert f'href="#{state}"><strong>{len(rows)}</strong>' in text
    assert "<strong>0</strong> done" in text


def test_each_row_names_its_team_owner_score_pace_and_last_checkin(example: Path):
    text = page(example, "periods/2026-q4")
    rows = [r for _, rs in groups(text) for r in rs]
    krs = [r for r in rows if r[2] == "Key result"]
    assert krs and all("#kr-" in r[3] for r in krs)  # a key result links to its anchor
    assert all(r[3].startswith("../../okrs/2026-q4/") for r in rows)
    first = text[text.index('<li class="okr-glance__item') :]
    first = first[: first.index("</li>")]
    assert "Acme Cloud</a> &middot; <a" in first and "David Okafor" in first
    assert 'class="okr-progress' in first and 'class="okr-pace okr-pace--off-track"' in first
    assert "Last check-in</span> 2026-11-16" in first and "confidence 50%" in first
    # every item of the period is on the page once
    assert len(rows) == 8 + 18


def test_what_needs_attention(example: Path):
    text = page(example, "periods/2026-q4")
    head = text[: text.index('id="by-state"')]
    assert "Median first response time" in section(head, "alert")
    assert "33 min, alert at 30 min" in section(head, "alert")
    stale = section(head, "stale")
    assert "Shorten the mid-market sales cycle from 62 to 45 days" in stale
    assert "no check-in yet" in stale and "#kr-" in stale
    broken = section(head, "broken")
    assert "Make deploys boring" in broken
    assert "2 goals of 2026-Q4 reach no KPI" in broken
    assert 'href="../../periods/2026-q4/map/"' in text or 'href="map/"' in text
    assert 'href="print.html"' in text


def test_a_closed_period_groups_by_final_band_with_nothing_stale(example: Path):
    text = page(example, "periods/2026-q3")
    assert "<strong>closed</strong>" in text
    assert section(text, "stale") == ""
    assert "okr-pace" not in text
    assert [s for s, _ in groups(text)] == ["at-risk", "on-track", "done"]


def test_the_filter_offers_only_teams_and_owners_that_occur(example: Path):
    text = page(example, "periods/2026-q4")
    form = re.search(
        r'<form class="okr-filter[^"]*" data-okr-filter="([^"]+)" hidden>(.*?)</form>', text, re.S
    )
    assert form is not None
    assert f'<div id="{form.group(1)}">' in text
    teams = re.findall(r'<option value="([^"]*)">', form.group(2).split('name="owner"')[0])
    # engineering has no objectives of its own in 2026-Q4, but platform, under it, has
    assert teams == ["", "company", "product", "onboarding", "growth", "customer-success",
                     "support", "sales", "mid-market", "engineering", "platform"]  # fmt: skip
    owners = re.findall(r'<option value="([^"]*)">', form.group(2).split('name="owner"')[1])
    rows = [r for _, rs in groups(text) for r in rs]
    assert set(owners) == {""} | {r[1] for r in rows}
    # each row names its team and every team above it
    growth = [r for r in rows if r[0].split()[0] == "growth"]
    assert growth and all(r[0] == "growth product company" for r in growth)
    assert "data-okr-count" in text and "data-okr-status" in text


def test_the_home_page_shows_the_current_periods_glance(example: Path):
    home = page(example, "")
    assert 'id="glance"' in home and "2026-Q4 at a glance" in home

    def no_links(found):  # the same rows; links are relative to each page
        return [(s, [r[:3] + r[4:] for r in rows]) for s, rows in found]

    assert no_links(groups(home)) == no_links(groups(page(example, "periods/2026-q4")))
    assert "okr-tree" not in home and "The cascade" not in home  # the map replaces it
    assert 'href="periods/2026-q4/map/"' in home
    assert 'id="kpis"' in home and "okr-alerts" in home  # the KPI table and alert box stay
    assert "goal-quality finding" in home  # the facts list stays
    assert "No period runs today" not in home


# -- built from goal files of our own ------------------------------------------------------

PRIVATE = """\
period: 2026-Q3
owner: ana
goals:
  - id: secret
    title: Quietly interview for another job
    visibility: private
  - id: secret-2
    title: Private but aligned
    visibility: private
    supports: growth/trials/aha
"""
HOSTILE = FILES["2026-Q3/growth.yaml"].replace(
    "Make the product irresistible during trials", "<script>alert(1)</script> & trials"
)


def test_private_goals_are_only_counted_and_titles_escaped(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            **FILES,
            "2026-Q3/people/bob.yaml": PRIVATE.replace("ana", "maria"),
            "2026-Q3/growth.yaml": HOSTILE,
        },
    )
    run = build(root, "-q")
    assert run.returncode == 0, run.stderr
    for name, text in site_files(root / "site"):
        assert "Quietly interview" not in text, name
        assert "Private but aligned" not in text, name
        if name.endswith(".html"):
            assert "<script>alert(1)" not in text, name
    text = page(root / "site", "periods/2026-q3")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; trials" in text
    # Ana's public goal supports aha (a chain up to churn); the private one on nothing is
    # broken, the private one on aha is not
    assert "1 goal of 2026-Q3 reaches no KPI" in section(text, "broken")


def test_no_period_running_today_says_so(tmp_path: Path):
    root = write_site(tmp_path, FILES, plugin="today: 2027-02-01")
    assert build(root, "-q").returncode == 0
    home = page(root / "site", "")
    assert "No period runs today" in home and "closed on 2026-09-30" in home
    assert 'href="periods/"' in home
    assert "2026-Q3 at a glance" in home


def test_an_upcoming_period_is_not_started(tmp_path: Path):
    root = write_site(tmp_path, FILES, plugin="today: 2026-05-01")
    assert build(root, "-q").returncode == 0
    home = page(root / "site", "")
    assert "starts on 2026-07-01" in home
    text = page(root / "site", "periods/2026-q3")
    assert "<strong>upcoming</strong>" in text
    # the kit's churn key result has a check-in (dated in the period): nothing is expected
    # yet, so it is on track; every other item has none
    assert [s for s, _ in groups(text)] == ["on-track", "not-started"]
