"""`okrsite import`: OKRs (and optionally goals) from a spreadsheet into goal files.

The sheet is read by :mod:`okrsite.commands.importsheet` and each row checked by
:mod:`okrsite.commands.importrows` (which lists the columns); this module turns the rows
into goal files.

A KPI named in the kpi column that no KPI file defines yet is added to goals/kpis.yaml
(its direction guessed from the key result: a target below the baseline means lower is
better), so that the imported OKRs reach their KPIs at once.

Blank rows are skipped. A blank period, team, objective or owner cell repeats the row
above (what merged cells export as). Every row that cannot be read is reported with its
row number and what to change; the rest is written.

Everything written is a goal file ``okrsite validate`` accepts: the rows were checked
cell by cell, and every team, person, KPI, objective, key result and goal gets an id
that no other one of its kind shares, whatever script its name is in
(:class:`okrsite.commands.yamlwrite.Ids`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from okrsite.commands.importrows import CARRY, COLUMNS, Row, RowError, read_row
from okrsite.commands.importsheet import (
    ImportFileError,
    clean_cell,
    file_name_text,
    is_blank,
    read_sheet,
    where,
)
from okrsite.commands.writeplan import Plan
from okrsite.commands.yamlwrite import (
    DEVICE_NAMES,
    Flow,
    Ids,
    flow,
    mapping,
    okr_file_head,
    scalar,
    schema_line,
)
from okrsite.limits import MAX_FILE_BYTES
from okrsite.source.folder import find_goal_files

__all__ = ["ImportFileError", "Imported", "import_sheet"]


@dataclass
class Imported:
    """The planned files, the problems of the rows that were not imported, and counts."""

    plan: Plan
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    objectives: int = 0
    key_results: int = 0
    goals: int = 0


@dataclass
class _Planned:
    """What the rows read so far make: the ids of every kind (one namespace each) and
    the items each file will hold, in the order of the sheet."""

    today: date
    team_ids: Ids = field(default_factory=lambda: Ids("team", DEVICE_NAMES))  # file names
    person_ids: Ids = field(default_factory=lambda: Ids("person", DEVICE_NAMES))
    kpi_ids: Ids = field(default_factory=lambda: Ids("kpi"))
    # (period, team id) -> the objectives' ids and the objectives by id
    okrs: dict[tuple[str, str], tuple[Ids, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    # (period, person id) -> the goals' ids and the goals
    goals: dict[tuple[str, str], tuple[Ids, list[dict[str, Any]]]] = field(default_factory=dict)
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, team)
    kpis: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # id -> ...
    teams: dict[str, str] = field(default_factory=dict)  # id -> name

    def person(self, name: str, team_id: str) -> str:
        """The id of the person ``name`` (in the team of the first row naming them)."""
        ident = self.person_ids(name)
        self.people.setdefault(ident, (name, team_id))
        return ident

    def add(self, read: Row, result: Imported) -> None:
        """Add one checked row: its team, people, KPI, objective, key result, goal."""
        row, numbers = read.texts, read.numbers
        team_id = self.team_ids(row["team"])
        self.teams.setdefault(team_id, row["team"])
        owner_id = self.person(row["owner"], team_id)
        objective_ids, objectives = self.okrs.setdefault(
            (read.period, team_id), (Ids("objective"), {})
        )
        objective_id = objective_ids(row["objective"])
        obj = objectives.get(objective_id)
        if obj is None:
            obj = objectives[objective_id] = {
                "id": objective_id,
                "title": row["objective"],
                "owner": owner_id,
                "krs": [],
                "kr_ids": Ids("kr"),
            }
            result.objectives += 1
        base, pct1 = numbers["baseline"]
        target, pct2 = numbers["target"]
        unit = row.get("unit") or ("%" if pct1 or pct2 else None)
        kpi_id = None
        if row.get("kpi"):
            kpi_id = self.kpi_ids(row["kpi"])
            # a target below the baseline: lower is better
            self.kpis.setdefault(kpi_id, (row["kpi"], "down" if target < base else "up", unit))
        kr_owner = self.person(row["kr_owner"], team_id) if row.get("kr_owner") else None
        current = numbers.get("current")
        kr = {
            "id": obj["kr_ids"].new(row["key_result"]),
            "title": row["key_result"],
            "kpi": kpi_id,
            "baseline": base,
            "target": target,
            "unit": unit,
            "owner": kr_owner if kr_owner != owner_id else None,
            # the 'current' value is a check-in of this key result, written inside it
            "checkins": [Flow([("date", self.today), ("value", current[0])])] if current else [],
        }
        obj["krs"].append(kr)
        result.key_results += 1
        if row.get("goal"):
            goal_owner = self.person(row.get("goal_owner") or row["owner"], team_id)
            goal_ids, mine = self.goals.setdefault((read.period, goal_owner), (Ids("goal"), []))
            mine.append(
                {
                    "id": goal_ids.new(row["goal"]),
                    "title": row["goal"],
                    "supports": f"{team_id}/{obj['id']}/{kr['id']}",
                    "metric": row.get("goal_metric") or None,
                    "baseline": numbers["goal_baseline"][0] if "goal_baseline" in numbers else None,
                    "target": numbers["goal_target"][0] if "goal_target" in numbers else None,
                    "due": read.due,
                    "achievable": row.get("goal_achievable") or None,
                }
            )
            result.goals += 1


def import_sheet(path: Path, goals_dir: Path, today: date) -> Imported:
    """Read the sheet and plan the goal files; report rows it could not read.

    Raises ImportFileError when the file is not a sheet of OKRs at all (not text, no
    header with the required columns, no rows)."""
    names, body = read_sheet(path)
    source = file_name_text(path.name)
    # Only into real folders under goals_dir (a linked period folder could lead anywhere).
    result = Imported(Plan(root=goals_dir))
    planned = _Planned(today)
    above: dict[str, str] = {}
    for number, line, cells in body:
        if is_blank(cells):
            continue
        row = {
            n: clean_cell(cells[i]) for i, n in enumerate(names) if n in COLUMNS and i < len(cells)
        }
        own = dict(row)
        for key in CARRY:
            if not row.get(key) and above.get(key):
                row[key] = above[key]
        if own.get("objective") and own["objective"] != above.get("objective"):
            row["owner"] = own.get("owner", "")  # a new objective has an owner of its own
        above.update({k: row[k] for k in CARRY if row.get(k)})
        try:
            read = read_row(row)
        except RowError as exc:
            result.problems.append(f"{source}: {where(number, line)}: {exc}")
            continue
        result.rows += 1
        planned.add(read, result)
    if not result.rows:
        return result  # nothing to write: not even an organisation of no one
    for (period, team_id), (_ids, objectives) in planned.okrs.items():
        result.plan.files[goals_dir / period / f"{team_id}.yaml"] = _okr_text(
            period, team_id, list(objectives.values()), source
        )
    for (period, person), (_ids, items) in planned.goals.items():
        result.plan.files[goals_dir / period / "people" / f"{person}.yaml"] = _goals_text(
            period, person, items, source
        )
    if not any(
        p.suffix in (".yaml", ".yml") and p.name.startswith("org") for p in goals_dir.glob("org*")
    ):
        result.plan.files[goals_dir / "org.yaml"] = _org_text(planned.teams, planned.people, source)
    known = _known_kpis(goals_dir)
    new_kpis = {k: v for k, v in planned.kpis.items() if k not in known}
    if new_kpis:
        name = "kpis.yaml" if not (goals_dir / "kpis.yaml").exists() else "kpis-imported.yaml"
        result.plan.files[goals_dir / name] = _kpis_text(new_kpis, source)
    return result


def _known_kpis(goals_dir: Path) -> set[str]:
    """KPI ids defined in the goals folder already (best effort: ids only). Reads
    only goal files inside the folder (not through a link out of it) and within
    MAX_FILE_BYTES."""
    found: set[str] = set()
    if not goals_dir.is_dir():
        return found
    root = goals_dir.resolve()
    for path in find_goal_files(goals_dir):
        try:
            real = path.resolve()
            if not real.is_relative_to(root) or real.stat().st_size > MAX_FILE_BYTES:
                continue
            text = real.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if re.search(r"^kpis:", text, re.M):
            found |= set(re.findall(r"^\s*-\s*(?:\{\s*)?id:\s*([a-z0-9-]+)", text, re.M))
    return found


def _kpis_text(kpis: dict[str, tuple[str, str, str | None]], source: str) -> str:
    lines = [
        f"# KPIs named in {source}, added by okrsite import: add each one's alert",
        "# threshold, owner and history (or history_file, a CSV export).",
        schema_line("kpis", 0).rstrip("\n"),
        "kpis:",
    ]
    for kid, (name, direction, unit) in kpis.items():
        lines += mapping(
            [("id", kid), ("name", name), ("unit", unit), ("direction", direction)], 4, "  - "
        )
    return "\n".join(lines) + "\n"


def _okr_text(period: str, team: str, objectives: list[dict[str, Any]], source: str) -> str:
    # an id may be a word YAML reads otherwise ('yes', '2026-01-01'): scalar quotes it
    lines = okr_file_head(
        scalar(period),
        scalar(team),
        [f"OKRs of team {team} for {period}, imported from {source} by okrsite import."],
    )
    for n, obj in enumerate(objectives):
        if n:
            lines.append("")
        krs = [
            [
                (key, kr[key])
                for key in ("id", "title", "kpi", "baseline", "target", "unit", "owner", "checkins")
            ]
            for kr in obj["krs"]
        ]
        lines += mapping(
            [
                ("id", obj["id"]),
                ("title", obj["title"]),
                ("owner", obj["owner"]),
                ("key_results", krs),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"


def _goals_text(period: str, person: str, items: list[dict[str, Any]], source: str) -> str:
    lines = [
        f"# SMART goals of {person} for {period}, imported from {source}.",
        "# Add metric, baseline, target and achievable to make each one SMART.",
        schema_line("goals", 2).rstrip("\n"),
        f"period: {scalar(period)}",
        f"owner: {scalar(person)}",
        "goals:",
    ]
    for g in items:
        lines += mapping(
            [
                ("id", g["id"]),
                ("title", g["title"]),
                ("supports", g["supports"]),
                ("metric", g["metric"]),
                ("baseline", g["baseline"]),
                ("target", g["target"]),
                ("due", g["due"]),
                ("achievable", g["achievable"]),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"


def _org_text(teams: dict[str, str], people: dict[str, tuple[str, str]], source: str) -> str:
    root = "company" if "company" in teams else None
    lines = [
        f"# The organisation, started from {source} by okrsite import: check names,",
        "# arrange the teams into their tree with 'parent', set each team's 'lead'.",
        schema_line("org", 0).rstrip("\n"),
        "organization: Our company",
        "",
        "teams:",
    ]
    if root is None:
        lines.append("  - {id: company, name: Our company}")
    for tid, name in teams.items():
        parent = None if tid == "company" else "company"
        lines.append("  - " + flow([("id", tid), ("name", name), ("parent", parent)]))
    lines += ["", "people:"]
    for pid, (name, team) in people.items():
        lines.append("  - " + flow([("id", pid), ("name", name), ("team", team)]))
    return "\n".join(lines) + "\n"
