"""The texts of the files ``okrsite import`` writes: team OKR files, people's goal
files, added KPIs and (into an empty goals folder) the organisation file. Each is
written as a person would write it (:mod:`okrsite.commands.yamlwrite`), with a comment
saying where it came from and what to do next."""

from __future__ import annotations

from typing import Any

from okrsite.commands.orgedit import Item
from okrsite.commands.yamlwrite import flow, mapping, okr_file_head, scalar, schema_line


def kpis_text(kpis: list[Item], source: str) -> str:
    """A KPI file of the KPIs the sheet named that the site does not define yet."""
    lines = [
        f"# KPIs named in {source}, added by okrsite import: add each one's alert",
        "# threshold, owner and history (or history_file, a CSV export).",
        schema_line("kpis", 0).rstrip("\n"),
        "kpis:",
    ]
    for kpi in kpis:
        lines += mapping(kpi, 4, "  - ")
    return "\n".join(lines) + "\n"


def okr_text(period: str, team: str, objectives: list[dict[str, Any]], depth: int = 1) -> str:
    """A team's OKR file of one period, ``depth`` folders below the goals folder (for
    its $schema line). (Its comment does not name the sheet: the same rows from a
    sheet saved under another name make the same file.)"""
    # an id may be a word YAML reads otherwise ('yes', '2026-01-01'): scalar quotes it
    lines = okr_file_head(
        scalar(period),
        scalar(team),
        [f"OKRs of team {team} for {period}, imported by okrsite import."],
    )
    if depth != 1:  # a file the site keeps elsewhere: its schema line points up as far
        at = lines.index(schema_line("okrs", 1).rstrip("\n"))
        lines[at] = schema_line("okrs", depth).rstrip("\n")
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
                ("aligns_to", obj["aligns_to"]),
                ("key_results", krs),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"


def goals_text(period: str, person: str, items: list[dict[str, Any]], depth: int = 2) -> str:
    """A person's goal file of one period, ``depth`` folders below the goals folder
    (its comment names no sheet, as above)."""
    smart = ("metric", "baseline", "target", "achievable")
    missing = [key for key in smart if any(g[key] is None for g in items)]
    lines = [f"# SMART goals of {person} for {period}, imported by okrsite import."]
    if missing:  # say what the sheet left out, not what it gave
        lines.append(f"# Add {', '.join(missing)} where missing to make each one SMART.")
    lines += [
        schema_line("goals", depth).rstrip("\n"),
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
                ("unit", g["unit"]),
                ("due", g["due"]),
                ("achievable", g["achievable"]),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"


def org_text(teams: list[Item], people: list[Item], source: str) -> str:
    """A new organisation file: the teams and people the sheet named."""
    lines = [
        f"# The organisation, started from {source} by okrsite import: check names,",
        "# arrange the teams into their tree with 'parent', set each team's 'lead'.",
        schema_line("org", 0).rstrip("\n"),
        "organization: Our company",
        "",
        "teams:",
    ]
    lines += ["  - " + flow(team) for team in teams]
    lines += ["", "people:", *("  - " + flow(person) for person in people)]
    return "\n".join(lines) + "\n"
