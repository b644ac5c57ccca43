"""What a team's page shows, period by period: its objectives, its members' goals, its
sub-teams' scores and what changed since the last check-in.

Each team page asks once, for its own team; everything here reads only that team, its
objectives, its members' goals and its direct sub-teams, so a page costs O(team size)
and the whole build stays linear in the organisation. Whether a sub-team has objectives
further down comes from :class:`~okrsite.site.site_index.SiteIndex`, built once a build.

"What changed" (docs/guide/scoring.md, "Team pages: what changed"): for each key result
of the team's objectives in the period, and each public goal of its members in the
period, the newest check-in when it is dated within the stale window (``stale_days``
days back from today, today included), compared with the check-in before it (or with
the baseline when it is the first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from okrsite.model import scoring
from okrsite.model.graph import Goal, KeyResult, Objective, Team
from okrsite.model.periods import Period, current_first, current_period
from okrsite.site.site_index import SiteIndex


@dataclass(frozen=True)
class Change:
    """One item's newest check-in within the window, against the one before it."""

    item: KeyResult | Goal
    day: date
    before: float  # the previous check-in's value, or the baseline
    after: float
    progress_before: float | None
    progress_after: float | None
    confidence_before: float | None  # the newest confidence before this check-in
    confidence_after: float | None  # this check-in's own, None when it gave none
    first: bool  # no check-in before it: compared with the baseline

    @property
    def value_changed(self) -> bool:
        """Whether the check-in moved the value."""
        return self.before != self.after

    @property
    def confidence_changed(self) -> bool:
        """Whether the check-in gave a confidence other than the last one known."""
        return self.confidence_after is not None and self.confidence_after != self.confidence_before


@dataclass(frozen=True)
class SubTeam:
    """A direct sub-team in a period: its own objectives' score, or none of its own."""

    team: Team
    objectives: int
    score: float | None


@dataclass(frozen=True)
class TeamPeriod:
    """Everything a team page shows for one period."""

    period: Period
    objectives: list[Objective]
    score: float | None
    goals: list[Goal]  # the members' public goals, by owner name then file order
    private_goals: int  # private goals supporting the team's objectives and key results
    sub_teams: list[SubTeam]
    changes: list[Change]  # newest first


class TeamView:
    """Builds :class:`TeamPeriod` lists for team pages, one team at a time."""

    def __init__(self, index: SiteIndex, periods: list[Period], today: date, stale_days: int):
        self.index = index
        self.periods = periods
        self.today = today
        # The window of "since the last check-in": the same days a key result stays
        # fresh in (scoring.kr_is_stale: stale when older than stale_days).
        self.since = today - timedelta(days=max(stale_days, 0))
        self.current = current_period(periods, today)
        self.ordered = current_first(periods, today)

    def team_periods(self, team: Team) -> list[TeamPeriod]:
        """The periods ``team``'s page shows: the current one first, then the others
        newest first; a period shows when the team, a team below it or one of its
        members has something in it."""
        objectives: dict[str, list[Objective]] = {}
        for obj in team.objectives:
            objectives.setdefault(obj.period.key, []).append(obj)
        goals: dict[str, list[Goal]] = {}
        for person in sorted(team.members, key=lambda p: (p.name.casefold(), p.id)):
            for goal in person.goals:
                goals.setdefault(goal.period.key, []).append(goal)
        ordered = self.ordered
        out = []
        for period in ordered:
            objs = objectives.get(period.key, [])
            period_goals = goals.get(period.key, [])
            subs = self._sub_teams(team, period)
            if objs or period_goals or subs:
                out.append(
                    TeamPeriod(
                        period,
                        objs,
                        scoring.mean_score(objs),
                        period_goals,
                        sum(
                            o.private_goals + sum(k.private_goals for k in o.key_results)
                            for o in objs
                        ),
                        subs,
                        self._changes(objs, period_goals),
                    )
                )
        return out

    def _sub_teams(self, team: Team, period: Period) -> list[SubTeam]:
        """Direct sub-teams with objectives of their own or further down in ``period``."""
        out = []
        for child in team.children:
            if not self.index.has_objectives_below(child, period):
                continue
            objs = [o for o in child.objectives if o.period == period]
            out.append(SubTeam(child, len(objs), scoring.mean_score(objs)))
        return out

    def _changes(self, objectives: list[Objective], goals: list[Goal]) -> list[Change]:
        """The newest check-in of each key result and goal, when within the window."""
        out = []
        for obj in objectives:
            for kr in obj.key_results:
                direction = kr.kpi.direction if kr.kpi else None
                change = self._change(kr, kr.baseline, kr.checkins, kr.target, direction)
                if change:
                    out.append(change)
        for goal in goals:
            change = self._change(goal, goal.baseline, goal.checkins, goal.target, None)
            if change:
                out.append(change)
        # Newest first; on one day, key results before goals, each in page order.
        out.sort(key=lambda c: c.day, reverse=True)
        return out

    def _change(
        self,
        item: KeyResult | Goal,
        baseline: float | None,
        checkins: list,
        target: float | None,
        direction: str | None,
    ) -> Change | None:
        # A check-in dated after today is not known yet on the page's day.
        checkins = [c for c in checkins if c.date <= self.today]
        if not checkins:
            return None
        newest = checkins[-1]
        if newest.date < self.since:
            return None
        before = checkins[-2].value if len(checkins) > 1 else baseline
        if before is None:  # a goal's first check-in, with no baseline to compare with
            return None

        def progress(value: float) -> float | None:
            if baseline is None or target is None:
                return None
            return scoring.progress(baseline, target, value, direction)

        return Change(
            item,
            newest.date,
            before,
            newest.value,
            progress(before),
            progress(newest.value),
            scoring.latest_confidence(checkins[:-1]),
            newest.confidence,
            len(checkins) == 1,
        )
