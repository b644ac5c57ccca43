"""Charts as inline SVG, made at build time: no JavaScript, crisp in print.

Colours come from CSS classes (``okr-chart__*`` in okrsite.css) so that the same SVG
reads in Material's light and dark schemes. Every chart has a ``<title>`` and a
``<desc>`` for screen readers; the numbers are also in the table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

W, H = 640, 220
PAD_L, PAD_R, PAD_T, PAD_B = 56, 48, 16, 28


@dataclass(frozen=True)
class Line:
    """A horizontal reference line (baseline, target, alert threshold)."""

    value: float
    label: str
    css: str


@dataclass(frozen=True)
class Band:
    """A horizontal band between two values (the 0.6-0.8 stretch band)."""

    low: float
    high: float
    label: str
    css: str


def tick_label(v: float) -> str:
    """An axis number: two decimals at most, trailing zeros dropped (1,250.5)."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """``n + 1`` evenly spaced axis values from ``lo`` to ``hi`` (one if they are equal)."""
    if hi == lo:
        return [lo]
    step = (hi - lo) / n
    return [lo + i * step for i in range(n + 1)]


def value_range(values: Sequence[float]) -> tuple[float, float]:
    """The y axis for ``values``: their span with 8% room above and below, so no point
    sits on the frame; a flat series gets 10% of its value, a flat zero series 1."""
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    return lo - pad, hi + pad


def line_chart(
    *,
    title: str,
    desc: str,
    points: Sequence[tuple[date, float]],
    start: date | None = None,
    end: date | None = None,
    lines: Sequence[Line] = (),
    bands: Sequence[Band] = (),
    second: Sequence[tuple[date, float]] = (),
    second_label: str = "",
    unit: str = "",
    ident: str = "chart",
    y_range: tuple[float, float] | None = None,
) -> Markup:
    """A dated line chart; ``second`` is a 0..1 series drawn against a right-hand axis."""
    dates = [d for d, _ in points] + [d for d, _ in second]
    start = start or (min(dates) if dates else date.today())
    end = end or (max(dates) if dates else start)
    span = max((end - start).days, 1)
    values = [v for _, v in points] + [ln.value for ln in lines]
    values += [b.low for b in bands] + [b.high for b in bands]
    lo, hi = y_range or value_range(values)
    inner_w, inner_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(d: date) -> float:
        return PAD_L + inner_w * min(max((d - start).days / span, 0), 1)

    def y(v: float) -> float:
        return PAD_T + inner_h * (1 - (v - lo) / (hi - lo))

    def y2(v: float) -> float:
        return PAD_T + inner_h * (1 - v)

    # Only a percent sign fits beside the axis numbers; other units are in the title.
    tick_unit = "%" if unit == "%" else ""
    t_id, d_id = f"{ident}-title", f"{ident}-desc"
    out = [
        f'<svg class="okr-chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{t_id} {d_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{t_id}">{escape(title)}</title>',
        f'<desc id="{d_id}">{escape(desc)}</desc>',
    ]
    for band in bands:
        top, bottom = y(band.high), y(band.low)
        out.append(
            f'<rect class="okr-chart__band {band.css}" x="{PAD_L}" y="{top:.1f}" '
            f'width="{inner_w}" height="{bottom - top:.1f}">'
            f"<title>{escape(band.label)}</title></rect>"
        )
    for tick in ticks(lo, hi):
        out.append(
            f'<line class="okr-chart__grid" x1="{PAD_L}" x2="{W - PAD_R}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="okr-chart__axis" x="{PAD_L - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(tick_label(tick) + tick_unit)}</text>'
        )
    out.append(
        f'<text class="okr-chart__axis" x="{PAD_L}" y="{H - 8}">{start.isoformat()}</text>'
        f'<text class="okr-chart__axis" x="{W - PAD_R}" y="{H - 8}" '
        f'text-anchor="end">{end.isoformat()}</text>'
    )
    for ln in lines:
        yy = y(ln.value)
        out.append(
            f'<line class="okr-chart__ref {ln.css}" x1="{PAD_L}" x2="{W - PAD_R}" '
            f'y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="okr-chart__label {ln.css}" x="{W - PAD_R - 4}" y="{yy - 4:.1f}" '
            f'text-anchor="end">{escape(ln.label)}</text>'
        )

    def series(data: Sequence[tuple[date, float]], ys: Any, css: str) -> None:
        coords = [f"{x(d):.1f},{ys(v):.1f}" for d, v in data]
        out.append(f'<polyline class="{css}" points="{" ".join(coords)}"/>')
        # All dots as one path of zero-length segments drawn with round caps: one
        # element instead of a <circle> (and a tooltip) per check-in, which kept
        # objective pages heavy for the browser and for the search indexer. The
        # values themselves are in the check-in table beside every chart.
        out.append(f'<path class="{css}-points" d="M{"h0M".join(coords)}h0"/>')

    if second:
        series(second, y2, "okr-chart__second")
        out.append(
            f'<text class="okr-chart__axis" x="{W - PAD_R + 6}" y="{PAD_T + 4}">100%</text>'
            f'<text class="okr-chart__axis" x="{W - PAD_R + 6}" y="{PAD_T + inner_h + 4}">'
            f"0%</text>"
            f'<text class="okr-chart__axis" x="{W / 2:.0f}" y="{H - 8}" text-anchor="middle">'
            f"solid: value · dotted: {escape(second_label)} (right axis)</text>"
        )
    if points:
        series(points, y, "okr-chart__series")
    out.append("</svg>")
    return Markup("".join(out))
