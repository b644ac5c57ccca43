"""Load the goal data of two git refs (or a ref and the working tree) and diff them."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from .diagnostics import DataError, Diagnostic
from .diff import GoalDiff, compare
from .gitrefs import extract, repo_root
from .loader import load
from .model import Organization

WORKTREE = "working tree"


def load_side(
    goals_dir: Path, ref: str | None, *, include_private: bool, fiscal_year_start: int
) -> Organization:
    """The organisation at ``ref`` (None: the working tree). Errors name the ref."""
    goals_dir = goals_dir.resolve()
    repo = repo_root(goals_dir)
    rel = goals_dir.relative_to(repo).as_posix()
    if ref is None:
        return load(
            goals_dir,
            include_private=include_private,
            fiscal_year_start=fiscal_year_start,
            display_base=repo,
        ).org
    with tempfile.TemporaryDirectory(prefix="okrsite-diff-") as tmp:
        folder = extract(repo, ref, rel, Path(tmp))
        try:
            return load(
                folder,
                include_private=include_private,
                fiscal_year_start=fiscal_year_start,
                display_base=Path(tmp),
            ).org
        except DataError as exc:
            raise DataError(
                [Diagnostic(f"{ref}:{d.path}", d.line, d.message, d.level) for d in exc.diagnostics]
            ) from None


def diff_refs(
    goals_dir: Path,
    base: str,
    head: str | None,
    today: date,
    *,
    include_private: bool = False,
    fiscal_year_start: int = 1,
) -> GoalDiff:
    """The semantic diff of the goal data from ``base`` to ``head`` (None: working tree).

    Raises GitError for a missing ref and DataError (paths prefixed ``ref:``) for
    invalid goal files on either side.
    """
    options = {"include_private": include_private, "fiscal_year_start": fiscal_year_start}
    old = load_side(goals_dir, base, **options)
    new = load_side(goals_dir, head, **options)
    return compare(old, new, today, base, head or WORKTREE)
