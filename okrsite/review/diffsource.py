"""Load the goal data of two git refs (or a ref and the working tree) and diff them.

A side with no goals folder (the ref predates ``goals/``, or ``goals`` is a file, a
link or a submodule there) or with no goal file in it is an empty organisation, built
here without loading: the first pull request that adds ``goals/`` shows every goal as
added, and one that removes the folder shows every goal as removed. The report says
why, in :attr:`okrsite.review.diff.GoalDiff.notes`. Everything else about reading a ref (what
is refused, and why) is in :mod:`okrsite.review.gittree` and :mod:`okrsite.review.gitrefs`.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from okrsite.diagnostics import DataError, Diagnostic
from okrsite.model.graph import Organization, Source, Team
from okrsite.review.diff import GoalDiff, compare
from okrsite.review.gitrefs import GitError, repo_root
from okrsite.review.gittree import extract
from okrsite.settings import DEFAULTS
from okrsite.source.folder import LINKED_GOALS, is_goal_file_name
from okrsite.source.loader import load

WORKTREE = "working tree"


def empty_organization() -> Organization:
    """An organisation with nothing in it: the side of a diff that has no goals."""
    root = Team(id="", name="", source=Source("", 0))
    return Organization(
        name="", root=root, teams={}, people={}, kpis={}, periods={}, objectives={}, goals={}
    )


def _has_goal_names(goals_dir: Path) -> bool:
    """Whether the folder holds anything named as a goal file (.yaml/.yml, in any case,
    nothing hidden), readable or not: the loader reports the ones it refuses."""
    for _folder, subfolders, names in os.walk(goals_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        if any(is_goal_file_name(n) for n in names):
            return True
    return False


def _prefixed(ref: str, exc: DataError) -> DataError:
    """The same errors, each path prefixed ``REF:`` so the reader knows which side."""
    return DataError(
        [Diagnostic(f"{ref}:{d.path}", d.line, d.message, d.level) for d in exc.diagnostics]
    )


def load_side(
    goals_dir: Path, ref: str | None, *, include_private: bool, fiscal_year_start: int
) -> tuple[Organization, str | None]:
    """The organisation at ``ref`` (None: the working tree) and, when that side has no
    goal files, why (``"has no goals folder (...)"``; its organisation is then empty).
    Data errors name the ref as ``REF:path:line``; git problems raise GitError."""
    if ref is None and goals_dir.is_symlink():  # resolving it would follow the link
        raise DataError([Diagnostic(goals_dir.as_posix(), 1, LINKED_GOALS)])
    goals_dir = goals_dir.resolve()
    repo = repo_root(goals_dir)
    try:
        rel = goals_dir.relative_to(repo).as_posix()
    except ValueError:
        raise GitError(
            f"the goals folder {goals_dir} is not inside the git repository {repo}: "
            "okrsite diff reads it at git refs, so keep it in the repository"
        ) from None
    shown = "the repository's top folder" if rel == "." else f"{rel}/"
    if ref is None:
        if not _has_goal_names(goals_dir):
            return empty_organization(), f"has no goal files in {shown}"
        return load(
            goals_dir,
            include_private=include_private,
            fiscal_year_start=fiscal_year_start,
            display_base=repo,
        ).org, None
    with tempfile.TemporaryDirectory(prefix="okrsite-diff-") as tmp:
        try:
            got = extract(repo, ref, rel, Path(tmp))
        except DataError as exc:
            raise _prefixed(ref, exc) from None
        if got.absent is not None:
            return empty_organization(), f"has no goals folder ({got.absent})"
        if not got.goal_files:
            return empty_organization(), f"has no goal files in {shown}"
        try:
            return load(
                got.folder,
                include_private=include_private,
                fiscal_year_start=fiscal_year_start,
                display_base=Path(tmp),
            ).org, None
        except DataError as exc:
            raise _prefixed(ref, exc) from None


def diff_refs(
    goals_dir: Path,
    base: str,
    head: str | None,
    today: date,
    *,
    include_private: bool = False,
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
) -> GoalDiff:
    """The semantic diff of the goal data from ``base`` to ``head`` (None: working tree).

    A side without goal files counts as empty, so everything on the other side is
    added (or removed); the diff's ``notes`` say which side had none.
    Raises GitError for a bad or missing ref, or no git, and DataError (paths prefixed
    ``ref:``) for invalid or refused goal files on either side.
    """
    old, old_why = load_side(
        goals_dir, base, include_private=include_private, fiscal_year_start=fiscal_year_start
    )
    new, new_why = load_side(
        goals_dir, head, include_private=include_private, fiscal_year_start=fiscal_year_start
    )
    result = compare(old, new, today, base, head or WORKTREE)
    if old_why:
        result.notes.append(f"{base} {old_why}: everything is shown as added.")
    if new_why:
        result.notes.append(f"{head or WORKTREE} {new_why}: everything is shown as removed.")
    return result
