"""Diagnostics: what went wrong, where, and how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"  # a note: nothing is wrong, but the reader should know


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the goal files, located at ``path:line``."""

    path: str
    line: int
    message: str
    level: str = ERROR

    def __post_init__(self) -> None:
        # Whatever a message quotes, it prints as one line: a line break or an escape
        # sequence from a goal file could forge a CI workflow command or hide lines.
        if not (self.path.isprintable() and self.message.isprintable()):
            object.__setattr__(self, "path", printable(self.path))
            object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class DataError(Exception):
    """Raised when goal files hold errors; carries every error of the run at once, and
    the load's warnings and notes (``notes``), which a report still shows."""

    def __init__(self, diagnostics: list[Diagnostic], notes: list[Diagnostic] | None = None):
        self.diagnostics = sorted(diagnostics)
        self.notes = sorted(notes or [])
        count = len(self.diagnostics)
        head = f"{count} error{'s' if count != 1 else ''} in the goal files"
        super().__init__(head + ":\n" + "\n".join(f"  {d}" for d in self.diagnostics))


def did_you_mean(value: object, candidates: Iterable[str]) -> str:
    """Return a "; did you mean 'x'?" suffix for the closest candidate, or ''."""
    if not isinstance(value, str):
        return ""
    pool = list(candidates)
    match = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    if not match:
        # Case slips ("Product") and separators ("customer_success") are common.
        folded = value.lower().replace("_", "-").replace(" ", "-")
        match = [c for c in pool if c == folded]
    return f"; did you mean '{match[0]}'?" if match else ""


def show(value: object, limit: int = 60) -> str:
    """Render a bad value for a message: quoted, shortened, one line; a list or mapping
    only as [...] or {...}."""
    if isinstance(value, dict | list | tuple | set):
        # Its type says enough; its contents could be anything (a private goal's).
        return "{...}" if isinstance(value, dict) else "[...]"
    if isinstance(value, str):
        text = "'" + value + "'"
    elif hasattr(value, "isoformat"):
        text = value.isoformat()  # a date, as it was written
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 4] + ("...'" if text.startswith("'") else "...")
    # One line, nothing that acts on a terminal or a CI log (a lone \r, ESC, U+2028).
    return printable(text)


def printable(name: str) -> str:
    """A text (a file name, a message) as one line of a log shows it: line breaks,
    control and invisible characters (and bytes that were not UTF-8) escaped, so it can
    never split a message, fake a second one or hide what it is."""
    if name.isprintable():
        return name
    return "".join(
        ch
        if ch.isprintable() or ch == "/"
        else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in name
    )


BAD_NAME = (
    "the name holds a line break, a control or invisible character, or bytes that are "
    "not UTF-8: rename it with plain characters"
)
