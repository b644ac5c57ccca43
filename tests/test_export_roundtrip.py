"""`okrsite export csv`: the rows it writes (the round trip of issue 18 follows once
the importer reads every column)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from okrsite.commands import cli
from okrsite.commands.export_sheet import COLUMNS

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
