"""`okrsite export csv`: an organisation's OKRs and public goals as one sheet, in the
columns ``okrsite import`` reads, so that a site exported and imported into an empty
folder gives the same goal data.

The layout (the importer's column list, :data:`okrsite.commands.importrows.COLUMNS`):

- one row per check-in of a key result (date, current, confidence), and one row for a
  key result without check-ins;
- a key result's public goals go on its rows, goal k on row k; when it has more goals
  than check-ins, rows with a blank date and current are added;
- every row repeats the period, the team, the objective and the key result, so each row
  can be read alone (the importer takes a row whose kr_id it has read in the same
  objective as one more check-in or goal of that key result);
- team, owner, kr_owner, goal_owner, kpi, team_parent and aligns_to hold ids and
  references exactly as the goal files write them; titles are text; numbers are plain
  numbers and dates ISO dates.

Private goals are never read (the organisation comes from the pipeline without them),
so nothing of them, not even their count, can reach the sheet. What a sheet row cannot
hold (an objective without key results, a goal that supports an objective or nothing,
a goal of another period than its key result) is skipped with a note saying so: never
dropped silently.

A text cell a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is written with a leading apostrophe, the mark spreadsheets read as
"this is text", and the one the importer drops (``importsheet.clean_cell``); numbers are
never quoted (a negative baseline stays a number).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from okrsite.commands.importrows import COLUMNS
from okrsite.commands.importsheet import FORMULA_START
from okrsite.model.graph import Checkin, Goal, KeyResult, Objective, Organization


@dataclass
class Sheet:
    """The rows of an export (the header first) and a note for each item left out."""

    rows: list[list[str]]
    skipped: list[str] = field(default_factory=list)

    @property
    def csv_text(self) -> str:
        """The rows as CSV text (RFC 4180: comma, CRLF, quotes only where needed)."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(self.rows)
        return out.getvalue()


def text(value: str | None) -> str:
    """A text cell: as written, with a leading apostrophe when a spreadsheet would
    otherwise run it as a formula."""
    if not value:
        return ""
    return "'" + value if FORMULA_START.match(value) else value


def number(value: float | None) -> str:
    """A number cell: whole numbers without '.0', others as the shortest text that
    reads back as the same number."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    # '1.125' could be read as 1,125 written the German way (importnumbers.decimal_mark):
    # '1.1250' can not, and is the same number.
    return text + "0" if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text) else text


def day(value: date | None) -> str:
    """A date cell, ISO (YYYY-MM-DD)."""
    return value.isoformat() if value is not None else ""


def reference(item: Objective | KeyResult, period: str) -> str:
    """How a goal file in ``period`` names ``item``: ``team/objective[/kr]``, with the
    item's period in front when it is another period's."""
    obj = item if isinstance(item, Objective) else item.objective
    ref = f"{obj.team.id}/{obj.id}"
    if isinstance(item, KeyResult):
        ref += f"/{item.id}"
    return ref if obj.period.key == period else f"{obj.period.key}/{ref}"


def export_sheet(org: Organization, period: str | None = None) -> Sheet:
    """The sheet of ``org``'s objectives, key results and public goals, of every period
    in order or of ``period`` only."""
    sheet = Sheet([list(COLUMNS)])
    periods = [p.key for p in org.periods_sorted() if period is None or p.key == period]
    by_period: dict[str, list[Objective]] = {key: [] for key in periods}
    for obj in org.objectives.values():
        if obj.period.key in by_period:
            by_period[obj.period.key].append(obj)
    for key in periods:
        for obj in by_period[key]:
            if not obj.key_results:
                sheet.skipped.append(
                    f"skipped objective {obj.key}: an objective needs a key result to be a row"
                )
            for kr in obj.key_results:
                sheet.rows.extend(_kr_rows(kr))
    for goal in org.goals.values():
        if not goal.private and (period is None or goal.period.key == period):
            why = _not_a_row(goal)
            if why:
                sheet.skipped.append(f"skipped goal {goal.key}: {why}")
    return sheet


def _on_row(goal: Goal, kr: KeyResult) -> bool:
    """Whether ``goal`` goes on ``kr``'s rows: public, and of the key result's period
    (the importer gives a goal the period of its row)."""
    return not goal.private and goal.period.key == kr.objective.period.key


def _not_a_row(goal: Goal) -> str | None:
    """Why a public goal cannot be on a row, or None when it is on one."""
    target = goal.supports
    if target is None:
        return "it supports nothing, and a row holds only a key result's goals"
    if isinstance(target, Objective):
        return f"it supports objective {target.key}, and a row holds only a key result's goals"
    if not _on_row(goal, target):
        return (
            f"it supports key result {target.key} of another period, and a row gives a goal "
            "its key result's period"
        )
    return None


def _kr_rows(kr: KeyResult) -> Iterator[list[str]]:
    """The rows of one key result: one per check-in, its goals alongside."""
    obj = kr.objective
    key = obj.period.key
    goals = [goal for goal in kr.goals if _on_row(goal, kr)]  # never a private one
    head = [
        key,
        obj.team.id,
        obj.team.parent.id if obj.team.parent is not None else "",
        obj.id,
        text(obj.title),
        reference(obj.parent, key) if obj.parent is not None else "",
        obj.owner.id,
        kr.id,
        text(kr.title),
        kr.kpi.id if kr.kpi is not None else "",
        number(kr.baseline),
        number(kr.target),
        text(kr.unit),
        kr.owner.id if kr.owner is not None else "",
    ]
    for n in range(max(len(kr.checkins), len(goals), 1)):
        checkin = kr.checkins[n] if n < len(kr.checkins) else None
        yield head + _checkin_cells(checkin) + _goal_cells(goals[n] if n < len(goals) else None)


def _checkin_cells(checkin: Checkin | None) -> list[str]:
    if checkin is None:
        return ["", "", ""]
    return [day(checkin.date), number(checkin.value), number(checkin.confidence)]


def _goal_cells(goal: Goal | None) -> list[str]:
    if goal is None:
        return [""] * 9
    return [
        goal.id,
        text(goal.title),
        goal.owner.id,
        text(goal.metric),
        number(goal.baseline),
        number(goal.target),
        text(goal.unit),
        day(goal.due),
        text(goal.achievable),
    ]
