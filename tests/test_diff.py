"""okrsite diff and preview builds, on real git repositories made in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orgkit import ENGINE

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}
ENV.pop("OKRSITE_COMPARE_TO", None)
TODAY = "2026-11-22"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=ENV, capture_output=True, text=True, check=True
    ).stdout


def okrsite(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["okrsite", *args], cwd=repo, env=ENV, capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the example site as a fresh git repository, one commit on main."""
    shutil.copytree(ROOT / "goals", tmp_path / "goals")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Diff\ntheme: {name: material, font: false}\n"
        f"plugins: [search, {{okrsite: {{today: {TODAY}}}}}]\n",
        encoding="utf-8",
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def five_changes(repo: Path) -> None:
    """A branch that changes five things across three files."""
    g = repo / "goals/2026-Q4"
    edit(
        g / "company.yaml",
        "        baseline: 3.6\n        target: 3\n",
        "        baseline: 3.6\n        target: 3.2\n",
    )  # 1 target
    edit(g / "growth.yaml", "    owner: rui\n", "    owner: priya\n")  # 2 owner
    with (g / "growth.yaml").open("a", encoding="utf-8") as f:  # 3 new KR
        f.write(
            "      - id: nrr-trials\n        title: Raise first-year NRR of trial "
            "converts from 98% to 105%\n        baseline: 98\n        target: 105\n"
        )
    edit(
        g / "support.yaml",
        "          - {date: 2026-11-16,",  # 4 check-in
        "          - {date: 2026-11-20, value: 4.75, confidence: 0.8}\n          - {date: 2026-11-16,",
    )
    edit(
        g / "support.yaml",
        "    aligns_to: company/retention\n",  # 5 alignment
        "    aligns_to: company/retention/churn\n",
    )
    git(repo, "checkout", "-q", "-b", "change")
    git(repo, "commit", "-qam", "five changes")


def test_markdown_diff_reads_without_the_yaml(repo: Path):
    five_changes(repo)
    run = okrsite(repo, "diff", "main", "change", "--today", TODAY)
    assert run.returncode == 1, run.stderr  # a review warning: target made easier mid-period
    md = run.stdout
    assert md.startswith("<!-- okrsite-diff -->\n## Goal changes: `main` → `change`")
    assert "| Objectives | 0 | 0 | 2 |" in md
    assert "| Key results | 1 | 0 | 2 |" in md
    assert "target: 3 → 3.2" in md
    assert "owner: Rui Gonçalves → Priya Raman" in md
    assert "new key result **Raise first-year NRR of trial converts from 98% to 105%**" in md
    assert "1 check-in added: 2026-11-20 4.75 (80%)" in md
    assert "aligns_to: 2026-Q4/company/retention → 2026-Q4/company/retention/churn" in md
    assert "target made easier (3 → 3.2) while the period runs" in md
    assert "### Team Growth" in md and "### Team Support" in md


def test_json_diff_and_reordering_is_not_a_change(repo: Path):
    path = repo / "goals/org.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    people = [i for i, line in enumerate(lines) if line.startswith("  - {id:")]
    reordered = lines[: people[0]] + [lines[i] for i in reversed(people)] + lines[people[-1] + 1 :]
    path.write_text("".join(reordered), encoding="utf-8")
    run = okrsite(repo, "diff", "main", "--format", "json", "--today", TODAY)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["base"] == "main" and doc["head"] == "working tree"
    assert doc["changes"] == [] and doc["warnings"] == []


def test_json_lists_fields_checkins_and_scores(repo: Path):
    five_changes(repo)
    doc = json.loads(
        okrsite(repo, "diff", "main", "change", "--format", "json", "--today", TODAY).stdout
    )
    churn = next(c for c in doc["changes"] if c["key"] == "2026-Q4/company/retention/churn")
    assert churn["status"] == "changed"
    assert {"name": "target", "old": 3.0, "new": 3.2} in churn["fields"]
    assert churn["score"]["old"] < churn["score"]["new"]
    csat = next(c for c in doc["changes"] if c["key"] == "2026-Q4/support/most-loved/csat")
    assert csat["checkins_added"][0]["date"] == "2026-11-20"


def test_review_warnings_for_removed_kr_and_broken_chain(repo: Path):
    g = repo / "goals/2026-Q4"
    text = (g / "mid-market.yaml").read_text(encoding="utf-8")
    (g / "mid-market.yaml").write_text(text[: text.index("      - id: cycle")], encoding="utf-8")
    edit(g / "support.yaml", "    aligns_to: company/retention\n", "")
    for kr in ("csat", "first-response", "nps"):
        edit(
            g / "support.yaml",
            f"        kpi: {kr if kr != 'first-response' else 'first-response'}\n",
            "",
        )
    run = okrsite(repo, "diff", "main", "--today", TODAY)
    assert run.returncode == 1
    assert (
        'key result "Shorten the mid-market sales cycle from 62 to 45 days" (2026-Q4) was removed while the period runs'
        in run.stdout
    )
    assert "its chain no longer reaches a company KPI" in run.stdout


def test_goal_left_pointing_at_a_removed_kr_is_reported_with_file_and_line(repo: Path):
    edit(
        repo / "goals/2026-Q4/platform.yaml",
        "      - id: failed-deploys\n",
        "      - id: failed-deploy\n",
    )
    run = okrsite(repo, "diff", "main", "--today", TODAY)
    assert run.returncode == 2
    assert "goals/2026-Q4/people/omar.yaml:" in run.stderr
    assert "has no key result 'failed-deploys'; did you mean 'failed-deploy'?" in run.stderr
    assert "Traceback" not in run.stderr


def test_invalid_files_on_the_base_side_name_the_ref(repo: Path):
    edit(repo / "goals/kpis.yaml", "    direction: down\n", "    direction: downward\n")
    git(repo, "commit", "-qam", "break base")
    git(repo, "checkout", "-q", "-b", "fix")
    edit(repo / "goals/kpis.yaml", "    direction: downward\n", "    direction: down\n")
    run = okrsite(repo, "diff", "main", "--today", TODAY)
    assert run.returncode == 2
    assert "main:goals/kpis.yaml:" in run.stderr and "'downward'" in run.stderr


def test_missing_base_ref_says_how_to_fetch_it(repo: Path, tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone") / "c"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], env=ENV, check=True
    )
    run = okrsite(clone, "diff", "origin/release")
    assert run.returncode == 2
    assert "git ref 'origin/release' is not in this repository" in run.stderr
    assert "shallow clone" in run.stderr and "git fetch --no-tags origin release" in run.stderr


def test_private_goals_never_appear_unless_asked(repo: Path):
    edit(
        repo / "goals/2026-Q4/people/chloe.yaml",
        "    title: Prepare my case for a salary review with evidence from three quarters\n",
        "    title: Prepare my case for a salary review with evidence from four quarters\n",
    )
    public = okrsite(repo, "diff", "main", "--format", "json", "--today", TODAY)
    assert "salary" not in public.stdout and json.loads(public.stdout)["changes"] == []
    private = okrsite(repo, "diff", "main", "--include-private", "--today", TODAY)
    assert "four quarters" in private.stdout


def test_preview_build_has_changes_page_marks_and_banner(repo: Path):
    five_changes(repo)
    env = {**ENV, "OKRSITE_COMPARE_TO": "main"}
    run = subprocess.run(
        [ENGINE, "build", "-d", "site"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    site = repo / "site"
    changes = (site / "changes/index.html").read_text(encoding="utf-8")
    assert "Changes in this preview" in changes
    assert "<del>Rui Gonçalves</del> &rarr; <ins>Priya Raman</ins>" in changes
    assert 'href="../okrs/2026-q4/growth/irresistible-trials/"' in changes
    assert "target made easier" in changes
    growth = (site / "okrs/2026-q4/growth/irresistible-trials/index.html").read_text(
        encoding="utf-8"
    )
    assert "Changed in this preview" in growth and "New in this preview" in growth
    for page in (site / "index.html", site / "changes/index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert "Preview of proposed goal changes against main" in html
    # an ordinary build has none of it
    plain = subprocess.run(
        [ENGINE, "build", "-d", "plain"], cwd=repo, env=ENV, capture_output=True, text=True
    )
    assert plain.returncode == 0
    assert not (repo / "plain/changes").exists()
    assert "noindex" not in (repo / "plain/index.html").read_text(encoding="utf-8")


def test_preview_build_with_missing_ref_fails_cleanly(repo: Path):
    # The working tree loads: its notes are still shown before the ref's error.
    (repo / "goals" / "notes.txt").write_text("draft\n", encoding="utf-8")
    env = {**ENV, "OKRSITE_COMPARE_TO": "origin/nope"}
    run = subprocess.run([ENGINE, "build"], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "compare_to: git ref 'origin/nope' is not in this repository" in run.stderr
    assert "goals/notes.txt:1: not read: only .yaml and .yml files are goal files" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_core_keeps_no_parse_cache_of_its_own(repo: Path):
    """mkdocs serve with compare_to diffs on every rebuild, each time from a fresh
    temporary folder: the core keeps nothing between loads (no module-level cache, so
    nothing can pile up); only a caller's ParseCache keeps files, and only those of
    its latest load."""
    from datetime import date

    from okrsite.review.diffsource import diff_refs
    from okrsite.source import folder
    from okrsite.source.loader import load

    state = {n: v for n, v in vars(folder).items() if isinstance(v, (dict, list, set))}
    five_changes(repo)
    for _ in range(3):
        diff_refs(repo / "goals", "main", None, date(2026, 11, 22))
    assert {n: v for n, v in vars(folder).items() if isinstance(v, (dict, list, set))} == state
    cache = folder.ParseCache()
    load(repo / "goals", cache=cache)
    files = len(cache)
    assert files == len(list((repo / "goals").rglob("*.yaml")))
    next(iter(sorted((repo / "goals").rglob("people/*.yaml")))).unlink()
    load(repo / "goals", cache=cache)
    assert len(cache) == files - 1
