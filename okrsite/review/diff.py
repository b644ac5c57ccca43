"""A semantic diff of goal data between two loaded organisations.

Items are matched by id (reordering is not a change); fields are compared as the
site shows them. Private goals never appear unless both sides were loaded with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrsite.model import scoring
from okrsite.model.chain import chain_of
from okrsite.model.graph import (
    Checkin,
    Goal,
    KeyResult,
    Kpi,
    Objective,
    Organization,
    Person,
    Team,
)
from okrsite.model.queries import all_key_results

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KINDS = ("team", "person", "kpi", "objective", "key result", "goal")


@dataclass(frozen=True)
class FieldChange:
    """One field of an item, as it was and as it is."""

    name: str
    old: Any
    new: Any


@dataclass
class ItemChange:
    """One added, removed or changed item."""

    kind: str
    key: str
    title: str
    status: str
    group: str  # what a reviewer scans by: the team (or "Company KPIs", "People")
    item: Any = None  # the item on the side where it exists (head, else base)
    fields: list[FieldChange] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)  # new check-ins / measurements
    score: tuple[float | None, float | None] | None = None


@dataclass
class GoalDiff:
    """Every change from ``base`` to ``head``, and the review warnings they raise."""

    base: str
    head: str
    changes: list[ItemChange]
    warnings: list[str]
    # What the reader should know about a side, e.g. that a ref has no goals folder
    # (so everything is added or removed). Not review warnings: they do not fail CI.
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind of item: how many were added, removed and changed."""
        table = {k: {ADDED: 0, REMOVED: 0, CHANGED: 0} for k in KINDS}
        for c in self.changes:
            table[c.kind][c.status] += 1
        return table

    def by_key(self) -> dict[str, ItemChange]:
        """Each change by ``kind:key`` (``objective:2026-Q3/sales/win``)."""
        return {f"{c.kind}:{c.key}": c for c in self.changes}


def _name(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, Person | Team | Kpi):
        return x.name
    if isinstance(x, Objective | KeyResult):
        return x.key
    return x


def _fields(pairs: Iterable[tuple[str, Any, Any]]) -> list[FieldChange]:
    return [FieldChange(n, o, v) for n, o, v in pairs if o != v]


def _team_group(team: Team) -> str:
    return f"Team {team.name}"


def _new_checkins(old: list[Checkin], new: list[Checkin]) -> list[Checkin]:
    seen = {(c.date, c.value, c.confidence, c.note) for c in old}
    return [c for c in new if (c.date, c.value, c.confidence, c.note) not in seen]


def compare(
    base: Organization,
    head: Organization,
    today: date,
    base_name: str = "base",
    head_name: str = "head",
) -> GoalDiff:
    """Every difference between ``base`` and ``head``, with review warnings."""
    changes: list[ItemChange] = []
    warnings: list[str] = []

    def walk(
        kind: str,
        old: dict,
        new: dict,
        title: Callable[[Any], str],
        group: Callable[[Any], str],
        fields: Callable[[Any, Any], list[FieldChange]],
        extra: Callable[[Any, Any, ItemChange], None] | None = None,
    ) -> None:
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            if a is None:
                changes.append(ItemChange(kind, key, title(b), ADDED, group(b), b))
            elif b is None:
                changes.append(ItemChange(kind, key, title(a), REMOVED, group(a), a))
            else:
                change = ItemChange(kind, key, title(b), CHANGED, group(b), b, fields(a, b))
                if extra:
                    extra(a, b, change)
                if change.fields or change.checkins:
                    changes.append(change)

    walk(
        "team",
        base.teams,
        head.teams,
        lambda t: t.name,
        lambda t: "Teams",
        lambda a, b: _fields(
            [
                ("name", a.name, b.name),
                ("parent", _name(a.parent), _name(b.parent)),
                ("lead", _name(a.lead), _name(b.lead)),
            ]
        ),
    )
    walk(
        "person",
        base.people,
        head.people,
        lambda p: p.name,
        lambda p: "People",
        lambda a, b: _fields([("name", a.name, b.name), ("team", a.team.name, b.team.name)]),
    )

    def kpi_extra(a: Kpi, b: Kpi, change: ItemChange) -> None:
        change.checkins = _new_checkins(a.history, b.history)
        # as of the site's day, as every page reads a KPI
        was, now = scoring.kpi_state(a, today), scoring.kpi_state(b, today)
        if not was.alert and now.alert:
            warnings.append(
                f"KPI {b.name} is now in alert: {now.current:g} is worse than {b.alert:g}"
            )

    walk(
        "kpi",
        base.kpis,
        head.kpis,
        lambda k: k.name,
        lambda k: "Company KPIs",
        lambda a, b: _fields(
            [
                ("name", a.name, b.name),
                ("unit", a.unit, b.unit),
                ("direction", a.direction, b.direction),
                ("alert", a.alert, b.alert),
                ("owner", _name(a.owner), _name(b.owner)),
                ("description", a.description, b.description),
                ("update_every", a.update_every, b.update_every),
            ]
        ),
        kpi_extra,
    )

    def obj_extra(a: Objective, b: Objective, change: ItemChange) -> None:
        old_s, new_s = scoring.objective_score(a), scoring.objective_score(b)
        if old_s != new_s:
            change.score = (old_s, new_s)
        if not chain_of(a).broken and chain_of(b).broken:
            warnings.append(
                f'{_team_group(b.team)}, objective "{b.title}" ({b.period.key}): '
                "its chain no longer reaches a company KPI"
            )

    walk(
        "objective",
        base.objectives,
        head.objectives,
        lambda o: o.title,
        lambda o: _team_group(o.team),
        lambda a, b: _fields(
            [
                ("title", a.title, b.title),
                ("owner", _name(a.owner), _name(b.owner)),
                ("aligns_to", _name(a.parent), _name(b.parent)),
                ("continues", _name(a.continues), _name(b.continues)),
                ("description", a.description, b.description),
            ]
        ),
        obj_extra,
    )

    old_krs = {kr.key: kr for kr in all_key_results(base)}
    new_krs = {kr.key: kr for kr in all_key_results(head)}

    def kr_extra(a: KeyResult, b: KeyResult, change: ItemChange) -> None:
        change.checkins = _new_checkins(a.checkins, b.checkins)
        old_p, new_p = scoring.kr_progress(a), scoring.kr_progress(b)
        if old_p != new_p:
            change.score = (old_p, new_p)
        period = b.objective.period
        if not period.contains(today):
            return
        where = f'{_team_group(b.objective.team)}, key result "{b.title}" ({period.key})'
        if a.target != b.target and abs(b.target - b.baseline) < abs(a.target - a.baseline):
            revised = any(r.old_target == a.target for r in b.revisions)
            warnings.append(
                f"{where}: target made easier ({a.target:g} → {b.target:g}) while "
                f"the period runs" + ("" if revised else "; no 'revisions' entry gives the reason")
            )
        elif a.target != b.target and not any(r.old_target == a.target for r in b.revisions):
            warnings.append(
                f"{where}: target changed ({a.target:g} → {b.target:g}) while the "
                "period runs, with no 'revisions' entry giving the reason"
            )
        if a.baseline != b.baseline:
            warnings.append(
                f"{where}: baseline moved ({a.baseline:g} → {b.baseline:g}) while the period runs"
            )

    walk(
        "key result",
        old_krs,
        new_krs,
        lambda k: k.title,
        lambda k: _team_group(k.objective.team),
        lambda a, b: _fields(
            [
                ("title", a.title, b.title),
                ("kpi", _name(a.kpi), _name(b.kpi)),
                ("baseline", a.baseline, b.baseline),
                ("target", a.target, b.target),
                ("unit", a.unit, b.unit),
                ("owner", _name(a.owner), _name(b.owner)),
                ("weight", a.weight, b.weight),
            ]
        ),
        kr_extra,
    )
    for key, kr in old_krs.items():
        if key not in new_krs and kr.objective.period.contains(today):
            warnings.append(
                f'{_team_group(kr.objective.team)}, key result "{kr.title}" '
                f"({kr.objective.period.key}) was removed while the period runs"
            )

    def goal_extra(a: Goal, b: Goal, change: ItemChange) -> None:
        change.checkins = _new_checkins(a.checkins, b.checkins)
        if not chain_of(a).broken and chain_of(b).broken:
            warnings.append(
                f'goal "{b.title}" of {b.owner.name}: its chain no longer reaches a company KPI'
            )

    walk(
        "goal",
        base.goals,
        head.goals,
        lambda g: g.title,
        lambda g: f"{_team_group(g.owner.team)}: goals",
        lambda a, b: _fields(
            [
                ("title", a.title, b.title),
                ("supports", _name(a.supports), _name(b.supports)),
                ("metric", a.metric, b.metric),
                ("baseline", a.baseline, b.baseline),
                ("target", a.target, b.target),
                ("unit", a.unit, b.unit),
                ("due", a.due, b.due),
                ("status", a.status, b.status),
                ("achievable", a.achievable, b.achievable),
            ]
        ),
        goal_extra,
    )
    return GoalDiff(base_name, head_name, changes, warnings)
