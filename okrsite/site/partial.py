"""Which pages an edit of the goal files can change, for `mkdocs serve`'s partial
rebuilds. Pure planning, no MkDocs: the serve glue (:mod:`okrsite.serve_glue`) renders
the pages named here again, compares their bodies with the last build's and hands
MkDocs only those that differ.

An item is *changed* when its own data, its links (by key) or a value derived from it
(score, progress, a KPI's state, its goal-quality findings) differ between the two
organisations (:mod:`okrsite.site.partial_items`). A page must be looked at again when
it may show a changed item: its own page, the pages of the items above it (they list
it, count it, draw it in their trees), below it (they show it in their chain), of the
people who own any of those, of their teams and the teams above, the maps that draw
any of them, and the pages that show the whole organisation. The set is generous on
purpose: a page named here whose body did not change costs a render, a page missed
would be wrong.

When only goals changed, each still supporting what it supported (a title, a value, a
check-in, a status), the maps keep their layout and the pages of the whole organisation
show nothing of a goal but counts and findings: those pages are looked at only when the
findings changed, a KPI's page only when its tree (as cut for the page) shows the goal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from okrsite.model import chain
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period
from okrsite.site import alignment, urls
from okrsite.site.pages import PageSpec
from okrsite.site.partial_items import below, find, ref, tree_refs

# When the pages showing the changed items are more than this share of the site's,
# a full build costs about the same.
MOST_PAGES = 0.25


@dataclass(frozen=True)
class Edit:
    """What an edit changed: the organisations before and after, the refs of the
    changed items, whether the maps keep their layout, whether the list of findings
    (as the quality page shows it: with the titles of their items) and their number
    changed."""

    old: Organization
    new: Organization
    keys: set[str]
    same_layout: bool
    findings_listed: bool
    findings_counted: bool


def org_changed(old: Organization, new: Organization) -> bool:
    """Whether what every page may show of the organisation as a whole changed."""

    def whole(org: Organization) -> tuple[Any, ...]:
        return (org.name, org.root.id, org.private_goals, org.private_unlinked)

    return whole(old) != whole(new)


def plans_differ(old: dict[str, PageSpec], new: dict[str, PageSpec], home: bool) -> str:
    """Why a partial rebuild cannot do ('' when it can): pages added or removed (or the
    overview moved: ``home``), or a navigation entry renamed (every page shows it)."""
    if home or list(old) != list(new):
        return "pages added or removed"
    for src, spec in new.items():
        was = old[src]
        if spec.in_nav != was.in_nav or (spec.in_nav and spec.title != was.title):
            return "the navigation changed"
        if spec.nav_title != was.nav_title:
            return "the navigation changed"
    return ""


def kpi_shown(kpis: Iterable[Kpi], tree: Callable[[Kpi], Any]) -> dict[str, set[str]]:
    """For each KPI id, the refs of the items its page's tree shows (``tree``: the
    renderer's ``kpi_tree``, the tree as cut for the page)."""
    return {k.id: tree_refs(tree(k)[0]) for k in kpis}


def pages_to_check(
    edit: Edit,
    pages: dict[str, PageSpec],
    maps: tuple[dict[str, set[str]], dict[str, set[str]]],
    shown_by_kpi: dict[str, set[str]],
) -> set[str] | None:
    """The source paths of the pages that may show a changed item, on either side of the
    edit (``maps``: the map pages that draw each item, by ref, before and after;
    ``shown_by_kpi``: see :func:`kpi_shown`, a KPI not there unknown); None when that is most
    of the site or the whole organisation changed (a full build then)."""
    keys = edit.keys
    if org_changed(edit.old, edit.new) or any(k.startswith("period:") for k in keys):
        return None
    out: set[str] = set()
    for org, on_maps in zip((edit.old, edit.new), maps, strict=True):
        seen: set[int] = set()
        for key in keys:
            item = find(org, key)
            if item is None:
                continue
            out.update(on_maps.get(key, ()))
            for related in _related(item):
                if id(related) in seen:
                    continue
                seen.add(id(related))
                if not edit.same_layout:
                    out.update(_pages_of(related, on_maps))
                elif isinstance(related, Kpi):
                    shown = shown_by_kpi.get(related.id)
                    if shown is None or key in shown:
                        out.add(urls.src_uri(related))
                else:
                    # Only the goal's own maps draw it (found above); those of the items
                    # above it draw them, and they did not change.
                    out.update(_pages_of(related, {}))
    if len(out) > MOST_PAGES * len(pages):
        return None
    return {p for p in out if p in pages} | _always(pages, edit)


def _always(pages: dict[str, PageSpec], edit: Edit) -> set[str]:
    """The pages that show the organisation as a whole (the overview, the indexes, the
    quality page, each period's page and map) that this edit may change. The rule pages
    and their index show the rules and the configured levels only."""
    out: set[str] = set()
    if edit.findings_listed:
        out.add(urls.QUALITY)
    if edit.findings_counted:
        out |= {p for p, s in pages.items() if s.template == "okrsite/overview.html"}
    if edit.same_layout:
        return out  # goals in their places: the rest shows nothing of them but counts
    kinds = {k.split(":", 1)[0] for k in edit.keys}
    whole = {p for p, s in pages.items() if s.item is None or isinstance(s.item, Period)}
    out |= whole - {urls.QUALITY, urls.RULES, urls.HEALTH}  # findings, or no items
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
            yield from below(item.objective)
        elif isinstance(item, Objective):
            yield from below(item)
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
        # Every team below: their pages draw the path up through this one.
        below_teams = list(item.children)
        while below_teams:
            team = below_teams.pop()
            yield team
            below_teams.extend(team.children)
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


def _pages_of(item: Any, on_maps: dict[str, set[str]]) -> Collection[str]:
    """The pages that show ``item`` as part of their own subject: its page, its owner's,
    its team's and those above, the maps it is drawn on."""
    out = set(on_maps.get(ref(item) or "", ()))
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
