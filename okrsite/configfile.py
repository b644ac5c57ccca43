"""mkdocs.yml as MkDocs reads it, for the ``okrsite`` commands, which do not import
MkDocs: the okrsite plugin's options (checked afterwards by
:func:`okrsite.settings.options_from`, the plugin's own check) and the theme's
``custom_dir``.

Reading follows MkDocs where the result could differ otherwise: both forms of
``plugins:`` (a list of names and one-key mappings, or a mapping), ``okrsite`` listed
without options, ``!ENV`` values (MkDocs' own constructor), and ``INHERIT:``. One
deliberate difference: an inherited parent file is read only when it lies inside the
folder of the given config file. The commands read no file outside the project, so a
parent elsewhere is refused with the way out (put the okrsite options in the project's
own file) instead of being read or silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from yaml_env_tag import construct_env_tag

from okrsite.settings import PLUGIN, SettingsError, show_value


class _Tagged:
    """A value under a YAML tag the commands do not construct (``!relative``,
    ``!!python/name:...``): MkDocs' business elsewhere in mkdocs.yml, refused as an
    okrsite option (as the plugin refuses what MkDocs makes of it)."""

    def __init__(self, tag: str):
        self.tag = tag

    def __repr__(self) -> str:
        return f"a value tagged {self.tag}"


class _Loader(yaml.SafeLoader):
    """SafeLoader with MkDocs' !ENV, any other tag as a _Tagged, and an impossible date
    (2026-02-30) as its text, so that the okrsite check names the option."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # An implicit date is always a scalar, but '!!timestamp [1, 2]' is not: PyYAML then
    # raises its ConstructorError, which _read_config reports as invalid YAML at its line.
    scalar = cast(yaml.ScalarNode, node)
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, scalar)
    except ValueError:
        return loader.construct_scalar(scalar)


_Loader.add_constructor("!ENV", construct_env_tag)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_multi_constructor("", lambda loader, suffix, node: _Tagged(node.tag))


@dataclass(frozen=True)
class ConfigFile:
    """What okrsite needs from an mkdocs.yml: the okrsite options as written (None
    when okrsite is not listed or listed without options; checked by
    :func:`options_from`) and the theme's ``custom_dir``, whose template overrides
    apply to the PDF as to the site."""

    options: object
    custom_dir: Path | None
    site: SiteLayout = field(default_factory=lambda: SiteLayout())


@dataclass(frozen=True)
class SiteLayout:
    """What ``okrsite generate`` needs to know of the site around okrsite's pages: the
    docs folder (relative to the config file), the navigation as written (None: none),
    the stylesheets and scripts it lists, the URL style and the Markdown extensions."""

    docs_dir: str = "docs"
    nav: Any = None
    extra_css: tuple[str, ...] = ()
    extra_javascript: tuple[str, ...] = ()
    use_directory_urls: bool = True
    markdown_extensions: tuple[str, ...] = ()


def read_config_file(config_file: Path) -> ConfigFile:
    """Read an mkdocs.yml (and the files it INHERITs) as MkDocs would.

    SettingsError (its message names the file, and the line of a YAML error) when the
    file cannot be read or ``theme.custom_dir`` is not a folder.
    """
    data = _read_config(config_file, root=config_file.resolve().parent, seen=())
    return ConfigFile(
        _plugin_options(config_file, data),
        _custom_dir(config_file, data),
        _layout(config_file, data),
    )


def _layout(config_file: Path, data: Mapping[str, Any]) -> SiteLayout:
    docs_dir = data.get("docs_dir", "docs")
    if not isinstance(docs_dir, str) or not docs_dir or "\0" in docs_dir:
        raise SettingsError(
            f"{config_file}: docs_dir must be the name of a folder, got {show_value(docs_dir)}"
        )
    urls_style = data.get("use_directory_urls", True)
    return SiteLayout(
        docs_dir,
        data.get("nav"),
        _names(data.get("extra_css")),
        _names(data.get("extra_javascript")),
        urls_style if isinstance(urls_style, bool) else True,
        _extension_names(data.get("markdown_extensions")),
    )


def _extension_names(value: object) -> tuple[str, ...]:
    """The names in a ``markdown_extensions`` list (a name, or a one-key mapping of a
    name to its options)."""
    if not isinstance(value, list):
        return ()
    names = [e for e in value if isinstance(e, str)]
    names += [k for e in value if isinstance(e, Mapping) for k in e if isinstance(k, str)]
    return tuple(names)


def _names(value: object) -> tuple[str, ...]:
    """The paths of a list of stylesheets or scripts (a script may be a mapping with a
    ``path``, as MkDocs allows)."""
    if not isinstance(value, list):
        return ()
    out = []
    for entry in value:
        if isinstance(entry, Mapping):
            entry = entry.get("path")
        if isinstance(entry, str):
            out.append(entry)
    return tuple(out)


def _custom_dir(config_file: Path, data: Mapping[str, Any]) -> Path | None:
    # Relative to the file given, also when an INHERITed parent sets it: MkDocs merges
    # the parents first, then resolves custom_dir against the loaded file's folder.
    # Unlike INHERIT it may lie outside the project: mkdocs.yml is trusted
    # configuration (the security guide), MkDocs reads it from anywhere, and a
    # template is rendered into the PDF, never echoed in a message.
    theme = data.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    if custom is None:
        return None
    # MkDocs refuses these too: a build of this file would stop with its own words.
    folder = config_file.parent / custom if isinstance(custom, str) and "\0" not in custom else None
    try:
        found = folder is not None and folder.is_dir()
    except (OSError, ValueError):  # a name too long for the system
        found = False
    if folder is None or not found:
        raise SettingsError(
            f"{config_file}: theme.custom_dir {show_value(custom)} is not a folder; create it or "
            "remove the option"
        )
    return folder


def _plugin_options(config_file: Path, data: Mapping[str, Any]) -> object:
    plugins = data.get("plugins")
    if plugins is None:
        return None
    if isinstance(plugins, Mapping):
        entries: list[tuple[object, object]] = list(plugins.items())
    elif isinstance(plugins, list):
        entries = []
        for entry in plugins:
            if isinstance(entry, Mapping):
                entries.extend(entry.items())
            else:
                entries.append((entry, None))
    else:
        raise SettingsError(
            f"{config_file}: 'plugins' must be a list or a mapping of plugins, got "
            f"{show_value(plugins)}; write e.g. plugins: [search, okrsite]"
        )
    for name, options in entries:
        # "/okrsite" is MkDocs' way to skip a theme's namespace: the same plugin.
        if isinstance(name, str) and name.removeprefix("/") == PLUGIN:
            return _without_enabled(config_file, options)
    return None


def _without_enabled(config_file: Path, options: object) -> object:
    """The options without ``enabled``, which MkDocs (1.6+) takes for itself for every
    plugin: true or false, false skipping the plugin. The commands check the other
    options all the same: they say how the plugin reads the goals when it runs."""
    if not isinstance(options, Mapping) or "enabled" not in options:
        return options
    if not isinstance(options["enabled"], bool):
        raise SettingsError(
            f"{config_file}: the okrsite option enabled must be true or false, got "
            f"{show_value(options['enabled'])}"
        )
    return {key: value for key, value in options.items() if key != "enabled"}


def _read_config(path: Path, root: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """One config file, with the files it inherits merged under it as MkDocs does."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror or 'error'})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        # The problem only, on one line: str(exc) would quote the file's text around it.
        problem = " ".join(str(exc.problem or "a syntax error").split())[:100]
        raise SettingsError(f"{where}: not valid YAML: {problem}") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: an integer of more than 4,300 digits; RecursionError: nesting.
        raise SettingsError(
            f"{path}: not valid YAML ({type(exc).__name__}); check the file with mkdocs build"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path}: must be a mapping of settings (site_name: ..., plugins: ...), got "
            f"{type(data).__name__}"
        )
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent or "\0" in parent:
        raise SettingsError(
            f"{path}: INHERIT must be the path of a config file, got {show_value(parent)}"
        )
    target = Path(os.path.normpath(path.parent / parent))
    resolved = target.resolve()
    if not resolved.is_relative_to(root):
        raise SettingsError(
            f"{path}: INHERIT {show_value(parent)} is outside the folder of the config file, and "
            "okrsite commands read no file outside the project; put the okrsite plugin "
            "and its options in this file"
        )
    if resolved in seen or resolved == path.resolve():
        raise SettingsError(f"{path}: INHERIT {show_value(parent)} inherits itself; break the loop")
    if not resolved.is_file():
        raise SettingsError(f"{path}: INHERIT {show_value(parent)}: no such file")
    return _merge(_read_config(target, root, (*seen, path.resolve())), data)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """The child over the parent, mappings merged key by key (MkDocs uses mergedeep's
    default, which does this); lists and other values are replaced whole."""
    merged = dict(parent)
    for key, value in child.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = _merge(old, value)
        else:
            merged[key] = value
    return merged
