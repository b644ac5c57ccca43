"""What Material's search holds for the example (with ``search: material``): sentences, not run-together cells.

Material indexes a page's text with its tags removed, so two cells, a number and its
band, or a title and its team become one word unless the HTML leaves a space between
them. And an objective set again next quarter under the same title must still be told
apart in the results: the title search shows names the period.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from okrsite.site.widgets import progress_bar

from orgkit import ENGINE, ENV

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"<[^>]+>")
# Every page okrsite generates (the hand-written guide under guide/ is not ours).
OURS = re.compile(r"^(?!guide/)")
# A lower-case letter straight before an upper-case word ("leverAcme",
# "StatusProgress"), a score glued to its band ("0.83green"), a label glued to its
# value ("Current value3.4%").
RUN_ON = re.compile(r"[a-z][A-Z][a-z]|\d(?:red|yellow|green)\b|[a-z]\d+(?:\.\d+)?%")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example, built with Material's own index (``search: material``): a copy of
    its project, so that the option can be set."""
    project = tmp_path_factory.mktemp("example")
    for folder in ("docs", "goals", "theme"):
        shutil.copytree(ROOT / folder, project / folder)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      goals_dir: goals\n" in config
    config = config.replace(
        "      goals_dir: goals\n", "      goals_dir: goals\n      search: material\n"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [ENGINE, "build", "-q", "-d", str(out)], cwd=project, env=ENV, capture_output=True
    )
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def index(site: Path) -> dict[str, dict[str, str]]:
    data = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {d["location"]: d for d in data["docs"]}


def _text(entry: dict[str, str]) -> str:
    return " ".join(TAG.sub(" ", entry["text"]).split())


def test_a_bar_says_its_score_and_band_as_two_words() -> None:
    assert " ".join(TAG.sub(" ", str(progress_bar(0.83))).split()) == "0.83 green"


def test_no_cells_or_pieces_run_together(index) -> None:
    ours = [loc for loc in index if OURS.match(loc)]
    assert len(ours) > 100
    found = []
    for loc in ours:
        for m in RUN_ON.finditer(index[loc]["title"] + " " + _text(index[loc])):
            found.append((loc, m.string[max(0, m.start() - 15) : m.end() + 15]))
    assert found == []


def test_objective_goal_and_kpi_pages_read_as_sentences(index) -> None:
    objective = _text(index["okrs/2026-q4/company/retention/"])
    assert "Score 0.34 red at risk · expected 0.58" in objective
    kr = _text(index["okrs/2026-q4/company/retention/#kr-churn"])
    assert kr.startswith("3.6% → 3.4% → 3% 0.33 red at risk")
    chain = _text(index["okrs/2026-q4/company/retention/#chain"])
    assert "growth lever Acme Cloud · 2026-Q4 reaches KPI Monthly gross churn ok" in chain

    smart = _text(index["goals/2026-q4/tomas/checklist/#smart"])
    assert smart.startswith("Specific Cut new-user tickets")
    assert "90 → 62 → 40 0.56 yellow at risk · expected 0.70" in smart
    assert "Time-bound due 2026-12-15" in smart
    checkins = _text(index["goals/2026-q4/tomas/checklist/#checkins"])
    assert "2026-11-16 62 80% 2026-11-02 68 70%" in checkins
    # a key result in a goal's chain names its team and period
    goal_chain = _text(index["goals/2026-q4/tomas/checklist/#chain"])
    assert "Cut new-user support tickets from 226 to 192 a month Onboarding · 2026-Q4" in (
        goal_chain
    )

    kpi = _text(index["kpis/gross-churn/"])
    assert "Current value 3.4% on 2026-10-31 Better is lower" in kpi
    assert "State ok Updated every month Owner Customer Success" in kpi
    kpis = _text(index["kpis/"])
    # the header row is not in the index: the list starts with its first KPI
    assert "KPI Current" not in kpis
    assert "Median first response time 33 min ▲ worse &gt; 30 min ⚠ alert Support" in kpis

    person = _text(index["people/tomas/#goals-2026-q4"])
    assert "StatusProgress" not in person and "2026-12-15 open 0.56 yellow at risk" in person


def test_search_tells_the_same_objective_of_two_quarters_apart(index) -> None:
    q3 = index["okrs/2026-q3/company/retention/"]["title"]
    q4 = index["okrs/2026-q4/company/retention/"]["title"]
    assert q3 == "Make retention our strongest growth lever (2026-Q3)"
    assert q4 == "Make retention our strongest growth lever (2026-Q4)"
    # a key result is found under its objective's page, whose title names the period
    for loc in index:
        if re.match(r"okrs/\d{4}-q\d/", loc):
            page, _, section = loc.partition("#")
            period = page.split("/")[1].upper()
            assert index[page]["title"].endswith(f"({period})"), loc
            if section.startswith("kr-"):
                assert index[loc]["title"]  # the key result's own title
    goals = [loc for loc in index if re.fullmatch(r"goals/\d{4}-q\d/[^/]+/[^/]+/", loc)]
    assert len(goals) >= 10
    for loc in goals:
        assert index[loc]["title"].endswith(f"({loc.split('/')[1].upper()})"), loc


def test_the_visible_heading_stays_the_title(site: Path) -> None:
    objective = (site / "okrs/2026-q4/company/retention/index.html").read_text("utf-8")
    h1 = objective[objective.index('<h1 id="objective">') :]
    h1 = h1[: h1.index("</h1>")]
    assert h1 == (
        '<h1 id="objective">Make retention our strongest growth lever'
        '<span class="okr-visually-hidden"> (2026-Q4)</span>'
    )
    assert "<title>Make retention our strongest growth lever (2026-Q4) - " in objective
    goal = (site / "goals/2026-q4/tomas/checklist/index.html").read_text("utf-8")
    assert "<title>Cut new-user tickets about account setup" in goal
    assert "interactive setup checklist (2026-Q4) - " in goal


def test_lists_of_items_with_pages_of_their_own_stay_out_of_search(index) -> None:
    """The glance's rows and a team's tables repeat items that search finds on their own
    pages: indexed again, a title would come up four times (its page, its team's, the
    period's, the home page)."""
    title = "Raise 90-day activation from 72% to 78%"  # on track: in no 'needs attention'
    where = {
        loc.split("#")[0]
        for loc, entry in index.items()
        if title in entry["title"] + " " + _text(entry)
    }
    assert "okrs/2026-q4/company/retention/" in where  # its own section
    assert not where & {"", "periods/2026-q4/", "teams/company/"}
