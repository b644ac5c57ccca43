"""The quarter at a glance: what state each objective and key result is in, and what in a
period needs attention. Read by the period page, the home page and the print summary.

How an item is grouped (:func:`state_of`; docs/guide/scoring.md, "At a glance"), first
rule that applies:

1. **not started**: no check-in yet (a key result without check-ins; an objective none
   of whose key results has one, or with no key results at all). Nothing has been
   reported, so no score of it says anything yet.
2. **done**: progress (a key result) or score (an objective) is 1.00 as shown
   (:data:`scoring.SHOWN` decimals, as bands and pace read it).
3. While the period runs, or before it starts: its **pace**,
   :func:`scoring.pace` of the progress against :func:`scoring.expected_by_now`
   (on track, at risk, off track).
4. After the period ends: its **final band**, green = on track, yellow = at risk,
   red = off track.

:func:`attention` lists what needs a reader's attention in one period: items off track,
KPIs in alert (as of the period's end once it is over), stale key results, objectives
whose chain reaches no KPI, and how many goals have a broken chain (a count only:
private goals are never named).

:func:`cut` keeps the list within :data:`GLANCE_ROWS` rows: a page of every item of a
10,000-goal organisation would be megabytes. Rows go in group order until the budget is
used; what does not fit is counted per team, each count linking to that team's page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from okrsite.model import scoring
from okrsite.model.chain import Chain, Step, chain_of
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period

NOT_STARTED, DONE = "not started", "done"
# The order of the groups on the page: what needs action first, what is finished and
# what has not begun last.
STATES = (scoring.OFF_TRACK, scoring.AT_RISK, scoring.ON_TRACK, DONE, NOT_STARTED)
# A final band read as a state once the period is over.
_BAND_STATE = {
    scoring.RED: scoring.OFF_TRACK,
    scoring.YELLOW: scoring.AT_RISK,
    scoring.GREEN: scoring.ON_TRACK,
}

Item = Objective | KeyResult

# How many objectives and key results the at-a-glance list shows as rows: every one in an
# organisation of some hundred goals; beyond, the first in group order (off track first)
# and the rest counted per team.
GLANCE_ROWS = 400
# How many entries each "Needs attention" list names before it says how many more there
# are: stale key results and broken chains can number thousands in a large organisation.
NEEDS_ROWS = 10


class PeriodLists(Protocol):
    """Per-period lists made once per build (``okrsite.site.site_index.SiteIndex`` is
    one), so that asking about each period does not walk the whole organisation."""

    def objectives_in(self, period: Period) -> list[Objective]: ...

    def goals_in(self, period: Period) -> list[Goal]: ...


def _started(item: Item) -> bool:
    if isinstance(item, KeyResult):
        return bool(item.checkins)
    return any(kr.checkins for kr in item.key_results)


def _value(item: Item) -> float | None:
    if isinstance(item, KeyResult):
        return scoring.kr_progress(item)
    return scoring.objective_score(item)


def state_of(item: Item, today: date) -> str:
    """The group of ``item`` on the at-a-glance page, one of :data:`STATES` (the rules
    are in this module's docstring)."""
    value = _value(item)
    if value is None or not _started(item):
        return NOT_STARTED
    if round(value, scoring.SHOWN) >= 1:
        return DONE
    period = item.period
    if today > period.end:
        return _BAND_STATE[scoring.band(value) or scoring.RED]
    # pace() returns a state for any number; the fallback is for the type checker.
    return scoring.pace(value, scoring.expected_by_now(period, today)) or scoring.ON_TRACK


@dataclass(frozen=True)
class Attention:
    """What needs attention in one period."""

    off_track: list[Item]  # objectives, each followed by its key results, file order
    kpis_in_alert: list[Kpi]
    stale: list[KeyResult]
    broken: list[Objective]  # objectives of the period whose chain reaches no KPI
    broken_goals: int  # public + private goals of the period with a broken chain

    @property
    def empty(self) -> bool:
        """Nothing needs attention."""
        return not (
            self.off_track or self.kpis_in_alert or self.stale or self.broken or self.broken_goals
        )


def period_items(objectives: Sequence[Objective]) -> list[Item]:
    """Each objective followed by its key results, in the order given."""
    items: list[Item] = []
    for obj in objectives:
        items.append(obj)
        items.extend(obj.key_results)
    return items


def attention(
    org: Organization,
    period: Period,
    today: date,
    stale_days: int,
    *,
    index: PeriodLists | None = None,
    chain: Callable[[Step], Chain] = chain_of,
) -> Attention:
    """What needs attention in ``period`` as of ``today``.

    ``index`` gives the period's objectives and goals without walking the organisation
    (without it, one walk of it); ``chain`` is :func:`chain_of` or a memoised copy.

    Goals with a broken chain: the period's goals whose chain reaches no KPI, public and
    private alike: the public ones (and all, with ``include_private``) as goals, those
    supporting nothing included; the private ones from what loading keeps of them, by
    the goal's period: the item each supports (of any period), and how many support
    nothing. The same count with private goals shown or not.
    """
    if index is not None:
        objectives, goals = index.objectives_in(period), index.goals_in(period)
    else:
        objectives = [o for o in org.objectives.values() if o.period == period]
        goals = [g for g in org.goals.values() if g.period == period]
    items = period_items(objectives)
    off_track = [i for i in items if state_of(i, today) == scoring.OFF_TRACK]
    # A KPI has no period: its state as of the period's end once the period is over.
    day = min(today, period.end)
    alerts = [k for k in org.kpis.values() if scoring.kpi_state(k, day, until=day).alert]
    stale = [
        i for i in items if isinstance(i, KeyResult) and scoring.kr_is_stale(i, today, stale_days)
    ]
    broken = [o for o in objectives if chain(o).broken]
    # Goals held as objects: the public ones (all of them with include_private).
    held = sum(1 for g in goals if chain(g).broken)
    # The rest are counts. A goal's chain is that of the item it supports (the same
    # steps above it).
    broken_private = sum(1 for i in org.private_supports.get(period.key, []) if chain(i).broken)
    unlinked_private = org.private_unlinked_by_period.get(period.key, 0)
    return Attention(off_track, alerts, stale, broken, held + broken_private + unlinked_private)


def team_ranks(org: Organization) -> dict[str, int]:
    """Each team's place in the team tree, depth first from the root: the order in which
    a group lists its items."""
    ranks: dict[str, int] = {}
    stack = [org.root]
    while stack:  # a loop, not recursion: a deep tree of teams must not overflow
        team = stack.pop()
        ranks[team.id] = len(ranks)
        stack.extend(reversed(team.children))
    return ranks


def grouped(
    objectives: Sequence[Objective], today: date, ranks: dict[str, int]
) -> list[tuple[str, list[Item]]]:
    """The objectives and key results of a period, by state in :data:`STATES` order,
    each group by team in tree order (``ranks``, :func:`team_ranks`), then in file order
    with each objective before its key results. Every state is listed, empty or not."""
    groups: dict[str, list[Item]] = {state: [] for state in STATES}
    for item in period_items(objectives):
        groups[state_of(item, today)].append(item)
    last = len(ranks)
    for items in groups.values():
        items.sort(key=lambda i: ranks.get(_team_id(i), last))  # stable: file order kept
    return list(groups.items())


def _team_id(item: Item) -> str:
    return (item.objective if isinstance(item, KeyResult) else item).team.id


def owner_of(item: Item) -> Person:
    """Who answers for ``item``: a key result's owner, else its objective's."""
    if isinstance(item, KeyResult):
        return item.owner or item.objective.owner
    return item.owner


def owners(items: Iterable[Item]) -> list[Person]:
    """The people who answer for ``items`` (:func:`owner_of`), each once, by name."""
    found = {id(p): p for p in map(owner_of, items)}
    return sorted(found.values(), key=lambda p: (p.name.casefold(), p.id))


@dataclass(frozen=True)
class Rest:
    """The items of one group and one team that the list does not show as rows."""

    team: Team
    count: int
    more: bool  # some of the team's items of the same group are shown as rows


@dataclass(frozen=True)
class Group:
    """One state's items on the at-a-glance list: all of them (``total`` counts them),
    those shown as rows, and the rest counted per team in the order of ``items``."""

    state: str
    items: list[Item]
    shown: list[Item]
    rest: list[Rest]

    @property
    def total(self) -> int:
        """How many items are in the group, shown or not."""
        return len(self.items)


def cut(groups: Sequence[tuple[str, list[Item]]], budget: int = GLANCE_ROWS) -> list[Group]:
    """``groups`` (:func:`grouped`) cut to ``budget`` rows: rows in group order until the
    budget is used, each item beyond it counted with its team (:class:`Rest`), so that
    the counts and rows of a group always add up to its total. Within the budget every
    item is a row and no group has a rest."""
    out = []
    left = max(0, budget)
    for state, items in groups:
        shown, hidden = items[:left], items[left:]
        left -= len(shown)
        with_rows = {_team_id(i) for i in shown}
        counts: dict[str, int] = {}
        teams: dict[str, Team] = {}
        for item in hidden:
            team = (item.objective if isinstance(item, KeyResult) else item).team
            counts[team.id] = counts.get(team.id, 0) + 1
            teams[team.id] = team
        rest = [Rest(teams[t], n, t in with_rows) for t, n in counts.items()]
        out.append(Group(state, items, shown, rest))
    return out
