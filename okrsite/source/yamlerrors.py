"""What is wrong with a YAML text, said at the line an editor shows.

libyaml counts NEL, LS and PS as line breaks (YAML 1.1) where editors do not, words
its errors for programmers, and overflows the C stack on deep nesting: this module
turns its lines into an editor's, finds the invisible breaks that changed what a text
means, and words syntax errors, refused characters, aliases and deep nesting for the
author of a goal file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

import yaml

from okrsite.diagnostics import Diagnostic, printable
from okrsite.limits import MAX_DEPTH

try:  # libyaml is the fast path; the pure-Python loader behaves the same, slower.
    Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    Parser = yaml.SafeLoader


# The line breaks of YAML 1.1 that no editor shows as one: NEL, LS and PS. libyaml
# counts them in its line numbers, and a plain text or a comment ends at them.
_HIDDEN_BREAKS = re.compile("[\x85\u2028\u2029]")
_HIDDEN_NAMES = {
    "\x85": "next-line character (U+0085)",
    "\u2028": "line separator (U+2028)",
    "\u2029": "paragraph separator (U+2029)",
}
# Every line break to libyaml; an editor's are the same without the hidden ones.
# A lone '\r' is one to both (and to most editors), '\r\n' is one.
_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class EditorLines:
    """libyaml's line numbers turned into the lines an editor shows.

    They differ only where the text holds NEL, LS or PS, which libyaml counts as line
    breaks (YAML 1.1) and editors do not: a LS in a quoted title put every error
    below it lines too far. Every editor line break is a libyaml one, so each libyaml
    line lies within one editor line, and a table of libyaml lines says which.
    """

    def __init__(self, text: str):
        self.table: list[int] | None = None
        self.at: Callable[[int], int] = same_line
        if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
            # Every goal file but a hostile one: no table, no per-line work. (Three
            # searches, not a regex: much faster, as a text without characters past
            # U+00FF is not even looked at for the last two.)
            return
        table = [1]
        line = 1
        for match in _YAML_BREAKS.finditer(text):
            if match.group() not in _HIDDEN_NAMES:
                line += 1
            table.append(line)
        self.table = table
        last = len(table)
        self.at = lambda line: table[min(line, last) - 1]


def same_line(line: int) -> int:
    return line


def _line_at(text: str, index: int) -> int:
    """The editor line (from 1) of the character at ``index``."""
    before = text[:index]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def hidden_break(text: str, before: int) -> int | None:
    """Where the first NEL, LS or PS before ``before`` acts as a line break that an
    editor does not show, with text after it on the editor's line; or None.

    It does in a block (a plain text or a comment cut in two: 'title: a<LS>b: c' is
    two keys, '# note<LS>key: x' a key), and where it ends a comment in a flow
    collection. It does not inside a quoted or plain text that goes on after it (it is
    part of the text, as YAML reads it), between the items of a flow collection (a
    space there), nor before the end of its line (an empty line).
    """
    # The breaks with text after them on their line, each run of blanks and breaks
    # looked at once (a line of 100,000 of them is no slower than one).
    candidates: list[int] = []
    run_end, run_has_text = -1, False
    for match in _HIDDEN_BREAKS.finditer(text, 0, before):
        pos = match.start()
        if pos >= run_end:
            blank = _BLANKS.match(text, pos + 1)
            run_end = blank.end() if blank else pos + 1
            run_has_text = run_end < len(text) and text[run_end] not in "\r\n"
        if run_has_text:
            candidates.append(pos)
    if not candidates:
        return None
    tokens = _Tokens(text, candidates[-1])
    # libyaml's line starts: a comment ends at the first break, whichever it is.
    line_starts = [m.end() for m in _YAML_BREAKS.finditer(text, 0, candidates[-1])]
    for pos in candidates:
        i = bisect.bisect_left(tokens.scalar_starts, pos) - 1
        if i >= 0 and tokens.scalar_ends[i] > pos + 1:
            continue  # inside a text that goes on after it
        i = bisect.bisect_left(tokens.flow_at, pos) - 1
        if i < 0 or tokens.flow_depth[i] == 0:
            return pos  # in a block
        # In a flow collection: only whitespace and a comment lie between tokens.
        i = bisect.bisect_left(tokens.starts, pos) - 1
        after_token = tokens.ends[i] if i >= 0 else 0
        i = bisect.bisect_right(line_starts, pos) - 1
        line_start = line_starts[i] if i >= 0 else 0
        if text.find("#", max(after_token, line_start), pos) != -1:
            return pos
    return None


class _Tokens:
    """Where libyaml's tokens lie, up to the one starting after ``last``: the spans of
    the scalars, of all tokens (the furthest end so far), and the flow depth."""

    def __init__(self, text: str, last: int):
        self.scalar_starts: list[int] = []
        self.scalar_ends: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.flow_at: list[int] = []  # where the flow depth changes, and to what
        self.flow_depth: list[int] = []
        depth, furthest = 0, 0
        try:
            for token in yaml.scan(text, Loader=Parser):
                start, end = token.start_mark.index, token.end_mark.index
                if start > last:
                    break
                kind = type(token)
                if kind is yaml.ScalarToken:
                    self.scalar_starts.append(start)
                    self.scalar_ends.append(end)
                elif kind in _FLOW_STARTS or kind in _FLOW_ENDS:
                    depth += 1 if kind in _FLOW_STARTS else -1
                    self.flow_at.append(start)
                    self.flow_depth.append(depth)
                furthest = max(furthest, end)
                self.starts.append(start)
                self.ends.append(furthest)
        except yaml.YAMLError:
            pass  # the tokens before the error are enough: the breaks judged are before it


_FLOW_STARTS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_ENDS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
_BLANKS = re.compile("[ \t\x85\u2028\u2029]*")


_QUOTES = ("'", '"', "|", ">", "")  # how a token starts that may hold a line break


def hidden_break_error(text: str, path: str, pos: int) -> Diagnostic:
    name = _HIDDEN_NAMES[text[pos]]
    return Diagnostic(
        path,
        _line_at(text, pos),
        f"YAML syntax error: this line holds an invisible {name}, which YAML reads as a "
        "line break: remove it (or quote the text that holds it)",
    )


# What ends a quoted text: '"' not after a backslash; "'" not doubled ("''" is one ').
_CLOSING = {'"': re.compile(r'(?<!\\)"'), "'": re.compile(r"'(?!')")}


def _closes(text: str, opened: int) -> bool:
    """Whether the quote at ``opened`` is closed later in ``text`` (then the scanner
    stopped for another reason: a key without its colon, say)."""
    rest = text[opened + 1 :]
    if text[opened] == "'":
        rest = rest.replace("''", "")
    return _CLOSING[text[opened]].search(rest) is not None


def syntax_error(text: str, path: str, exc: yaml.MarkedYAMLError, lines: EditorLines) -> Diagnostic:
    """A syntax error at its editor line, in one line of text."""
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if lines.table is not None:
        # An invisible break before the error is the likely cause (a title or a
        # comment cut in two): name it, at its own line. The scanner hands out no
        # token from where it stopped (a pending key: the context mark) on, so only
        # the breaks before can be judged; a parser's context mark is only the start
        # of the enclosing block, its problem mark the token it stopped at.
        started = exc.context_mark
        if isinstance(exc, yaml.scanner.ScannerError):
            before = min((m.index for m in marks), default=len(text))
            plain_token = started and text[started.index : started.index + 1] not in _QUOTES
            if plain_token and exc.problem_mark:
                # Unless the token is a plain key, an anchor or a tag, which no line
                # break may be inside: one there cut it ('ke<LS>y: x').
                before = exc.problem_mark.index
        else:
            before = exc.problem_mark.index + 1 if exc.problem_mark else len(text)
        if (hidden := hidden_break(text, before)) is not None:
            return hidden_break_error(text, path, hidden)
    opened = exc.context_mark
    if (
        isinstance(exc, yaml.scanner.ScannerError)
        and opened is not None
        and exc.problem_mark is not None
        and text[opened.index : opened.index + 1] in ("'", '"')
        and not text[exc.problem_mark.index :].strip()
        and not _closes(text, opened.index)
    ):
        # A quoted text the scanner read to the end of the file: the line to fix is
        # where the quote opens, not the file's last.
        return Diagnostic(
            path,
            lines.at(opened.line + 1),
            "YAML syntax error: the quote that opens on this line is never closed: close "
            f"it with {text[opened.index]}, or write the text without quotes",
        )
    mark = exc.problem_mark or exc.context_mark
    # At the end of the text libyaml counts one line more than there is, when the
    # last line has no line break: keep to the lines the file has.
    line = min(lines.at(mark.line + 1), _line_at(text, len(text))) if mark else 1
    # PyYAML's phrases are short and one line, but the pure-Python scanner quotes the
    # character it stopped at: keep whatever they hold on one printable line.
    problem = printable(exc.problem or "cannot parse")
    context = f" {printable(exc.context)}" if exc.context else ""
    # libyaml often names no character ("found character that cannot start any
    # token"): the one it stopped at tells a tab from other stray characters.
    index = mark.index if mark else -1
    hint = _syntax_hint(problem, text[index : index + 1] if index >= 0 else "")
    return Diagnostic(path, line, f"YAML syntax error: {problem}{context}{hint}")


# What YAML 1.1 allows in a file: tab, the line breaks, and printable characters;
# NEL, and everything from U+00A0 but surrogates, U+FFFE and U+FFFF.
_REFUSED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHARACTER_NAMES = {
    "\x00": "a NUL character",
    "\x07": "a bell character",
    "\x08": "a backspace character",
    "\x0b": "a vertical tab",
    "\x0c": "a form feed",
    "\x1b": "an escape character",
    "\x7f": "a delete character",
    "\ufffe": "a noncharacter",
    "\uffff": "a noncharacter",
}


def refused_character(text: str, path: str) -> Diagnostic:
    """The first character YAML does not allow, named, at its editor line."""
    match = _REFUSED.search(text)
    if match is None:  # pragma: no cover - the reader refuses exactly these
        return Diagnostic(
            path,
            1,
            "YAML syntax error: the file holds a character YAML does not allow "
            "(a control character): remove it",
        )
    char = match.group()
    code = ord(char)
    name = _CHARACTER_NAMES.get(char, "a control character")
    return Diagnostic(
        path,
        _line_at(text, match.start()),
        f"YAML syntax error: this line holds {name} (U+{code:04X}), which "
        "YAML does not allow: remove it",
    )


ALIAS_MESSAGE = (
    "YAML aliases (*name) are not allowed in goal files: they can expand into huge "
    "documents; write the value out in full"
)


def alias_lines(text: str, at: Callable[[int], int]) -> list[int]:
    """The editor lines that hold an alias, each once, in order."""
    lines: dict[int, None] = {}
    for event in yaml.parse(text, Loader=Parser):
        # Every event of a parse carries its marks (the stubs allow None).
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            lines[at(int(event.start_mark.line) + 1)] = None
    return list(lines)


_MAX_DEPTH = MAX_DEPTH  # goal files nest 6 levels (objectives, key results, check-ins)
CHEAP_DEPTH = 10_000  # the composer overflowed past 20,000 levels, not at 20,000


def nesting_bound(text: str) -> int:
    """An upper bound on how deep ``text`` nests, cheap to compute. Each flow level
    needs its own '[' or '{'; each block level starts at least half a column further
    right than its parent (a list may sit at its key's column), so within the longest
    line."""
    longest = max(map(len, text.splitlines()), default=0)
    return text.count("[") + text.count("{") + 2 * (longest + 1)


def too_deep(text: str) -> int | None:
    """The (libyaml) line where ``text`` nests deeper than ``_MAX_DEPTH``, if it does.
    Reads libyaml's events, which it produces with a stack of its own, not recursion."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Parser):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    mark = event.start_mark  # always set by a parse (the stubs allow None)
                    return int(mark.line) + 1 if mark is not None else 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: the composer reports it, with its line
    return None


def flow_too_deep(text: str) -> int | None:
    """The line where brackets ('[', '{') open deeper than ``_MAX_DEPTH``, if they do.

    For a text libyaml refused: newer libyaml stops deep flow nesting in its scanner,
    before the parser hands out the events :func:`too_deep` counts. A rough count
    (quoted text skipped, comments not) is enough to name the problem and its line.
    """
    depth = 0
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return _line_at(text, index)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


def deep_nesting(path: str, line: int) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        f"lists and mappings nested more than {_MAX_DEPTH} levels deep: a goal file "
        "needs six at most (objectives, key results, check-ins); look for a '[' or "
        "'{' that is never closed",
    )


def _syntax_hint(problem: str, char: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (a value holding ': ' must be quoted, e.g. title: \"Ratio: 3 to 1\")"
    if char == "\t" or "found character '\\t'" in problem or "tab" in problem:
        return " (indent with spaces, not tabs)"
    if "found undefined alias" in problem or "anchor" in problem:
        return " (aliases are not allowed in goal files)"
    return ""
