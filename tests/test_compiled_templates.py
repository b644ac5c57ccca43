"""okrsite's compiled templates on disk (okrsite.site.render._CompiledTemplates): in the
user's own cache folder only, read back only for the same source, never in the way."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from okrsite.site import render


def env(cache: render._CompiledTemplates, folder: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CI", raising=False)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    return folder


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are checked on POSIX only")
def test_a_compiled_template_is_kept_on_disk_and_read_back(templates, tmp_path):
    env(render._CompiledTemplates(), templates).get_template("page.html")
    stored = list((tmp_path / "cache/okrsite").glob("templates-*/*.cache"))
    assert len(stored) == 1
    # Another process: the compiled code comes from the file, not from compiling.
    fresh = env(render._CompiledTemplates(), templates)
    fresh.compile = None  # type: ignore[method-assign]  # compiling would fail
    assert fresh.get_template("page.html").render(name="Ana") == "Hello Ana"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are checked on POSIX only")
def test_a_changed_template_is_compiled_again(templates):
    env(render._CompiledTemplates(), templates).get_template("page.html")
    (templates / "page.html").write_text("Goodbye {{ name }}", encoding="utf-8")
    got = env(render._CompiledTemplates(), templates).get_template("page.html")
    assert got.render(name="Ana") == "Goodbye Ana"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are checked on POSIX only")
def test_a_folder_others_may_write_in_is_not_used(templates, tmp_path):
    folder = tmp_path / "cache/okrsite"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert render._cache_folder() is None
    env(render._CompiledTemplates(), templates).get_template("page.html")
    assert not list(folder.iterdir())


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are checked on POSIX only")
def test_folders_are_made_private_whatever_the_umask(templates):
    old = os.umask(0o002)
    try:
        folder = render._cache_folder()
    finally:
        os.umask(old)
    assert folder is not None
    assert folder.stat().st_mode & 0o777 == 0o700
    assert folder.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are checked on POSIX only")
def test_a_file_cut_short_is_compiled_again(templates, tmp_path):
    env(render._CompiledTemplates(), templates).get_template("page.html")
    [stored] = (tmp_path / "cache/okrsite").glob("templates-*/*.cache")
    stored.write_bytes(stored.read_bytes()[:12])
    got = env(render._CompiledTemplates(), templates).get_template("page.html")
    assert got.render(name="Ana") == "Hello Ana"


def test_no_disk_cache_in_ci(templates, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert render._cache_folder() is None


def test_no_cache_folder_is_no_matter(templates, tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("a file where the folder would be", encoding="utf-8")
    assert render._cache_folder() is None
    got = env(render._CompiledTemplates(), templates).get_template("page.html")
    assert got.render(name="Ana") == "Hello Ana"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert render._cache_folder() is None
