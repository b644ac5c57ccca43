"""The everyday shape of goal files, read line by line: the same values and lines as
:mod:`okrsite.source.yamlsafe`'s libyaml path, or nothing.

libyaml spends most of a large load building a node and two position marks for each
of a goal folder's million scalars, before a value exists. Goal files use a small,
regular part of YAML: block mappings and lists indented with spaces, one-line plain
or quoted values, one-line ``{date: ..., value: ...}`` check-ins, and ``|``/``>``
descriptions. This reader handles exactly that part and answers ``None`` for
anything else (anchors, tags, flow lists, multi-line plain values, tabs, escapes,
duplicate keys, odd indentation...), and the caller then reads the file with libyaml,
which also explains any error. It never reports a problem itself: when in doubt, it
declines. ``tests/test_yamlfast.py`` holds it to the libyaml path on every goal file
we have and on a few thousand mutations of them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from okrsite.source.yamlscalars import CONSTRUCT, IMPLICIT, may_hold_anchor, plain

Loc = tuple[Any, ...]  # a place in the document: keys and list indexes

# Everything YAML accepts, minus what this reader leaves to libyaml: tabs, carriage
# returns, the other line breaks (NEL, LS, PS) and the byte-order mark.
_OUTSIDE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# A key is a plain name followed by ': ' or by the end of the line. libyaml allows
# 1,024 characters from a key to its ':'; longer ones are left to it to refuse.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,999}):(?: +|\Z)")
# One 'key: value' item of a one-line flow mapping, as check-ins are written. A plain
# value starts and ends with a non-space: never empty ('{b:  }' is a null, left to
# libyaml), and no run of spaces that two parts of a pattern could both match, for
# the regex engine to backtrack over on a line that does not match.
_FLOW_VALUE = r"""[^ ,:#'"{}\[\]](?:[^,:#'"{}\[\]]*[^ ,:#'"{}\[\]])?"""
_FLOW_ITEM = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]{0,999}): +(" + _FLOW_VALUE + r") *\Z")
# A whole one-line flow mapping without quotes or nesting, a comment after it at most.
_FLOW_PLAIN = re.compile(r"\{([^{}\[\]'\"]*)\}(?: *| +#.*)\Z")
# The same, one item at a time, when values may be quoted: the key, then a double-
# quoted value without escapes, a single-quoted one, or a plain one; then ',' or '}'.
_FLOW_PAIR = re.compile(
    r" *([A-Za-z_][A-Za-z0-9_-]{0,999}): +"
    r"""(?:"([^"\\]*)"|'((?:[^']|'')*)'|(""" + _FLOW_VALUE + r")) *([,}])"
)
# Characters that may start something other than a plain scalar: a value starting
# with one is read by its own rule ('-5', quotes, '{', '|', '>') or declined.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BLOCK_HEADER = re.compile(r"([|>])(-?) *(?:#.*)?\Z")


_MAX_OPEN = 50  # goal files nest six levels; deeper ones are left to libyaml's path


class _Decline(Exception):
    """Not the everyday shape: the caller reads the file with libyaml."""


def read(text: str) -> tuple[Any, dict[Loc, int]] | None:
    """The data of ``text`` and the line of every key and list item (as
    :class:`okrsite.source.yamlsafe.YamlDoc` keeps them), or None to have libyaml read it."""
    # Where an anchor may be, libyaml's path keeps the lines of flow-mapping keys too.
    if _OUTSIDE.search(text) or may_hold_anchor(text):
        return None
    try:
        return _read(text.split("\n"))
    except _Decline:
        return None


def _read(src: list[str]) -> tuple[Any, dict[Loc, int]]:
    """The reader proper: one pass over the lines, with a stack of open blocks.

    One loop, with the everyday lines (a key at the column of the key before it, a
    list item, a check-in) handled inline: a goal folder has hundreds of thousands
    of lines, and a function call per line would weigh more than the reading.
    """
    lines: dict[Loc, int] = {}
    # Open blocks, innermost last: (column, the dict or list, its location, is a list).
    stack: list[tuple[int, Any, Loc, bool]] = []
    # The innermost open block: a dict or a list (Any: the loop checks which).
    top_col, top_list = -1, False
    top_obj: Any = None
    top_loc: Loc = ()
    obj: Any  # where a pending value goes, and under which key or index
    slot: Any
    loc: Loc
    # A key or '-' whose value starts on a later line, or is empty: the object, the
    # key or index, its location, its column, and whether a list may sit at that very
    # column (YAML allows it for a mapping's value, not for a list item's).
    pending: tuple[Any, Any, Loc, int, bool] | None = None
    root: Any = None
    key_match = _KEY.match
    at, count = 0, len(src)
    while at < count:
        line = src[at]
        at += 1
        text = line.lstrip(" ")
        if not text or text[0] == "#":
            continue  # blank or comment
        col = len(line) - len(text)
        dash = text[0] == "-" and (len(text) == 1 or text[1] == " ")
        if pending is not None or root is None:
            # No value pending only at the first line: the root (a '---', '...' or '%'
            # line is no key: it declines).
            if pending is None:
                opens, obj, slot, loc = True, None, None, ()
                lines[()] = at
            else:
                obj, slot, loc, pending_col, list_at_col = pending
                pending = None
                opens = col > pending_col or (col == pending_col and dash and list_at_col)
            if opens:
                if len(stack) > _MAX_OPEN:
                    raise _Decline  # absurd nesting
                top_col, top_obj, top_loc, top_list = col, [] if dash else {}, loc, dash
                stack.append((top_col, top_obj, top_loc, top_list))
                if root is None:
                    root = top_obj
                else:
                    obj[slot] = top_obj
                    if type(slot) is int:
                        lines[loc] = at  # a list item starts where its value does
            elif type(slot) is int:
                raise _Decline  # an empty list item: rare, left to libyaml
            else:
                obj[slot] = None  # 'key:' and nothing under it
        if col != top_col or dash is not top_list:
            # Close the blocks that end before this line.
            while stack and (
                stack[-1][0] > col or (stack[-1][3] and stack[-1][0] == col and not dash)
            ):
                stack.pop()
            if not stack or stack[-1][0] != col or stack[-1][3] is not dash:
                raise _Decline  # a value continued on this line, or odd indentation
            top_col, top_obj, top_loc, top_list = stack[-1]
        if dash:
            rest = text[1:].lstrip(" ")
            index = len(top_obj)
            loc = (*top_loc, index)
            top_obj.append(None)
            if not rest or rest[0] == "#":
                pending = (top_obj, index, loc, col, False)
                continue
            lines[loc] = at
            if rest[0] == "{":
                top_obj[index] = _flow_mapping(rest)  # a check-in
                # The check-ins after it, at the same column, in a loop of their own:
                # they are almost half the lines of a goal folder.
                marker = line[: col + 3]
                while at < count and src[at].startswith(marker):
                    index += 1
                    loc = (*top_loc, index)
                    top_obj.append(_flow_mapping(src[at][col + 2 :]))
                    at += 1
                    lines[loc] = at
                continue
            match = key_match(rest)
            if match is None:
                if rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                    raise _Decline  # '- - x': a list right inside a list item
                top_obj[index], at = _value(rest, col, src, at)
                continue
            # '- key: value' opens a mapping at the key's column.
            mapping: dict[str, Any] = {}
            top_obj[index] = mapping
            top_col, top_obj, top_loc, top_list = col + len(text) - len(rest), mapping, loc, False
            stack.append((top_col, top_obj, top_loc, top_list))
            text = rest
        else:
            match = key_match(text)
            if match is None:
                raise _Decline  # a key libyaml must read (quoted, spaced...) or no key
        key = match.group(1)
        if key in top_obj:
            raise _Decline  # a duplicate key: libyaml's path explains it
        loc = (*top_loc, key)
        lines[loc] = at
        rest = text[match.end() :]
        if not rest or rest[0] == "#":
            top_obj[key] = None  # for now: its value may follow on the next lines
            pending = (top_obj, key, loc, top_col, True)
        elif rest[0] not in _INDICATORS and " #" not in rest and ": " not in rest:
            # A plain value without a comment, most values: _plain_value's rules,
            # inline (a call per value shows in the time of a large load).
            rest = rest.rstrip(" ")
            if rest[-1] == ":":
                raise _Decline  # libyaml refuses it ("mapping values are not allowed")
            top_obj[key] = _typed(rest) if rest[0] in IMPLICIT else rest
        else:
            top_obj[key], at = _value(rest, top_col, src, at)
    if root is None or (pending is not None and type(pending[1]) is int):
        raise _Decline  # an empty document or a last empty item: libyaml's path
    return root, lines


def _value(text: str, col: int, src: list[str], at: int) -> tuple[Any, int]:
    """A value that starts on this line, and the index of the line after it: a
    one-line scalar or flow mapping, or a block scalar, whose lines follow."""
    first = text[0]
    if first not in _INDICATORS or _negative(text):
        return _plain_value(text), at  # most values; -5, -x
    if first == "'":
        return _single_quoted(text), at
    if first == '"':
        end = text.find('"', 1)
        if end == -1 or "\\" in text[:end]:
            raise _Decline  # escapes, or a value over several lines
        _after_value(text, end + 1)
        return text[1:end], at
    if first == "{":
        return _flow_mapping(text), at
    if first in "|>":
        return _block_scalar(text, col, src, at)
    raise _Decline  # anchors, aliases, tags, flow lists, reserved characters


def _block_scalar(header: str, col: int, src: list[str], at: int) -> tuple[str, int]:
    """A ``|`` or ``>`` scalar (chomping: ``-`` strips the last line break, nothing
    keeps it) in a block at ``col``, whose lines all sit at one indentation: deeper
    ones fold differently."""
    match = _BLOCK_HEADER.match(header)
    if match is None or at >= len(src):
        raise _Decline  # an indentation indicator, '+' chomping, or no lines
    first = src[at]
    indent = len(first) - len(first.lstrip(" "))
    if indent <= col or not first.strip(" "):
        raise _Decline  # an empty scalar or leading blank lines
    body: list[str] = []
    while at < len(src):
        line = src[at]
        if not line.strip(" "):
            if len(line) > indent:
                raise _Decline  # spaces beyond the indentation are content
            body.append("")
        elif line[:indent].strip(" "):
            break  # less indented: the scalar has ended
        elif line[indent] == " ":
            raise _Decline  # more indented: kept as is, even when folding
        else:
            body.append(line[indent:])
        at += 1
    blanks_after = 0
    while not body[-1]:
        body.pop()  # trailing blank lines: the chomping drops them
        blanks_after += 1
    # Keeping the last line break ('|' or '>' without '-') keeps only one that is
    # there: the scalar's last line may also be the file's, with none after it.
    keep_break = not match.group(2) and at - blanks_after < len(src)
    if match.group(1) == "|":
        value = "\n".join(body)
    else:
        value = body[0]
        blanks = 0
        for line in body[1:]:
            if line:
                value += "\n" * blanks if blanks else " "
                value += line
                blanks = 0
            else:
                blanks += 1
    return (value + "\n" if keep_break else value), at


def _plain_value(text: str) -> Any:
    """A one-line plain scalar, typed as PyYAML's safe loader types it."""
    cut = text.find(" #")
    if cut != -1:
        text = text[:cut]
    text = text.rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise _Decline  # libyaml refuses it ("mapping values are not allowed here")
    return _typed(text)


def _typed(text: str) -> Any:
    if text[:1] not in IMPLICIT:
        return text
    value = plain(text)[1]
    if value is CONSTRUCT:
        raise _Decline  # 1_000, 0x1f, .inf, times of day: PyYAML's constructors
    return value


def _single_quoted(text: str) -> str:
    at = 1
    while True:
        end = text.find("'", at)
        if end == -1:
            raise _Decline  # continued on the next line
        if text[end + 1 : end + 2] == "'":
            at = end + 2  # '' is a quote
            continue
        _after_value(text, end + 1)
        return text[1:end].replace("''", "'")


def _after_value(text: str, end: int) -> None:
    """Only spaces and a comment may follow a quoted or flow value on its line."""
    rest = text[end:]
    stripped = rest.lstrip(" ")
    if stripped and not (stripped[0] == "#" and len(stripped) < len(rest)):
        raise _Decline


def _flow_mapping(text: str) -> dict[str, Any]:
    """A one-line ``{key: value, ...}`` of plain keys and plain or quoted values."""
    match = _FLOW_PLAIN.match(text)
    if match is None:
        if "'" in text or '"' in text:
            return _flow_mapping_quoted(text)
        raise _Decline  # nested, over several lines, or followed by something
    inner = match.group(1)
    if not inner.strip(" "):
        return {}
    items = inner.split(",")
    # Long items (notes) are not cached: the cache holds a fixed number of items.
    # (key, value) pairs or None; Any, as the check below leaves no None for dict().
    pairs: list[Any] = list(map(_flow_item if len(inner) < 200 else _flow_item.__wrapped__, items))
    if None in pairs:
        raise _Decline  # an item that is not 'key: plain value'
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Decline  # a key given twice
    return out


def _flow_mapping_quoted(text: str) -> dict[str, Any]:
    """The same with a quoted value or more, as a check-in's note often is: commas,
    colons and braces inside the quotes are text, so the items are matched in turn."""
    out: dict[str, Any] = {}
    at = 1
    while True:
        match = _FLOW_PAIR.match(text, at)
        if match is None:
            raise _Decline
        key, double, single, bare, end = match.groups()
        if key in out:
            raise _Decline
        if double is not None:
            out[key] = double
        elif single is not None:
            out[key] = single.replace("''", "'")
        else:
            pair = _flow_item(f"{key}: {bare}")
            if pair is None:
                raise _Decline
            out[key] = pair[1]
        at = match.end()
        if end == "}":
            break
    if at < len(text):
        _after_value(text, at)
    return out


@functools.lru_cache(maxsize=65536)
def _flow_item(item: str) -> tuple[str, Any] | None:
    """One ``key: value`` of a flow mapping. Cached: check-ins repeat the same dates
    and confidences thousands of times (the values are immutable, so sharing is safe)."""
    match = _FLOW_ITEM.match(item)
    if match is None:
        return None
    value = match.group(2)
    if value[0] in _INDICATORS and not _negative(value):
        return None
    try:
        return match.group(1), _typed(value)
    except _Decline:
        return None


def _negative(text: str) -> bool:
    """'-5', '-x': a dash that starts a plain scalar, not a list item."""
    return text[0] == "-" and len(text) > 1 and text[1] != " "
