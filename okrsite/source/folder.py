"""The goals folder as a jail: which files okrsite reads (:func:`survey`), and the
parse cache a caller keeps across loads of the same folder. Nothing outside the
folder is read, and nothing inside it is passed over in silence."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from okrsite.diagnostics import BAD_NAME, Diagnostic
from okrsite.limits import MAX_FILE_BYTES, MAX_FOLDER_BYTES, MAX_FOLDER_DEPTH
from okrsite.source.goalfile import FailedFile, ParsedFile, read_goal_file, too_big

GOAL_SUFFIXES = (".yaml", ".yml")


@dataclass
class Survey:
    """What a goals folder holds: the goal files to read, the files refused (links out
    of the folder, oversized files: data errors), and the other files, not read."""

    files: list[Path] = field(default_factory=list)
    refused: list[Diagnostic] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)
    too_big: bool = False  # over MAX_FOLDER_BYTES in all, or a link: nothing is read


def is_goal_file_name(name: str) -> bool:
    """A ``.yaml``/``.yml`` name in any case (``lena.YAML`` too), not hidden."""
    return name.lower().endswith(GOAL_SUFFIXES) and not name.startswith(".")


LINKED_GOALS = (
    "the goals folder is a link, which okrsite does not follow (a pull request could "
    "point it at any folder of the build machine): make it a real folder"
)


def survey(goals_dir: Path, shown: Callable[[Path], str] = Path.as_posix) -> Survey:
    """Walk ``goals_dir``: the folder is a jail.

    Hidden files and folders (``.git``, ``.github``) are skipped and never entered. A
    link to a file is read only when it resolves inside the goals folder; a link that
    leads out of it, a linked folder (it could lead anywhere, or back into itself) and
    anything that is not a regular file are refused, by name only: what they point
    at is never read or shown. ``shown`` gives a path as messages show it.
    """
    out = Survey()
    if goals_dir.is_symlink():
        # A pull request can commit 'goals' as a link to any folder of the machine.
        out.refused.append(Diagnostic(shown(goals_dir), 1, LINKED_GOALS))
        out.too_big = True  # nothing is read
        return out
    jail = goals_dir.resolve()
    total = 0
    top = len(goals_dir.parts)
    for folder, subfolders, names in os.walk(goals_dir):
        base = Path(folder)
        keep = []
        deep = len(base.parts) - top >= MAX_FOLDER_DEPTH
        for name in sorted(subfolders):
            if name.startswith("."):
                continue
            if deep:  # os.walk recurses once per level
                out.refused.append(
                    Diagnostic(
                        shown(base / name),
                        1,
                        f"folders nested more than {MAX_FOLDER_DEPTH} levels deep in the "
                        "goals folder are not read: move the files up",
                    )
                )
                continue
            if not name.isprintable():
                out.refused.append(Diagnostic(shown(base / name), 1, BAD_NAME))
                continue
            if (base / name).is_symlink():
                out.refused.append(
                    Diagnostic(
                        shown(base / name),
                        1,
                        "is a link to a folder, which okrsite does not follow (goal files "
                        "come only from inside the goals folder): move the files here",
                    )
                )
                continue
            keep.append(name)
        subfolders[:] = keep
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = base / name
            if not name.isprintable():  # a line break in a name could fake a message
                out.refused.append(Diagnostic(shown(path), 1, BAD_NAME))
                continue
            if not is_goal_file_name(name):
                out.others.append(path)
                continue
            problem, size = _refusal(path, jail)
            if problem:
                out.refused.append(Diagnostic(shown(path), 1, problem))
            else:
                out.files.append(path)
                total += size
    if total > MAX_FOLDER_BYTES:
        # Each file is within bounds, but not all of them together: read none.
        message = (
            f"the goal files hold {total:,} bytes together, over okrsite's limit of "
            f"{MAX_FOLDER_BYTES:,} bytes for a goals folder: archive past periods elsewhere"
        )
        out.refused.append(Diagnostic(shown(goals_dir), 1, message))
        out.files = []
        out.too_big = True
    out.files.sort()
    return out


def resolved(path: Path) -> Path | None:
    """``path`` with every link followed, or None when that fails (a loop of links, a
    name too long, a NUL byte): such a path is read by no one."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _refusal(path: Path, jail: Path) -> tuple[str | None, int]:
    """Why okrsite will not read ``path`` from the goals folder ``jail``, if it won't,
    and the file's size. One lstat for a plain file: this runs for every file."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            real = resolved(path)
            if real is None:
                return (
                    "is a link that leads nowhere (a loop of links?): put the file itself here",
                    0,
                )
            if not real.is_relative_to(jail):
                return _LINK_OUT, 0
            info = path.stat()
    except (OSError, ValueError):
        return "cannot be read (a broken link?): replace it with the file itself", 0
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file: okrsite reads only regular files", 0
    if info.st_size > MAX_FILE_BYTES:
        return too_big(info.st_size), 0
    return None, info.st_size


_LINK_OUT = (
    "is a link to a file outside the goals folder, which okrsite never reads (a pull "
    "request could point it at any file on the build machine): put the file itself here"
)


def find_goal_files(goals_dir: Path) -> list[Path]:
    """The goal files under ``goals_dir`` that :func:`survey` lets okrsite read."""
    return survey(goals_dir).files


class ParseCache:
    """Parsed goal files by path, for a caller that reads the same folder again and
    again (the MkDocs plugin under `mkdocs serve`: a rebuild after an edit re-reads
    only the edited file). The caller owns it; the core keeps no state between loads.

    Each load keeps only the files it read (:meth:`retain`), so a deleted or renamed
    file leaves the cache with the next load and its size follows the folder's."""

    def __init__(self) -> None:
        self._files: dict[tuple[str, str], tuple[int, int, ParsedFile | FailedFile]] = {}

    def __len__(self) -> int:
        return len(self._files)

    def read(self, path: Path, shown: str) -> ParsedFile | FailedFile:
        """Read one goal file, or take it from the cache if it has not changed since."""
        stat = path.stat()
        key = (str(path), shown)
        hit = self._files.get(key)
        if hit is not None and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
            return hit[2]
        result = read_goal_file(path, shown)
        self._files[key] = (stat.st_mtime_ns, stat.st_size, result)
        return result

    def retain(self, keys: set[tuple[str, str]]) -> None:
        """Forget every file but these ``(path, shown)`` keys: the ones a load read."""
        for key in [key for key in self._files if key not in keys]:
            del self._files[key]
