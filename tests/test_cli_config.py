"""Which mkdocs.yml an ``okrsite`` command reads, wherever it is run from, and
``okrsite --version``."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrsite import __version__
from okrsite.commands.cli import main

from orgkit import FILES, write_goals

# An option mkdocs build refuses: every command must refuse it too, from any folder.
MISSPELT = "site_name: T\nplugins:\n  - okrsite:\n      stale_after_day: 10\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_goals(root, FILES)
    (root / "mkdocs.yml").write_text(MISSPELT, encoding="utf-8")
    (root / "notes").mkdir()
    return root


@pytest.mark.parametrize(
    ("where", "args", "shown"),
    [
        ("", ["validate"], "mkdocs.yml"),
        ("", ["validate", "goals"], "mkdocs.yml"),
        ("goals", ["validate"], "../mkdocs.yml"),
        ("goals/2026-Q3", ["validate"], "../../mkdocs.yml"),
        ("goals", ["validate", "."], "../mkdocs.yml"),
        ("notes", ["validate", "../goals"], "../mkdocs.yml"),
        ("notes", ["pdf", "2026-Q3", "--goals-dir", "../goals"], "../mkdocs.yml"),
    ],
)
def test_commands_read_the_sites_mkdocs_yml_from_any_folder(
    site: Path, monkeypatch, capsys, where: str, args: list[str], shown: str
):
    monkeypatch.chdir(site / where)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"okrsite: {shown}: unknown option 'stale_after_day'" in err


def test_the_search_stops_at_the_top_of_a_git_work_tree(site: Path, monkeypatch, capsys):
    # A repository of goals inside a folder that has some other mkdocs.yml above it.
    (site / "goals" / ".git").mkdir()
    monkeypatch.chdir(site / "goals" / "2026-Q3")
    assert main(["validate", ".."]) == 0
    assert "unknown option" not in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"okrsite {__version__}"
