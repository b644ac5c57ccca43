"""The chain: from a goal up through key results and objectives to company KPIs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from okrsite.model.graph import Goal, KeyResult, Kpi, Objective

Step = Goal | KeyResult | Objective


@dataclass(frozen=True)
class Chain:
    """The path up from an item, and the KPIs it reaches (empty: the chain is broken)."""

    steps: tuple[Step, ...]  # the item first, then each step up
    kpis: tuple[Kpi, ...]

    @property
    def broken(self) -> bool:
        return not self.kpis


def path_up(item: Step) -> list[Step]:
    """goal -> key result -> objective -> parent key result/objective -> ... (item first).

    Alignment cycles are rejected at load time, so this walk ends.
    """
    steps: list[Step] = [item]
    node: Step | None = item
    while node is not None:
        if isinstance(node, Goal):
            node = node.supports
        elif isinstance(node, KeyResult):
            node = node.objective
        else:
            node = node.parent
        if node is not None:
            steps.append(node)
    return steps


def chain_of(item: Step) -> Chain:
    """The path up from ``item`` and the KPIs at its top.

    The KPIs are those of the nearest key result on the path that moves one; if no
    key result on the path does, those moved by the key results of the objectives on
    the path, nearest first ("an objective reaches a KPI through its key results").
    """
    steps = path_up(item)
    for step in steps:
        if isinstance(step, KeyResult) and step.kpi is not None:
            return Chain(tuple(steps), (step.kpi,))
    for step in steps:
        if isinstance(step, Objective):
            kpis = _unique(kr.kpi for kr in step.key_results if kr.kpi is not None)
            if kpis:
                return Chain(tuple(steps), kpis)
    return Chain(tuple(steps), ())


def _unique(kpis: Iterable[Kpi]) -> tuple[Kpi, ...]:
    seen: dict[str, Kpi] = {}
    for kpi in kpis:
        seen.setdefault(kpi.id, kpi)
    return tuple(seen.values())
