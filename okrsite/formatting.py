"""Numbers, units, scores, progress fills, period states and level words as text.

Plain Python on purpose: the diff report (a pull-request comment) formats scores the way
the site does, and must not load Jinja2, Markdown or nh3 to do so. Nothing here returns
markup; the HTML helpers built on these are in :mod:`okrsite.site.widgets`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from okrsite.model.periods import Period
    from okrsite.review.rules import Finding

DASH: Final = "\u2013"  # shown where there is no number

# Finding levels as the build log, the CLI and the site name them: "info" reads as
# "hint" to people, who otherwise take it for a log level.
LEVEL_WORDS: Final = {"error": "error", "warning": "warning", "info": "hint"}

# Currency symbols written before the number ("$3.2M"), every other unit after it.
_CURRENCY_SIGNS = "$€£¥"


def fmt_number(value: float | None) -> str:
    """4.0 -> '4', 4.25 -> '4.25', 3200000 -> '3,200,000'; three decimals at most."""
    if value is None:
        return DASH
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text  # -0.0001 rounds to nothing, not to "-0"


def fmt_value(value: float | None, unit: str | None = None) -> str:
    """A number with its unit: '4.2%', '$3.2M', '12 min'."""
    text = fmt_number(value)
    if value is None or not unit:
        return text
    if unit[0] in _CURRENCY_SIGNS:
        return f"{unit[0]}{text}{unit[1:]}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"


def fmt_score(score: float | None) -> str:
    """A score or progress on the 0-1 scale, two decimals: 0.625 -> '0.62'."""
    return DASH if score is None else f"{score:.2f}"


def fmt_fill(value: float) -> str:
    """How full a progress bar is drawn, as a CSS percentage: clamped to 0-100%."""
    return f"{min(max(value, 0), 1) * 100:.1f}%"


def unit_suffix(unit: str | None) -> str:
    """A unit as written after a chart's numbers: '%' close up, other units spaced."""
    return "" if not unit else unit if unit == "%" else f" {unit}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 KPI', '2 KPIs', '3 people'."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def period_state(period: Period, today: date) -> str:
    """'upcoming', 'running' or 'closed': where ``today`` falls against ``period``."""
    if today < period.start:
        return "upcoming"
    return "running" if period.contains(today) else "closed"


def level_counts(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    """How many findings at each level, in :data:`LEVEL_WORDS` words and order."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.level] = counts.get(f.level, 0) + 1
    return [(LEVEL_WORDS[lvl], counts[lvl]) for lvl in LEVEL_WORDS if lvl in counts]
