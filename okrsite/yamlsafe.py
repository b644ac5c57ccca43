"""Strict YAML reading: line numbers for every key, no aliases, no duplicate keys.

PyYAML's ``safe_load`` expands aliases (an "alias bomb" of a few hundred bytes can
take gigabytes) and silently keeps the last of two equal keys. We compose the node
tree with libyaml (``CSafeLoader``, ~8x faster than the pure-Python loader) and walk
it ourselves, so both are refused before any value is built.
"""

from __future__ import annotations

from typing import Any

import yaml

from . import yamlfast
from .diagnostics import Diagnostic, show
from .limits import MAX_DEPTH
from .yamlfast import Loc
from .yamlscalars import (
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
    # libyaml's composer recurses once per nesting level and overflows the C stack
    # (a segfault, no exception) somewhere past 20,000 levels: check such texts first.
    if _nesting_bound(text) > _CHEAP_DEPTH and (line := _too_deep(text)) is not None:
        return None, [_deep_nesting(path, line)]
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml (PyYAML 6.0.4) refuses deep nesting itself, in words of its
        # own: say it in ours, with the limit, whatever the version.
        if (deep := _too_deep(text) or _flow_too_deep(text)) is not None:
            return None, [_deep_nesting(path, deep)]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "cannot parse"
        context = f" {exc.context}" if exc.context else ""
        # libyaml often names no character ("found character that cannot start any
        # token"): the one it stopped at tells a tab from other stray characters.
        at = mark.index if mark else -1
        hint = _syntax_hint(problem, text[at : at + 1] if at >= 0 else "")
        return None, [Diagnostic(path, line, f"YAML syntax error: {problem}{context}{hint}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return None, []
    # An alias ('*name') needs an anchor ('&name') or the composer refuses it: a text
    # with no anchor has no alias, and the walker can skip remembering every node it
    # has seen. ('*' alone says little: Markdown bold is everywhere.)
    walker = _Walker(loader, path, aliases_possible=may_hold_anchor(text))
    walker.lines[()] = node.start_mark.line + 1
    try:
        data = walker.convert(node, ())
    except RecursionError:  # our walk recurses too: a few hundred levels at most
        return None, [_deep_nesting(path, _too_deep(text) or 1)]
    diagnostics = walker.diagnostics
    if walker.aliases_found:
        # The composer hands the walker the anchored node, not the alias: take the
        # aliases' own lines from the event stream, once a line (a bomb has dozens).
        lines = _alias_lines(text)
        diagnostics = [d for d in diagnostics if d.message != _ALIAS_MESSAGE] + [
            Diagnostic(path, line, _ALIAS_MESSAGE) for line in lines
        ]
        diagnostics.sort(key=lambda d: d.line)
    return YamlDoc(data, walker.lines), diagnostics


_ALIAS_MESSAGE = (
    "YAML aliases (*name) are not allowed in goal files: they can expand into huge "
    "documents; write the value out in full"
)


def _alias_lines(text: str) -> list[int]:
    """The lines that hold an alias, each once, in order."""
    lines: dict[int, None] = {}
    for event in yaml.parse(text, Loader=_Parser):
        if isinstance(event, yaml.AliasEvent):
            lines[int(event.start_mark.line) + 1] = None
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
    """The line where ``text`` nests deeper than ``_MAX_DEPTH``, if it does. Reads
    libyaml's events, which it produces with a stack of its own, not recursion."""
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
    line = 1
    quote = ""
    for char in text:
        if char == "\n":
            line += 1
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return line
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

    def __init__(self, loader: Any, path: str, aliases_possible: bool = True):
        self.loader = loader
        self.path = path
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
        self.diagnostics.append(Diagnostic(self.path, line, _ALIAS_MESSAGE))
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
        if node.flow_style and not self.aliases_possible:
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
                        line,
                        "YAML merge keys (<<) are not allowed; write the keys out in full",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(
                    Diagnostic(self.path, line, "a key must be plain text, not a list or mapping")
                )
                continue
            key = key_node.value  # keys are names: keep their text, never a bool/int
            if key in result:
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        line,
                        f"duplicate key {show(key)} (first at line {first_line[key]}); "
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
