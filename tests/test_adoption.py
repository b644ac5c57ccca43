"""okrsite init, import and new-period through the real console script, each result
built with `mkdocs build --strict` and validated."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml

import okrsite

from orgkit import ENGINE, ENV

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "assets" / "sample-okrs.csv"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["okrsite", *args], cwd=cwd, env=ENV, capture_output=True, text=True)


def strict_build(cwd: Path) -> subprocess.CompletedProcess:
    # not -q: a quiet build does not count warnings, so --strict would not fail
    return subprocess.run(
        [ENGINE, "build", "--strict"], cwd=cwd, env=ENV, capture_output=True, text=True
    )


def test_help_has_examples():
    for command in ("init", "import", "new-period", "validate", "diff", "pdf", "export"):
        out = run(ROOT, command, "--help")
        assert out.returncode == 0 and "example" in out.stdout, command


def test_init_builds_at_once_and_refuses_to_overwrite(tmp_path: Path):
    site = tmp_path / "okrs"
    first = run(tmp_path, "init", "okrs", "--name", "Zoë & Co")
    assert first.returncode == 0, first.stderr
    assert (
        "wrote okrs/mkdocs.yml" in first.stdout and "next: cd okrs && mkdocs serve" in first.stdout
    )
    for path in (
        "goals/org.yaml",
        "goals/kpis.yaml",
        "docs/index.md",
        ".github/workflows/goals.yml",
        ".github/workflows/publish.yml",
        ".gitignore",
        "requirements.txt",
        "goals/.schemas/okrs.schema.json",
    ):
        assert (site / path).is_file(), path
    # okrsite pinned to this version, found in wheels/ while no public index has it
    requirements = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if line and not line.startswith("#")] == [
        "--find-links wheels",
        f"okrsite=={okrsite.__version__}",
    ]
    # what the build makes stays out of git: `git add -A` after a build adds no site/
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", ".cache/", "__pycache__/", ".venv/"} <= set(ignored)
    for path in site.glob("goals/**/*.yaml"):
        assert "# yaml-language-server: $schema=" in path.read_text(encoding="utf-8"), path
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "font: false" in config and "- search" in config and "- okrsite" in config
    build = strict_build(site)
    assert build.returncode == 0, build.stderr
    assert run(site, "validate").returncode == 0
    (site / "goals/org.yaml").write_text("organization: Mine\n", encoding="utf-8")
    again = run(tmp_path, "init", "okrs")
    assert again.returncode == 2
    assert "exist already; nothing was written (use --force" in again.stderr
    assert (site / "goals/org.yaml").read_text(encoding="utf-8") == "organization: Mine\n"
    assert run(tmp_path, "init", "okrs", "--force").returncode == 0


def _workflow_runs(site: Path, name: str) -> list[str]:
    workflow = yaml.safe_load((site / ".github/workflows" / name).read_text(encoding="utf-8"))
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_init_workflows_check_pull_requests_strictly_and_publish_whatever_the_goals_say(
    tmp_path: Path,
):
    assert run(tmp_path, "init", "site").returncode == 0
    site = tmp_path / "site"
    assert _workflow_runs(site, "goals.yml") == [
        "pip install -r requirements.txt",
        "okrsite validate --format github",
        "mkdocs build --strict",
    ]
    assert _workflow_runs(site, "publish.yml") == [
        "pip install -r requirements.txt",
        "mkdocs build",
    ]
    publish = yaml.safe_load((site / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1)
    assert set(publish[True]) == {"push", "schedule", "workflow_dispatch"}
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    # GitLab: the same split, okrsite from requirements.txt
    gitlab = yaml.safe_load(
        (ROOT / "ci-templates/gitlab/.gitlab-ci.yml").read_text(encoding="utf-8")
    )
    assert "pip install -q -r requirements.txt" in gitlab["default"]["before_script"]
    assert gitlab["pages"]["script"] == ["mkdocs build -d public"]
    assert any("mkdocs build --strict" in line for line in gitlab["preview"]["script"])
    # the same files are in ci-templates/ for a site okrsite init did not make
    for name in ("goals.yml", "publish.yml"):
        template = ROOT / "ci-templates" / "github" / name
        assert template.read_text(encoding="utf-8") == (
            site / ".github/workflows" / name
        ).read_text(encoding="utf-8"), name


@pytest.mark.parametrize(
    "made",
    ["2026-11-10", "2026-12-31", "2027-01-01"],  # mid-quarter, a quarter's last and first day
)
def test_init_site_builds_the_day_it_is_made_and_after(tmp_path: Path, made: str):
    """Nothing okrsite init writes fails on its day, two weeks later (its check-ins go
    stale: a warning, which fails neither), or a month later, in another quarter."""
    assert run(tmp_path, "init", "site", "--today", made).returncode == 0
    site = tmp_path / "site"
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    day = dt.date.fromisoformat(made)
    for later in (0, 14, 15, 31):
        as_of = (day + dt.timedelta(days=later)).isoformat()
        (site / "mkdocs.yml").write_text(
            config.replace(
                "      goals_dir: goals\n", f"      goals_dir: goals\n      today: {as_of}\n"
            ),
            encoding="utf-8",
        )
        checked = run(site, "validate")
        assert checked.returncode == 0, (as_of, checked.stdout, checked.stderr)
        built = strict_build(site)
        assert built.returncode == 0, (as_of, built.stderr)


def _empty_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert run(tmp_path, "init", "site").returncode == 0
    for name in ("org.yaml", "kpis.yaml"):
        (site / "goals" / name).unlink()
    for period in (site / "goals").glob("20*"):
        for f in sorted(period.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
        period.rmdir()
    (site / "mkdocs.yml").write_text(
        (site / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("      goals_dir: goals\n", "      goals_dir: goals\n      today: 2026-11-22\n"),
        encoding="utf-8",
    )
    return site


def test_init_empty_then_import_a_sheet_of_this_quarter(tmp_path: Path):
    """The spreadsheet's way in: `init --empty` has no example OKRs for the import to
    collide with and no example people or KPIs left on the site afterwards."""
    made = run(tmp_path, "init", "okrs", "--name", "Brasserie Élan", "--empty", "--today",
               "2026-12-02")  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = tmp_path / "okrs"
    assert "okrsite import" in made.stdout
    assert sorted(p.name for p in (site / "goals").iterdir()) == [".schemas", "org.yaml"]
    assert strict_build(site).returncode == 0
    sheet = tmp_path / "okrs.csv"
    sheet.write_text(
        "period,team,team_parent,objective,owner,key_result,baseline,target,current\n"
        "2026-Q4,Brasserie Élan,,Fill every table,François Lefèvre,Serve 1450 covers a week,"
        "1200,1450,1310\n"
        "2026-Q4,Cuisine,,Cook what guests come back for,François Lefèvre,"
        "Lift the dish rating from 4.3 to 4.6,4.3,4.6,4.4\n"
        "2026-Q4,Pâtisserie,Cuisine,Desserts worth the trip,Zoë Ångström,"
        "Sell 30% more desserts,100,130,\n",
        encoding="utf-8",
    )
    imported = run(site, "import", str(sheet), "--today", "2026-12-02")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    org = yaml.safe_load((site / "goals/org.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in org["teams"]] == ["company", "cuisine", "patisserie"]
    assert {"alex", "sam"}.isdisjoint(p["id"] for p in org["people"])
    # The head chef owns a company key result first: still a member of the kitchen.
    teams = {p["name"]: p["team"] for p in org["people"]}
    assert teams == {"François Lefèvre": "cuisine", "Zoë Ångström": "patisserie"}
    assert not (site / "goals/kpis.yaml").exists()
    checked = run(site, "validate", "--today", "2026-12-02")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert strict_build(site).returncode == 0


def test_import_reads_what_people_type_and_reports_bad_rows(tmp_path: Path):
    site = _empty_site(tmp_path)
    sheet = tmp_path / "okrs.csv"
    bad = "2026-Q3,Sales,,Win the mid-market,Dana Cruz,Double the pipeline,,lots,12" + "," * 12
    sheet.write_text(SAMPLE.read_text(encoding="utf-8") + bad + "\n", encoding="utf-8")
    out = run(site, "import", str(sheet), "--today", "2026-09-29")
    assert out.returncode == 1  # a row could not be read
    assert "okrs.csv: row 10: baseline 'lots' is not a number" in out.stdout
    assert (
        "read 8 rows: 4 objectives, 8 key results, 8 check-ins, 1 goal; 1 row could not be read"
        in out.stdout
    )
    assert "next: okrsite validate" in out.stdout
    sales = yaml.safe_load((site / "goals/2026-Q3/sales.yaml").read_text(encoding="utf-8"))
    arr, win = sales["objectives"][0]["key_results"]
    assert (arr["baseline"], arr["target"], arr["checkins"][0]["value"]) == (2000, 3200, 2900)
    assert (win["baseline"], win["unit"]) == (18, "%")  # percent sign read, unit set
    # the merged objective cell: both key results under one objective
    company = yaml.safe_load((site / "goals/2026-Q3/company.yaml").read_text(encoding="utf-8"))
    assert len(company["objectives"]) == 1 and len(company["objectives"][0]["key_results"]) == 2
    assert strict_build(site).returncode == 0
    assert run(site, "validate").returncode == 0
    # imported again after the period (mkdocs.yml's today): the undated check-in keeps
    # its day (2026-09-29), so nothing changes and no --force is needed
    before = {p: p.read_bytes() for p in (site / "goals").rglob("*.yaml")}
    again = run(site, "import", str(sheet))
    assert again.returncode == 1  # the bad row still
    assert "unchanged goals/2026-Q3/sales.yaml" in again.stdout
    assert {p: p.read_bytes() for p in (site / "goals").rglob("*.yaml")} == before


def test_import_writes_where_mkdocs_yml_says_the_goals_are(tmp_path: Path):
    """import reads its options as every command does: goals_dir and today from
    mkdocs.yml, so the files land where validate and the build read them."""
    site = _empty_site(tmp_path)
    (site / "goals").rename(site / "okrs")
    yml = site / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("goals_dir: goals", "goals_dir: okrs"),
        encoding="utf-8",
    )
    out = run(site, "import", str(SAMPLE))
    assert out.returncode == 0, out.stdout + out.stderr
    assert not (site / "goals").exists()
    sales = yaml.safe_load((site / "okrs/2026-Q3/sales.yaml").read_text(encoding="utf-8"))
    # an undated 'current' of a period that ended before mkdocs.yml's today (2026-11-22)
    # is dated the period's last day
    assert sales["objectives"][0]["key_results"][1]["checkins"][0]["date"].isoformat() == (
        "2026-09-30"
    )
    assert run(site, "validate").returncode == 0


def test_import_refuses_a_sheet_without_the_columns(tmp_path: Path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("team,objective\nA,B\n", encoding="utf-8")
    out = run(tmp_path, "import", str(sheet))
    assert out.returncode == 2
    assert "lacks the column(s) period, owner, key_result, baseline, target" in out.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("goals.yaml", b"kpis:\n  - id: nps\n", "lacks the column(s) period, team"),
        ("latin1.csv", "team;objective\nVerkäufe;Größer\n".encode("latin-1"), "not UTF-8"),
        ("broken.xlsx", b"not a zip file", "cannot read this as an Excel workbook"),
    ],
)
def test_import_of_the_wrong_file_explains_itself(
    tmp_path: Path, name: str, content: bytes, message: str
):
    # Each of these used to end in a traceback (csv.Error, UnicodeDecodeError, BadZipFile).
    sheet = tmp_path / name
    sheet.write_bytes(content)
    out = run(tmp_path, "import", str(sheet))
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_new_period_carries_unfinished_objectives(tmp_path: Path):
    site = _empty_site(tmp_path)
    run(site, "import", str(SAMPLE), "--today", "2026-09-30")
    before = {p: p.read_bytes() for p in (site / "goals/2026-Q3").rglob("*.yaml")}
    out = run(site, "new-period", "2027-Q1", "--from", "2026-Q3")
    assert out.returncode == 0, out.stderr
    assert "wrote goals/2027-Q1/support.yaml" in out.stdout and "next:" in out.stdout
    new = yaml.safe_load((site / "goals/2027-Q1/support.yaml").read_text(encoding="utf-8"))
    obj = new["objectives"][0]
    assert obj["continues"].startswith("2026-Q3/support/")
    csat = obj["key_results"][0]
    assert csat["baseline"] == 4.62 and csat["target"] == 4.7 and "checkins" not in csat
    text = (site / "goals/2027-Q1/support.yaml").read_text(encoding="utf-8")
    assert (
        text.index("id:") < text.index("title:") < text.index("owner:") < text.index("key_results:")
    )
    assert {p: p.read_bytes() for p in (site / "goals/2026-Q3").rglob("*.yaml")} == before
    assert strict_build(site).returncode == 0  # 2027-Q1 has not started: nothing is stale
    assert run(site, "validate").returncode == 0
    html = (site / "site/okrs/2027-q1/support" / obj["id"] / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Continues" in html and "2026-Q3" in html
    assert run(site, "new-period", "2027-Q1", "--from", "2026-Q3").returncode == 2


def test_import_xlsx_with_merged_cells(tmp_path: Path):
    import csv

    import openpyxl

    site = _empty_site(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    for row in rows:
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])
    sheet.merge_cells("D2:D3")  # the objective cell spans both key results
    path = tmp_path / "okrs.xlsx"
    book.save(path)
    out = run(site, "import", str(path), "--today", "2026-09-30")
    assert out.returncode == 0, out.stdout + out.stderr
    company = yaml.safe_load((site / "goals/2026-Q3/company.yaml").read_text(encoding="utf-8"))
    assert len(company["objectives"][0]["key_results"]) == 2
    assert strict_build(site).returncode == 0


def test_init_in_a_new_github_repository_keeps_its_gitignore(tmp_path: Path):
    """A repository made on GitHub has a README and a .gitignore: init adds the lines
    it needs to the one there, without --force, and keeps the rest."""
    (tmp_path / "README.md").write_text("# okrs\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.pyc\n.venv/", encoding="utf-8")  # no last newline
    made = run(tmp_path, "init", ".", "--empty")
    assert made.returncode == 0, made.stderr
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["*.pyc", ".venv/"] and "/site/" in lines
    assert lines.count(".venv/") == 1
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# okrs\n"
