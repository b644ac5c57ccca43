"""Team pages answer "what is my team doing": objectives with their key results (owner,
numbers, progress, pace, last check-in), the members' goals, the sub-teams' scores and
what changed since the last check-in; built with the real mkdocs and read as HTML."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from orgkit import ENGINE, ENV, FILES, build, site_files, write_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-08-01"  # 2026-Q3 runs; the stale window (14 days) starts on 2026-07-18

ORG = (
    FILES["org.yaml"]
    .replace("people:\n", "  - {id: legal, name: Legal, parent: company}\npeople:\n")
    .replace("  - {id: ana,", "  - {id: sam, name: Sam Lee, team: growth}\n  - {id: ana,")
)
# The company's key results: churn checked in inside the window (value and confidence
# change), nrr last checked in a day before it.
COMPANY = (
    FILES["2026-Q3/company.yaml"]
    .replace(
        "          - {date: 2026-07-06, value: 3.6, confidence: 0.7}\n",
        "          - {date: 2026-07-06, value: 3.6, confidence: 0.7}\n"
        "          - {date: 2026-07-18, value: 3.3, confidence: 0.4}\n",
    )
    .replace(
        "        baseline: 102\n        target: 110\n",
        "        baseline: 102\n        target: 110\n        owner: ana\n"
        "        checkins:\n          - {date: 2026-07-17, value: 104.5, confidence: 0.9}\n",
    )
)
SAM = """\
period: 2026-Q3
owner: sam
goals:
  - id: guide
    title: Publish a trial guide read by 300 trial users
    supports: growth/trials/trial-to-paid
    metric: Readers
    baseline: 0
    target: 300
    due: 2026-09-30
    checkins:
      - {date: 2026-07-30, value: 120}
      - {date: 2026-08-09, value: 200}  # after the page's today: not known yet
  - id: secret
    title: Zanzibar confidential career plan
    supports: growth/trials/aha
    baseline: 0
    target: 1
    visibility: private
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(
        tmp_path_factory.mktemp("team"),
        {**FILES, "org.yaml": ORG, "2026-Q3/company.yaml": COMPANY, "2026-Q3/people/sam.yaml": SAM},
        plugin=f"today: {TODAY}",
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    return root / "site"


def _page(site: Path, team: str) -> str:
    text = (site / "teams" / team / "index.html").read_text(encoding="utf-8")
    return text[text.index("<article") : text.index("</article>")]


def _section(page: str, ident: str) -> str:
    """From the heading with ``ident`` to the next heading of level 2 or 3."""
    start = page.index(f'id="{ident}"')
    end = re.compile(r"<h[23] ").search(page, start)
    return page[start : end.start() if end else len(page)]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_key_results_with_owner_numbers_progress_pace_and_check_in(site: Path):
    okrs = _text(_section(_page(site, "company"), "okrs-2026-q3"))
    assert "Objective Make retention our strongest growth lever owner María López" in okrs
    churn = okrs[okrs.index("Reduce monthly gross churn") :]
    # owner (the objective's), baseline -> current -> target, progress, last check-in
    assert churn.startswith("Reduce monthly gross churn from 4.2% to 3.0% owner María López")
    assert "4.2% → 3.3% → 3%" in churn and "0.75" in churn
    assert "2026-07-18 confidence 40%" in churn
    nrr = okrs[okrs.index("Grow net revenue retention") :]
    assert "owner Ana Silva" in nrr and "2026-07-17 confidence 90%" in nrr
    page = _page(site, "company")
    assert page.count('class="okr-pace okr-pace--') >= 3  # the objective and both key results


def test_stale_key_result_is_flagged_in_its_row(site: Path):
    okrs = _section(_page(site, "growth"), "okrs-2026-q3")
    row = okrs[okrs.index("Raise trial-to-paid") :]
    row = row[: row.index("</tr>")]
    assert "okr-badge--stale" in row and "no check-in yet" in row


def test_what_changed_shows_the_window_and_nothing_older(site: Path):
    changes = _text(_section(_page(site, "company"), "changes-2026-q3"))
    # churn's newest check-in (on the first day of the window) against the one before
    assert "Reduce monthly gross churn" in changes
    assert "3.6% → 3.3% ▲ better" in changes
    assert "70% → 40% ▼ down" in changes
    assert "0.50 → 0.75" in changes
    # nrr's newest is a day older than the window
    assert "Grow net revenue retention" not in changes
    # a member's goal checked in within the window, its first check-in: from the baseline
    # (one dated after today is not known yet on the page's day)
    growth = _text(_section(_page(site, "growth"), "changes-2026-q3"))
    assert "Publish a trial guide read by 300 trial users" in growth
    assert "0 → 120" in growth and "first check-in" in growth and "owner Sam Lee" in growth
    assert "200" not in growth


def test_members_public_goals_and_private_ones_only_counted(site: Path):
    goals = _section(_page(site, "growth"), "goals-2026-q3")
    text = _text(goals)
    for title in ("Ship in-app usage tips", "Publish a trial guide read by 300 trial users"):
        assert title in text
    assert "Raise trial-to-paid conversion from 8% to 14%" in text  # what it supports
    assert "okr-status--open" in goals and "okr-progress" in goals
    assert "1 private goal supports this team's objectives and key results" in text
    for rel, content in site_files(site):
        assert "Zanzibar" not in content, rel


def test_sub_teams_with_their_period_score_and_pace(site: Path):
    subs = _section(_page(site, "product"), "sub-teams-2026-q3")
    assert 'href="../growth/"' in subs and "okr-progress" in subs and "okr-pace" in subs
    # the company's sub-team Product has objectives only further down; Legal has none
    company = _section(_page(site, "company"), "sub-teams-2026-q3")
    assert "Product" in company and "none of its own" in company
    assert "Legal" not in company


def test_a_team_with_nothing_reads_sensibly(site: Path):
    page = _text(_page(site, "legal"))
    assert "Legal has no objectives yet" in page
    assert "No members listed" in page
    assert "Traceback" not in page and "None" not in page


def test_current_period_first_then_newest_first(tmp_path: Path):
    q4 = (
        FILES["2026-Q3/company.yaml"]
        .replace("period: 2026-Q3", "period: 2026-Q4")
        .replace(
            "        checkins:\n          - {date: 2026-07-06, value: 3.6, confidence: 0.7}\n", ""
        )
    )
    q2 = FILES["2026-Q3/company.yaml"].replace("period: 2026-Q3", "period: 2026-Q2")
    root = write_site(
        tmp_path,
        {**FILES, "2026-Q4/company.yaml": q4, "2026-Q2/company.yaml": q2},
        plugin=f"today: {TODAY}",
    )
    assert build(root).returncode == 0
    page = _page(root / "site", "company")
    order = [page.index(f'id="period-2026-{q}"') for q in ("q3", "q4", "q2")]
    assert order == sorted(order)
    assert page.index('id="over-time"') < order[1]  # the chart right after the current one


def test_example_support_page(tmp_path: Path):
    """The example's Support team on its pinned today (2026-11-22): every key result's
    check-in of 2026-11-16 is news, the first-response one unchanged."""
    out = tmp_path / "site"
    subprocess.run([ENGINE, "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
    page = (out / "teams/support/index.html").read_text(encoding="utf-8")
    changes = _text(_section(page, "changes-2026-q4"))
    assert "Lift CSAT from 4.62 to 4.8" in changes and "4.69 /5 → 4.7 /5" in changes
    assert "15 min no change" in changes and "30% no change" in changes
    assert "40 min → 38 min" in changes  # Chloé's goal
    goals = _text(_section(page, "goals-2026-q4"))
    assert "Cut weekend first response" in goals
    assert "salary review" not in page
    assert page.index('id="period-2026-q4"') < page.index('id="period-2026-q3"')
