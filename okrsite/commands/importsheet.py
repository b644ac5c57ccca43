"""A .csv or .xlsx file as rows of text cells, for ``okrsite import``.

Rows are numbered as a spreadsheet counts them (the header is row 1, a cell with line
breaks does not start a new row; where a CSV row starts on another line of the file,
that line is named too). A file that is no sheet at all (not text, a damaged workbook,
no header with the required columns, no rows) is an :class:`ImportFileError` that says
what to save it as; nothing of it is imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from okrsite.commands.importnumbers import percent_cell
from okrsite.commands.importrows import (
    COLUMNS,
    REQUIRED,
    column_letter,
    column_name,
)
from okrsite.diagnostics import printable, show
from okrsite.limits import MAX_MARKDOWN, MAX_SHEET_BYTES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS

# White space trimmed from the ends of a cell: spaces of every script (a Japanese
# ideographic space included) and line breaks, but not the control characters that
# str.strip() also counts as space (\x0b, \x0c, \x1c-\x1f, \x85): those are refused
# wherever they are, not dropped at the ends only.
TRIM = " \t\n\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)


class ImportFileError(Exception):
    """A file ``okrsite import`` cannot read as a sheet of OKRs; the message says why and
    how to save it."""


def file_name_text(text: str) -> str:
    """``text`` with every character a terminal or a YAML comment would act on (line
    breaks, escapes, controls) replaced by '?': for file names in messages and comments."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def where(number: int, line: int) -> str:
    """A row as messages name it: its number in the sheet (as a spreadsheet counts
    rows), and the line of the CSV file where it starts when that differs (cells with
    line breaks above it)."""
    return f"row {number}" if line == number else f"row {number} (line {line})"


def read_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, the line of the file where the row starts, cells) of a .csv or
    .xlsx file, the header included as row 1, at most MAX_SHEET_COLUMNS cells a row.
    Raises ImportFileError for a file that is not a sheet, or one over the bounds of
    :mod:`okrsite.limits`."""
    shown = file_name_text(str(path))
    size = path.stat().st_size
    if size > MAX_SHEET_BYTES:
        raise ImportFileError(_too_big(shown, size))
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    for number, line, cells in rows:
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"{shown}: more than {MAX_SHEET_ROWS:,} rows (blank rows count), over "
                "okrsite import's limit: split the sheet into several files and import each"
            )
        yield number, line, cells[:MAX_SHEET_COLUMNS]


def _too_big(shown: str, size: int) -> str:
    return (
        f"{shown} is {size:,} bytes, over okrsite import's limit of {MAX_SHEET_BYTES:,} "
        "bytes for a sheet: split it into several files and import each"
    )


def _xlsx_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    try:
        import openpyxl
    except ImportError:
        raise ImportFileError(
            "reading .xlsx needs openpyxl: pip install 'okrsite[xlsx]' (or save the sheet as CSV)"
        ) from None
    unreadable = (
        f"{file_name_text(str(path))}: cannot read this as an Excel workbook; "
        "open it in a spreadsheet and save it as .xlsx or CSV"
    )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError, XML errors...
        raise ImportFileError(unreadable) from None
    try:
        try:
            # openpyxl pads every row to the width the workbook declares (16,384
            # columns, if it says so): only the columns and rows read are asked for.
            rows = book.active.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS)
        except Exception:  # no active sheet (a chart sheet), or a damaged one
            raise ImportFileError(unreadable) from None
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # a damaged sheet inside a readable zip
                raise ImportFileError(f"{unreadable} (row {number + 1})") from None
            number += 1
            # a cell shown as 42% holds 0.42: read as the '42%' a person sees
            values = [percent_cell(c.value, c.number_format) for c in row]
            yield number, number, ["" if v is None else _cell_text(v) for v in values]
    finally:
        book.close()


def _decode(raw: bytes, path: Path) -> str:
    shown = file_name_text(str(path))
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{shown}: this is a zip file (an Excel workbook?), not CSV text: "
            "name it .xlsx, or save the sheet as 'CSV UTF-8'"
        )
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16")  # Excel's "Unicode text"
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            f"{shown}: line {line}: not UTF-8 text; save the sheet as 'CSV UTF-8' (or as .xlsx)"
        ) from None


def _delimiter(first_line: str) -> str:
    """The delimiter that makes the most known column names of the header line: ','
    unless ';' (Excel in many European locales) or a tab does better."""
    best, found = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:  # a cell over the field limit: not this delimiter's header
            continue
        known = sum(column_name(cell) in COLUMNS for cell in cells)
        if known > found:
            best, found = delimiter, known
    return best


def _csv_rows(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    with path.open("rb") as handle:  # at most one byte over the limit, whatever stat said
        raw = handle.read(MAX_SHEET_BYTES + 1)
    if len(raw) > MAX_SHEET_BYTES:
        raise ImportFileError(_too_big(file_name_text(str(path)), len(raw)))
    text = _decode(raw, path)
    if "\x00" in text:  # a binary file, or UTF-16 without its BOM
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            f"{file_name_text(str(path))}: line {line}: a NUL character: this is not CSV text; "
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
        header = next((x for x in lines if x.strip(TRIM + ",;\t")), first)
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
            raise ImportFileError(
                f"{file_name_text(str(path))}: {where(number, line)}: a cell longer than "
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


@dataclass
class Sheet:
    """A sheet as the import reads it."""

    names: list[str]  # the header's columns as the import names them (column_name)
    body: list[tuple[int, int, list[str]]]  # the rows below the header that are not blank
    unread: list[str] = field(default_factory=list)  # headers of the columns not read


# Pieces of a column's header that may speak of who may see a goal, in the languages
# teams write sheets in: looked for inside the header, casefolded and without accents
# ('privateGoal', 'Privé', 'Internal only', 'Sichtbarkeit', '非公開'). The import reads
# no such column, so the goals it marks would be published: such a sheet is refused
# whole. Refusing a harmless column costs a rename; missing one publishes a goal.
_PRIVACY_PARTS = (
    *("priv", "prywat", "yksityi", "confid", "konfid", "vertraul", "vertrouw", "poufn"),
    *("secret", "segret", "geheim", "hemlig", "gizli", "sigil", "salai", "riservat"),
    *("reservad", "visib", "visiv", "sichtbar", "zichtbaar", "synlig", "public", "publiq"),
    *("offentl", "oeffentl", "intern", "restrict", "restring", "hidden", "hide", "verborg"),
    *("personal", "personl", "persoenl", "persoonl", "audience", "access", "sensib"),
    *("sensit", "sharing", "need to know", "needtoknow"),
    *("公開", "公开", "非公", "機密", "机密", "秘", "私", "隐私", "隱私", "可见", "可見"),
    *("内部", "限定", "공개", "기밀", "비밀", "приват", "конфиденц", "секрет", "скрыт"),
    *("видим", "личн", "внутрен", "סוד", "פרטי", "خاص", "سري"),
)
# Whole words of a cell (of a column not read) that mark its goal private: a sheet with
# one is refused too, whatever its column is called.
_PRIVATE_WORDS = {
    *("private", "privat", "prive", "privee", "privado", "privada", "privato", "privata"),
    *("prywatny", "confidential", "confidentiel", "confidentielle", "confidencial"),
    *("confidenziale", "vertraulich", "vertrouwelijk", "secret", "secreto", "segreto"),
    *("geheim", "hidden", "internal", "intern", "interne", "interno", "interna"),
    *("restricted", "personal", "personlich", "persoenlich", "nonpublic", "sensitive"),
}
_PRIVATE_TEXTS = ("非公開", "非公开", "机密", "機密", "秘密", "私密", "비공개", "기밀", "приват")
# What each of those holds before its accents are stripped: a cell without any is none
# of them, and is passed over at once (a sheet may have millions of cells).
_MAYBE_PRIVATE = re.compile(
    "|".join(
        (
            *("priv", "prywat", "confid", "vertr", "secret", "segret", "geheim", "hidden"),
            *("intern", "restrict", "pers", "nonpublic", "sensit", *_PRIVATE_TEXTS),
        )
    )
)


def folded(text: str) -> str:
    """``text`` casefolded, without accents: 'Privé' -> 'prive', 'Öffentlich' ->
    'offentlich', a full-width 'PRIVATE' -> 'private'; a letter that is no letter with an
    accent stays as it is (a Korean syllable is not split into its parts)."""
    return "".join(_unaccented(ch) for ch in text.casefold())


def _unaccented(ch: str) -> str:
    parts = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in parts if not unicodedata.combining(c))
    return base if base.isascii() or len(base) < len(parts) else ch


def _speaks_of_privacy(header: str) -> bool:
    text = folded(header).replace("international", "")  # not 'internal'
    return any(part in text for part in _PRIVACY_PARTS)


def _marks_private(cell: str) -> bool:
    """A short cell that says private, confidential, vertraulich, 非公開..."""
    if len(cell) > 100:  # a note, not a mark
        return False
    plain = cell if cell.isascii() else unicodedata.normalize("NFKC", cell)  # full-width
    if not _MAYBE_PRIVATE.search(plain.casefold()):  # most cells, at once
        return False
    text = folded(cell.strip(TRIM))
    words = re.findall(r"\w+", text)
    if not words or len(words) > 3:  # a sentence (a note) is not a mark
        return False
    return any(w in _PRIVATE_WORDS for w in words) or any(t in text for t in _PRIVATE_TEXTS)


def _refuse_privacy(
    header: list[str], names: list[str], body: list[tuple[int, int, list[str]]]
) -> None:
    """ImportFileError for a column not read whose header, or one of whose cells, may
    mark goals private (a column without a header, or right of the header, too)."""
    unread = [i for i, n in enumerate(names) if n not in COLUMNS]
    why = (
        "the goals it marks would be published as public; import the sheet without it and "
        "mark private goals in their files with `visibility: private` (see the file format)"
    )
    for i in unread:
        if _speaks_of_privacy(header[i]):
            raise ImportFileError(
                f"column {_column(header, i)} is not read by okrsite import: {why}"
            )
    for number, _line, cells in body:
        for i in [*unread, *range(len(header), len(cells))]:
            cell = cells[i] if i < len(cells) else ""
            if _marks_private(cell):
                raise ImportFileError(
                    f"column {_column(header, i)} is not read by okrsite import, and its row "
                    f"{number} says {show(cell.strip(TRIM))}: {why}"
                )


def _column(header: list[str], i: int) -> str:
    """A column as a message names it: its header, else its letter."""
    text = header[i].strip(TRIM) if i < len(header) else ""
    return f"'{_header_text(text)}'" if text else f"{column_letter(i)} (no header)"


def read_sheet(path: Path) -> Sheet:
    """The column names (of the first row that is not blank) and the rows below them
    that are not blank. ImportFileError for a column that may mark goals private (by
    its header or its cells): the import does not read it."""
    shown = file_name_text(str(path))
    rows = read_rows(path)
    for number, _line, cells in rows:
        if not is_blank(cells):
            header_no, header = number, cells
            break
    else:
        raise ImportFileError(f"{shown} is empty: nothing to import")
    names = [column_name(h) for h in header]
    # a header of no Latin letters or digits ('备注') has no name, and is not read either
    unread = [
        f"'{_header_text(h)}'"
        for h, n in zip(header, names, strict=True)
        if h.strip(TRIM) and n not in COLUMNS
    ]
    for name in COLUMNS:
        found = [i for i, n in enumerate(names) if n == name]
        if len(found) > 1:
            letters = " and ".join(column_letter(i) for i in found)
            raise ImportFileError(
                f"{shown}: row {header_no} (the header) has the column {name} more than "
                f"once (columns {letters}): remove or rename all but one"
            )
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportFileError(
            f"{shown}: row {header_no} (the header) lacks the column(s) "
            f"{', '.join(missing)}; the columns are: {', '.join(COLUMNS)}"
        )
    body = [row for row in rows if not is_blank(row[2])]  # the numbers tell where they were
    if not body:
        raise ImportFileError(
            f"{shown}: no rows below the header (row {header_no}): nothing to import"
        )
    _refuse_privacy(header, names, body)
    return Sheet(names, body, unread)


def _header_text(header: str) -> str:
    """A column's header as messages quote it: trimmed, shortened, every control and
    invisible character escaped (a header may be in any script: shown as written)."""
    text = header.strip(TRIM)
    return printable(text if len(text) <= 60 else text[:59] + "…")


def is_blank(cells: list[str]) -> bool:
    """Whether a row holds nothing but white space (a blank row is skipped)."""
    return not any(c.strip(TRIM) for c in cells)


# What a spreadsheet may run as a formula: a text whose first character, after any
# blanks, is = + - @ (or one of their full-width forms), a tab or a CR. The export keeps
# such a text as text with one more leading apostrophe (so a text that starts with
# apostrophes is covered too), and the import drops that one apostrophe: one rule, both
# ways, so every text comes back as it was written.
FORMULA_START = re.compile(r"'*[\s\ufeff]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def clean_cell(cell: str) -> str:
    """A cell's text with its ends trimmed, every line break as ``\n``, and one leading
    apostrophe dropped where it keeps a formula as text (``'=1+1`` is ``=1+1``)."""
    # A line break inside a cell is written as the sheet wrote it; keep one kind.
    text = cell.replace("\r\n", "\n").replace("\r", "\n").strip(TRIM)
    return text[1:] if text[:1] == "'" and FORMULA_START.match(text, 1) else text
