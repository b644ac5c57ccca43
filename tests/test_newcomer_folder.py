"""A goals folder written from SPEC.md alone (a hospital; .yml and .yaml; unicode;
titles with | < & *), built as a new user would: every public goal's page links each
step up to its KPI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from orgkit import build, site_files

FIXTURE = Path(__file__).parent / "fixtures" / "hospital"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hospital")
    shutil.copytree(FIXTURE / "goals", root / "goals")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Sjukhus\ntheme: {name: material, font: false}\n"
        "plugins: [search, {okrsite: {today: 2026-08-01}}]\n",
        encoding="utf-8",
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return root / "site"


@pytest.mark.parametrize(
    "goal,kpi",
    [
        ("q3/people/jose.yaml:nurse-protocol", "wait-time"),
        ("q3/people/elin.yaml:signage", "wait-time"),
        ("q3/people/mei.yaml:ct-slots", "wait-time"),
    ],
)
def test_each_goal_links_every_step_up_to_the_kpi(site: Path, goal: str, kpi: str):
    owner = goal.split("/")[-1].split(".")[0]
    gid = goal.split(":")[1]
    page = site / f"goals/2026-q3/{owner}/{gid}/index.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<ol class="okr-chain"')
    chain = html[start : html.index("</ol>", start)]
    hrefs = re.findall(r'href="([^"]+)"', chain)
    # the KPI at the step that moves it
    assert any(h.endswith(f"kpis/{kpi}/") for h in hrefs), hrefs
    for href in hrefs:
        target = (page.parent / href.split("#")[0]).resolve() / "index.html"
        assert target.exists(), href
    assert "okr-chain__step--broken" not in chain


def test_deep_chain_passes_through_every_level(site: Path):
    html = (site / "goals/2026-q3/jose/nurse-protocol/index.html").read_text(encoding="utf-8")
    chain = html[html.index('<ol class="okr-chain"') :]
    steps = [
        "Fast-track share from 10% to 30%",
        "Minor cases never wait behind major ones",
        "Door-to-doctor from 45 to 25 min",
        "Make the ER flow like a river | no bottlenecks",
        "Average ER wait from 78 to 55 min",
        "Average ER wait time",  # the KPI, at the key result that moves it
        "Reduce patient wait times by 30% in six months",
    ]
    positions = [chain.index(s) for s in steps]
    assert positions == sorted(positions)


def test_special_characters_are_shown_as_written(site: Path):
    team = (site / "teams/emergency/index.html").read_text(encoding="utf-8")
    assert "<title>Akutmottagning &lt;ER&gt; - Sjukhus</title>" in team
    goal = (site / "goals/2026-q3/jose/nurse-protocol/index.html").read_text(encoding="utf-8")
    assert "Write &amp; pilot a nurse-led triage protocol for &lt;minor&gt; injuries" in goal
    people = (site / "people/index.html").read_text(encoding="utf-8")
    assert "Åsa-Astrid Lindqvist" in people and "王美 (Mei Wang)" in people


def test_private_goal_is_only_a_count(site: Path):
    for rel, text in site_files(site):
        assert "Personal development review" not in text, rel
        assert "secret-review" not in text, rel


def test_both_periods_have_pages(site: Path):
    assert (site / "periods/2026-q2/index.html").exists()
    assert (site / "okrs/2026-q2/hospital/waits/index.html").exists()
    team = (site / "teams/hospital/index.html").read_text(encoding="utf-8")
    assert "2026-Q2" in team and "2026-Q3" in team
