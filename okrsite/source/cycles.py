"""Cycles among teams ('parent') and among objectives ('aligns_to'): each is reported
once, at the key that closes it, and broken there, so every later walk up ends. Chains
longer than :data:`okrsite.limits.MAX_CHAIN` are refused and cut the same way, so every
walk is also short."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okrsite.limits import MAX_CHAIN
from okrsite.model.graph import Objective, Team, parent_objective
from okrsite.source.registry import Registry


def break_team_cycles(reg: Registry) -> None:
    """Report and break every cycle of 'parent' links among ``reg``'s teams."""
    done: set[str] = set()
    for team in reg.teams.values():
        trail: list[Team] = []
        on_trail: set[str] = set()
        node: Team | None = team
        while node is not None and node.id not in done:
            if node.id in on_trail:
                cycle = [*trail[trail.index(node) :], node]
                reg.team_parent_cut = True
                reg.error(
                    reg.parent_src.get(node.id, node.source),
                    "team cycle: "
                    + " -> ".join(t.id for t in cycle)
                    + " (each 'parent' leads back here): one of them must have "
                    "another parent, or none if it is the company",
                )
                for t in cycle:  # break it so later walks end
                    if t.parent is not None and t in t.parent.children:
                        t.parent.children.remove(t)
                    t.parent = None if t is node else t.parent
                break
            trail.append(node)
            on_trail.add(node.id)
            node = node.parent
        done.update(on_trail)


def break_alignment_cycles(reg: Registry) -> None:
    """Report and break every cycle of 'aligns_to' links among ``reg``'s objectives."""
    done: set[int] = set()
    for start in reg.objectives.values():
        trail: list[Objective] = []
        on_trail: set[int] = set()
        node: Objective | None = start
        while node is not None and id(node) not in done:
            if id(node) in on_trail:
                cycle = [*trail[trail.index(node) :], node]
                reg.error(
                    reg.align_src.get(id(node), node.source),
                    "alignment cycle: "
                    + " -> ".join(f"{o.team.id}/{o.id}" for o in cycle)
                    + " (each 'aligns_to' leads back here): align one of them to "
                    "something higher up instead",
                )
                _detach_objective(node)
                break
            trail.append(node)
            on_trail.add(id(node))
            node = parent_objective(node)
        done.update(on_trail)


def cut_long_team_chains(reg: Registry) -> None:
    """Report and cut every chain of 'parent' links longer than MAX_CHAIN teams, at the
    key of the first team past the limit (cycles are broken already, so every walk up
    ends). Linear: each team's depth is computed once."""
    depth: dict[int, int] = {}
    for team in reg.teams.values():
        for node in _deeper(team, lambda t: t.parent, depth):
            reg.team_parent_cut = True
            reg.error(
                reg.parent_src.get(node.id, node.source),
                f"'parent' makes a chain of more than {MAX_CHAIN} teams, each under the "
                "next: give this team a parent higher up",
            )
            _detach_team(node)


def cut_long_alignment_chains(reg: Registry) -> None:
    """Report and cut every chain of 'aligns_to' links longer than MAX_CHAIN
    objectives, at the key of the first objective past the limit (cycles are broken
    already). Linear: each objective's depth is computed once."""
    depth: dict[int, int] = {}
    for obj in reg.objectives.values():
        for item in _deeper(obj, parent_objective, depth):
            reg.error(
                reg.align_src.get(id(item), item.source),
                f"'aligns_to' makes a chain of more than {MAX_CHAIN} objectives, each "
                "aligned to the next: align this objective to one higher up",
            )
            _detach_objective(item)


def _deeper(start: Any, up: Callable[[Any], Any], depth: dict[int, int]) -> list[Any]:
    """The items on the walk up from ``start`` that would make their chain longer than
    MAX_CHAIN items (the top is the first), top first, each counted as a new top (it is cut
    there); ``depth`` holds the depths known from earlier walks."""
    trail = []
    node = start
    while node is not None and id(node) not in depth:
        trail.append(node)
        node = up(node)
    level = 0 if node is None else depth[id(node)]
    cut = []
    for item in reversed(trail):
        level += 1
        if level > MAX_CHAIN:
            cut.append(item)
            level = 1
        depth[id(item)] = level
    return cut


def _detach_team(team: Team) -> None:
    if team.parent is not None and team in team.parent.children:
        team.parent.children.remove(team)
    team.parent = None


def _detach_objective(obj: Objective) -> None:
    if obj.parent is not None and obj in obj.parent.aligned:
        obj.parent.aligned.remove(obj)
    obj.parent = None
