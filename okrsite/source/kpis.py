"""KPI files: each KPI with its owner and its history (inline, and from a CSV file)."""

from __future__ import annotations

from okrsite.diagnostics import did_you_mean
from okrsite.model.graph import Checkin, Kpi, Person, Team
from okrsite.source.goalfile import ParsedFile
from okrsite.source.history import csv_history
from okrsite.source.registry import KeySources, Registry


def read_kpis(reg: Registry, files: list[ParsedFile]) -> None:
    """Build the KPIs of the KPI files into ``reg`` (after the organisation: a KPI's
    owner is a team or a person)."""
    for p in files:
        for i, k in enumerate(p.model.kpis):
            at = KeySources(p, ("kpis", i))
            src = at.item
            if k.id in reg.kpis:
                reg.duplicate(src, "KPI", k.id, "", reg.kpis[k.id].source)
                continue
            owner: Team | Person | None = None
            if k.owner is not None:
                owner = reg.teams.get(k.owner) or reg.people.get(k.owner)
                if owner is None:
                    reg.error(
                        at("owner"),
                        f"'owner' of KPI '{k.id}' names '{k.owner}', which is "
                        "neither a team nor a person"
                        + did_you_mean(k.owner, [*reg.teams, *reg.people]),
                    )
            points = [Checkin(h.date, h.value) for h in k.history]
            if k.history_file:
                points += csv_history(reg, p, k.history_file, at("history_file"), k.id)
            history = sorted(points, key=lambda c: c.date)
            reg.kpis[k.id] = Kpi(
                k.id,
                k.name,
                k.direction,
                src,
                k.description,
                k.unit,
                k.alert,
                owner,
                history,
                update_every=k.update_every,
                waive=reg.waive(k.waive, at),
            )
