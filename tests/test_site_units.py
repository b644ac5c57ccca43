"""The site's formatting, small markup and chart geometry, pinned exactly: a changed
rounding, separator or unit placement shows on every page, so it must fail here first.
No site is built; every test takes milliseconds (the import check a fraction of a second).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from okrsite.formatting import (
    LEVEL_WORDS,
    fmt_fill,
    fmt_number,
    fmt_score,
    fmt_value,
    level_counts,
    period_state,
    plural,
    unit_suffix,
)
from okrsite.model.graph import Source
from okrsite.model.periods import Period
from okrsite.review.rules import Finding, Rule
from okrsite.site.widgets import css_string, progress_bar


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\u2013"),
        (4.0, "4"),
        (4, "4"),
        (4.25, "4.25"),
        (3200000, "3,200,000"),
        (-1234567.0, "-1,234,567"),
        (1234.5678, "1,234.568"),  # three decimals at most, rounded
        (2.0015, "2.002"),
        (0.1 + 0.2, "0.3"),  # float noise does not show
        (-2.5, "-2.5"),
        (-0.0001, "0"),  # rounds to nothing: no "-0"
        (0.0001, "0"),
        (1e21, "1,000,000,000,000,000,000,000"),  # never scientific notation
    ],
)
def test_fmt_number(value: float | None, text: str) -> None:
    assert fmt_number(value) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (4.2, "%", "4.2%"),
        (3.2, "$M", "$3.2M"),  # a currency sign goes first, the rest of the unit after
        (1500000, "£", "£1,500,000"),
        (0.5, "¥k", "¥0.5k"),
        (-3.5, "€", "€-3.5"),
        (12, "min", "12 min"),
        (7, "h", "7 h"),
        (5, None, "5"),
        (5, "", "5"),
        (None, "%", "\u2013"),  # no number, no unit
        (None, "$", "\u2013"),
    ],
)
def test_fmt_value(value: float | None, unit: str | None, text: str) -> None:
    assert fmt_value(value, unit) == text


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (None, "\u2013"),
        (0.625, "0.62"),  # exactly half: rounded to even, as Python's format does
        (0.675, "0.68"),  # 0.675 is stored a little above the half
        (0.005, "0.01"),
        (0.015, "0.01"),  # stored a little below the half
        (1.0, "1.00"),
        (0.7, "0.70"),
        (1.234, "1.23"),
    ],
)
def test_fmt_score(score: float | None, text: str) -> None:
    assert fmt_score(score) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.625, "62.5%"), (1 / 3, "33.3%"), (1.7, "100.0%"), (-0.2, "0.0%"), (0.9995, "100.0%")],
)
def test_fmt_fill_is_clamped_to_the_bar(value: float, text: str) -> None:
    assert fmt_fill(value) == text


def test_unit_suffix() -> None:
    assert [unit_suffix(u) for u in (None, "", "%", "min", "$")] == ["", "", "%", " min", " $"]


def test_plural() -> None:
    assert plural(1, "KPI") == "1 KPI"
    assert plural(2, "KPI") == "2 KPIs"
    assert plural(0, "goal") == "0 goals"
    assert plural(1500, "goal") == "1,500 goals"
    assert plural(1, "person", "people") == "1 person"
    assert plural(3, "person", "people") == "3 people"


def test_period_state_edges() -> None:
    q1 = Period("2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
    assert period_state(q1, date(2025, 12, 31)) == "upcoming"
    assert period_state(q1, date(2026, 1, 1)) == "running"
    assert period_state(q1, date(2026, 3, 31)) == "running"  # the end day is inside
    assert period_state(q1, date(2026, 4, 1)) == "closed"


def _finding(level: str) -> Finding:
    rule = Rule("OKR999", "test-rule", level, "a rule for tests")
    return Finding(rule, level, Source("okrs/a.yaml", 1), "message")


def test_level_words_and_counts() -> None:
    assert LEVEL_WORDS == {"error": "error", "warning": "warning", "info": "hint"}
    found = [_finding(lvl) for lvl in ("info", "warning", "info", "error", "info")]
    assert level_counts(found) == [("error", 1), ("warning", 1), ("hint", 3)]
    assert level_counts([_finding("info")]) == [("hint", 1)]
    assert level_counts([]) == []


def test_progress_bar() -> None:
    assert str(progress_bar(0.625)) == (
        '<span class="okr-progress okr-band--yellow" role="img" '
        'aria-label="Score 0.62 of 1.0 (yellow)" style="--okr-fill: 62.5%">'
        '<span class="okr-progress__value">0.62</span> '
        '<span class="okr-band-label">yellow</span></span>'
    )
    assert str(progress_bar(None)) == '<span class="okr-score okr-score--none">no score</span>'
    over = str(progress_bar(1.5, 'A "b" <i>'))
    assert 'aria-label="A &#34;b&#34; &lt;i&gt; 1.50 of 1.0 (green)"' in over
    assert "--okr-fill: 100.0%" in over


def test_css_string_escapes_all_but_letters_digits_and_spaces() -> None:
    assert str(css_string('a"b</style> c')) == '"a\\000022 b\\00003c \\00002f style\\00003e  c"'


# Chart scales and geometry are pinned in tests/test_charts.py.


@pytest.mark.parametrize("module", ["okrsite.review.diffreport", "okrsite.formatting"])
def test_plain_formatting_loads_no_html_libraries(module: str) -> None:
    """The diff report formats scores as the site does without loading the renderer's
    libraries: a CLI run that only prints a diff stays quick."""
    code = (
        f"import sys, {module}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jinja2', 'markdown', 'nh3')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "[]"


def test_an_items_pace_chip_follows_its_glance_state() -> None:
    from okrsite.model.attention import DONE, NOT_STARTED
    from okrsite.site.widgets import item_pace_chip

    assert "not started" in item_pace_chip(NOT_STARTED, 0.0, 0.58)
    assert "off track" not in item_pace_chip(NOT_STARTED, 0.0, 0.58)
    assert item_pace_chip(DONE, 1.0, 0.58) == ""
    assert "off track" in item_pace_chip("off track", 0.2, 0.58)
