"""The organisation file(s): the company's name, its teams and its people, linked.

Team cycles are broken where they are found (:mod:`okrsite.source.cycles`), so every
later walk up the teams ends; the root team is the one team without a parent.
"""

from __future__ import annotations

from okrsite.diagnostics import Diagnostic
from okrsite.model.graph import Person, Source, Team
from okrsite.source import fileformat as schema
from okrsite.source.cycles import break_team_cycles, cut_long_team_chains
from okrsite.source.goalfile import ParsedFile
from okrsite.source.registry import KeySources, Registry


def read_org(reg: Registry, files: list[ParsedFile]) -> str | None:
    """Build the teams and people of the org files into ``reg``; return the company's
    name (None when missing, reported)."""
    name: str | None = None
    name_src: Source | None = None
    raw_teams: list[tuple[schema.Team, Source, KeySources]] = []
    raw_people: list[tuple[schema.Person, Source, KeySources]] = []
    for p in files:
        m: schema.OrgFile = p.model
        if m.organization is not None:
            src = Source(p.path, p.doc.line(("organization",)))
            if name_src is not None:
                reg.error(
                    src,
                    f"'organization' is given twice (also at {name_src}): "
                    "give the company's name once",
                )
            else:
                name, name_src = m.organization, src
        for i, t in enumerate(m.teams):
            at = KeySources(p, ("teams", i))
            raw_teams.append((t, at.item, at))
        for i, person in enumerate(m.people):
            at = KeySources(p, ("people", i))
            raw_people.append((person, at.item, at))
    if not files:
        if not reg.broken & {"org", "*"}:  # else the broken file's error says it
            reg.diags.append(
                Diagnostic(
                    reg.shown_dir(),
                    1,
                    "no organisation file found: add an org.yaml with "
                    "'organization', 'teams' and 'people' (see the file format)",
                )
            )
        return None
    if name is None:
        reg.diags.append(
            Diagnostic(
                files[0].path,
                1,
                "missing required key 'organization': add 'organization: <company name>' once",
            )
        )
    for t, src, at in raw_teams:
        if t.id in reg.teams:
            reg.duplicate(src, "team", t.id, "", reg.teams[t.id].source)
            continue
        waive = reg.waive(t.waive, at)
        reg.teams[t.id] = Team(t.id, t.name, src, waive=waive)
    for person, src, at in raw_people:
        if person.id in reg.people:
            reg.duplicate(src, "person", person.id, "", reg.people[person.id].source)
            continue
        team = reg.team(person.team, at("team"), "team", f" of person '{person.id}'")
        if team is None:
            continue
        obj = Person(person.id, person.name, team, src, waive=reg.waive(person.waive, at))
        reg.people[person.id] = obj
        team.members.append(obj)
    for t, src, at in raw_teams:
        found = reg.teams.get(t.id)
        if found is None or found.source != src:
            continue
        if t.parent is not None:
            reg.parent_src[t.id] = at("parent")
            found.parent = reg.team(t.parent, at("parent"), "parent", f" of team '{t.id}'")
            if found.parent is not None:
                found.parent.children.append(found)
        if t.lead is not None:
            found.lead = reg.person(t.lead, at("lead"), "lead", f" of team '{t.id}'")
    break_team_cycles(reg)
    cut_long_team_chains(reg)
    return name


def find_root(reg: Registry, files: list[ParsedFile]) -> Team | None:
    """The company: the one team without a parent; None when there is not exactly
    one (reported, unless a broken team cycle made the extra root)."""
    if not files:
        return None
    roots = [t for t in reg.teams.values() if t.parent is None]
    if not reg.teams:
        reg.diags.append(
            Diagnostic(
                files[0].path,
                1,
                "no teams: add a 'teams' list "
                "with at least the company itself (a team with no parent)",
            )
        )
        return None
    if len(roots) > 1 and reg.team_parent_cut:
        return None  # cutting a cycle or a long chain made the extra root: that is the error
    if len(roots) > 1:
        names = ", ".join(f"'{t.id}' ({t.source})" for t in roots)
        reg.error(
            roots[1].source,
            f"{len(roots)} teams have no parent: {names}; exactly "
            "one team (the company) is the root: give the others a 'parent'",
        )
        return None
    return roots[0] if roots else None
