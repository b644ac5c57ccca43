"""The alignment map of a period: every objective, key result and public goal, top down.

A period's tree starts at its objectives that align to nothing in the same period; under
an objective come its key results, then the goals supporting it directly, then the
objectives aligned to it; under a key result its goals, then the objectives aligned to
it. Goals of the period that support nothing, or the OKRs of another period, hang under
a group of their own, so every public goal of the period is in the tree exactly once.

No page can hold the tree of a 10,000-goal organisation, so the tree is laid out on
pages with a budget: the period's map shows items level by level while they fit
(:data:`MAP_ITEMS`, :data:`MAP_DEPTH`); an item whose items below do not fit keeps
them on a map of its own, one page further, cut the same way; an item with more items
right under it than one page holds (a group of 2,000 goals that support nothing) goes
on over numbered parts of its map. Every item is shown below its parent on exactly one
page, so the pages together grow with the organisation and no faster. Pure planning,
like :mod:`okrsite.site.pages`: no MkDocs, no HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization
from okrsite.model.periods import Period
from okrsite.site import urls

# Items (objectives, key results, goals) one map page shows: a few hundred kilobytes
# of HTML; beyond, an item's items go on in a map of their own.
MAP_ITEMS = 600
# ... and up to this many when the last items are small wholes (an objective with its
# key results and goals), each of which would otherwise need a page of its own.
MAP_ITEMS_MAX = 900
SMALL_WHOLE = 25
# Levels one map page nests (objective, key result, aligned objective...): a chain of
# limits.MAX_CHAIN objectives goes on over several pages, so the template's recursion
# stays shallow and a phone keeps room for the titles.
MAP_DEPTH = 10
# Key results listed under each KPI in the map's first section.
KPI_MOVERS = 12

NOTHING, ELSEWHERE = "nothing", "elsewhere"  # the groups of goals outside the tree

Item = Objective | KeyResult | Goal


@dataclass(eq=False)
class MapNode:
    """An objective or key result of the tree (or a group of goals: ``item`` None and
    ``group`` set), with the key results and objectives under it and its goals."""

    item: Objective | KeyResult | None
    anchor: str
    group: str = ""
    branches: list[MapNode] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    size: int = 0  # items under this one, all levels
    height: int = 0  # levels of nodes under this one

    @property
    def children(self) -> int:
        """How many items are right under this one: its branches and its goals."""
        return len(self.branches) + len(self.goals)


@dataclass(eq=False)
class Shown:
    """A node as one map page shows it: all its children, or none and the map where
    they go on (``below``), or, at a page's root, as many as fit (``rest`` left out)."""

    node: MapNode
    branches: list[Shown] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    below: str = ""  # src_uri of the map that shows the items under it
    more: int = 0  # items under it that this page leaves to that map
    rest: int = 0  # children a page's root leaves to the next part of its map
    next: str = ""  # src_uri of that next part
    open: bool = False


@dataclass(frozen=True)
class Mover:
    """A key result that moves a KPI, and where the map shows it."""

    kr: KeyResult
    src_uri: str
    anchor: str


@dataclass(eq=False)
class MapPage:
    """One page of a period's map: the period's own (``root`` None) or an item's."""

    period: Period
    src_uri: str
    title: str
    root: MapNode | None
    roots: list[Shown]
    rest: int = 0  # roots of the period's map left out (too many to show)
    up: tuple[str, str] | None = None  # (src_uri, anchor) of the root on the map above
    part: int = 1  # of an item's map that goes on over several pages
    previous: str = ""  # src_uri of the part before this one
    trail: list[Objective | KeyResult] = field(default_factory=list)  # above the root
    kpis: list[tuple[Kpi, list[Mover], int]] = field(default_factory=list)

    @property
    def folds(self) -> bool:
        """Whether the page has anything to fold (else it needs no "Expand all")."""
        return any(v.branches or v.goals for v in self.roots)


def maps(org: Organization) -> list[MapPage]:
    """Every map page of every period: each period's map first, then its items' maps."""
    objectives: dict[str, list[Objective]] = {}
    for obj in org.objectives.values():
        objectives.setdefault(obj.period.key, []).append(obj)
    goals: dict[str, list[Goal]] = {}
    for goal in org.goals.values():
        goals.setdefault(goal.period.key, []).append(goal)
    out: list[MapPage] = []
    for period in org.periods_sorted():
        roots = tree(period, objectives.get(period.key, []), goals.get(period.key, []))
        out += _pages(org, period, roots)
    return out


def tree(period: Period, objectives: list[Objective], goals: list[Goal]) -> list[MapNode]:
    """The roots of ``period``'s tree (its objectives and goals, in file order), the
    groups of goals outside it last; each node's ``size`` set."""
    nodes: dict[int, MapNode] = {}
    for obj in objectives:
        node = nodes[id(obj)] = MapNode(obj, anchor_of(obj))
        for kr in obj.key_results:
            nodes[id(kr)] = MapNode(kr, anchor_of(kr))
            node.branches.append(nodes[id(kr)])
    roots: list[MapNode] = []
    for obj in objectives:
        above = nodes.get(id(obj.parent)) if obj.parent is not None else None
        (above.branches if above is not None else roots).append(nodes[id(obj)])
    nothing = MapNode(None, "map-supports-nothing", NOTHING)
    elsewhere = MapNode(None, "map-supports-elsewhere", ELSEWHERE)
    for goal in goals:
        home = nodes.get(id(goal.supports)) if goal.supports is not None else nothing
        (home or elsewhere).goals.append(goal)
    roots += [g for g in (nothing, elsewhere) if g.goals]
    _sizes(roots)
    return roots


def anchor_of(item: Item) -> str:
    """The id of an item's line on a map page ('.' never occurs in an id, so the parts
    cannot run into each other)."""
    if isinstance(item, Goal):
        return f"map-g.{item.owner.id}.{item.id}"
    if isinstance(item, KeyResult):
        return f"map-kr.{item.objective.team.id}.{item.objective.id}.{item.id}"
    return f"map-o.{item.team.id}.{item.id}"


def submap_page(period: Period, node: MapNode, part: int = 1) -> str:
    """The source path of the map below ``node``: its objective's or key result's
    ids (one, two or three levels below the period's map, so they cannot collide);
    its later parts in a folder ``part_N`` ('_' never occurs in an id)."""
    base = urls.map_page(period)[: -len("index.md")]
    item = node.item
    if isinstance(item, KeyResult):
        where = f"{base}{item.objective.team.id}/{item.objective.id}/{item.id}/"
    elif isinstance(item, Objective):
        where = f"{base}{item.team.id}/{item.id}/"
    else:
        where = f"{base}{node.group}/"
    return f"{where}index.md" if part == 1 else f"{where}part_{part}/index.md"


def _sizes(roots: list[MapNode]) -> None:
    order: list[MapNode] = []
    stack = list(roots)
    while stack:  # a loop, not recursion: a chain can be deep
        node = stack.pop()
        order.append(node)
        stack.extend(node.branches)
    for node in reversed(order):  # children before their parents
        node.size = len(node.goals) + sum(1 + b.size for b in node.branches)
        node.height = max((1 + b.height for b in node.branches), default=0)


def _pages(org: Organization, period: Period, roots: list[MapNode]) -> list[MapPage]:
    """The period's map and, for each item cut on a page, the map below it."""
    where: dict[int, tuple[str, str]] = {}  # item -> the page and anchor that show it
    top = urls.map_page(period)
    first = MapPage(period, top, f"Alignment map {period.key}", None, [])
    first.roots, first.rest, cut = _lay_out(period, roots, top, where, forced=False)
    pages = [first]
    pending = [(node, top, 1, 0) for node in cut]
    for node, above, part, start in pending:  # grows while it is read: maps below maps
        src = submap_page(period, node, part)
        name = node.item.title if node.item is not None else _GROUP_TITLE[node.group]
        title = f"Alignment map {period.key}: {name}" + (f" (part {part})" if part > 1 else "")
        page = MapPage(period, src, title, node, [], up=(above, node.anchor), part=part)
        page.trail = _trail(node.item)
        if part > 1:
            page.previous = submap_page(period, node, part - 1)
        page.roots, _, cut = _lay_out(period, [node], src, where, forced=True, start=start)
        pending += [(n, src, 1, 0) for n in cut]
        root = page.roots[0]
        if root.rest:  # the children that did not fit go on in the next part
            root.next = submap_page(period, node, part + 1)
            pending.append((node, above, part + 1, node.children - root.rest))
        pages.append(page)
    first.kpis = _movers(org, roots, where)
    return pages


def _trail(item: Objective | KeyResult | None) -> list[Objective | KeyResult]:
    """The items above ``item`` in its period's tree, top first (a walk of at most
    twice limits.MAX_CHAIN steps: objectives and the key results they align to)."""
    steps: list[Objective | KeyResult] = []
    step = _up(item) if item is not None else None
    while step is not None:
        steps.append(step)
        step = _up(step)
    return steps[::-1]


def _up(item: Objective | KeyResult) -> Objective | KeyResult | None:
    if isinstance(item, KeyResult):
        return item.objective
    parent = item.parent
    return parent if parent is not None and parent.period == item.period else None


_GROUP_TITLE = {
    NOTHING: "goals that support nothing",
    ELSEWHERE: "goals that support another period's OKRs",
}


def _lay_out(
    period: Period,
    roots: list[MapNode],
    src: str,
    where: dict[int, tuple[str, str]],
    forced: bool,
    start: int = 0,
) -> tuple[list[Shown], int, list[MapNode]]:
    """One page: its roots, then level by level each node's children while they fit.

    A node whose items below all fit is shown whole; else one whose children fit shows
    them, and they are laid out in turn; else (or at the page's last level) it shows
    none of them and links to the map below it. Small wholes may go past
    :data:`MAP_ITEMS` up to :data:`MAP_ITEMS_MAX`, so that a page's last few items do
    not each get a map of their own. The root of an item's map (``forced``) always shows
    its children from the ``start``-th on (branches, then goals), as many as
    :data:`MAP_ITEMS` holds. Returns the page's shown roots,
    how many roots did not fit, and the nodes cut (each gets a map of its own). Touches
    only the nodes it shows and their children: sizes were counted once for the tree.
    """
    # The groups of goals come last but always stay: they have no other page.
    groups = [r for r in roots if r.item is None]
    kept = [r for r in roots if r.item is not None][: MAP_ITEMS - len(groups)] + groups
    shown_roots = [Shown(r) for r in kept]
    queue = [(r, 0, False) for r in shown_roots]
    shown = len(kept)
    cut: list[MapNode] = []
    for view, depth, whole in queue:  # breadth first: the queue grows as it is read
        node = view.node
        if node.item is not None and id(node.item) not in where:
            where[id(node.item)] = (src, node.anchor)
        if not node.children:
            continue
        is_root = forced and depth == 0
        if not whole and not is_root and depth + node.height < MAP_DEPTH:
            room = MAP_ITEMS_MAX if node.size <= SMALL_WHOLE else MAP_ITEMS
            if shown + node.size <= room:
                whole = True
                shown += node.size
        too_many = shown + node.children > MAP_ITEMS or depth + 1 >= MAP_DEPTH
        if not whole and not is_root and too_many:
            view.below = submap_page(period, node)
            view.more = node.size
            cut.append(node)
            continue
        first = start if is_root else 0
        room = max(MAP_ITEMS - shown, 1) if is_root else node.children
        view.branches = [Shown(b) for b in node.branches[first : first + room]]
        skip = max(first - len(node.branches), 0)
        view.goals = node.goals[skip : skip + room - len(view.branches)]
        view.rest = node.children - first - len(view.branches) - len(view.goals)
        if not whole:
            shown += len(view.branches) + len(view.goals)
        # Open down to the first objectives' key results, so the objectives aligned to
        # them show; everything below starts folded.
        view.open = depth == 0 or (depth == 1 and isinstance(node.item, KeyResult))
        queue += [(b, depth + 1, whole) for b in view.branches]
    return shown_roots, len(roots) - len(kept), cut


def _movers(
    org: Organization, roots: list[MapNode], where: dict[int, tuple[str, str]]
) -> list[tuple[Kpi, list[Mover], int]]:
    """For each KPI, the period's key results that move it, where the maps show them,
    and how many more there are than the list shows."""
    movers: dict[str, list[Mover]] = {k: [] for k in org.kpis}
    counts: dict[str, int] = dict.fromkeys(org.kpis, 0)
    stack = list(roots)
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.branches))  # file order, depth first
        kr = node.item
        if isinstance(kr, KeyResult) and kr.kpi is not None and kr.kpi.id in movers:
            counts[kr.kpi.id] += 1
            if len(movers[kr.kpi.id]) < KPI_MOVERS:
                src, anchor = where.get(id(kr), (urls.src_uri(kr), urls.anchor(kr)))
                movers[kr.kpi.id].append(Mover(kr, src, anchor))
    return [(k, movers[k.id], counts[k.id] - len(movers[k.id])) for k in org.kpis.values()]
