"""`okrsite import`: OKRs (and optionally goals) from a spreadsheet into goal files.

The column layout (header row; names are case-insensitive, spaces or '_'):

    period, team, objective, owner, key_result, baseline, target,
    unit, kpi, kr_owner, current,
    goal, goal_owner, goal_metric, goal_baseline, goal_target, goal_due, goal_achievable

A KPI named in the kpi column that no KPI file defines yet is added to goals/kpis.yaml
(its direction guessed from the key result: a target below the baseline means lower is
better), so that the imported OKRs reach their KPIs at once.

Blank rows are skipped. A blank period, team, objective or owner cell repeats the row
above (what merged cells export as). Numbers may carry a percent sign ("42%", which
also sets the unit) or thousands separators ("1,200"). Every row that cannot be read is
reported with its row number; the rest is written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .periods import PERIOD_RE
from .scaffold import Plan, ScaffoldError, _schema_line, okr_file_head
from .yamlwrite import flow, mapping, scalar, slug

COLUMNS = (
    "period",
    "team",
    "objective",
    "owner",
    "key_result",
    "baseline",
    "target",
    "unit",
    "kpi",
    "kr_owner",
    "current",
    "goal",
    "goal_owner",
    "goal_due",
)
REQUIRED = ("period", "team", "objective", "owner", "key_result", "baseline", "target")
ALIASES = {
    "kr": "key_result",
    "key result": "key_result",
    "objective_owner": "owner",
    "key result owner": "kr_owner",
    "due": "goal_due",
    "quarter": "period",
}
CARRY = ("period", "team", "objective", "owner")  # blank = same as the row above


@dataclass
class Imported:
    plan: Plan
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    objectives: int = 0
    key_results: int = 0
    goals: int = 0


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a .csv or .xlsx file, the header included as row 1."""
    if path.suffix.lower() == ".xlsx":
        try:
            import openpyxl
        except ImportError:
            raise ScaffoldError(
                "reading .xlsx needs openpyxl: pip install 'okrsite[xlsx]' "
                "(or save the sheet as CSV)"
            ) from None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, KeyError, XML errors...
            raise ScaffoldError(
                f"{path}: cannot read this as an Excel workbook ({exc}); "
                "open it in a spreadsheet and save it as .xlsx or CSV"
            ) from None
        for number, row in enumerate(book.active.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else _cell_text(v) for v in row]
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ScaffoldError(
            f"{path}: not UTF-8 text; save the sheet as 'CSV UTF-8' (or as .xlsx)"
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or not a table at all: the header check explains
        dialect = csv.excel
    for number, row in enumerate(csv.reader(text.splitlines(), dialect), start=1):
        yield number, row


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(text: str) -> tuple[float, bool]:
    """'1,200' -> 1200; '42%' -> (42, True); raises ValueError for text."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    percent = s.endswith("%")
    s = s.rstrip("%").lstrip("$€£")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d+", s):
        s = s.replace(",", ".")  # a decimal comma
    value = float(s)
    return value, percent


def import_sheet(path: Path, goals_dir: Path, today: date) -> Imported:
    """Read the sheet and plan the goal files; report rows it could not read."""
    rows = list(read_rows(path))
    if not rows:
        raise ScaffoldError(f"{path} is empty")
    header_no, header = rows[0]
    names = [ALIASES.get(h.strip().lower(), h.strip().lower().replace(" ", "_")) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ScaffoldError(
            f"{path}: row {header_no} (the header) lacks the column(s) "
            f"{', '.join(missing)}; the columns are: {', '.join(COLUMNS)}"
        )
    result = Imported(Plan())
    okrs: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    goals: dict[tuple[str, str], list[dict[str, Any]]] = {}
    people: dict[str, tuple[str, str]] = {}  # id -> (name, team id)
    kpis: dict[str, tuple[str, str, str | None]] = {}  # id -> (name, direction, unit)
    teams: dict[str, str] = {}  # id -> name
    above: dict[str, str] = {}
    for number, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        row = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)}
        own = dict(row)
        for key in CARRY:
            if not row.get(key) and above.get(key):
                row[key] = above[key]
        if own.get("objective") and own["objective"] != above.get("objective"):
            row["owner"] = own.get("owner", "")  # a new objective has an owner of its own
        above.update({k: row[k] for k in CARRY if row.get(k)})
        problem = _row_problem(row)
        if problem:
            result.problems.append(f"{path.name}: row {number}: {problem}")
            continue
        try:
            base, pct1 = parse_number(row["baseline"])
            target, pct2 = parse_number(row["target"])
            current = parse_number(row["current"])[0] if row.get("current") else None
        except ValueError:
            bad = next(
                k
                for k in ("baseline", "target", "current")
                if row.get(k) and not _is_number(row[k])
            )
            result.problems.append(
                f"{path.name}: row {number}: {bad} {row[bad]!r} is not a "
                "number (write 42, 42%, 1,200 or 3.5)"
            )
            continue
        result.rows += 1
        team_id = slug(row["team"])
        teams.setdefault(team_id, row["team"])
        owner_id = slug(row["owner"])
        people.setdefault(owner_id, (row["owner"], team_id))
        objectives = okrs.setdefault((row["period"], team_id), {})
        obj = objectives.get(row["objective"])
        if obj is None:
            taken = {o["id"] for o in objectives.values()}
            obj = {
                "id": slug(row["objective"], taken),
                "title": row["objective"],
                "owner": owner_id,
                "krs": [],
            }
            objectives[row["objective"]] = obj
            result.objectives += 1
        kr_taken = {k["id"] for k in obj["krs"]}
        unit = row.get("unit") or ("%" if pct1 or pct2 else None)
        if row.get("kpi"):
            # a target below the baseline: lower is better
            direction = "down" if target < base else "up"
            kpis.setdefault(slug(row["kpi"]), (row["kpi"], direction, unit))
        kr = {
            "id": slug(row["key_result"], kr_taken),
            "title": row["key_result"],
            "kpi": slug(row["kpi"]) if row.get("kpi") else None,
            "baseline": base,
            "target": target,
            "unit": unit,
            "owner": None,
            "current": current,
        }
        if row.get("kr_owner"):
            kr_owner = slug(row["kr_owner"])
            people.setdefault(kr_owner, (row["kr_owner"], team_id))
            kr["owner"] = kr_owner if kr_owner != owner_id else None
        obj["krs"].append(kr)
        result.key_results += 1
        if row.get("goal"):
            goal_owner = slug(row.get("goal_owner") or row["owner"])
            people.setdefault(goal_owner, (row.get("goal_owner") or row["owner"], team_id))
            mine = goals.setdefault((row["period"], goal_owner), [])
            numbers = {
                key: parse_number(row[key])[0]
                for key in ("goal_baseline", "goal_target")
                if row.get(key) and _is_number(row[key])
            }
            mine.append(
                {
                    "id": slug(row["goal"], {g["id"] for g in mine}),
                    "title": row["goal"],
                    "supports": f"{team_id}/{obj['id']}/{kr['id']}",
                    "metric": row.get("goal_metric") or None,
                    "baseline": numbers.get("goal_baseline"),
                    "target": numbers.get("goal_target"),
                    "due": date.fromisoformat(row["goal_due"]) if row.get("goal_due") else None,
                    "achievable": row.get("goal_achievable") or None,
                }
            )
            result.goals += 1
    for (period, team_id), objectives in okrs.items():
        result.plan.files[goals_dir / period / f"{team_id}.yaml"] = _okr_text(
            period, team_id, list(objectives.values()), today, path.name
        )
    for (period, person), items in goals.items():
        result.plan.files[goals_dir / period / "people" / f"{person}.yaml"] = _goals_text(
            period, person, items, path.name
        )
    if not any(
        p.suffix in (".yaml", ".yml") and p.name.startswith("org") for p in goals_dir.glob("org*")
    ):
        result.plan.files[goals_dir / "org.yaml"] = _org_text(teams, people, path.name)
    known = _known_kpis(goals_dir)
    new_kpis = {k: v for k, v in kpis.items() if k not in known}
    if new_kpis:
        name = "kpis.yaml" if not (goals_dir / "kpis.yaml").exists() else "kpis-imported.yaml"
        result.plan.files[goals_dir / name] = _kpis_text(new_kpis, path.name)
    return result


def _known_kpis(goals_dir: Path) -> set[str]:
    """KPI ids defined in the goals folder already (best effort: ids only)."""
    found: set[str] = set()
    for path in goals_dir.rglob("*.y*ml") if goals_dir.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"^kpis:", text, re.M):
            found |= set(re.findall(r"^\s*-\s*(?:\{\s*)?id:\s*([a-z0-9-]+)", text, re.M))
    return found


def _kpis_text(kpis: dict[str, tuple[str, str, str | None]], source: str) -> str:
    lines = [
        f"# KPIs named in {source}, added by okrsite import: add each one's alert",
        "# threshold, owner and history (or history_file, a CSV export).",
        _schema_line("kpis", 0).rstrip("\n"),
        "kpis:",
    ]
    for kid, (name, direction, unit) in kpis.items():
        lines += mapping(
            [("id", kid), ("name", name), ("unit", unit), ("direction", direction)], 4, "  - "
        )
    return "\n".join(lines) + "\n"


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _row_problem(row: dict[str, str]) -> str | None:
    empty = [c for c in REQUIRED if not row.get(c)]
    if empty:
        return f"no {', '.join(empty)} (every key result needs them)"
    if not PERIOD_RE.match(row["period"]):
        return f"period {row['period']!r} is not YYYY-Qn, YYYY-Hn or YYYY (e.g. 2026-Q3)"
    if row.get("goal_due"):
        try:
            date.fromisoformat(row["goal_due"])
        except ValueError:
            return f"goal_due {row['goal_due']!r} is not a date YYYY-MM-DD"
    return None


def _okr_text(
    period: str, team: str, objectives: list[dict[str, Any]], today: date, source: str
) -> str:
    lines = okr_file_head(
        period,
        team,
        [f"OKRs of team {team} for {period}, imported from {source} by okrsite import."],
    )
    for n, obj in enumerate(objectives):
        if n:
            lines.append("")
        krs = []
        for kr in obj["krs"]:
            items = [
                ("id", kr["id"]),
                ("title", kr["title"]),
                ("kpi", kr["kpi"]),
                ("baseline", kr["baseline"]),
                ("target", kr["target"]),
                ("unit", kr["unit"]),
                ("owner", kr["owner"]),
            ]
            krs.append(items)
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
        # check-ins are one-line mappings, added under the key result they belong to
        for kr in obj["krs"]:
            if kr["current"] is not None:
                anchor = f"        title: {scalar(kr['title'])}"
                at = max(i for i, line in enumerate(lines) if line == anchor)
                end = at + 1
                while (
                    end < len(lines)
                    and lines[end].startswith("        ")
                    and not lines[end].startswith("      - ")
                ):
                    end += 1
                lines[end:end] = [
                    "        checkins:",
                    "          - " + flow([("date", today), ("value", kr["current"])]),
                ]
    return "\n".join(lines) + "\n"


def _goals_text(period: str, person: str, items: list[dict[str, Any]], source: str) -> str:
    lines = [
        f"# SMART goals of {person} for {period}, imported from {source}.",
        "# Add metric, baseline, target and achievable to make each one SMART.",
        _schema_line("goals", 2).rstrip("\n"),
        f"period: {period}",
        f"owner: {person}",
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
        _schema_line("org", 0).rstrip("\n"),
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
