"""Git, run safely: the git executable, refs checked before git sees them, and blobs
streamed out of the object store.

Refs come from CI configuration and the trees they name from anyone's pull request,
so both are untrusted:

- A ref is checked before git sees it (no leading ``-``, no control characters, no
  ``a..b`` range) and resolved once to a commit id (:func:`check_ref`); every later
  git command gets that id, never the text the user gave.
- Git runs without a terminal prompt and with no input; its output is read as bytes
  (file names need not be UTF-8).
- A blob is streamed to disk in chunks (:class:`Blobs`), never held whole, and one
  over :data:`okrsite.limits.MAX_FILE_BYTES` is refused before it is read.

How a ref's goals folder is read from its tree is in :mod:`okrsite.review.gittree`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import IO

from okrsite.diagnostics import printable
from okrsite.limits import MAX_FILE_BYTES

# Blobs are copied to disk in chunks of this size, never held whole.
_CHUNK = 1 << 16
# A name we suggest in 'git fetch origin NAME' must look like a branch name.
_BRANCH_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")


class GitError(Exception):
    """A git problem the user can fix; the message (one line) says how."""


def _git_exe() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise GitError(
            "git is not installed, or not on PATH: okrsite reads the goal files at a git "
            "ref with git; install git (e.g. 'apt-get install git') and try again"
        )
    return exe


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``repo``; output as bytes (file names need not be UTF-8)."""
    try:
        return subprocess.run(
            [_git_exe(), "-C", str(repo), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except OSError as exc:  # git vanished, or cannot be executed
        raise GitError(
            f"git could not be run ({exc.strerror}): check the git installation"
        ) from None


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree holding ``path``."""
    folder = path if path.is_dir() else path.parent
    run = git(folder, "rev-parse", "--show-toplevel")
    if run.returncode != 0:
        if b"safe.directory" in run.stderr:
            # git refuses a checkout owned by another user (common in CI containers).
            raise GitError(
                f"git refuses the repository at {folder} because another user owns it: "
                f"run 'git config --global --add safe.directory \"$PWD\"' there, then diff again"
            )
        raise GitError(f"{path} is not inside a git repository: okrsite diff compares git refs")
    return Path(os.fsdecode(run.stdout.rstrip(b"\n")))


def _quoted(ref: str, limit: int = 60) -> str:
    """A ref for a message: quoted, control characters escaped, shortened."""
    text = shown_name(ref.encode("utf-8", "surrogateescape"))
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 5]}...'"


def _refuse_ref(ref: str) -> None:
    """Refuse a ref that git could read as something else than one revision."""
    if not ref.strip():
        raise GitError("the git ref is empty: give a branch, tag or commit, e.g. origin/main")
    if not ref.isprintable():
        raise GitError(
            f"git ref {_quoted(ref)} holds a line break or another control character: "
            "give a branch, tag or commit, e.g. origin/main"
        )
    if ref.startswith("-"):
        raise GitError(
            f"git ref {_quoted(ref)} starts with '-', so git would read it as an option: "
            "give a branch, tag or commit, e.g. origin/main"
        )
    if ".." in ref:
        raise GitError(
            f"git ref {_quoted(ref)} is a range or not a ref name: give the two refs "
            "separately, e.g. 'okrsite diff origin/main HEAD'"
        )


def check_ref(repo: Path, ref: str) -> str:
    """The commit id a ref names, or a GitError that says how to fetch it."""
    _refuse_ref(ref)
    run = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    commit = run.stdout.decode("ascii", "replace").strip()
    if run.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        shallow = git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
        branch = ref.split("/", 1)[1] if ref.startswith("origin/") else ref
        fetch = (
            f"'git fetch --no-tags origin {branch}'"
            if _BRANCH_RE.fullmatch(branch)
            else "'git fetch --no-tags origin BRANCH'"
        )
        hint = (
            f"this is a shallow clone, so the base is probably not fetched: run {fetch} "
            "(or, in GitHub Actions, check out with 'fetch-depth: 0')"
            if shallow
            else f"check the name, or fetch it: {fetch.replace(' --no-tags', '')}"
        )
        raise GitError(f"git ref {_quoted(ref)} is not in this repository: {hint}")
    return commit


def shown_name(raw: bytes) -> str:
    """A file name for a message: undecodable bytes and control characters escaped, so
    a name can never break a message into two lines or hide what it is."""
    return printable(raw.decode("utf-8", "backslashreplace"))


class Blobs:
    """One ``git cat-file --batch`` process: blobs by id, streamed."""

    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(
            [_git_exe(), "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout
        self.broken = False

    def copy(self, oid: str, out: IO[bytes] | None) -> bytes:
        """Write blob ``oid`` to ``out`` in chunks; without ``out``, return it (for a
        link's target, whose size the caller bounds). An OSError writing ``out`` is
        raised after the blob was read to its end, so the next blob is read in step."""
        try:
            self.stdin.write(oid.encode("ascii") + b"\n")
            self.stdin.flush()
        except OSError:
            raise GitError(f"git stopped before reading object {oid}: run 'git fsck'") from None
        header = self.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob" or int(header[2]) > MAX_FILE_BYTES:
            self.broken = True  # what follows in the pipe is not known: no next blob
            raise GitError(
                f"git could not read object {oid} (missing, or not a file): "
                "fetch the ref again, or run 'git fsck'"
            )
        left, kept, failed = int(header[2]), [], None
        while left:
            chunk = self.stdout.read(min(left, _CHUNK))
            if not chunk:
                self.broken = True
                raise GitError(f"git stopped while reading object {oid}: run 'git fsck'")
            left -= len(chunk)
            if out is None:
                kept.append(chunk)
            elif failed is None:
                try:
                    out.write(chunk)
                except OSError as exc:
                    failed = exc
        self.stdout.read(1)  # the newline after each object
        if failed is not None:
            raise failed
        return b"".join(kept)

    def close(self) -> None:
        """End the process: at end of input it exits by itself; after a broken read it
        may be blocked writing what was not read, so it is stopped."""
        if self.broken:
            self.proc.kill()
        with contextlib.suppress(OSError):  # it has exited already
            self.stdin.close()
        self.proc.wait()
        self.stdout.close()
