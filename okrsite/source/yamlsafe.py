"""Strict YAML reading: line numbers for every key, no aliases, no duplicate keys.

PyYAML's ``safe_load`` expands aliases (an "alias bomb" of a few hundred bytes can
take gigabytes) and silently keeps the last of two equal keys. We compose the node
tree with libyaml (``CSafeLoader``, ~8x faster than the pure-Python loader) and walk
it ourselves, so both are refused before any value is built.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

import yaml

from okrsite.diagnostics import Diagnostic, printable, show
from okrsite.limits import MAX_DEPTH
from okrsite.source import yamlfast
from okrsite.source.yamlfast import Loc
from okrsite.source.yamlscalars import (
    CONSTRUCT,
    IMPLICIT,
    MERGE,
    STR,
    as_written,
    may_hold_anchor,
    plain,
    typed,
)

_PLAIN = "okrsite:plain"  # a plain scalar whose tag is not resolved yet

try:  # libyaml is the fast path; the pure-Python loader behaves the same, slower.
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

_TAG_OF_KIND = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _BaseLoader(_Parser):  # type: ignore[misc, valid-type]
    """The safe loader, with tag resolution of plain scalars left to the walker.

    libyaml's composer calls back into Python for the tag of every scalar (a goal
    folder has over a million), and PyYAML's ``resolve`` tries regular expressions
    and path resolvers each time: 1.3 s of a 4 s compose at 10,000 goals. Half of
    those scalars are mapping keys, which the walker keeps as text anyway, so here a
    plain scalar is only marked as plain; :func:`implicit_tag` resolves the values
    from the same table, keyed by the first character as PyYAML keys it.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else STR
        return _TAG_OF_KIND[kind]


class YamlDoc:
    """A parsed YAML document and the line of every key and list item in it."""

    def __init__(self, data: Any, lines: dict[Loc, int]):
        self.data = data
        self.lines = lines

    def line(self, loc: Loc) -> int:
        """The line of ``loc``, or of its nearest located ancestor."""
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def parse(text: str, path: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document; return it (None if empty or broken) and its errors."""
    # Goal files in their everyday shape are read line by line, 3x faster than
    # libyaml's nodes; anything else, errors included, goes through libyaml.
    fast = yamlfast.read(text)
    if fast is not None:
        return YamlDoc(*fast), []
    return parse_with_libyaml(text, path)


def parse_with_libyaml(text: str, path: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """:func:`parse` for any text: libyaml composes the nodes, and the walker turns
    them into values, refusing aliases, merge keys and duplicate keys."""
    # libyaml's lines are not an editor's where the text holds NEL, LS or PS: every
    # line below goes through `at` (the identity for all other texts).
    lines = _EditorLines(text)
    at = lines.at
    # libyaml's composer recurses once per nesting level and overflows the C stack
    # (a segfault, no exception) somewhere past 20,000 levels: check such texts first.
    if _nesting_bound(text) > _CHEAP_DEPTH and (line := _too_deep(text)) is not None:
        return None, [_deep_nesting(path, at(line))]
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml (PyYAML 6.0.4) refuses deep nesting itself, in words of its
        # own: say it in ours, with the limit, whatever the version.
        if (deep := _too_deep(text)) is not None:
            return None, [_deep_nesting(path, at(deep))]
        if (deep := _flow_too_deep(text)) is not None:
            return None, [_deep_nesting(path, deep)]
        return None, [_syntax_error(text, path, exc, lines)]
    except yaml.reader.ReaderError:
        # A character YAML refuses. PyYAML words it over two lines, with a position
        # that libyaml counts in bytes: name the character and its line ourselves.
        return None, [_refused_character(text, path)]
    except yaml.YAMLError:  # pragma: no cover - every other error carries a mark
        return None, [Diagnostic(path, 1, "YAML syntax error: the file cannot be read")]
    finally:
        loader.dispose()
    if lines.table is not None and (hidden := _hidden_break(text, len(text))) is not None:
        # Read without an error, but an invisible break made a line of its own: a
        # key in a comment, a list item on a line that shows one. Not what was shown.
        return None, [_hidden_break_error(text, path, hidden)]
    if node is None:
        return None, []
    # An alias ('*name') needs an anchor ('&name') or the composer refuses it: a text
    # with no anchor has no alias, and the walker can skip remembering every node it
    # has seen. ('*' alone says little: Markdown bold is everywhere.)
    walker = _Walker(loader, path, aliases_possible=may_hold_anchor(text), at=at)
    walker.lines[()] = node.start_mark.line + 1
    try:
        data = walker.convert(node, ())
    except RecursionError:  # our walk recurses too: a few hundred levels at most
        return None, [_deep_nesting(path, at(_too_deep(text) or 1))]
    diagnostics = walker.diagnostics
    if walker.aliases_found:
        # The composer hands the walker the anchored node, not the alias: take the
        # aliases' own lines from the event stream, once a line (a bomb has dozens).
        diagnostics = [d for d in diagnostics if d.message != _ALIAS_MESSAGE] + [
            Diagnostic(path, line, _ALIAS_MESSAGE) for line in _alias_lines(text, at)
        ]
        diagnostics.sort(key=lambda d: d.line)
    doc_lines = walker.lines
    if lines.table is not None:  # the walker kept libyaml's lines: the editor's now
        doc_lines = {loc: at(line) for loc, line in doc_lines.items()}
    return YamlDoc(data, doc_lines), diagnostics


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


class _EditorLines:
    """libyaml's line numbers turned into the lines an editor shows.

    They differ only where the text holds NEL, LS or PS, which libyaml counts as line
    breaks (YAML 1.1) and editors do not: a LS in a quoted title put every error
    below it lines too far. Every editor line break is a libyaml one, so each libyaml
    line lies within one editor line, and a table of libyaml lines says which.
    """

    def __init__(self, text: str):
        self.table: list[int] | None = None
        self.at: Callable[[int], int] = _same_line
        if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
            # Every goal file but a hostile one: no table, no per-line work. (Three
            # searches, not a regex: 50x faster, as a text without characters past
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


def _same_line(line: int) -> int:
    return line


def _line_at(text: str, index: int) -> int:
    """The editor line (from 1) of the character at ``index``."""
    before = text[:index]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _hidden_break(text: str, before: int) -> int | None:
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
            for token in yaml.scan(text, Loader=_Parser):
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


def _hidden_break_error(text: str, path: str, pos: int) -> Diagnostic:
    name = _HIDDEN_NAMES[text[pos]]
    return Diagnostic(
        path,
        _line_at(text, pos),
        f"YAML syntax error: this line holds an invisible {name}, which YAML reads as a "
        "line break: remove it (or quote the text that holds it)",
    )


def _syntax_error(
    text: str, path: str, exc: yaml.MarkedYAMLError, lines: _EditorLines
) -> Diagnostic:
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
        if (hidden := _hidden_break(text, before)) is not None:
            return _hidden_break_error(text, path, hidden)
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


def _refused_character(text: str, path: str) -> Diagnostic:
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


_ALIAS_MESSAGE = (
    "YAML aliases (*name) are not allowed in goal files: they can expand into huge "
    "documents; write the value out in full"
)


def _alias_lines(text: str, at: Callable[[int], int]) -> list[int]:
    """The editor lines that hold an alias, each once, in order."""
    lines: dict[int, None] = {}
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, yaml.AliasEvent):
            lines[at(int(event.start_mark.line) + 1)] = None
    return list(lines)


_MAX_DEPTH = MAX_DEPTH  # goal files nest 6 levels (objectives, key results, check-ins)
_CHEAP_DEPTH = 10_000  # the composer overflowed past 20,000 levels, not at 20,000


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep ``text`` nests, cheap to compute. Each flow level
    needs its own '[' or '{'; each block level starts at least half a column further
    right than its parent (a list may sit at its key's column), so within the longest
    line."""
    longest = max(map(len, text.splitlines()), default=0)
    return text.count("[") + text.count("{") + 2 * (longest + 1)


def _too_deep(text: str) -> int | None:
    """The (libyaml) line where ``text`` nests deeper than ``_MAX_DEPTH``, if it does.
    Reads libyaml's events, which it produces with a stack of its own, not recursion."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    return int(event.start_mark.line) + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: the composer reports it, with its line
    return None


def _flow_too_deep(text: str) -> int | None:
    """The line where brackets ('[', '{') open deeper than ``_MAX_DEPTH``, if they do.

    For a text libyaml refused: newer libyaml stops deep flow nesting in its scanner,
    before the parser hands out the events :func:`_too_deep` counts. A rough count
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


def _deep_nesting(path: str, line: int) -> Diagnostic:
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


class _Walker:
    """Turns composed nodes into plain values, recording lines and refusing tricks."""

    def __init__(
        self,
        loader: Any,
        path: str,
        aliases_possible: bool = True,
        at: Callable[[int], int] = _same_line,
    ):
        self.loader = loader
        self.path = path
        # libyaml's lines are kept (1-based) and turned into the editor's once, at the
        # end; `at` does that for the lines of the rare diagnostics, as they are made.
        self.at = at
        self.lines: dict[Loc, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self.aliases_possible = aliases_possible
        self.seen: set[int] = set()
        self.aliases_found = False

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        if self.aliases_possible and self._seen_before(node, loc):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            # Lines are kept for list items and mapping keys (set in _mapping): every
            # value sits at one of those, and this runs for every node of every file.
            lines = self.lines
            out = []
            for i, item in enumerate(node.value):
                item_loc = (*loc, i)
                lines[item_loc] = item.start_mark.line + 1
                out.append(self.convert(item, item_loc))
            return out
        return self._scalar(node)

    def _seen_before(self, node: yaml.Node, loc: Loc) -> bool:
        """Report an alias: the composer hands out the anchored node again for every
        alias, so seeing a node twice means one. Stop before anything is expanded."""
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return False
        # The alias itself has no node of its own: name the key that holds it.
        line = self.lines.get(loc, node.start_mark.line + 1)
        self.diagnostics.append(Diagnostic(self.path, self.at(line), _ALIAS_MESSAGE))
        self.aliases_found = True
        return True

    def _scalar(self, node: yaml.Node) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            if text[:1] not in IMPLICIT:
                return text  # most titles: no implicit type starts with their letter
            tag, value = plain(text)
            if value is not CONSTRUCT:
                return value
            node.tag = tag
        else:
            value = typed(tag, text)  # quoted, or tagged explicitly (!!int '7')
            if value is not CONSTRUCT:
                return value
        try:
            value = self.loader.construct_object(node, deep=True)
            # 0755, 0x1f, 1_000, 12:30: numbers to YAML 1.1, kept as written for text.
            return as_written(value, text)
        except Exception:
            # PyYAML's constructors raise all sorts on a bad explicitly tagged value
            # ('!!bool maybe' a KeyError, '!!timestamp x' an AttributeError): keep
            # the text, and validation names the key and the value.
            return text

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        # A flow mapping over several lines ('{id: x,' and 'target: 3}' below) needs
        # its keys' lines: only a one-line one (every check-in) takes the fast path.
        if (
            node.flow_style
            and not self.aliases_possible
            and node.start_mark.line == node.end_mark.line
        ):
            flat = self._flow_mapping(node)
            if flat is not None:
                return flat
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if self.aliases_possible and self._seen_before(key_node, loc):
                continue  # an alias as a key ('*x : 1'), or a key anchored and reused
            line = key_node.start_mark.line + 1
            if _is_merge(key_node):
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        self.at(line),
                        "YAML merge keys (<<) are not allowed; write the keys out in full",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(
                    Diagnostic(
                        self.path, self.at(line), "a key must be plain text, not a list or mapping"
                    )
                )
                continue
            key = key_node.value  # keys are names: keep their text, never a bool/int
            if key in result:
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        self.at(line),
                        f"duplicate key {show(key)} (first at line {self.at(first_line[key])}); "
                        "YAML would silently keep only the last one: remove or merge one",
                    )
                )
                continue
            first_line[key] = line
            self.lines[(*loc, key)] = line
            result[key] = self.convert(value_node, (*loc, key))
        return result

    def _flow_mapping(self, node: yaml.MappingNode) -> dict[Any, Any] | None:
        """A one-line ``{date: ..., value: ...}`` of plain scalars, the shape of every
        check-in, built without per-key bookkeeping (its keys share the item's line).
        Only for texts without anchors (so without aliases); None when anything needs
        the careful path: a nested value, a repeated key or a merge key."""
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if (
                type(key_node) is not yaml.ScalarNode
                or type(value_node) is not yaml.ScalarNode
                or _is_merge(key_node)
                or key_node.value in out
            ):
                return None
            out[key_node.value] = self._scalar(value_node)
        return out


def _is_merge(key_node: yaml.Node) -> bool:
    """A merge key: a plain '<<' (a quoted one is an ordinary key), or any key tagged
    '!!merge', as PyYAML merges on the tag alone."""
    return key_node.tag == MERGE or (key_node.tag == _PLAIN and key_node.value == "<<")
