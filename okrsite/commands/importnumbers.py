"""Numbers as people type them in a sheet, for ``okrsite import``: '42%', '1,200',
'3,5' and, in a sheet saved with a decimal comma, '1.200'; and a spreadsheet's
percent-formatted cells. :mod:`okrsite.commands.importrows` reads each row's cells with
these; the importer finds the sheet's decimal mark (:func:`decimal_mark`) first."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z", re.ASCII)


class AmbiguousNumber(ValueError):
    """A number that reads as two ('1.200': 1.2, or 1,200 written the German way)."""

    def __init__(self, text: str, small: str, large: str):
        super().__init__(f"{text!r} could be {small} or {large}")
        self.small, self.large = small, large


def _bare(text: str) -> tuple[str, bool]:
    """A number cell without spaces, currency signs and its percent sign: (the rest,
    whether it had a percent sign)."""
    s = "".join(text.replace("\u2212", "-").split())  # U+2212 is a minus sign
    percent = s.endswith("%")
    s = s.removesuffix("%")
    while s and unicodedata.category(s[0]) == "Sc":  # $, €, £, ¥...
        s = s[1:]
    while s and unicodedata.category(s[-1]) == "Sc":
        s = s[:-1]
    return s, percent


# Numbers that show their decimal mark beyond doubt: '3,5', '0,75', '1.200,50' and
# '1.200.000' are written with a decimal comma; '3.5', '1,200.50' and '1,200,000' with a
# decimal point. '1.200' and '1,200' show nothing: three digits after one mark.
_DECIMAL_COMMA = re.compile(
    r"[+-]?(\d+,(\d{1,2}|\d{4,})|\d{1,3}(\.\d{3})+,\d+|\d{1,3}(\.\d{3}){2,})", re.ASCII
)
_DECIMAL_POINT = re.compile(
    r"[+-]?(\d+\.(\d{1,2}|\d{4,})|\d{1,3}(,\d{3})+\.\d+|\d{1,3}(,\d{3}){2,})", re.ASCII
)


def decimal_mark(cells: Iterable[str]) -> str | None:
    """The decimal mark of a sheet's numbers, ',' or '.', when one of them shows it
    beyond doubt and none shows the other; else None. A sheet saved in a German or
    French locale writes 1.200 for twelve hundred: read alone, that is 1.2."""
    marks = set()
    for cell in cells:
        s = _bare(cell)[0]
        if _DECIMAL_COMMA.fullmatch(s):
            marks.add(",")
        elif _DECIMAL_POINT.fullmatch(s):
            marks.add(".")
        if len(marks) == 2:
            return None
    return marks.pop() if marks else None


def parse_number(text: str, decimal: str | None = None) -> tuple[float, bool]:
    """'1,200' -> (1200, False); '42%' -> (42, True); '1.200,5' -> 1200.5; '$3k' and
    'nan', 'inf', '1_000' raise ValueError. ``decimal`` is the sheet's decimal mark
    (:func:`decimal_mark`): with ',', '1.200' is 1200 and '1,200' is 1.2; with '.',
    '1.200' is 1.2; unknown, '1.200' raises AmbiguousNumber ('1,200' is 1200, as the
    guide says). The result may be beyond MAX_NUMBER (even infinite: '1e999'); the
    caller bounds it."""
    s, percent = _bare(text)
    # A group of thousands never starts with 0: '0,125' and '0.125' are decimals.
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?", s, re.ASCII):
        # 1,200 (and 1,200.5): thousands, unless the sheet writes decimal commas
        one = re.fullmatch(r"[+-]?[1-9]\d{0,2},\d{3}", s, re.ASCII)
        s = s.replace(",", ".") if one and decimal == "," else s.replace(",", "")
    elif re.fullmatch(r"[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?", s, re.ASCII):
        one = re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}", s, re.ASCII)
        if one and decimal is None:
            raise AmbiguousNumber(text, s, s.replace(".", ","))
        if not (one and decimal == "."):
            s = s.replace(".", "").replace(",", ".")  # 1.200, 1.200.000, 1.200,5
    elif re.fullmatch(r"[+-]?\d+,\d+", s, re.ASCII):
        s = s.replace(",", ".")  # a decimal comma
    if not _NUMBER.match(s):
        raise ValueError(f"not a number: {text!r}")
    return float(s), percent


def percent_cell(value: object, number_format: str | None) -> object:
    """A spreadsheet's number shown as a percent (its number format has '%': 0.42 shown
    as 42%) as the text a person would type, '42%', which :func:`parse_number` reads
    as 42 with a percent sign; any other value as it is."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and "%" in (number_format or "")
    ):
        return format(Decimal(repr(value)).scaleb(2), "f") + "%"  # 0.07 -> 7%, not 7.000...1
    return value
