"""Two tiers of tests. Most tests build a whole site or start other programs, which takes
seconds each; the others test the core in this process and take milliseconds. The slow
ones get the ``site`` marker here, so ``python -m pytest -m "not site"`` runs the fast
tier alone and ``python -m pytest`` runs both.

The marker is derived from the test's code rather than from a list kept by hand, so a
new test lands in the right tier by itself. A test is a site test when its function, a
fixture of its module it uses, or one of its module's functions that these call
(followed through any number of the module's own functions) builds a site with
``orgkit.build`` or MkDocs' build function, drives Chromium through Playwright (or
:mod:`browserkit`), or
starts a process with :mod:`subprocess` in the test's own code (mkdocs, okrsite,
Chromium, git, or a Python that bounds a test's time). A fast test may still make
okrsite start a quick process (git for a diff, a stand-in for Chromium); what decides
is the test's code, not what okrsite does inside.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import types
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build

import orgkit

SLOW = (orgkit.build, mkdocs_build, subprocess)


def _is_slow(node: ast.AST, module: types.ModuleType) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        # `import subprocess` inside a test
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names]
        return any(name.split(".")[0] in ("subprocess", "playwright") for name in names)
    if not isinstance(node, ast.Name):
        return False
    value = getattr(module, node.id, None)
    if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] in (
        "playwright",
        "browserkit",
    ):
        return True
    return any(value is slow for slow in SLOW)


@functools.cache
def site_functions(module: types.ModuleType) -> frozenset[str]:
    """Names of the module's top-level functions (tests, fixtures, helpers) that build a
    site or start a process, themselves or through another of the module's functions."""
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    site: set[str] = set()
    calls: dict[str, set[str]] = {}
    for name, node in functions.items():
        # the body only: decorators hold a test's parameters, not what it runs
        inner = [sub for statement in node.body for sub in ast.walk(statement)]
        if any(_is_slow(sub, module) for sub in inner):
            site.add(name)
        calls[name] = {s.id for s in inner if isinstance(s, ast.Name) and s.id in functions}
    grown = True
    while grown:
        more = {name for name, called in calls.items() if called & site} - site
        site |= more
        grown = bool(more)
    return frozenset(site)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every site test ``site`` (see the module's docstring)."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        names = {item.originalname, *item.fixturenames}
        if names & site_functions(item.module):
            item.add_marker(pytest.mark.site)
