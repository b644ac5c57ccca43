"""Progress over time: SVG charts, pace, KPI state (alert, trend, staleness), CSV
history, continued objectives and target revisions, for fixed 'today' dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from okrsite.diagnostics import DataError
from okrsite.model import scoring
from okrsite.model.graph import Checkin, Kpi, Source
from okrsite.model.periods import parse_period
from okrsite.site.charts import PAD_T, Line, line_chart
from okrsite.source.loader import load

from orgkit import FILES, build, write_goals, write_site

Q3 = parse_period("2026-Q3")


def test_chart_points_threshold_and_accessible_title():
    svg = str(
        line_chart(
            title="History: Churn <b>",
            desc="3 measurements; alert at 5%",
            points=[(date(2026, 7, 1), 4.0), (date(2026, 8, 1), 4.5), (date(2026, 9, 1), 5.5)],
            start=date(2026, 7, 1),
            end=date(2026, 9, 1),
            lines=[Line(5.0, "alert 5%", "okr-chart__alert")],
            ident="chart-kpi-churn",
        )
    )
    assert svg.startswith('<svg class="okr-chart"') and 'role="img"' in svg
    assert 'aria-labelledby="chart-kpi-churn-title chart-kpi-churn-desc"' in svg
    assert '<title id="chart-kpi-churn-title">History: Churn &lt;b&gt;</title>' in svg
    assert '<desc id="chart-kpi-churn-desc">3 measurements; alert at 5%</desc>' in svg
    points = re.search(r'<polyline class="okr-chart__series" points="([^"]+)"', svg)[1].split()
    assert len(points) == 3
    # The series sits in the plot, PAD_T below the top of the chart's own coordinates.
    ys = [float(p.split(",")[1]) + PAD_T for p in points]
    assert ys[0] > ys[1] > ys[2]  # rising values are drawn higher (smaller y)
    threshold = re.search(r'<line class="okr-chart__ref okr-chart__alert"[^>]*y1="([\d.]+)"', svg)
    assert threshold and ys[1] > float(threshold[1]) > ys[2]  # 5.0 lies between 4.5 and 5.5
    dots = re.search(r'<path class="okr-chart__series-points" d="([^"]+)"', svg)[1]
    assert dots == "M" + "h0M".join(points) + "h0"  # one round dot on every point


def test_confidence_has_a_strip_of_its_own():
    svg = str(
        line_chart(
            title="t",
            desc="d",
            points=[(date(2026, 7, 6), 4.1)],
            start=date(2026, 7, 1),
            end=date(2026, 9, 30),
            confidence=[(date(2026, 7, 6), 0.7)],
        )
    )
    assert 'class="okr-chart__confidence"' in svg and ">confidence</text>" in svg
    assert "right axis" not in svg


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 6, 30), 0.0),  # before the period
        (date(2026, 7, 1), 1 / 92),  # its first day
        (date(2026, 8, 15), 46 / 92),  # inside
        (date(2026, 9, 30), 1.0),  # its last day
        (date(2026, 11, 1), 1.0),  # after
    ],
)
def test_expected_by_now(today, expected):
    assert scoring.expected_by_now(Q3, today) == pytest.approx(expected)


@pytest.mark.parametrize(
    "progress,expected,pace",
    [
        (0.5, 0.5, scoring.ON_TRACK),
        (0.41, 0.5, scoring.ON_TRACK),
        (0.39, 0.5, scoring.AT_RISK),
        (0.25, 0.5, scoring.AT_RISK),
        (0.24, 0.5, scoring.OFF_TRACK),
        (0.9, 0.5, scoring.ON_TRACK),
        (None, 0.5, None),
    ],
)
def test_pace_bands(progress, expected, pace):
    assert scoring.pace(progress, expected) == pace


def _kpi(values, alert=5.0, direction="down", every=None):
    return Kpi(
        "k",
        "K",
        direction,
        Source("x", 1),
        alert=alert,
        update_every=every,
        history=[Checkin(d, v) for d, v in values],
    )


def test_kpi_alert_trend_and_staleness():
    k = _kpi([(date(2026, 7, 31), 4.8), (date(2026, 8, 31), 5.2)], every="month")
    state = scoring.kpi_state(k, date(2026, 9, 15))
    assert state.alert and state.trend == "worse" and not state.stale
    assert scoring.kpi_state(k, date(2026, 10, 15)).stale  # 45 days > a month
    assert not scoring.kpi_state(_kpi([(date(2026, 8, 31), 5.0)])).alert  # equal is no alert
    up = _kpi([(date(2026, 7, 31), 40), (date(2026, 8, 31), 45)], alert=42, direction="up")
    assert scoring.kpi_state(up).trend == "better" and not scoring.kpi_state(up).alert
    # as it was at the end of July: before the alert
    assert not scoring.kpi_state(k, date(2026, 9, 15), until=date(2026, 7, 31)).alert


def _site(tmp_path: Path, today: str, extra: dict | None = None) -> Path:
    root = write_site(tmp_path, {**FILES, **(extra or {})}, plugin=f"today: {today}")
    run = build(root)
    assert run.returncode == 0, run.stderr
    return root / "site"


@pytest.mark.parametrize(
    "today,marker",
    [
        ("2026-06-15", None),  # before: no pace, no final score
        ("2026-08-01", "expected 0.35"),  # inside: pace against 32/92 of the quarter
        ("2026-10-15", "final score"),  # after: final scores
    ],
)
def test_objective_page_pace_for_fixed_dates(tmp_path, today, marker):
    site = _site(tmp_path, today)
    html = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    if marker:
        assert marker in html
    else:
        assert "okr-pace" not in html and "final score" not in html


def test_stale_key_result_is_marked_on_objective_team_and_home(tmp_path):
    site = _site(tmp_path, "2026-08-20")  # nrr has no check-in, 50 days into the quarter
    objective = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "okr-badge--stale" in objective
    assert "stale key result" in (site / "teams/company/index.html").read_text(encoding="utf-8")
    assert "stale key result" in (site / "index.html").read_text(encoding="utf-8")


def test_kpi_page_chart_has_the_alert_line(tmp_path):
    site = _site(tmp_path, "2026-08-01")
    html = (site / "kpis/gross-churn/index.html").read_text(encoding="utf-8")
    assert 'class="okr-chart__ref okr-chart__alert"' in html
    assert '<title id="chart-kpi-gross-churn-title">History: Monthly gross churn</title>' in html


CSV_KPI = """\
kpis:
  - id: gross-churn
    name: Monthly gross churn
    unit: "%"
    direction: down
    alert: 5.0
    history_file: churn.csv
"""


def test_kpi_history_from_csv(tmp_path):
    goals = write_goals(
        tmp_path,
        {
            **FILES,
            "kpis.yaml": CSV_KPI,
            "churn.csv": 'date,value\n2026-06-30,4.2\n\n2026-07-31,"5,100"\n',
        },
    )
    kpi = load(goals).org.kpis["gross-churn"]
    assert [(h.date.isoformat(), h.value) for h in kpi.history] == [
        ("2026-06-30", 4.2),
        ("2026-07-31", 5100.0),
    ]


def test_bad_csv_rows_are_errors_with_file_and_line(tmp_path):
    goals = write_goals(
        tmp_path,
        {
            **FILES,
            "kpis.yaml": CSV_KPI,
            "churn.csv": "date,value\n2026-06-31,4.2\n2026-07-31,lots\n2026-08-31\n",
        },
    )
    with pytest.raises(DataError) as info:
        load(goals)
    errors = [str(d) for d in info.value.diagnostics]
    assert (
        "goals/churn.csv:2: bad date '2026-06-31': write an ISO date YYYY-MM-DD, e.g. 2026-08-15"
        in errors
    )
    assert (
        "goals/churn.csv:3: bad value 'lots': write a number between "
        "-1,000,000,000,000,000 and 1,000,000,000,000,000, e.g. 4.2"
    ) in errors
    assert (
        "goals/churn.csv:4: expected 2 columns 'date,value', got 1: write one "
        "'YYYY-MM-DD,number' row a line"
    ) in errors


def test_continues_links_both_ways_and_team_chart_draws_the_bands(tmp_path):
    q4 = (
        FILES["2026-Q3/company.yaml"]
        .replace("period: 2026-Q3", "period: 2026-Q4")
        .replace(
            "    owner: maria\n", "    owner: maria\n    continues: 2026-Q3/company/retention\n"
        )
    )
    site = _site(tmp_path, "2026-11-01", {"2026-Q4/company.yaml": q4})
    later = (site / "okrs/2026-q4/company/retention/index.html").read_text(encoding="utf-8")
    assert "Continues" in later and 'href="../../../2026-q3/company/retention/"' in later
    earlier = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "Continued in 2026-Q4" in earlier
    team = (site / "teams/company/index.html").read_text(encoding="utf-8")
    assert 'class="okr-chart__band okr-chart__green"' in team and "green from 0.7" in team


def test_revised_target_shows_original_and_revision(tmp_path):
    company = FILES["2026-Q3/company.yaml"].replace(
        "        target: 3.0\n",
        "        target: 3.0\n        revisions:\n          - {date: 2026-07-20, old_target: 2.5, "
        "reason: Two enterprise renewals moved to Q4}\n",
    )
    site = _site(tmp_path, "2026-08-01", {"2026-Q3/company.yaml": company})
    html = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert (
        "Target revised: original 2.5%; on 2026-07-20 2.5% &rarr; 3% (Two enterprise renewals moved to Q4)"
        in html
    )
    assert "okr-chart__original" in html
