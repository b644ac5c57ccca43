"""References between goal files ('supports', 'aligns_to', 'continues'): resolved to
the objective or key result they name, or reported with the reason they do not."""

from __future__ import annotations

from typing import Any

from okrsite.diagnostics import did_you_mean
from okrsite.model.graph import KeyResult, Objective
from okrsite.model.periods import PERIOD_RE, Period
from okrsite.source.registry import Registry, Where


def resolve(
    reg: Registry,
    ref: str,
    period: Period,
    src: Where,
    key: str,
    what: str,
    *,
    private: bool = False,
) -> Objective | KeyResult | None:
    """Resolve ``team/objective[/kr]`` (optionally period-prefixed) or report why not.
    For a ``private`` goal the message names neither the reference nor its parts."""
    parts = ref.split("/")
    readings: list[tuple[str, list[str]]] = []
    if PERIOD_RE.match(parts[0]) and len(parts) in (3, 4):
        readings.append((parts[0], parts[1:]))
    if len(parts) in (2, 3):
        readings.append((period.key, parts))
    problems = []
    in_broken_file = False
    for period_key, rest in readings:
        found, problem = _lookup(reg, period_key, rest)
        if found is not None:
            return found
        scopes = {
            f"{period_key}/{rest[0]}",
            f"{period_key}/{rest[0]}/{rest[1]}",
            f"*/{rest[0]}",
            "*",
        }
        in_broken_file |= bool(reg.broken & scopes)
        problems.append(problem)
    if in_broken_file:
        return None  # it may be in a file whose own error is already reported
    if private:
        reg.error(
            src,
            f"'{key}'{what} points to no key result that exists (reference not shown: "
            "private goal): check its period, team, objective and key result ids",
        )
    else:
        reg.error(src, f"'{key}'{what} points to '{ref}': {problems[0]}")
    return None


def _lookup(reg: Registry, period_key: str, rest: list[str]) -> tuple[Any, str]:
    team_id, obj_id = rest[0], rest[1]
    if period_key not in reg.periods:
        return None, (
            f"there are no OKRs for period {period_key}" + did_you_mean(period_key, reg.periods)
        )
    if team_id not in reg.teams:
        return None, f"there is no team '{team_id}'" + did_you_mean(team_id, reg.teams)
    obj = reg.objectives.get(f"{period_key}/{team_id}/{obj_id}")
    if obj is None:
        same = [o.id for o in reg.teams[team_id].objectives if o.period.key == period_key]
        elsewhere = [o.period.key for o in reg.teams[team_id].objectives if o.id == obj_id]
        hint = did_you_mean(obj_id, same)
        if not hint and elsewhere:
            hint = (
                f"; it exists in {elsewhere[0]}: write "
                f"'{elsewhere[0]}/{team_id}/{'/'.join(rest[1:])}'"
            )
        elif not hint:  # say what there is, so the fix is a choice, not a search
            hint = (
                f"; its objectives there: {', '.join(same[:5])}{', ...' if len(same) > 5 else ''}"
                if same
                else "; it has none there: point to an objective or key result that exists, or "
                "remove the reference"
            )
        return None, (f"team '{team_id}' has no objective '{obj_id}' in {period_key}" + hint)
    if len(rest) == 2:
        return obj, ""
    kr = next((k for k in obj.key_results if k.id == rest[2]), None)
    if kr is None:
        return None, (
            f"objective '{team_id}/{obj_id}' has no key result '{rest[2]}'"
            + did_you_mean(rest[2], [k.id for k in obj.key_results])
        )
    return kr, ""
