"""The history of a KPI read from a CSV file of ``date,value`` rows.

The file is named by the KPI's 'history_file', relative to its YAML file, and must lie
inside the goals folder: the folder is a jail here as for goal files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import stat
from pathlib import Path

from okrsite.diagnostics import show
from okrsite.limits import MAX_FILE_BYTES, MAX_NUMBER, NUMBER_RANGE
from okrsite.model.graph import Checkin, Source
from okrsite.source.folder import resolved
from okrsite.source.goalfile import ParsedFile
from okrsite.source.registry import Registry, Where


def csv_history(reg: Registry, p: ParsedFile, name: str, src: Where, kpi_id: str) -> list[Checkin]:
    """Rows of a ``date,value`` CSV file inside the goals folder, named relative to
    the YAML file. The goals folder is a jail: an absolute path, a '..' out of it
    or a link out of it is refused at the 'history_file' line, unread."""
    where = f"'history_file' of KPI '{kpi_id}'"
    jail = reg.goals_dir.resolve()
    path = resolved(p.file.parent / name)
    if Path(name).is_absolute() or path is None or not path.is_relative_to(jail):
        reg.error(
            src,
            f"{where} names {show(name)}, outside the goals folder: okrsite reads no "
            "file outside it; put the CSV file in the goals folder and name it "
            "relative to this YAML file",
        )
        return []
    # Only a visible .csv file: not a goal file, not '.env' or another hidden file
    # (a bad row's cell is quoted in messages).
    hidden = any(part.startswith(".") and part != ".." for part in Path(name).parts)
    csv_named = name.lower().endswith(".csv") and path.name.lower().endswith(".csv")
    if hidden or not csv_named or path.name.startswith("."):  # (path: a link's target)
        reg.error(
            src,
            f"{where} names {show(name)}: a history file is a visible .csv file of "
            "'date,value' rows in the goals folder; name one",
        )
        return []
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is None:
        reg.error(
            src,
            f"{where} names {show(name)}, which does not exist next to {p.path}: give "
            "a path relative to the YAML file",
        )
        return []
    reg.history_files.add(path)
    shown = (Path(p.path).parent / name).as_posix()  # escaped by Diagnostic
    if not stat.S_ISREG(info.st_mode):
        reg.error(src, f"{where} names {show(name)}, which is not a regular file: name a .csv file")
        return []
    if info.st_size > MAX_FILE_BYTES:
        reg.error(
            src,
            f"{where}: {shown} is {info.st_size:,} bytes, over okrsite's limit of "
            f"{MAX_FILE_BYTES:,} bytes for one file: keep fewer rows (weekly, not "
            "hourly) or split the history",
        )
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        reg.error(Source(shown, 1), "not UTF-8 text: save the CSV file with UTF-8 encoding")
        return []
    except OSError:
        reg.error(src, f"{where} names {show(name)}, which cannot be read: name a .csv file")
        return []
    points = []
    # newline="": line breaks inside quoted cells are the csv module's business,
    # and a U+2028 in a cell splits no row (str.splitlines() would).
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            reg.error(
                Source(shown, reader.line_num),
                "cannot read this CSV row (an unclosed quote or an oversized cell): "
                "write 'date,value' rows",
            )
            break
        number = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if number == 1 and cells[0].lower() == "date":
            continue  # a header row
        if len(cells) != 2:
            reg.error(  # the row itself is not echoed: only the cell in question
                Source(shown, number),
                f"expected 2 columns 'date,value', got {len(cells)}: write one "
                "'YYYY-MM-DD,number' row a line",
            )
            continue
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            reg.error(
                Source(shown, number),
                f"bad date {show(cells[0])}: write an ISO date YYYY-MM-DD, e.g. 2026-08-15",
            )
            continue
        try:
            value = float(cells[1].replace(",", "").rstrip("%"))
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise ValueError
        except ValueError:
            reg.error(
                Source(shown, number),
                f"bad value {show(cells[1])}: write a number {NUMBER_RANGE}, e.g. 4.2",
            )
            continue
        points.append(Checkin(day, value))
    return points
