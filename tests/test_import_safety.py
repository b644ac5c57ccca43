"""`okrsite import` never loses or leaks what a site holds, whatever the sheet and the
goals folder: a linked goals folder, an organisation or KPI file that does not read,
a person's goal file with goals the sheet does not have (private ones above all), a
column that marks goals private, planned files the loader would refuse, a header no
CSV reader takes, and sheets too large to read. Every site is made by `okrsite init`
in tmp_path and imported through the real command line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_import_site import HEADER, do_import, init_site, validate

from okrsite.commands import importsheet
from okrsite.commands.cli import main
from okrsite.commands.importsheet import read_sheet
from okrsite.limits import MAX_FILE_BYTES, MAX_SHEET_COLUMNS
from okrsite.source.folder import LINKED_GOALS

ROW = "2026-Q4,Sales,Win more deals,Sam Lee,Close 10 deals,,2,10,"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links not followed) and its bytes."""
    out = {}
    for here, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(here) / name
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


# --- 1. a linked goals folder -------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--force"], ["--dry-run"]])
def test_a_linked_goals_folder_is_refused_and_nothing_written(tmp_path, monkeypatch, capsys, extra):
    site = init_site(tmp_path, monkeypatch)
    outside = tmp_path / "outside"
    shutil.move(site / "goals", outside)
    (site / "goals").symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    status, out = do_import(capsys, [ROW], *extra)
    assert status != 0
    assert any(LINKED_GOALS in line for line in out), out
    assert not any(line.startswith("would write") for line in out)
    assert snapshot(outside) == before


def test_a_goals_folder_inside_a_linked_folder_is_refused(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    real = tmp_path / "real"
    real.mkdir()
    shutil.move(site / "goals", real / "goals")
    (site / "sub").symlink_to(real, target_is_directory=True)
    before = snapshot(real)
    capsys.readouterr()
    Path("okrs.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    status = main(["import", "okrs.csv", "--goals-dir", "sub/goals", "--today", "2026-12-02"])
    out = "".join(capsys.readouterr())
    assert status != 0 and "link" in out, out
    assert snapshot(real) == before


# --- 2. an organisation or KPI file that does not read -----------------------------


BROKEN = {
    "syntax": lambda text: text + "teams: [unclosed\n",
    "not utf-8": lambda text: "# caf\udce9\n" + text,
    "two documents": lambda text: text + "---\n",
    "over the limit": lambda text: text + "#" * MAX_FILE_BYTES + "\n",
}


@pytest.mark.parametrize("kind", ["org", "kpis"])
@pytest.mark.parametrize("how", sorted(BROKEN))
def test_an_org_or_kpi_file_that_does_not_read_stops_the_import(
    tmp_path, monkeypatch, capsys, kind, how
):
    init_site(tmp_path, monkeypatch)
    path = Path(f"goals/{kind}.yaml")
    text = BROKEN[how](path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    before = snapshot(Path("goals"))
    status, out = do_import(capsys, [ROW, "2026-Q4,Sales,Win,Sam Lee,NPS up,New KPI,1,2,"])
    assert status != 0
    expected = (
        f"goals/{kind}.yaml has errors, so okrsite cannot tell who or what is in it: run "
        "okrsite validate, fix them, then import again"
    )
    assert any(expected in line for line in out), out
    status, out = do_import(capsys, [ROW], "--force")
    assert status != 0 and any(expected in line for line in out), out
    assert snapshot(Path("goals")) == before


def test_no_new_org_yaml_over_a_file_of_that_name(tmp_path, monkeypatch, capsys):
    """A site whose org.yaml holds something else (the KPIs): import does not start an
    organisation file over it, --force or not."""
    init_site(tmp_path, monkeypatch)
    Path("goals/org.yaml").unlink()
    Path("goals/kpis.yaml").rename("goals/org.yaml")
    before = snapshot(Path("goals"))
    status, out = do_import(capsys, [ROW], "--force")
    assert status != 0
    assert any("goals/org.yaml is not the organisation file" in line for line in out), out
    assert snapshot(Path("goals")) == before


# --- 3. a person's goal file with goals the sheet does not have ---------------------

PRIVATE_GOAL = (
    "  - id: berlin-move\n    title: Move to the Berlin office\n"
    "    supports: company/retention/nps\n    visibility: private\n"
)
GOAL_HEADER = HEADER + ",goal,goal_owner"


def test_a_goal_file_with_goals_not_in_the_sheet_is_never_overwritten(
    tmp_path, monkeypatch, capsys
):
    init_site(tmp_path, monkeypatch)
    sam = Path("goals/2026-Q4/people/sam.yaml")
    sam.write_text(sam.read_text(encoding="utf-8") + PRIVATE_GOAL, encoding="utf-8")
    before = sam.read_bytes()
    _status, out = do_import(
        capsys, [ROW + ",Call ten customers,Sam Lee"], "--force", header=GOAL_HEADER
    )
    expected = (
        "goals/2026-Q4/people/sam.yaml holds 2 goals this sheet does not have, 1 of them "
        "private: importing would delete them; add this sheet's goals to that file by hand, "
        "or remove the file first"
    )
    assert any(line.startswith("okrs.csv: row 2") and expected in line for line in out), out
    text = "\n".join(out)
    assert "Berlin" not in text and "berlin-move" not in text
    assert sam.read_bytes() == before
    assert Path("goals/2026-Q4/sales.yaml").is_file()  # the rest is imported
    assert validate(capsys)[0] == 0


def test_a_goal_file_that_does_not_read_is_never_overwritten(tmp_path, monkeypatch, capsys):
    """What a broken goal file holds cannot be told (a private goal?): no import writes
    it anew, not even with --force; validate names what to fix."""
    init_site(tmp_path, monkeypatch)
    sam = Path("goals/2026-Q4/people/sam.yaml")
    sam.write_text(sam.read_text(encoding="utf-8") + PRIVATE_GOAL + "    target: lots\n", "utf-8")
    before = snapshot(Path("goals"))
    status, out = do_import(
        capsys, [ROW + ",Call ten customers,Sam Lee"], "--force", header=GOAL_HEADER
    )
    assert status != 0
    expected = "goals/2026-Q4/people/sam.yaml has errors, so okrsite cannot tell who or what"
    assert any(expected in line for line in out), out
    assert "Berlin" not in "\n".join(out)
    assert snapshot(Path("goals")) == before


def test_dropping_objectives_of_an_okr_file_is_said_before_force(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    assert do_import(capsys, [ROW])[0] == 0
    status, out = do_import(capsys, ["2026-Q4,Sales,Grow,Sam Lee,Win 5 deals,,1,5,"])
    assert status != 0
    listed = "goals/2026-Q4/sales.yaml (--force drops 1 objective this sheet does not have)"
    assert any(line.endswith(listed) for line in out), out


# --- 4. columns the import does not read ---------------------------------------------


def test_columns_not_read_are_named(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(capsys, [ROW + ",x,y"], header=HEADER + ",Notes,Budget")
    assert status == 0, out
    assert [line for line in out if "not read" in line] == [
        "note: okrs.csv: not read: columns 'Notes', 'Budget'"
    ]


@pytest.mark.parametrize("column", ["visibility", "Private", "Goal Visibility", "confidential"])
def test_a_column_that_marks_goals_private_refuses_the_import(
    tmp_path, monkeypatch, capsys, column
):
    init_site(tmp_path, monkeypatch)
    before = snapshot(Path("goals"))
    status, out = do_import(
        capsys, [ROW + ",A secret plan,Sam Lee,private"], header=GOAL_HEADER + "," + column
    )
    assert status != 0
    expected = (
        f"column '{column}' is not read by okrsite import: the goals it marks would be "
        "published as public; import the sheet without it and mark private goals in their "
        "files with `visibility: private` (see the file format)"
    )
    assert any(expected in line for line in out), out
    assert snapshot(Path("goals")) == before


# --- 6. the safety net: the planned folder is loaded before anything is written ------


def test_an_aligns_to_the_loader_refuses_is_not_written(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    before = snapshot(Path("goals"))
    header = HEADER + ",aligns_to"
    for extra in (["--dry-run"], []):
        status, out = do_import(capsys, [ROW + ",company/nothing-here"], *extra, header=header)
        assert status != 0
        assert any(line.startswith("  goals/2026-Q4/sales.yaml:") for line in out), out
        assert any("nothing was written" in line for line in out), out
    assert snapshot(Path("goals")) == before


def test_a_team_chain_deeper_than_the_loader_takes_is_not_written(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    before = snapshot(Path("goals"))
    rows = [f"2026-Q4,T{n},Obj,Sam Lee,KR,,1,2,,T{n - 1}" for n in range(2, 40)]
    status, out = do_import(
        capsys, ["2026-Q4,T1,Obj,Sam Lee,KR,,1,2,,", *rows], header=HEADER + ",team_parent"
    )
    assert status != 0
    assert any("nothing was written" in line for line in out), out
    assert snapshot(Path("goals")) == before


# --- 7. a header no CSV reader takes -------------------------------------------------


def test_a_long_header_line_is_a_message(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    header = HEADER.replace(",", ";") + ";" + "x" * 140_000
    status, out = do_import(capsys, [ROW.replace(",", ";")], header=header)
    assert status != 0
    assert len([line for line in out if line.startswith("okrsite:")]) == 1, out


# --- 14. bounded input ---------------------------------------------------------------


def test_a_sheet_over_the_size_limit_is_refused(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    monkeypatch.setattr(importsheet, "MAX_SHEET_BYTES", 1000)
    status, out = do_import(capsys, [ROW] * 30)
    assert status != 0 and any("1,000 bytes" in line for line in out), out


def test_a_sheet_over_the_row_limit_is_refused(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    monkeypatch.setattr(importsheet, "MAX_SHEET_ROWS", 10)
    status, out = do_import(capsys, [ROW] * 30)
    assert status != 0 and any("10 rows" in line for line in out), out


def test_blank_rows_are_not_kept_and_columns_are_capped(tmp_path):
    path = tmp_path / "s.csv"
    wide = "," * (MAX_SHEET_COLUMNS * 3)
    path.write_text(f"{HEADER}\n{wide}\n{wide}\n{ROW}\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert [number for number, _line, _cells in sheet.body] == [4]
    assert all(len(cells) <= MAX_SHEET_COLUMNS for _n, _l, cells in sheet.body)


def test_a_wide_xlsx_reads_only_the_capped_columns(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(ROW.split(","))
    sheet.cell(row=3, column=MAX_SHEET_COLUMNS * 5, value="far away")
    book.save(tmp_path / "s.xlsx")
    read = read_sheet(tmp_path / "s.xlsx")
    assert all(len(cells) <= MAX_SHEET_COLUMNS for _n, _l, cells in read.body)
    assert [number for number, _line, _cells in read.body] == [2]
