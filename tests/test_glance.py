"""The quarter at a glance, read from built sites: the period page and the home page show
every objective and key result grouped off track -> at risk -> on track -> done -> not
started, then by team in tree order; what needs attention (KPIs in alert, stale key
results, broken chains); the filter's markup; private goals only ever counted; over the budget of rows, the rest
counted per team, adding up, each count linking to the team's period."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrsite.model.attention import GLANCE_ROWS, NEEDS_ROWS, STATES

from orgkit import ENGINE, ENV, FILES, build, site_files, write_site

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
    subprocess.run([ENGINE, "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
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
        r'<form class="okr-filter[^"]*" data-search-exclude data-okr-filter="([^"]+)" hidden>(.*?)</form>',
        text,
        re.S,
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


# -- an organisation over the budget ---------------------------------------------------------

REST = re.compile(  # (teams, href, team name, count, " more", state)
    r'<li data-okr-item data-teams="([^"]*)" data-owner=""><a href="([^"]*)">([^<]*)</a> '
    r'<span class="okr-muted">([\d,]+)( more)? ([a-z ]+)</span></li>'
)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A generated organisation of some 400 objectives and key results: just over the
    budget of rows."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("large")
    generate(320, root)
    run = build(root, "-q")
    assert run.returncode == 0, run.stderr
    return root / "site"


def test_over_the_budget_rows_then_counts_per_team_adding_up(large: Path):
    text = page(large, "periods/2026-q3")
    totals = {s: int(n.replace(",", "")) for s, n in
              re.findall(r'href="#([a-z-]+)"><strong>([\d,]+)</strong>', text)}  # fmt: skip
    n_items = sum(totals.values())
    assert n_items > GLANCE_ROWS
    shown = 0
    for state, body in SECTION.findall(text):
        rows = ROW.findall(body)
        rests = REST.findall(body)
        shown += len(rows)
        heading = re.search(r'<span class="okr-glance__count"[^>]*>([\d,]+)</span>', body)
        assert heading is not None and int(heading.group(1).replace(",", "")) == totals[state]
        assert len(rows) + sum(int(r[3].replace(",", "")) for r in rests) == totals[state]
        assert all(r[5] == state.replace("-", " ") for r in rests)
        # a team's count says "more" exactly when rows of it are shown above
        row_teams = {r[0].split()[0] for r in rows}
        assert all(bool(r[4]) == (r[0].split()[0] in row_teams) for r in rests)
        assert all(r[2] == "Team " + r[0].split()[0] for r in rests)  # the generator's names
        if rests:  # a cut group's count is the whole group's, not the filter's
            assert "data-okr-count" not in body
    assert shown == GLANCE_ROWS
    assert f"Showing the first {GLANCE_ROWS} of {n_items}</strong>" in text
    assert "data-okr-status" not in text  # the script would count the team counts as rows


def test_every_team_count_links_to_the_teams_period(large: Path):
    text = page(large, "periods/2026-q3")
    here = large / "periods/2026-q3/index.html"
    rests = REST.findall(text)
    assert rests
    for teams, href, *_ in rests:
        path, _, fragment = href.partition("#")
        assert fragment == "period-2026-q3"
        target = (here.parent / path / "index.html").resolve()
        assert target.parent.name == teams.split()[0]
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href


def test_the_filter_offers_the_owners_of_the_rows_shown(large: Path):
    text = page(large, "periods/2026-q3")
    start = text.index('name="owner"')
    form = text[start : text.index("</form>", start)]
    owners = set(re.findall(r'<option value="([^"]*)">', form))
    assert owners == {""} | {r[1] for r in ROW.findall(text)}


def test_the_home_page_cuts_the_same_way(large: Path):
    home, period = page(large, ""), page(large, "periods/2026-q3")

    def shape(text):
        return [(s, len(ROW.findall(b)), [(r[0], r[2]) for r in REST.findall(b)])
                for s, b in SECTION.findall(text)]  # fmt: skip

    assert shape(home) == shape(period)
    assert "Showing the first" in home


STALE = """\
period: 2026-Q3
team: growth
objectives:
  - id: many
    title: Many key results nobody reports on
    owner: maria
    key_results:
""" + "".join(
    f"      - {{id: k{i}, title: Key result number {i}, baseline: 0, target: 10}}\n"
    for i in range(NEEDS_ROWS + 5)
)


def test_needs_attention_lists_name_a_budget_then_say_how_many_more(tmp_path: Path):
    root = write_site(tmp_path, {**FILES, "2026-Q3/growth-more.yaml": STALE})
    run = build(root, "-q")
    assert run.returncode == 0, run.stderr
    text = page(root / "site", "periods/2026-q3")
    stale = section(text, "stale")
    title = re.search(r"(\d+) stale key results", stale)
    assert title is not None and int(title.group(1)) >= NEEDS_ROWS + 5  # and the kit's own
    assert stale.count("<li>") == NEEDS_ROWS
    more = re.search(r'<li class="okr-glance__more">and (\d+) more stale key results .*?'
                     r'<a href="([^"]*)">', stale)  # fmt: skip
    assert more is not None and int(more.group(1)) == int(title.group(1)) - NEEDS_ROWS
    assert (root / "site/periods/2026-q3" / more.group(2) / "index.html").resolve().is_file()
    # the list below the budget of rows: every item a row, no team counts
    assert "Showing the first" not in text and not REST.findall(text)


def test_an_item_not_yet_checked_in_is_not_started_on_every_page(example: Path):
    """The mid-market sales cycle key result has no check-in in week 8: 'not started',
    as its group says, on every page that shows it; never a red 'off track' for a 0.00
    nobody has measured."""
    chip = re.compile(r'class="okr-pace okr-pace--([a-z-]+)"')
    end = re.compile(r"</(?:tr|li|p)>")
    pages = ["okrs/2026-q4/mid-market/pipeline", "teams/mid-market", "periods/2026-q4/map"]
    for url in pages:
        text = page(example, url)
        text = text[text.index("<article") :]  # not the table of contents
        chips = []
        for m in re.finditer("Shorten the mid-market sales cycle", text):
            stop = end.search(text, m.end())
            chips += chip.findall(text, m.end(), stop.start() if stop else len(text))
        assert chips and set(chips) == {"not-started"}, (url, chips)
