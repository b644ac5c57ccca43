"""Markdown texts (descriptions, check-in notes, 'achievable') to sanitised HTML, safely
and in bounded time whatever the text says.

Goal files come from anyone's pull request, and Python-Markdown is neither safe nor
linear on hostile text: it recurses once per level of list or quote nesting (a
1,500-level list raises RecursionError), several of its scanners are quadratic or worse
(each unmatched ``[`` scans to the end of its paragraph, html.parser rescans after each
unclosed ``<``, each ``# header`` line re-tests the rest of its block, Markdown before
3.11 restarts its inline scan after every match and has cubic code-span and emphasis
regexes), and a small text can make a huge page (a wide table header pads every row).
Patching those algorithms would tie okrsite to one library version's internals (CI runs
the oldest allowed and the newest), so instead:

1. A linear pre-scan refuses, before Python-Markdown sees it, a text with a line that
   opens more than :data:`MAX_NESTING` lists or quotes, more table cells than
   :data:`MAX_TABLE_CELLS`, or more work than :data:`SCAN_BUDGET` inside regular
   expressions and html.parser, where nothing can count it (``<``, backtick runs).
2. A deterministic work meter counts, while Python-Markdown runs, what its block tests
   and inline handlers may scan, call by call, so repeated calls (the restarts) count
   too; past :data:`WORK_BUDGET` the conversion stops. The tree it builds may not be
   deeper than :data:`MAX_TREE_DEPTH`, nor its HTML longer than :data:`MAX_EXPANSION`
   times the text.
3. Anything refused, stopped or failing (a library exception on odd input must not
   fail a build) is shown as escaped plain text, paragraphs and line breaks kept.

Ordinary texts spend a small fraction of each bound (tests/test_hostile_markdown.py
checks the margin, and that they render exactly as plain Python-Markdown did). Refusal
is for the whole text, not one paragraph: the parts of a Markdown text are not
independent (reference links, loose lists and raw HTML span blank lines), so a partly
rendered text could show what its author did not write; the whole text as plain text
is always faithful. Every output, Markdown or plain, goes through nh3, which keeps a
small set of tags and only http(s)/mailto links: no raw HTML, no ``javascript:``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import markdown
import nh3
from markdown.blockprocessors import HRProcessor
from markdown.inlinepatterns import BacktickInlineProcessor
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
})  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Lists and quotes one line may open. Python-Markdown recurses (several frames) per
# level, and so do its tree walkers; an OKR text needs three or four levels, a code
# sample inside a list a few more. Deeper text is shown as plain text.
MAX_NESTING = 8

# Elements nested in the HTML tree: the deepest lists allowed above, with a paragraph,
# a link and three kinds of emphasis inside, nest about 25 deep.
MAX_TREE_DEPTH = 40

# Work Python-Markdown's handlers may do for one text, in characters a Python loop
# scans: a fraction of a second when a hostile text reaches it, and several times what
# the longest ordinary paragraph dense with links, emphasis and code needs
# (tests/test_hostile_markdown.py checks that margin on both sides).
WORK_BUDGET = 3_000_000

# Work done inside regular expressions and html.parser, which the meter cannot see,
# estimated by the pre-scan (about 10-30 ns a unit): html.parser, which Python-Markdown
# runs over the whole text for raw HTML blocks, and the inline HTML patterns may rescan
# the rest of the text after each '<' that does not close, so ``count('<') * len(text)``
# (an ordinary text has a few dozen '<' at most); code spans, see backtick_work().
SCAN_BUDGET = 3_000_000

# Table cells a text may make (each costs some microseconds and ten bytes of HTML); an
# ordinary table has tens or hundreds.
MAX_TABLE_CELLS = 20_000

# HTML may be this many times the text's length (plus a paragraph's worth): ordinary
# Markdown makes at most four or five, but a reference link repeats its address at every
# use, so 800 uses of a 5,000-character address would be 4 MB. The plain text is at most
# five times the text ('&' becomes '&amp;').
MAX_EXPANSION = 16

# Each handler or test call costs something even when it scans nothing.
_CALL_COST = 20


class _OverBudget(Exception):
    """Raised inside Python-Markdown to abandon a conversion that spent its budget."""


class _Meter:
    """Counts the work Python-Markdown may do for one text (see WORK_BUDGET)."""

    def __init__(self) -> None:
        self.spent = 0

    def spend(self, amount: int) -> None:
        self.spent += amount + _CALL_COST
        if self.spent > WORK_BUDGET:
            raise _OverBudget


# A link's destination, when it holds no '(' or quote (which make the scanner look on).
_PLAIN_DESTINATION = re.compile(r"\([^()'\"]*\)")


def _scanned_by_failure(data: str, start: int, end: int) -> int:
    """How far a handler that matched ``data[start:end]`` and then found nothing may have
    scanned: to the end of the text, unless it opened a link text ('[') that a ']' closes
    with no '[' in between, where the link-text scan stopped, or stopped at the ')' of a
    plain destination after it."""
    if data[end - 1 : end] == "[":
        close = data.find("]", end)
        if close != -1 and data.find("[", end, close) == -1:
            if data[close + 1 : close + 2] != "(":
                return close + 1 - start
            destination = _PLAIN_DESTINATION.match(data, close + 1)
            if destination:
                return destination.end() - start
    return len(data) - start


# After each match the text is rebuilt around it and searched again, in C; Markdown
# before 3.11 searches again from the start of the text (3.11 from the match). Most
# patterns start with a character the search skips to, far cheaper per character than
# the Python scanners the meter's unit stands for; the code-span pattern (a lookbehind
# and two alternatives) is tried at every character, so it counts more.
_RESTARTS = tuple(int(p) for p in re.findall(r"\d+", markdown.__version__)[:2]) < (3, 11)
_REBUILD = 10 if _RESTARTS else 64
_REBUILD_CODE = 3 if _RESTARTS else 64


def _metered_match(
    meter: _Meter, handle: Callable[..., Any], rebuild: int = _REBUILD
) -> Callable[..., Any]:
    # An inline processor's handleMatch gets the element's whole text and scans on from
    # the match, character by character in Python for links and images. When it finds
    # nothing it may have scanned to the end (an unmatched '[' does): charge that. When
    # it finds something it scanned what it matched, and the text is then rebuilt and
    # searched again around the result (in C): charge the match and a fraction of the
    # text (and what it copied). Calls repeat where the library rescans (Markdown before
    # 3.11 restarts after every match), so the count follows the installed version.
    def metered(m: re.Match[str], *args: Any) -> Any:
        data, start = m.string, m.start(0)
        result = handle(m, *args)
        end = result[2] if isinstance(result, tuple) else None
        if end is None:
            meter.spend(_scanned_by_failure(data, start, m.end(0)))
        else:
            # A reference link copies its definition's address and title into each use.
            node = result[0]
            copied = sum(map(len, node.attrib.values())) if hasattr(node, "attrib") else 0
            meter.spend(end - start + len(data) // rebuild + copied)
        return result

    return metered


_RUN = re.compile(r"\*+|_+")
_MAY_CLOSE = re.compile(r"(?<!\w)_(?!_)")


def _metered_emphasis(meter: _Meter, handle: Callable[..., Any]) -> Callable[..., Any]:
    # Markdown before 3.11 finds emphasis with regexes of two lazy groups
    # (AsteriskProcessor.PATTERNS), tried in turn from every '*' or '_': from a '***' or
    # '__' opener the first group stops at every later '*' (every '_' that may close),
    # and from each stop the second scans to the end for the closer. A call may cost the
    # rest of the text times those stops ("__a _b " repeated is cubic in all), charged
    # before it runs, at a third: these regular expressions scan about three times
    # faster than Python loops.
    def metered(m: re.Match[str], *args: Any) -> Any:
        data, start = m.string, m.start(0)
        run = _RUN.match(data, start)
        width = len(run.group()) if run else 0
        stops = 0
        if width >= 3:
            stops = data.count(data[start], start + width)
        elif width == 2 and data[start] == "_":
            stops = len(_MAY_CLOSE.findall(data, start + width))
        meter.spend((len(data) - start) * (1 + stops) // 3)
        result = handle(m, *args)
        if isinstance(result, tuple) and result[2] is not None:
            meter.spend(len(data) // _REBUILD)
        return result

    return metered


def _metered_test(meter: _Meter, test: Callable[..., Any]) -> Callable[..., Any]:
    # Every block processor's test looks at the whole remaining block, once per block the
    # parser takes (a '# header' line splits its block and leaves the rest for the next
    # round): charge the block, at a quarter, as most tests are regular expressions.
    def metered(parent: Any, block: str) -> Any:
        meter.spend(len(block) // 4)
        return test(parent, block)

    return metered


class _DepthCheck(markdown.treeprocessors.Treeprocessor):
    """Stops a conversion whose tree is deeper than MAX_TREE_DEPTH: emphasis can nest as
    deep as the text is long ('*a ' repeated, then ' a*'), and the serializer that runs
    next recurses once per level. Runs after the inline patterns, before serializing."""

    def run(self, root: Any) -> None:
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth > MAX_TREE_DEPTH:
                raise _OverBudget
            stack.extend((child, depth + 1) for child in element)


class _Converter:
    """One Python-Markdown instance, metered, rebuilt after any conversion that fails.

    Python-Markdown keeps state between convert() calls: reset() clears references and
    the raw-HTML stash, but not the block parser's state stack, which an exception
    (RecursionError, our budget) leaves half-full, so the next text's lists would parse
    as if inside another list. A failed instance is therefore never reused. Building one
    takes about a millisecond, so ordinary texts share one instance."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self.meter = _Meter()

    def _fresh(self) -> markdown.Markdown:
        md = markdown.Markdown(extensions=["tables", "sane_lists"])
        for proc in md.inlinePatterns:
            if hasattr(proc, "PATTERNS"):
                metered = _metered_emphasis(self.meter, proc.handleMatch)
            elif isinstance(proc, BacktickInlineProcessor):
                metered = _metered_match(self.meter, proc.handleMatch, _REBUILD_CODE)
            else:
                metered = _metered_match(self.meter, proc.handleMatch)
            proc.handleMatch = metered  # type: ignore[method-assign]
        for block in md.parser.blockprocessors:
            block.test = _metered_test(self.meter, block.test)  # type: ignore[method-assign]
        # 'inline' runs at 20, 'prettify' (recursive) at 10.
        md.treeprocessors.register(_DepthCheck(md), "okrsite-depth", 15)
        return md

    def convert(self, text: str) -> str | None:
        """Python-Markdown's HTML for ``text``, or None if it spent its budget or failed."""
        md = self._md or self._fresh()
        self._md = None  # taken: put back only after a clean conversion
        self.meter.spent = 0
        try:
            html = md.reset().convert(text)
        except Exception:  # _OverBudget; RecursionError; any library bug on odd input
            return None
        self._md = md
        return html


_converter = _Converter()

# A line's structure: leading blanks, '>' quotes and list markers ('-', '*', '+' or a
# number with '.' or ')' followed by a blank or the line's end), in any order.
_LEAD = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d+[.)])(?=[ \t]|$)))*[ \t]*", re.M)
_MARKER = re.compile(r">|[-*+](?=[ \t]|$)|\d+[.)](?=[ \t]|$)")
# A spaced horizontal rule ("* * * * * * * * * *") looks like many list markers, but
# Python-Markdown tests for rules before lists: such a line never nests.
_RULE = HRProcessor.SEARCH_RE


def nesting_depth(text: str) -> int:
    """The most lists and quotes any line of ``text`` could open, counting a list marker
    or '>' as one level and every four columns of indentation (a tab counts four) as one:
    an upper bound of Python-Markdown's nesting, found in one pass."""
    deepest = 0
    for m in _LEAD.finditer(text):
        lead = m.group()
        if not lead or _RULE.match(text, m.start()):
            continue
        markers = len(_MARKER.findall(lead))
        columns = lead.count(" ") + 4 * lead.count("\t")
        deepest = max(deepest, markers + columns // 4)
    return deepest


_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def backtick_work(text: str) -> int:
    """An upper bound of the work Markdown before 3.11 spends in its code-span regex,
    which runs before any handler the meter sees. From a run of k backticks it searches
    the rest of the paragraph for a run of exactly k, backing off one backtick at a
    time: some k*k times the paragraph when no such run follows, and again after every
    code span it finds (it restarts): a few hundred backticks before a long paragraph
    take seconds."""
    work = 0
    for block in _BLANK_LINE.split(text):
        runs = [len(m.group()) for m in _TICKS.finditer(block)]
        # Code spans pair a run with the next run of the same length, as the regex does.
        following: list[int | None] = [None] * len(runs)
        last: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            following[i] = last.get(runs[i])
            last[runs[i]] = i
        unclosed = spans = i = 0
        while i < len(runs):
            closer = following[i]
            if closer is None:
                unclosed += runs[i] * runs[i]
                i += 1
            else:
                spans += 1
                i = closer + 1
        work += unclosed * len(block) * (1 + spans)
    return work


def table_cells(text: str) -> int:
    """An upper bound of the table cells Python-Markdown may make: every line of a block
    can become a row, padded to as many cells as the header has ('|' + 1). A 1,000-
    column header over 3,000 one-character rows is 10 KB that makes 3 million cells."""
    cells = 0
    for block in _BLANK_LINE.split(text):
        if "|" in block:
            lines = block.split("\n")
            cells += len(lines) * (1 + max(line.count("|") for line in lines))
    return cells


def html_work(text: str) -> int:
    """An upper bound of the work html.parser and the inline HTML patterns spend: each
    '<' that does not close may send them to the end of the text."""
    return text.count("<") * len(text)


def renders_as_markdown(text: str) -> bool:
    """Whether the pre-scan lets ``text`` through to Python-Markdown (the work meter may
    still stop it there)."""
    return (
        html_work(text) <= SCAN_BUDGET
        and backtick_work(text) <= SCAN_BUDGET
        and table_cells(text) <= MAX_TABLE_CELLS
        and nesting_depth(text) <= MAX_NESTING
    )


def metered_work(text: str) -> int | None:
    """The work meter's count for converting ``text`` (None if the conversion stopped or
    failed): how far an ordinary text stays from WORK_BUDGET, for tests and tuning."""
    return _converter.meter.spent if _converter.convert(text) is not None else None


_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def plain_html(text: str) -> str:
    """``text`` as escaped plain text: a paragraph per blank-line-separated block, a line
    break per newline. Linear, and shows every character the author wrote."""
    paragraphs = _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return "\n".join(
        "<p>" + "<br />\n".join(str(escape(line)) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def sanitise(html: str) -> str:
    """Keep only okrsite's tags, attributes and link schemes (nh3, linear)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render(text: str) -> str:
    """Markdown to sanitised HTML (a str), uncached: see :func:`markdown_html`."""
    html = _converter.convert(text) if renders_as_markdown(text) else None
    if html is not None and len(html) > MAX_EXPANSION * len(text) + 1000:
        html = None
    return sanitise(plain_html(text) if html is None else html)


# The same description is drawn on several pages (objective, team, print). Only texts of
# up to _CACHED_TEXT characters are kept, which bounds the cache at 4096 entries of at
# most (1 + MAX_EXPANSION) times that many characters, even if a pull request filled
# every entry (keys are the goal model's own strings). A longer text is rendered again
# on each page that shows it.
_CACHED_TEXT = 1000


@functools.lru_cache(maxsize=4096)
def _cached(text: str) -> Markup:
    return Markup(render(text))


def markdown_html(text: str) -> Markup:
    """Markdown to sanitised HTML: safe for any input, in time linear in its length.

    Text Python-Markdown cannot render within bounds (see the module docstring) is shown
    as escaped plain text instead."""
    return _cached(text) if len(text) <= _CACHED_TEXT else Markup(render(text))
