"""A goal file's shape errors (pydantic's) said as ``path:line: message``: the key,
the value and the fix, in the words of goal files, never a private goal's text."""

from __future__ import annotations

import math
import re
import typing
from typing import Any

import pydantic

from okrsite.diagnostics import Diagnostic, did_you_mean, show
from okrsite.limits import MAX_WEIGHT, NUMBER_RANGE
from okrsite.model.periods import PERIOD_HINT
from okrsite.source import fileformat as schema
from okrsite.source.yamlsafe import YamlDoc
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


def type_name(value: Any) -> str:
    """What kind of value ``value`` is, in words."""
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


def explain(
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
            if not hint and value is None and " " in key.strip():
                # '{date: 2026-11-02, note: Fixed, two in November.}': in braces, a
                # comma ends the value and the rest becomes a key without a value.
                hint = (
                    "; in { }, a comma inside an unquoted value starts a new key: put the "
                    'value before it in quotes, e.g. note: "Fixed, two left."'
                )
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
                f"'{key}'{where} must be text, got {type_name(value)} {say(value)}: "
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
                f"got {type_name(value)} {say(value)}"
            )
        elif etype in ("model_type", "model_attributes_type", "dict_type"):
            label = _ITEM_NAMES.get(key, key) if not isinstance(loc[-1], int) else "item"
            msg = (
                f"each {label}{where} must be a mapping of keys (like 'id: ...'), "
                f"got {type_name(value)} {say(value)}"
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
            f"'{key}'{where} holds a line break, a control character or a text-direction "
            f"override, got {say(value)}: "
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
