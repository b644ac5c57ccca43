"""The last check of ``okrsite import`` before it writes: the goals folder as it would
be, loaded with okrsite's own loader (the one ``okrsite validate`` and the site build
use), so that nothing the import writes is a file validate refuses: an oversized file,
an ``aligns_to`` to nothing or round in a cycle, a chain of teams too deep, and
whatever else the loader checks, now or later.

The folder is assembled in a temporary folder (never in the goals folder itself): the
files the loader reads, copied, with the planned files written over them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from okrsite.commands.importmatch import ImportSiteError
from okrsite.commands.writeplan import Plan
from okrsite.diagnostics import DataError
from okrsite.formatting import plural
from okrsite.source.folder import survey
from okrsite.source.loader import load

# Errors listed in the refusal; a sheet that makes thousands says so in one line.
_SHOWN = 20


def check_planned(goals_dir: Path, plan: Plan, fiscal_year_start: int) -> None:
    """Raise ImportSiteError, listing the errors as ``okrsite validate`` would show
    them, when the goals folder with ``plan`` written into it does not load."""
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
        try:
            load(copy, include_private=True, fiscal_year_start=fiscal_year_start)
        except DataError as exc:
            errors = exc.diagnostics
            listed = [f"  {d}" for d in errors[:_SHOWN]]
            if len(errors) > _SHOWN:
                listed.append(f"  ... and {len(errors) - _SHOWN:,} more")
            raise ImportSiteError(
                f"the goal files would have {plural(len(errors), 'error')} after this "
                "import, so nothing was written:\n"
                + "\n".join(listed)
                + "\nfix the sheet (or the goal files named: run okrsite validate), then "
                "import again"
            ) from None


def _assemble(goals_dir: Path, plan: Plan, copy: Path) -> None:
    if goals_dir.is_dir():
        found = survey(goals_dir)
        # the goal files, and the CSV files a KPI's history_file may name
        csvs = [p for p in found.others if p.suffix.lower() == ".csv"]
        for path in [*found.files, *csvs]:
            _put(copy / path.relative_to(goals_dir), source=path)
    for path, text in plan.files.items():
        _put(copy / path.relative_to(goals_dir), text=text)
    for path, source in plan.copies.items():
        _put(copy / path.relative_to(goals_dir), source=source)


def _put(dest: Path, *, text: str | None = None, source: Path | None = None) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        dest.write_text(text, encoding="utf-8")
    elif source is not None:
        shutil.copyfile(source, dest)
