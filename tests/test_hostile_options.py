"""Hostile okrsite options in mkdocs.yml: one check (okrsite.settings) for `mkdocs build`
and for every okrsite command, so both accept or both refuse, with our message.

The agreement test is the proof: each mkdocs.yml below is built by the real MkDocs
(in-process: mkdocs.config.load_config and mkdocs.commands.build.build) and checked by
the real `okrsite validate`; they must agree, and where they accept, the plugin and the
command must hold equal Options.
"""

from __future__ import annotations

import argparse
import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from okrsite import settings
from okrsite.commands.cli import main
from okrsite.commands.context import context

from orgkit import FILES, write_goals

HEAD = "site_name: Test\ntheme: {name: material, font: false}\n"
NOT_A_DAY = "today must be a day that exists, written YYYY-MM-DD, got '2026-02-30'"
STALE = "stale_after_days must be a number of days, 1 or more, got"
FISCAL = "fiscal_year_start must be a month number 1-12, got"
PRIVATE = "include_private must be true or false, got"
GOALS = "goals_dir must be the goals folder's path relative to mkdocs.yml, got"
RULES = "rules must map rules to levels, e.g. rules: {kr-is-task: off}, got"
REF = "compare_to must be a git ref such as origin/main, got"


def _site(root: Path, plugins: str, extra: str = "") -> Path:
    """A project whose mkdocs.yml has this ``plugins:`` value (and maybe more)."""
    write_goals(root, FILES)
    (root / "docs").mkdir(exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text(f"{HEAD}plugins: {plugins}\n{extra}", encoding="utf-8")
    return config


class _Log(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _mkdocs(config: Path) -> tuple[bool, str, settings.Options | None]:
    """A real build in this process: (built, what MkDocs logged, the plugin's Options)."""
    log = _Log()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(log)
    try:
        cfg = load_config(str(config))
        plugin = next(p for name, p in cfg.plugins.items() if name == "okrsite")
        mkdocs_build(cfg)
        return True, "\n".join(log.lines), plugin.options
    except (SystemExit, Exception) as exc:  # Abort is a SystemExit; MkDocs' own: anything
        return False, "\n".join([*log.lines, f"{type(exc).__name__}: {exc}"]), None
    finally:
        logger.removeHandler(log)


def _validate(capsys, *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().err


# (plugins: value, None if both accept, else the message both give)
AGREE = [
    # both forms of plugins:, okrsite with and without options
    ("[search, okrsite]", None),
    ("[search, {okrsite: }]", None),
    ("{search: {}, okrsite: }", None),
    ("{search: {}, okrsite: {fiscal_year_start: 7, stale_after_days: 21}}", None),
    ("{search: {}, okrsite: {stale_after_days: 0}}", f"{STALE} 0;"),
    ("[search, {/okrsite: {stale_after_days: 0}}]", f"{STALE} 0;"),
    # goals_dir
    ("[{okrsite: {goals_dir: goals}}]", None),
    ("[{okrsite: {goals_dir: 3}}]", f"{GOALS} 3; write e.g. goals_dir: goals"),
    ("[{okrsite: {goals_dir: ''}}]", f"{GOALS} ''"),
    ('[{okrsite: {goals_dir: "go\\0als"}}]', "goals_dir 'go\\x00als' cannot be a folder"),
    (f"[{{okrsite: {{goals_dir: {'g' * 300}}}}}]", "cannot be a folder (a NUL byte, or a name"),
    ("[{okrsite: {goals_dir: [goals]}}]", f"{GOALS} [...]"),
    # today
    ("[{okrsite: {today: 2026-08-01}}]", None),
    ("[{okrsite: {today: '2026-08-01'}}]", None),
    ("[{okrsite: {today: }}]", None),
    ("[{okrsite: {today: '2026-02-30'}}]", NOT_A_DAY),
    ("[{okrsite: {today: 2026-8-1}}]", "today must be a date written YYYY-MM-DD, got '2026-8-1'"),
    ("[{okrsite: {today: 20260801}}]", "today must be a date written YYYY-MM-DD, got 20260801"),
    ("[{okrsite: {today: 2026-08-01 10:00:00}}]", "today must be a date written YYYY-MM-DD"),
    ("[{okrsite: {today: 2026-W31-1}}]", "today must be a date written YYYY-MM-DD, got '2026-W3"),
    # include_private
    ("[{okrsite: {include_private: false}}]", None),
    ("[{okrsite: {include_private: 'false'}}]", f"{PRIVATE} 'false'; write include_private"),
    ("[{okrsite: {include_private: 0}}]", f"{PRIVATE} 0;"),
    # fiscal_year_start
    ("[{okrsite: {fiscal_year_start: 12}}]", None),
    ("[{okrsite: {fiscal_year_start: 13}}]", f"{FISCAL} 13; write e.g. fiscal_year_start: 7"),
    ("[{okrsite: {fiscal_year_start: 0}}]", f"{FISCAL} 0;"),
    ("[{okrsite: {fiscal_year_start: abc}}]", f"{FISCAL} 'abc';"),
    ("[{okrsite: {fiscal_year_start: true}}]", f"{FISCAL} True;"),
    ("[{okrsite: {fiscal_year_start: 7.0}}]", f"{FISCAL} 7.0;"),
    # stale_after_days
    ("[{okrsite: {stale_after_days: 1}}]", None),
    ("[{okrsite: {stale_after_days: -3}}]", f"{STALE} -3; to stop stale warnings"),
    ("[{okrsite: {stale_after_days: '14'}}]", f"{STALE} '14';"),
    ("[{okrsite: {stale_after_days: true}}]", f"{STALE} True;"),
    ("[{okrsite: {stale_after_days: 1.5}}]", f"{STALE} 1.5;"),
    ("[{okrsite: {stale_after_days: !ENV [OKRSITE_TEST_UNSET_VAR, 0]}}]", f"{STALE} 0;"),
    ("[{okrsite: {stale_after_days: !ENV [OKRSITE_TEST_UNSET_VAR, 30]}}]", None),
    # rules
    ("[{okrsite: {rules: {kr-is-task: off, OKR304: ERROR, stale-key-result: info}}}]", None),
    ("[{okrsite: {rules: x}}]", f"{RULES} 'x'"),
    ("[{okrsite: {rules: [a]}}]", f"{RULES} [...]"),
    (
        "[{okrsite: {rules: {bogus: off}}}]",
        "unknown rule 'bogus' in 'rules'; name a rule by its code",
    ),
    ("[{okrsite: {rules: {kr-is-tsk: off}}}]", "unknown rule 'kr-is-tsk' in 'rules'; did you mean"),
    (
        "[{okrsite: {rules: {stale-key-result: maybe}}}]",
        "bad level 'maybe' for rule OKR204 (stale-key-result) in 'rules': use one of error",
    ),
    (
        "[{okrsite: {rules: {kr-is-task: on}}}]",
        "bad level True for rule OKR201 (kr-is-task) in 'rules'",
    ),
    ("[{okrsite: {rules: {1: off}}}]", "unknown rule 1 in 'rules';"),
    # compare_to, preview_banner
    ("[{okrsite: {compare_to: ''}}]", None),
    ("[{okrsite: {compare_to: 5}}]", f"{REF} 5; write e.g. compare_to: origin/main"),
    ("[{okrsite: {compare_to: --output=/tmp/x}}]", f"{REF} '--output=/tmp/x'; a ref neither"),
    ('[{okrsite: {compare_to: "main\\nx"}}]', f"{REF} 'main\\nx'; a ref neither"),
    ("[{okrsite: {preview_banner: false}}]", None),
    ("[{okrsite: {preview_banner: 'yes'}}]", "preview_banner must be true or false, got 'yes'"),
    # unknown options: MkDocs only warns; okrsite refuses, in both
    ("[{okrsite: {stale_after_day: 3}}]", "unknown option 'stale_after_day'; did you mean"),
    ("[{okrsite: {enable: true}}]", "unknown option 'enable'; did you mean 'enabled'?"),
    ("[{okrsite: {colour: red}}]", "unknown option 'colour'; the options are goals_dir, today"),
    # MkDocs' own option of every plugin: true, or false to skip the plugin
    ("[{okrsite: {enabled: true, today: 2026-08-01}}]", None),
    # a tag the commands do not construct: MkDocs makes a path object of it
    (
        "[{okrsite: {goals_dir: !relative $config_dir/goals}}]",
        f"{GOALS} a value under a YAML tag (such as !relative), which okrsite does not read",
    ),
    # several problems at once, on one line
    (
        "[{okrsite: {stale_after_days: 0, fiscal_year_start: 13}}]",
        f"{FISCAL} 13; write e.g. fiscal_year_start: 7 for a year that starts in July; {STALE} 0;",
    ),
]


@pytest.mark.parametrize(("plugins", "message"), AGREE)
def test_mkdocs_build_and_okrsite_validate_agree(tmp_path, capsys, plugins, message):
    config = _site(tmp_path, plugins)
    built, log, plugin_options = _mkdocs(config)
    code, err = _validate(capsys, "-f", str(config))
    assert "Traceback" not in err
    if message is None:
        assert built, log
        assert code in (0, 1), err
        # the command's options are the plugin's options: one reading, one check
        assert context(argparse.Namespace(config_file=str(config))).options == plugin_options
        return
    assert not built
    assert code == 2
    # one line: 'okrsite: FILE: message', the same message the build gives
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"okrsite: {config}: ")
    ours = lines[0].removeprefix(f"okrsite: {config}: ")
    assert message in ours
    assert f"okrsite: {ours}" in log


# Cases MkDocs refuses before okrsite sees them, in its own words (which we do not
# assert on): the command refuses too, with ours.
MKDOCS_FIRST = [
    # PyYAML constructs a date for 2026-02-30 and raises ValueError inside MkDocs
    ("[{okrsite: {today: 2026-02-30}}]", NOT_A_DAY),
    ("[{okrsite: [a]}]", "the okrsite options must be a mapping such as 'okrsite: {goals_dir"),
    ("{okrsite: 5}", "the okrsite options must be a mapping such as"),
    ("[{okrsite: {enabled: 'no'}}]", "the okrsite option enabled must be true or false, got 'no'"),
]


@pytest.mark.parametrize(("plugins", "message"), MKDOCS_FIRST)
def test_refused_by_mkdocs_itself_and_by_the_command(tmp_path, capsys, plugins, message):
    config = _site(tmp_path, plugins)
    assert not _mkdocs(config)[0]
    code, err = _validate(capsys, "-f", str(config))
    assert code == 2
    assert err.startswith(f"okrsite: {config}: {message}")
    assert len(err.splitlines()) == 1


def test_inherited_options_are_read_as_mkdocs_reads_them(tmp_path, capsys):
    """INHERIT inside the project: the parent's okrsite options, merged under the
    child's mapping as MkDocs merges them, for both."""
    _site(tmp_path, "{search: {}, okrsite: {stale_after_days: 0, today: 2026-08-01}}")
    (tmp_path / "mkdocs.yml").rename(tmp_path / "base.yml")
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nplugins: {okrsite: {fiscal_year_start: 7}}\n")
    built, log, _ = _mkdocs(config)
    code, err = _validate(capsys, "-f", str(config))
    assert not built and code == 2
    assert f"okrsite: {STALE} 0;" in log
    assert err.startswith(f"okrsite: {config}: {STALE} 0;")
    # the child's value wins over the parent's
    config.write_text("INHERIT: base.yml\nplugins: {okrsite: {stale_after_days: 9}}\n")
    built, log, plugin = _mkdocs(config)
    assert built, log
    assert context(argparse.Namespace(config_file=str(config))).options == plugin
    assert plugin is not None
    assert (plugin.stale_after_days, plugin.today.isoformat()) == (9, "2026-08-01")


# mkdocs.yml files the commands refuse in one line, naming the file (and the line of a
# YAML error), echoing nothing else of it.
SECRET = "hunter2-do-not-print"
BAD_FILES = [
    (f"site_name: x\npassword: {SECRET}\nplugins: [okrsite\n", "{f}:4: not valid YAML: "),
    (f"site_name: {SECRET}\n  bad: indent\n", "{f}:2: not valid YAML: mapping values are"),
    (f"a: {SECRET}\na: [\n", "{f}:3: not valid YAML: "),
    (f"- {SECRET}\n- b\n", "{f}: must be a mapping of settings (site_name: ..., plugins"),
    (f"{SECRET}\n", "{f}: must be a mapping of settings (site_name: ..., plugins: ...), got str"),
    ("plugins: 5\n", "{f}: 'plugins' must be a list or a mapping of plugins, got 5"),
    (f"x: {SECRET}\nplugins: true\n", "{f}: 'plugins' must be a list or a mapping of plugins, got"),
    ("plugins: [okrsite]\nx: " + "9" * 5000 + "\n", "{f}: not valid YAML (ValueError)"),
    ("plugins: " + "[" * 3000 + "]" * 3000 + "\n", "{f}: not valid YAML (RecursionError)"),
    (b"site_name: caf\xe9\n", "{f}: not UTF-8 text (byte 14); save it as UTF-8"),
    ("INHERIT: ../outside.yml\n", "{f}: INHERIT '../outside.yml' is outside the folder of"),
    ("INHERIT: /etc/passwd\n", "{f}: INHERIT '/etc/passwd' is outside the folder of the"),
    ("INHERIT: mkdocs.yml\n", "{f}: INHERIT 'mkdocs.yml' inherits itself; break the loop"),
    ("INHERIT: nothere.yml\n", "{f}: INHERIT 'nothere.yml': no such file"),
    ("INHERIT: [a]\n", "{f}: INHERIT must be the path of a config file, got [...]"),
    ("INHERIT: goals\n", "{f}: INHERIT 'goals': no such file"),
    # an explicit timestamp tag on what is no scalar: PyYAML's own refusal, at its line
    (f"site_name: {SECRET}\nwhen: !!timestamp [1, 2]\n", "{f}:2: not valid YAML: "),
    # MkDocs' full loader would run this; the commands construct nothing of it
    (
        "plugins: [{okrsite: {today: !!python/object/apply:os.system [touch pwned]}}]\n",
        "{f}: today must be a date written YYYY-MM-DD, got a value under a YAML tag (such",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_broken_mkdocs_yml_is_one_line_without_its_content(
    tmp_path, capsys, monkeypatch, text, message
):
    write_goals(tmp_path, FILES)
    config = tmp_path / "mkdocs.yml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text, encoding="utf-8")
    (tmp_path / "outside.yml").write_text("plugins: [okrsite]\n")
    monkeypatch.chdir(tmp_path)  # the default config file, as a user runs it
    code, err = _validate(capsys)
    assert code == 2
    assert err.startswith("okrsite: " + message.format(f="mkdocs.yml")), err
    assert len(err.splitlines()) == 1 and SECRET not in err and "Traceback" not in err
    assert not (tmp_path / "pwned").exists()


def test_inherit_loops_through_two_files_are_refused(tmp_path, capsys):
    write_goals(tmp_path, FILES)
    (tmp_path / "a.yml").write_text("INHERIT: b.yml\n")
    (tmp_path / "b.yml").write_text("INHERIT: a.yml\n")
    code, err = _validate(capsys, "-f", str(tmp_path / "a.yml"))
    assert code == 2
    assert (
        err == f"okrsite: {tmp_path / 'b.yml'}: INHERIT 'a.yml' inherits itself; break the loop\n"
    )


def test_a_named_config_file_must_exist_the_default_need_not(tmp_path, capsys, monkeypatch):
    write_goals(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    assert _validate(capsys, "-f", "missing.yml") == (
        2,
        "okrsite: no such config file: 'missing.yml'\n",
    )
    assert _validate(capsys, "--config-file", "goals") == (
        2,
        "okrsite: no such config file: 'goals'\n",
    )
    code, err = _validate(capsys, "--today", "2026-08-01")  # no mkdocs.yml: the defaults
    assert code in (0, 1) and err.startswith("okrsite: ")
    assert "no such" not in err


@pytest.mark.parametrize(
    "today",
    ["2026-02-30", "2026-13-01", "20260801", "2026-8-1", "2026-W31-1", "yesterday", "x" * 500],
)
@pytest.mark.parametrize("command", [["validate"], ["pdf", "2026-Q3"], ["diff", "HEAD"]])
def test_a_bad_today_on_the_command_line_is_a_usage_error(
    tmp_path, capsys, monkeypatch, command, today
):
    write_goals(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--today", today]) == 2
    err = capsys.readouterr().err
    assert err.startswith("okrsite: --today must be a ")
    assert "write e.g. 2026-08-01" in err and len(err.splitlines()) == 1 and len(err) < 300


@pytest.mark.parametrize(
    "command", [["pdf", "2026-Q3"], ["diff", "HEAD"], ["new-period", "2026-Q4"], ["validate"]]
)
def test_every_command_refuses_what_the_build_refuses(tmp_path, capsys, monkeypatch, command):
    """`okrsite pdf` read include_private: "false" as true (a private summary printed
    for a public audience); every command now refuses it, as mkdocs build does."""
    _site(tmp_path, "[search, {okrsite: {include_private: 'false'}}]")
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    assert capsys.readouterr().err == (
        f"okrsite: mkdocs.yml: {PRIVATE} 'false'; write include_private: true only for a "
        "restricted audience\n"
    )


def test_the_environment_ref_is_checked_like_compare_to(tmp_path, monkeypatch):
    config = _site(tmp_path, "[search, okrsite]")
    monkeypatch.setenv("OKRSITE_COMPARE_TO", "--output=/tmp/okrsite-pwned")
    built, log, _ = _mkdocs(config)
    assert not built
    assert (
        "okrsite: OKRSITE_COMPARE_TO must be a git ref such as origin/main, got "
        "'--output=/tmp/okrsite-pwned'; a ref neither starts with '-'" in log
    )


def test_one_set_of_defaults(tmp_path):
    """The plugin without options holds settings.DEFAULTS, and the modules that read
    the options or default them restate no default number (`stale_after_days: int = 14`, `.get("stale_after_days",
    14)`): they read settings.DEFAULTS."""
    config = _site(tmp_path, "[search, okrsite]")
    built, log, plugin = _mkdocs(config)
    assert built, log
    assert plugin == settings.DEFAULTS == settings.Options()
    assert (settings.DEFAULTS.stale_after_days, settings.DEFAULTS.fiscal_year_start) == (14, 1)
    restated = re.compile(r"""(stale_after_days|fiscal_year_start)["']?(: int)?( *= *|, *)\d""")
    package = Path(settings.__file__).parent
    readers = [path for path in package.rglob("*.py") if path.name != "settings.py"]
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in readers
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if restated.search(line) and "``" not in line  # not an example in a docstring
    ]
    assert found == []
