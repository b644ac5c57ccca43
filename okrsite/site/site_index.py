"""What the pages ask of the goal graph: per-period lists, counts, trees and cascades.

:class:`SiteIndex` builds the per-period lists once per build, so that every page reads
them in O(1) instead of walking the whole organisation; the functions below it answer
questions about one item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from okrsite.model import scoring
from okrsite.model.graph import (
    Goal,
    KeyResult,
    Kpi,
    Objective,
    Organization,
    Person,
    Team,
    parent_objective,
)
from okrsite.model.periods import Period
from okrsite.review.rules import Finding


class SiteIndex:
    """One organisation's objectives, goals, KPIs and people as the pages list them."""

    def __init__(self, org: Organization, today: date | None = None):
        self.org = org
        self.by_period: dict[str, list[Objective]] = {}
        self.teams_with_objectives: set[tuple[str, str]] = set()
        for obj in org.objectives.values():
            self.by_period.setdefault(obj.period.key, []).append(obj)
            for team in (obj.team, *obj.team.ancestors()):
                key = (team.id, obj.period.key)
                if key in self.teams_with_objectives:
                    break
                self.teams_with_objectives.add(key)
        self.goals_by_period: dict[str, list[Goal]] = {}
        for goal in org.goals.values():
            self.goals_by_period.setdefault(goal.period.key, []).append(goal)
        # Private goals of a period, whether they support anything or not: counted
        # as the public ones are (the home page counts them all too).
        self.private_by_period = org.private_by_period
        # KPIs in alert lead, then the rest in file order.
        self.in_alert = {k.id for k in org.kpis.values() if scoring.kpi_state(k, today).alert}
        self.kpis_ordered = sorted(org.kpis.values(), key=lambda k: k.id not in self.in_alert)
        self.people_sorted = sorted(org.people.values(), key=lambda p: (p.name.casefold(), p.id))

    def objectives_in(self, period: Period) -> list[Objective]:
        """The objectives of ``period``, in file order."""
        return self.by_period.get(period.key, [])

    def goals_in(self, period: Period) -> list[Goal]:
        """The public goals of ``period``, in file order."""
        return self.goals_by_period.get(period.key, [])

    def private_in(self, period: Period) -> int:
        """How many private goals ``period`` has."""
        return self.private_by_period.get(period.key, 0)

    def teams_in_period(self, period: Period) -> list[str]:
        """The ids of the teams with objectives of their own in ``period``, sorted."""
        return sorted({o.team.id for o in self.objectives_in(period)})

    def has_objectives_below(self, team: Team, period: Period) -> bool:
        """Whether ``team`` or a team under it has objectives in ``period``."""
        return (team.id, period.key) in self.teams_with_objectives

    def kpis_in_alert(self) -> list[Kpi]:
        """The KPIs in alert, in file order."""
        return [k for k in self.kpis_ordered if k.id in self.in_alert]

    def goal_counts(self, period: Period, team: Team | None) -> dict[str, int]:
        """Public goals by status supporting the OKRs of ``team`` in ``period`` (with no
        team: every goal of the period, supporting anything or nothing), and the
        anonymous count of private ones, counted the same way."""
        counts = {"open": 0, "done": 0, "missed": 0, "dropped": 0, "private": 0}
        if team is None:
            for goal in self.goals_in(period):
                counts[goal.status] += 1
            counts["private"] = self.private_in(period)
            return counts
        for obj in self.objectives_in(period):
            if obj.team is not team:
                continue
            supported: list[Objective | KeyResult] = [obj, *obj.key_results]
            for item in supported:
                counts["private"] += item.private_goals
                for goal in item.goals:
                    counts[goal.status] += 1
        return counts

    def cascade_roots(self, period: Period) -> list[Objective]:
        """Objectives of ``period`` that align to nothing inside the same period."""
        return [
            o
            for o in self.objectives_in(period)
            if (parent := parent_objective(o)) is None or parent.period != period
        ]

    def team_tree(self, team: Team | None = None, depth: int = 0) -> list[tuple[Team, int]]:
        """Teams depth-first from ``team`` (default the root), with their depth."""
        team = team or self.org.root
        out = [(team, depth)]
        for child in team.children:
            out.extend(self.team_tree(child, depth + 1))
        return out

    def findings_by_team(self, findings: list[Finding]) -> list[tuple[Team | None, list[Finding]]]:
        """Findings grouped by team, teams in tree order, the organisation-wide last."""
        groups: dict[str | None, list[Finding]] = {}
        for f in findings:
            groups.setdefault(f.team.id if f.team else None, []).append(f)
        ordered: list[tuple[Team | None, list[Finding]]] = [
            (t, groups[t.id]) for t, _ in self.team_tree() if t.id in groups
        ]
        if None in groups:
            ordered.append((None, groups[None]))
        return ordered


def stale_krs(objectives: list[Objective], today: date, days: int) -> list[KeyResult]:
    """Key results of ``objectives`` with no check-in in ``days`` in a running period."""
    return [kr for o in objectives for kr in o.key_results if scoring.kr_is_stale(kr, today, days)]


def aligned_in_period(obj: Objective) -> list[Objective]:
    """Objectives aligned to ``obj`` or to one of its key results, same period."""
    kids = list(obj.aligned)
    for kr in obj.key_results:
        kids.extend(kr.aligned)
    return [k for k in kids if k.period == obj.period]


def has_page(item: Any) -> bool:
    """Whether ``item`` has a page of its own to link to."""
    return isinstance(item, Goal | KeyResult | Objective | Kpi | Team | Person)


def item_title(item: Any) -> str:
    """An item's title, or its name for the kinds that have names (teams, people, KPIs)."""
    return getattr(item, "title", "") or getattr(item, "name", "")


def kind_of(item: Any) -> str:
    """A human label for an item's kind."""
    return {
        Goal: "Goal", KeyResult: "Key result", Objective: "Objective", Kpi: "KPI",
        Team: "Team", Person: "Person",
    }.get(type(item), "")  # fmt: skip
