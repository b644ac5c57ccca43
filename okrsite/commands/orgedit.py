"""Adding teams and people to an organisation file (and KPIs to a KPI file) by adding
lines: every line already there, comment and layout included, stays as it is, byte for
byte (a YAML dump would drop the comments and rewrite the layout of a file people edit
by hand).

New items go at the end of the file's top-level ``teams:`` or ``people:`` list, in the
style of the list's last item (one-line ``- {id: ...}`` or block ``- id: ...``, at its
indentation), or in a new list at the end of the file when it has none. The text made
is read back by okrsite's own reader and checked to hold exactly the old items and the
new ones (:func:`added`); where it does not (a list written as ``[...]``, a file of
several documents), :class:`OrgEditError` says what to add by hand.
"""

from __future__ import annotations

import re
from typing import Any

from okrsite.commands.yamlwrite import flow, scalar
from okrsite.source import fileformat as schema
from okrsite.source.yamlsafe import parse

Item = list[tuple[str, Any]]
_BOM = "\ufeff"  # a byte-order mark before the first key (Windows editors write one)


class OrgEditError(Exception):
    """The organisation file cannot be extended by adding lines; the message lists the
    lines to add by hand."""


def _key_line(key: str) -> re.Pattern[str]:
    # 'teams:' at the start of a line, with nothing after it but a comment
    return re.compile(rf"""(["']?){key}\1[ \t]*:[ \t]*(#.*)?\Z""")


def _list_end(lines: list[str], start: int) -> int:
    """The index of the last line of the block list that starts below ``lines[start]``
    (``start`` itself when the list is empty): lines that are indented or start with
    '-', up to the next top-level key. Comments and blank lines after the last item are
    not counted (they belong to what follows)."""
    last = start
    for index in range(start + 1, len(lines)):
        text = lines[index].rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if text[0] in " \t-":
            last = index
            continue
        break
    return last


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _item_lines(last: str | None, items: list[Item], newline: str) -> list[str]:
    """``items`` as lines shaped like ``last``, the first line of the list's last item
    (None: one-line items indented by two)."""
    if last is None:
        return [f"  - {flow(item)}{newline}" for item in items]
    indent = _indent(last)
    rest = last.lstrip(" ")[1:]
    pad = max(1, len(rest) - len(rest.lstrip(" ")))
    if rest.lstrip(" ").startswith("{"):
        return [f"{' ' * indent}-{' ' * pad}{flow(item)}{newline}" for item in items]
    out = []
    for item in items:
        kept = [(k, v) for k, v in item if v is not None]
        for n, (key, value) in enumerate(kept):
            lead = f"{' ' * indent}-{' ' * pad}" if n == 0 else " " * (indent + 1 + pad)
            out.append(f"{lead}{key}: {scalar(value)}{newline}")
    return out


def _list_start(lines: list[str], key: str) -> int | None:
    """The index of the line that opens the top-level list ``key``, or None."""
    pattern = _key_line(key)
    return next(
        (i for i, line in enumerate(lines) if pattern.match(line.rstrip("\r\n").lstrip(_BOM))),
        None,
    )


def has_list(text: str, key: str) -> bool:
    """Whether ``text`` has the top-level list ``key`` that :func:`insert` adds to."""
    return _list_start(text.splitlines(keepends=True), key) is not None


def insert(text: str, key: str, items: list[Item]) -> str:
    """``text`` with ``items`` added at the end of its top-level list ``key`` (or in a
    new such list at the end of the file)."""
    if not items:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    start = _list_start(lines, key)
    if start is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        return "".join([*lines, newline, f"{key}:{newline}", *_item_lines(None, items, newline)])
    end = _list_end(lines, start)
    # the list's items start at the indentation of its first '-' (deeper ones are
    # lists inside an item: a KPI's history)
    items_at = [i for i in range(start + 1, end + 1) if lines[i].lstrip(" ").startswith("-")]
    indent = _indent(lines[items_at[0]]) if items_at else 0
    last = next(
        (lines[i].rstrip("\r\n") for i in reversed(items_at) if _indent(lines[i]) == indent),
        None,
    )
    if not lines[end].endswith(("\n", "\r")):
        lines[end] += newline
    new = _item_lines(last, items, newline)
    return "".join([*lines[: end + 1], *new, *lines[end + 1 :]])


def added(old: str, new: str, shown: str, kind: str, items: dict[str, list[Item]]) -> None:
    """Check that ``new`` reads as the ``kind`` file ``old`` with ``items`` (list key ->
    items) added at the ends of their lists and nothing else changed; OrgEditError
    (with the lines to add by hand) when it does not."""
    model = schema.KINDS[kind][0]
    before, after = _read(model, old, shown), _read(model, new, shown)
    expected = None
    if before is not None and after is not None:
        try:
            extra = model.model_validate({key: [dict(i) for i in v] for key, v in items.items()})
        except ValueError:  # pydantic's ValidationError is one
            extra = None
        if extra is not None:
            expected = before.model_copy(
                update={key: [*getattr(before, key), *getattr(extra, key)] for key in items}
            )
    if expected is None or after != expected:
        wanted = [f"{key}: - {flow(i)}" for key, v in items.items() for i in v]
        raise OrgEditError(
            f"cannot add to {shown} by adding lines (is a list written as [...] there?); "
            "nothing was written: add these by hand, then import again:\n"
            + "\n".join(f"  {line}" for line in wanted)
        )


def _read(model: type[Any], text: str, shown: str) -> Any:
    doc, diags = parse(text, shown)
    if doc is None or diags or not isinstance(doc.data, dict):
        return None
    try:
        return model.model_validate(doc.data)
    except ValueError:  # pydantic's ValidationError is one
        return None
