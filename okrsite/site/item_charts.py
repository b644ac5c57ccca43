"""The chart of each item kind: which series, reference lines and words a chart shows.

:mod:`okrsite.site.charts` draws; this module decides what a key result's, goal's,
KPI's or team's chart holds, and writes the ``<desc>`` a screen reader reads instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from okrsite.formatting import fmt_score, fmt_value, unit_suffix
from okrsite.model import scoring
from okrsite.model.graph import Goal, KeyResult, Kpi, Team
from okrsite.model.periods import Period
from okrsite.model.queries import team_objectives
from okrsite.site import charts

# Where a stretch OKR counts as a success, shaded on team charts.
STRETCH = charts.Band(0.6, 0.8, "stretch band 0.6-0.8", "okr-chart__stretch")


def kr_chart(kr: KeyResult) -> Markup:
    """Check-ins against baseline and target, confidence as a second series."""
    period = kr.objective.period
    lines = [
        charts.Line(
            kr.baseline, f"baseline {fmt_value(kr.baseline, kr.unit)}", "okr-chart__baseline"
        ),
        charts.Line(kr.target, f"target {fmt_value(kr.target, kr.unit)}", "okr-chart__target"),
    ]
    if kr.revisions:
        lines.append(charts.Line(kr.original_target, "original target", "okr-chart__original"))
    points = [(c.date, c.value) for c in kr.checkins]
    conf = [(c.date, c.confidence) for c in kr.checkins if c.confidence is not None]
    latest = (
        f"latest {fmt_value(points[-1][1], kr.unit)} on {points[-1][0].isoformat()}"
        if points
        else "no check-ins yet"
    )
    desc = (
        f"{len(points)} check-ins from {period.start.isoformat()} to "
        f"{period.end.isoformat()}; baseline {fmt_value(kr.baseline, kr.unit)}, "
        f"target {fmt_value(kr.target, kr.unit)}, {latest}; progress "
        f"{fmt_score(scoring.kr_progress(kr))}."
    )
    if conf:
        desc += f" Latest confidence {conf[-1][1]:.0%}."
    return charts.line_chart(
        title=f"Check-ins: {kr.title}",
        desc=desc,
        points=points,
        start=period.start,
        end=period.end,
        lines=lines,
        second=conf,
        second_label="confidence",
        unit=unit_suffix(kr.unit),
        ident=f"chart-kr-{kr.id}",
    )


def goal_chart(goal: Goal) -> Markup | str:
    """A measurable goal's check-ins against its baseline and target; nothing for a goal
    without both or without check-ins."""
    if goal.baseline is None or goal.target is None or not goal.checkins:
        return ""
    lines = [
        charts.Line(goal.baseline, "baseline", "okr-chart__baseline"),
        charts.Line(goal.target, "target", "okr-chart__target"),
    ]
    points = [(c.date, c.value) for c in goal.checkins]
    desc = (
        f"{len(points)} check-ins; baseline {fmt_value(goal.baseline, goal.unit)}, "
        f"target {fmt_value(goal.target, goal.unit)}, latest "
        f"{fmt_value(points[-1][1], goal.unit)} on {points[-1][0].isoformat()}."
    )
    conf = [(c.date, c.confidence) for c in goal.checkins if c.confidence is not None]
    return charts.line_chart(
        title=f"Check-ins: {goal.title}",
        desc=desc,
        points=points,
        start=goal.period.start,
        end=goal.period.end,
        lines=lines,
        second=conf,
        second_label="confidence",
        unit=unit_suffix(goal.unit),
        ident="chart-goal",
    )


def kpi_chart(kpi: Kpi, today: date) -> Markup | str:
    """A KPI's measurements with its alert threshold; nothing for a KPI without any."""
    if not kpi.history:
        return ""
    points = [(h.date, h.value) for h in kpi.history]
    lines = []
    if kpi.alert is not None:
        lines.append(
            charts.Line(kpi.alert, f"alert {fmt_value(kpi.alert, kpi.unit)}", "okr-chart__alert")
        )
    state = scoring.kpi_state(kpi, today)
    desc = (
        f"{len(points)} measurements from {points[0][0].isoformat()} to "
        f"{points[-1][0].isoformat()}; current {fmt_value(state.current, kpi.unit)}"
        + (
            f"; alert threshold {fmt_value(kpi.alert, kpi.unit)}, "
            f"{'in alert' if state.alert else 'not in alert'}"
            if kpi.alert is not None
            else ""
        )
        + f"; {'higher' if kpi.direction == 'up' else 'lower'} is better."
    )
    return charts.line_chart(
        title=f"History: {kpi.name}",
        desc=desc,
        points=points,
        lines=lines,
        unit=unit_suffix(kpi.unit),
        ident=f"chart-kpi-{kpi.id}",
    )


def team_chart(team: Team, periods: Sequence[Period]) -> Markup | str:
    """The team's score per period (``periods`` in order), with the stretch band;
    nothing for a team scored in fewer than two periods."""
    points = []
    for period in periods:
        score = scoring.mean_score(team_objectives(team, period))
        if score is not None:
            points.append((period.end, score, period.key))
    if len(points) < 2:
        return ""
    desc = (
        "Team score per period: "
        + "; ".join(f"{key} {fmt_score(score)}" for _, score, key in points)
        + ". The band marks 0.6 to 0.8, where a stretch OKR counts as a success."
    )
    return charts.line_chart(
        title=f"{team.name}: score per period",
        desc=desc,
        points=[(d, v) for d, v, _ in points],
        bands=[STRETCH],
        y_range=(0.0, 1.0),
        ident=f"chart-team-{team.id}",
    )
