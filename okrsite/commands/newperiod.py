"""`okrsite new-period`: open the next period from the last one, carrying each team's
unfinished objectives with their last values as baselines. Old files are not touched."""

from __future__ import annotations

import re
from pathlib import Path

from okrsite.commands.writeplan import CommandError, Plan
from okrsite.commands.yamlwrite import mapping, okr_file_head
from okrsite.model import scoring
from okrsite.model.graph import Objective, Organization, parent_objective
from okrsite.model.periods import PERIOD_HINT, PERIOD_RE, YEAR_HINT, Period, parse_period
from okrsite.settings import DEFAULTS
from okrsite.source.fileformat import ID_MAX, ID_PATTERN
from okrsite.source.folder import find_goal_files
from okrsite.source.loader import load


def check_period(text: str, option: str = "PERIOD") -> str:
    """``text`` if it is exactly a period's name (ASCII digits, nothing after it), else a
    CommandError naming the accepted forms. ``option`` names the argument."""
    # ASCII and a full match, whatever PERIOD_RE allows: this names folders.
    if not (text.isascii() and PERIOD_RE.fullmatch(text) and parse_period(text)):
        raise CommandError(f"{option} {text!r} is not a period: {PERIOD_HINT}; {YEAR_HINT}")
    return text


def check_team(text: str) -> str:
    """``text`` if it is exactly a team id, else a CommandError that says what one is."""
    if not (re.fullmatch(ID_PATTERN, text) and len(text) <= ID_MAX):
        raise CommandError(
            f"--team {text!r} is not a team id: lowercase letters, digits and '-', at most "
            f"{ID_MAX}, e.g. --team customer-success"
        )
    return text


def new_period(
    goals_dir: Path,
    period: str,
    *,
    source: str | None = None,
    team: str | None = None,
    carry_all: bool = False,
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
) -> tuple[Plan, list[str]]:
    """Open ``period`` from ``source`` (default: the latest earlier period with OKRs).

    For each team (or ``team``), its unfinished objectives (score below 1.0; all with
    ``carry_all``) are carried with ``continues:``; each key result's baseline becomes
    its last value; check-ins and revisions start empty. Old files are not touched.
    Returns the plan and notes for the user.
    """
    check_period(period)
    if source is not None:
        check_period(source, "--from")
    if team is not None:
        check_team(team)
    new = parse_period(period, fiscal_year_start)
    assert new is not None  # checked above; the fiscal year start moves only the dates
    org: Organization = load(goals_dir, fiscal_year_start=fiscal_year_start).org
    earlier = [
        p
        for p in org.periods_sorted()
        if p.start < new.start and any(o.period == p for o in org.objectives.values())
    ]
    src: Period
    if source is not None:
        found = org.periods.get(source)
        if found is None:
            raise CommandError(f"no OKRs for period '{source}' in {goals_dir}")
        if found.start >= new.start:
            # Carrying a period into itself (or backwards) would, with --force,
            # overwrite its own files and their check-ins.
            raise CommandError(f"--from {source} must be a period that starts before {period}")
        src = found
    elif earlier:
        src = max(earlier, key=lambda p: p.start)
    else:
        raise CommandError(f"no period before {period} has OKRs to carry")
    if team is not None and team not in org.teams:
        raise CommandError(f"no team '{team}' in {goals_dir}")
    plan, notes = Plan(root=goals_dir), []
    by_team: dict[str, list[Objective]] = {}
    for obj in org.objectives.values():
        if obj.period == src and (team is None or obj.team.id == team):
            by_team.setdefault(obj.team.id, []).append(obj)
    existing = {f.resolve() for f in find_goal_files(goals_dir)}
    carried_by_team = {
        team_id: [o for o in objs if carry_all or (scoring.objective_score(o) or 0.0) < 1.0]
        for team_id, objs in by_team.items()
    }
    # Objectives that will exist in the new period: an alignment to one of them stays a
    # same-period reference; any other keeps pointing at the old period, explicitly.
    present = {(o.team.id, o.id) for o in org.objectives.values() if o.period == new}
    present |= {(t, o.id) for t, objs in carried_by_team.items() for o in objs}
    for team_id, carried in carried_by_team.items():
        done = [o.id for o in by_team[team_id] if o not in carried]
        if done:
            notes.append(f"{team_id}: not carried (score 1.0): {', '.join(done)}")
        if not carried:
            continue
        path = goals_dir / period / f"{team_id}.yaml"
        if path.resolve() in existing:
            notes.append(f"{team_id}: {path} exists already")
        plan.files[path] = _okr_file(period, team_id, carried, src.key, present)
    if not plan.files:
        raise CommandError(
            f"nothing to carry from {src.key}" + (f" for team '{team}'" if team else "")
        )
    return plan, notes


def _okr_file(
    period: str, team: str, objectives: list[Objective], source: str, present: set[tuple[str, str]]
) -> str:
    lines = okr_file_head(
        period,
        team,
        [
            f"OKRs of team {team} for {period}, carried from {source} by okrsite new-period.",
            f"Baselines are the last values of {source}; set new targets where the old",
            "ones were reached, and add or drop key results as the team decides.",
        ],
    )
    for n, obj in enumerate(objectives):
        if n:
            lines.append("")
        aligns = None
        parent_obj = parent_objective(obj)
        if obj.parent is not None and parent_obj is not None:
            same = (parent_obj.team.id, parent_obj.id) in present
            aligns = "/".join(obj.parent.key.split("/")[1:]) if same else obj.parent.key
        krs = []
        for kr in obj.key_results:
            krs.append(
                [
                    ("id", kr.id),
                    ("title", kr.title),
                    ("kpi", kr.kpi.id if kr.kpi else None),
                    ("baseline", scoring.kr_current(kr)),
                    ("target", kr.target),
                    ("unit", kr.unit if not kr.kpi or kr.unit != kr.kpi.unit else None),
                    ("owner", kr.owner.id if kr.owner and kr.owner is not obj.owner else None),
                    ("weight", kr.weight if kr.weight != 1 else None),
                ]
            )
        lines += mapping(
            [
                ("id", obj.id),
                ("title", obj.title),
                ("owner", obj.owner.id),
                ("aligns_to", aligns),
                ("continues", obj.key),
                ("description", obj.description),
                ("key_results", krs),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"
