"""The one path from a goals folder to what okrsite shows (okrsite.pipeline) and the
reading of mkdocs.yml the commands share (okrsite.configfile): fast, real files in
tmp_path, no site build."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from okrsite import configfile, pipeline, settings
from okrsite.diagnostics import DataError

from orgkit import ANA, FILES, write_goals

TODAY = dt.date(2026, 8, 1)


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    return write_goals(tmp_path, FILES)


def test_run_loads_checks_and_times_each_phase(goals: Path):
    outcome = pipeline.run(goals, settings.DEFAULTS, TODAY)
    assert outcome.org.name == "Tiny Co"
    assert outcome.diff is None  # nothing to compare to
    assert set(outcome.timings) == {"load", "diff", "rules"}
    assert {f.rule.code for f in outcome.findings}  # the tiny organisation has findings


def test_run_applies_the_rule_levels_of_the_options(goals: Path):
    codes = {f.rule.code for f in pipeline.run(goals, settings.DEFAULTS, TODAY).findings}
    code = sorted(codes)[0]
    options = settings.options_from({"rules": {code: "off"}})
    quiet = pipeline.run(goals, options, TODAY).findings
    assert code not in {f.rule.code for f in quiet}
    assert {f.rule.code for f in quiet} == codes - {code}


def test_run_raises_every_data_error(tmp_path: Path):
    files = {**FILES, "2026-Q3/growth.yaml": FILES["2026-Q3/growth.yaml"].replace("ana", "nobody")}
    with pytest.raises(DataError) as info:
        pipeline.run(write_goals(tmp_path, files), settings.DEFAULTS, TODAY)
    messages = [str(d) for d in info.value.diagnostics]
    assert messages and all(m.startswith("goals/2026-Q3/growth.yaml:") for m in messages)
    assert any("'nobody'" in m for m in messages)


PRIVATE = (
    ANA
    + """  - id: secret
    title: Cut my own review backlog from 40 to 10 items
    visibility: private
    supports: growth/trials/aha
    metric: Open reviews
    baseline: 40
    target: 10
    due: 2026-09-15
"""
)


def test_private_goals_follow_the_option_unless_the_caller_says(tmp_path: Path):
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana.yaml": PRIVATE})
    hidden = settings.DEFAULTS
    shown = settings.options_from({"include_private": True})

    def has_secret(options: settings.Options, include_private: bool | None = None) -> bool:
        org = pipeline.run(goals, options, TODAY, include_private=include_private).org
        return any(goal.id == "secret" for goal in org.goals.values())

    assert not has_secret(hidden)
    assert has_secret(shown)
    assert has_secret(hidden, include_private=True)  # okrsite validate checks them all
    assert not has_secret(shown, include_private=False)


def test_a_base_ref_that_cannot_be_read_is_one_error_naming_the_option(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    # a repository of its own without that ref, whatever folder tmp_path lies in
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(pipeline.BaseRefError) as info:
        pipeline.run(goals, settings.DEFAULTS, TODAY, compare_to="no-such-branch")
    assert str(info.value).startswith("compare_to: ")
    assert "\n" not in str(info.value)


def test_as_of_prefers_the_command_then_the_option_then_the_day():
    option = settings.options_from({"today": dt.date(2026, 9, 1)})
    given = dt.date(2026, 10, 1)
    assert pipeline.as_of(option, given) == given
    assert pipeline.as_of(option) == dt.date(2026, 9, 1)
    before = dt.date.today()
    assert pipeline.as_of(settings.DEFAULTS) in (before, dt.date.today())  # at midnight


def test_the_renderer_takes_template_overrides_first(goals: Path, tmp_path: Path):
    outcome = pipeline.run(goals, settings.DEFAULTS, TODAY)
    period = outcome.org.periods_sorted()[0]
    custom = tmp_path / "overrides" / "okrsite"
    custom.mkdir(parents=True)
    (custom / "print.html").write_text("OVERRIDDEN {{ period.key }}", encoding="utf-8")
    plain = pipeline.renderer(outcome, settings.DEFAULTS, TODAY).render_print(period)
    overridden = pipeline.renderer(
        outcome, settings.DEFAULTS, TODAY, template_dirs=[tmp_path / "overrides"]
    ).render_print(period)
    assert "OVERRIDDEN" not in plain
    assert overridden == f"OVERRIDDEN {period.key}"


# -- mkdocs.yml as the commands read it -------------------------------------------------


def _config(tmp_path: Path, text: str, name: str = "mkdocs.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "plugins",
    [
        "plugins: [search, {okrsite: {stale_after_days: 9}}]",
        "plugins:\n  search: {}\n  okrsite: {stale_after_days: 9}",  # a mapping, as MkDocs allows
        "plugins:\n  - search\n  - okrsite:\n      stale_after_days: 9\n      enabled: true",
    ],
)
def test_the_plugin_options_in_either_form_of_plugins(tmp_path: Path, plugins: str):
    read = configfile.read_config_file(_config(tmp_path, f"site_name: X\n{plugins}\n"))
    assert settings.options_from(read.options).stale_after_days == 9
    assert read.custom_dir is None


def test_okrsite_listed_without_options_or_not_at_all(tmp_path: Path):
    assert configfile.read_config_file(_config(tmp_path, "plugins: [okrsite]\n")).options is None
    assert configfile.read_config_file(_config(tmp_path, "plugins: [search]\n")).options is None


def test_custom_dir_is_read_relative_to_the_file_and_must_be_a_folder(tmp_path: Path):
    (tmp_path / "overrides").mkdir()
    yml = _config(tmp_path, "theme: {name: material, custom_dir: overrides}\n")
    assert configfile.read_config_file(yml).custom_dir == tmp_path / "overrides"
    missing = _config(tmp_path, "theme: {name: material, custom_dir: nowhere}\n", "b.yml")
    with pytest.raises(settings.SettingsError) as info:
        configfile.read_config_file(missing)
    assert str(info.value) == (
        f"{missing}: theme.custom_dir 'nowhere' is not a folder; create it or remove the option"
    )


def test_inherit_merges_the_parent_under_the_file(tmp_path: Path):
    _config(
        tmp_path, "plugins: {okrsite: {fiscal_year_start: 7, stale_after_days: 5}}\n", "base.yml"
    )
    yml = _config(tmp_path, "INHERIT: base.yml\nplugins: {okrsite: {stale_after_days: 9}}\n")
    options = settings.options_from(configfile.read_config_file(yml).options)
    assert (options.fiscal_year_start, options.stale_after_days) == (7, 9)
