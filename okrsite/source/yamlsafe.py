"""Strict YAML reading: line numbers for every key, no aliases, no duplicate keys.

PyYAML's ``safe_load`` expands aliases (an "alias bomb" of a few hundred bytes can
take gigabytes) and silently keeps the last of two equal keys. We compose the node
tree with libyaml (``CSafeLoader``, much faster than the pure-Python loader) and walk
it ourselves, so both are refused before any value is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from okrsite.diagnostics import Diagnostic, show
from okrsite.source import yamlfast
from okrsite.source.yamlerrors import (
    ALIAS_MESSAGE,
    CHEAP_DEPTH,
    EditorLines,
    Parser,
    alias_lines,
    deep_nesting,
    flow_too_deep,
    hidden_break,
    hidden_break_error,
    nesting_bound,
    refused_character,
    same_line,
    syntax_error,
    too_deep,
)
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

_TAG_OF_KIND: dict[type, str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _BaseLoader(Parser):
    """The safe loader, with tag resolution of plain scalars left to the walker.

    libyaml's composer calls back into Python for the tag of every scalar (a goal
    folder has over a million), and PyYAML's ``resolve`` tries regular expressions
    and path resolvers each time: a large share of the compose. Half of
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
    # Goal files in their everyday shape are read line by line, several times faster
    # than libyaml's nodes; anything else, errors included, goes through libyaml.
    fast = yamlfast.read(text)
    if fast is not None:
        return YamlDoc(*fast), []
    return parse_with_libyaml(text, path)


def parse_with_libyaml(text: str, path: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """:func:`parse` for any text: libyaml composes the nodes, and the walker turns
    them into values, refusing aliases, merge keys and duplicate keys."""
    # libyaml's lines are not an editor's where the text holds NEL, LS or PS: every
    # line below goes through `at` (the identity for all other texts).
    lines = EditorLines(text)
    at = lines.at
    # libyaml's composer recurses once per nesting level and overflows the C stack
    # (a segfault, no exception) somewhere past 20,000 levels: check such texts first.
    if nesting_bound(text) > CHEAP_DEPTH and (line := too_deep(text)) is not None:
        return None, [deep_nesting(path, at(line))]
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml (PyYAML 6.0.4) refuses deep nesting itself, in words of its
        # own: say it in ours, with the limit, whatever the version.
        if (deep := too_deep(text)) is not None:
            return None, [deep_nesting(path, at(deep))]
        if (deep := flow_too_deep(text)) is not None:
            return None, [deep_nesting(path, deep)]
        return None, [syntax_error(text, path, exc, lines)]
    except yaml.reader.ReaderError:
        # A character YAML refuses. PyYAML words it over two lines, with a position
        # that libyaml counts in bytes: name the character and its line ourselves.
        return None, [refused_character(text, path)]
    except yaml.YAMLError:  # pragma: no cover - every other error carries a mark
        return None, [Diagnostic(path, 1, "YAML syntax error: the file cannot be read")]
    finally:
        loader.dispose()
    if lines.table is not None and (hidden := hidden_break(text, len(text))) is not None:
        # Read without an error, but an invisible break made a line of its own: a
        # key in a comment, a list item on a line that shows one. Not what was shown.
        return None, [hidden_break_error(text, path, hidden)]
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
        return None, [deep_nesting(path, at(too_deep(text) or 1))]
    diagnostics = walker.diagnostics
    if walker.aliases_found:
        # The composer hands the walker the anchored node, not the alias: take the
        # aliases' own lines from the event stream, once a line (a bomb has dozens).
        diagnostics = [d for d in diagnostics if d.message != ALIAS_MESSAGE] + [
            Diagnostic(path, line, ALIAS_MESSAGE) for line in alias_lines(text, at)
        ]
        diagnostics.sort(key=lambda d: d.line)
    doc_lines = walker.lines
    if lines.table is not None:  # the walker kept libyaml's lines: the editor's now
        doc_lines = {loc: at(line) for loc, line in doc_lines.items()}
    return YamlDoc(data, doc_lines), diagnostics


class _Walker:
    """Turns composed nodes into plain values, recording lines and refusing tricks."""

    def __init__(
        self,
        loader: Any,
        path: str,
        aliases_possible: bool = True,
        at: Callable[[int], int] = same_line,
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
        self.diagnostics.append(Diagnostic(self.path, self.at(line), ALIAS_MESSAGE))
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
            here = (*loc, key)
            self.lines[here] = line
            result[key] = self.convert(value_node, here)
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
