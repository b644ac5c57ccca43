"""Scoring per SPEC: key result progress, objective/team/period scores, bands, KPI state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Goal, KeyResult, Kpi, Objective

RED, YELLOW, GREEN = "red", "yellow", "green"


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
    """red below 0.4, yellow from 0.4 to below 0.7, green from 0.7."""
    if score is None:
        return None
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


@dataclass(frozen=True)
class KpiState:
    """A KPI's current value, alert state and trend against the previous value."""

    current: float | None
    previous: float | None
    alert: bool
    trend: str | None  # "better" | "worse" | "flat" | None


def kpi_state(kpi: Kpi) -> KpiState:
    """In alert when the newest value is worse than ``alert`` in the KPI's direction."""
    current = kpi.current
    previous = kpi.history[-2].value if len(kpi.history) > 1 else None
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
    return KpiState(current, previous, alert, trend)
