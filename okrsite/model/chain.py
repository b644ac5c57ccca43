"""The chain: from a goal up through key results and objectives to company KPIs.

One rule decides which KPIs an item reaches (:func:`chain_of`), and the KPI pages are
built from the same rule (:func:`kpi_trees`), so a goal page and a KPI page cannot
disagree: a goal is under a KPI exactly when its chain reaches that KPI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization

Step = Goal | KeyResult | Objective


@dataclass(frozen=True)
class Reach:
    """A KPI reached at one step of a path: a key result that moves it, or an objective
    that reaches it through its key results."""

    step: KeyResult | Objective
    kpi: Kpi


@dataclass(frozen=True)
class Chain:
    """The path up from an item, and every KPI reached on it (none: the chain is broken)."""

    steps: tuple[Step, ...]  # the item first, then each step up
    reaches: tuple[Reach, ...]  # in path order, nearest first; each KPI once

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        """Every KPI on the path, nearest first."""
        return tuple(r.kpi for r in self.reaches)

    @property
    def broken(self) -> bool:
        return not self.reaches

    def at(self, step: Step) -> tuple[Kpi, ...]:
        """The KPIs reached at ``step`` of this path (empty for most steps)."""
        return tuple(r.kpi for r in self.reaches if r.step is step)


def up(item: Step) -> Step | None:
    """The next step up from ``item``: a goal's key result or objective, a key result's
    objective, an objective's parent key result or objective (None at the top)."""
    if isinstance(item, Goal):
        return item.supports
    if isinstance(item, KeyResult):
        return item.objective
    return item.parent


def path_up(item: Step) -> list[Step]:
    """goal -> key result -> objective -> parent key result/objective -> ... (item first).

    Alignment cycles are rejected and chains longer than ``limits.MAX_CHAIN`` cut at
    load time, so this walk ends, and soon.
    """
    steps: list[Step] = [item]
    node = up(item)
    while node is not None:
        steps.append(node)
        node = up(node)
    return steps


def chain_of(item: Step) -> Chain:
    """The path up from ``item`` and every KPI reached on it, each at its step.

    - Each key result on the path reaches the KPI it moves (``kpi:``).
    - An objective is measured by all its key results: where the path meets an objective
      other than through one of them (the objective's own chain, a goal supporting it
      directly, an objective aligned to it directly), it reaches the KPIs of all its key
      results, at the objective.
    - Only when nothing else on the path reaches a KPI does the chain reach those of the
      nearest objective on it whose key results move some ("an objective reaches a KPI
      through its key results"): a key result without a KPI still counts towards its
      objective's. Otherwise a sibling key result's KPI is not on this path: it is
      other people's work.
    """
    steps = path_up(item)
    found: list[tuple[KeyResult | Objective, Kpi | None]] = []
    below: Step | None = None
    for step in steps:
        if isinstance(step, KeyResult):
            found.append((step, step.kpi))
        elif isinstance(step, Objective) and not isinstance(below, KeyResult):
            found += [(step, kr.kpi) for kr in step.key_results]
        below = step
    if not any(kpi for _, kpi in found):
        nearest = next((s for s in steps if isinstance(s, Objective) and _moves(s)), None)
        if nearest is not None:
            found = [(nearest, kr.kpi) for kr in nearest.key_results]
    seen: set[str] = set()
    reaches: list[Reach] = []
    for step, kpi in found:
        if kpi is not None and kpi.id not in seen:
            seen.add(kpi.id)
            reaches.append(Reach(step, kpi))
    return Chain(tuple(steps), tuple(reaches))


def _moves(obj: Objective) -> bool:
    return any(kr.kpi is not None for kr in obj.key_results)


@dataclass
class Node:
    """One item in a KPI's tree, with the items under it that reach the KPI too."""

    item: Step
    children: list[Node]
    more: int = 0  # items under this one that a pruned tree leaves out (see prune)

    @property
    def goals(self) -> list[Node]:
        """The goals right under this item (the leaves of the tree)."""
        return [c for c in self.children if isinstance(c.item, Goal)]

    @property
    def branches(self) -> list[Node]:
        """The key results and objectives right under this item."""
        return [c for c in self.children if not isinstance(c.item, Goal)]


def kpi_trees(
    items: Iterable[Step], chain: Callable[[Step], Chain] = chain_of
) -> dict[str, list[Node]]:
    """For each KPI id, the tree of ``items`` whose chain reaches it, joined by :func:`up`.

    The roots are the items whose next step up does not reach the KPI (objectives whose
    key results move it). Every item between an item and the step where it reaches a KPI
    reaches that KPI too (its path holds the same steps up to there, and an objective's
    own chain counts all its key results), so no level is skipped.
    Children are key results, then goals, then objectives, each kind in the order of
    ``items`` (a page may show a node's goals first: :attr:`Node.goals`). ``chain`` is
    :func:`chain_of`, or a memoised copy of it.
    """
    members: dict[str, dict[int, Node]] = {}
    for item in items:
        for kpi in chain(item).kpis:
            members.setdefault(kpi.id, {})[id(item)] = Node(item, [])
    trees: dict[str, list[Node]] = {}
    for kpi_id, nodes in members.items():
        roots: list[Node] = []
        for node in nodes.values():
            parent = up(node.item)
            above = nodes.get(id(parent)) if parent is not None else None
            (above.children if above is not None else roots).append(node)
        for node in nodes.values():
            node.children.sort(key=_kind_rank)  # stable: file order within a kind
        trees[kpi_id] = roots
    return trees


def kpi_tree(
    kpi: Kpi, items: Iterable[Step], chain: Callable[[Step], Chain] = chain_of
) -> list[Node]:
    """The tree of one KPI, as :func:`kpi_trees` makes it, looking only at the items under
    the objectives whose key results move it: an item reaches a KPI through a key result
    on its path, or an objective on it, that moves it. For a few KPI pages (`mkdocs
    serve` after an edit); a whole site makes every tree at once."""
    under: set[int] = set()
    todo: list[Step] = [kr.objective for kr in kpi.key_results]
    while todo:
        step = todo.pop()
        if id(step) in under:
            continue
        under.add(id(step))
        if isinstance(step, Goal):
            continue
        todo += step.goals
        todo += step.aligned
        if isinstance(step, Objective):
            todo += step.key_results
    return kpi_trees((i for i in items if id(i) in under), chain).get(kpi.id, [])


def _kind_rank(node: Node) -> int:
    # Under an objective its key results come first, as on its page; then the goals
    # that support an item directly, then the objectives aligned to it.
    return 0 if isinstance(node.item, KeyResult) else 1 if isinstance(node.item, Goal) else 2


def org_items(org: Organization) -> list[Step]:
    """Every item that can be on a chain: objectives, their key results, and the goals
    the organisation holds (the public ones, or all with ``include_private``)."""
    items: list[Step] = []
    for obj in org.objectives.values():
        items.append(obj)
        items.extend(obj.key_results)
    items.extend(org.goals.values())
    return items


def private_in_tree(root: Node) -> int:
    """How many private goals support the key results and objectives of a KPI tree
    (a private goal is never a node: only its count is public)."""
    total, stack = 0, [root]
    while stack:  # a loop, not recursion: trees are as deep as the longest chain
        node = stack.pop()
        if not isinstance(node.item, Goal):
            total += node.item.private_goals
        stack.extend(node.children)
    return total


def prune(roots: list[Node], budget: int) -> tuple[list[Node], int]:
    """A copy of a KPI's tree cut to at most ``budget`` items, level by level, and how
    many of its roots did not fit. The roots come first, in their order; then a node
    keeps all its children while they fit, else none of them and the count of the items
    it no longer shows (``more``; its own page goes on one level down). Linear in the
    size of the tree: a tree of a 10,000-goal organisation fits on no page.
    """
    sizes: dict[int, int] = {}  # items under each node, the node itself excluded
    order: list[Node] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    for node in reversed(order):  # children before their parents
        sizes[id(node)] = sum(1 + sizes[id(c)] for c in node.children)
    kept = roots[:budget]
    copies = [Node(r.item, []) for r in kept]
    queue = list(zip(kept, copies, strict=True))
    shown = len(kept)
    for original, copy in queue:  # breadth first: the queue grows as it is read
        if not original.children:
            continue
        if shown + len(original.children) > budget:
            copy.more = sizes[id(original)]
            continue
        shown += len(original.children)
        for child in original.children:
            twin = Node(child.item, [])
            copy.children.append(twin)
            queue.append((child, twin))
    return copies, len(roots) - len(kept)
