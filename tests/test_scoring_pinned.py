"""Scoring pinned: each rule of okrsite/model/scoring.py and chain.py with exact values,
so that any change of a rule fails a test. tests/test_core_units.py pins the basics
(progress up and down, weights, bands at 0.4 and 0.7, the elapsed share, the chain);
this file adds the rest, until scripts/mutants.py kills every mutant that can change a
result: check-ins out of order for goals, confidence, goals with half their numbers,
objectives without key results, zero weights, team scores period over period, pace at
its tolerances, staleness at its edges, the KPI's state and trend. Real goal files in tmp_path where the loader
matters; model objects where only the arithmetic does."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from okrsite.diagnostics import DataError
from okrsite.model import scoring
from okrsite.model.graph import Checkin, Goal, Kpi, Organization, Person, Source
from okrsite.model.periods import parse_period
from okrsite.model.queries import team_objectives
from okrsite.site.widgets import pace_chip
from okrsite.source.loader import load

from orgkit import ANA, COMPANY, FILES, GROWTH, KPIS, write_goals


def org(tmp_path: Path, changes: dict[str, str]) -> Organization:
    return load(write_goals(tmp_path, {**FILES, **changes})).org


def kpi(direction: str, *points: tuple[date, float], **fields) -> Kpi:
    """A KPI with its history (oldest first, as the loader keeps it)."""
    history = [Checkin(day, value) for day, value in points]
    return Kpi("k", "K", direction, Source("kpis.yaml", 1), history=history, **fields)


D = date(2026, 7, 1)


# -- current values: the newest check-in by date -------------------------------------------


def test_a_goals_newest_checkin_counts_whatever_the_order_written(tmp_path: Path):
    checkins = """\
    checkins:
      - {date: 2026-08-10, value: 30.5}
      - {date: 2026-07-15, value: 20}
      - {date: 2026-09-01, value: 26.5, confidence: 0.6}
      - {date: 2026-07-20, value: 33}
"""
    tips = org(tmp_path, {"2026-Q3/people/ana.yaml": ANA + checkins}).goals["2026-Q3/ana/tips"]
    assert [c.value for c in tips.checkins] == [20, 33, 30.5, 26.5]  # oldest first
    assert scoring.current_value(18, tips.checkins) == 26.5
    assert scoring.goal_progress(tips) == pytest.approx(0.5)  # 18 -> 35, now 26.5


def test_on_the_same_date_the_later_checkin_in_the_file_counts(tmp_path: Path):
    checkins = """\
        checkins:
          - {date: 2026-07-06, value: 106}
          - {date: 2026-07-06, value: 104}
"""
    found = org(tmp_path, {"2026-Q3/company.yaml": COMPANY + checkins})
    nrr = found.objectives["2026-Q3/company/retention"].key_results[1]
    assert scoring.kr_current(nrr) == 104
    assert scoring.kr_progress(nrr) == pytest.approx(0.25)


def test_the_confidence_is_the_newest_one_given():
    old, new = date(2026, 7, 6), date(2026, 7, 20)
    assert scoring.latest_confidence([Checkin(old, 1, 0.7), Checkin(new, 2, None)]) == 0.7
    assert scoring.latest_confidence([Checkin(old, 1, 0.7), Checkin(new, 2, 0.4)]) == 0.4
    assert scoring.latest_confidence([Checkin(old, 1, None)]) is None
    assert scoring.latest_confidence([]) is None


# -- goals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ("    baseline: 10\n    target: 4\n", 0.5),  # down, from 10 to 4, now 7
        ("    baseline: 4\n    target: 6\n", 1.0),  # past the target: clamped
        ("    baseline: 8\n    target: 12\n", 0.0),  # below the baseline: clamped
        ("    baseline: 7\n    target: 7\n", 1.0),  # no distance, at the target
        ("    baseline: 6\n    target: 6\n", 0.0),  # no distance, no direction: not there
        ("    baseline: 10\n", None),  # half the numbers: no progress
        ("    target: 4\n", None),
    ],
)
def test_goal_progress(tmp_path: Path, numbers: str, expected: float | None):
    goal = (
        "  - id: calls\n    title: Cut the average call to under 4 minutes\n"
        f"{numbers}    checkins:\n      - {{date: 2026-07-20, value: 7}}\n"
    )
    goals = org(tmp_path, {"2026-Q3/people/ana.yaml": ANA + goal}).goals
    assert scoring.goal_progress(goals["2026-Q3/ana/calls"]) == expected


# -- objectives, teams, periods --------------------------------------------------------------


def test_an_objective_without_key_results_has_no_score_and_counts_for_nothing(tmp_path: Path):
    empty = """\
  - id: later
    title: Be the support team customers recommend
    owner: ana
    key_results: []
"""
    found = org(tmp_path, {"2026-Q3/growth.yaml": GROWTH + empty})
    later = found.objectives["2026-Q3/growth/later"]
    retention = found.objectives["2026-Q3/company/retention"]
    assert scoring.objective_score(later) is None
    assert scoring.band(scoring.objective_score(later)) is None
    assert scoring.mean_score([later, retention]) == pytest.approx(0.25)
    assert scoring.mean_score([later]) is None


TEAM_Q2 = """\
period: 2026-Q2
team: growth
objectives:
  - id: onboarding
    title: Make the first week with the product effortless
    owner: ana
    key_results:
      - id: setup
        title: Cut setup time from 40 to 20 minutes
        baseline: 40
        target: 20
        checkins:
          - {date: 2026-06-20, value: 25}
      - id: tickets
        title: Cut onboarding tickets from 50 to 30 a week
        baseline: 50
        target: 30
        weight: 3
        checkins:
          - {date: 2026-06-25, value: 45}
  - id: docs
    title: Answer every question before it is asked
    owner: ana
    key_results:
      - id: articles
        title: Grow help-centre self-service from 20% to 60%
        baseline: 20
        target: 60
        checkins:
          - {date: 2026-06-28, value: 50}
"""


def test_team_scores_period_over_period(tmp_path: Path):
    aha = GROWTH + "        checkins:\n          - {date: 2026-08-01, value: 40}\n"
    found = org(tmp_path, {"2026-Q2/growth.yaml": TEAM_Q2, "2026-Q3/growth.yaml": aha})
    growth = found.teams["growth"]
    q2, q3 = found.periods["2026-Q2"], found.periods["2026-Q3"]
    onboarding, docs = team_objectives(growth, q2)
    assert scoring.objective_score(onboarding) == pytest.approx((0.75 + 0.25 * 3) / 4)
    assert scoring.objective_score(docs) == pytest.approx(0.75)
    assert scoring.mean_score(team_objectives(growth, q2)) == pytest.approx(0.5625)
    assert scoring.band(scoring.mean_score(team_objectives(growth, q2))) == scoring.YELLOW
    # Q3: trial-to-paid 0.0, aha 25 -> 45 now 40: 0.75; one objective
    assert scoring.mean_score(team_objectives(growth, q3)) == pytest.approx(0.375)
    assert scoring.band(scoring.mean_score(team_objectives(growth, q3))) == scoring.RED


def test_the_kpi_at_the_end_of_each_period(tmp_path: Path):
    kpis = KPIS + "      - {date: 2026-09-30, value: 3.1}\n      - {date: 2026-07-31, value: 3.9}\n"
    gross = org(tmp_path, {"kpis.yaml": kpis}).kpis["gross-churn"]
    q2, q3 = parse_period("2026-Q2"), parse_period("2026-Q3")
    assert q2 and q3
    at_q2 = scoring.kpi_state(gross, until=q2.end)  # the measurement on the last day counts
    assert (at_q2.current, at_q2.previous, at_q2.trend) == (4.2, None, None)
    at_q3 = scoring.kpi_state(gross, until=q3.end)
    assert (at_q3.current, at_q3.previous, at_q3.trend) == (3.1, 3.9, "better")
    on_the_day_before = scoring.kpi_state(gross, until=date(2026, 9, 29))
    assert (on_the_day_before.current, on_the_day_before.previous) == (3.9, 4.2)
    assert scoring.kpi_state(gross, until=date(2026, 6, 29)).current is None
    # as of a day: what was measured after it is not known yet, whichever page asks
    as_of = scoring.kpi_state(gross, date(2026, 9, 29))
    assert (as_of.current, as_of.previous) == (3.9, 4.2)
    assert as_of.measured == date(2026, 7, 31)  # the date shown beside the value
    assert scoring.kpi_state(gross, date(2026, 9, 30)).current == 3.1


def test_the_objective_score_is_the_weighted_mean_of_three(tmp_path: Path):
    third = """\
      - id: expansion
        title: Grow expansion revenue from 10% to 20% of new revenue
        baseline: 10
        target: 20
        weight: 2
        checkins:
          - {date: 2026-07-20, value: 19}
"""
    found = org(tmp_path, {"2026-Q3/company.yaml": COMPANY + third})
    retention = found.objectives["2026-Q3/company/retention"]
    # churn 0.5 (weight 1), nrr 0.0 (weight 1), expansion 0.9 (weight 2)
    assert scoring.objective_score(retention) == pytest.approx((0.5 + 0 + 0.9 * 2) / 4)


def _seventy_percent(tmp_path: Path, count: int) -> float | None:
    """The score of an objective with ``count`` key results, each at 0.70."""
    krs = "".join(
        f"""\
      - id: kr{i}
        title: Grow weekly active teams from 10 to 20
        baseline: 10
        target: 20
        checkins:
          - {{date: 2026-07-20, value: 17}}
"""
        for i in range(count)
    )
    product = f"""\
period: 2026-Q3
team: product
objectives:
  - id: active
    title: Make the product part of every team's week
    owner: maria
    key_results:
{krs}"""
    found = org(tmp_path, {"2026-Q3/product.yaml": product})
    return scoring.objective_score(found.objectives["2026-Q3/product/active"])


@pytest.mark.parametrize("weight", ["0.0", "-1"])
def test_a_weight_of_zero_or_below_is_refused_at_its_line(tmp_path: Path, weight: str):
    # so no objective with key results has a total weight of 0 to divide by
    company = COMPANY.replace(
        "        kpi: gross-churn\n", f"        kpi: gross-churn\n        weight: {weight}\n"
    )
    with pytest.raises(DataError) as caught:
        org(tmp_path, {"2026-Q3/company.yaml": company})
    [error] = caught.value.diagnostics
    assert (error.path, error.line) == ("goals/2026-Q3/company.yaml", 11)
    assert f"weight {weight} in key result 'churn'" in error.message


def test_two_key_results_at_seventy_percent_make_a_green_objective(tmp_path: Path):
    assert _seventy_percent(tmp_path, 2) == 0.7
    assert scoring.band(_seventy_percent(tmp_path, 2)) == scoring.GREEN


def test_three_key_results_at_seventy_percent_make_a_green_objective(tmp_path: Path):
    assert scoring.band(_seventy_percent(tmp_path, 3)) == scoring.GREEN


# -- pace ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected", "pace"),
    [
        (None, 0.5, None),
        (1.0, 0.25, scoring.ON_TRACK),  # ahead of time
        (0.5, 0.5, scoring.ON_TRACK),
        (0.4375, 0.5, scoring.ON_TRACK),  # gap 0.0625
        (0.0, 0.1, scoring.ON_TRACK),  # gap 0.10 exactly: the tolerance is inclusive
        (0.375, 0.5, scoring.AT_RISK),  # gap 0.125
        (0.3, 0.5, scoring.AT_RISK),  # gap 0.2
        (0.25, 0.5, scoring.AT_RISK),  # gap 0.25 exactly: still at risk
        (0.2421875, 0.5, scoring.OFF_TRACK),  # gap 0.2578125
        (0.2, 0.5, scoring.OFF_TRACK),  # gap 0.3
        (0.0, 1.0, scoring.OFF_TRACK),
    ],
)
def test_pace_and_its_tolerances(progress: float | None, expected: float, pace: str | None):
    assert scoring.pace(progress, expected) == pace


def test_pace_goes_by_the_numbers_as_shown():
    # 13 of 200 on 2026-07-16: progress 0.065 shows as 0.07 (a float a hair above),
    # expected 16/92 = 0.1739 shows as 0.17; the gap as read, 0.10, is on track
    q3 = parse_period("2026-Q3")
    assert q3 is not None
    expected = scoring.expected_by_now(q3, date(2026, 7, 16))
    progress = scoring.progress(0, 200, 13)
    assert (f"{progress:.2f}", f"{expected:.2f}") == ("0.07", "0.17")
    assert scoring.pace(progress, expected) == scoring.ON_TRACK
    assert scoring.pace(0.0649, 0.1751) == scoring.AT_RISK  # 0.06 against 0.18: 0.12


def test_pace_on_a_day_of_a_real_quarter():
    q3 = parse_period("2026-Q3")  # 92 days
    assert q3 is not None
    expected = scoring.expected_by_now(q3, date(2026, 8, 15))  # day 46
    assert expected == 0.5
    assert scoring.pace(0.4, expected) == scoring.ON_TRACK
    assert scoring.pace(0.39, expected) == scoring.AT_RISK
    assert scoring.pace(0.24, expected) == scoring.OFF_TRACK


def test_a_gap_that_reads_ten_points_is_on_track():
    q1 = parse_period("2026-Q1")  # 90 days
    assert q1 is not None
    expected = scoring.expected_by_now(q1, date(2026, 3, 13))  # day 72: 0.80
    assert scoring.pace(scoring.progress(10, 20, 17), expected) == scoring.ON_TRACK


def test_the_tolerances_are_the_ones_the_guide_gives():
    assert (scoring.ON_TRACK_GAP, scoring.AT_RISK_GAP) == (0.10, 0.25)


SOURCE = Source("goals.yaml", 1)


def _goal(status: str = "open", due: date | None = date(2026, 7, 31), value: float = 35) -> Goal:
    q3 = parse_period("2026-Q3")  # 2026-07-01 .. 09-30
    assert q3 is not None
    person = Person("ana", "Ana", None, SOURCE)  # type: ignore[arg-type]
    goal = Goal("g", "A goal", q3, person, SOURCE, baseline=0, target=100, due=due)
    goal.status = status
    goal.checkins = [Checkin(date(2026, 7, 10), value)]
    return goal


@pytest.mark.parametrize(
    ("start", "end", "today", "share"),
    [
        (date(2026, 7, 1), date(2026, 7, 31), date(2026, 6, 30), 0.0),
        (date(2026, 7, 1), date(2026, 7, 31), date(2026, 7, 1), 1 / 31),  # first day counts
        (date(2026, 7, 1), date(2026, 7, 31), date(2026, 7, 16), 16 / 31),
        (date(2026, 7, 1), date(2026, 7, 31), date(2026, 7, 31), 1.0),
        (date(2026, 7, 1), date(2026, 7, 31), date(2026, 8, 1), 1.0),
        (date(2026, 7, 1), date(2026, 7, 1), date(2026, 7, 1), 1.0),  # a one-day span
    ],
)
def test_elapsed_share(start: date, end: date, today: date, share: float):
    assert scoring.elapsed_share(start, end, today) == pytest.approx(share)


def test_a_goals_pace_runs_to_its_due_date_not_the_periods_end():
    goal = _goal()  # due 07-31; 35 of 100
    assert scoring.goal_window(goal) == (date(2026, 7, 1), date(2026, 7, 31))
    today = date(2026, 7, 18)  # 18 of 31 days: expected 0.58
    assert scoring.goal_expected(goal, today) == pytest.approx(18 / 31)
    assert scoring.goal_pace(goal, today) == scoring.AT_RISK  # gap 0.23
    # against the whole quarter (18 of 92 days) the same goal would look on track
    quarter = scoring.elapsed_share(date(2026, 7, 1), date(2026, 9, 30), today)
    assert scoring.pace(0.35, quarter) == scoring.ON_TRACK
    assert scoring.goal_pace(goal, date(2026, 7, 25)) == scoring.OFF_TRACK  # 0.81 expected


def test_a_goal_without_a_due_date_runs_to_the_periods_end():
    goal = _goal(due=None)
    assert scoring.goal_window(goal) == (date(2026, 7, 1), date(2026, 9, 30))
    goal = _goal(due=date(2026, 6, 1))  # due before the period: its start
    assert scoring.goal_window(goal) == (date(2026, 7, 1), date(2026, 7, 1))


@pytest.mark.parametrize("status", ["done", "missed", "dropped"])
def test_only_an_open_goal_has_a_pace_or_is_overdue(status: str):
    goal = _goal(status=status)
    assert scoring.goal_pace(goal, date(2026, 7, 18)) is None
    assert not scoring.is_overdue(goal, date(2026, 8, 15))


def test_a_goal_has_no_pace_before_its_period_or_without_numbers():
    goal = _goal()
    assert scoring.goal_pace(goal, date(2026, 6, 30)) is None
    assert scoring.goal_pace(goal, date(2026, 7, 1)) == scoring.ON_TRACK  # its first day
    goal.baseline = None
    assert scoring.goal_pace(goal, date(2026, 7, 18)) is None


def test_an_open_goal_is_overdue_the_day_after_its_due_date():
    goal = _goal()
    assert not scoring.is_overdue(goal, date(2026, 7, 31))
    assert scoring.goal_pace(goal, date(2026, 7, 31)) == scoring.OFF_TRACK
    assert scoring.is_overdue(goal, date(2026, 8, 1))
    assert scoring.goal_pace(goal, date(2026, 8, 1)) is None  # overdue says more
    # without a due date, the period's end is its due date
    assert not scoring.is_overdue(_goal(due=None), date(2026, 9, 30))
    assert scoring.is_overdue(_goal(due=None), date(2026, 10, 1))


def test_the_pace_chip_says_its_formula_and_tolerance():
    chip = str(pace_chip(0.35, 18 / 31, "the time to its due date"))
    assert ">at risk " in chip and "expected 0.58" in chip
    assert "Progress 0.35, expected 0.58 by today (the share of the time" in chip
    assert "): 0.23 behind." in chip
    assert "the share of the time to its due date passed" in chip
    assert "On track up to 0.10 behind, at risk up to 0.25, off track beyond." in chip
    assert "not behind" in str(pace_chip(0.9, 0.5, "the period"))
    assert str(pace_chip(None, 0.5, "the period")) == ""


# -- staleness -------------------------------------------------------------------------------


def test_a_key_result_is_stale_after_the_days_given(tmp_path: Path):
    checkins = """\
        checkins:
          - {date: 2026-07-20, value: 106}
          - {date: 2026-07-06, value: 104}
"""
    found = org(tmp_path, {"2026-Q3/company.yaml": COMPANY + checkins})
    churn, nrr = found.objectives["2026-Q3/company/retention"].key_results
    q3 = found.periods["2026-Q3"]
    assert scoring.last_checkin_age(nrr.checkins, q3, date(2026, 8, 3)) == 14
    assert not scoring.kr_is_stale(nrr, date(2026, 8, 3), 14)
    assert scoring.kr_is_stale(nrr, date(2026, 8, 4), 14)
    assert scoring.kr_is_stale(churn, date(2026, 7, 21), 14)  # 15 days after 07-06
    assert not scoring.kr_is_stale(churn, date(2026, 7, 20), 14)
    # outside its period a key result is never stale
    assert not scoring.kr_is_stale(churn, date(2026, 10, 1), 14)
    assert not scoring.kr_is_stale(churn, date(2026, 6, 30), 14)
    assert scoring.kr_is_stale(churn, date(2026, 9, 30), 14)


def test_without_checkins_the_age_counts_from_the_period_start():
    q3 = parse_period("2026-Q3")
    assert q3 is not None
    assert scoring.last_checkin_age([], q3, date(2026, 7, 15)) == 14
    assert scoring.last_checkin_age([], q3, date(2026, 7, 1)) == 0


@pytest.mark.parametrize(
    ("every", "days"), [("day", 1), ("week", 7), ("month", 31), ("quarter", 92), ("year", 366)]
)
def test_a_kpi_is_stale_one_day_after_its_interval(every: str, days: int):
    last = date(2026, 7, 10)
    measured = kpi("up", (date(2026, 1, 1), 1.0), (last, 2.0), update_every=every)
    assert not scoring.kpi_state(measured, last + timedelta(days=days)).stale
    assert scoring.kpi_state(measured, last + timedelta(days=days + 1)).stale


def test_when_a_kpi_is_stale_or_not():
    never = kpi("up", update_every="week")
    assert scoring.kpi_state(never, D).stale  # no measurement at all
    assert not scoring.kpi_state(never).stale  # no day to measure from
    measured = kpi("up", (date(2020, 1, 1), 1.0), update_every="week")
    assert not scoring.kpi_state(measured).stale
    assert not scoring.kpi_state(kpi("up", (date(2020, 1, 1), 1.0)), D).stale  # no interval
    # as of a day before the measurements: none yet
    assert scoring.kpi_state(measured, D, until=date(2019, 12, 31)).stale


# -- KPI state and trend -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "alert"),
    [
        ("down", 5.0, False),  # equal is not an alert
        ("down", 5.1, True),
        ("down", 4.9, False),
        ("up", 5.0, False),
        ("up", 4.9, True),
        ("up", 5.1, False),
    ],
)
def test_a_kpi_is_in_alert_when_worse_than_its_alert_value(direction, value, alert):
    state = scoring.kpi_state(kpi(direction, (D, value), alert=5.0))
    assert (state.current, state.alert) == (value, alert)


def test_a_kpi_without_an_alert_value_or_a_measurement_is_not_in_alert():
    assert not scoring.kpi_state(kpi("up", (D, -1e9))).alert
    assert not scoring.kpi_state(kpi("down", (D, 1e9))).alert
    assert scoring.kpi_state(kpi("down", alert=5.0)) == scoring.KpiState(
        None, None, False, None, False
    )


@pytest.mark.parametrize(
    ("direction", "previous", "current", "trend"),
    [
        ("up", 3.0, 4.0, "better"),
        ("up", 4.0, 3.0, "worse"),
        ("down", 3.0, 4.0, "worse"),
        ("down", 4.0, 3.0, "better"),
        ("up", 3.0, 3.0, "flat"),
        ("down", 3.0, 3.0, "flat"),
    ],
)
def test_a_kpis_trend_in_its_direction(direction, previous, current, trend):
    older = (date(2026, 5, 31), 9.0)  # only the newest two count
    state = scoring.kpi_state(kpi(direction, older, (date(2026, 6, 30), previous), (D, current)))
    assert (state.current, state.previous, state.trend) == (current, previous, trend)


def test_one_measurement_has_no_trend():
    assert scoring.kpi_state(kpi("up", (D, 4.0))) == scoring.KpiState(
        4.0, None, False, None, measured=D
    )


def test_a_kpis_history_is_read_oldest_first_whatever_the_file_order(tmp_path: Path):
    kpis = KPIS + "      - {date: 2026-07-31, value: 3.9}\n      - {date: 2026-05-31, value: 4.4}\n"
    gross = org(tmp_path, {"kpis.yaml": kpis}).kpis["gross-churn"]
    state = scoring.kpi_state(gross, date(2026, 8, 1))
    assert (state.current, state.previous, state.trend, state.alert) == (3.9, 4.2, "better", False)


def test_bands_and_pace_go_by_two_decimals_as_shown():
    """A score shown as 0.70 is green and a gap shown as 0.10 is on track, whatever the
    third decimal; one shown as 0.69 or 0.11 is not."""
    assert scoring.band(0.6951) == scoring.GREEN  # shown 0.70
    assert scoring.band(0.6949) == scoring.YELLOW  # shown 0.69
    assert scoring.band(0.3951) == scoring.YELLOW  # shown 0.40
    assert scoring.band(0.3949) == scoring.RED  # shown 0.39
    assert scoring.pace(0.5, 0.6049) == scoring.ON_TRACK  # gap shown 0.10
    assert scoring.pace(0.5, 0.6051) == scoring.AT_RISK  # gap shown 0.11
    assert scoring.pace(0.5, 0.7549) == scoring.AT_RISK  # gap shown 0.25
    assert scoring.pace(0.5, 0.7551) == scoring.OFF_TRACK  # gap shown 0.26
