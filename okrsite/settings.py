"""The okrsite plugin's options: one set of defaults and one check of them, for
``mkdocs build`` and for every ``okrsite`` command.

The plugin hands :func:`options_from` the options MkDocs read from mkdocs.yml (its
config class passes every value through unchecked); the commands read mkdocs.yml
themselves (:mod:`okrsite.configfile`) and hand over the same mapping. So a value is
accepted or refused, with the same message, whichever way the options are read.

This module imports nothing from MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from okrsite.diagnostics import did_you_mean, show

PLUGIN = "okrsite"


class SettingsError(ValueError):
    """An okrsite option that cannot be used, or an mkdocs.yml that cannot be read.

    The message is one line; it names the option, its value (shortened) and the fix.
    """


@dataclass(frozen=True)
class Options:
    """The okrsite plugin's options, checked; the defaults here are the only ones."""

    goals_dir: str = "goals"
    # None: the day of the run.
    today: dt.date | None = None
    include_private: bool = False
    fiscal_year_start: int = 1
    compare_to: str | None = None
    # None: on exactly when there is something to compare to.
    preview_banner: bool | None = None
    # rule code -> level, from the option ``rules`` (codes or names, any case).
    rule_levels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stale_after_days: int = 14
    # Who answers the search box: okrsite's index (static files the browser reads in
    # pieces) or Material's own (the whole site's text, downloaded for the first search).
    search: str = "okrsite"


DEFAULTS = Options()

# The option names as written in mkdocs.yml, in the order the guide lists them.
NAMES = (
    "goals_dir",
    "today",
    "include_private",
    "fiscal_year_start",
    "stale_after_days",
    "rules",
    "compare_to",
    "preview_banner",
    "search",
)


def options_from(raw: object) -> Options:
    """Check the okrsite options as read from mkdocs.yml and return them as Options.

    ``raw`` is the mapping under ``okrsite`` (None when there is none). A value of
    None (``today:`` with nothing after it) means the default. Every problem is
    raised at once as one SettingsError, its parts joined by "; ".
    """
    if raw is None:
        return DEFAULTS
    if not isinstance(raw, Mapping):
        raise SettingsError(
            f"the okrsite options must be a mapping such as 'okrsite: {{goals_dir: goals}}', "
            f"got {show_value(raw)}"
        )
    # Unknown names first (typos, mostly), then the options in the guide's order, so
    # the message is the same whatever order mkdocs.yml (or MkDocs) gives them in.
    problems: list[str] = []
    for key in raw:
        if key not in NAMES:
            # 'enabled' is MkDocs' own (it takes it before okrsite sees the options).
            hint = did_you_mean(key, (*NAMES, "enabled")) or "; the options are " + ", ".join(NAMES)
            problems.append(f"unknown option {show_value(key)}{hint}")
    values: dict[str, Any] = {}
    for key in NAMES:
        value = raw.get(key)
        if value is None:
            continue
        try:
            values[_FIELD.get(key, key)] = _CHECKS[key](value)
        except SettingsError as exc:
            problems.append(str(exc))
    if problems:
        raise SettingsError("; ".join(problems))
    return Options(**values)


def fiscal_year_start(value: object) -> int:
    """The first month of the fiscal year, 1-12."""
    month = _whole_number(value)
    if month is None or not 1 <= month <= 12:
        raise SettingsError(
            f"fiscal_year_start must be a month number 1-12, got {show_value(value)}; "
            "write e.g. fiscal_year_start: 7 for a year that starts in July"
        )
    return month


def stale_after_days(value: object) -> int:
    """Days without a check-in before a running key result is stale, 1 or more."""
    days = _whole_number(value)
    if days is None or days < 1:
        raise SettingsError(
            f"stale_after_days must be a number of days, 1 or more, got {show_value(value)}; to "
            "stop stale warnings, set rules: {stale-key-result: off}"
        )
    return days


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date(value: object, name: str = "today") -> dt.date:
    """A day written YYYY-MM-DD (a YAML date, or text of that form that is a real day).

    ``name`` is what the message calls the value (the option, or ``--today``).
    """
    # A datetime is a date to Python; "as of 10:00" is no answer here.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise SettingsError(
                f"{name} must be a day that exists, written YYYY-MM-DD, got {show_value(value)}; "
                "write e.g. 2026-08-01, or leave it out for the day of the run"
            ) from None
    raise SettingsError(
        f"{name} must be a date written YYYY-MM-DD, got {show_value(value)}; write e.g. "
        "2026-08-01, or leave it out for the day of the run"
    )


def _goals_dir(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(
            f"goals_dir must be the goals folder's path relative to mkdocs.yml, got "
            f"{show_value(value)}; write e.g. goals_dir: goals"
        )
    # Such paths make the operating system raise instead of answering "no folder".
    parts = re.split(r"[\\/]", value)
    if "\0" in value or any(len(part.encode("utf-8", "replace")) > 255 for part in parts):
        raise SettingsError(
            f"goals_dir {show_value(value)} cannot be a folder (a NUL byte, or a name longer "
            "than 255 bytes); write e.g. goals_dir: goals"
        )
    return value


SEARCH_ENGINES = ("okrsite", "material")


def _search(value: object) -> str:
    if value not in SEARCH_ENGINES:
        raise SettingsError(
            f"search must be okrsite or material, got {show_value(value)}; leave it out "
            "for okrsite's index, or write search: material for Material's own"
        )
    return str(value)


def _bool(name: str, fix: str) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        # Only YAML's true/false: the text "false" is true to Python, so it is refused.
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be true or false, got {show_value(value)}; {fix}")
        return value

    return check


def preview(options: Options, environ: Mapping[str, str]) -> tuple[str | None, bool]:
    """The base ref of a preview and whether its banner shows: ``OKRSITE_COMPARE_TO``
    (CI sets it, so mkdocs.yml stays as it is), else the ``compare_to`` option; the
    banner shows exactly for a preview unless ``preview_banner`` says otherwise.
    SettingsError for a value that is no git ref."""
    env_ref = environ.get("OKRSITE_COMPARE_TO")
    ref = compare_to(env_ref, "OKRSITE_COMPARE_TO") if env_ref else options.compare_to
    banner = options.preview_banner
    return ref, bool(ref) if banner is None else banner


def compare_to(value: object, name: str = "compare_to") -> str | None:
    """The git ref a preview compares to (None for an empty text).

    ``name`` is what the message calls the value (the option, or OKRSITE_COMPARE_TO).
    """
    if not isinstance(value, str):
        raise SettingsError(
            f"{name} must be a git ref such as origin/main, got {show_value(value)}; "
            "write e.g. compare_to: origin/main"
        )
    if not value:
        return None
    # The ref is handed to git: no option ("-..."), no control characters.
    if value.startswith("-") or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise SettingsError(
            f"{name} must be a git ref such as origin/main, got {show_value(value)}; a ref "
            "neither starts with '-' nor holds control characters"
        )
    return value


def _rule_levels(value: object) -> Mapping[str, str]:
    # Imported here: review.rules imports settings (for its defaults), so a module-level
    # import would be circular.
    from okrsite.review.rules import BY_NAME, LEVELS, OFF, RULES, rule_for

    if not isinstance(value, Mapping):
        raise SettingsError(
            "rules must map rules to levels, e.g. rules: {kr-is-task: off}, got "
            + show_value(value)
        )
    levels: dict[str, str] = {}
    problems: list[str] = []
    for key, level in value.items():
        rule = rule_for(key) if isinstance(key, str) else None
        if rule is None:
            hint = did_you_mean(key, [*RULES, *BY_NAME]) or (
                "; name a rule by its code (OKR201) or name (kr-is-task), as "
                "'okrsite validate' shows them"
            )
            problems.append(f"unknown rule {show_value(key)} in 'rules'{hint}")
            continue
        # YAML 1.1 reads a bare `off` as false.
        name = OFF if level is False else level.lower() if isinstance(level, str) else None
        if name not in LEVELS:
            problems.append(
                f"bad level {show_value(level)} for rule {rule.code} ({rule.name}) in 'rules': "
                "use one of " + ", ".join(LEVELS)
            )
            continue
        levels[rule.code] = name
    if problems:
        raise SettingsError("; ".join(problems))
    return MappingProxyType(levels)


# What YAML itself makes; anything else came from a tag (MkDocs' !relative, !!python/...).
_PLAIN = (str, int, float, dt.date, list, dict, type(None))


def show_value(value: object) -> str:
    """An option's value as a message shows it: one line, shortened, never an object's
    repr."""
    if not isinstance(value, _PLAIN):
        # The same words for what MkDocs made of a tag and for what the commands did
        # not construct, and no object's repr (with its memory address).
        return "a value under a YAML tag (such as !relative), which okrsite does not read"
    return show(value)  # one line: control characters (a NUL in a path) escaped


def _whole_number(value: object) -> int | None:
    # YAML gives an int; true/false are ints to Python but no answer here.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_CHECKS: dict[str, Any] = {
    "goals_dir": _goals_dir,
    "today": date,
    "include_private": _bool(
        "include_private", "write include_private: true only for a restricted audience"
    ),
    "fiscal_year_start": fiscal_year_start,
    "stale_after_days": stale_after_days,
    "rules": _rule_levels,
    "compare_to": compare_to,
    "preview_banner": _bool("preview_banner", "or leave it out: on exactly for previews"),
    "search": _search,
}
_FIELD = {"rules": "rule_levels"}
