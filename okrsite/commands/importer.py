"""`okrsite import`: OKRs (and optionally goals) from a spreadsheet into goal files, into
an empty goals folder or into a site that has its organisation and KPIs already.

The sheet is read by :mod:`okrsite.commands.importsheet` and each row checked by
:mod:`okrsite.commands.importrows` (which lists the columns); the site's teams, people
and KPIs are read by :mod:`okrsite.commands.importmatch`, and a cell that names one of
them (by id, name or email, whatever its case and accents) is that one. This module
turns the rows into goal files.

A team or person no file defines yet is added to the organisation file (by adding
lines: :mod:`okrsite.commands.orgedit`), or the row is refused when told to
(``unknown='refuse'``). A KPI no file defines yet is added to the KPI file (its
direction guessed from the key result: a target below the baseline means lower is
better), so that the imported OKRs reach their KPIs at once.

Blank rows are skipped. A blank period, team, objective or owner cell repeats the row
above (what merged cells export as). Every row that cannot be read is reported with its
row number and what to change; the rest is written. A row whose kr_id names a key
result read above adds to it: a check-in, a goal.

Everything written is a goal file ``okrsite validate`` accepts: the rows were checked
cell by cell, and every team, person, KPI, objective, key result and goal gets an id
that no other one of its kind shares, whatever script its name is in
(:class:`okrsite.commands.yamlwrite.Ids`); and the goals folder as it would be is
loaded before anything is written (:mod:`okrsite.commands.importcheck`). A person's goal
file that holds what a row cannot carry (a goal the sheet does not have, a private goal,
check-ins...) is not written at all, --force or not: its rows are reported
(:mod:`okrsite.commands.importgoals`). No two planned files share a path, and none
replaces a file of another team or person: that refuses the import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrsite.commands.importcheck import check_planned
from okrsite.commands.importfiles import goals_text, kpis_text, okr_text, org_text
from okrsite.commands.importgoals import kept_goal_files
from okrsite.commands.importmatch import ImportSiteError, Site, read_site
from okrsite.commands.importnumbers import decimal_mark
from okrsite.commands.importplan import Planned
from okrsite.commands.importrows import (
    COLUMNS,
    NUMBERS,
    RowError,
    carry,
    read_row,
)
from okrsite.commands.importsheet import (
    ImportFileError,
    clean_cell,
    file_name_text,
    is_blank,
    read_sheet,
    where,
)
from okrsite.commands.orgedit import Item, OrgEditError, added, has_list, insert
from okrsite.commands.writeplan import Plan
from okrsite.formatting import plural
from okrsite.settings import DEFAULTS

__all__ = ["ImportFileError", "ImportSiteError", "Imported", "OrgEditError", "import_sheet"]


@dataclass
class Imported:
    """The planned files, the problems of the rows that were not imported, notes on
    rows that were (a near miss of a name), what was added to the organisation and the
    KPIs, and counts."""

    plan: Plan
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)
    rows: int = 0
    objectives: int = 0
    key_results: int = 0
    checkins: int = 0
    goals: int = 0


def import_sheet(
    path: Path,
    goals_dir: Path,
    today: date,
    *,
    unknown: str = "add",
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
    force: bool = True,
) -> Imported:
    """Read the sheet and plan the goal files; report rows it could not read.

    Without ``force``, a CommandError first lists the files the plan would change (as
    writing would refuse them); then the planned goals folder must load.

    ``unknown``: 'add' a team or person the site does not know to the organisation
    file, or 'refuse' the row. Raises ImportFileError when the file is not a sheet of
    OKRs at all (not text, no header with the required columns, no rows),
    ImportSiteError when the goals folder is a link, when its organisation or KPIs do
    not read, or when the goal files it would hold after the import do not load (then
    nothing may be written)."""
    sheet = read_sheet(path)
    names = sheet.names
    source = file_name_text(path.name)
    site = read_site(goals_dir)
    # Only into real folders under goals_dir (a linked period folder could lead anywhere).
    result = Imported(Plan(root=goals_dir))
    if sheet.unread:
        result.notes.append(f"note: {source}: not read: columns {', '.join(sheet.unread)}")
    planned = Planned(site, today, unknown == "add", fiscal_year_start)
    # The sheet's decimal mark, from the numbers that show it: '1.200' in a sheet of
    # decimal commas is twelve hundred.
    number_at = [i for i, name in enumerate(names) if name in NUMBERS]
    decimal = decimal_mark(c[i] for _n, _l, c in sheet.body for i in number_at if i < len(c))
    above: dict[str, str] = {}
    goal_rows: list[tuple[str, str, str]] = []  # (period, owner cell, row) of each goal
    for number, line, cells in sheet.body:
        if is_blank(cells):
            continue
        row = {
            n: clean_cell(cells[i]) for i, n in enumerate(names) if n in COLUMNS and i < len(cells)
        }
        carry(row, above)
        at = f"{source}: {where(number, line)}"
        try:
            read = read_row(row, decimal)
            planned.add(read, where(number, line))
        except RowError as exc:
            result.problems.append(f"{at}: {exc}")
            continue
        if row.get("goal"):
            goal_rows.append((read.period, row.get("goal_owner") or row["owner"], at))
        result.notes += [f"note: {at}: {note}" for note in planned.take_notes()]
        result.rows += 1
    result.notes += [f"note: {source}: {note}" for note in planned.notes_left()]
    counts = planned.counts
    result.objectives, result.key_results = counts["objectives"], counts["key_results"]
    result.checkins, result.goals = counts["checkins"], counts["goals"]
    if result.rows:  # nothing to write: not even an organisation of no one
        _keep_goal_files(result, planned, site, goals_dir, goal_rows)
        _plan_files(result, planned, site, goals_dir, source)
        if not force:  # the files it would change need --force: that is said first
            result.plan.refuse_overwrites(skip_unchanged=True)
        check_planned(goals_dir, result.plan, fiscal_year_start)
    return result


def _keep_goal_files(
    result: Imported,
    planned: Planned,
    site: Site,
    goals_dir: Path,
    goal_rows: list[tuple[str, str, str]],
) -> None:
    """Leave out of the plan every person's goal file that writing anew would lose
    something of (:func:`~okrsite.commands.importgoals.kept_goal_files`), --force or
    not, and report the rows that would have written it."""
    kept = kept_goal_files(site, planned.goals, goals_dir)
    if not kept:
        return
    for period, cell, at in goal_rows:
        try:
            person = planned.site.people.find(cell)
        except RowError:  # refused on its row already
            continue
        why = kept.get((period, person or ""))
        if why is not None:
            result.problems.append(f"{at}: its goal is not imported: {why}")
    for key in kept:
        result.goals -= len(planned.goals.pop(key)[1])


def _plan_files(
    result: Imported, planned: Planned, site: Site, goals_dir: Path, source: str
) -> None:
    """Plan each team's OKR file and each person's goal file (then what the
    organisation and KPI files gain): into the file the site has for it, else a new
    one; never two on one path, never over a file of another team or person."""
    files = result.plan.files
    owners = _owners(site, goals_dir)
    planned_at: dict[str, Owner] = {}
    for (period, team_id), objectives in planned.okrs.items():
        target = site.okr_files.get((period, team_id), goals_dir / period / f"{team_id}.yaml")
        _claim(target, ("okrs", period, team_id), owners, planned_at, goals_dir)
        files[target] = okr_text(
            period, team_id, list(objectives.values()), _depth(target, goals_dir)
        )
        dropped = site.okr_objectives.get(target, set()) - set(objectives)
        if dropped:  # --force replaces the file: said before it is asked for
            result.plan.notes[target] = (
                f"--force drops {plural(len(dropped), 'objective')} this sheet does not have"
            )
    for (period, person), (_ids, items) in planned.goals.items():
        default = goals_dir / period / "people" / f"{person}.yaml"
        target = site.goal_files.get((period, person), default)
        _claim(target, ("goals", period, person), owners, planned_at, goals_dir)
        files[target] = goals_text(period, person, items, _depth(target, goals_dir))
    teams, people = planned.new_teams, planned.new_people
    if site.root is None and teams and all(dict(t)["id"] != planned.root for t in teams):
        # no company yet (a new site, or an org file without teams): the new teams' root
        teams = [[("id", planned.root), ("name", "Our company")], *teams]
    result.additions += [f"team {_shown(t)}" for t in teams]
    result.additions += [f"person {_shown(p)}" for p in people]
    result.additions += [f"KPI {_shown(k)}" for k in planned.new_kpis]
    if not site.org_files:
        files[_fresh(goals_dir / "org.yaml", "organisation")] = org_text(teams, people, source)
    else:
        _add_lines(result.plan, site.org_files, "org", {"teams": teams, "people": people})
    if planned.new_kpis:
        if not site.kpi_files:
            files[_fresh(goals_dir / "kpis.yaml", "KPI")] = kpis_text(planned.new_kpis, source)
        else:
            _add_lines(result.plan, site.kpi_files, "kpis", {"kpis": planned.new_kpis})


# A file's owner: its kind ('okrs', 'goals', 'org', 'kpis'), period and team or person
# ('' where the file has none, or where two files of the site claim that owner).
Owner = tuple[str, str, str]


def _spot(path: Path) -> str:
    """Where a file lies, as a disk that ignores case sees it (macOS, Windows): a site
    kept on one must not have Beta.yaml written over beta.yaml either."""
    return path.as_posix().casefold()


def _owners(site: Site, goals_dir: Path) -> dict[str, tuple[Owner, str]]:
    """Each file of the site: its owner and how a message names it (a file with a
    private goal only as "a person's goal file": who has one is not told)."""
    okr_keys = {path: key for key, path in site.okr_files.items()}
    goal_keys = {path: key for key, path in site.goal_files.items()}
    owners: dict[str, tuple[Owner, str]] = {}
    for path in site.org_files:
        owners[_spot(path)] = (("org", "", ""), "the organisation file")
    for path in site.kpi_files:
        owners[_spot(path)] = (("kpis", "", ""), "a KPI file")
    for path in site.okr_objectives:
        period, team = okr_keys.get(path, ("", ""))
        owners[_spot(path)] = (("okrs", period, team), _named(("okrs", period, team)))
    for path, private in site.goal_ids.items():
        period, person = goal_keys.get(path, ("", ""))
        owner = ("goals", period, person)
        named = "a person's goal file" if any(private.values()) else _named(owner)
        owners[_spot(path)] = (owner, named)
    return owners


def _named(owner: Owner) -> str:
    kind, period, who = owner
    if kind == "okrs":
        return f"the OKR file of team {who} for {period}" if who else "an OKR file"
    return f"the goal file of {who} for {period}" if who else "a person's goal file"


def _claim(
    target: Path,
    owner: Owner,
    owners: dict[str, tuple[Owner, str]],
    planned_at: dict[str, Owner],
    goals_dir: Path,
) -> None:
    """Plan ``owner``'s file at ``target``: ImportSiteError (--force or not) when
    another planned file is there already, or the site's file there is another's."""
    shown = target.relative_to(goals_dir.parent).as_posix()
    mine = "OKRs of team" if owner[0] == "okrs" else "goals of"
    wanted = f"this import would write the {mine} {owner[2]} for {owner[1]} to {shown}"
    other = planned_at.get(_spot(target))
    if other is not None:
        theirs = "OKRs of team" if other[0] == "okrs" else "goals of"
        raise ImportSiteError(
            f"{wanted}, where it writes the {theirs} {other[2]} for {other[1]} already: "
            "nothing was written (not even with --force: one would be lost); name each "
            "team's OKR file and each person's goal file after its team or person, then "
            "import again"
        )
    there = owners.get(_spot(target))
    if there is not None and there[0] != owner:
        raise ImportSiteError(
            f"{wanted}, which is {there[1]}: nothing was written (not even with --force: it "
            "would be lost); rename or move that file, then import again"
        )
    planned_at[_spot(target)] = owner


def _depth(target: Path, goals_dir: Path) -> int:
    """How many folders ``target`` lies below the goals folder (its $schema line)."""
    return len(target.relative_to(goals_dir).parts) - 1


def _fresh(path: Path, kind: str) -> Path:
    """``path`` for a new file of the site's whole organisation or all its KPIs: never
    over a file there (one that holds something else: --force would replace it)."""
    if os.path.lexists(path):
        raise ImportSiteError(
            f"{path.as_posix()} is not the {kind} file, and okrsite import would start that "
            f"file there: rename or move it away (or write the {kind} file yourself), then "
            "import again"
        )
    return path


def _shown(item: Item) -> str:
    values = dict(item)
    rest = ", ".join(f"{k} {v}" for k, v in item if k not in ("id", "name") and v is not None)
    return f"{values['id']} ({values['name']}{', ' + rest if rest else ''})"


def _add_lines(plan: Plan, paths: list[Path], kind: str, items: dict[str, list[Item]]) -> None:
    """Add ``items`` to the ends of their lists in the first of ``paths`` that has each
    list (else in the first file), by adding lines; checked to read back as meant."""
    texts: dict[Path, str] = {}
    wanted: dict[Path, dict[str, list[Item]]] = {}
    for key, new in items.items():
        if not new:
            continue
        for path in paths:
            texts.setdefault(path, path.read_bytes().decode("utf-8"))  # \r\n kept
        target = next((p for p in paths if has_list(texts[p], key)), paths[0])
        wanted.setdefault(target, {})[key] = new
    for path, by_key in wanted.items():
        text = texts[path]
        for key, new in by_key.items():
            text = insert(text, key, new)
        added(texts[path], text, path.name, kind, by_key)
        plan.files[path] = text
        plan.additions.add(path)
