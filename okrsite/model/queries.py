"""Questions asked of the goal graph in more than one place, answered once.

Each walks the links the loader made (alignment cycles are broken at load time, so
every walk ends) and reads nothing else: no period of the calendar, no settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrsite.model.graph import Goal, KeyResult, Objective, Organization, Team
from okrsite.model.periods import Period


def team_objectives(team: Team, period: Period) -> list[Objective]:
    """The objectives ``team`` itself set for ``period``, in file order."""
    return [o for o in team.objectives if o.period == period]


def all_key_results(org: Organization) -> Iterator[KeyResult]:
    """Every key result of the organisation, objective by objective, in file order."""
    for obj in org.objectives.values():
        yield from obj.key_results


def items_below(kr: KeyResult) -> list[KeyResult | Objective]:
    """``kr`` and every objective and key result aligned below it, depth first: all a
    goal can support and still count towards ``kr`` (and the KPI it moves)."""
    out: list[KeyResult | Objective] = [kr]
    for obj in kr.aligned:
        out.append(obj)
        for child in obj.key_results:
            out.extend(items_below(child))
    return out


def goals_below(kr: KeyResult) -> list[Goal]:
    """The public goals supporting ``kr`` or anything aligned below it, depth first."""
    return [goal for item in items_below(kr) for goal in item.goals]


def private_goals_below(kr: KeyResult) -> int:
    """How many private goals support ``kr`` or anything aligned below it."""
    return sum(item.private_goals for item in items_below(kr))
