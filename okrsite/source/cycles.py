"""Cycles among teams ('parent') and among objectives ('aligns_to'): each is reported
once, at the key that closes it, and broken there, so every later walk up ends."""

from __future__ import annotations

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
                reg.team_cycle = True
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
                _detach(node)
                break
            trail.append(node)
            on_trail.add(id(node))
            node = parent_objective(node)
        done.update(on_trail)


def _detach(obj: Objective) -> None:
    if obj.parent is not None and obj in obj.parent.aligned:
        obj.parent.aligned.remove(obj)
    obj.parent = None
