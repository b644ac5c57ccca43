"""`okrsite import`: OKRs (and optionally goals) from a spreadsheet into goal files.

The column layout (header row; names are case-insensitive, spaces, '-' or '_'):

    period, team, objective, owner, key_result, baseline, target,
    unit, kpi, kr_owner, current,
    goal, goal_owner, goal_metric, goal_baseline, goal_target, goal_due, goal_achievable

(:data:`COLUMNS` is that list; messages and the header check use it.)

A KPI named in the kpi column that no KPI file defines yet is added to goals/kpis.yaml
(its direction guessed from the key result: a target below the baseline means lower is
better), so that the imported OKRs reach their KPIs at once.

Blank rows are skipped. A blank period, team, objective or owner cell repeats the row
above (what merged cells export as). Numbers may carry a percent sign ("42%", which
also sets the unit) or thousands separators ("1,200"). Every row that cannot be read is
reported with its row number, counted as a spreadsheet counts them (the header is
row 1, a cell with line breaks does not start a new row; where a CSV row starts on
another line of the file, that line is named too), with what to change; the rest is
written.

Everything written is a goal file ``okrsite validate`` accepts: texts within
:mod:`okrsite.limits` and free of control characters, numbers finite and within
``MAX_NUMBER``, periods that exist, and an id for every team, person, KPI, objective,
key result and goal that no other one of its kind shares, whatever script its name
is in (:class:`okrsite.commands.yamlwrite.Ids`).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from okrsite.commands.scaffold import Plan, ScaffoldError, _schema_line, okr_file_head
from okrsite.commands.yamlwrite import DEVICE_NAMES, Flow, Ids, flow, mapping, scalar
from okrsite.limits import MAX_FILE_BYTES, MAX_MARKDOWN, MAX_NUMBER, MAX_TITLE, MAX_UNIT
from okrsite.model.periods import PERIOD_HINT, PERIOD_RE, YEAR_HINT, YEARS
from okrsite.source.folder import find_goal_files

# Every column the importer reads, in the order the docs list them: the one list the
# header check, its message and the row reader use.
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
    "goal_metric",
    "goal_baseline",
    "goal_target",
    "goal_due",
    "goal_achievable",
)
REQUIRED = ("period", "team", "objective", "owner", "key_result", "baseline", "target")
# Other names people give the columns (as normalised by _column_name).
ALIASES = {
    "kr": "key_result",
    "objective_owner": "owner",
    "key_result_owner": "kr_owner",
    "due": "goal_due",
    "quarter": "period",
}
CARRY = ("period", "team", "objective", "owner")  # blank = same as the row above
NUMBERS = ("baseline", "target", "current", "goal_baseline", "goal_target")
GOAL_DETAILS = ("goal_owner", "goal_metric", "goal_baseline", "goal_target", "goal_due")
# The most characters each text column may hold: what validation allows in the field
# it is written to (names and titles are one-line texts, 'achievable' is Markdown).
TEXT_LIMITS = {
    "team": MAX_TITLE,
    "objective": MAX_TITLE,
    "owner": MAX_TITLE,
    "key_result": MAX_TITLE,
    "unit": MAX_UNIT,
    "kpi": MAX_TITLE,
    "kr_owner": MAX_TITLE,
    "goal": MAX_TITLE,
    "goal_owner": MAX_TITLE,
    "goal_metric": MAX_TITLE,
    "goal_achievable": MAX_MARKDOWN,
}

# Columns written to one-line fields: their line breaks and tabs become spaces.
ONE_LINE_COLUMNS = tuple(column for column in TEXT_LIMITS if column != "goal_achievable")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")

# White space trimmed from the ends of a cell: spaces of every script (a Japanese
# ideographic space included) and line breaks, but not the control characters that
# str.strip() also counts as space (\x0b, \x0c, \x1c-\x1f, \x85): those are refused
# wherever they are, not dropped at the ends only.
_TRIM = " \t\n\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# A number as Python and YAML both read it, in ASCII digits: no 'nan', 'inf', '1_000'.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_SHOWN = 40  # characters of a cell shown in a message


@dataclass
class Imported:
    """The planned files, the problems of the rows that were not imported, and counts."""

    plan: Plan
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    objectives: int = 0
    key_results: int = 0
    goals: int = 0


class RowError(ValueError):
    """A row that cannot be imported; the message says which cell and what to write."""


def printable(text: str) -> str:
    """``text`` with every character a terminal or a YAML comment would act on (line
    breaks, escapes, controls) replaced by '?': for file names in messages and comments."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def show(value: str) -> str:
    """A cell for a message: quoted and escaped like ``repr`` (a control character or
    a line break shows as ``\\x7f`` or ``\\n``, never as itself), and cut short."""
    if len(value) <= _SHOWN:
        return repr(value)
    return repr(value[:_SHOWN]) + f"... ({len(value):,} characters)"


def where(number: int, line: int) -> str:
    """A row as messages name it: its number in the sheet (as a spreadsheet counts
    rows), and the line of the CSV file where it starts when that differs (cells with
    line breaks above it)."""
    return f"row {number}" if line == number else f"row {number} (line {line})"


def read_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, the line of the file where the row starts, cells) of a .csv or
    .xlsx file, the header included as row 1. Raises ScaffoldError for a file that is
    not a sheet."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
    else:
        yield from _csv_rows(path)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    try:
        import openpyxl
    except ImportError:
        raise ScaffoldError(
            "reading .xlsx needs openpyxl: pip install 'okrsite[xlsx]' (or save the sheet as CSV)"
        ) from None
    unreadable = (
        f"{printable(str(path))}: cannot read this as an Excel workbook; "
        "open it in a spreadsheet and save it as .xlsx or CSV"
    )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError, XML errors...
        raise ScaffoldError(unreadable) from None
    try:
        try:
            rows = book.active.iter_rows(values_only=True)
        except Exception:  # no active sheet (a chart sheet), or a damaged one
            raise ScaffoldError(unreadable) from None
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # a damaged sheet inside a readable zip
                raise ScaffoldError(f"{unreadable} (row {number + 1})") from None
            number += 1
            yield number, number, ["" if v is None else _cell_text(v) for v in row]
    finally:
        book.close()


def _decode(raw: bytes, path: Path) -> str:
    shown = printable(str(path))
    if raw.startswith(b"PK\x03\x04"):
        raise ScaffoldError(
            f"{shown}: this is a zip file (an Excel workbook?), not CSV text: "
            "name it .xlsx, or save the sheet as 'CSV UTF-8'"
        )
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16")  # Excel's "Unicode text"
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScaffoldError(
            f"{shown}: line {line}: not UTF-8 text; save the sheet as 'CSV UTF-8' (or as .xlsx)"
        ) from None


def _delimiter(first_line: str) -> str:
    """The delimiter that makes the most known column names of the header line: ','
    unless ';' (Excel in many European locales) or a tab does better."""
    best, found = ",", -1
    for delimiter in (",", ";", "\t"):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(_column_name(cell) in COLUMNS for cell in cells)
        if known > found:
            best, found = delimiter, known
    return best


def _csv_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    text = _decode(path.read_bytes(), path)
    if "\x00" in text:  # a binary file, or UTF-16 without its BOM
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ScaffoldError(
            f"{printable(str(path))}: line {line}: a NUL character: this is not CSV text; "
            "save the sheet as 'CSV UTF-8' (or as .xlsx)"
        )
    # newline="": the csv module finds the rows itself, so a line break inside a
    # quoted cell stays in the cell, and only \n, \r and \r\n end a row (not U+2028,
    # \x0b or \x0c, which str.splitlines() would split at).
    stream = io.StringIO(text, newline="")
    first = stream.readline()
    number = line = 1
    sep = re.fullmatch(r"sep=(.)\r?\n?", first, re.I)  # Excel's delimiter line
    if sep:
        delimiter = sep[1]
        number = line = 2
    else:
        # guessed from the header: the first line with more than delimiters
        lines = io.StringIO(text, newline="")
        header = next((x for x in lines if x.strip(_TRIM + ",;\t")), first)
        delimiter = _delimiter(header)
        stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    consumed = line - 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ScaffoldError(
                f"{printable(str(path))}: {where(number, line)}: a cell longer than "
                f"{csv.field_size_limit():,} characters, or a quote mark that opens a cell "
                "and never closes it: okrsite texts are at most "
                f"{MAX_MARKDOWN:,} characters; close the quote or shorten the cell"
            ) from None
        yield number, line, cells
        number += 1
        line = consumed + reader.line_num + 1


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_name(header: str) -> str:
    """'Key Result', 'key-result' and ' KEY_RESULT ' all name the column key_result."""
    name = "_".join(re.findall(r"[a-z0-9]+", header.casefold()))
    return ALIASES.get(name, name)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def parse_number(text: str) -> tuple[float, bool]:
    """'1,200' -> (1200, False); '42%' -> (42, True); '1.200,5' -> 1200.5; '$3k' and
    'nan', 'inf', '1_000' raise ValueError. The result may be beyond MAX_NUMBER
    (even infinite: '1e999'); the caller bounds it."""
    s = "".join(text.replace("\u2212", "-").split())  # U+2212 is a minus sign
    percent = s.endswith("%")
    s = s.removesuffix("%")
    while s and unicodedata.category(s[0]) == "Sc":  # $, €, £, ¥...
        s = s[1:]
    while s and unicodedata.category(s[-1]) == "Sc":
        s = s[:-1]
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s, re.ASCII):
        s = s.replace(",", "")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", s, re.ASCII):
        s = s.replace(".", "").replace(",", ".")  # 1.200,5
    elif re.fullmatch(r"[+-]?\d+,\d+", s, re.ASCII):
        s = s.replace(",", ".")  # a decimal comma
    if not _NUMBER.match(s):
        raise ValueError(f"not a number: {text!r}")
    return float(s), percent


def _bad_character(value: str) -> int | None:
    """The index of the first control character in ``value`` (tab and line breaks
    are text), or None."""
    for index, ch in enumerate(value):
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n":
            return index
    return None


def _check_texts(row: dict[str, str]) -> None:
    for column in COLUMNS:
        value = row.get(column, "")
        at = _bad_character(value)
        if at is not None:
            window = value[max(0, at - 15) : at + 16]
            raise RowError(
                f"{column} holds the control character U+{ord(value[at]):04X} at character "
                f"{at + 1} ({show(window)}): goal files cannot hold it; delete it "
                "(retype the cell)"
            )
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(value) > limit:
            raise RowError(
                f"{column} is {len(value):,} characters long ({show(value)}); okrsite "
                f"allows at most {limit:,}: shorten it"
            )


def _period(text: str) -> str:
    period = text.upper()
    match = PERIOD_RE.match(period)
    if not match or (match[2] == "H" and match[3] not in "12"):
        raise RowError(f"period {show(text)} is not a period: {PERIOD_HINT}")
    if int(match[1]) not in YEARS:
        raise RowError(f"period {show(text)}: {YEAR_HINT}")
    return period


def _numbers(row: dict[str, str]) -> dict[str, tuple[float, bool]]:
    numbers = {}
    for column in NUMBERS:
        if not row.get(column):
            continue
        try:
            value, percent = parse_number(row[column])
        except ValueError:
            raise RowError(
                f"{column} {show(row[column])} is not a number (write 42, 42%, 1,200 or 3.5)"
            ) from None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise RowError(
                f"{column} {show(row[column])} is out of range: goal files hold numbers "
                f"from -{MAX_NUMBER:,.0f} to {MAX_NUMBER:,.0f}; use a larger unit "
                "(millions, billions)"
            )
        numbers[column] = (value, percent)
    return numbers


def _due(text: str) -> date | None:
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise RowError(f"goal_due {show(text)} is not a date YYYY-MM-DD") from None


@dataclass
class _Row:
    """One row, read and checked: everything in it can be written."""

    texts: dict[str, str]
    period: str
    numbers: dict[str, tuple[float, bool]]
    due: date | None


def _read_row(row: dict[str, str]) -> _Row:
    """Check every cell the row has; raise RowError for the first that cannot be
    written (one fix at a time, in column order)."""
    for column in ONE_LINE_COLUMNS:
        # A wrapped cell (Alt+Enter) or a pasted tab: titles and names are one line.
        if column in row and not row[column].isprintable():
            row[column] = _BREAKS.sub(" ", row[column]).strip(" ")
    _check_texts(row)
    empty = [c for c in REQUIRED if not row.get(c)]
    if empty:
        raise RowError(f"no {', '.join(empty)} (every key result needs them)")
    period = _period(row["period"])
    numbers = _numbers(row)
    due = _due(row.get("goal_due", ""))
    if not row.get("goal"):
        stray = [c for c in (*GOAL_DETAILS, "goal_achievable") if row.get(c)]
        if stray:
            raise RowError(
                f"{', '.join(stray)} given but no goal: write the goal's title in "
                "the goal column (or clear those cells)"
            )
    return _Row(row, period, numbers, due)


def _sheet(path: Path) -> tuple[list[str], int, list[tuple[int, int, list[str]]]]:
    """The column names, the header's row number and the rows below it."""
    shown = printable(str(path))
    rows = read_rows(path)
    for number, _line, cells in rows:
        if any(c.strip(_TRIM) for c in cells):
            header_no, header = number, cells
            break
    else:
        raise ScaffoldError(f"{shown} is empty: nothing to import")
    names = [_column_name(h) for h in header]
    for name in COLUMNS:
        where = [i for i, n in enumerate(names) if n == name]
        if len(where) > 1:
            letters = " and ".join(_column_letter(i) for i in where)
            raise ScaffoldError(
                f"{shown}: row {header_no} (the header) has the column {name} more than "
                f"once (columns {letters}): remove or rename all but one"
            )
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ScaffoldError(
            f"{shown}: row {header_no} (the header) lacks the column(s) "
            f"{', '.join(missing)}; the columns are: {', '.join(COLUMNS)}"
        )
    body = list(rows)
    if not any(any(c.strip(_TRIM) for c in cells) for _n, _l, cells in body):
        raise ScaffoldError(
            f"{shown}: no rows below the header (row {header_no}): nothing to import"
        )
    return names, header_no, body


def _clean(cell: str) -> str:
    # A line break inside a cell is written as the sheet wrote it; keep one kind.
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip(_TRIM)


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

    def add(self, read: _Row, result: Imported) -> None:
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

    Raises ScaffoldError when the file is not a sheet of OKRs at all (not text, no
    header with the required columns, no rows)."""
    names, _header_no, body = _sheet(path)
    source = printable(path.name)
    result = Imported(Plan())
    planned = _Planned(today)
    above: dict[str, str] = {}
    for number, line, cells in body:
        if not any(c.strip(_TRIM) for c in cells):
            continue
        row = {n: _clean(cells[i]) for i, n in enumerate(names) if n in COLUMNS and i < len(cells)}
        own = dict(row)
        for key in CARRY:
            if not row.get(key) and above.get(key):
                row[key] = above[key]
        if own.get("objective") and own["objective"] != above.get("objective"):
            row["owner"] = own.get("owner", "")  # a new objective has an owner of its own
        above.update({k: row[k] for k in CARRY if row.get(k)})
        try:
            read = _read_row(row)
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
        _schema_line("kpis", 0).rstrip("\n"),
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
        _schema_line("goals", 2).rstrip("\n"),
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
