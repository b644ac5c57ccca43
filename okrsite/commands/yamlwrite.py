"""Write goal files as a person would: keys in the spec's order, plain scalars where
safe, quotes where needed, one blank line between objectives. (PyYAML's dumper sorts
or reorders keys and drops comments; these files are meant to be edited by hand.)

Every value written here reads back as exactly that value: a text as the same
``str`` (never a number, date, boolean or null that YAML 1.1 would make of it), a
number as the same number. Ids are made by :class:`Ids`, which never gives two
names one id.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from okrsite.source.fileformat import ID_MAX

# A plain scalar is written only when it is surely a string to YAML 1.1: it starts
# with an ASCII letter (so it is no number, date, sexagesimal, '.inf', anchor, alias,
# tag, directive, comment or indicator) and holds no character that means something
# in block or flow context (':', '#', ',', '[', ']', '{', '}', quotes first).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()'-]*\Z")
# The words YAML 1.1 reads as booleans or null (compared in lowercase).
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
_REF = re.compile(r"\d{4}(-[QH]\d)?(/[a-z0-9][a-z0-9-]*){2,3}\Z")


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


def _number(value: float) -> str:
    """A float YAML 1.1 reads back as the same float.

    ``repr`` is the shortest text that round-trips, but PyYAML's float pattern needs
    a '.' before an exponent ('1e-07' would read as a string): add '.0' there. Whole
    numbers are written without '.0', as people write them.
    """
    if not math.isfinite(value):
        # '.nan' and '.inf' are YAML floats, but no goal file accepts them
        raise ValueError(f"{value!r} is not a number a goal file can hold")
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


def scalar(value: Any) -> str:
    """A YAML scalar for ``value`` that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, datetime):
        raise TypeError("goal files hold dates, not date-times")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        return text
    if _REF.match(text):
        return text  # a period-prefixed reference reads back as text: 2026-Q3/team/obj
    return quoted(text)


@dataclass(frozen=True)
class Flow:
    """A mapping to write on one line as a list item: ``- {date: 2026-07-06, value: 4}``."""

    items: list[tuple[str, Any]]


def mapping(items: list[tuple[str, Any]], indent: int, first_prefix: str = "") -> list[str]:
    """Block-style lines for ``items`` (None values and empty lists are left out);
    nested lists of mappings become ``- key: ...`` items, :class:`Flow` items one-line
    ``- {key: ...}`` items."""
    pad = " " * indent
    lines: list[str] = []
    kept = [(k, v) for k, v in items if v is not None and v != []]
    for n, (key, value) in enumerate(kept):
        lead = first_prefix if n == 0 and first_prefix else pad
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, list):
                    lines += mapping(item, indent + 4, " " * (indent + 2) + "- ")
                elif isinstance(item, Flow):
                    lines.append(f"{pad}  - {flow(item.items)}")
                else:
                    lines.append(f"{pad}  - {scalar(item)}")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return lines


def flow(items: list[tuple[str, Any]]) -> str:
    """A one-line mapping: ``{date: 2026-07-06, value: 4.1}``."""
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in items if v is not None) + "}"


def _alphabet(letters: str, spellings: str) -> dict[str, str]:
    """Each of ``letters`` -> its spelling in ``spellings`` (space-separated; '-' for a
    letter that is not spelled)."""
    return {
        letter: "" if spelled == "-" else spelled
        for letter, spelled in zip(letters, spellings.split(), strict=True)
    }


# Letters that NFKD does not take apart into an ASCII letter and marks (dotless i
# included), and the Greek and Cyrillic alphabets: simple spellings, enough for a
# readable id.
_LETTERS = str.maketrans(
    _alphabet("æœøłđðþħŋĸŀŧ\u0131", "ae oe o l d d th h ng k l t i")
    | _alphabet("αβγδεζηθικλμνξοπρστυφχψω", "a b g d e z i th i k l m n x o p r s t y f ch ps o")
    | _alphabet(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i ye yi g",
    )
)
_WORDS = 30  # an id from words stops at the word that would pass this many characters
_BASE_MAX = 40  # ... and is cut here (one very long word)


def name_key(name: str) -> str:
    """What makes two names the same name: compatibility form, case and runs of
    white space do not count ('Sales', 'sales' and 'SALES ' name one team)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def slug(text: str, fallback: str = "item") -> str:
    """A readable id for ``text``: ASCII words, lowercase, joined by '-'.

    Accented Latin letters lose their accents ('María López' -> 'maria-lopez'). Letters
    and digits with no ASCII form (Japanese, Arabic, Cyrillic...) cannot be spelled in
    an id, so a short hash of the name stands in for them, which keeps ids of such
    names apart and the same from one import to the next: '営業' -> 'team-8c6bb3'
    (``fallback`` and the hash), 'Team 営業' -> 'team-2ba84d'. Greek and Cyrillic are
    spelled out: 'Москва' -> 'moskva'. Not unique by itself:
    :class:`Ids` adds '-2', '-3' where two names give one id.
    """
    folded = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTERS)
    ascii_text = "".join(ch for ch in folded if ch.isascii())
    lost = any(
        not ch.isascii() and unicodedata.category(ch)[0] in "LN" for ch in folded
    )  # a letter or digit that has no ASCII spelling
    words = re.findall(r"[a-z0-9]+", ascii_text)
    base = ""
    for word in words:  # whole words, up to about _WORDS characters
        if base and len(base) + 1 + len(word) > _WORDS:
            break
        base = f"{base}-{word}" if base else word
    base = base[:_BASE_MAX].rstrip("-")
    if lost or not base:
        digest = hashlib.sha256(name_key(text).encode("utf-8")).hexdigest()[:6]
        base = f"{base or fallback}-{digest}"
    return base


# File names Windows refuses whatever the extension: an id that names a file (a team's
# OKR file, a person's goal file) must not be one of them.
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in "123456789"}
)


class Ids:
    """Ids for names in one namespace (the teams, the people, the KPIs, the
    objectives of one team and period...): the same name always gets the same id,
    two names never get one id (the later one gets '-2', '-3', ... in the order
    names are first asked for), and every id is a valid okrsite id (at most
    ``schema.ID_MAX`` characters: words are cut at 40, a hash adds 7)."""

    def __init__(self, fallback: str, taken: set[str] | frozenset[str] = frozenset()) -> None:
        self.fallback = fallback
        self.taken: set[str] = set(taken)
        self.by_name: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        """The id of ``name``, made on first use."""
        key = name_key(name)
        known = self.by_name.get(key)
        if known is None:
            known = self.by_name[key] = self.new(name)
        return known

    def new(self, name: str) -> str:
        """An id for an item that is never looked up by name (a key result, a goal):
        a fresh one even when the same name comes again."""
        base = slug(name, self.fallback)
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}-{n}", n + 1
        if len(ident) > ID_MAX:  # cannot happen (see above); never write a bad id
            raise ValueError(f"no id within {ID_MAX} characters for {name!r}")
        self.taken.add(ident)
        return ident


def okr_file_head(period: str, team: str, comments: list[str]) -> list[str]:
    """The first lines of an OKR file a command writes: why it exists, the schema line
    for editors, then the file's keys up to its list of objectives."""
    return [
        *(f"# {c}" for c in comments),
        schema_line("okrs", 1).rstrip("\n"),
        f"period: {period}",
        f"team: {team}",
        "objectives:",
    ]


def schema_line(kind: str, depth: int) -> str:
    """The comment line that points editors at the JSON Schema of a ``kind`` file
    ``depth`` folders below the goals folder."""
    up = "../" * depth
    return f"# yaml-language-server: $schema={up}.schemas/{kind}.schema.json\n"
