"""Which pages an edit of the goal files can change, for `mkdocs serve`'s partial
rebuilds. Pure planning, no MkDocs: the plugin renders the pages named here again,
compares their bodies with the last build's and hands MkDocs only those that differ.

An item is *changed* when its own data, its links (by key) or a value derived from it
(score, progress, a KPI's state, its goal-quality findings) differ between the two
organisations. A page must be looked at again when it may show a changed item: its
own page, the pages of the items above it (they list it, count it, draw it in their
trees), below it (they show it in their chain), of the people who own any of those,
of their teams and the teams above, the maps that show any of them, and the pages
that show the whole organisation. The set is generous on purpose: a page named
here whose body did not change costs a render, a page missed would be wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from okrsite.model import chain, scoring
from okrsite.model.attention import state_of
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period
from okrsite.model.queries import all_key_results
from okrsite.pipeline import Outcome
from okrsite.site import alignment, urls
from okrsite.site.pages import PageSpec

ORG = "org"  # the key of what belongs to the organisation as a whole

# When the pages showing the changed items are more than this share of the site's,
# a full build costs about the same.
MOST_PAGES = 0.25

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


@dataclasses.dataclass
class Snapshot:
    """An organisation as compared by :func:`changed`: each item's fingerprint and the
    item itself, by :func:`ref`."""

    prints: dict[str, Any]
    items: dict[str, Any]


def snapshot(outcome: Outcome, today: date) -> Snapshot:
    """Fingerprints of every item of ``outcome`` (own fields, links by key, derived values
    and findings) and of the organisation as a whole."""
    org = outcome.org
    items: dict[str, Any] = {}
    for item in _items(org):
        key = ref(item)
        if key is not None:
            items[key] = item
    found: dict[str, list[Any]] = {}
    for f in outcome.findings:
        key = ref(f.item) or ORG
        found.setdefault(key, []).append((f.rule.code, f.level, f.message, str(f.source)))
    prints: dict[str, Any] = {
        k: (_fields(item), _derived(item, today), found.get(k)) for k, item in items.items()
    }
    prints[ORG] = (org.name, org.root.id, org.private_goals, org.private_unlinked, found.get(ORG))
    return Snapshot(prints, items)


def changed(old: Snapshot, new: Snapshot) -> set[str]:
    """The keys of the items whose fingerprint differs, or that one side lacks."""
    keys = old.prints.keys() | new.prints.keys()
    return {k for k in keys if old.prints.get(k) != new.prints.get(k)}


def pages_to_check(
    old: Snapshot,
    new: Snapshot,
    old_pages: dict[str, PageSpec],
    new_pages: dict[str, PageSpec],
    keys: set[str],
) -> set[str] | None:
    """The source paths of the pages that may show a changed item (``keys``), on either
    side of the edit; None when that is most of the site or the whole organisation
    changed (a full build then)."""
    if ORG in keys or any(k.startswith("period:") for k in keys):
        return None
    always = _always(new_pages, keys)
    out: set[str] = set()
    for snap, plan in ((old, old_pages), (new, new_pages)):
        on_maps = _map_index(plan)
        shown: set[int] = set()
        for key in keys:
            item = snap.items.get(key)
            if item is not None:
                for related in _related(item):
                    if id(related) not in shown:
                        shown.add(id(related))
                        out.update(_pages_of(related, on_maps))
    if len(out) > MOST_PAGES * len(new_pages):
        return None
    return always | {p for p in out if p in new_pages}


def _items(org: Organization) -> Iterator[Any]:
    yield from org.teams.values()
    yield from org.people.values()
    yield from org.kpis.values()
    yield from org.periods.values()
    yield from org.objectives.values()
    yield from all_key_results(org)
    yield from org.goals.values()


def _value(value: Any) -> Any:
    """A field's value as compared: items by key, containers element by element."""
    if type(value) in _KINDS:
        return ref(value)
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _value(v)) for k, v in value.items()))
    return value


def _fields(item: Any) -> tuple[Any, ...]:
    return tuple(_value(getattr(item, f.name)) for f in dataclasses.fields(item))


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


def _always(pages: dict[str, PageSpec], keys: set[str]) -> set[str]:
    """The pages that show the organisation as a whole (the overview, the quality and
    rule pages, each period's page and map), and the indexes whose rows a change of
    these kinds of item can touch."""
    kinds = {k.split(":", 1)[0] for k in keys}
    out = {p for p, s in pages.items() if s.item is None or isinstance(s.item, Period)}
    out |= {p for p, s in pages.items() if s.template == "okrsite/rule.html"}
    out |= {
        p for p, s in pages.items() if isinstance(s.item, alignment.MapPage) and s.item.root is None
    }
    if not kinds & {"person", "team"}:
        # The people index lists names, teams and goal counts only (and is long).
        out.discard(urls.PEOPLE)
    return out


def _related(item: Any) -> Iterator[Any]:
    """The items whose pages may show ``item``: itself, the items above and below it,
    the KPIs its chain reaches, and, for a team or a person, what is theirs."""
    yield item
    if isinstance(item, Goal | KeyResult | Objective):
        steps = chain.path_up(item)
        yield from steps
        for step in steps:
            yield from chain.chain_of(step).kpis
        if isinstance(item, KeyResult):
            # The chains below its objective reach the KPIs of all its key results.
            yield from _below(item.objective)
        elif isinstance(item, Objective):
            yield from _below(item)
        if isinstance(item, Objective):
            yield from item.key_results
            if item.continues is not None:
                yield item.continues
            yield from item.continued_by
        if isinstance(item, KeyResult) and item.kpi is not None:
            yield item.kpi
    elif isinstance(item, Kpi):
        for kr in item.key_results:
            yield from _related(kr)  # and the tree of its objective, which reaches the KPI
    elif isinstance(item, Team):
        yield from item.ancestors()
        yield from item.children
        yield from item.members
        for obj in item.objectives:
            yield from _related(obj)
        for person in item.members:
            yield from _owned(person)
    elif isinstance(item, Person):
        yield item.team
        yield from _owned(item)


def _owned(person: Person) -> Iterator[Any]:
    for owned in [*person.goals, *person.objectives, *person.key_results]:
        yield from _related(owned)


def _below(item: Objective | KeyResult) -> Iterator[Any]:
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


def _pages_of(item: Any, on_maps: dict[int, set[str]]) -> Iterable[str]:
    """The pages that show ``item`` as part of their own subject: its page, its owner's,
    its team's and those above, the maps it is drawn on."""
    out = set(on_maps.get(id(item), ()))
    if isinstance(item, Period):
        return out
    out.add(urls.src_uri(item))
    owner = getattr(item, "owner", None)
    if isinstance(item, KeyResult):
        owner = owner or item.objective.owner
    team = None
    if isinstance(owner, Person):
        out.add(urls.src_uri(owner))
        team = owner.team
    elif isinstance(owner, Team):
        team = owner
    if isinstance(item, Objective):
        team = item.team
        for kr in item.key_results:
            if kr.owner is not None:
                out.add(urls.src_uri(kr.owner))
    elif isinstance(item, KeyResult):
        team = item.objective.team
    elif isinstance(item, Person):
        team = item.team
    elif isinstance(item, Team):
        team = item
    if team is not None:
        out.update(urls.src_uri(t) for t in [team, *team.ancestors()])
    return out


def _map_index(pages: dict[str, PageSpec]) -> dict[int, set[str]]:
    """For each item (by id()), the map pages that draw it, above or in their tree."""
    index: dict[int, set[str]] = {}
    for src, spec in pages.items():
        page = spec.item
        if not isinstance(page, alignment.MapPage):
            continue
        drawn: list[Any] = list(page.trail)
        if page.root is not None:
            drawn.append(page.root.item)
        for kpi, movers, _ in page.kpis:
            drawn.append(kpi)
            drawn += [m.kr for m in movers]
        todo = list(page.roots)
        while todo:
            shown = todo.pop()
            drawn.append(shown.node.item)
            drawn += shown.goals
            todo += shown.branches
        for item in drawn:
            if item is not None:
                index.setdefault(id(item), set()).add(src)
    return index
