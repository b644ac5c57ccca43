"""Packaging: the oldest versions CI tests against are exactly the floors pyproject.toml
states, and the package's version is written once."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

import okrsite

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None


def _floors() -> dict[str, str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        specs = [*project["dependencies"], *project["optional-dependencies"]["test"]]
        specs += project["optional-dependencies"]["xlsx"]
    else:
        specs = re.findall(r'"([A-Za-z0-9_.-]+>=[^"]+)"', text)
    floors = {}
    for spec in specs:
        name, _, rest = spec.partition(">=")
        if rest:
            floors[name.lower()] = rest.split(",")[0]
    return floors


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / ".ci" / "constraints-oldest.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.lower()] = version
    return pins


def _same(floor: str, pin: str) -> bool:
    # pyproject says ">=8", the pin "==8.0.0": the same release.
    parts = [int(p) for p in floor.split(".")]
    pinned = [int(p) for p in pin.split(".")]
    width = max(len(parts), len(pinned))
    return parts + [0] * (width - len(parts)) == pinned + [0] * (width - len(pinned))


def test_constraints_pin_every_floor_of_pyproject():
    floors, pins = _floors(), _pins()
    # the linter and the type checker run once, at their newest
    for tool in ("ruff", "mypy", "types-pyyaml", "types-markdown"):
        floors.pop(tool)
    floors.pop("setuptools", None)
    assert sorted(floors) == sorted(pins)
    assert {n: v for n, v in floors.items() if not _same(v, pins[n])} == {}


def test_the_version_is_written_once():
    # pyproject.toml reads it from okrsite.__version__ (a stale install shows here too)
    assert version("okrsite") == okrsite.__version__
    if tomllib is not None:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert "version" not in project and "version" in project["dynamic"]
