"""Hostile and messy spreadsheets for `okrsite import`: each one gets the exact ids
written, the exact problem line with its row number, or the exact one-line refusal;
and whatever import writes is loaded by the real loader (okrsite.source.loader.load), which
must accept it: import never writes a file okrsite then rejects.

Every sheet goes through the real command (okrsite.commands.cli.main) into tmp_path.
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
import yaml

from okrsite.commands import importrows
from okrsite.commands.cli import main
from okrsite.commands.yamlwrite import flow, scalar, slug
from okrsite.limits import MAX_MARKDOWN, MAX_TITLE, MAX_UNIT
from okrsite.source.fileformat import ID_MAX, ID_PATTERN
from okrsite.source.loader import load
from okrsite.source.yamlsafe import parse

HEADER = "period,team,objective,owner,key_result,baseline,target,unit,kpi,kr_owner,current"
GOAL_HEADER = (
    "period,team,objective,owner,key_result,baseline,target,goal,goal_owner,goal_metric,"
    "goal_baseline,goal_target,goal_due,goal_achievable"
)
OK_ROW = "2026-Q3,Sales,Win,Ann,Grow ARR,1,2"
TODAY = "2026-08-01"
WROTE_NOTHING = "nothing was written: fix the rows above and import again"


def run_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, name: str = "s.csv"
) -> tuple[int, list[str], str, Path]:
    """Import ``content`` as the sheet ``name``: (exit status, the problem lines, stderr,
    the goals folder)."""
    sheet = tmp_path / name
    if isinstance(content, str):
        sheet.write_bytes(content.encode("utf-8"))
    else:
        sheet.write_bytes(content)
    goals = tmp_path / "goals"
    status = main(["import", str(sheet), "--goals-dir", str(goals), "--today", TODAY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    problems = [line for line in out.splitlines() if line.startswith(f"{name}: ")]
    return status, problems, err, goals


def loads(goals: Path) -> dict[str, dict]:
    """Load the goals folder with the real loader (a DataError fails the test), and
    return every written file's YAML by its path relative to the folder."""
    load(goals)
    return {
        str(p.relative_to(goals)): yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted(goals.rglob("*.yaml"))
    }


def shown(cell: str) -> str:
    """A cell as our messages show it: like repr, cut after 40 characters."""
    return repr(cell) if len(cell) <= 40 else f"{cell[:40]!r}... ({len(cell):,} characters)"


def cell(text: str) -> str:
    """A CSV cell holding exactly ``text``."""
    return '"' + text.replace('"', '""') + '"'


def sheet(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


# --- 1. ids: distinct whatever the script, readable where possible -------------------


def test_names_in_scripts_without_ascii_stay_distinct(tmp_path, capsys):
    # Both teams, both people and both objectives used to become 'item': one team and
    # one person vanished and the other objective changed owner, with exit 0.
    status, problems, _err, goals = run_import(
        tmp_path,
        capsys,
        sheet(
            "2026-Q3,営業,売上を伸ばす,田中,売上 from 1 to 2,1,2,,顧客満足度",
            "2026-Q3,開発,品質を上げる,佐藤,バグ from 10 to 5,10,5,,解約率",
        ),
    )
    assert (status, problems) == (0, [])
    files = loads(goals)
    assert sorted(files) == [
        "2026-Q3/team-437a17.yaml",
        "2026-Q3/team-8c6bb3.yaml",
        "kpis.yaml",
        "org.yaml",
    ]
    org = files["org.yaml"]
    assert org["teams"][1:] == [
        {"id": "team-8c6bb3", "name": "営業", "parent": "company"},
        {"id": "team-437a17", "name": "開発", "parent": "company"},
    ]
    assert org["people"] == [
        {"id": "person-180649", "name": "田中", "team": "team-8c6bb3"},
        {"id": "person-37585d", "name": "佐藤", "team": "team-437a17"},
    ]
    sales = files["2026-Q3/team-8c6bb3.yaml"]["objectives"]
    dev = files["2026-Q3/team-437a17.yaml"]["objectives"]
    assert (sales[0]["id"], sales[0]["owner"]) == ("objective-2f9825", "person-180649")
    assert (dev[0]["id"], dev[0]["owner"]) == ("objective-8faa6a", "person-37585d")
    assert [k["id"] for k in files["kpis.yaml"]["kpis"]] == ["kpi-3f7a49", "kpi-1875a8"]
    assert sales[0]["key_results"][0]["kpi"] == "kpi-3f7a49"


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        # accents go, the letters stay; accents and case aside, a name is the same person
        (["María López", "Maria Lopez"], ["maria-lopez", "maria-lopez"]),
        (["María López", "Mario Lopez"], ["maria-lopez", "mario-lopez"]),
        # the same name (case, spacing and width aside) is the same person
        (["Ann Lee", "ann  LEE", "\uff21\uff4e\uff4e Lee"], ["ann-lee", "ann-lee", "ann-lee"]),
        (["Jürgen Groß", "Łukasz Żółć", "Øystein"], ["jurgen-gross", "lukasz-zolc", "oystein"]),
        (["Москва", "Ελένη"], ["moskva", "eleni"]),
        # no ASCII form: a stable hash of the name, after the kind
        (["田中", "佐藤", "田中"], ["person-180649", "person-37585d", "person-180649"]),
        (["🚀", "العربية"], ["person-ebbc0b", "person-d27415"]),
        # ASCII words and letters without an ASCII form: the words and a hash
        (["Team 営業", "Team 開発"], ["team-2ba84d", "team-1ecf3a"]),
        # a name that makes a file name Windows refuses
        (["CON", "nul"], ["con-2", "nul-2"]),
        # a suffix that is itself some name's id: the next free one
        (["Ann Lee 2", "Ann Lee", "Ann-Lee!"], ["ann-lee-2", "ann-lee", "ann-lee-3"]),
        (["../../etc/passwd", "..."], ["etc-passwd", "person-ab5df6"]),
    ],
)
def test_person_ids(tmp_path, capsys, names, ids):
    rows = [f"2026-Q3,Sales,Objective {n},{name},KR {n},1,2" for n, name in enumerate(names)]
    status, problems, _err, goals = run_import(tmp_path, capsys, sheet(*rows))
    assert (status, problems) == (0, [])
    files = loads(goals)
    owners = [o["owner"] for o in files["2026-Q3/sales.yaml"]["objectives"]]
    assert owners == ids
    people = {p["id"]: p["name"] for p in files["org.yaml"]["people"]}
    assert sorted(people) == sorted(set(ids))


def test_same_titles_give_distinct_ids_in_every_kind(tmp_path, capsys):
    rows = [
        "2026-Q3,Sales,目標,Ann,売上,1,2,,,,,資料を作る",
        "2026-Q3,Sales,目標,Ann,売上,1,3,,,,,資料を作る",
        "2026-Q3,Sales,目標!,Ann,売上,1,4,,,,,資料を作る",
    ]
    status, problems, _err, goals = run_import(
        tmp_path, capsys, sheet(*rows, header=HEADER + ",goal")
    )
    assert (status, problems) == (0, [])
    files = loads(goals)
    objectives = files["2026-Q3/sales.yaml"]["objectives"]
    assert [o["id"] for o in objectives] == ["objective-c92c0b", "objective-043979"]
    assert [k["id"] for k in objectives[0]["key_results"]] == ["kr-443fb9", "kr-443fb9-2"]
    assert [k["id"] for k in objectives[1]["key_results"]] == ["kr-443fb9"]
    goals_of_ann = files["2026-Q3/people/ann.yaml"]["goals"]
    assert [(g["id"], g["supports"]) for g in goals_of_ann] == [
        ("goal-840308", "sales/objective-c92c0b/kr-443fb9"),
        ("goal-840308-2", "sales/objective-c92c0b/kr-443fb9-2"),
        ("goal-840308-3", "sales/objective-043979/kr-443fb9"),
    ]


@pytest.mark.parametrize(
    "name",
    ["営業", "María López", "a" * 300, "word " * 60, "x-" * 150, "🚀🚀", "0755", "-x-", "_"],
)
def test_ids_match_the_id_rule(name: str):
    import re

    ident = slug(name, "team")
    assert re.match(ID_PATTERN, ident) and len(ident) <= ID_MAX, ident


def test_check_ins_go_under_their_key_result_when_titles_repeat(tmp_path, capsys):
    # Placed by title, both check-ins landed under the second key result, and the file
    # failed validation with "duplicate key 'checkins'".
    rows = ["2026-Q3,Sales,Win,Ann,Same,1,2,,,,1.5", "2026-Q3,Sales,Win,Ann,Same,1,3,,,,2.5"]
    status, problems, _err, goals = run_import(tmp_path, capsys, sheet(*rows))
    assert (status, problems) == (0, [])
    krs = loads(goals)["2026-Q3/sales.yaml"]["objectives"][0]["key_results"]
    assert [(k["id"], k["target"], k["checkins"]) for k in krs] == [
        ("same", 2, [{"date": __import__("datetime").date(2026, 8, 1), "value": 1.5}]),
        ("same-2", 3, [{"date": __import__("datetime").date(2026, 8, 1), "value": 2.5}]),
    ]


# --- 2, 3. rows refused with their row number and the fix ----------------------------

CONTROL = "goal files cannot hold it; delete it (retype the cell)"
NOT_A_NUMBER = "is not a number (write 42, 42%, 1,200 or 3.5)"
RANGE = (
    "is out of range: goal files hold numbers from -1,000,000,000,000,000 to "
    "1,000,000,000,000,000; use a larger unit (millions, billions)"
)
PERIOD = "is not a period: use YYYY-Qn (quarter 1-4), YYYY-Hn (half 1-2) or YYYY, e.g. 2026-Q3"

REFUSED = {
    "DEL in a title": (
        sheet("2026-Q3,Sales,Win,Ann,A\x7fB,1,2", OK_ROW),
        [
            "row 2: key_result holds the control character U+007F at character 2 ('A\\x7fB'): "
            + CONTROL
        ],
    ),
    "terminal escape in a team": (
        sheet("2026-Q3,\x1b[31mSales,Win,Ann,KR,1,2", OK_ROW),
        [
            f"row 2: team holds the control character U+001B at character 1 "
            f"('\\x1b[31mSales'): {CONTROL}"
        ],
    ),
    "vertical tab does not split its row": (
        sheet("2026-Q3,Sales,Win,Ann,X\x0bY,1,2", OK_ROW),
        [
            "row 2: key_result holds the control character U+000B at character 2 ('X\\x0bY'): "
            + CONTROL
        ],
    ),
    "form feed does not split its row": (
        sheet("2026-Q3,Sales,Win,Ann,KR,1,2,\x0cmin", OK_ROW),
        ["row 2: unit holds the control character U+000C at character 1 ('\\x0cmin'): " + CONTROL],
    ),
    "NEL in a name": (
        sheet("2026-Q3,Sales,Win,Ann\x85Lee,KR,1,2", OK_ROW),
        [
            "row 2: owner holds the control character U+0085 at character 4 ('Ann\\x85Lee'): "
            + CONTROL
        ],
    ),
    "control character at a cell's end is not trimmed away": (
        sheet("2026-Q3,Sales\x1f,Win,Ann,KR,1,2", OK_ROW),
        [
            "row 2: team holds the control character U+001F at character 6 ('Sales\\x1f'): "
            + CONTROL
        ],
    ),
    "nan, inf, -Infinity": (
        sheet(
            "2026-Q3,Sales,Win,Ann,KR,nan,2",
            "2026-Q3,Sales,Win,Ann,KR,1,inf",
            "2026-Q3,Sales,Win,Ann,KR,1,2,,,,-Infinity",
            OK_ROW,
        ),
        [
            f"row 2: baseline 'nan' {NOT_A_NUMBER}",
            f"row 3: target 'inf' {NOT_A_NUMBER}",
            f"row 4: current '-Infinity' {NOT_A_NUMBER}",
        ],
    ),
    "numbers beyond MAX_NUMBER": (
        sheet(
            "2026-Q3,Sales,Win,Ann,KR,1,1e999",
            "2026-Q3,Sales,Win,Ann,KR,-1e16,2",
            '2026-Q3,Sales,Win,Ann,KR,1,2,,,,"1,000,000,000,000,001"',
            OK_ROW,
        ),
        [
            f"row 2: target '1e999' {RANGE}",
            f"row 3: baseline '-1e16' {RANGE}",
            f"row 4: current '1,000,000,000,000,001' {RANGE}",
        ],
    ),
    "numbers YAML 1.1 reads otherwise": (
        sheet("2026-Q3,Sales,Win,Ann,KR,1_000,2", "2026-Q3,Sales,Win,Ann,KR,0x1f,2", OK_ROW),
        [f"row 2: baseline '1_000' {NOT_A_NUMBER}", f"row 3: baseline '0x1f' {NOT_A_NUMBER}"],
    ),
    "periods that do not exist": (
        sheet(
            "2026-H3,Sales,Win,Ann,KR,1,2",
            "2026-Q5,Sales,Win,Ann,KR,1,2",
            "9999,Sales,Win,Ann,KR,1,2",
            "1899-Q1,Sales,Win,Ann,KR,1,2",
            "Q3 2026,Sales,Win,Ann,KR,1,2",
            OK_ROW,
        ),
        [
            f"row 2: period '2026-H3' {PERIOD}",
            f"row 3: period '2026-Q5' {PERIOD}",
            "row 4: period '9999': the year must be between 1900 and 2999",
            "row 5: period '1899-Q1': the year must be between 1900 and 2999",
            f"row 6: period 'Q3 2026' {PERIOD}",
        ],
    ),
    "texts beyond their limits": (
        sheet(
            f"2026-Q3,Sales,Win,Ann,{'k' * (MAX_TITLE + 1)},1,2",
            f"2026-Q3,Sales,Win,Ann,KR,1,2,{'u' * (MAX_UNIT + 1)}",
            OK_ROW,
        ),
        [
            f"row 2: key_result is {MAX_TITLE + 1} characters long ('{'k' * 40}'... "
            f"({MAX_TITLE + 1} characters)); okrsite allows at most {MAX_TITLE}: shorten it",
            f"row 3: unit is {MAX_UNIT + 1} characters long ({shown('u' * (MAX_UNIT + 1))}); "
            f"okrsite allows at most {MAX_UNIT}: shorten it",
        ],
    ),
    "a goal's texts, dates and numbers": (
        sheet(
            f"2026-Q3,Sales,Win,Ann,KR,1,2,G,,,,,,{'a' * (MAX_MARKDOWN + 1)}",
            "2026-Q3,Sales,Win,Ann,KR,1,2,G,,,,,2026-02-30,",
            "2026-Q3,Sales,Win,Ann,KR,1,2,G,,,,,20260801,",
            "2026-Q3,Sales,Win,Ann,KR,1,2,G,,,lots,,,",
            "2026-Q3,Sales,Win,Ann,KR,1,2,,Bo,,,,,",
            "2026-Q3,Sales,Win,Ann,KR,1,2,G,,,,,2026-08-15,",
            header=GOAL_HEADER,
        ),
        [
            f"row 2: goal_achievable is {MAX_MARKDOWN + 1:,} characters long ('{'a' * 40}'... "
            f"({MAX_MARKDOWN + 1:,} characters)); okrsite allows at most {MAX_MARKDOWN:,}: "
            "shorten it",
            "row 3: goal_due '2026-02-30' is not a date: write YYYY-MM-DD (or DD.MM.YYYY)",
            "row 4: goal_due '20260801' is not a date: write YYYY-MM-DD (or DD.MM.YYYY)",
            f"row 5: goal_baseline 'lots' {NOT_A_NUMBER}",
            "row 6: goal_owner given but no goal: write the goal's title in the goal column "
            "(or clear those cells)",
        ],
    ),
    "missing cells": (
        sheet(",Sales,Win,Ann,KR,1,2", OK_ROW, "2026-Q3,Sales,Win,,KR,,"),
        [
            "row 2: no period (every key result needs them)",
            "row 4: no baseline, target (every key result needs them)",
        ],
    ),
    "rows after a multi-line cell are named by row and line": (
        sheet('2026-Q3,Sales,Win,Ann,"two\nlines",1,2', "2026-Q3,Sales,Win,Ann,KR,x,2", OK_ROW),
        [f"row 3 (line 4): baseline 'x' {NOT_A_NUMBER}"],
    ),
    "a quote that never closes takes the rest of the file into one cell": (
        sheet('2026-Q3,Sales,"Win,Ann,KR,1,2', OK_ROW),
        ["row 2: no owner, key_result, baseline, target (every key result needs them)"],
    ),
}


@pytest.mark.parametrize(("content", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_rows_that_cannot_be_written_are_refused(tmp_path, capsys, content, expected):
    status, problems, _err, goals = run_import(tmp_path, capsys, content)
    assert problems == [f"s.csv: {line}" for line in expected]
    assert status == 1
    files = loads(goals) if goals.exists() else {}
    # the other rows are written, and load
    assert not files or "org.yaml" in files


def test_all_rows_refused_writes_nothing(tmp_path, capsys):
    (tmp_path / "s.csv").write_text(sheet("2026-Q3,Sales,Win,Ann,KR,nan,2"), encoding="utf-8")
    goals = tmp_path / "goals"
    status = main(["import", str(tmp_path / "s.csv"), "--goals-dir", str(goals)])
    assert status == 1
    assert capsys.readouterr().out.splitlines() == [
        f"s.csv: row 2: baseline 'nan' {NOT_A_NUMBER}",
        "read 0 rows: 0 objectives, 0 key results, 0 check-ins, 0 goals; 1 row could not be read",
        WROTE_NOTHING,
    ]
    assert not goals.exists()


def test_messages_escape_what_they_show(tmp_path, capsys):
    # a cell is shown like repr: no line break, escape sequence or bidi override of
    # the cell reaches the terminal as itself
    content = sheet('2026-Q3,Sales,Win,Ann,KR,"1\n\u202e2\x1b[2J",2')
    _status, problems, _err, _goals = run_import(tmp_path, capsys, content)
    assert problems == [
        "s.csv: row 2: baseline holds the control character U+001B at character 5 "
        f"('1\\n\\u202e2\\x1b[2J'): {CONTROL}"
    ]


def test_a_text_direction_override_in_a_title_is_refused_with_its_row(tmp_path, capsys):
    # the loader refuses it in a title (it turns the rest of a line around), so the
    # import must not write it
    content = sheet("2026-Q3,Sales,Win,Ann,\u202eevil,1,2")
    _status, problems, _err, _goals = run_import(tmp_path, capsys, content)
    assert problems == [
        "s.csv: row 2: key_result holds the control character U+202E at character 1 "
        f"('\\u202eevil'): {CONTROL}"
    ]


# --- 3. what is written loads, and says exactly what the sheet said ------------------

WRITTEN = {
    "YAML 1.1 look-alikes as texts": [
        "yes",
        "No",
        "null",
        "~",
        "0755",
        "0x1f",
        "12:30",
        "1_000",
        "2026-01-01",
        "- item",
        "key: value",
        "#hash",
        "&anchor",
        "*alias",
        "!tag",
        "%dir",
        "@at",
        "`tick",
        "|",
        ">",
        "? q",
        "[a]",
        "{b}",
        "'single'",
        '"double"',
        "a # comment",
        ".inf",
        "<<",
    ],
    "zero-width and private-use characters": ["a\u200bb", "\ue000"],
    "limits exactly": ["t" * MAX_TITLE],
}


@pytest.mark.parametrize("texts", WRITTEN.values(), ids=WRITTEN.keys())
def test_texts_are_written_so_they_read_back_exactly(tmp_path, capsys, texts):
    rows = [
        f"2026-Q3,{cell(t)},{cell(t)},{cell(t)},{cell(t)},1,2,{cell(t[:MAX_UNIT])},{cell(t)}"
        for t in texts
    ]
    status, problems, _err, goals = run_import(tmp_path, capsys, sheet(*rows))
    assert (status, problems) == (0, [])
    files = loads(goals)
    org = files["org.yaml"]
    assert [t["name"] for t in org["teams"][1:]] == texts
    assert [p["name"] for p in org["people"]] == texts
    assert [k["name"] for k in files["kpis.yaml"]["kpis"]] == texts
    titles, units = [], []
    for team in org["teams"][1:]:
        for objective in files[f"2026-Q3/{team['id']}.yaml"]["objectives"]:
            titles.append(objective["title"])
            units += [(k["title"], k["unit"]) for k in objective["key_results"]]
    assert titles == texts
    assert units == [(t, t[:MAX_UNIT]) for t in texts]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("A\u2028B", "A B"),
        ("C\u2029D", "C D"),
        ("a\tb", "a b"),
        ("line 1\nline 2", "line 1 line 2"),
        ("line 1\n\nline 3", "line 1 line 3"),
        ("wrapped\r\n", "wrapped"),
    ],
)
def test_line_breaks_in_one_line_cells_become_spaces(tmp_path, capsys, text, written):
    """A cell wrapped with Alt+Enter or pasted with a tab: titles and names are one
    line in goal files (validate refuses a line break in them), so the break is a space."""
    t = cell(text)
    row = f"2026-Q3,{t},{t},{t},{t},1,2,,{t}"
    status, problems, _err, goals = run_import(tmp_path, capsys, sheet(row))
    assert (status, problems) == (0, [])
    files = loads(goals)
    objective = files["2026-Q3/" + files["org.yaml"]["teams"][1]["id"] + ".yaml"]["objectives"][0]
    assert files["org.yaml"]["teams"][1]["name"] == written
    assert files["org.yaml"]["people"][0]["name"] == written
    assert (objective["title"], objective["key_results"][0]["title"]) == (written, written)


def test_numbers_read_back_as_written(tmp_path, capsys):
    rows = [
        '2026-Q3,Sales,Win,Ann,A,"1,234,567",1e15,,,,0.1',
        '2026-Q3,Sales,Win,Ann,B,"1.200,5",-1e15,,,,1e-7',
        '2026-Q3,Sales,Win,Ann,C,42%,\u221212,,,,"$3,200"',
        "2026-Q3,Sales,Win,Ann,D,1.5E+07,0.333333333333,,,,12 345",
    ]
    status, problems, _err, goals = run_import(tmp_path, capsys, sheet(*rows))
    assert (status, problems) == (0, [])
    krs = loads(goals)["2026-Q3/sales.yaml"]["objectives"][0]["key_results"]
    assert [(k["baseline"], k["target"], k["checkins"][0]["value"]) for k in krs] == [
        (1234567, 1e15, 0.1),
        (1200.5, -1e15, 1e-7),
        (42, -12, 3200),
        (1.5e7, 0.333333333333, 12345),
    ]
    assert krs[2]["unit"] == "%"


def test_a_hostile_file_name_cannot_break_a_line(tmp_path, capsys):
    # The sheet's name goes into the comment line of a new org.yaml and kpis.yaml, and
    # into every problem line: a line break in it would start a YAML line or a fake
    # message. (OKR and goal files name no sheet: the same rows make the same file.)
    sheet_file = tmp_path / "evil\nkpis: [x]\r#.csv"
    sheet_file.write_text(sheet(OK_ROW, "2026-Q3,Sales,Win,Ann,KR,x,2"), encoding="utf-8")
    goals = tmp_path / "goals"
    status = main(["import", str(sheet_file), "--goals-dir", str(goals), "--today", TODAY])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[0] == f"evil?kpis: [x]?#.csv: row 3: baseline 'x' {NOT_A_NUMBER}"
    assert "evil\n" not in out
    assert sorted(loads(goals)) == ["2026-Q3/sales.yaml", "org.yaml"]
    assert "from evil?kpis: [x]?#.csv" in (goals / "org.yaml").read_text(encoding="utf-8")


def test_everything_written_loads_for_every_hostile_sheet(tmp_path, capsys):
    # Every sheet above imported into a folder of its own: the loader accepts each
    # folder import wrote (or import refused the row, and wrote nothing for it).
    sheets = [content for content, _expected in REFUSED.values()]
    sheets += [
        sheet(*(f"2026-Q3,{cell(t)},Win,{cell(t)},KR,1,2" for t in texts))
        for texts in WRITTEN.values()
    ]
    for n, content in enumerate(sheets):
        folder = tmp_path / str(n)
        folder.mkdir()
        _status, _problems, err, goals = run_import(folder, capsys, content)
        assert err == ""
        if goals.exists():
            loads(goals)


# --- 4. the columns -----------------------------------------------------------------


def test_the_header_message_lists_every_column_read(tmp_path, capsys):
    status, _problems, err, goals = run_import(tmp_path, capsys, "team,objective\nA,B\n")
    assert status == 2 and not goals.exists()
    assert err == (
        "okrsite: " + str(tmp_path / "s.csv") + ": row 1 (the header) lacks the column(s) "
        "period, owner, key_result, baseline, target; the columns are: period, team, "
        "team_parent, objective_id, objective, aligns_to, owner, kr_id, key_result, kpi, "
        "baseline, target, unit, kr_owner, date, current, confidence, goal_id, goal, "
        "goal_owner, goal_metric, goal_baseline, goal_target, goal_unit, goal_due, "
        "goal_achievable\n"
    )
    # one list: every column the row reader checks is in it, and nothing else
    assert set(importrows.COLUMNS) == (
        set(importrows.TEXT_LIMITS)
        | set(importrows.NUMBERS)
        | set(importrows.ID_COLUMNS)
        | {"period", "goal_due", "date", "aligns_to"}
    )


def test_every_goal_column_is_read(tmp_path, capsys):
    content = sheet(
        "2026-Q3,Sales,Win,Ann,KR,1,2,Call 30 leads,Bo,Calls,0,30,2026-08-15,We did 25.",
        header=GOAL_HEADER,
    )
    status, problems, _err, goals = run_import(tmp_path, capsys, content)
    assert (status, problems) == (0, [])
    goal = loads(goals)["2026-Q3/people/bo.yaml"]["goals"][0]
    assert goal == {
        "id": "call-30-leads",
        "title": "Call 30 leads",
        "supports": "sales/win/kr",
        "metric": "Calls",
        "baseline": 0,
        "target": 30,
        "due": __import__("datetime").date(2026, 8, 15),
        "achievable": "We did 25.",
    }


# --- 6. files that are not sheets, and sheets as other programs save them ------------

NOT_SHEETS = {
    "empty file": (b"", "{path} is empty: nothing to import"),
    "blank lines and empty cells": (b"\n\r\n,,,\n \t \n", "{path} is empty: nothing to import"),
    "header only": (
        (HEADER + "\n").encode(),
        "{path}: no rows below the header (row 1): nothing to import",
    ),
    "header and blank rows": (
        (HEADER + "\n,,,\n\n").encode(),
        "{path}: no rows below the header (row 1): nothing to import",
    ),
    "a PNG": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "{path}: line 1: not UTF-8 text; save the sheet as 'CSV UTF-8' (or as .xlsx)",
    ),
    "a workbook named .csv": (
        b"PK\x03\x04\x14\x00\x06\x00",
        "{path}: this is a zip file (an Excel workbook?), not CSV text: name it .xlsx, or "
        "save the sheet as 'CSV UTF-8'",
    ),
    "a NUL byte": (
        (HEADER + "\n2026-Q3,Sales,Win,Ann,K\x00R,1,2\n").encode(),
        "{path}: line 2: a NUL character: this is not CSV text; save the sheet as "
        "'CSV UTF-8' (or as .xlsx)",
    ),
    "a huge cell": (
        (HEADER + '\n2026-Q3,Sales,Win,Ann,"' + "x" * 200_000 + '",1,2\n').encode(),
        "{path}: row 2: a cell longer than 131,072 characters, or a quote mark that opens "
        "a cell and never closes it: okrsite texts are at most 10,000 characters; close "
        "the quote or shorten the cell",
    ),
    "a column twice": (
        (HEADER + ",Target\n").encode(),
        "{path}: row 1 (the header) has the column target more than once (columns G and "
        "L): remove or rename all but one",
    ),
    "JSON": (
        b'{"period": "2026-Q3"}\n',
        "{path}: row 1 (the header) lacks the column(s) period, team, objective, owner, "
        "key_result, baseline, target; the columns are: " + ", ".join(importrows.COLUMNS),
    ),
}


@pytest.mark.parametrize(("content", "message"), NOT_SHEETS.values(), ids=NOT_SHEETS.keys())
def test_files_that_are_not_sheets_get_one_line(tmp_path, capsys, content, message):
    status, problems, err, goals = run_import(tmp_path, capsys, content)
    assert (status, problems) == (2, [])
    assert err == "okrsite: " + message.format(path=tmp_path / "s.csv") + "\n"
    assert not goals.exists()


SAVED_AS = {
    "BOM and CRLF": codecs.BOM_UTF8 + sheet(OK_ROW).replace("\n", "\r\n").encode(),
    "old Mac line ends": sheet(OK_ROW).replace("\n", "\r").encode(),
    "semicolons and decimal commas": (
        b"period;team;objective;owner;key_result;baseline;target\n"
        b"2026-Q3;Sales;Win;Ann;Grow ARR;1,0;2,0\n"
    ),
    "Excel's sep= line": (
        b"sep=;\nperiod;team;objective;owner;key_result;baseline;target\n"
        b"2026-Q3;Sales;Win;Ann;Grow ARR;1;2\n"
    ),
    "semicolons after blank rows": (
        b"\n;;\nperiod;team;objective;owner;key_result;baseline;target\n"
        b"2026-Q3;Sales;Win;Ann;Grow ARR;1;2\n"
    ),
    "tabs": sheet(OK_ROW).replace(",", "\t").encode(),
    "UTF-16 (Excel's Unicode text)": sheet(OK_ROW).replace(",", "\t").encode("utf-16"),
    "header names as people write them, after blank rows": (
        "\n,,\nPeriod, TEAM ,Objective,Objective Owner,Key Result,Baseline,Target\n" + OK_ROW + "\n"
    ).encode(),
    "a quoted multi-line title": sheet(
        '2026-Q3,Sales,Win,Ann,"Grow ARR\r\n(all regions)",1,2'
    ).encode(),
    "lowercase period, ideographic spaces around cells": sheet(
        "2026-q3,\u3000Sales\u3000,Win,Ann,Grow ARR,1,2"
    ).encode(),
}


@pytest.mark.parametrize("content", SAVED_AS.values(), ids=SAVED_AS.keys())
def test_sheets_as_programs_save_them(tmp_path, capsys, content):
    status, problems, err, goals = run_import(tmp_path, capsys, content)
    assert (status, problems, err) == (0, [], "")
    files = loads(goals)
    okrs = files["2026-Q3/sales.yaml"]
    assert okrs["team"] == "sales"
    objective = okrs["objectives"][0]
    assert (objective["id"], objective["owner"]) == ("win", "ann")
    kr = objective["key_results"][0]
    assert kr["title"] in ("Grow ARR", "Grow ARR (all regions)")
    assert (kr["baseline"], kr["target"]) == (1, 2)


def test_xlsx_rows_are_numbered_as_the_sheet_shows_them(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for column, name in enumerate(HEADER.split(",")[:7], start=1):
        ws.cell(row=3, column=column, value=name)
    for row, values in (
        (5, ["2026-Q3", "営業", "目標", "田中", "KR", 1, 2]),
        (7, ["2026-Q5", "開発", "目標", "佐藤", "KR", 1, 2]),
    ):
        for column, value in enumerate(values, start=1):
            ws.cell(row=row, column=column, value=value)
    book.save(tmp_path / "s.xlsx")
    status, problems, _err, goals = run_import(
        tmp_path, capsys, (tmp_path / "s.xlsx").read_bytes(), name="s.xlsx"
    )
    assert (status, problems) == (1, [f"s.xlsx: row 7: period '2026-Q5' {PERIOD}"])
    assert sorted(loads(goals)) == ["2026-Q3/team-8c6bb3.yaml", "org.yaml"]


def test_a_workbook_whose_open_sheet_is_a_chart(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    book.create_chartsheet()
    book.active = 1
    book.save(tmp_path / "chart.xlsx")
    status, _problems, err, goals = run_import(
        tmp_path, capsys, (tmp_path / "chart.xlsx").read_bytes(), name="chart.xlsx"
    )
    assert status == 2 and not goals.exists()
    assert err == (
        f"okrsite: {tmp_path / 'chart.xlsx'}: cannot read this as an Excel workbook; open it "
        "in a spreadsheet and save it as .xlsx or CSV\n"
    )


# --- 7. yamlwrite: every string round-trips -------------------------------------------

YAML_STRINGS = [
    "0755",
    "0x1f",
    "0o17",
    "0b101",
    "12:30",
    "190:20:30",
    "1_000",
    "1e5",
    "1.0",
    ".5",
    "+1",
    "-1",
    ".inf",
    "-.inf",
    ".nan",
    "NaN",
    "yes",
    "Yes",
    "YES",
    "no",
    "on",
    "Off",
    "y",
    "n",
    "Y",
    "N",
    "true",
    "False",
    "null",
    "Null",
    "NULL",
    "~",
    "",
    " ",
    "2026-01-01",
    "2026-01-01 10:00:00",
    "2026-1-1",
    "&a",
    "*a",
    "!a",
    "!!str",
    "%YAML",
    "@a",
    "`a",
    "#a",
    "- a",
    "-",
    "--- a",
    "...",
    "? a",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "trailing ",
    " leading",
    "\nleading",
    "trailing\n",
    "\n",
    "a\r\nb",
    "a\rb",
    "a\tb",
    "'",
    '"',
    "\\",
    "a\\nb",
    "[a]",
    "{a}",
    "a, b",
    "|",
    ">",
    "=",
    "<<",
    "\x7f",
    "\x85",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0001f680",
    "\u202e",
    "é",
    "営業",
    "2026-Q3/sales/win",
    "2026-Q3/sales/win/kr",
    "sales/win",
]


@pytest.mark.parametrize("text", YAML_STRINGS)
def test_yamlwrite_round_trips_strings(text: str):
    for doc, pick in (
        (f"k: {scalar(text)}\n", lambda d: d["k"]),
        (f"x: {flow([('k', text)])}\n", lambda d: d["x"]["k"]),
        (f"x:\n  - {scalar(text)}\n", lambda d: d["x"][0]),
    ):
        got = pick(yaml.safe_load(doc))
        assert type(got) is str and got == text, doc
        parsed, diags = parse(doc, "x.yaml")  # okrsite's own reader agrees
        assert diags == [] and parsed is not None and pick(parsed.data) == text, doc


def test_yamlwrite_round_trips_random_strings():
    alphabet = [chr(c) for c in range(0x100)]
    alphabet += list("\u2028\u2029\ufeff\ufffe\uffff\ud7ff\ue000\U0001f680\u3000:-#&*!%@`")
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        got = yaml.safe_load(f"k: {scalar(text)}\n")["k"]
        assert type(got) is str and got == text, repr(text)


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1234567.0, "1234567"),
        (1e15, "1000000000000000"),
        (1e-7, "1.0e-07"),
        (1e16, "1.0e+16"),
        (0.1, "0.1"),
        (-0.0, "0"),
        (1 / 3, "0.3333333333333333"),
    ],
)
def test_yamlwrite_numbers_read_back_as_the_same_number(number: float, written: str):
    # '{:g}' wrote 1234567 as 1.23457e+06, and PyYAML reads '1e-07' as a string
    assert scalar(number) == written
    assert yaml.safe_load(written) == number


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_yamlwrite_refuses_numbers_no_goal_file_holds(number: float):
    with pytest.raises(ValueError, match="is not a number a goal file can hold"):
        scalar(number)
