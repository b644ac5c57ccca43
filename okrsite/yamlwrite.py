"""Write goal files as a person would: keys in the spec's order, plain scalars where
safe, quotes where needed, one blank line between objectives. (PyYAML's dumper sorts
or reorders keys and drops comments; these files are meant to be edited by hand.)"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ._/()'-]*$")
_REF = re.compile(r"^\d{4}(-[QH]\d)?(/[a-z0-9][a-z0-9-]*){2,3}$")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    """A YAML scalar for ``value`` that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        return text
    if _REF.match(text):
        return text  # a period-prefixed reference reads back as text: 2026-Q3/team/obj
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


# Characters a YAML double-quoted scalar may hold as they are: printable to YAML, and
# not '"', '\\', a line break (YAML 1.1 also breaks lines at NEL, LS and PS), a tab, a
# byte-order mark or a surrogate. Everything else is written as an escape.
_QUOTED_RAW = re.compile(
    r"[\x20\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    r"\U00010000-\U0010ffff]"
)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that every YAML 1.1 and 1.2 reader
    (libyaml, PyYAML, MkDocs) reads back as exactly ``text``, whatever it holds: for
    text a person typed (a site name), where :func:`scalar`'s JSON quoting would leave
    line breaks such as U+2028 and characters YAML refuses as they are. A surrogate
    (a byte that was not UTF-8 in a command-line argument) has no YAML form: ValueError.
    """
    out = ['"']
    for ch in text:
        if _QUOTED_RAW.match(ch):
            out.append(ch)
        elif ch in '"\\':
            out.append("\\" + ch)
        elif "\ud800" <= ch <= "\udfff":
            raise ValueError(f"a surrogate (U+{ord(ch):04X}) cannot be written to a file")
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
    out.append('"')
    return "".join(out)


def mapping(items: list[tuple[str, Any]], indent: int, first_prefix: str = "") -> list[str]:
    """Block-style lines for ``items`` (None values are left out); nested lists of
    mappings become ``- key: ...`` items."""
    pad = " " * indent
    lines: list[str] = []
    for n, (key, value) in enumerate((k, v) for k, v in items if v is not None):
        lead = first_prefix if n == 0 and first_prefix else pad
        if isinstance(value, list):
            if not value:
                continue
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, list):
                    lines += mapping(item, indent + 4, " " * (indent + 2) + "- ")
                else:
                    lines.append(f"{pad}  - {scalar(item)}")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return lines


def flow(items: list[tuple[str, Any]]) -> str:
    """A one-line mapping: ``{date: 2026-07-06, value: 4.1}``."""
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in items if v is not None) + "}"


def slug(text: str, taken: set[str] | None = None) -> str:
    """An id from a title: lowercase words joined by '-', unique among ``taken``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = ""
    for word in words:  # whole words, up to about 30 characters
        if base and len(base) + 1 + len(word) > 30:
            break
        base = f"{base}-{word}" if base else word
    base = base[:40] or "item"
    if not base[0].isalnum():
        base = "x" + base
    ident, n = base, 2
    while taken is not None and ident in taken:
        ident, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(ident)
    return ident
