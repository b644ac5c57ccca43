"""How the text of a YAML scalar becomes a value, exactly as PyYAML's safe loader
does it (YAML 1.1: ``yes`` is true, ``2026-07-01`` a date, ``0.5`` a float), shared by
the two readers: libyaml's (:mod:`okrsite.source.yamlsafe`) and the line reader
(:mod:`okrsite.source.yamlfast`)."""

from __future__ import annotations

import functools
import math
import re
from datetime import date
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"
MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_BOOLS = yaml.constructor.SafeConstructor.bool_values
# \Z, not $: '$' also matches before a final newline ('!!timestamp "2026-01-02\n"').
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\Z")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_LONGEST_INT = 19  # digits that always fit in 64 bits
_PLAIN_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

# PyYAML's table of implicit types, keyed by the first character of the text.
IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers

CONSTRUCT: Any = object()  # "leave this one to PyYAML's constructor"


class WrittenInt(int):
    """A whole number written otherwise than Python writes it: ``0755`` (octal to
    YAML 1.1), ``0x1f``, ``1_000``, ``12:30`` (sexagesimal: 750), ``+5``.

    A number field takes the number; a text field (an id, a title, a note) takes
    ``str()`` of it, which is the text as written: ``id: 0755`` stays ``0755``
    instead of becoming the page ``/493/``. pydantic turns numbers into text with
    ``str()`` (``coerce_numbers_to_str``), and messages show values with ``repr()``.
    """

    written: str

    def __str__(self) -> str:
        return self.written

    __repr__ = __str__


class WrittenFloat(float):
    """A :class:`WrittenInt` for numbers with a fraction or exponent (``1.50``,
    ``.5``, ``6.0e+3``), and for whole numbers too large to keep exactly."""

    written: str

    def __str__(self) -> str:
        return self.written

    __repr__ = __str__


# Numbers YAML 1.1 reads otherwise than a reader would: a leading 0 is octal (010 is
# 8), 0b binary, 0x hexadecimal, a colon base 60 (12:30 is 750).
_SURPRISING = {
    int: re.compile(r"[-+]?(0[0-9_]|0[bx]|[0-9][0-9_]*:)"),
    float: re.compile(r"[-+]?[0-9][0-9_]*:"),  # 01.5 is 1.5 to anyone
}


def surprising_number(text: str) -> bool:
    """Whether YAML 1.1 would read ``text`` as a number other than it looks (``010``,
    ``0x1f``, ``12:30``), which okrsite keeps as text."""
    return any(pattern.match(text) for pattern in _SURPRISING.values())


def as_written(value: Any, text: str) -> Any:
    """``value`` (read from the plain scalar ``text``) marked with its text when the
    two differ, and bounded: a whole number of more digits than a float keeps is
    read as the float it rounds to (infinite past 1e308), never as an int of
    thousands of digits, which Python refuses to turn into text.

    A number YAML 1.1 reads otherwise than its reader would (``010``, ``0x1f``,
    ``12:30``) is no number at all here: it stays text, so a text field keeps it as
    written and a number field refuses it with the fix, instead of taking 8 or 750."""
    kind = type(value)
    surprising = _SURPRISING.get(kind)
    if surprising is not None and surprising.match(text):
        return text
    if kind is int:
        if value.bit_length() > 64:
            try:
                value = float(value)
            except OverflowError:
                value = math.inf if value > 0 else -math.inf
            kind = float
        elif str(value) == text:
            return value
    elif kind is float:
        if value == 0:
            value = 0.0  # -0.0 would show as '-0' on pages and in the JSON export
        if repr(value) == text:
            return value
    else:
        return value
    marked = (WrittenInt if kind is int else WrittenFloat)(value)
    marked.written = text
    return marked


def implicit_tag(text: str) -> str:
    """The tag PyYAML's safe loader gives the plain (unquoted) scalar ``text``."""
    for tag, regexp in IMPLICIT.get(text[:1] or "", ()):
        if regexp.match(text):
            return tag
    return STR


def typed(tag: str, text: str) -> Any:
    """The value of ``text`` under ``tag`` for the common scalars, or CONSTRUCT.

    Done directly: PyYAML's generic constructor costs several Python calls per value,
    and a goal folder has hundreds of thousands of them."""
    if tag == STR:
        return text
    if tag == _INT and _PLAIN_INT.match(text):
        # Python refuses int() of over 4,300 digits: such a number is a float here.
        if len(text) > _LONGEST_INT:
            return as_written(float(text), text)
        # Only a sign can make the text differ from the number's ('+5', '-0').
        return as_written(int(text), text) if text[0] in "+-" else int(text)
    if tag == _FLOAT and _PLAIN_FLOAT.match(text):
        return as_written(float(text), text)
    if tag == _NULL:
        return None
    if tag == _BOOL and text.lower() in _BOOLS:
        return _BOOLS[text.lower()]
    if tag == _TIMESTAMP and _PLAIN_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text  # e.g. 2026-13-40: keep the text so validation names it
    return CONSTRUCT


@functools.lru_cache(maxsize=8192)
def plain(text: str) -> tuple[str, Any]:
    """Tag and value of a plain scalar. Cached: check-ins repeat the same dates,
    confidences and values thousands of times, and each costs up to three regular
    expressions to resolve. The values are immutable (str, int, float, date), so
    sharing one between documents is safe; anything else is constructed each time."""
    tag = implicit_tag(text)
    return tag, typed(tag, text)


def may_hold_anchor(text: str) -> bool:
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
