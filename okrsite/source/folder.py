"""Reading one goal file: strict YAML, its kind, its shape checked against the schema,
and every problem explained as ``path:line: message`` naming the key, the value and
the fix. References between files are resolved in :mod:`okrsite.source.loader`."""

from __future__ import annotations

import math
import os
import re
import stat
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from okrsite.diagnostics import BAD_NAME, WARNING, Diagnostic, did_you_mean, show
from okrsite.limits import (
    MAX_FILE_BYTES,
    MAX_FOLDER_BYTES,
    MAX_FOLDER_DEPTH,
    MAX_WEIGHT,
    NUMBER_RANGE,
)
from okrsite.model.periods import PERIOD_HINT
from okrsite.source import fileformat as schema
from okrsite.source.yamlsafe import YamlDoc, parse
from okrsite.source.yamlscalars import WrittenFloat, surprising_number

# What an item in a list is called in messages, by the key of the list.
_ITEM_NAMES = {
    "objectives": "objective",
    "key_results": "key result",
    "checkins": "check-in",
    "goals": "goal",
    "teams": "team",
    "people": "person",
    "kpis": "KPI",
    "history": "history entry",
}


# Keys that belong to another file kind: a better hint than "unknown key".
_KEY_HOME = {key: label for _model, keys, label in schema.KINDS.values() for key in keys} | {
    "period": "an OKR or SMART goal file",
    "team": "an OKR file",
    "owner": "a SMART goal file",
}


@dataclass
class ParsedFile:
    kind: str
    model: Any
    doc: YamlDoc
    path: str  # as shown in messages
    file: Path  # on disk


GOAL_SUFFIXES = (".yaml", ".yml")


@dataclass
class Survey:
    """What a goals folder holds: the goal files to read, the files refused (links out
    of the folder, oversized files: data errors), and the other files, not read."""

    files: list[Path] = field(default_factory=list)
    refused: list[Diagnostic] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)
    too_big: bool = False  # over MAX_FOLDER_BYTES in all, or a link: nothing is read


def is_goal_file_name(name: str) -> bool:
    """A ``.yaml``/``.yml`` name in any case (``lena.YAML`` too), not hidden."""
    return name.lower().endswith(GOAL_SUFFIXES) and not name.startswith(".")


LINKED_GOALS = (
    "the goals folder is a link, which okrsite does not follow (a pull request could "
    "point it at any folder of the build machine): make it a real folder"
)


def survey(goals_dir: Path, shown: Callable[[Path], str] = Path.as_posix) -> Survey:
    """Walk ``goals_dir``: the folder is a jail.

    Hidden files and folders (``.git``, ``.github``) are skipped and never entered. A
    link to a file is read only when it resolves inside the goals folder; a link that
    leads out of it, a linked folder (it could lead anywhere, or back into itself) and
    anything that is not a regular file are refused, by name only: what they point
    at is never read or shown. ``shown`` gives a path as messages show it.
    """
    out = Survey()
    if goals_dir.is_symlink():
        # A pull request can commit 'goals' as a link to any folder of the machine.
        out.refused.append(Diagnostic(shown(goals_dir), 1, LINKED_GOALS))
        out.too_big = True  # nothing is read
        return out
    jail = goals_dir.resolve()
    total = 0
    top = len(goals_dir.parts)
    for folder, subfolders, names in os.walk(goals_dir):
        base = Path(folder)
        keep = []
        deep = len(base.parts) - top >= MAX_FOLDER_DEPTH
        for name in sorted(subfolders):
            if name.startswith("."):
                continue
            if deep:  # os.walk recurses once per level
                out.refused.append(
                    Diagnostic(
                        shown(base / name),
                        1,
                        f"folders nested more than {MAX_FOLDER_DEPTH} levels deep in the "
                        "goals folder are not read: move the files up",
                    )
                )
                continue
            if not name.isprintable():
                out.refused.append(Diagnostic(shown(base / name), 1, BAD_NAME))
                continue
            if (base / name).is_symlink():
                out.refused.append(
                    Diagnostic(
                        shown(base / name),
                        1,
                        "is a link to a folder, which okrsite does not follow (goal files "
                        "come only from inside the goals folder): move the files here",
                    )
                )
                continue
            keep.append(name)
        subfolders[:] = keep
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = base / name
            if not name.isprintable():  # a line break in a name could fake a message
                out.refused.append(Diagnostic(shown(path), 1, BAD_NAME))
                continue
            if not is_goal_file_name(name):
                out.others.append(path)
                continue
            problem, size = _refusal(path, jail)
            if problem:
                out.refused.append(Diagnostic(shown(path), 1, problem))
            else:
                out.files.append(path)
                total += size
    if total > MAX_FOLDER_BYTES:
        # Each file is within bounds, but not all of them together: read none.
        message = (
            f"the goal files hold {total:,} bytes together, over okrsite's limit of "
            f"{MAX_FOLDER_BYTES:,} bytes for a goals folder: archive past periods elsewhere"
        )
        out.refused.append(Diagnostic(shown(goals_dir), 1, message))
        out.files = []
        out.too_big = True
    out.files.sort()
    return out


def resolved(path: Path) -> Path | None:
    """``path`` with every link followed, or None when that fails (a loop of links, a
    name too long, a NUL byte): such a path is read by no one."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _refusal(path: Path, jail: Path) -> tuple[str | None, int]:
    """Why okrsite will not read ``path`` from the goals folder ``jail``, if it won't,
    and the file's size. One lstat for a plain file (4,000 of them at 10,000 goals)."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            real = resolved(path)
            if real is None:
                return (
                    "is a link that leads nowhere (a loop of links?): put the file itself here",
                    0,
                )
            if not real.is_relative_to(jail):
                return _LINK_OUT, 0
            info = path.stat()
    except (OSError, ValueError):
        return "cannot be read (a broken link?): replace it with the file itself", 0
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file: okrsite reads only regular files", 0
    if info.st_size > MAX_FILE_BYTES:
        return _too_big(info.st_size), 0
    return None, info.st_size


_LINK_OUT = (
    "is a link to a file outside the goals folder, which okrsite never reads (a pull "
    "request could point it at any file on the build machine): put the file itself here"
)


def _too_big(size: int) -> str:
    return (
        f"is {size:,} bytes, over okrsite's limit of {MAX_FILE_BYTES:,} bytes for one "
        "goal file: split it (goal files may be spread over any number of files)"
    )


def find_goal_files(goals_dir: Path) -> list[Path]:
    """The goal files under ``goals_dir`` that :func:`survey` lets okrsite read."""
    return survey(goals_dir).files


@dataclass
class FailedFile:
    """A file that did not validate: its errors, and what it was about (if known), so
    that references into it are not reported a second time."""

    diagnostics: list[Diagnostic]
    kind: str | None = None
    data: Any = None


class ParseCache:
    """Parsed goal files by path, for a caller that reads the same folder again and
    again (the MkDocs plugin under `mkdocs serve`: a rebuild after an edit re-reads
    only the edited file). The caller owns it; the core keeps no state between loads.

    Each load keeps only the files it read (:meth:`retain`), so a deleted or renamed
    file leaves the cache with the next load and its size follows the folder's."""

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], tuple[int, int, ParsedFile | FailedFile]] = {}

    def __len__(self) -> int:
        return len(self._files)

    def read(self, path: Path, shown: str) -> ParsedFile | FailedFile:
        """Read one goal file, or take it from the cache if it has not changed since."""
        stat = path.stat()
        key = (str(path), shown)
        hit = self._files.get(key)
        if hit is not None and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
            return hit[2]
        result = read_goal_file(path, shown)
        self._files[key] = (stat.st_mtime_ns, stat.st_size, result)
        return result

    def retain(self, keys: set[tuple[str, str]]) -> None:
        """Forget every file but these ``(path, shown)`` keys: the ones a load read."""
        for key in [key for key in self._files if key not in keys]:
            del self._files[key]


def read_goal_file(path: Path, shown: str) -> ParsedFile | FailedFile:
    """Read and shape-check one goal file (no cache): its kind and model, or its errors."""
    return _read(path, shown)


def read_file(path: Path, shown: str) -> ParsedFile | list[Diagnostic]:
    """Read and shape-check one file: its kind and validated model, or its errors."""
    result = _read(path, shown)
    return result.diagnostics if isinstance(result, FailedFile) else result


def _read(path: Path, shown: str) -> ParsedFile | FailedFile:
    with path.open("rb") as handle:  # at most one byte over the limit, whatever stat said
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return FailedFile([Diagnostic(shown, 1, _too_big(path.stat().st_size))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = (
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at this line): save the "
            "file with UTF-8 encoding"
        )
        return FailedFile([Diagnostic(shown, line, message)])
    doc, diags = parse(text, shown)
    if doc is None:
        return FailedFile(diags or [Diagnostic(shown, 1, "empty file: skipped", WARNING)])
    data = doc.data
    if not isinstance(data, dict):
        message = (
            f"a goal file must be a mapping of keys (like 'period: ...'), not {_type_name(data)}"
        )
        return FailedFile([*diags, Diagnostic(shown, 1, message)])
    kind = _kind_of(data)
    if kind is None:
        return FailedFile([*diags, Diagnostic(shown, 1, _unknown_kind_message(data))])
    if diags:
        # Aliases and duplicate keys were refused: the values left are not what the
        # author meant, so checking them would only add confusing follow-up errors.
        return FailedFile(_private_keys_hidden(diags, doc), kind, data)
    model_cls = schema.KINDS[kind][0]
    try:
        model = model_cls.model_validate(data)
    except pydantic.ValidationError as exc:
        return FailedFile(_explain(exc, model_cls, doc, shown, kind), kind, data)
    return ParsedFile(kind, model, doc, shown, path)


def _kind_of(data: dict[str, Any]) -> str | None:
    keys = set(data)
    best, best_kind = 0, None
    for kind, fields in _FIELDS.items():
        overlap = len(keys & fields)
        # Ties (e.g. only 'period') go to the first kind with the marker key.
        if overlap > best or (overlap == best and overlap and keys & _markers_of(kind)):
            best, best_kind = overlap, kind
    return best_kind


_FIELDS = {kind: frozenset(model.model_fields) for kind, (model, *_rest) in schema.KINDS.items()}


def _markers_of(kind: str) -> frozenset[str]:
    return schema.KINDS[kind][1]


def _unknown_kind_message(data: dict[str, Any]) -> str:
    all_keys = {k for m, _, _ in schema.KINDS.values() for k in m.model_fields}
    hints = [f"{show(k)}{did_you_mean(k, sorted(all_keys))}" for k in list(data)[:3]]
    return (
        "cannot tell what kind of goal file this is from its top-level keys "
        f"({', '.join(hints)}): an organisation file has 'organization'/'teams'/'people', "
        "a KPI file 'kpis', an OKR file 'period'/'team'/'objectives', a SMART goal file "
        "'period'/'owner'/'goals'"
    )


def _type_name(value: Any) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }
    for typ, name in names.items():
        if isinstance(value, typ) and (typ is not int or not isinstance(value, bool)):
            return name
    return f"a {type(value).__name__}"


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(
    root: type[pydantic.BaseModel], loc: tuple[Any, ...]
) -> type[pydantic.BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (ints are list indexes)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        model = _unwrap(fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, pydantic.BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        origin = typing.get_origin(annotation)
        if origin is None or not args:
            return annotation
        annotation = args[0]


def private_goal_at(data: Any, loc: tuple[Any, ...]) -> bool:
    """Whether ``loc`` lies in a private goal of a goal file: one whose 'visibility'
    is anything but 'public' (a misspelt 'Private' was meant private too)."""
    if len(loc) < 2 or loc[0] != "goals" or not isinstance(loc[1], int):
        return False
    item = _value_at(data, loc[:2])
    return isinstance(item, dict) and item.get("visibility", "public") != "public"


_BARE_EXPONENT = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+")


def _numeric(text: str) -> bool:
    """Text that would be a number if it were not text ('4.2' in quotes, 1e3)."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _overflowed(value: Any) -> bool:
    """A number written in digits too large for a float (not '.inf' or '.nan')."""
    return isinstance(value, WrittenFloat) and not str(value).lstrip("+-").startswith(".")


def _private_keys_hidden(diags: list[Diagnostic], doc: YamlDoc) -> list[Diagnostic]:
    """The YAML reader's messages, with a key named inside a private goal (a duplicate
    key) not shown: the reader knows lines, not which goals are private."""
    goals = doc.data.get("goals") if isinstance(doc.data, dict) else None
    if not isinstance(goals, list):
        return diags
    starts = [doc.lines.get(("goals", i), 0) for i in range(len(goals))] + [1 << 30]
    private = [
        (starts[i], starts[i + 1])
        for i in range(len(goals))
        if private_goal_at(doc.data, ("goals", i))
    ]
    out = []
    for d in diags:
        if any(first <= d.line < end for first, end in private):
            message = _QUOTED_KEY.sub("duplicate key (not shown: private goal) ", d.message)
            d = Diagnostic(d.path, d.line, message, d.level)
        out.append(d)
    return out


_QUOTED_KEY = re.compile(r"^duplicate key .*? (?=\(first at line)")


def _hidden(_value: object, _limit: int = 0) -> str:
    """What a message shows instead of a private goal's value."""
    return "(not shown: private goal)"


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """Name the innermost list item around ``loc``: " in key result 'churn'", or
    " in check-in #2 of key result 'churn'" for items without an id. A private goal
    is named by its position only: its id is as private as its title."""
    names: list[str] = []
    private = private_goal_at(data, loc)
    for i in range(len(loc) - 1, 0, -1):
        if isinstance(loc[i], int) and isinstance(loc[i - 1], str):
            name = _ITEM_NAMES.get(loc[i - 1], loc[i - 1])
            if private and i == 1:
                names.append(f"private goal #{loc[i] + 1}")
                break
            item = _value_at(data, loc[: i + 1])
            ident = item.get("id") if isinstance(item, dict) else None
            # An item's own bad id is no name for it.
            own_id = loc[i + 1 :] == ("id",)
            if (
                isinstance(ident, str | int)
                and not isinstance(ident, bool)
                and not own_id
                and not private
            ):
                names.append(f"{name} {show(ident, 40)}")
                break
            names.append(f"{name} #{loc[i] + 1}")
            if len(names) == 2:
                break
    return (" in " + " of ".join(names)) if names else ""


def _explain(
    exc: pydantic.ValidationError,
    root: type[pydantic.BaseModel],
    doc: YamlDoc,
    path: str,
    kind: str,
) -> list[Diagnostic]:
    """Turn pydantic's errors into messages that name key, value and fix."""
    out: list[Diagnostic] = []
    for err in exc.errors():
        # pydantic adds the union member tried (e.g. 'str') after the field's name:
        # drop it, but not a field that is itself called 'date' (a check-in's).
        raw = tuple(err["loc"])
        loc = tuple(
            p
            for i, p in enumerate(raw)
            if not (p in _UNION_MEMBERS and i and isinstance(raw[i - 1], str))
        )
        etype = err["type"]
        key = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if etype != "extra_forbidden":  # a key of a free mapping (waive) is user text
            key = show(key, 48)[1:-1]
        where = _where(doc.data, loc)
        value = _value_at(doc.data, loc)
        line = doc.line(loc)
        # A private goal's values stay out of messages: CI logs are read by everyone.
        say = _hidden if private_goal_at(doc.data, loc) else show
        if etype == "missing":
            msg = f"missing required key '{key}'{where}: add '{key}: ...'"
            line = doc.line(loc[:-1])
        elif etype == "extra_forbidden":
            model = _model_at(root, loc[:-1])
            known = sorted(model.model_fields) if model else []
            hint = did_you_mean(key, known)
            if not hint and key in _KEY_HOME and key not in known:
                hint = f"; '{key}' belongs in {_KEY_HOME[key]} of its own"
            if not hint and known:
                hint = f"; known keys here: {', '.join(known)}"
            msg = f"unknown key {say(key)}{where}{hint}"
        elif etype == "string_pattern_mismatch":
            msg = _pattern_message(key, value, where, say)
        elif etype == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"bad value {say(value)} for '{key}'{where}: use one of {expected}"
        elif etype.startswith("date"):
            msg = (
                f"bad date {say(value)} for '{key}'{where}: write an ISO date "
                "YYYY-MM-DD, e.g. 2026-08-15"
            )
        elif etype.startswith("finite") and _overflowed(value):
            msg = (
                f"'{key}'{where} is out of range, got {say(value)}: numbers in goal "
                f"files lie {NUMBER_RANGE}"
            )
        elif etype.startswith("float") and isinstance(value, str) and surprising_number(value):
            msg = (
                f"'{key}'{where} is written {say(value)}, which YAML 1.1 reads as another "
                "number (a leading 0 means octal, 0x hexadecimal, 0b binary, ':' base 60): "
                "write the number in plain decimals, e.g. 100 for 0100"
            )
        elif etype.startswith("float") and isinstance(value, str) and _numeric(value):
            if _BARE_EXPONENT.fullmatch(value.strip()):
                fix = (
                    "YAML 1.1 reads an exponent without a decimal point and a sign as "
                    "text: write 1.0e+3 or 1000 for 1e3"
                )
            else:
                shown = "4.2" if say is _hidden else value.strip()
                fix = f"write the number without quotes, e.g. {key}: {shown}"
            msg = f"'{key}'{where} must be a number, got the text {say(value)}: {fix}"
        elif etype.startswith("float") and isinstance(value, bool):
            msg = (
                f"'{key}'{where} must be a number, got true/false {say(value)} (YAML reads "
                "yes/no/on/off/true/false unquoted as true/false): write the number"
            )
        elif etype.startswith(("float", "int", "finite")):
            msg = (
                f"'{key}'{where} must be a number, got {say(value)}: write the number "
                "alone (4.2, not '4.2%'); the unit goes in 'unit'"
            )
        elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            if key == "confidence":
                msg = (
                    f"confidence {say(value)}{where} is out of range: use 0..1 "
                    "(0.7 means 70% likely)"
                )
            elif key == "weight":
                msg = (
                    f"weight {say(value)}{where} is out of range: a weight is more than "
                    f"0 and at most {MAX_WEIGHT:,g}, relative to the other key results"
                )
            else:
                msg = (
                    f"'{key}'{where} is out of range, got {say(value)}: numbers in goal "
                    f"files lie {NUMBER_RANGE}"
                )
        elif etype == "string_type":
            example = "..." if say is _hidden or not hasattr(value, "isoformat") else value
            msg = (
                f"'{key}'{where} must be text, got {_type_name(value)} {say(value)}: "
                f'put it in quotes, e.g. {key}: "{example}" (unquoted, YAML reads '
                "yes/no/on/off/true/false as true/false, null and ~ as empty, and dates "
                "as dates)"
            )
        elif etype == "string_too_long":
            limit = err.get("ctx", {}).get("max_length", "")
            why = _WHY_SHORT.get(key, "okrsite's limit for this kind of text")
            msg = (
                f"'{key}'{where} is too long ({len(str(value)):,} characters): {why}; "
                f"keep it to {limit:,} characters"
            )
        elif etype == "string_too_short":
            msg = f"'{key}'{where} is empty: give it a value"
        elif etype == "list_type":
            msg = (
                f"'{key}'{where} must be a list of items ('- ...' lines), "
                f"got {_type_name(value)} {say(value)}"
            )
        elif etype in ("model_type", "model_attributes_type", "dict_type"):
            label = _ITEM_NAMES.get(key, key) if not isinstance(loc[-1], int) else "item"
            msg = (
                f"each {label}{where} must be a mapping of keys (like 'id: ...'), "
                f"got {_type_name(value)} {say(value)}"
            )
        else:
            msg = f"'{key}'{where}: {err['msg']}, got {say(value)}"
        out.append(Diagnostic(path, line, msg))
    return out


# Why a text is bounded, by key, for the "too long" message.
_WHY_SHORT = {
    "id": "an id becomes part of page addresses",
    "title": "a title is one line on every page that lists it",
    "name": "a name is one line on every page that lists it",
    "unit": "a unit is shown beside every number",
    "description": "okrsite's limit for Markdown texts",
    "note": "okrsite's limit for Markdown texts",
    "achievable": "okrsite's limit for Markdown texts",
}

_UNION_MEMBERS = frozenset({"str", "float", "int", "date"})


# schema.ONE_LINE for Python's re, where '$' also matches before a final line break.
_ONE_LINE = re.compile(schema.ONE_LINE.removeprefix("^").removesuffix("$"))


def _pattern_message(key: str, value: Any, where: str, say: Any = show) -> str:
    if isinstance(value, str) and not _ONE_LINE.fullmatch(value):
        return (
            f"'{key}'{where} holds a line break or a control character, got {say(value)}: "
            "keep it to one line of plain text (a longer text goes in 'description')"
        )
    if key == "period":
        return f"bad period {say(value)}{where}: {PERIOD_HINT}"
    if key in ("aligns_to", "supports"):
        return (
            f"bad reference {say(value)} in '{key}'{where}: write team/objective or "
            "team/objective/kr with ids, optionally after a period "
            "(2026-Q2/product/retention/churn)"
        )
    suggestion = "-".join("".join(c if c.isalnum() else " " for c in str(value).lower()).split())
    fix = f"; try '{suggestion}'" if suggestion and suggestion != value and say is show else ""
    return (
        f"bad id {say(value)} for '{key}'{where}: ids use lowercase letters, digits and "
        f"'-', starting with a letter or digit{fix}"
    )
