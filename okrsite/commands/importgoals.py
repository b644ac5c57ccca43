"""People's SMART goals in ``okrsite import``: each row's goal planned into its
person's goal file, and the goal files of the site that the import must not write anew.

A row carries a goal's title, the key result it supports, its metric, baseline,
target, unit, due date and why it is achievable; nothing else. So a person's goal file
is never rewritten (with --force or not) when writing it anew would lose something: a
goal the sheet does not have, a private goal (the file written from rows would publish
it), or a goal with a status, check-ins or waivers of its own. Its rows are reported
instead; a private goal is only ever counted, never named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from okrsite.commands.importmatch import Site
from okrsite.commands.importrows import Row, RowError
from okrsite.commands.yamlwrite import Ids
from okrsite.formatting import plural

# (period, person id) -> the goals' ids and the goals, in the order of the sheet
Goals = dict[tuple[str, str], tuple[Ids, list[dict[str, Any]]]]


def goal_checked(goals: Goals, read: Row, people: dict[str, str | None]) -> str | None:
    """The goal's id ('' when not given) for a row with a goal, checked not to clash
    with a goal of the same id read above; None for a row without one."""
    if not read.texts.get("goal"):
        return None
    ident = read.texts.get("goal_id", "")
    owner = people.get("goal_owner") or people.get("owner")
    if ident and owner is not None:
        _ids, mine = goals.get((read.period, owner), (None, []))
        if any(g["id"] == ident for g in mine):
            raise RowError(
                f"goal_id {ident} is the id of another goal of this person already "
                "(a goal is written on one row)"
            )
    return ident


def add_goal(goals: Goals, read: Row, ident: str, owner: str, supports: str) -> None:
    """Add the row's goal to ``owner``'s goals of its period."""
    row, numbers = read.texts, read.numbers
    goal_ids, mine = goals.setdefault((read.period, owner), (Ids("goal"), []))
    if ident:
        goal_ids.taken.add(ident)
    mine.append(
        {
            "id": ident or goal_ids.new(row["goal"]),
            "title": row["goal"],
            "supports": supports,
            "metric": row.get("goal_metric") or None,
            "baseline": numbers["goal_baseline"][0] if "goal_baseline" in numbers else None,
            "target": numbers["goal_target"][0] if "goal_target" in numbers else None,
            "unit": row.get("goal_unit") or None,
            "due": read.due,
            "achievable": row.get("goal_achievable") or None,
        }
    )


def kept_goal_files(site: Site, goals: Goals, goals_dir: Path) -> dict[tuple[str, str], str]:
    """(period, person) -> why, for each planned goal file that must not be written:
    the site's file of that person and period holds what the rows cannot carry."""
    kept: dict[tuple[str, str], str] = {}
    for key, (_ids, items) in goals.items():
        path = site.goal_files.get(key)
        if path is None:
            continue
        shown = path.relative_to(goals_dir.parent).as_posix()
        mine = {g["id"] for g in items}
        lost = [private for ident, private in site.goal_ids[path].items() if ident not in mine]
        if lost:
            private = f", {sum(lost):,} of them private" if any(lost) else ""
            kept[key] = (
                f"{shown} holds {plural(len(lost), 'goal')} this sheet does not have{private}: "
                f"importing would delete {'it' if len(lost) == 1 else 'them'}; add this "
                "sheet's goals to that file by hand, or remove the file first"
            )
            continue
        why = _uncarried(site, path)
        if why:
            kept[key] = f"{shown} holds {why}"
    return kept


def _uncarried(site: Site, path: Path) -> str | None:
    """What the goals of the site's file at ``path`` hold that a row cannot carry,
    counted ('1 private goal (and 1 with check-ins) that a row cannot carry: ...'), or
    None; from what :func:`~okrsite.commands.importmatch.read_site` read of it."""
    private = sum(site.goal_ids[path].values())
    counted = [
        (n, what)
        for n, what in zip(
            site.goal_extras[path], ("with a status", "with check-ins", "with waivers"), strict=True
        )
        if n
    ]
    if not private and not counted:
        return None
    if private:
        head, rest = plural(private, "private goal"), counted
    else:
        head, rest = f"{plural(counted[0][0], 'goal')} {counted[0][1]}", counted[1:]
    tail = ", ".join(f"{n:,} {what}" for n, what in rest)
    said = head + (f" (and {tail})" if tail else "")
    many = private + sum(n for n, _what in counted) > 1
    return (
        f"{said} that a row cannot carry: importing would "
        f"{'publish or drop' if private else 'drop'} {'them' if many else 'it'}; change "
        "those goals in the file itself"
    )
