"""`okrsite import`: 'current' values become check-ins dated inside their period, in the
key result of their row (two key results of one title included), and rows with one
kr_id add check-ins and goals to one key result, as `okrsite export csv` writes them.
Each sheet goes through the real command line into an empty goals folder in tmp_path,
and what is written is loaded by the real loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from okrsite.commands.cli import main
from okrsite.source.loader import load

HEADER = "period,team,objective,owner,key_result,baseline,target,date,current,confidence"


def imported(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[str],
    today: str,
    header: str = HEADER,
) -> tuple[int, list[str], dict]:
    """Import ``rows`` on ``today``: (status, the problem lines, the sales OKR file)."""
    sheet = tmp_path / "s.csv"
    sheet.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    goals = tmp_path / "goals"
    status = main(["import", str(sheet), "--goals-dir", str(goals), "--today", today])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    problems = [line.removeprefix("s.csv: ") for line in out.splitlines() if "s.csv: " in line]
    okrs: dict = {}
    path = next(goals.glob("*/sales.yaml"), None)
    if path is not None:
        load(goals)  # every file written loads and validates
        okrs = yaml.safe_load(path.read_text(encoding="utf-8"))
    return status, problems, okrs


def checkins(okrs: dict) -> list[list[dict]]:
    return [kr.get("checkins", []) for o in okrs["objectives"] for kr in o["key_results"]]


DATED = {
    # today inside the period: the check-in is today's
    "running": ("2026-Q3", "", "2026-08-10", date(2026, 8, 10)),
    # the period ended: its last day
    "ended": ("2026-Q3", "", "2026-11-22", date(2026, 9, 30)),
    # the date column wins, inside the period and not after today
    "dated": ("2026-Q3", "2026-07-15", "2026-11-22", date(2026, 7, 15)),
    "a half-year": ("2026-H1", "", "2026-11-22", date(2026, 6, 30)),
}


@pytest.mark.parametrize(("period", "cell", "today", "expected"), DATED.values(), ids=DATED)
def test_current_is_a_checkin_inside_the_period(tmp_path, capsys, period, cell, today, expected):
    rows = [f"{period},Sales,Win,Ann,Grow ARR from 1 to 2,1,2,{cell},1.5,0.7"]
    status, problems, okrs = imported(tmp_path, capsys, rows, today)
    assert (status, problems) == (0, [])
    assert checkins(okrs) == [[{"date": expected, "value": 1.5, "confidence": 0.7}]]


REFUSED = {
    "a period not started": (
        "2027-Q1,",
        "row 2: 2027-Q1 starts on 2027-01-01, after today (2026-11-22): current would be a "
        "check-in in the future; clear current (and import it once the period has started)",
    ),
    "a date outside the period": (
        "2026-Q3,2026-10-01",
        "row 2: date 2026-10-01 is outside 2026-Q3 (2026-07-01 to 2026-09-30): a check-in is "
        "dated inside its period",
    ),
    "a date after today": (
        "2026-Q4,2026-11-23",
        "row 2: date 2026-11-23 is after today (2026-11-22): a check-in records a value "
        "measured already",
    ),
    "not a date": (
        "2026-Q4,23/11/2026",
        "row 2: date '23/11/2026' is not a date: write YYYY-MM-DD (or DD.MM.YYYY)",
    ),
}


@pytest.mark.parametrize(("cells", "problem"), REFUSED.values(), ids=REFUSED)
def test_checkins_that_cannot_be_are_refused_with_why(tmp_path, capsys, cells, problem):
    period, day = cells.split(",")
    rows = [f"{period},Sales,Win,Ann,Grow ARR from 1 to 2,1,2,{day},1.5,"]
    status, problems, okrs = imported(tmp_path, capsys, rows, "2026-11-22")
    assert (status, problems, okrs) == (1, [problem], {})


def test_a_period_not_started_takes_key_results_without_current(tmp_path, capsys):
    rows = ["2027-Q1,Sales,Win,Ann,Grow ARR from 1 to 2,1,2,,,"]
    status, problems, okrs = imported(tmp_path, capsys, rows, "2026-11-22")
    assert (status, problems, checkins(okrs)) == (0, [], [[]])


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (
            "2026-08-01,,0.5",
            "row 2: date, confidence given but no current: write the value "
            "measured in the current column (or clear those cells)",
        ),
        (
            ",1.5,1.5",
            "row 2: confidence '1.5' is not between 0 and 1 (write 0.7 for 70% sure "
            "of hitting the target)",
        ),
    ],
)
def test_checkin_cells_without_a_checkin_are_refused(tmp_path, capsys, cells, problem):
    rows = [f"2026-Q3,Sales,Win,Ann,Grow ARR from 1 to 2,1,2,{cells}"]
    assert imported(tmp_path, capsys, rows, "2026-08-10")[1] == [problem]


def test_two_key_results_of_one_title_keep_their_own_checkins(tmp_path, capsys):
    """The check-in of each row lands in that row's key result (it used to be found by
    title: both under the second, and a file with 'checkins' twice)."""
    rows = [
        "2026-Q3,Sales,Win,Ann,Grow ARR,1,2,2026-07-10,1.5,",
        ",,,,Grow ARR,3,4,2026-07-11,3.5,",
    ]
    status, problems, okrs = imported(tmp_path, capsys, rows, "2026-08-10")
    assert (status, problems) == (0, [])
    krs = okrs["objectives"][0]["key_results"]
    assert [(kr["id"], kr["baseline"]) for kr in krs] == [("grow-arr", 1), ("grow-arr-2", 3)]
    assert checkins(okrs) == [
        [{"date": date(2026, 7, 10), "value": 1.5}],
        [{"date": date(2026, 7, 11), "value": 3.5}],
    ]


ROUND_TRIP = (
    "period,team,objective_id,objective,aligns_to,owner,kr_id,key_result,baseline,target,"
    "unit,date,current,confidence,goal_id,goal,goal_owner,goal_unit"
)


def test_rows_of_one_kr_id_add_checkins_and_goals(tmp_path, capsys):
    """One row per check-in, as the export writes them: the key result's cells repeated
    or blank, goals on its rows; ids kept as given."""
    rows = [
        "2026-Q3,sales,win,Win the market,company/grow,ann,arr,Grow ARR,1,2,%,2026-07-06,"
        "1.2,0.5,calls,Call 30 leads,bo,calls",
        "2026-Q3,sales,win,Win the market,,ann,arr,Grow ARR,1,2,%,2026-07-20,1.4,0.6,,,,",
        "2026-Q3,sales,win,Win the market,,ann,arr,,,,,2026-08-03,1.6,,demo,Run 5 demos,bo,",
    ]
    status, problems, okrs = imported(
        tmp_path,
        capsys,
        [*rows, "2026-Q3,company,grow,Grow,,ann,nrr,Grow NRR,1,2,,,,,,,,"],
        "2026-08-10",
        header=ROUND_TRIP,
    )
    assert (status, problems) == (0, [])
    (obj,) = okrs["objectives"]
    assert (obj["id"], obj["aligns_to"]) == ("win", "company/grow")
    (kr,) = obj["key_results"]
    assert (kr["id"], kr["unit"]) == ("arr", "%")
    assert [c["value"] for c in kr["checkins"]] == [1.2, 1.4, 1.6]
    bo = yaml.safe_load((tmp_path / "goals/2026-Q3/people/bo.yaml").read_text(encoding="utf-8"))
    assert [(g["id"], g["supports"], g.get("unit")) for g in bo["goals"]] == [
        ("calls", "sales/win/arr", "calls"),
        ("demo", "sales/win/arr", None),
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "2026-Q3,sales,win,Win the market,,ann,arr,Grow ARR,1,3,,,,,,,,",
            "row 3: target '3' differs from key result arr's on row 2: a row that adds to a "
            "key result leaves its cells blank or the same",
        ),
        (
            "2026-Q3,sales,win,Win the market,,ann,nrr,,,,,,,,,,,",
            "row 3: no key_result, baseline, target, and kr_id nrr is no key result read "
            "above in this objective: write the key result's cells on its first row",
        ),
        (
            "2026-Q3,sales,Win,Win the market,,ann,arr,Grow ARR,1,2,,,,,,,,",
            "row 3: objective_id 'Win' is not an id: lowercase letters, digits and '-', "
            "starting with a letter or digit, at most 80 characters (or leave it blank for "
            "an id made from the title)",
        ),
        (
            "2026-Q3,sales,win,Win the market,company grow,ann,arr,Grow ARR,1,2,,,,,,,,",
            "row 3: aligns_to 'company grow' is not a reference: write team/objective or "
            "team/objective/kr, optionally after a period (2026-Q3/company/retention)",
        ),
    ],
)
def test_kr_id_rows_that_contradict_are_refused(tmp_path, capsys, row, problem):
    first = "2026-Q3,sales,win,Win the market,,ann,arr,Grow ARR,1,2,,2026-07-06,1.2,,,,,"
    status, problems, okrs = imported(tmp_path, capsys, [first, row], "2026-08-10", ROUND_TRIP)
    assert (status, problems) == (1, [problem])
    assert checkins(okrs) == [[{"date": date(2026, 7, 6), "value": 1.2}]]


def test_an_undated_value_imported_again_keeps_its_day(tmp_path, capsys):
    """The same sheet a week later changes nothing: an undated 'current' whose value the
    key result has already keeps the day it was first imported on; a new value is
    dated the new day."""
    rows = ["2026-Q4,Sales,Win,Ann,Grow ARR from 1 to 2,1,2,,1.5,"]
    first = imported(tmp_path, capsys, rows, "2026-11-10")[2]
    written = {p: p.read_bytes() for p in (tmp_path / "goals").rglob("*.yaml")}
    status, problems, again = imported(tmp_path, capsys, rows, "2026-11-17")
    assert (status, problems, again) == (0, [], first)
    assert {p: p.read_bytes() for p in (tmp_path / "goals").rglob("*.yaml")} == written
    moved = [rows[0].replace(",1.5,", ",1.6,")]
    assert imported(tmp_path, capsys, moved, "2026-11-17")[0] == 2  # a change: --force
    sheet = tmp_path / "s.csv"
    goals = str(tmp_path / "goals")
    assert (
        main(["import", str(sheet), "--goals-dir", goals, "--today", "2026-11-17", "--force"]) == 0
    )
    okrs = yaml.safe_load((tmp_path / "goals/2026-Q4/sales.yaml").read_text(encoding="utf-8"))
    assert checkins(okrs) == [[{"date": date(2026, 11, 17), "value": 1.6}]]
