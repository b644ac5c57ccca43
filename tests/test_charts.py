"""Charts that do not mislead, pinned on the SVG they draw: nice ticks with units, no
axis below zero for what cannot be negative, a running period drawn "so far", the
colour bands of scoring.band, confidence in a strip of its own, goals to their due
date, the expected-pace line. No MkDocs: goal files are loaded and charted directly."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from okrsite.model import scoring
from okrsite.model.graph import Organization
from okrsite.site import charts, item_charts
from okrsite.source.loader import load

from orgkit import ANA, COMPANY, FILES, build, write_goals, write_site

SVG = "{http://www.w3.org/2000/svg}"
JUL1, SEP30 = date(2026, 7, 1), date(2026, 9, 30)


def parse(markup: object) -> ET.Element:
    """The chart's markup (an SVG and its legend) as one XML tree."""
    return ET.fromstring(f"<chart>{markup}</chart>")


def texts(root: ET.Element, css: str = "") -> list[str]:
    return [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if css in (t.get("class") or "").split() or not css
    ]


def tick_labels(root: ET.Element) -> list[str]:
    """The value axis's labels, bottom to top (they are the texts left of the plot)."""
    ticks = [t for t in root.iter(f"{SVG}text") if t.get("x") == "-6"]
    ticks.sort(key=lambda t: -float(t.get("y") or 0))
    # the confidence strip's 0% and 100% sit below the plot
    plot_bottom = charts.PAD_T + charts.PLOT_H + 4
    return [
        "".join(t.itertext())
        for t in ticks
        if charts.PAD_T <= float(t.get("y") or 0) <= plot_bottom
    ]


def org_of(tmp_path: Path, files: dict[str, str]) -> Organization:
    return load(write_goals(tmp_path, {**FILES, **files})).org


def is_nice(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))


# -- ticks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        [11.84, 14.16],  # the odd ticks of the issue
        [3.0, 4.2],
        [0.001, 0.0013],
        [1_234_567, 9_876_543],
        [-7.3, 2.2],
        [5, 5],
        [0, 0],
        [-1e15, 1e15],
    ],
)
def test_ticks_are_round_numbers_that_cover_the_data(values):
    axis = charts.value_axis(values)
    assert is_nice(axis.step)
    assert 3 <= len(axis.ticks) <= 8
    assert axis.ticks[0] <= min(values) and axis.ticks[-1] >= max(values)
    for tick in axis.ticks:
        assert math.isclose(tick / axis.step, round(tick / axis.step), abs_tol=1e-6)


def test_tick_labels_are_round_and_carry_close_set_units():
    axis = charts.value_axis([11.84, 14.16])
    assert [charts.tick_label(t, axis.step, "%") for t in axis.ticks] == [
        "11.5%",
        "12%",
        "12.5%",
        "13%",
        "13.5%",
        "14%",
        "14.5%",
    ]
    axis = charts.value_axis([1.6, 3.1])
    assert [charts.tick_label(t, axis.step, "$M") for t in axis.ticks] == [
        "$1.5M",
        "$2M",
        "$2.5M",
        "$3M",
        "$3.5M",
    ]
    assert charts.unit_on_ticks("%") and charts.unit_on_ticks("$M")
    assert not charts.unit_on_ticks("min") and not charts.unit_on_ticks("")


@pytest.mark.parametrize(
    ("values", "labels"),
    [
        ([0, 10], ["0", "2", "4", "6", "8", "10", "12"]),  # not up to 15: a third empty
        ([3.0, 4.2, 3.6], ["2.5", "3", "3.5", "4", "4.5"]),  # not 8 lines of 0.25
        ([0.9991, 0.9995], ["0.9990", "0.9992", "0.9994", "0.9996"]),  # no two alike
    ],
)
def test_an_axis_leaves_little_empty_room_and_no_two_ticks_alike(values, labels):
    axis = charts.value_axis(values)
    assert [charts.tick_label(t, axis.step) for t in axis.ticks] == labels


def test_ticks_finer_than_fifteen_decimals_are_labelled_without_an_error():
    axis = charts.value_axis([1e-20, 2e-20])  # a goal file may hold such check-ins
    labels = [charts.tick_label(t, axis.step) for t in axis.ticks]
    assert labels and all("e-" in label for label in labels)


def test_a_spaced_unit_is_written_once_above_the_axis():
    root = parse(
        charts.line_chart(
            title="t", desc="d", points=[(JUL1, 45.0)], start=JUL1, end=SEP30, unit="min"
        )
    )
    assert texts(root, "okr-chart__unit") == ["min"]
    assert not any("min" in label for label in tick_labels(root))


@pytest.mark.parametrize("values", [[0, 3, 10], [1, 2], [0.2, 0.21], [0, 0], [4.2, 4.2], [1e15, 0]])
def test_an_axis_of_non_negative_data_does_not_go_below_zero(values):
    axis = charts.value_axis(values)
    assert axis.lo >= 0
    root = parse(
        charts.line_chart(
            title="t",
            desc="d",
            points=[(JUL1, float(v)) for v in values],
            start=JUL1,
            end=SEP30,
        )
    )
    assert not any(label.startswith("-") for label in tick_labels(root))


def test_counts_near_zero_start_at_zero():
    """The issue's -4.8 leads: a count from 0 to 60 is drawn from 0."""
    assert charts.value_axis([0, 6, 21, 60]).lo == 0
    assert charts.value_axis([-2, 6]).lo < -2  # negative data keeps its room


# -- the colour bands --------------------------------------------------------------


def test_team_bands_are_the_colour_bands_at_their_edges():
    bands = item_charts.score_bands()
    assert bands[0].low == 0 and bands[-1].high == 1
    for low, high in itertools.pairwise(bands):
        assert low.high == high.low
    for band in bands:
        name = band.css.removeprefix("okr-chart__")
        assert scoring.band(band.low) == name
        assert scoring.band(band.high - 0.01) == name
        if band.high < 1:
            assert scoring.band(band.high) != name
    assert [b.css for b in bands] == ["okr-chart__red", "okr-chart__yellow", "okr-chart__green"]


def test_bands_follow_a_changed_threshold(monkeypatch):
    """The chart derives its bands from scoring.band: move green to 0.6 and the
    chart's green band starts at 0.6 too."""

    def band(score):
        if score is None:
            return None
        score = round(score, 2)
        return scoring.RED if score < 0.3 else scoring.YELLOW if score < 0.6 else scoring.GREEN

    monkeypatch.setattr(scoring, "band", band)
    assert [(b.low, b.high) for b in item_charts.score_bands()] == [
        (0, 0.3),
        (0.3, 0.6),
        (0.6, 1),
    ]


# -- key results, goals, KPIs and teams from goal files ----------------------------

CHECKINS = """\
        checkins:
          - {date: 2026-07-06, value: 4.0, confidence: 0.7}
          - {date: 2026-07-20, value: 3.8, confidence: 0.6}
          - {date: 2026-08-03, value: 3.6, confidence: 0.8}
"""


def churn_kr(tmp_path: Path):
    company = COMPANY.replace(
        "        checkins:\n          - {date: 2026-07-06, value: 3.6, confidence: 0.7}\n",
        CHECKINS,
    )
    org = org_of(tmp_path, {"2026-Q3/company.yaml": company})
    (kr,) = [k for o in org.objectives.values() for k in o.key_results if k.id == "churn"]
    return kr


def series_points(root: ET.Element, css: str = "okr-chart__series") -> list[str]:
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == css]
    return [pt for p in lines for pt in (p.get("points") or "").split()]


def test_running_period_marks_the_newest_check_in_so_far(tmp_path):
    kr = churn_kr(tmp_path)
    markup = item_charts.kr_chart(kr, date(2026, 8, 10))
    root = parse(markup)
    final = series_points(root)
    dashed = series_points(root, "okr-chart__series okr-chart__series--so-far")
    assert len(final) == 2 and dashed == [final[-1], dashed[-1]]
    dots = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "okr-chart__series-points")
    assert dots.get("d") == "M" + "h0M".join(final) + "h0"  # the newest is not a full dot
    assert any(p.get("class") == "okr-chart__so-far" for p in root.iter(f"{SVG}path"))
    assert texts(root, "okr-chart__so-far-label") == ["3.6% so far"]
    assert "today" in texts(root, "okr-chart__axis")
    desc = root.find(f"{SVG}svg/{SVG}desc")
    assert desc is not None and "so far: it runs until 2026-09-30" in (desc.text or "")
    # 4.2% -> 3.0% over 92 days, day 41: 3.665..., shown to one decimal more than written
    assert "expected by today 3.67%." in (desc.text or "")


def test_closed_period_draws_every_check_in_as_final(tmp_path):
    kr = churn_kr(tmp_path)
    root = parse(item_charts.kr_chart(kr, date(2026, 11, 1)))
    assert len(series_points(root)) == 3
    assert "so far" not in str(item_charts.kr_chart(kr, date(2026, 11, 1)))
    assert "today" not in texts(root)


def test_confidence_is_a_strip_not_a_second_axis(tmp_path):
    root = parse(item_charts.kr_chart(churn_kr(tmp_path), date(2026, 8, 10)))
    bars = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "okr-chart__confidence")
    assert (bars.get("d") or "").count("M") == 3
    assert "confidence" in texts(root, "okr-chart__strip-name")
    # every axis number is on the left of the plot; nothing is written on its right
    axis_texts = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    numbers = [t for t in axis_texts if re.fullmatch(r"-?\$?[\d.,]+[%M]?", "".join(t.itertext()))]
    assert numbers and all(t.get("x") == "-6" for t in numbers)
    strip = next(
        s
        for s in root.iter(f"{SVG}svg")
        if s.find(f"{SVG}path[@class='okr-chart__confidence']") is not None
    )
    assert float(strip.get("y") or 0) > charts.PAD_T + charts.PLOT_H  # below the plot


def test_pace_line_from_baseline_at_start_to_target_at_end(tmp_path):
    root = parse(item_charts.kr_chart(churn_kr(tmp_path), date(2026, 8, 10)))
    first, last = series_points(root, "okr-chart__pace")
    ticks = tick_labels(root)
    assert first.startswith("0.0,") and last.startswith(f"{charts.X_UNITS}.0,")
    baseline = next(
        ln for ln in root.iter(f"{SVG}line") if "okr-chart__baseline" in (ln.get("class") or "")
    )
    target = next(
        ln for ln in root.iter(f"{SVG}line") if "okr-chart__target" in (ln.get("class") or "")
    )
    # the pace line's ends, in the plot's own y, are the baseline's and target's heights
    assert float(first.split(",")[1]) + charts.PAD_T == pytest.approx(float(baseline.get("y1")))
    assert float(last.split(",")[1]) + charts.PAD_T == pytest.approx(float(target.get("y1")))
    assert "expected pace" in "".join(root.find("figcaption").itertext())
    assert ticks and all(re.fullmatch(r"\d(\.\d+)?%", t) for t in ticks)


def test_goal_axis_runs_to_its_due_date(tmp_path):
    ana = ANA + (
        "    checkins:\n"
        "      - {date: 2026-07-10, value: 20, confidence: 0.6}\n"
        "      - {date: 2026-08-10, value: 26}\n"
    )
    org = org_of(tmp_path, {"2026-Q3/people/ana.yaml": ana})
    (goal,) = org.goals.values()
    root = parse(item_charts.goal_chart(goal, date(2026, 8, 20)))
    labels = texts(root, "okr-chart__axis")
    assert "2026-09-15" in labels and "2026-09-30" not in labels
    pace = series_points(root, "okr-chart__pace")
    assert pace[-1].startswith(f"{charts.X_UNITS}.0,")  # the target is due at the axis's end
    assert texts(root, "okr-chart__so-far-label") == ["26 so far"]


def test_a_check_in_after_the_due_date_stretches_the_goals_axis(tmp_path):
    ana = ANA + (
        "    checkins:\n"
        "      - {date: 2026-07-10, value: 20}\n"
        "      - {date: 2026-09-25, value: 30}\n"  # ten days after the due date
    )
    org = org_of(tmp_path, {"2026-Q3/people/ana.yaml": ana})
    (goal,) = org.goals.values()
    root = parse(item_charts.goal_chart(goal, date(2026, 10, 1)))
    labels = texts(root, "okr-chart__axis")
    assert "2026-09-25" in labels and "due" in labels  # the due date, marked on the plot
    dots = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "okr-chart__series-points")
    assert f"M{charts.X_UNITS}.0," in (dots.get("d") or "")  # the late check-in at its date
    pace = series_points(root, "okr-chart__pace")
    assert not pace[-1].startswith(f"{charts.X_UNITS}.0,")  # the pace line ends when due


def test_a_reference_line_at_the_bottom_has_its_label_above_it(tmp_path):
    root = parse(
        charts.line_chart(
            title="t",
            desc="d",
            points=[(date(2026, 7, 10), 5.0)],
            start=date(2026, 7, 1),
            end=date(2026, 9, 30),
            lines=[charts.Line(0, "baseline 0", "okr-chart__baseline", below=True)],
        )
    )
    [label] = [t for t in root.iter(f"{SVG}text") if "".join(t.itertext()) == "baseline 0"]
    # not below the line, where the end date is written
    assert float(label.get("y") or 0) < charts.PAD_T + charts.PLOT_H


def test_date_labels_too_close_to_each_other_are_not_printed_over_each_other():
    root = parse(
        charts.line_chart(
            title="t",
            desc="d",
            points=[(date(2026, 9, 30), 0.6), (date(2026, 10, 3), 0.4)],
            start=date(2026, 7, 1),
            end=date(2026, 10, 3),
            x_labels=[(date(2026, 9, 30), "2026-Q3"), (date(2026, 10, 3), "2026-Q4")],
        )
    )
    assert texts(root, "okr-chart__axis").count("2026-Q3") == 1
    assert "2026-Q4" not in texts(root, "okr-chart__axis")  # the later one gives way


def test_kpi_chart_has_units_and_no_pace(tmp_path):
    kpis = FILES["kpis.yaml"].replace(
        "      - {date: 2026-06-30, value: 4.2}\n",
        "      - {date: 2026-04-30, value: 5.3}\n      - {date: 2026-05-31, value: 4.9}\n"
        "      - {date: 2026-06-30, value: 4.2}\n",
    )
    org = org_of(tmp_path, {"kpis.yaml": kpis})
    markup = str(item_charts.kpi_chart(org.kpis["gross-churn"], date(2026, 8, 1)))
    assert "okr-chart__pace" not in markup and "expected pace" not in markup
    assert "so far" not in markup
    root = parse(markup)
    assert all(label.endswith("%") for label in tick_labels(root))
    assert "alert 5%" in texts(root, "okr-chart__alert")


def test_team_chart_draws_the_running_period_at_today_so_far(tmp_path):
    q4 = COMPANY.replace("period: 2026-Q3", "period: 2026-Q4").replace(
        "2026-07-06, value: 3.6", "2026-10-06, value: 4.1"
    )
    org = org_of(tmp_path, {"2026-Q4/company.yaml": q4})
    periods = org.periods_sorted()
    today = date(2026, 11, 1)
    root = parse(item_charts.team_chart(org.teams["company"], periods, today))
    (dot,) = [p for p in root.iter(f"{SVG}path") if p.get("class") == "okr-chart__so-far"]
    x = float((dot.get("d") or "")[1:].split(",")[0])
    # from 2026-07-01 to 2026-12-31: today (123 days in), not the period's end (183)
    assert x == pytest.approx(charts.X_UNITS * 123 / 183, abs=0.1)
    # day 32 of 92: where the score should be by now, beside where it is
    assert texts(root, "okr-chart__so-far-label")[0].endswith(" so far, expected 0.35")
    assert [b.get("class") for b in root.iter(f"{SVG}rect")] == [
        "okr-chart__band okr-chart__red",
        "okr-chart__band okr-chart__yellow",
        "okr-chart__band okr-chart__green",
    ]
    assert tick_labels(root) == ["0", "0.4", "0.7", "1"]
    desc = root.find(f"{SVG}svg/{SVG}desc")
    assert "2026-Q4" in (desc.text or "")
    assert "so far, expected 0.35 by now (runs until 2026-12-31)" in (desc.text or "")


def test_team_chart_leaves_out_a_period_not_yet_begun(tmp_path):
    q4 = COMPANY.replace("period: 2026-Q3", "period: 2026-Q4")
    org = org_of(tmp_path, {"2026-Q4/company.yaml": q4})
    assert item_charts.team_chart(org.teams["company"], org.periods_sorted(), SEP30) == ""


def test_hostile_titles_are_escaped(tmp_path):
    hostile = 'Cut churn </title><script>alert(1)</script> & "more"'
    company = COMPANY.replace(
        "title: Reduce monthly gross churn from 4.2% to 3.0%", f"title: '{hostile}'"
    )
    org = org_of(tmp_path, {"2026-Q3/company.yaml": company})
    (kr,) = [k for o in org.objectives.values() for k in o.key_results if k.id == "churn"]
    markup = str(item_charts.kr_chart(kr, date(2026, 8, 1)))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    title = parse(markup).find(f"{SVG}svg/{SVG}title")
    assert title is not None and title.text == f"Check-ins: {hostile}"


def test_work_is_linear_in_the_check_ins():
    """One polyline and one path of dots, whatever the number of check-ins."""
    points = [(date.fromordinal(JUL1.toordinal() + i % 90), float(i)) for i in range(2000)]
    markup = str(charts.line_chart(title="t", desc="d", points=points, start=JUL1, end=SEP30))
    assert markup.count("<polyline") == 1 and markup.count("<path") == 1


# -- a real build --------------------------------------------------------------------


def test_built_pages_carry_the_charts(tmp_path):
    root = write_site(tmp_path, FILES, plugin="today: 2026-08-01")
    run = build(root)
    assert run.returncode == 0, run.stderr
    page = (root / "site/okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert page.count('<figure class="okr-figure" data-search-exclude><svg class="okr-chart"') == 2
    assert "3.6% so far" in page and 'class="okr-chart__pace"' in page
    goal = (root / "site/goals/2026-q3/ana/tips/index.html").read_text(encoding="utf-8")
    assert "okr-chart" not in goal  # no check-ins, no chart
