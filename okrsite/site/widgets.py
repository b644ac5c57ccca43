"""Small pieces of markup the templates draw many times: the progress bar, CSS strings.

Python functions rather than template macros because they are drawn dozens of times a
page; every text in them from goal files is escaped here.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from okrsite.diagnostics import Diagnostic
from okrsite.formatting import fmt_fill, fmt_score, plural
from okrsite.model import scoring
from okrsite.model.attention import DONE, NOT_STARTED


def progress_bar(value: float | None, label: str = "Score") -> Markup:
    """A colour-banded progress bar that also says its number and band in words."""
    if value is None:
        return Markup('<span class="okr-score okr-score--none">no score</span>')
    b = scoring.band(value)
    text = fmt_score(value)
    # The bar itself is the span's ::before, filled to --okr-fill by a gradient:
    # two elements fewer per bar, and pages carry dozens of bars.
    return Markup(
        f'<span class="okr-progress okr-band--{b}" role="img" '
        f'aria-label="{escape(label)} {text} of 1.0 ({b})" '
        f'style="--okr-fill: {fmt_fill(value)}">'
        # the space keeps number and band two words in search ("0.83 green")
        f'<span class="okr-progress__value">{text}</span> '
        f'<span class="okr-band-label">{b}</span></span>'
    )


def css_string(text: str) -> Markup:
    """A CSS string literal holding ``text``: every non-alphanumeric character escaped,
    so nothing in it can end the string or the style element."""
    # A hex escape swallows one following space, so each ends with one.
    out = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return Markup(f'"{out}"')


def pace_chip(progress: float | None, expected: float, span: str) -> Markup:
    """'at risk · expected 0.58', with a title that gives the formula and the tolerance.

    ``span`` names the time the expected share is of ("the period", "the time to its due
    date"). Empty without a progress to compare.
    """
    p = scoring.pace(progress, expected)
    if p is None or progress is None:
        return Markup("")
    gap = scoring.pace_gap(progress, expected)
    where = f"{gap:.2f} behind" if gap > 0 else "not behind"
    title = (
        f"Progress {fmt_score(progress)}, expected {fmt_score(expected)} by today (the "
        f"share of {span} passed): {where}. On track up to "
        f"{scoring.ON_TRACK_GAP:.2f} behind, at risk up to {scoring.AT_RISK_GAP:.2f}, "
        "off track beyond."
    )
    # An f-string of escaped parts: Markup.format is five times slower, and pages of
    # goals and key results carry a chip each.
    return Markup(
        f'<span class="okr-pace okr-pace--{escape(p.replace(" ", "-"))}" title="{escape(title)}">'
        f'{escape(p)} <span class="okr-muted">&middot; expected {escape(fmt_score(expected))}'
        "</span></span>"
    )


def item_pace_chip(state: str, progress: float | None, expected: float) -> Markup:
    """The pace of an objective or key result of a running period, as its at-a-glance
    ``state`` has it: "not started" before its first check-in (not "off track" for a
    0.00 nobody has measured yet), nothing once done, else :func:`pace_chip`."""
    if state == NOT_STARTED:
        return Markup(
            '<span class="okr-pace okr-pace--not-started" title="No check-in yet: nothing '
            'to compare with the expected pace.">not started</span>'
        )
    if state == DONE:
        return Markup("")
    return pace_chip(progress, expected, "the period")


# How many of a broken rebuild's errors the page lists; the terminal has them all.
BROKEN_SHOWN = 20


def broken_banner(errors: list[Diagnostic]) -> Markup:
    """What every page says while ``mkdocs serve`` shows the site of the last good
    build because the goal files now hold ``errors``: each ``path:line: message``, the
    way the terminal shows it, so whoever edits in the browser's reach sees what to fix.
    Diagnostics never quote a private goal, so a page may show them."""
    shown = "".join(
        f"<li><code>{escape(d.path)}:{d.line}</code> {escape(d.message)}</li>"
        for d in errors[:BROKEN_SHOWN]
    )
    more = len(errors) - BROKEN_SHOWN
    rest = f" and {plural(more, 'more error')} in the terminal" if more > 0 else ""
    return Markup(
        '<div class="admonition failure okr-broken" role="alert">'
        f'<p class="admonition-title">The goal files have {plural(len(errors), "error")}: '
        "these pages show them as they were at the last build that worked</p>"
        f"<ul>{shown}</ul><p>Fix {'it' if len(errors) == 1 else 'them'}{rest} and save: "
        "this page reloads with your change.</p></div>"
    )


def preview_banner(compare_to: str | None, changes: str | None = None) -> Markup:
    """What every page of a preview says at its top (a build with ``compare_to``), with
    a link to the Changes page (``changes``: its address from the page) when there is
    one."""
    what = f" against {escape(compare_to)}" if compare_to else ""
    link = f' · <a href="{escape(changes)}">what changed</a>' if changes else ""
    return Markup(
        '<div class="okr-preview-banner" role="note">Preview of proposed goal changes'
        f"{what}: not the published site.{link}</div>"
    )
