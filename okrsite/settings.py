"""The plugin's numeric options, checked the same way for ``mkdocs build`` and for the
``okrsite`` commands that read them from mkdocs.yml."""

from __future__ import annotations

from typing import Any


def fiscal_year_start(value: Any) -> int:
    """The first month of the fiscal year, 1-12; ValueError names the fix."""
    month = _whole_number(value)
    if month is None or not 1 <= month <= 12:
        raise ValueError(f"fiscal_year_start must be a month number 1-12, got {value!r}")
    return month


def stale_after_days(value: Any) -> int:
    """Days without a check-in before a running key result is stale, 1 or more."""
    days = _whole_number(value)
    if days is None or days < 1:
        raise ValueError(
            f"stale_after_days must be a number of days, 1 or more, got {value!r}; to "
            "stop stale warnings, set rules: {stale-key-result: off}"
        )
    return days


def _whole_number(value: Any) -> int | None:
    # YAML gives an int; true/false are ints to Python but no answer here.
    return value if isinstance(value, int) and not isinstance(value, bool) else None
