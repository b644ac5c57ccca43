"""The items an edit of goal files touches, for `mkdocs serve`'s partial rebuilds: which
items were written in the edited files, which of them and their neighbours changed, the
goal-quality rules to run again, and the last build's findings and alignment maps moved
onto the new organisation. Pure, no MkDocs; :mod:`okrsite.site.partial` decides pages.

Items are named by :func:`ref`, the same in every load of the same files, so nothing here
keeps an item of one organisation in another's structures (the old organisation can go
as soon as the new one is the site's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import Any

from okrsite.model import chain, scoring
from okrsite.model.attention import state_of
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period
from okrsite.model.queries import all_key_results
from okrsite.review.rule_checks import Scope
from okrsite.review.rules import Finding
from okrsite.site.alignment import MapNode, MapPage, Shown

_KINDS: dict[type, str] = {
    Team: "team",
    Person: "person",
    Kpi: "kpi",
    Period: "period",
    Objective: "objective",
    KeyResult: "kr",
    Goal: "goal",
}


def ref(item: Any) -> str | None:
    """The key of a model item, the same in every load of the same files."""
    kind = _KINDS.get(type(item))
    if kind is None:
        return None
    key = item.id if kind in ("team", "person", "kpi") else item.key
    return f"{kind}:{key}"


def find(org: Organization, key: str) -> Any:
    """The item of ``org`` named ``key`` (a :func:`ref`), or None."""
    kind, _, name = key.partition(":")
    if kind == "kr":
        objective, _, kr_id = name.rpartition("/")
        obj = org.objectives.get(objective)
        return next((kr for kr in obj.key_results if kr.id == kr_id), None) if obj else None
    tables: dict[str, dict[str, Any]] = {
        "team": org.teams,
        "person": org.people,
        "kpi": org.kpis,
        "period": org.periods,
        "objective": org.objectives,
        "goal": org.goals,
    }
    return tables.get(kind, {}).get(name)


def items(org: Organization) -> Iterator[Any]:
    """Every item of ``org`` that has a :func:`ref`."""
    yield from org.teams.values()
    yield from org.people.values()
    yield from org.kpis.values()
    yield from org.periods.values()
    yield from org.objectives.values()
    yield from all_key_results(org)
    yield from org.goals.values()


def written_in(org: Organization, paths: Collection[str]) -> list[Any]:
    """The items of ``org`` written in the files ``paths`` (as their sources name them)."""
    return [i for i in items(org) if getattr(i, "source", None) and i.source.path in paths]


def below(item: Objective | KeyResult) -> Iterator[Any]:
    """Everything that aligns to ``item``, all the way down."""
    todo: list[Objective | KeyResult] = [item]
    while todo:
        step = todo.pop()
        yield from step.goals
        yield from step.aligned
        todo += step.aligned
        if isinstance(step, Objective):
            yield from step.key_results
            todo += step.key_results


def rule_scope(old: list[Any], new: list[Any], org: Organization) -> tuple[Scope, set[str]] | None:
    """What to check again in ``org`` after an edit of the files that held ``old`` (in
    the last organisation) and hold ``new`` items: the rules of every item written there,
    of the objectives below them (their chain runs through them), the counts of their
    teams and owners. With it, the refs whose findings it replaces. None when a file of
    teams, people, KPIs or periods changed: every rule again."""
    if any(isinstance(i, Team | Person | Kpi | Period) for i in [*old, *new]):
        return None
    objectives: set[str] = set()
    goals: set[str] = set()
    teams: set[str] = set()
    people: set[str] = set()
    for item in [*old, *new]:
        if isinstance(item, Goal):
            goals.add(item.key)
            people.add(item.owner.id)
            continue
        obj = item.objective if isinstance(item, KeyResult) else item
        objectives.add(obj.key)
        teams.add(obj.team.id)
        objectives.update(o.key for o in below(item) if isinstance(o, Objective))
    scope = Scope(
        [o for k in objectives if (o := org.objectives.get(k)) is not None],
        [g for k in goals if (g := org.goals.get(k)) is not None],
        [t for k in teams if (t := org.teams.get(k)) is not None],
        [p for k in people if (p := org.people.get(k)) is not None],
    )
    replaced = {f"objective:{k}" for k in objectives} | {f"goal:{k}" for k in goals}
    replaced |= {f"team:{k}" for k in teams} | {f"person:{k}" for k in people}
    for item in [*old, *new]:  # their key results, as they were and are
        obj = item.objective if isinstance(item, KeyResult) else item
        if isinstance(obj, Objective):
            replaced.update(f"kr:{kr.key}" for kr in obj.key_results)
    for o in scope.objectives:
        replaced.update(f"kr:{kr.key}" for kr in o.key_results)
    return scope, replaced


def merge_findings(
    kept: list[Finding], fresh: list[Finding], replaced: set[str], moved: dict[int, Any]
) -> list[Finding] | None:
    """The last build's findings of the items not checked again (``replaced`` are), moved
    onto their :func:`twins` in the new organisation, and ``fresh``: the findings of a
    whole run, in its order. None when an item of a kept finding is not in the new
    organisation (every rule again then)."""
    out = list(fresh)
    for f in kept:
        if ref(f.item) in replaced:
            continue
        item = moved.get(id(f.item))
        team = moved.get(id(f.team)) if f.team is not None else None
        if item is None or (f.team is not None and team is None):
            return None
        out.append(dataclasses.replace(f, item=item, team=team))
    out.sort(key=lambda f: (f.source.path, f.source.line, f.rule.code))
    return out


def findings_by_ref(findings: Iterable[Finding], only: Collection[str] | None = None) -> dict:
    """Each item's findings as compared (rule, level, message, where), by :func:`ref`."""
    out: dict[str | None, list[Any]] = {}
    for f in findings:
        key = ref(f.item)
        if only is None or key in only:
            out.setdefault(key, []).append((f.rule.code, f.level, f.message, str(f.source)))
    return out


def neighbours(item: Any) -> Iterator[Any]:
    """The items whose own fields name ``item`` (its lists hold it, it names them)."""
    yield item
    if isinstance(item, Goal | KeyResult | Objective):
        yield from chain.path_up(item)
    if isinstance(item, Objective):
        yield from item.key_results
        yield item.team
        if item.continues is not None:
            yield item.continues
        yield from item.continued_by
    for name in ("owner", "kpi", "team"):
        if (linked := getattr(item, name, None)) is not None:
            yield linked
    if isinstance(item, KeyResult):
        yield from neighbours(item.objective)


def changed(
    old: Organization,
    new: Organization,
    candidates: Iterable[str],
    today: date,
    findings_changed: Collection[str],
) -> set[str]:
    """The refs among ``candidates`` whose item differs between the two organisations: its
    own fields, its links (by ref), a value derived from it (score, progress, state), its
    findings (``findings_changed``), or that one side lacks."""
    out = set(findings_changed)
    for key in candidates:
        if key in out:
            continue
        was, now = find(old, key), find(new, key)
        if was is None or now is None or _print(was, today) != _print(now, today):
            out.add(key)
    return out


def _value(value: Any) -> Any:
    """A field's value as compared: items by key, containers element by element."""
    if type(value) in _KINDS:
        return ref(value)
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _value(v)) for k, v in value.items()))
    return value


def _print(item: Any, today: date) -> tuple[Any, ...]:
    fields = tuple(_value(getattr(item, f.name)) for f in dataclasses.fields(item))
    return fields, _derived(item, today)


def _derived(item: Any, today: date) -> Any:
    if isinstance(item, Objective):
        return (scoring.objective_score(item), state_of(item, today))
    if isinstance(item, KeyResult):
        return (scoring.kr_progress(item), scoring.kr_current(item), state_of(item, today))
    if isinstance(item, Goal):
        return (scoring.goal_progress(item), scoring.goal_pace(item, today))
    if isinstance(item, Kpi):
        return scoring.kpi_state(item, today)
    return None


def same_layout(old: Organization, new: Organization, keys: Collection[str]) -> bool:
    """Whether the alignment maps keep their layout: only goals changed, each where it
    was (what it supports is the same)."""
    for key in keys:
        if not key.startswith("goal:"):
            return False
        was, now = find(old, key), find(new, key)
        if was is None or now is None or ref(was.supports) != ref(now.supports):
            return False
    return True


def twins(old: Organization, new: Organization) -> dict[int, Any]:
    """Each item of ``old`` (by ``id``) and the item of ``new`` of the same :func:`ref`,
    where there is one: one pass over both organisations' tables instead of a
    :func:`find` per item moved (a map of 10,000 goals holds 30,000 of them)."""
    out: dict[int, Any] = {}
    tables: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (old.teams, new.teams),
        (old.people, new.people),
        (old.kpis, new.kpis),
        (old.periods, new.periods),
        (old.objectives, new.objectives),
        (old.goals, new.goals),
    ]
    for was, now in tables:
        for key, item in was.items():
            if (twin := now.get(key)) is not None:
                out[id(item)] = twin
    for key, obj in old.objectives.items():
        if (twin := new.objectives.get(key)) is not None:
            krs = {kr.id: kr for kr in twin.key_results}
            for kr in obj.key_results:
                if (new_kr := krs.get(kr.id)) is not None:
                    out[id(kr)] = new_kr
    return out


def rebind_maps(maps: list[MapPage], moved: dict[int, Any]) -> list[MapPage] | None:
    """The last build's map pages, their items replaced by their :func:`twins` in the
    new organisation (in place: they are the last plan's, which goes). For maps of the
    same layout (:func:`same_layout`); None when an item is missing."""

    def to(item: Any) -> Any:
        return moved[id(item)]  # KeyError: not in the new organisation

    done: set[int] = set()

    def node(n: MapNode) -> None:
        todo = [n]
        while todo:
            here = todo.pop()
            if id(here) in done:
                continue
            done.add(id(here))
            if here.item is not None:
                here.item = to(here.item)
            here.goals = [to(g) for g in here.goals]
            todo += here.branches

    def shown(s: Shown) -> None:
        todo = [s]
        while todo:
            here = todo.pop()
            node(here.node)
            here.goals = [to(g) for g in here.goals]
            todo += here.branches

    try:
        for page in maps:
            page.period = to(page.period)
            page.trail = [to(t) for t in page.trail]
            page.kpis = [
                (to(k), [dataclasses.replace(m, kr=to(m.kr)) for m in movers], n)
                for k, movers, n in page.kpis
            ]
            if page.root is not None:
                node(page.root)
            for root in page.roots:
                shown(root)
    except KeyError:
        return None
    return maps


def map_index(maps: Iterable[tuple[str, MapPage]]) -> dict[str, set[str]]:
    """For each item (by ref), the map pages that draw it, above or in their tree."""
    index: dict[str, set[str]] = {}
    for src, page in maps:
        drawn: list[Any] = list(page.trail)
        if page.root is not None:
            drawn.append(page.root.item)
        for kpi, movers, _ in page.kpis:
            drawn.append(kpi)
            drawn += [m.kr for m in movers]
        todo = list(page.roots)
        while todo:
            here = todo.pop()
            drawn.append(here.node.item)
            drawn += here.goals
            todo += here.branches
        for item in drawn:
            if item is not None and (key := ref(item)) is not None:
                index.setdefault(key, set()).add(src)
    return index


def tree_refs(roots: Iterable[chain.Node]) -> set[str]:
    """The refs of the items a (pruned) KPI tree shows."""
    out: set[str] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if (key := ref(node.item)) is not None:
            out.add(key)
        todo += node.children
    return out
