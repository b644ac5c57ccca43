"""OKR files: objectives and their key results, then what each objective aligns to
and continues (once every OKR file is read, as they point across files)."""

from __future__ import annotations

import operator

from okrsite.diagnostics import did_you_mean
from okrsite.model.graph import Checkin, KeyResult, Objective, Revision, Source
from okrsite.source import fileformat as schema
from okrsite.source.goalfile import ParsedFile
from okrsite.source.references import resolve
from okrsite.source.registry import KeySources, Registry, Where

# An objective as built, as written, and where its keys are written.
Pending = tuple[Objective, schema.Objective, KeySources]


def read_okrs(reg: Registry, p: ParsedFile) -> list[Pending]:
    """Build the objectives and key results of one OKR file into ``reg``; return them
    with what each one's 'aligns_to' and 'continues' say, for :func:`link_objectives`
    once every OKR file is read."""
    m: schema.OkrFile = p.model
    pending: list[Pending] = []
    period = reg.period(m.period, Source(p.path, p.doc.line(("period",))))
    team = reg.team(m.team, Source(p.path, p.doc.line(("team",))), "team", " of this OKR file")
    if period is None or team is None:
        return pending
    reg.shown_periods.add(period.key)
    for i, o in enumerate(m.objectives):
        at = KeySources(p, ("objectives", i))
        src = at.item
        key = f"{period.key}/{team.id}/{o.id}"
        if key in reg.objectives:
            where = f" for team '{team.id}' in {period.key}"
            reg.duplicate(src, "objective", o.id, where, reg.objectives[key].source)
            continue
        owner = reg.person(o.owner, at("owner"), "owner", f" of objective '{o.id}'")
        if owner is None:
            reg.broken.add(key)  # references to it need no error of their own
            continue
        obj = Objective(o.id, o.title, period, team, owner, src, o.description)
        obj.waive = reg.waive(o.waive, at)
        owner.objectives.append(obj)
        seen: dict[str, Source] = {}
        for j, k in enumerate(o.key_results):
            kat = KeySources(p, ("objectives", i, "key_results", j))
            ksrc = kat.item
            if k.id in seen:
                where = f" in objective '{o.id}'"
                reg.duplicate(ksrc, "key result", k.id, where, seen[k.id])
                continue
            seen[k.id] = ksrc
            kr = KeyResult(
                k.id,
                k.title,
                k.baseline,
                k.target,
                obj,
                ksrc,
                unit=k.unit,
                weight=k.weight,
                checkins=checkins(k.checkins),
                revisions=sorted(
                    (Revision(r.date, r.old_target, r.reason) for r in k.revisions),
                    key=_BY_DATE,
                ),
            )
            kr.waive = reg.waive(k.waive, kat)
            kr.owner = (
                reg.person(k.owner, kat("owner"), "owner", f" of key result '{k.id}'")
                if k.owner
                else owner
            )
            if kr.owner is not None and kr.owner is not owner:
                kr.owner.key_results.append(kr)
            if k.kpi is not None:
                kr.kpi = reg.kpis.get(k.kpi)
                if kr.kpi is None:
                    if not reg.broken & {"kpis", "*"}:
                        reg.error(
                            kat("kpi"),
                            f"'kpi' of key result '{k.id}' names KPI '{k.kpi}', "
                            "which does not exist" + did_you_mean(k.kpi, reg.kpis),
                        )
                else:
                    kr.kpi.key_results.append(kr)
                    if kr.unit is None:
                        kr.unit = kr.kpi.unit
            obj.key_results.append(kr)
        reg.objectives[key] = obj
        team.objectives.append(obj)
        pending.append((obj, o, at))
    return pending


def link_objectives(reg: Registry, pending: list[Pending]) -> None:
    """Resolve the 'continues' and 'aligns_to' of the objectives of one OKR file."""
    for obj, raw, at in pending:
        if raw.continues is not None:
            _continues(reg, obj, raw.continues, at("continues"))
        ref = raw.aligns_to
        if ref is None:
            continue
        src = reg.align_src[id(obj)] = at("aligns_to")
        parent = resolve(reg, ref, obj.period, src, "aligns_to", f" of objective '{obj.id}'")
        if parent is None:
            continue
        if parent is obj or (isinstance(parent, KeyResult) and parent.objective is obj):
            reg.error(
                src,
                f"objective '{obj.id}' aligns to itself ('{ref}'): align it "
                "to an objective or key result of a parent team",
            )
            continue
        obj.parent = parent
        parent.aligned.append(obj)


def _continues(reg: Registry, obj: Objective, ref: str, src: Where) -> None:
    earlier = resolve(reg, ref, obj.period, src, "continues", f" of objective '{obj.id}'")
    if earlier is None:
        return
    if isinstance(earlier, KeyResult) or earlier.period.start >= obj.period.start:
        reg.error(
            src,
            f"'continues' of objective '{obj.id}' must name the same "
            f"objective in an earlier period (period/team/objective), got '{ref}'",
        )
        return
    obj.continues = earlier
    earlier.continued_by.append(obj)


def checkins(raw: list[schema.Checkin]) -> list[Checkin]:
    """Check-ins as the model holds them: oldest first."""
    # Oldest first; on the same date the later one in the file is the newer (the sort
    # is stable). The most numerous items of a folder: a list and an attrgetter, no lambda.
    out = [Checkin(c.date, c.value, c.confidence, c.note) for c in raw]
    out.sort(key=_BY_DATE)
    return out


_BY_DATE = operator.attrgetter("date")
