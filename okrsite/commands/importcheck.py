"""The last check of ``okrsite import`` before it writes: the goals folder as it would
be, loaded with okrsite's own loader (the one ``okrsite validate`` and the site build
use), so that nothing the import writes is a file validate refuses: an oversized file,
an ``aligns_to`` to nothing or round in a cycle, a chain of teams too deep, and
whatever else the loader checks, now or later.

The folder is assembled in a temporary folder (never in the goals folder itself) as the
loader would meet it, without reading anything the loader would not read: regular files
are copied only when a goal file or a history file could be one of them and they are
within okrsite's size limit (an oversized file becomes a sparse file of its size), a
link stays a link (to the same file, or out of the copy where it led out of the goals
folder), a pipe or a device becomes a pipe, which the loader refuses as it refuses
both, unopened. The planned files are then written over the copy.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from okrsite.commands.importmatch import ImportSiteError
from okrsite.commands.writeplan import CommandError, Plan
from okrsite.diagnostics import DataError, Diagnostic
from okrsite.formatting import plural
from okrsite.limits import MAX_FILE_BYTES
from okrsite.source.folder import is_goal_file_name, resolved
from okrsite.source.loader import load

# Errors listed in the refusal; a sheet that makes thousands says so in one line.
_SHOWN = 20


class PlannedFilesError(ImportSiteError):
    """The goals folder would not load after the import: its errors, and the plan."""

    def __init__(self, errors: list[Diagnostic], plan: Plan) -> None:
        self.errors = errors
        self.plan = plan
        super().__init__(
            f"the goal files would have {plural(len(errors), 'error')} after this import, "
            f"so nothing was written:\n{self._listed()}"
        )

    def only_forced(self) -> str | None:
        """For a dry run without --force, which checks the plan --force would write:
        when the plain import would refuse first (files it may change only with
        --force), its refusal and these errors said to be --force's; else None."""
        try:
            self.plan.refuse_overwrites(skip_unchanged=True)
        except CommandError as plain:
            return (
                f"{plain}\nwith --force, the goal files would have "
                f"{plural(len(self.errors), 'error')}, so nothing would be written "
                f"either:\n{self._listed()}"
            )
        return None

    def _listed(self) -> str:
        listed = [f"  {d}" for d in self.errors[:_SHOWN]]
        if len(self.errors) > _SHOWN:
            listed.append(f"  ... and {len(self.errors) - _SHOWN:,} more")
        return (
            "\n".join(listed) + "\nfix the sheet (or the goal files named: run okrsite "
            "validate), then import again"
        )


def check_planned(goals_dir: Path, plan: Plan, fiscal_year_start: int) -> None:
    """Raise :class:`PlannedFilesError`, listing the errors as ``okrsite validate``
    would show them, when the goals folder with ``plan`` written into it does not load
    (ImportSiteError when it cannot be checked)."""
    if goals_dir.is_symlink():  # refused, unread, in the loader's words
        _load(goals_dir, plan, fiscal_year_start)
    with tempfile.TemporaryDirectory(prefix="okrsite-import-") as tmp:
        # named as the real folder, so that messages show the paths the user knows
        copy = Path(tmp) / (goals_dir.absolute().name or "goals")
        copy.mkdir()
        try:
            _assemble(goals_dir, plan, copy)
        except OSError as exc:  # a file unreadable, the temporary folder full...
            raise ImportSiteError(
                f"cannot check the goal files before writing ({exc.strerror or exc}), "
                "so nothing was written"
            ) from None
        _load(copy, plan, fiscal_year_start)


def _load(folder: Path, plan: Plan, fiscal_year_start: int) -> None:
    try:
        load(folder, include_private=True, fiscal_year_start=fiscal_year_start)
    except DataError as exc:
        raise PlannedFilesError(exc.diagnostics, plan) from None


def _assemble(goals_dir: Path, plan: Plan, copy: Path) -> None:
    if goals_dir.is_dir() and not goals_dir.is_symlink():
        _mirror_folder(goals_dir, copy)
    for path, text in plan.files.items():
        _put(copy, path.relative_to(goals_dir), text=text)
    for path, source in plan.copies.items():
        _put(copy, path.relative_to(goals_dir), source=source)


def _mirror_folder(goals_dir: Path, copy: Path) -> None:
    """The goals folder as the loader meets it, in ``copy``: links are never followed."""
    jail = goals_dir.resolve()
    targets: set[Path] = set()  # files inside that links lead to
    for folder, subfolders, names in os.walk(goals_dir):  # does not enter linked folders
        base = Path(folder)
        here = copy / base.relative_to(goals_dir)
        here.mkdir(exist_ok=True)
        linked = [n for n in subfolders if (base / n).is_symlink()]
        # hidden folders (.git) are never read; a link into one is followed below
        subfolders[:] = [n for n in subfolders if n not in linked and not n.startswith(".")]
        for name in [*names, *linked]:
            target = _mirror(base / name, here / name, jail, copy, _wanted(name))
            if target is not None:
                targets.add(target)
    for target in sorted(targets):  # a file a link leads to, in a hidden folder or not kept
        dest = copy / target.relative_to(jail)
        if os.path.lexists(target) and not os.path.lexists(dest):  # (a link to nothing)
            dest.parent.mkdir(parents=True, exist_ok=True)
            _mirror(target, dest, jail, copy, wanted=True)


def _wanted(name: str) -> bool:
    # What the loader may read: goal files, and the CSV files a 'history_file' names.
    return is_goal_file_name(name) or name.lower().endswith(".csv")


def _mirror(source: Path, dest: Path, jail: Path, copy: Path, wanted: bool) -> Path | None:
    """Put ``source`` at ``dest`` as the loader would meet it; return the file inside
    the goals folder that a link leads to, for it to be there too."""
    info = source.lstat()
    if stat.S_ISLNK(info.st_mode):
        real = resolved(source)
        if real is None:  # a loop of links (or a name too long): a loop of one
            os.symlink(dest.name, dest)
            return None
        if real.is_relative_to(jail):
            os.symlink(copy / real.relative_to(jail), dest)
            return real
        os.symlink(real, dest)  # out of the copy as out of the goals folder: refused
    elif stat.S_ISDIR(info.st_mode):
        dest.mkdir(exist_ok=True)
    elif not stat.S_ISREG(info.st_mode):
        os.mkfifo(dest)  # refused by the loader as any file that is not regular, unopened
    elif wanted and info.st_size > MAX_FILE_BYTES:
        with dest.open("wb") as handle:  # the loader reads only the size of it
            handle.truncate(info.st_size)
    elif wanted:
        shutil.copyfile(source, dest, follow_symlinks=False)
    return None


def _put(copy: Path, rel: Path, *, text: str | None = None, source: Path | None = None) -> None:
    # The import writes a plain file in real folders (or refuses to): in the copy, a
    # link on the way is replaced, never written through (it may lead out of the copy).
    here = copy
    for part in rel.parts:
        here = here / part
        if here.is_symlink() or (os.path.lexists(here) and not here.is_dir()):
            here.unlink()
    dest = copy / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        dest.write_text(text, encoding="utf-8")
    elif source is not None:
        shutil.copyfile(source, dest)
