"""A newcomer's install on a fresh machine, as the guide (docs/guide/start-in-10-minutes.md)
has it: this checkout's wheel built with `python -m build`, a fresh virtual environment
(no system site packages), okrsite installed from the wheel, `okrsite init`, an import of
the guide's sample sheet, `okrsite validate`, `mkdocs build --strict`, then every `run:`
command of the two workflows init wrote, in order, as GitHub would run them.

okrsite's dependencies come from the package index pip is configured with (PyPI, or the
registry CI uses); where none answers, the test is skipped, and says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import okrsite

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "assets" / "sample-okrs.csv"
WHEEL = f"okrsite-{okrsite.__version__}-py3-none-any.whl"


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _skip_unless_index_answers(venv_pip: Path, tmp: Path, env: dict[str, str], failed: str):
    """After an install failed: skip if pip reaches no package index at all (tried, not
    guessed: a download of one small dependency), else the failure is the test's."""
    probe = _run(
        [str(venv_pip), "download", "--no-deps", "-d", str(tmp / "probe"), "pyyaml-env-tag"],
        tmp,
        env,
    )
    if probe.returncode != 0:
        pytest.skip(f"no package index reachable for okrsite's dependencies: {probe.stderr[-300:]}")
    pytest.fail(failed)


def _workflow_runs(workflow_file: Path) -> list[str]:
    """The `run:` commands of a workflow, job after job (`needs:` orders them as written
    here), step after step. The `uses:` steps are GitHub's own actions and are not run:
    checkout (the site folder is the checkout), setup-python (the fresh virtual
    environment stands for it), upload-pages-artifact and deploy-pages (they pack site/
    and publish it; the test checks site/ instead)."""
    workflow = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_a_fresh_virtual_environment_installs_okrsite_as_the_guide_says(tmp_path: Path):
    # The wheel, from a copy of the sources: setuptools writes build/ and *.egg-info
    # beside them, and the checkout is shared.
    src = tmp_path / "okrsite-src"
    shutil.copytree(ROOT / "okrsite", src / "okrsite", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for name in ("PYTHONPATH", "PYTHONHOME", "OKRSITE_COMPARE_TO", "VIRTUAL_ENV"):
        env.pop(name, None)
    venv = tmp_path / ".venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    assert made.returncode == 0, made.stderr
    # what `. .venv/bin/activate` does, for every command below
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    pip = venv / "bin" / "pip"

    wheels = tmp_path / "wheels"
    built = _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(src)],
        tmp_path,
        env,
    )
    if built.returncode != 0:  # the isolated build fetches setuptools from the index
        _skip_unless_index_answers(pip, tmp_path, env, built.stdout + built.stderr)
    assert (wheels / WHEEL).is_file(), sorted(p.name for p in wheels.iterdir())

    installed = _run([str(pip), "install", "--find-links", "wheels", "okrsite"], tmp_path, env)
    if installed.returncode != 0:
        _skip_unless_index_answers(pip, tmp_path, env, installed.stdout + installed.stderr)
    where = _run(
        [str(venv / "bin" / "python"), "-c", "import okrsite; print(okrsite.__file__)"],
        tmp_path,
        env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not this checkout

    assert _run(["okrsite", "init", "my-okrs", "--name", "Zoë & Co"], tmp_path, env).returncode == 0
    site = tmp_path / "my-okrs"
    wheels.rename(site / "wheels")  # where requirements.txt's --find-links looks

    imported = _run(["okrsite", "import", str(SAMPLE)], site, env)
    # 1: a row the sheet could not read, reported with its number; the rest is imported
    assert imported.returncode in (0, 1), imported.stdout + imported.stderr
    assert "wrote goals/2026-Q3/" in imported.stdout, imported.stdout
    checked = _run(["okrsite", "validate"], site, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    strict = _run(["mkdocs", "build", "--strict"], site, env)
    assert strict.returncode == 0, strict.stderr

    for workflow in ("goals.yml", "publish.yml"):
        for command in _workflow_runs(site / ".github" / "workflows" / workflow):
            # GitHub runs a `run:` with bash -e
            done = _run(["bash", "-e", "-c", command], site, env)
            assert done.returncode == 0, (workflow, command, done.stdout, done.stderr)
    assert (site / "site" / "index.html").is_file()  # what upload-pages-artifact packs

    # the first commit takes the goals and the wheel, never the built site
    assert _run(["git", "init", "-q"], site, env).returncode == 0
    added = _run(["git", "add", "-A", "--dry-run"], site, env).stdout
    assert f"add 'wheels/{WHEEL}'" in added and "add 'goals/org.yaml'" in added, added
    assert "'site/" not in added, added
