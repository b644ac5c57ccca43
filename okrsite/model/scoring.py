"""Scoring as docs/guide/scoring.md explains it: key result progress, objective, team and
period scores, bands, KPI state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from okrsite.model.graph import Goal, KeyResult, Kpi, Objective
from okrsite.model.periods import Period

RED, YELLOW, GREEN = "red", "yellow", "green"
# Decimals a score is shown with (formatting.fmt_score): bands and pace go by the
# numbers as shown, so a reader never sees 0.70 called yellow.
SHOWN = 2


def current_value(baseline: float, checkins: list) -> float:
    """The newest check-in's value (check-ins are kept oldest first), else the baseline."""
    return checkins[-1].value if checkins else baseline


def progress(baseline: float, target: float, current: float, direction: str | None = None) -> float:
    """(current - baseline) / (target - baseline), clamped to 0..1.

    A target equal to its baseline has no distance to cover: it scores 1.0 when the
    current value is at or better than the target in ``direction`` (``up``/``down``,
    known when the key result moves a KPI), or equal to it when no direction is known.
    """
    if target == baseline:
        if direction == "up":
            return 1.0 if current >= target else 0.0
        if direction == "down":
            return 1.0 if current <= target else 0.0
        return 1.0 if current == target else 0.0
    return min(1.0, max(0.0, (current - baseline) / (target - baseline)))


def kr_current(kr: KeyResult) -> float:
    return current_value(kr.baseline, kr.checkins)


def kr_progress(kr: KeyResult) -> float:
    """A key result's progress, 0..1."""
    direction = kr.kpi.direction if kr.kpi else None
    return progress(kr.baseline, kr.target, kr_current(kr), direction)


def objective_score(obj: Objective) -> float | None:
    """The weighted mean of its key results' progress (None with no key results)."""
    total = sum(kr.weight for kr in obj.key_results)
    if not total:
        return None
    return sum(kr_progress(kr) * kr.weight for kr in obj.key_results) / total


def mean_score(objectives: Iterable[Objective]) -> float | None:
    """Plain mean of objective scores: the score of a team or a period."""
    scores = [s for s in (objective_score(o) for o in objectives) if s is not None]
    return sum(scores) / len(scores) if scores else None


def band(score: float | None) -> str | None:
    """red below 0.4, yellow from 0.4 to below 0.7, green from 0.7: of the score as
    shown, to two decimals (a mean of three 0.7s is 0.6999999999999998 in binary
    floats; a reader who sees 0.70 must see green)."""
    if score is None:
        return None
    score = round(score, SHOWN)
    if score < 0.4:
        return RED
    return YELLOW if score < 0.7 else GREEN


def goal_progress(goal: Goal) -> float | None:
    """A SMART goal's progress when it has numbers, else None."""
    if goal.baseline is None or goal.target is None:
        return None
    return progress(goal.baseline, goal.target, current_value(goal.baseline, goal.checkins))


def latest_confidence(checkins: list) -> float | None:
    """The confidence of the newest check-in that has one."""
    for c in reversed(checkins):
        if c.confidence is not None:
            return c.confidence
    return None


ON_TRACK, AT_RISK, OFF_TRACK = "on track", "at risk", "off track"
UPDATE_DAYS = {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}


# Pace: how far progress may trail the elapsed share of its time and still be on track,
# and how far it may trail while only at risk. docs/guide/scoring.md and the pace chip's
# title text quote these.
ON_TRACK_GAP, AT_RISK_GAP = 0.10, 0.25


def elapsed_share(start: date, end: date, today: date) -> float:
    """The share of the days from ``start`` to ``end`` (both counted) passed by ``today``
    (counted as passed), 0..1: where progress "should" be today."""
    if today < start:
        return 0.0
    if today > end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


def expected_by_now(period: Period, today: date) -> float:
    """The elapsed share of the period, 0..1: where a key result or objective should be."""
    return elapsed_share(period.start, period.end, today)


def goal_window(goal: Goal) -> tuple[date, date]:
    """A goal's time: from its period's start to its due date (the period's end without
    one; a due date before the period starts counts as the start)."""
    start = goal.period.start
    return start, max(goal.due or goal.period.end, start)


def goal_expected(goal: Goal, today: date) -> float:
    """The elapsed share of a goal's time (:func:`goal_window`): a goal is expected at
    100% by its due date, so its pace runs to that date, not to the period's end."""
    return elapsed_share(*goal_window(goal), today)


def pace_gap(progress_now: float, expected: float) -> float:
    """How far progress trails the expected share, as read on the page: both to two
    decimals first, as they are shown, then the difference (0.8 - 0.7 is
    0.10000000000000009 in floats)."""
    return round(round(expected, SHOWN) - round(progress_now, SHOWN), SHOWN)


def pace(progress_now: float | None, expected: float) -> str | None:
    """On track / at risk / off track: how far progress trails the elapsed share.

    gap = expected - progress (:func:`pace_gap`, as read on the page, so the chip never
    contradicts its numbers); on track when gap <= ON_TRACK_GAP (0.10), at risk when
    gap <= AT_RISK_GAP (0.25), off track beyond. Ahead of time is on track.
    """
    if progress_now is None:
        return None
    gap = pace_gap(progress_now, expected)
    if gap <= ON_TRACK_GAP:
        return ON_TRACK
    return AT_RISK if gap <= AT_RISK_GAP else OFF_TRACK


def goal_pace(goal: Goal, today: date) -> str | None:
    """An open measurable goal's pace against its own time; None when it is not open
    (done, missed and dropped say where it stands), has no numbers, has not begun, or
    is overdue (that says more than "off track")."""
    if goal.status != "open" or today < goal.period.start or is_overdue(goal, today):
        return None
    return pace(goal_progress(goal), goal_expected(goal, today))


def is_overdue(goal: Goal, today: date) -> bool:
    """An open goal whose time (:func:`goal_window`: its due date, else its period's
    end) has passed."""
    return goal.status == "open" and today > goal_window(goal)[1]


def last_checkin_age(checkins: list, period: Period, today: date) -> int:
    """Days since the newest check-in (or since the period began, without one)."""
    since = checkins[-1].date if checkins else period.start
    return (today - since).days


def kr_is_stale(kr: KeyResult, today: date, days: int) -> bool:
    """No check-in within ``days`` of ``today`` while the key result's period runs."""
    period = kr.objective.period
    return period.contains(today) and last_checkin_age(kr.checkins, period, today) > days


@dataclass(frozen=True)
class KpiState:
    """A KPI's current value, alert state and trend against the previous value."""

    current: float | None
    previous: float | None
    alert: bool
    trend: str | None  # "better" | "worse" | "flat" | None
    stale: bool = False  # no measurement within the KPI's update interval
    measured: date | None = None  # the date of ``current``


def kpi_state(kpi: Kpi, today: date | None = None, until: date | None = None) -> KpiState:
    """In alert when the newest value is worse than ``alert`` in the KPI's direction.

    Stale (with ``today`` and ``update_every``) when the newest measurement is older
    than the update interval: 1, 7, 31, 92 or 366 days. Measurements after ``until``
    (default: ``today``) are ignored: the state as it was on that day, e.g. at the end
    of a period.
    """
    # As of ``today``: a measurement dated later is not known yet on that day.
    until = today if until is None else until
    history = kpi.history if until is None else [h for h in kpi.history if h.date <= until]
    current = history[-1].value if history else None
    previous = history[-2].value if len(history) > 1 else None
    alert = False
    if current is not None and kpi.alert is not None:
        alert = current < kpi.alert if kpi.direction == "up" else current > kpi.alert
    trend = None
    if current is not None and previous is not None:
        if current == previous:
            trend = "flat"
        else:
            better = current > previous if kpi.direction == "up" else current < previous
            trend = "better" if better else "worse"
    stale = False
    if today is not None and kpi.update_every:
        last = history[-1].date if history else None
        stale = last is None or (today - last).days > UPDATE_DAYS[kpi.update_every]
    return KpiState(current, previous, alert, trend, stale, history[-1].date if history else None)
