"""Questions asked of the goal graph in more than one place, answered once.

Each walks the links the loader made (alignment cycles are broken at load time, so
every walk ends) and reads nothing else: no period of the calendar, no settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrsite.model.graph import KeyResult, Objective, Organization, Team
from okrsite.model.periods import Period


def team_objectives(team: Team, period: Period) -> list[Objective]:
    """The objectives ``team`` itself set for ``period``, in file order."""
    return [o for o in team.objectives if o.period == period]


def all_key_results(org: Organization) -> Iterator[KeyResult]:
    """Every key result of the organisation, objective by objective, in file order."""
    for obj in org.objectives.values():
        yield from obj.key_results
