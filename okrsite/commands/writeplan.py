"""Files a command writes (``okrsite init``, ``new-period``, ``import``), planned first and
checked before any is written: no file is overwritten unless told to, and nothing is
written through a symbolic link or outside the folder named."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


class CommandError(Exception):
    """A command cannot do what it was asked (an argument it cannot use, a file it would
    overwrite); the message says why and the way out."""


@dataclass
class Plan:
    """Files to write: path -> text. Checked for clashes before anything is written.

    With ``root``, every file must lie in a real folder under ``root``: no folder on
    the way may be a symbolic link, so nothing is written outside it.
    """

    files: dict[Path, str] = field(default_factory=dict)
    copies: dict[Path, Path] = field(default_factory=dict)
    root: Path | None = None
    # Files whose new text only adds lines to the old (an organisation file gaining
    # teams): written without --force, as nothing in them is lost.
    additions: set[Path] = field(default_factory=set)
    # What overwriting a file would lose, said where --force is asked for.
    notes: dict[Path, str] = field(default_factory=dict)

    def targets(self) -> list[Path]:
        """Every file the plan writes, sorted."""
        return sorted([*self.files, *self.copies])

    def status(self, path: Path) -> str:
        """What writing ``path`` does: 'new', 'changed' or 'unchanged' (the file there
        holds the same bytes already)."""
        if not os.path.lexists(path):
            return "new"
        text = self.files.get(path)
        if text is None or path.is_symlink() or not path.is_file():
            return "changed"
        data = text.encode("utf-8")
        try:
            with path.open("rb") as handle:  # no more than one byte past the new text
                same = handle.read(len(data) + 1) == data
        except OSError:
            same = False
        return "unchanged" if same else "changed"

    def refuse_overwrites(self, skip_unchanged: bool = False) -> None:
        """A CommandError listing the files the plan would overwrite (other than
        :attr:`additions`, and, with ``skip_unchanged``, files that hold its text
        already), as writing without ``force`` refuses them."""
        existing = [
            p
            for p in self.targets()
            if p.exists()
            and p not in self.additions
            and not (skip_unchanged and p in self.files and self.status(p) == "unchanged")
        ]
        if existing:
            listed = "\n".join(
                f"  {p} ({self.notes[p]})" if p in self.notes else f"  {p}" for p in existing
            )
            what = "exist already with other contents" if skip_unchanged else "exist already"
            raise CommandError(
                f"these files {what}; nothing was written "
                f"(use --force to overwrite them):\n{listed}"
            )

    def write(self, force: bool, skip_unchanged: bool = False) -> list[Path]:
        """Write the files (overwriting existing ones only with ``force``, or when the
        new text only adds lines: :attr:`additions`); return them. With
        ``skip_unchanged``, a file that holds the same text already is left as it is
        (and needs no ``force``).

        Everything that can be checked beforehand is: a CommandError then means that
        nothing was written."""
        if self.root is not None:
            _check_root(self.root)
        for path in self.targets():
            _check_target(path, self.root)
        if skip_unchanged:
            for path in [p for p in self.files if self.status(p) == "unchanged"]:
                del self.files[path]
        if not force:
            self.refuse_overwrites(skip_unchanged)
        try:
            for path, text in self.files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            for path, source in self.copies.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, path)
        except OSError as exc:  # unwritable, disk full, read-only file system...
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        return self.targets()


def _check_root(root: Path) -> None:
    # The folder to write into, or the nearest of its parents that exists, must be a
    # folder (a file there would fail half-way, after other files were written).
    here = root
    while not os.path.lexists(here) and here != here.parent:
        here = here.parent
    if os.path.lexists(here) and not here.is_dir():
        what = "a link to nothing" if here.is_symlink() else "not a folder"
        raise CommandError(f"{here} is {what}: name a folder to write into")


def _check_target(path: Path, root: Path | None) -> None:
    # A file is written only as a plain file, in plain folders: never through a link
    # (a goals folder comes from anyone's pull request: a linked period folder could
    # point anywhere), never over a folder, a pipe or a device.
    if root is not None:
        rel = path.relative_to(root)
        if ".." in rel.parts:
            raise CommandError(f"{path} is outside {root}")
        here = root
        for part in rel.parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise CommandError(
                    f"{here} is a symbolic link: okrsite writes only into real folders "
                    f"inside {root}; replace the link with a folder"
                )
            if os.path.lexists(here) and not here.is_dir():
                raise CommandError(
                    f"{here} is a file where a folder is needed; move it away, nothing was written"
                )
    if path.is_symlink():
        raise CommandError(
            f"{path} is a symbolic link: okrsite does not write through links; remove it, "
            "nothing was written"
        )
    if path.is_dir():
        raise CommandError(
            f"{path} is a folder where okrsite writes a file; move it away, nothing was written"
        )
    if os.path.lexists(path) and not path.is_file():
        raise CommandError(f"{path} is not a plain file; remove it, nothing was written")
