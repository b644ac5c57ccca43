"""`okrsite export csv`: the rows it writes, and the round trip of issue 18: a site
exported to a sheet and imported into an empty folder gives the same goal data."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from okrsite.commands import cli
from okrsite.commands.importrows import COLUMNS
from okrsite.model.graph import KeyResult, Objective
from okrsite.source.loader import load

import orgkit

ROOT = Path(__file__).resolve().parent.parent
CANARY = "Xylophone-canary-7Q"  # in a private goal: it must be in no byte of the export

PRIVATE = f"""\
period: 2026-Q3
owner: maria
goals:
  - id: {CANARY.lower()}
    title: Secret {CANARY} plan
    supports: company/retention/churn
    metric: {CANARY} metric
    baseline: 1
    target: 2
    due: 2026-09-01
    achievable: "{CANARY}"
    visibility: private
"""
# growth/trials/aha gets two check-ins and three goals; a hostile title and unit; a
# negative baseline; an objective without key results.
GROWTH = """\
period: 2026-Q3
team: growth
objectives:
  - id: trials
    title: "=HYPERLINK(\\"http://x\\", \\"Trials\\")"
    owner: ana
    aligns_to: company/retention/churn
    key_results:
      - id: trial-to-paid
        title: "-Raise trial-to-paid conversion from 8% to 14%"
        baseline: -8
        target: 14
        unit: "+pp"
        owner: maria
      - id: aha
        title: Get 45% of trial users to the aha moment, up from 25%
        baseline: 25
        target: 45
        checkins:
          - {date: 2026-07-06, value: 27, confidence: 0.6}
          - {date: 2026-07-20, value: 30.5}
  - id: later
    title: Something for later
    owner: ana
    aligns_to: company/retention
    key_results: []
"""
MARIA = """\
period: 2026-Q3
owner: maria
goals:
  - id: onboarding-calls
    title: "@Call every new trial account in week one"
    supports: growth/trials/aha
    unit: calls
  - id: dashboard
    title: Build the aha-moment dashboard, "v2"
    supports: growth/trials/aha
    achievable: |-
      Data is there.
      =cmd|'/c calc'!A1
  - id: nothing
    title: A goal that supports nothing
"""
FILES = {
    **orgkit.FILES,
    "2026-Q3/growth.yaml": GROWTH,
    "2026-Q3/people/maria.yaml": MARIA,
    "2026-Q3/people/maria-private.yaml": PRIVATE,
}


def export(tmp_path: Path, goals: Path, *more: str) -> tuple[int, str, str]:
    """Run ``okrsite export csv`` on ``goals`` (from tmp_path: no mkdocs.yml applies)."""
    out = tmp_path / "out.csv"
    code = cli.main(["export", "csv", "--goals-dir", str(goals), "-o", str(out), *more])
    return code, out.read_text(encoding="utf-8-sig") if out.exists() else "", str(out)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return orgkit.write_goals(tmp_path, FILES)


def test_one_row_per_checkin_goals_alongside(small: Path, tmp_path: Path, capsys):
    code, text, _ = export(tmp_path, small)
    assert code == 0
    rows = rows_of(text)
    assert list(rows[0]) == list(COLUMNS)
    aha = [r for r in rows if r["kr_id"] == "aha"]
    # two check-ins, three public goals: three rows, the third without a check-in
    assert [(r["date"], r["current"], r["confidence"]) for r in aha] == [
        ("2026-07-06", "27", "0.6"),
        ("2026-07-20", "30.5", ""),
        ("", "", ""),
    ]
    assert [r["goal_id"] for r in aha] == ["tips", "onboarding-calls", "dashboard"]
    assert [r["goal_owner"] for r in aha] == ["ana", "maria", "maria"]
    for row in aha:  # each row can be read alone
        assert (row["period"], row["team"], row["team_parent"], row["objective_id"]) == (
            "2026-Q3",
            "growth",
            "product",
            "trials",
        )
        assert (row["owner"], row["aligns_to"], row["baseline"], row["target"]) == (
            "ana",
            "company/retention/churn",
            "25",
            "45",
        )
    # a key result without check-ins or goals still has its row; ids, not names
    churn = [r for r in rows if r["kr_id"] == "churn"]
    assert len(churn) == 1 and churn[0]["kpi"] == "gross-churn"
    assert churn[0]["owner"] == "maria" and churn[0]["team_parent"] == ""
    assert "María" not in text
    assert [r["kr_owner"] for r in rows if r["kr_id"] == "trial-to-paid"] == ["maria"]
    err = capsys.readouterr().err
    assert "skipped objective 2026-Q3/growth/later: an objective needs a key result" in err
    assert "skipped goal 2026-Q3/maria/nothing: it supports nothing" in err


def test_goals_no_row_can_hold_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    later = """\
period: 2026-Q4
owner: ana
goals:
  - id: on-objective
    title: Support the objective itself
    supports: 2026-Q3/growth/trials
  - id: on-last-quarter
    title: Finish last quarter's aha work
    supports: 2026-Q3/growth/trials/aha
"""
    goals = orgkit.write_goals(tmp_path, {**orgkit.FILES, "2026-Q4/people/ana.yaml": later})
    for period in ("2026-Q4", None):
        more = ("--period", period) if period else ()
        code, text, _ = export(tmp_path, goals, "--force", *more)
        assert code == 0
        assert "on-objective" not in text and "on-last-quarter" not in text
        err = capsys.readouterr().err
        assert (
            "skipped goal 2026-Q4/ana/on-objective: it supports objective 2026-Q3/growth/trials"
            in err
        )
        assert (
            "skipped goal 2026-Q4/ana/on-last-quarter: it supports key result "
            "2026-Q3/growth/trials/aha of another period" in err
        )


def test_formula_cells_are_quoted_numbers_are_not(small: Path, tmp_path: Path):
    _, text, _ = export(tmp_path, small)
    rows = rows_of(text)
    trial = next(r for r in rows if r["kr_id"] == "trial-to-paid")
    assert trial["objective"] == '\'=HYPERLINK("http://x", "Trials")'
    assert trial["key_result"] == "'-Raise trial-to-paid conversion from 8% to 14%"
    assert trial["unit"] == "'+pp"
    assert trial["baseline"] == "-8"  # a number, not a text: never quoted
    goals = {r["goal_id"]: r for r in rows if r["goal_id"]}
    assert goals["onboarding-calls"]["goal"] == "'@Call every new trial account in week one"
    assert goals["dashboard"]["goal"] == 'Build the aha-moment dashboard, "v2"'
    # only the start of a cell counts: a second line starting with '=' is inside text
    assert goals["dashboard"]["goal_achievable"] == "Data is there.\n=cmd|'/c calc'!A1"
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (column, cell)
            if cell.startswith("-"):
                assert column in ("baseline", "target"), (column, cell)


def test_private_goals_leave_no_trace(small: Path, tmp_path: Path, capsys):
    code, text, path = export(tmp_path, small)
    assert code == 0
    streams = capsys.readouterr()
    data = Path(path).read_bytes()
    for where in (data, text.encode(), streams.out.encode(), streams.err.encode()):
        assert CANARY.encode() not in where and CANARY.lower().encode() not in where
    assert b"private" not in data.lower()
    # to stdout too
    assert cli.main(["export", "csv", "--goals-dir", str(small)]) == 0
    streams = capsys.readouterr()
    assert streams.out.startswith("period,team,") and CANARY.lower() not in streams.out.lower()
    assert CANARY.lower() not in streams.err.lower()


def test_output_is_not_overwritten_unless_forced(small: Path, tmp_path: Path, capsys):
    target = tmp_path / "out.csv"
    target.write_text("mine", encoding="utf-8")
    code, text, _ = export(tmp_path, small)
    assert code == 2 and text == "mine"
    assert "exists: add --force" in capsys.readouterr().err
    code, text, _ = export(tmp_path, small, "--force")
    assert code == 0 and text.startswith("period,team,")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark, for Excel


def test_period_filter_and_unknown_period(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    goals = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", goals)
    code, text, _ = export(tmp_path, goals, "--period", "2026-q4")
    assert code == 0
    assert {r["period"] for r in rows_of(text)} == {"2026-Q4"}
    assert cli.main(["export", "csv", "--goals-dir", str(goals), "--period", "1999-Q1"]) == 2
    err = capsys.readouterr().err
    assert "no OKRs for period '1999-Q1'; periods with OKRs: 2026-Q3, 2026-Q4" in err


def test_data_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    goals = orgkit.write_goals(tmp_path, {**orgkit.FILES, "2026-Q3/people/ana.yaml": "goals: 1"})
    assert cli.main(["export", "csv", "--goals-dir", str(goals)]) == 2
    streams = capsys.readouterr()
    assert streams.out == "" and "ana.yaml" in streams.err


# -- the round trip ---------------------------------------------------------------


def _ref(item: Objective | KeyResult | None) -> str | None:
    return None if item is None else item.key


# What a sheet row does not carry, so the round trip cannot keep it: left out of the
# comparison on purpose (the import guide says the same): the organisation's name,
# team and people names (and emails), teams and people with no objective or goal, team
# leads, the parent of a team with no objective; KPIs beyond their id (name,
# description, unit, direction, alert, owner, history); an objective's description and
# 'continues'; a key result's weight and target revisions; check-in notes; a goal's
# status, check-ins and waivers, and every waiver; private goals (never exported).
def goal_data(goals: Path) -> tuple[dict, dict, dict, dict]:
    """What the round trip keeps, read with okrsite's own loader: the objectives in
    their order per period and team, each with its key results in order and their
    check-ins; every public goal; the parent of each team with objectives."""
    org = load(goals).org
    order: dict[tuple[str, str], list[str]] = {}
    objectives = {}
    parents = {}
    for key, obj in org.objectives.items():
        order.setdefault((obj.period.key, obj.team.id), []).append(obj.id)
        parents[obj.team.id] = obj.team.parent.id if obj.team.parent else None
        objectives[key] = (
            obj.title,
            obj.owner.id,
            _ref(obj.parent),
            [
                (
                    kr.id,
                    kr.title,
                    kr.kpi.id if kr.kpi else None,
                    kr.baseline,
                    kr.target,
                    kr.unit,
                    kr.owner.id if kr.owner else None,
                    [(c.date, c.value, c.confidence) for c in kr.checkins],
                )
                for kr in obj.key_results
            ],
        )
    goals_by_key = {
        key: (
            g.title,
            g.owner.id,
            _ref(g.supports),
            g.metric,
            g.baseline,
            g.target,
            g.unit,
            g.due,
            g.achievable,
        )
        for key, g in org.goals.items()
    }
    return order, objectives, goals_by_key, parents


def assert_same(after: tuple[dict, ...], before: tuple[dict, ...]) -> None:
    """Item by item, so that a failure names the item and the part that differs."""
    parts = ("order", "objectives", "goals", "team parents")
    for name, got, want in zip(parts, after, before, strict=True):
        assert sorted(got) == sorted(want), name
        for key, value in want.items():
            assert got[key] == value, (name, key)


def round_trip(tmp_path: Path, goals: Path) -> Path:
    """Export ``goals`` and import the sheet into an empty folder; the new folder."""
    sheet = tmp_path / "sheet.csv"
    assert cli.main(["export", "csv", "--goals-dir", str(goals), "-o", str(sheet)]) == 0
    again = tmp_path / "again" / "goals"
    assert cli.main(["import", str(sheet), "--goals-dir", str(again)]) == 0
    return again


def test_round_trip_of_the_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    goals = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", goals)
    again = round_trip(tmp_path, goals)
    assert "skipped" not in capsys.readouterr().err  # the whole example is in the sheet
    assert_same(goal_data(again), goal_data(goals))


# Two teams with an objective of the same id and title next to each other in the sheet,
# only the first aligned; a key result owned across teams; numbers a float shows long;
# names and titles in other scripts; a second period.
SUPPORT = """\
period: 2026-Q3
team: support
objectives:
  - id: trials
    title: Make the product irresistible during trials
    owner: ana
    key_results:
      - id: reponse
        title: "Répondre en moins d'une heure, 95 % du temps"
        baseline: 0.1
        target: 0.30000000000000004
        unit: "ratio"
        owner: maria
        checkins:
          - {date: 2026-07-06, value: 0.2, confidence: 1}
          - {date: 2026-07-13, value: 1.0e-7}
      - id: backlog
        title: 工单积压减少到 50 件
        baseline: 120000000000000
        target: -50
        checkins:
          - {date: 2026-07-06, value: 100000000000000, confidence: 0}
"""
ORG_MORE = orgkit.ORG.replace(
    "  - {id: growth, name: Growth, parent: product}\n",
    "  - {id: growth, name: Growth, parent: product}\n"
    "  - {id: support, name: Support, parent: company}\n",
)
Q4 = """\
period: 2026-Q4
team: growth
objectives:
  - id: trials
    title: Make the product irresistible during trials
    owner: maria
    key_results:
      - id: aha
        title: Get 50% of trial users to the aha moment
        baseline: 45
        target: 50
"""


def test_round_trip_of_a_small_org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    files = {
        **orgkit.FILES,
        "org.yaml": ORG_MORE,
        "2026-Q3/support.yaml": SUPPORT,
        "2026-Q4/growth.yaml": Q4,
        "2026-Q3/people/maria.yaml": MARIA.replace("@Call", "Call").split("  - id: nothing")[0],
    }
    goals = orgkit.write_goals(tmp_path, files)
    again = round_trip(tmp_path, goals)
    assert_same(goal_data(again), goal_data(goals))


def test_round_trip_keeps_texts_a_spreadsheet_would_run(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # what cannot be a row (an objective without key results, a goal that supports
    # nothing) is named on stderr and left out of the comparison
    again = round_trip(tmp_path, small)
    order, objectives, goals, parents = goal_data(small)
    order[("2026-Q3", "growth")].remove("later")
    del objectives["2026-Q3/growth/later"]
    del goals["2026-Q3/maria/nothing"]
    assert_same(goal_data(again), (order, objectives, goals, parents))


def test_stdout_is_utf8_whatever_the_terminal_says(small: Path, tmp_path: Path):
    """`okrsite export csv > okrs.csv` where the terminal is not UTF-8 (Windows'
    redirection writes its ANSI code page): the file is UTF-8, as import reads it."""
    import os
    import subprocess

    company = small / "2026-Q3" / "company.yaml"
    text = company.read_text(encoding="utf-8")
    company.write_text(text.replace("title: ", "title: Zoë → ", 1), encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    run = subprocess.run(
        ["okrsite", "export", "csv", "--goals-dir", str(small)], capture_output=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert "Zoë → " in run.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1 day", "@SUM(A1)", "\t=1", " =1", "\u00a0=1", "\u3000+1", "\ufeff=1",
     "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20A1", "'=1", "''+1", "Plain", "'quoted'"],
)  # fmt: skip
def test_a_formula_like_text_is_quoted_on_export_and_unquoted_on_import(value: str):
    """One rule both ways: what a spreadsheet could run is kept as text by one more
    leading apostrophe, which the import drops again."""
    from okrsite.commands.export_sheet import text
    from okrsite.commands.importsheet import clean_cell

    written = text(value)
    runs_as_formula = value.lstrip(" \t\u00a0\u3000\ufeff'")[:1] in "=+-@\uff1d\uff0b\uff0d\uff20"
    assert written.startswith("'") is (runs_as_formula or value.startswith("'"))
    if value[:1] not in (" ", "\u00a0", "\u3000", "\ufeff"):
        assert clean_cell(written) == value


def test_a_number_with_three_decimals_is_written_so_it_cannot_read_as_thousands():
    from okrsite.commands.export_sheet import number
    from okrsite.commands.importnumbers import decimal_mark, parse_number

    for value in (1.125, -12.5, 0.125, 999.999, 3.1416):
        cell = number(value)
        assert parse_number(cell, decimal_mark([cell]))[0] == value
