"""The chart of each item kind: which series, reference lines and words a chart shows.

:mod:`okrsite.site.charts` draws; this module decides what a key result's, goal's,
KPI's or team's chart holds, and writes the ``<desc>`` a screen reader reads instead.
Every chart is drawn as of the build's ``today``: in a period still running, the newest
value is marked "so far", never drawn as final.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from okrsite.formatting import fmt_score, fmt_value, period_state, plural
from okrsite.model import scoring
from okrsite.model.graph import Checkin, Goal, KeyResult, Kpi, Team
from okrsite.model.periods import Period
from okrsite.model.queries import team_objectives
from okrsite.site import charts


def score_bands() -> list[charts.Band]:
    """The colour bands of :func:`scoring.band` on the 0..1 scale, lowest first.

    Found by asking ``scoring.band`` itself at every score it tells apart (two decimals),
    so a changed threshold moves the chart's bands with the chips.
    """
    names = [scoring.band(c / 100) or "" for c in range(101)]
    edges = [c for c in range(1, 101) if names[c] != names[c - 1]]
    bounds = [0, *edges, 100]
    bands = []
    for low, high in itertools.pairwise(bounds):
        name = names[low]
        span = (
            f"below {high / 100:g}"
            if low == 0
            else f"from {low / 100:g}"
            if high == 100
            else f"{low / 100:g} to {high / 100:g}"
        )
        bands.append(charts.Band(low / 100, high / 100, f"{name} {span}", f"okr-chart__{name}"))
    return bands


def _is_running(start: date, end: date, today: date) -> bool:
    return start <= today <= end


def _measured_chart(
    *,
    title: str,
    what: str,
    checkins: Sequence[Checkin],
    baseline: float,
    target: float,
    unit: str | None,
    start: date,
    end: date,
    today: date,
    due: bool = False,
    extra: Sequence[charts.Line] = (),
    ident: str,
) -> Markup:
    """A key result's or goal's chart: check-ins, baseline, target, the expected-pace
    line from baseline at ``start`` to target at ``end``, and a confidence strip.

    With ``due``, ``end`` is a goal's due date, marked as such; a check-in after it
    stretches the axis to its date rather than being drawn at the due date."""
    rising = target >= baseline
    lines = [
        charts.Line(
            baseline, f"baseline {fmt_value(baseline, unit)}", "okr-chart__baseline", rising
        ),
        charts.Line(target, f"target {fmt_value(target, unit)}", "okr-chart__target", not rising),
        *extra,
    ]
    points = [(c.date, c.value) for c in checkins]
    conf = [(c.date, c.confidence) for c in checkins if c.confidence is not None]
    until = max([end, *(d for d, _ in points)]) if due else end
    running = _is_running(start, end, today)
    so_far = f"{fmt_value(points[-1][1], unit)} so far" if running and points else ""
    expected = baseline + (target - baseline) * scoring.elapsed_share(start, end, today)
    if not points:
        latest = "no check-ins yet"
    else:
        latest = f"latest {fmt_value(points[-1][1], unit)} on {points[-1][0].isoformat()}" + (
            f", so far: it runs until {end.isoformat()}" if running else ""
        )
    desc = (
        f"{plural(len(points), what)} from {start.isoformat()} to {until.isoformat()}"
        f"{', in ' + unit if unit else ''}; baseline {fmt_value(baseline, unit)}, "
        f"target {fmt_value(target, unit)}, {latest}. The expected-pace line runs straight "
        f"from the baseline on {start.isoformat()} to the target on {end.isoformat()}"
        + (" (the due date)" if due else "")
        + (
            f"; expected by today {fmt_value(_like(expected, baseline, target), unit)}."
            if running
            else "."
        )
    )
    if conf:
        desc += f" Confidence in its own strip below; latest {conf[-1][1]:.0%}."
    return charts.line_chart(
        title=title,
        desc=desc,
        points=points,
        start=start,
        end=until,
        unit=unit or "",
        lines=lines,
        pace=((start, baseline), (end, target)),
        so_far=so_far,
        today=today if running else None,
        due=end if due else None,
        confidence=conf,
        ident=ident,
    )


def _like(value: float, *written: float) -> float:
    """``value`` to one decimal more than the numbers it comes from are written with
    (78.6 accounts between 0 and 120, not 78.614): a computed value claims no more
    precision than its inputs."""
    places = max((len(f"{w:g}".partition(".")[2]) for w in written), default=0)
    return round(value, min(places + 1, 3))


def kr_chart(kr: KeyResult, today: date) -> Markup:
    """Check-ins against baseline, target and expected pace; confidence in a strip."""
    period = kr.objective.period
    extra = []
    if kr.revisions:
        extra.append(charts.Line(kr.original_target, "original target", "okr-chart__original"))
    return _measured_chart(
        title=f"Check-ins: {kr.title}",
        what="check-in",
        checkins=kr.checkins,
        baseline=kr.baseline,
        target=kr.target,
        unit=kr.unit,
        start=period.start,
        end=period.end,
        today=today,
        extra=extra,
        ident=f"chart-kr-{kr.id}",
    )


def goal_chart(goal: Goal, today: date) -> Markup | str:
    """A measurable goal's check-ins from its period's start to its due date (else the
    period's end), or to a later check-in; nothing for a goal without baseline and
    target or check-ins."""
    if goal.baseline is None or goal.target is None or not goal.checkins:
        return ""
    start, end = scoring.goal_window(goal)
    return _measured_chart(
        title=f"Check-ins: {goal.title}",
        what="check-in",
        checkins=goal.checkins,
        baseline=goal.baseline,
        target=goal.target,
        unit=goal.unit,
        start=start,
        end=end,
        today=today,
        due=True,
        ident="chart-goal",
    )


def kpi_chart(kpi: Kpi, today: date) -> Markup | str:
    """A KPI's measurements with its alert threshold; nothing for a KPI without any.

    Every measurement is final: a KPI has no period, so no pace and no "so far"."""
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
        f"{plural(len(points), 'measurement')} from {points[0][0].isoformat()} to "
        f"{points[-1][0].isoformat()}{', in ' + kpi.unit if kpi.unit else ''}; current "
        f"{fmt_value(state.current, kpi.unit)}"
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
        start=points[0][0],
        end=max(points[-1][0], points[0][0]),
        lines=lines,
        unit=kpi.unit or "",
        series_label="measurements",
        ident=f"chart-kpi-{kpi.id}",
    )


def team_chart(team: Team, periods: Sequence[Period], today: date) -> Markup | str:
    """The team's score per period (``periods`` in order) on the colour bands; nothing
    for a team scored in fewer than two periods that have begun.

    A closed period's score sits at its end; a running one's at ``today``, marked "so
    far"; a period not yet begun has no score to show.
    """
    points = []
    for period in periods:
        state = period_state(period, today)
        score = scoring.mean_score(team_objectives(team, period))
        if score is not None and state != "upcoming":
            when = today if state == "running" else period.end
            points.append((when, score, period))
    if len(points) < 2:
        return ""
    running = period_state(points[-1][2], today) == "running"
    # Early in a period a score "so far" is low by nature: the share of the period
    # passed says what it should be by now, so the fall to it does not read as a loss.
    expected = fmt_score(scoring.expected_by_now(points[-1][2], today))
    bands = score_bands()
    words = [
        f"{p.key} {fmt_score(s)}"
        + (
            f" so far, expected {expected} by now (runs until {p.end.isoformat()})"
            if p is points[-1][2] and running
            else ""
        )
        for _, s, p in points
    ]
    desc = (
        "Team score per period: "
        + "; ".join(words)
        + ". Bands as the score chips: "
        + ", ".join(b.label for b in reversed(bands))
        + "."
    )
    ticks = sorted({0.0, 1.0, *(b.low for b in bands)})
    return charts.line_chart(
        title=f"{team.name}: score per period",
        desc=desc,
        points=[(d, v) for d, v, _ in points],
        start=points[0][2].start,
        end=points[-1][2].end,
        bands=bands,
        so_far=f"{fmt_score(points[-1][1])} so far, expected {expected}" if running else "",
        today=today if running else None,
        x_labels=[(d, p.key) for d, _, p in points],
        axis=charts.fixed_axis(ticks),
        series_label="team score",
        ident=f"chart-team-{team.id}",
    )
