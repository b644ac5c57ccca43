"""`okrsite import` after a review: what a sheet cannot carry is never lost. A person's
goal file with a private goal (or check-ins, a status, waivers) is never rewritten, not
even with --force; two planned files never share a path, nor replace a file of another
team or person; a column (or its cells) that may mark goals private refuses the sheet,
in whatever language; a file written at another depth keeps its $schema line right.
Every site is made by `okrsite init` in tmp_path and imported through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from okrsite.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "assets" / "sample-okrs.csv"
TODAY = "2026-12-02"
KIM = Path("goals/2026-Q3/people/kim-park.yaml")


def empty_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site made by `okrsite init --empty`, as the current folder."""
    assert main(["init", str(tmp_path / "site"), "--today", TODAY, "--empty"]) == 0
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def run_import(capsys: pytest.CaptureFixture[str], sheet: Path | str, *args: str):
    """`okrsite import SHEET` into the current folder's site: (status, output)."""
    capsys.readouterr()
    status = main(["import", str(sheet), "--today", TODAY, *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out + err


def sample_with(old: str, new: str) -> Path:
    """The sample sheet with one text changed, written to the current folder."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    Path("changed.csv").write_text(text.replace(old, new), encoding="utf-8")
    return Path("changed.csv")


def snapshot() -> dict[str, bytes]:
    return {p.as_posix(): p.read_bytes() for p in sorted(Path("goals").rglob("*")) if p.is_file()}


def edit_goal(path: Path, extra: str) -> None:
    """Add ``extra`` lines (indented as the goal's keys) to the file's first goal."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")


# --- 1: a person's goal file with what a row cannot carry is never rewritten ---------


def test_force_never_publishes_a_private_goal(tmp_path, monkeypatch, capsys):
    """The reviewer's s7: the goal made private in its file; the sheet changes its
    baseline; --force leaves the file as it is and reports the row (counts only)."""
    empty_site(tmp_path, monkeypatch)
    assert run_import(capsys, SAMPLE)[0] == 0
    edit_goal(KIM, "    visibility: private\n")
    before = KIM.read_bytes()
    sheet = sample_with("Median handle time,11,8", "Median handle time,12,8")
    for args in ((), ("--force",)):
        status, out = run_import(capsys, sheet, *args)
        assert KIM.read_bytes() == before
        assert "visibility: private" in KIM.read_text(encoding="utf-8")
        assert (
            "goals/2026-Q3/people/kim-park.yaml holds 1 private goal that a row cannot "
            "carry: importing would publish or drop it; change those goals in the file "
            "itself" in out
        )
        assert "Write reply macros" not in out  # a private goal's title is never shown
    assert status != 0
    # not "the goal files hold what this sheet says already": a row was refused
    assert "rows that would change anything were not imported" in out
    # the rest was imported: the OKR files are the sheet's
    assert "Median handle time" not in Path("goals/2026-Q3/support.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("    status: done\n", "1 goal with a status"),
        (
            "    checkins:\n      - {date: 2026-08-01, value: 10}\n",
            "1 goal with check-ins",
        ),
        ("    waive: {goal-not-measurable: agreed}\n", "1 goal with waivers"),
    ],
)
def test_force_never_drops_what_a_row_cannot_carry(tmp_path, monkeypatch, capsys, extra, said):
    empty_site(tmp_path, monkeypatch)
    assert run_import(capsys, SAMPLE)[0] == 0
    edit_goal(KIM, extra)
    before = KIM.read_bytes()
    sheet = sample_with("Median handle time,11,8", "Median handle time,12,8")
    status, out = run_import(capsys, sheet, "--force")
    assert KIM.read_bytes() == before
    assert f"kim-park.yaml holds {said} that a row cannot carry" in out
    assert status != 0


def test_private_and_checkins_are_both_counted(tmp_path, monkeypatch, capsys):
    empty_site(tmp_path, monkeypatch)
    assert run_import(capsys, SAMPLE)[0] == 0
    edit_goal(
        KIM, "    visibility: private\n    checkins:\n      - {date: 2026-08-01, value: 10}\n"
    )
    sheet = sample_with("Median handle time,11,8", "Median handle time,12,8")
    _status, out = run_import(capsys, sheet, "--force")
    assert "holds 1 private goal (and 1 with check-ins) that a row cannot carry" in out


# --- 2: two files never on one path, nor over another owner's file --------------------

TWO_TEAMS = (
    "period,team,objective,owner,key_result,baseline,target\n"
    "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut alpha bugs,10,5\n"
    "2026-Q3,Beta,Ship beta,Bo Berg,Cut beta bugs,10,5\n"
)


def test_a_renamed_team_file_is_not_overwritten_by_another_team(tmp_path, monkeypatch, capsys):
    """The reviewer's s5: alpha's OKR file renamed beta.yaml; the import would write
    beta's OKRs there (and alpha's too): refused, --force or not, nothing written."""
    empty_site(tmp_path, monkeypatch)
    Path("t5.csv").write_text(TWO_TEAMS, encoding="utf-8")
    assert run_import(capsys, "t5.csv")[0] == 0
    Path("goals/2026-Q3/alpha.yaml").rename("goals/2026-Q3/beta.yaml")
    before = snapshot()
    status, out = run_import(capsys, "t5.csv", "--force")
    assert snapshot() == before
    assert status != 0
    assert "goals/2026-Q3/beta.yaml" in out
    assert "team alpha" in out and "team beta" in out


def test_a_file_named_otherwise_only_by_case_is_not_overwritten(tmp_path, monkeypatch, capsys):
    """alpha's OKR file as Beta.yaml: on a disk that ignores case (macOS, Windows) beta's
    OKRs would land on it; refused on every disk."""
    empty_site(tmp_path, monkeypatch)
    Path("t5.csv").write_text(TWO_TEAMS, encoding="utf-8")
    assert run_import(capsys, "t5.csv")[0] == 0
    Path("goals/2026-Q3/beta.yaml").unlink()
    Path("goals/2026-Q3/alpha.yaml").rename("goals/2026-Q3/Beta.yaml")
    before = snapshot()
    status, out = run_import(capsys, "t5.csv", "--force")
    assert snapshot() == before and status != 0
    assert "team alpha" in out and "team beta" in out


def test_a_private_goal_file_is_not_replaced_by_a_teams_okrs(tmp_path, monkeypatch, capsys):
    """The reviewer's s4: a person's goal file where Support's OKR file would go."""
    empty_site(tmp_path, monkeypatch)
    assert run_import(capsys, SAMPLE)[0] == 0
    Path("goals/2026-Q3/support.yaml").write_text(
        "period: 2026-Q3\nowner: dana-cruz\ngoals:\n"
        "  - {id: quiet, title: Find a new job, visibility: private}\n",
        encoding="utf-8",
    )
    before = snapshot()
    status, out = run_import(capsys, SAMPLE, "--force")
    assert snapshot() == before
    assert status != 0
    assert "goals/2026-Q3/support.yaml" in out and "a person's goal file" in out
    assert "dana" not in out


# --- 6: a column that may mark goals private, in any language --------------------------


@pytest.mark.parametrize(
    "header",
    [
        "privateGoal",
        "Privé",
        "Privat",
        "Internal only",
        "Restricted",
        "Audience",
        "Personal",
        "Vertraulich",
        "Sichtbarkeit",
        "Confidencial",
        "非公開",
    ],
)
def test_a_privacy_column_refuses_the_sheet(tmp_path, monkeypatch, capsys, header):
    empty_site(tmp_path, monkeypatch)
    Path("p.csv").write_text(
        f"period,team,objective,owner,key_result,baseline,target,{header}\n"
        "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut alpha bugs,10,5,\n",
        encoding="utf-8",
    )
    before = snapshot()
    status, out = run_import(capsys, "p.csv", "--force")
    assert status != 0 and snapshot() == before
    assert "visibility: private" in out


@pytest.mark.parametrize(
    "value", ["private", "Confidential", "privat", "Privé", "privado", "vertraulich", "SECRET"]
)
def test_an_unread_column_of_private_cells_refuses_the_sheet(tmp_path, monkeypatch, capsys, value):
    empty_site(tmp_path, monkeypatch)
    Path("p.csv").write_text(
        "period,team,objective,owner,key_result,baseline,target,Flag\n"
        "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut alpha bugs,10,5,\n"
        f"2026-Q3,Alpha,Ship alpha,Ann Ames,Cut more bugs,10,5,{value}\n",
        encoding="utf-8",
    )
    before = snapshot()
    status, out = run_import(capsys, "p.csv", "--force")
    assert status != 0 and snapshot() == before
    assert "'Flag'" in out and "row 3" in out


def test_a_column_without_a_header_marking_private_refuses_the_sheet(tmp_path, monkeypatch, capsys):
    empty_site(tmp_path, monkeypatch)
    Path("p.csv").write_text(
        "period,team,objective,owner,key_result,baseline,target,,Notes\n"
        "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut alpha bugs,10,5,,a long note that says secret\n"
        "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut more bugs,10,5,Privé,,vertraulich\n",
        encoding="utf-8",
    )
    status, out = run_import(capsys, "p.csv", "--force")
    assert status != 0 and not Path("goals/2026-Q3").exists()
    assert "column H (no header)" in out and "row 3 says 'Privé'" in out


def test_a_header_without_latin_letters_is_named_as_not_read(tmp_path, monkeypatch, capsys):
    empty_site(tmp_path, monkeypatch)
    Path("p.csv").write_text(
        "period,team,objective,owner,key_result,baseline,target,备注,x\u202ey\n"
        "2026-Q3,Alpha,Ship alpha,Ann Ames,Cut alpha bugs,10,5,好,\n",
        encoding="utf-8",
    )
    status, out = run_import(capsys, "p.csv")
    assert status == 0
    assert "not read: columns '备注', 'x\\u202ey'" in out


# --- 7(d): the $schema line fits the file's depth -------------------------------------


def test_schema_line_fits_a_file_at_another_depth(tmp_path, monkeypatch, capsys):
    empty_site(tmp_path, monkeypatch)
    assert run_import(capsys, SAMPLE)[0] == 0
    Path("goals/2026-Q3/teams").mkdir()
    Path("goals/2026-Q3/support.yaml").rename("goals/2026-Q3/teams/support.yaml")
    Path("goals/2026-Q3/people/kim-park.yaml").rename("goals/2026-Q3/kim-park.yaml")
    sheet = sample_with("Median handle time,11,8", "Median handle time,12,8")
    assert run_import(capsys, sheet, "--force")[0] == 0
    okrs = Path("goals/2026-Q3/teams/support.yaml").read_text(encoding="utf-8")
    goals = Path("goals/2026-Q3/kim-park.yaml").read_text(encoding="utf-8")
    assert "$schema=../../.schemas/okrs.schema.json\n" in okrs
    assert "$schema=../.schemas/goals.schema.json\n" in goals
    assert yaml.safe_load(goals)["goals"][0]["baseline"] == 12
    assert not Path("goals/2026-Q3/support.yaml").exists()
