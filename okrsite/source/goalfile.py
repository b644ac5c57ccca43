"""Reading one goal file: strict YAML, its kind, its shape checked against the file
format, and every problem explained as ``path:line: message`` (the wording of shape
errors is :mod:`okrsite.source.shape_errors`'). Which files are read is
:mod:`okrsite.source.folder`'s; references between files are resolved by
:mod:`okrsite.source.loader`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from okrsite.diagnostics import WARNING, Diagnostic, did_you_mean, show
from okrsite.limits import MAX_FILE_BYTES
from okrsite.source import fileformat as schema
from okrsite.source.shape_errors import explain, private_goal_at, type_name
from okrsite.source.yamlsafe import YamlDoc, parse


@dataclass
class ParsedFile:
    kind: str
    model: Any
    doc: YamlDoc
    path: str  # as shown in messages
    file: Path  # on disk


@dataclass
class FailedFile:
    """A file that did not validate: its errors, and what it was about (if known), so
    that references into it are not reported a second time."""

    diagnostics: list[Diagnostic]
    kind: str | None = None
    data: Any = None


def read_goal_file(path: Path, shown: str) -> ParsedFile | FailedFile:
    """Read and shape-check one goal file (no cache): its kind and model, or its errors."""
    with path.open("rb") as handle:  # at most one byte over the limit, whatever stat said
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return FailedFile([Diagnostic(shown, 1, too_big(path.stat().st_size))])
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
            f"a goal file must be a mapping of keys (like 'period: ...'), not {type_name(data)}"
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
        return FailedFile(explain(exc, model_cls, doc, shown, kind), kind, data)
    return ParsedFile(kind, model, doc, shown, path)


def too_big(size: int) -> str:
    """Why a goal file of ``size`` bytes is not read."""
    return (
        f"is {size:,} bytes, over okrsite's limit of {MAX_FILE_BYTES:,} bytes for one "
        "goal file: split it (goal files may be spread over any number of files)"
    )


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
