"""Strict YAML reading: line numbers for every key, no aliases, no duplicate keys.

PyYAML's ``safe_load`` expands aliases (an "alias bomb" of a few hundred bytes can
take gigabytes) and silently keeps the last of two equal keys. We compose the node
tree with libyaml (``CSafeLoader``, ~8x faster than the pure-Python loader) and walk
it ourselves, so both are refused before any value is built.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import yaml

from .diagnostics import Diagnostic, show

_STR = "tag:yaml.org,2002:str"
_PLAIN = "okrsite:plain"  # a plain scalar whose tag is not resolved yet

try:  # libyaml is the fast path; the pure-Python loader behaves the same, slower.
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
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
    plain scalar is only marked as plain; :func:`_implicit_tag` resolves the values
    from the same table, keyed by the first character as PyYAML keys it.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _TAG_OF_KIND[kind]


def _implicit_tag(text: str) -> str:
    """The tag PyYAML's safe loader gives the plain (unquoted) scalar ``text``."""
    for tag, regexp in _IMPLICIT.get(text[:1] or "", ()):
        if regexp.match(text):
            return tag
    return _STR


Loc = tuple[Any, ...]
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_BOOLS = yaml.constructor.SafeConstructor.bool_values
# \Z, not $: '$' also matches before a final newline ('!!timestamp "2026-01-02\n"').
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\Z")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_PLAIN_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


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
    # libyaml's composer recurses once per nesting level and overflows the C stack
    # (a segfault, no exception) somewhere past 20,000 levels: check such texts first.
    if _nesting_bound(text) > _CHEAP_DEPTH and (line := _too_deep(text)) is not None:
        return None, [_deep_nesting(path, line)]
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "cannot parse"
        context = f" {exc.context}" if exc.context else ""
        hint = _syntax_hint(problem)
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
    walker = _Walker(loader, path, aliases_possible=_may_hold_anchor(text))
    walker.lines[()] = node.start_mark.line + 1
    try:
        data = walker.convert(node, ())
    except RecursionError:  # our walk recurses too: a few hundred levels at most
        return None, [_deep_nesting(path, _too_deep(text) or 1)]
    return YamlDoc(data, walker.lines), walker.diagnostics


_MAX_DEPTH = 100  # goal files nest 6 levels (objectives, key results, check-ins)
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


def _deep_nesting(path: str, line: int) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        f"lists and mappings nested more than {_MAX_DEPTH} levels deep: a goal file "
        "needs six at most (objectives, key results, check-ins); look for a '[' or "
        "'{' that is never closed",
    )


_CONSTRUCT: Any = object()  # "leave this one to PyYAML's constructor"


def _typed(tag: str, text: str) -> Any:
    """The common scalars directly: PyYAML's generic constructor costs several
    Python calls per value, and a goal folder has hundreds of thousands of them."""
    if tag == _STR:
        return text
    if tag == _INT and _PLAIN_INT.match(text):
        return int(text)
    if tag == _FLOAT and _PLAIN_FLOAT.match(text):
        return float(text)
    if tag == _NULL:
        return None
    if tag == _BOOL and text.lower() in _BOOLS:
        return _BOOLS[text.lower()]
    if tag == _TIMESTAMP and _PLAIN_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text  # e.g. 2026-13-40: keep the text so validation names it
    return _CONSTRUCT


@functools.lru_cache(maxsize=8192)
def _plain(text: str) -> tuple[str, Any]:
    """Tag and value of a plain scalar. Cached: check-ins repeat the same dates,
    confidences and values thousands of times, and each costs up to three regular
    expressions to resolve. The values are immutable (str, int, float, date), so
    sharing one between documents is safe; anything else is constructed each time."""
    tag = _implicit_tag(text)
    return tag, _typed(tag, text)


def _may_hold_anchor(text: str) -> bool:
    """Whether ``text`` may define an anchor ('&name' where a node can start). Wider
    than YAML's rule on purpose, as a false yes only costs time; 'R & D' and 'Q&A'
    are no anchors."""
    at = text.find("&")  # a plain search: most goal files have no '&' at all
    while at != -1:
        # A node starts after a space, a line break of any kind (libyaml knows five),
        # a BOM, a flow indicator...: never after a letter or digit, which is all this
        # rules out. An anchor's name follows at once.
        if not (at and text[at - 1].isalnum()) and text[at + 1 : at + 2] not in _NO_NAME:
            return True
        at = text.find("&", at + 1)
    return False


_NO_NAME = frozenset(["", " ", "\t", "\r", "\n", ",", "[", "]", "{", "}"])


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (a value holding ': ' must be quoted, e.g. title: \"Ratio: 3 to 1\")"
    if "found character '\\t'" in problem or "tab" in problem:
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
        self.diagnostics.append(
            Diagnostic(
                self.path,
                line,
                "YAML aliases (*name) are not allowed in goal files: they can expand "
                "into huge documents; write the value out in full",
            )
        )
        return True

    def _scalar(self, node: yaml.Node) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            if text[:1] not in _IMPLICIT:
                return text  # most titles: no implicit type starts with their letter
            tag, value = _plain(text)
            if value is not _CONSTRUCT:
                return value
            node.tag = tag
        else:
            value = _typed(tag, text)  # quoted, or tagged explicitly (!!int '7')
            if value is not _CONSTRUCT:
                return value
        try:
            return self.loader.construct_object(node, deep=True)
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
    return key_node.tag == _MERGE or (key_node.tag == _PLAIN and key_node.value == "<<")
