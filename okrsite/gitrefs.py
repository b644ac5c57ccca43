"""Goal files at a git ref, extracted to a temporary folder for loading."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    """A git problem the user can fix; the message says how."""


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary)


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree holding ``path``."""
    run = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    if run.returncode != 0:
        raise GitError(f"{path} is not inside a git repository: okrsite diff compares git refs")
    return Path(run.stdout.strip())


def check_ref(repo: Path, ref: str) -> str:
    """The commit a ref names, or a GitError that says how to fetch it."""
    run = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if run.returncode != 0:
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        branch = ref.split("/", 1)[1] if ref.startswith("origin/") else ref
        hint = (
            f"this is a shallow clone, so the base is probably not fetched: run "
            f"'git fetch --no-tags origin {branch}' (or, in GitHub Actions, check out with "
            "'fetch-depth: 0')"
            if shallow
            else f"check the name, or fetch it: 'git fetch origin {branch}'"
        )
        raise GitError(f"git ref '{ref}' is not in this repository: {hint}")
    return run.stdout.strip()


def extract(repo: Path, ref: str, subdir: str, dest: Path) -> Path:
    """Write the files under ``subdir`` as they are at ``ref`` into ``dest``; return the
    extracted ``subdir`` (created empty when the ref has no such folder)."""
    check_ref(repo, ref)
    run = _git(repo, "archive", "--format=tar", ref, "--", subdir, binary=True)
    target = dest / subdir
    if run.returncode != 0:
        # git archive fails on a path that does not exist at the ref: an empty folder.
        target.mkdir(parents=True, exist_ok=True)
        return target
    with tarfile.open(fileobj=io.BytesIO(run.stdout)) as tar:
        tar.extractall(dest, filter="data")  # 'data' refuses links and paths outside dest
    target.mkdir(parents=True, exist_ok=True)
    return target
