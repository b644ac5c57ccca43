"""Periods: ``YYYY-Qn``, ``YYYY-Hn`` and ``YYYY``, with an optional fiscal year start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from okrsite.settings import DEFAULTS

PERIOD_RE = re.compile(r"^([0-9]{4})(?:-([QH])([1-4]))?\Z")
PERIOD_HINT = "use YYYY-Qn (quarter 1-4), YYYY-Hn (half 1-2) or YYYY, e.g. 2026-Q3"
# Years a period may name: wide enough for any plan, narrow enough that a period's
# neighbours and fiscal shifts stay within Python's dates (year 1 to 9999).
YEARS = range(1900, 3000)
YEAR_HINT = f"the year must be between {YEARS.start} and {YEARS.stop - 1}"


@dataclass(frozen=True)
class Period:
    """A named span of time in which OKRs and goals are set and scored."""

    key: str  # as written: "2026-Q3"
    start: date
    end: date  # inclusive

    @property
    def slug(self) -> str:
        """The URL segment: lowercase, e.g. ``2026-q3``."""
        return self.key.lower()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def sort_key(self) -> tuple[date, int]:
        # Shorter periods first on the same start: Q1 before H1 before the year.
        return (self.start, self.days)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    ny, nm = _add_months(year, month, 1)
    return date.fromordinal(date(ny, nm, 1).toordinal() - 1)


def parse_period(text: str, fiscal_year_start: int = DEFAULTS.fiscal_year_start) -> Period | None:
    """Parse a period name, or return None if it is not one.

    A fiscal year that starts in a month other than January is named after the
    calendar year in which it ends: with ``fiscal_year_start=7``, ``2026`` runs
    from July 2025 to June 2026 and ``2026-Q1`` is July to September 2025.
    """
    match = PERIOD_RE.match(str(text))
    if not match:
        return None
    year, kind, number = int(match[1]), match[2], match[3]
    if year not in YEARS or (kind == "H" and number not in ("1", "2")):
        return None
    start_year = year if fiscal_year_start == 1 else year - 1
    if kind is None:
        first, months = 0, 12
    elif kind == "Q":
        first, months = (int(number) - 1) * 3, 3
    else:
        first, months = (int(number) - 1) * 6, 6
    sy, sm = _add_months(start_year, fiscal_year_start, first)
    ey, em = _add_months(sy, sm, months - 1)
    return Period(str(text), date(sy, sm, 1), _month_end(ey, em))


def current_period(periods: list[Period], today: date) -> Period | None:
    """The period to lead with: the shortest one containing ``today``, else the
    latest that has started, else the earliest."""
    if not periods:
        return None
    running = [p for p in periods if p.contains(today)]
    if running:
        return min(running, key=lambda p: p.days)
    started = [p for p in periods if p.start <= today]
    if started:
        return max(started, key=lambda p: (p.end, -p.days))
    return min(periods, key=Period.sort_key)


def current_first(periods: list[Period], today: date) -> list[Period]:
    """Periods in the order a team's or a person's page lists them: the one to lead with
    (:func:`current_period`) first, then the others newest first."""
    lead = current_period(periods, today)
    rest = sorted((p for p in periods if p is not lead), key=Period.sort_key, reverse=True)
    return ([lead] if lead is not None else []) + rest
