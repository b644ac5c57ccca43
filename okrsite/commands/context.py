"""What every ``okrsite`` command that reads a goals folder starts from: the okrsite
options in mkdocs.yml (read and checked as ``mkdocs build`` reads them, by
:mod:`okrsite.settings`), the goals folder, the as-of date and the theme's template
overrides; and the exit statuses."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from okrsite import configfile, pipeline, settings
from okrsite.diagnostics import show

EXIT_CLEAN, EXIT_FINDINGS, EXIT_DATA = 0, 1, 2


class UsageError(Exception):
    """A problem with how the command was called or configured (exit status 2)."""


@dataclass(frozen=True)
class Context:
    """Where a command starts: the okrsite options (checked as ``mkdocs build`` checks
    them), the goals folder, the as-of date, and the theme's ``custom_dir`` (its
    template overrides apply to the PDF as to the site)."""

    options: settings.Options
    goals_dir: Path
    today: dt.date
    template_dirs: tuple[Path, ...] = ()
    # The config file read (it may not exist: the defaults then apply) and the site
    # around okrsite's pages it describes (docs folder, navigation, stylesheets).
    config_file: Path = Path("mkdocs.yml")
    layout: configfile.SiteLayout = field(default_factory=configfile.SiteLayout)


def context(args: argparse.Namespace, goals_must_exist: bool = True) -> Context:
    """The command's :class:`Context` from its arguments (``--config-file``,
    ``--goals-dir``, ``--today``) and mkdocs.yml; a UsageError says what is wrong."""
    given_file = getattr(args, "config_file", None)
    given = getattr(args, "goals_dir", None)
    config_file = Path(given_file) if given_file else find_config_file(given)
    read = _read_config_file(config_file, required=given_file is not None)
    options, custom_dir = read.options, read.custom_dir
    base = config_file.parent if _is_file(config_file) else Path.cwd()
    goals_dir = Path(given) if given else base / options.goals_dir
    try:
        found = goals_dir.is_dir() or not goals_must_exist
    except (OSError, ValueError):  # a name too long, a NUL byte in --goals-dir
        found = False
    if not found:
        raise UsageError(f"no such folder: {show(str(goals_dir))}")
    today = pipeline.as_of(options, given_date(getattr(args, "today", None)))
    dirs = (custom_dir,) if custom_dir is not None else ()
    return Context(options, goals_dir, today, dirs, config_file, read.site)


# The config files the engines read, in ProperDocs' order of preference (MkDocs reads
# the last two, Zensical mkdocs.yml when it has no zensical.toml).
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
CONFIG_NAME = "mkdocs.yml"


def find_config_file(goals_dir: str | None) -> Path:
    """The site's config file (properdocs.yml, else mkdocs.yml), found as git finds its
    repository: in the goals folder named on the command line (else the current folder)
    or the nearest folder above it, stopping at the top of a git work tree; so
    ``okrsite validate`` run
    inside ``goals/`` or from a sub-folder checks with the options ``mkdocs build`` uses.
    ``mkdocs.yml`` in the current folder when there is none (the defaults apply)."""
    try:
        start = Path(goals_dir).resolve() if goals_dir else Path.cwd()
    except (OSError, ValueError, RuntimeError):  # a name the system refuses: not found
        return Path(CONFIG_NAME)
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if _is_file(candidate):
                return Path(os.path.relpath(candidate))  # '../mkdocs.yml' in messages
        if _exists(folder / ".git"):
            break
    return Path(CONFIG_NAME)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _read_config_file(config_file: Path, required: bool) -> _Read:
    """The okrsite options in an mkdocs.yml, checked by the plugin's own check
    (okrsite.settings), without importing MkDocs, the theme's custom_dir and the site's
    layout. A missing file gives the defaults, unless it was named (``required``)."""
    if not _is_file(config_file):
        if required:
            raise UsageError(f"no such config file: {show(str(config_file))}")
        return _Read(settings.DEFAULTS, None, configfile.SiteLayout())
    try:
        read = configfile.read_config_file(config_file)  # messages name the file
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    try:
        return _Read(settings.options_from(read.options), read.custom_dir, read.site)
    except settings.SettingsError as exc:
        raise UsageError(f"{config_file}: {exc}") from None


@dataclass(frozen=True)
class _Read:
    options: settings.Options
    custom_dir: Path | None
    site: configfile.SiteLayout


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system: no such file
        return False


def given_date(value: str | None) -> dt.date | None:
    """The date of a ``--today`` option (YYYY-MM-DD, a real day), or None (also for
    ``--today ""``, as a script passing an empty variable means: no date given)."""
    if not value:
        return None
    try:
        return settings.date(value, "--today")
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
