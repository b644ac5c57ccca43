"""The ``okrsite`` command line: ``okrsite validate [GOALS_DIR]``.

Exit status: 0 clean, 1 findings at error level, 2 usage or data errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import DataError
from .loader import load


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``okrsite`` console script."""
    parser = argparse.ArgumentParser(
        prog="okrsite",
        description="Work with okrsite goal files (KPIs, OKRs, SMART goals).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser(
        "validate",
        help="check goal files and report every problem as path:line: message",
        description="Check every goal file under GOALS_DIR. Exit status: 0 clean, "
        "1 findings at error level, 2 usage or data errors.",
        epilog="example: okrsite validate goals",
    )
    v.add_argument(
        "goals_dir", nargs="?", default="goals", help="the goals folder (default: goals)"
    )
    v.add_argument("--fiscal-year-start", type=int, default=1, metavar="MONTH")
    args = parser.parse_args(argv)
    return _validate(Path(args.goals_dir), args.fiscal_year_start)


def _validate(goals_dir: Path, fiscal_year_start: int) -> int:
    if not goals_dir.is_dir():
        print(f"okrsite: no such folder: {goals_dir}", file=sys.stderr)
        return 2
    try:
        result = load(goals_dir, fiscal_year_start=fiscal_year_start, display_base=Path.cwd())
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag))
        print(f"{len(exc.diagnostics)} error(s)", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"{warning} (warning)")
    org = result.org
    print(
        f"ok: {result.files} files, {len(org.teams)} teams, {len(org.people)} people, "
        f"{len(org.kpis)} KPIs, {len(org.objectives)} objectives, {len(org.goals)} public goals",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
