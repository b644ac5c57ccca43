"""Charts as inline SVG, made at build time: no JavaScript, crisp in print.

Colours come from CSS classes (``okr-chart__*`` in okrsite.css) so that the same SVG
reads in Material's light and dark schemes. Every chart has a ``<title>`` and a
``<desc>`` for screen readers; the numbers are also in the table next to it.

The SVG has no ``viewBox`` of its own: it is as wide as the page lets it be and its
text is laid out in CSS pixels, so a label is as large on a 390 px phone as on a
desktop (a scaled drawing shrank 11 px text to 6 px). Only the marks that follow the
data (series, dots, pace line, confidence bars) sit in a nested SVG stretched to the
plot's width, with strokes that do not stretch. Horizontal positions of text are
percentages of the plot's width, vertical ones pixels.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from okrsite.formatting import fmt_value

# Heights in CSS pixels: room for the "today" label above the plot, the plot, the date
# labels below it, and the confidence strip with its own label.
PAD_T, PLOT_H, DATES_H = 22, 170, 26
STRIP_LABEL_H, STRIP_H = 16, 34
# The nested plot's width in its own units: x positions are written to 0.1 of these.
X_UNITS = 1000
# Width of one character of axis text, for the room left of the axis (12 px text).
CHAR_W = 7


@dataclass(frozen=True)
class Line:
    """A horizontal reference line (baseline, target, alert threshold); its label is
    written above the line, or below it with ``below`` (away from the pace line)."""

    value: float
    label: str
    css: str
    below: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal band between two values: a colour band of scores."""

    low: float
    high: float
    label: str
    css: str


@dataclass(frozen=True)
class Axis:
    """A value axis: from ``lo`` to ``hi``, labelled at ``ticks``, ``step`` apart."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    step: float


def nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least ``raw``."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10 * power


def value_axis(values: Sequence[float], n: int = 4) -> Axis:
    """A y axis of nice steps around ``values`` (5% room each side): of ``n - 1`` to
    ``n + 2`` steps, those that leave the least empty room (0 to 10 gets 0 to 12, not 15).

    When no value is negative the axis does not go below zero: counts, rates and money
    cannot be negative, and an axis at -4.8 suggests they could.
    """
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.05 or abs(hi) * 0.1 or 1.0
    floor = 0.0 if lo >= 0 else -math.inf
    lo, hi = max(lo - pad, floor), hi + pad
    best: tuple[float, float, float] | None = None
    for steps in (n, n + 1, n + 2, n - 1):  # the first of the tightest wins a tie
        step = nice_step((hi - lo) / steps)
        a, b = math.floor(lo / step) * step, math.ceil(hi / step) * step
        if round((b - a) / step) > n + 2:  # more lines than a small chart can carry
            continue
        if best is None or b - a < best[1] - best[0] - step * 1e-9:
            best = (a, b, step)
    a, b, step = best  # type: ignore[misc]
    count = round((b - a) / step)
    return Axis(a, b, tuple(a + i * step for i in range(count + 1)), step)


def fixed_axis(ticks: Sequence[float]) -> Axis:
    """An axis labelled at exactly ``ticks`` (ascending), e.g. 0, band edges, 1."""
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    return Axis(ticks[0], ticks[-1], tuple(ticks), min(steps, default=1.0))


def unit_on_ticks(unit: str) -> bool:
    """Whether ``unit`` is written on every tick: those set close to the number ('4%',
    '$3M'); a spaced unit ('12 min', '40 accounts') is written once, above the axis."""
    return bool(unit) and " " not in fmt_value(1, unit)


def tick_label(value: float, step: float, unit: str = "") -> str:
    """An axis number as precise as the step needs ('2.5', '0.05'), with ``unit`` as
    :func:`~okrsite.formatting.fmt_value` writes it: '$2.5M', '12%'."""
    if step < 0.001:  # finer than fmt_number writes: as many decimals as the step has
        places = next((p for p in range(3, 16) if abs(round(step, p) - step) < step * 1e-6), 0)
        # past 15 decimals (check-ins of 1e-20), three significant digits will do
        return f"{value:.{places}f}" if places else f"{value:.3g}"
    return fmt_value(round(value, 3), unit or None)


def _frac(d: date, start: date, span: int) -> float:
    """Where ``d`` falls between start and end, 0..1 (dates outside are clamped)."""
    return min(max((d - start).days / span, 0.0), 1.0)


def _anchor(f: float) -> str:
    """Text near the frame's edges grows inwards, so it stays on the chart."""
    return "start" if f < 0.12 else "end" if f > 0.88 else "middle"


def line_chart(
    *,
    title: str,
    desc: str,
    points: Sequence[tuple[date, float]],
    start: date,
    end: date,
    unit: str = "",
    lines: Sequence[Line] = (),
    bands: Sequence[Band] = (),
    pace: tuple[tuple[date, float], tuple[date, float]] | None = None,
    so_far: str = "",
    today: date | None = None,
    due: date | None = None,
    confidence: Sequence[tuple[date, float]] = (),
    x_labels: Sequence[tuple[date, str]] = (),
    axis: Axis | None = None,
    series_label: str = "check-ins",
    ident: str = "chart",
) -> Markup:
    """A dated line chart with its legend (a ``<figcaption>``), as markup.

    ``so_far`` (a label such as '0.42 so far') marks the newest point as provisional:
    drawn open, reached by a dashed segment. ``today`` and ``due`` draw a vertical line
    on that day, labelled above the plot. ``pace`` is the expected-pace line from
    (start, baseline) to (end, target).
    ``confidence`` (0..1) gets its own strip below the dates, never a second axis.
    """
    span = max((end - start).days, 1)
    values = [v for _, v in points] + [ln.value for ln in lines]
    values += [b.low for b in bands] + [b.high for b in bands]
    if pace:
        values += [pace[0][1], pace[1][1]]
    axis = axis or value_axis(values)
    on_ticks = unit_on_ticks(unit) and axis.step >= 0.001
    labels = [tick_label(t, axis.step, unit if on_ticks else "") for t in axis.ticks]
    caption = "" if on_ticks else unit.strip()
    pad_l = CHAR_W * max(len(t) for t in [*labels, "100%"]) + 10
    height = PAD_T + PLOT_H + DATES_H + (STRIP_LABEL_H + STRIP_H + 4 if confidence else 0)

    def fx(d: date) -> float:
        return _frac(d, start, span)

    def y(v: float) -> float:
        return PAD_T + PLOT_H * (1 - (v - axis.lo) / ((axis.hi - axis.lo) or 1.0))

    def at(d: date, v: float) -> str:
        return f"{fx(d) * X_UNITS:.1f},{y(v) - PAD_T:.1f}"

    t_id, d_id = f"{ident}-title", f"{ident}-desc"
    out = [
        f'<svg class="okr-chart" height="{height}" role="img" '
        f'style="--okr-chart-pad: {pad_l}px" '
        f'aria-labelledby="{t_id} {d_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t_id}">{escape(title)}</title>',
        f'<desc id="{d_id}">{escape(desc)}</desc>',
    ]
    for band in bands:
        top, bottom = y(band.high), y(band.low)
        out.append(
            f'<rect class="okr-chart__band {band.css}" x="0" y="{top:.1f}" width="100%" '
            f'height="{bottom - top:.1f}"><title>{escape(band.label)}</title></rect>'
            # named at the left: points come at the end of a period, so the start of
            # the first one is free of data at any width
            f'<text class="okr-chart__label okr-chart__band-name {band.css}" x="4" '
            f'y="{bottom - 5:.1f}">{escape(band.label)}</text>'
        )
    for tick, label in zip(axis.ticks, labels, strict=True):
        out.append(
            f'<line class="okr-chart__grid" x1="0" x2="100%" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="okr-chart__axis" x="-6" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    if caption:
        out.append(
            f'<text class="okr-chart__axis okr-chart__unit" x="-6" y="{PAD_T - 8}" '
            f'text-anchor="end">{escape(caption)}</text>'
        )
    dates_y = PAD_T + PLOT_H + 17
    placed: list[float] = []
    for d, text in x_labels or [(start, start.isoformat()), (end, end.isoformat())]:
        f = fx(d)
        # A label too close to one already placed would print over it ('22026Q4' early
        # in a quarter); the later one gives way, the marks on the plot still show it.
        if any(abs(f - g) < 0.2 for g in placed):
            continue
        placed.append(f)
        out.append(
            f'<text class="okr-chart__axis" x="{f * 100:.2f}%" y="{dates_y}" '
            f'text-anchor="{_anchor(f)}">{escape(text)}</text>'
        )
    marks = [(d, word) for d, word in ((due, "due"), (today, "today")) if d is not None]
    taken: list[float] = []
    for d, word in marks:
        if not start <= d <= end:
            continue
        f = fx(d)
        out.append(
            f'<line class="okr-chart__today" x1="{f * 100:.2f}%" x2="{f * 100:.2f}%" '
            f'y1="{PAD_T}" y2="{PAD_T + PLOT_H}"/>'
        )
        if all(abs(f - g) > 0.12 for g in taken):  # two words in one place: the first
            taken.append(f)
            out.append(
                f'<text class="okr-chart__axis" x="{f * 100:.2f}%" y="{PAD_T - 8}" '
                f'text-anchor="{_anchor(f)}">{word}</text>'
            )
    for ln in lines:
        yy = y(ln.value)
        # Below the line when asked (away from the pace line), unless that would run
        # into the dates under the plot; above it unless that would leave the plot.
        below = (ln.below and yy + 15 <= PAD_T + PLOT_H - 2) or yy - 5 < PAD_T + 10
        out.append(
            f'<line class="okr-chart__ref {ln.css}" x1="0" x2="100%" '
            f'y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="okr-chart__label {ln.css}" x="100%" dx="-4" '
            f'y="{yy + 15 if below else yy - 5:.1f}" text-anchor="end">{escape(ln.label)}</text>'
        )
    # The data's marks: x in X_UNITS across the plot, y in pixels from its top.
    out.append(
        f'<svg class="okr-chart__plot" x="0" y="{PAD_T}" width="100%" height="{PLOT_H}" '
        f'viewBox="0 0 {X_UNITS} {PLOT_H}" preserveAspectRatio="none" overflow="visible">'
    )
    if pace:
        (d0, v0), (d1, v1) = pace
        out.append(f'<polyline class="okr-chart__pace" points="{at(d0, v0)} {at(d1, v1)}"/>')
    coords = [at(d, v) for d, v in points]
    final = coords[:-1] if so_far else coords
    if len(final) > 1:
        out.append(f'<polyline class="okr-chart__series" points="{" ".join(final)}"/>')
    if final:
        # All dots as one path of zero-length segments drawn with round caps: one
        # element instead of a <circle> (and a tooltip) per check-in, which kept
        # objective pages heavy for the browser and for the search indexer. The
        # values themselves are in the table beside every chart.
        out.append(f'<path class="okr-chart__series-points" d="M{"h0M".join(final)}h0"/>')
    if so_far and coords:
        if len(coords) > 1:
            out.append(
                f'<polyline class="okr-chart__series okr-chart__series--so-far" '
                f'points="{coords[-2]} {coords[-1]}"/>'
            )
        out.append(
            f'<path class="okr-chart__so-far" d="M{coords[-1]}h0"/>'
            f'<path class="okr-chart__so-far-hole" d="M{coords[-1]}h0"/>'
        )
    out.append("</svg>")
    if so_far and points:
        out.append(_so_far_label(so_far, [(fx(d), y(v)) for d, v in points[-2:]]))
    if confidence:
        out.append(_confidence_strip(confidence, fx, PAD_T + PLOT_H + DATES_H))
    out.append("</svg>")
    out.append(_legend(series_label, pad_l, so_far=bool(so_far and points), pace=bool(pace)))
    return Markup("".join(out))


def _so_far_label(text: str, last: Sequence[tuple[float, float]]) -> str:
    """The "so far" label beside the newest point ``last[-1]`` (x as 0..1, y in px): on
    the side away from the segment that reaches it, so the line does not cross it."""
    f, yy = last[-1]
    from_above = len(last) > 1 and last[0][1] < yy
    below = (from_above or yy < PAD_T + 24) and yy < PAD_T + PLOT_H - 20
    right = f < 0.7
    return (
        f'<text class="okr-chart__label okr-chart__so-far-label" x="{f * 100:.2f}%" '
        f'dx="{9 if right else -9}" y="{yy + 18 if below else yy - 9:.1f}" '
        f'text-anchor="{"start" if right else "end"}">{escape(text)}</text>'
    )


def _confidence_strip(
    confidence: Sequence[tuple[date, float]], fx: Callable[[date], float], top: int
) -> str:
    """Confidence as bars in a strip of its own, 0% to 100%, labelled as such."""
    bar_top = top + STRIP_LABEL_H
    bars = " ".join(
        f"M{fx(d) * X_UNITS:.1f},{STRIP_H}V{STRIP_H * (1 - min(max(c, 0.0), 1.0)):.1f}"
        for d, c in confidence
    )
    return (
        f'<text class="okr-chart__axis okr-chart__strip-name" x="0" y="{top + 11}">'
        "confidence</text>"
        f'<line class="okr-chart__grid" x1="0" x2="100%" y1="{bar_top}" y2="{bar_top}"/>'
        f'<line class="okr-chart__grid" x1="0" x2="100%" y1="{bar_top + STRIP_H}" '
        f'y2="{bar_top + STRIP_H}"/>'
        f'<text class="okr-chart__axis" x="-6" y="{bar_top + 4}" text-anchor="end">100%</text>'
        f'<text class="okr-chart__axis" x="-6" y="{bar_top + STRIP_H + 4}" '
        f'text-anchor="end">0%</text>'
        f'<svg class="okr-chart__plot" x="0" y="{bar_top}" width="100%" height="{STRIP_H}" '
        f'viewBox="0 0 {X_UNITS} {STRIP_H}" preserveAspectRatio="none" overflow="visible">'
        f'<path class="okr-chart__confidence" d="{bars}"/></svg>'
    )


def _legend(series_label: str, pad_l: int, *, so_far: bool, pace: bool) -> str:
    """The keys of the marks a reader cannot tell apart by a label on the chart."""
    keys = [("series", series_label)]
    if so_far:
        keys.append(("so-far", "so far (period running)"))
    if pace:
        keys.append(("pace", "expected pace"))
    items = "".join(
        f'<span class="okr-chart__key okr-chart__key--{css}">{escape(text)}</span>'
        for css, text in keys
    )
    return (
        f'<figcaption class="okr-chart__legend" style="--okr-chart-pad: {pad_l}px" '
        f'aria-hidden="true">{items}</figcaption>'
    )
