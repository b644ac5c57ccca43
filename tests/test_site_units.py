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
from okrsite.site import charts
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
        '<span class="okr-progress__value">0.62</span>'
        '<span class="okr-band-label">yellow</span></span>'
    )
    assert str(progress_bar(None)) == '<span class="okr-score okr-score--none">no score</span>'
    over = str(progress_bar(1.5, 'A "b" <i>'))
    assert 'aria-label="A &#34;b&#34; &lt;i&gt; 1.50 of 1.0 (green)"' in over
    assert "--okr-fill: 100.0%" in over


def test_css_string_escapes_all_but_letters_digits_and_spaces() -> None:
    assert str(css_string('a"b</style> c')) == '"a\\000022 b\\00003c \\00002f style\\00003e  c"'


def test_tick_label() -> None:
    assert charts.tick_label(1250.5) == "1,250.5"
    assert charts.tick_label(0.125) == "0.12"
    assert charts.tick_label(3.0) == "3"
    assert charts.tick_label(1e6 / 3) == "333,333.33"


def test_ticks() -> None:
    assert charts.ticks(0, 1) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert charts.ticks(-1, 1, 2) == [-1.0, 0.0, 1.0]
    assert charts.ticks(2, 2) == [2]


def test_value_range_pads_the_span() -> None:
    assert charts.value_range([1, 2]) == (0.92, 2.08)  # 8% of the span each side
    assert charts.value_range([5, 5]) == (4.5, 5.5)  # flat: 10% of the value
    assert charts.value_range([-10, -10]) == (-11.0, -9.0)
    assert charts.value_range([0, 0]) == (-1.0, 1.0)  # flat zero: 1
    assert charts.value_range([]) == (-0.08, 1.08)


def test_line_chart_geometry() -> None:
    svg = str(
        charts.line_chart(
            title="T <x>",
            desc="D",
            points=[(date(2026, 1, 1), 0.0), (date(2026, 1, 31), 10.0)],
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
            lines=[charts.Line(5.0, "target 5", "okr-chart__target")],
            unit="%",
            ident="c1",
        )
    )
    assert '<title id="c1-title">T &lt;x&gt;</title>' in svg
    # The axis runs from -0.8 to 10.8 (8% room), in five ticks labelled with the unit.
    labels = ["-0.8%", "2.1%", "5%", "7.9%", "10.8%"]
    assert [f'text-anchor="end">{label}</text>' in svg for label in labels] == [True] * 5
    assert 'y1="104.0" y2="104.0"/><text class="okr-chart__label okr-chart__target"' in svg
    assert '<polyline class="okr-chart__series" points="56.0,179.9 592.0,28.1"/>' in svg
    assert '<path class="okr-chart__series-points" d="M56.0,179.9h0M592.0,28.1h0"/>' in svg


def test_dates_outside_the_span_are_clamped_to_the_frame() -> None:
    svg = str(
        charts.line_chart(
            title="T",
            desc="D",
            points=[(date(2025, 12, 1), 1.0), (date(2026, 3, 1), 1.0)],
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
            y_range=(0.0, 2.0),
        )
    )
    assert 'points="56.0,104.0 592.0,104.0"' in svg


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
