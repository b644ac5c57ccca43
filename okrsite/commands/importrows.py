"""The columns of an import sheet and one row checked: what ``okrsite import`` reads from
each cell, and a :class:`RowError` that says which cell to change when a row cannot be
written.

The column layout (header row; names are case-insensitive, spaces, '-' or '_'), in the
order ``okrsite export csv`` writes them (:data:`COLUMNS` is that list; messages, the
header check and the exporter use it):

    period, team, team_parent, objective_id, objective, aligns_to, owner,
    kr_id, key_result, kpi, baseline, target, unit, kr_owner, date, current, confidence,
    goal_id, goal, goal_owner, goal_metric, goal_baseline, goal_target, goal_unit,
    goal_due, goal_achievable

Numbers may carry a percent sign ("42%", which also sets the unit) or thousands
separators ("1,200"). A row is written only when everything in it can be: texts within
:mod:`okrsite.limits` and free of control characters, numbers finite and within
``MAX_NUMBER``, periods that exist and dates that are dates.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from okrsite.commands.importnumbers import AmbiguousNumber, parse_number
from okrsite.limits import MAX_MARKDOWN, MAX_NUMBER, MAX_TITLE, MAX_UNIT
from okrsite.model.periods import PERIOD_HINT, PERIOD_RE, YEAR_HINT, YEARS
from okrsite.source.fileformat import DIRECTION_CONTROL, ID_MAX, ID_PATTERN, REF_PATTERN

# Every column the importer reads, in sheet order: the one list the header check, its
# message, the row reader and ``okrsite export csv`` use.
COLUMNS = (
    "period",
    "team",
    "team_parent",
    "objective_id",
    "objective",
    "aligns_to",
    "owner",
    "kr_id",
    "key_result",
    "kpi",
    "baseline",
    "target",
    "unit",
    "kr_owner",
    "date",
    "current",
    "confidence",
    "goal_id",
    "goal",
    "goal_owner",
    "goal_metric",
    "goal_baseline",
    "goal_target",
    "goal_unit",
    "goal_due",
    "goal_achievable",
)
REQUIRED = ("period", "team", "objective", "owner", "key_result", "baseline", "target")
# What a row naming a key result read above (by kr_id) may leave blank.
KR_CELLS = ("key_result", "kpi", "baseline", "target", "unit", "kr_owner")
# Other names people give the columns (as normalised by column_name).
ALIASES = {
    "kr": "key_result",
    "objective_owner": "owner",
    "key_result_owner": "kr_owner",
    "due": "goal_due",
    "quarter": "period",
}
# Blank = same as the row above (merged cells). The objective's own cells are carried
# only while the objective is the same (see :func:`carry`).
CARRY = ("period", "team", "team_parent", "objective_id", "objective", "aligns_to", "owner")
_OBJECTIVE_OWN = ("objective_id", "aligns_to", "owner")
_OBJECTIVE_KEY = ("period", "team", "objective", "objective_id")  # another one: new
NUMBERS = ("baseline", "target", "current", "confidence", "goal_baseline", "goal_target")
# The goal's cells besides its title: given without a title, they are a mistake.
GOAL_DETAILS = tuple(c for c in COLUMNS if c.startswith("goal_"))
ID_COLUMNS = ("objective_id", "kr_id", "goal_id")
# The most characters each text column may hold: what validation allows in the field
# it is written to (names and titles are one-line texts, 'achievable' is Markdown).
TEXT_LIMITS = {
    "team": MAX_TITLE,
    "team_parent": MAX_TITLE,
    "objective": MAX_TITLE,
    "owner": MAX_TITLE,
    "key_result": MAX_TITLE,
    "unit": MAX_UNIT,
    "kpi": MAX_TITLE,
    "kr_owner": MAX_TITLE,
    "goal": MAX_TITLE,
    "goal_owner": MAX_TITLE,
    "goal_metric": MAX_TITLE,
    "goal_unit": MAX_UNIT,
    "goal_achievable": MAX_MARKDOWN,
}

# Columns written to one-line fields: their line breaks and tabs become spaces.
ONE_LINE_COLUMNS = tuple(column for column in TEXT_LIMITS if column != "goal_achievable")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")

# A number as Python and YAML both read it, in ASCII digits: no 'nan', 'inf', '1_000'.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\Z", re.ASCII)
_ID = re.compile(ID_PATTERN, re.ASCII)
_REF = re.compile(REF_PATTERN, re.ASCII)
_SHOWN = 40  # characters of a cell shown in a message


class RowError(ValueError):
    """A row that cannot be imported; the message says which cell and what to write."""


def show_cell(value: str) -> str:
    """A cell for a message: quoted and escaped like ``repr`` (a control character or
    a line break shows as ``\\x7f`` or ``\\n``, never as itself), and cut short."""
    if len(value) <= _SHOWN:
        return repr(value)
    return repr(value[:_SHOWN]) + f"... ({len(value):,} characters)"


def column_name(header: str) -> str:
    """'Key Result', 'key-result' and ' KEY_RESULT ' all name the column key_result."""
    name = "_".join(re.findall(r"[a-z0-9]+", header.casefold()))
    return ALIASES.get(name, name)


def column_letter(index: int) -> str:
    """A column's letters as a spreadsheet shows them: 0 -> 'A', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _bad_character(value: str, one_line: bool) -> int | None:
    """The index of the first control character in ``value`` (tab and line breaks
    are text; in a one-line field, a text-direction override is one too), or None."""
    for index, ch in enumerate(value):
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n":
            return index
        # as the loader refuses it: a title holding one would not be read back
        if one_line and DIRECTION_CONTROL.match(ch):
            return index
    return None


def _check_texts(row: dict[str, str]) -> None:
    for column in COLUMNS:
        value = row.get(column, "")
        at = _bad_character(value, column in ONE_LINE_COLUMNS)
        if at is not None:
            window = value[max(0, at - 15) : at + 16]
            raise RowError(
                f"{column} holds the control character U+{ord(value[at]):04X} at character "
                f"{at + 1} ({show_cell(window)}): goal files cannot hold it; delete it "
                "(retype the cell)"
            )
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(value) > limit:
            raise RowError(
                f"{column} is {len(value):,} characters long ({show_cell(value)}); okrsite "
                f"allows at most {limit:,}: shorten it"
            )


def _period(text: str) -> str:
    period = text.upper()
    match = PERIOD_RE.match(period)
    if not match or (match[2] == "H" and match[3] not in "12"):
        raise RowError(f"period {show_cell(text)} is not a period: {PERIOD_HINT}")
    if int(match[1]) not in YEARS:
        raise RowError(f"period {show_cell(text)}: {YEAR_HINT}")
    return period


def _numbers(row: dict[str, str], decimal: str | None) -> dict[str, tuple[float, bool]]:
    numbers = {}
    for column in NUMBERS:
        if not row.get(column):
            continue
        try:
            value, percent = parse_number(row[column], decimal)
        except AmbiguousNumber as exc:
            raise RowError(
                f"{column} {show_cell(row[column])} could be {exc.small} or {exc.large} (twelve "
                f"hundred written with a point), and no other number of the sheet tells its "
                f"decimal mark: write {exc.small.replace('.', '')} for {exc.large}, or the "
                "decimals with fewer or more than three digits"
            ) from None
        except ValueError:
            raise RowError(
                f"{column} {show_cell(row[column])} is not a number (write 42, 42%, 1,200 or 3.5)"
            ) from None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise RowError(
                f"{column} {show_cell(row[column])} is out of range: goal files hold numbers "
                f"from -{MAX_NUMBER:,.0f} to {MAX_NUMBER:,.0f}; use a larger unit "
                "(millions, billions)"
            )
        numbers[column] = (value, percent)
    return numbers


def _date(row: dict[str, str], column: str) -> date | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        if day_first := _DOTTED_DATE.match(text):  # 30.11.2026: day first wherever dotted
            return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise RowError(
            f"{column} {show_cell(text)} is not a date: write YYYY-MM-DD (or DD.MM.YYYY)"
        ) from None


def _check_ids(row: dict[str, str]) -> None:
    for column in ID_COLUMNS:
        value = row.get(column, "")
        if value and not (len(value) <= ID_MAX and _ID.fullmatch(value)):
            raise RowError(
                f"{column} {show_cell(value)} is not an id: lowercase letters, digits and "
                f"'-', starting with a letter or digit, at most {ID_MAX} characters "
                "(or leave it blank for an id made from the title)"
            )
    aligns = row.get("aligns_to", "")
    if aligns and not _REF.fullmatch(aligns):
        raise RowError(
            f"aligns_to {show_cell(aligns)} is not a reference: write team/objective or "
            "team/objective/kr, optionally after a period (2026-Q3/company/retention)"
        )


@dataclass
class Row:
    """One row, read and checked: everything in it can be written."""

    texts: dict[str, str]
    period: str
    numbers: dict[str, tuple[float, bool]]
    due: date | None
    day: date | None  # the 'date' cell: the day of the 'current' check-in


def carry(row: dict[str, str], above: dict[str, str]) -> None:
    """Fill the blank :data:`CARRY` cells of ``row`` from the rows above (merged cells),
    and remember its own for the rows below. A row that starts another objective (its
    period, team, title or id differs from the one above) keeps its own owner, id and
    aligns_to blank, and a row of another team its own team_parent."""
    own = dict(row)
    for key in CARRY:
        if not row.get(key) and above.get(key):
            row[key] = above[key]
    if any(own.get(k) and own[k] != above.get(k) for k in _OBJECTIVE_KEY):
        for key in _OBJECTIVE_OWN:
            row[key] = own.get(key, "")
    if own.get("team") and own["team"] != above.get("team"):
        row["team_parent"] = own.get("team_parent", "")
    above.update({k: row[k] for k in CARRY if row.get(k)})
    for key in CARRY:  # a blank carried on as blank, not as the value two rows up
        if not row.get(key):
            above.pop(key, None)


def read_row(row: dict[str, str], decimal: str | None = None) -> Row:
    """Check every cell the row has; raise RowError for the first that cannot be
    written (one fix at a time, in column order). A row with a kr_id may leave the
    key result's cells blank: it may add to a key result read above (the importer
    checks that one was)."""
    for column in ONE_LINE_COLUMNS:
        # A wrapped cell (Alt+Enter) or a pasted tab: titles and names are one line.
        if column in row and not row[column].isprintable():
            row[column] = _BREAKS.sub(" ", row[column]).strip(" ")
    _check_texts(row)
    required = REQUIRED if not row.get("kr_id") else REQUIRED[:4]
    empty = [c for c in required if not row.get(c)]
    if empty:
        raise RowError(f"no {', '.join(empty)} (every key result needs them)")
    period = _period(row["period"])
    _check_ids(row)
    numbers = _numbers(row, decimal)
    confidence = numbers.get("confidence")
    if confidence is not None:
        value, percent = confidence
        if percent:  # '70%' is 0.7, '0.7%' 0.007 (in decimal: 0.7 / 100 is 0.006999...)
            value = float(Decimal(repr(value)).scaleb(-2))
            numbers["confidence"] = (value, percent)
        if not 0 <= value <= 1:
            raise RowError(
                f"confidence {show_cell(row['confidence'])} is not between 0 and 1 "
                "(write 0.7 for 70% sure of hitting the target)"
            )
    due = _date(row, "goal_due")
    day = _date(row, "date")
    if not row.get("current"):
        stray = [c for c in ("date", "confidence") if row.get(c)]
        if stray:
            raise RowError(
                f"{', '.join(stray)} given but no current: write the value measured in "
                "the current column (or clear those cells)"
            )
    if not row.get("goal"):
        stray = [c for c in GOAL_DETAILS if row.get(c)]
        if stray:
            raise RowError(
                f"{', '.join(stray)} given but no goal: write the goal's title in "
                "the goal column (or clear those cells)"
            )
    return Row(row, period, numbers, due, day)
