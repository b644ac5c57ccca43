"""`okrsite import` into a site that exists: teams, people and KPIs matched to its
org.yaml and kpis.yaml (by id, name or email, case and accents aside), unknown ones
added to org.yaml by adding lines or refused, the same sheet twice changing nothing,
--dry-run writing nothing. Every site is made by `okrsite init` (or written) in
tmp_path, imported through the real command line, then validated; one is built with
the real `mkdocs build --strict`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from okrsite.commands.cli import main
from okrsite.commands.importrows import COLUMNS
from okrsite.source.loader import load

from orgkit import ENGINE, ENV

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "assets" / "sample-okrs.csv"
TODAY = "2026-12-02"  # 2026-Q4 runs
HEADER = "period,team,objective,owner,key_result,kpi,baseline,target,current"


def init_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site made by `okrsite init` on TODAY, as the current folder."""
    assert main(["init", str(tmp_path / "site"), "--today", TODAY]) == 0
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def do_import(
    capsys: pytest.CaptureFixture[str], rows: list[str], *args: str, header: str = HEADER
) -> tuple[int, list[str]]:
    """Import a sheet of ``rows`` into the current folder's site: (status, lines out)."""
    Path("okrs.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    capsys.readouterr()
    status = main(["import", "okrs.csv", "--today", TODAY, *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, (out + err).splitlines()


def validate(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`okrsite validate` of the current folder's site: (status, output)."""
    status = main(["validate", "--today", TODAY])
    out, err = capsys.readouterr()
    return status, out + err


def read(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def test_the_issues_example_matches_the_site(tmp_path, monkeypatch, capsys):
    """After `okrsite init`: owner 'Sam Lee' is sam, KPI 'Monthly gross churn' is
    gross-churn (no second KPI), team 'sales' is added to org.yaml: no data error."""
    init_site(tmp_path, monkeypatch)
    kpis_before = Path("goals/kpis.yaml").read_bytes()
    status, out = do_import(
        capsys,
        [
            "2026-Q4,sales,Keep every customer,Sam Lee,Cut churn from 4.2% to 3%,"
            "Monthly gross churn,4.2%,3%,4.0%"
        ],
    )
    assert status == 0, out
    assert "added team sales (sales, parent company)" in out
    assert not any("added person" in line or "added KPI" in line for line in out)
    okrs = read("goals/2026-Q4/sales.yaml")["objectives"][0]
    assert okrs["owner"] == "sam" and okrs["key_results"][0]["kpi"] == "gross-churn"
    assert Path("goals/kpis.yaml").read_bytes() == kpis_before
    org = read("goals/org.yaml")
    assert [p["id"] for p in org["people"]] == ["alex", "sam"]
    assert org["teams"][-1] == {"id": "sales", "name": "sales", "parent": "company"}
    assert validate(capsys)[0] == 0


def test_accents_case_separators_and_emails_match(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    org = site / "goals/org.yaml"
    org.write_text(
        org.read_text(encoding="utf-8")
        + "  - {id: jose, name: José Núñez, team: customer-success, email: jn@example.com}\n",
        encoding="utf-8",
    )
    status, out = do_import(
        capsys,
        [
            "2026-Q4,CUSTOMER_SUCCESS,Delight,jose nunez,Lift CSAT from 4.5 to 4.7,,4.5,4.7,4.6",
            "2026-Q4,customer success,Retain,JN@Example.com,Cut churn from 5% to 4%,"
            "monthly-gross-churn,5,4,",
        ],
    )
    assert status == 0, out
    objectives = read("goals/2026-Q4/customer-success.yaml")["objectives"]
    assert [o["owner"] for o in objectives] == ["jose", "jose"]
    assert objectives[1]["key_results"][0]["kpi"] == "gross-churn"
    assert not any(line.startswith("added") for line in out)  # nothing new
    assert validate(capsys)[0] == 0


def test_a_near_miss_is_added_with_a_did_you_mean(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys, ["2026-Q4,Customer Success,Win,Sam Le,Grow ARR from 1 to 2,,1,2,"]
    )
    assert status == 0
    assert (
        "note: okrs.csv: row 2: owner 'Sam Le' was added as sam-le; did you mean 'Sam Lee' (sam)?"
        in out
    )
    assert validate(capsys)[0] == 0


def test_unknown_people_and_teams_refused_with_the_fix(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    org_before = Path("goals/org.yaml").read_bytes()
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Sales,Win,Sam Lee,Grow ARR from 1 to 2,,1,2,",
            "2026-Q4,Customer Success,Keep,Sam Le,Grow NRR from 1 to 2,,1,2,",
            "2026-Q4,Customer Success,Keep more,Alex Doe,Grow NRR from 3 to 4,,3,4,",
        ],
        "--unknown",
        "refuse",
    )
    assert status == 1
    assert out[:2] == [
        "okrs.csv: row 2: team 'Sales' is no team of this site: add {id: ..., name: Sales} "
        "to goals/org.yaml or use --unknown add",
        "okrs.csv: row 3: owner 'Sam Le' is no person of this site; did you mean 'Sam Lee' "
        "(sam)?: add {id: ..., name: Sam Le} to goals/org.yaml or use --unknown add",
    ]
    assert Path("goals/org.yaml").read_bytes() == org_before  # the refused rows add nothing
    titles = [o["title"] for o in read("goals/2026-Q4/customer-success.yaml")["objectives"]]
    assert titles == ["Keep more"]


def test_a_name_two_people_share_asks_for_the_id(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    org = site / "goals/org.yaml"
    org.write_text(
        org.read_text(encoding="utf-8") + "  - {id: sam-2, name: SAM LEE, team: company}\n",
        encoding="utf-8",
    )
    status, out = do_import(capsys, ["2026-Q4,sales,Win,Sam Lee,Grow ARR from 1 to 2,,1,2,"])
    assert status == 1
    assert out[0] == (
        "okrs.csv: row 2: 'Sam Lee' names 2 of the person entries (sam, sam-2): write the id "
        "of the one meant"
    )


ORG_BY_HAND = """\
# Our organisation.   Edited by hand: keep these comments!
organization: Tiny Co   # the name

teams:
  # the root
  -   id: company
      name: Tiny Co
  - id: product       # product people
    name: Product
    parent: company
# more teams below, one day

people:
  - {id: maria, name: María López, team: product}   # lead

  # and a comment after the last person
kpis_note: null
"""


def test_org_yaml_keeps_every_line_byte_for_byte(tmp_path, monkeypatch, capsys):
    """New teams and people are lines added at the ends of their lists, in each list's
    style; everything else stays as it was, and the file loads."""
    init_site(tmp_path, monkeypatch)
    Path("goals/org.yaml").write_text(
        ORG_BY_HAND.replace("kpis_note: null\n", ""), encoding="utf-8", newline="\r\n"
    )
    for stale in [Path("goals/kpis.yaml"), *Path("goals").glob("2026-Q4/**/*.yaml")]:
        stale.unlink()  # init's goals name teams and people not in this org
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Sales,Win,Maria Lopez,Grow ARR from 1 to 2,,1,2,",
            "2026-Q4,Sales,Keep,Kim Park,Grow NRR from 1 to 2,,1,2,",
        ],
    )
    assert status == 0, out
    old = ORG_BY_HAND.replace("kpis_note: null\n", "").replace("\n", "\r\n")
    new = Path("goals/org.yaml").read_bytes().decode("utf-8")
    teams_end = old.index("# more teams")
    people_end = old.index("# lead\r\n") + len("# lead\r\n")
    assert new == (
        old[:teams_end]
        + "  - id: sales\r\n    name: Sales\r\n    parent: company\r\n"
        + old[teams_end:people_end]
        + "  - {id: kim-park, name: Kim Park, team: sales}\r\n"
        + old[people_end:]
    )
    load(Path("goals"))


def test_twice_changes_nothing_and_dry_run_writes_nothing(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    rows = ["2026-Q4,Sales,Win,Dana Cruz,Grow ARR from 1 to 2,Mid-market ARR,1,2,1.5"]
    dry_status, dry = do_import(capsys, rows, "--dry-run")
    assert dry_status == 0
    assert "would write goals/2026-Q4/sales.yaml (new)" in dry
    assert "would write goals/org.yaml (lines added)" in dry
    assert "would add person dana-cruz (Dana Cruz, team sales)" in dry
    assert "nothing was written (--dry-run)" in dry
    assert not Path("goals/2026-Q4/sales.yaml").exists()
    assert do_import(capsys, rows)[0] == 0
    before = {p: p.read_bytes() for p in Path("goals").rglob("*.yaml")}
    status, out = do_import(capsys, rows)  # no --force needed: nothing would change
    assert status == 0
    assert "unchanged goals/2026-Q4/sales.yaml" in out
    assert out[-1] == "nothing was written: the goal files hold what this sheet says already"
    assert {p: p.read_bytes() for p in Path("goals").rglob("*.yaml")} == before
    # a sheet that changes a file: shown by --dry-run, refused without --force
    changed = [rows[0].replace(",1.5", ",1.75")]
    assert (
        "would write goals/2026-Q4/sales.yaml (changed: needs --force)"
        in (do_import(capsys, changed, "--dry-run")[1])
    )
    status, out = do_import(capsys, changed)
    assert status == 2
    assert "goals/2026-Q4/sales.yaml" in "\n".join(out) and "use --force" in "\n".join(out)
    assert {p: p.read_bytes() for p in Path("goals").rglob("*.yaml")} == before
    assert do_import(capsys, changed, "--force")[0] == 0
    assert read("goals/2026-Q4/sales.yaml")["objectives"][0]["key_results"][0]["checkins"] == [
        {"date": __import__("datetime").date(2026, 12, 2), "value": 1.75}
    ]


def test_a_new_team_goes_under_its_team_parent(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Enterprise,Customer Success,Win,Sam Lee,Grow ARR from 1 to 2,,1,2,",
            "2026-Q4,Mid-market,Sales,Win,Sam Lee,Grow ARR from 3 to 4,,3,4,",
        ],
        header="period,team,team_parent,objective,owner,key_result,kpi,baseline,target,current",
    )
    assert status == 0, out
    teams = {t["id"]: t.get("parent") for t in read("goals/org.yaml")["teams"]}
    assert teams["enterprise"] == "customer-success"
    assert teams["sales"] == "company" and teams["mid-market"] == "sales"
    assert validate(capsys)[0] == 0


def test_the_sample_sheet_in_a_new_site_builds_strict(tmp_path, monkeypatch, capsys):
    """The guide's steps: init, import the sample, validate (no OKR205: every check-in
    is inside its period), mkdocs build --strict."""
    site = init_site(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["import", str(SAMPLE), "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert "0 rows could not be read" in out and "note:" not in out
    status, findings = validate(capsys)
    assert status == 0 and "OKR205" not in findings, findings
    org = read("goals/org.yaml")
    assert {"jose-nunez", "zoe-muller", "sam", "alex"} <= {p["id"] for p in org["people"]}
    build = subprocess.run(
        [ENGINE, "build", "--strict"], cwd=site, env=ENV, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    assert (site / "site/teams/mid-market-sales/index.html").is_file()


ORG_SHAPES = {
    "no people list": "organization: X\nteams:\n  - {id: company, name: X}\n",
    "a byte-order mark": "\ufeffteams:\n  - {id: company, name: X}\norganization: X\n",
    "no newline at the end": "organization: X\nteams:\n- id: company\n  name: X\npeople:\n- {id: a, "
    "name: A, team: company}",
    "lists inside items": "organization: X\nteams:\n  - id: company\n    name: X\n    waive:\n"
    "      OKR101: fine\npeople: # everyone\n  - id: a\n    name: A\n    team: company\n",
    "a flow list": "organization: X\nteams: [{id: company, name: X}]\npeople: []\n",
    "an empty flow list": "organization: X\nteams:\n  - {id: company, name: X}\npeople: []\n",
}


@pytest.mark.parametrize("text", ORG_SHAPES.values(), ids=ORG_SHAPES)
def test_org_yaml_of_any_shape_is_added_to_or_refused(tmp_path, monkeypatch, capsys, text):
    """Lines are added where that gives the old file and the new entries; where it
    cannot (a list written as [...]), the import says what to add by hand and writes
    nothing."""
    (tmp_path / "goals").mkdir()
    (tmp_path / "goals/org.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out = do_import(capsys, ["2026-Q4,Sales,Win,Kim Park,Grow ARR from 1 to 2,,1,2,"])
    new = Path("goals/org.yaml").read_text(encoding="utf-8")
    if "[" in text:
        assert status == 2 and new == text
        assert out[-3:] == [
            "okrsite: cannot add to org.yaml by adding lines (is a list written as [...] "
            "there?); nothing was written: add these by hand, then import again:",
            "  teams: - {id: sales, name: Sales, parent: company}",
            "  people: - {id: kim-park, name: Kim Park, team: sales}",
        ]
        assert not Path("goals/2026-Q4").exists()
    else:
        assert status == 0, out
        kept = [line for line in new.splitlines() if line in text.splitlines()]
        assert kept == text.splitlines()  # every old line, in its order
        org = load(Path("goals")).org
        assert org.people["kim-park"].team.id == "sales"
        assert org.teams["sales"].parent is org.teams["company"]


def test_import_help_reads_as_printed(capsys):
    assert main(["import", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "42% and 1,200" in text and "%%" not in text
    assert ", ".join(COLUMNS) in text  # every column the import reads, from the one list
    assert "required: period, team, objective, owner, key_result, baseline, target." in text


def test_a_teams_okr_file_of_another_name_is_the_one_refused_and_forced(
    tmp_path, monkeypatch, capsys
):
    """The team's OKRs of the period live in one file, whatever its name: the sheet's
    go there (with --force), never into a second file beside it."""
    init_site(tmp_path, monkeypatch)
    Path("goals/2026-Q4/company.yaml").rename("goals/2026-Q4/company-okrs.yaml")
    rows = ["2026-Q4,Company,Win,Alex Doe,Grow ARR from 1 to 2,,1,2,"]
    status, out = do_import(capsys, rows)
    assert (
        status == 2
        and "  goals/2026-Q4/company-okrs.yaml (--force drops 1 objective this sheet does not have)"
        in out
    )
    # --force would drop init's objective, which sam's goal supports: the goals folder
    # it would leave does not load, so nothing is written and the goal is named
    status, out = do_import(capsys, rows, "--force")
    assert status == 2 and any("goals/2026-Q4/people/sam.yaml" in line for line in out)
    assert not Path("goals/2026-Q4/company.yaml").exists()
    assert read("goals/2026-Q4/company-okrs.yaml")["objectives"][0]["id"] == "retention"
    # without the goal on it, the sheet wins, in the file the team's OKRs are in
    Path("goals/2026-Q4/people/sam.yaml").unlink()
    assert do_import(capsys, rows, "--force")[0] == 0
    assert not Path("goals/2026-Q4/company.yaml").exists()
    assert read("goals/2026-Q4/company-okrs.yaml")["objectives"][0]["title"] == "Win"


def test_a_goal_file_asks_only_for_what_the_sheet_left_out(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    header = HEADER + ",goal,goal_owner,goal_metric,goal_baseline,goal_target,goal_achievable"
    row = "2026-Q4,sales,Win the mid-market,Sam Lee,Sign 30 customers,,0,30,4,"
    full = row + "Call 40 leads a week,Ana Ruiz,Calls a week,10,40,Did 35 in October"
    bare = row + "Close the Hansen deal,Bo Lind,,,,"
    status, _out = do_import(capsys, [full, bare], header=header)
    assert status == 0
    ana = Path("goals/2026-Q4/people/ana-ruiz.yaml").read_text(encoding="utf-8")
    bo = Path("goals/2026-Q4/people/bo-lind.yaml").read_text(encoding="utf-8")
    assert "# Add" not in ana
    assert "# Add metric, baseline, target, achievable where missing" in bo
