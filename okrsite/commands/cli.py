"""The ``okrsite`` command line: ``validate``, ``diff``, ``pdf``, ``init``, ``import``,
``new-period``, ``export`` and ``generate``.

``okrsite validate [GOALS_DIR]`` checks goal files: data errors and goal-quality
findings, as text, JSON or GitHub workflow annotations. Exit status: 0 clean (warnings
and hints allowed), 1 findings at error level, 2 usage or data errors.
"""

from __future__ import annotations

import argparse
import sys

from okrsite import __version__
from okrsite.commands.actions import (
    export_file,
    generate_pages,
    import_file,
    make_diff,
    make_pdf,
    make_site,
    open_period,
    validate,
)
from okrsite.commands.context import EXIT_CLEAN, EXIT_DATA, UsageError
from okrsite.commands.importrows import COLUMNS, REQUIRED


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``okrsite`` console script."""
    parser = argparse.ArgumentParser(
        prog="okrsite",
        description="Work with okrsite goal files (KPIs, OKRs, SMART goals).",
    )
    parser.add_argument("--version", action="version", version=f"okrsite {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser(
        "validate",
        help="check goal files: data errors and goal-quality findings",
        description="Check every goal file under GOALS_DIR: data errors (which fail a "
        "build) and goal-quality findings. Options of the okrsite plugin in mkdocs.yml "
        "(rules, stale_after_days, fiscal_year_start, today) apply when that file exists.",
        epilog="exit status: 0 clean (warnings allowed), 1 findings at error level, "
        "2 usage or data errors.\nexamples:\n  okrsite validate goals\n"
        "  okrsite validate --format github goals   # annotations in a GitHub workflow",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument(
        "goals_dir",
        nargs="?",
        default=None,
        metavar="GOALS_DIR",
        help="the goals folder (default: the plugin's goals_dir, else ./goals)",
    )
    v.add_argument("--format", choices=("text", "json", "github"), default="text")
    v.add_argument(
        "-f",
        "--config-file",
        default=None,  # None: mkdocs.yml if there is one; a named file must exist
        metavar="FILE",
        help="read the okrsite plugin options from this file (default: properdocs.yml or "
        "mkdocs.yml, here or in a folder above)",
    )
    v.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the as-of date (default: 'today' in mkdocs.yml, else today)",
    )
    v.add_argument(
        "--public-only",
        action="store_true",
        help="check only public goals, as the site shows them (default: all)",
    )
    pdf = sub.add_parser(
        "pdf",
        help="make the printable summary of a period as a PDF",
        description="Render the print summary of PERIOD to a PDF with headless Chromium: "
        "first what needs attention (objectives and key results off track, KPIs in alert, "
        "stale key results, broken chains), then the company KPIs, the alignment tree and "
        "each team's objectives and key results with score, pace and last check-in, one "
        "team after another; with --goals, an appendix of the period's public SMART goals "
        "(private goals are only counted). Needs Chromium: on Debian, apt-get install "
        "chromium.",
        epilog="examples:\n  okrsite pdf 2026-Q3\n  okrsite pdf 2026-Q3 --paper letter "
        "-o board/2026-Q3.pdf\n  okrsite pdf 2026-Q4 --goals",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pdf.add_argument("period", metavar="PERIOD", help="the period, e.g. 2026-Q3")
    pdf.add_argument(
        "-o", "--output", metavar="FILE", help="where to write the PDF (default: okrs-PERIOD.pdf)"
    )
    pdf.add_argument("--paper", choices=("a4", "letter"), default="a4")
    pdf.add_argument(
        "--goals",
        action="store_true",
        help="append the period's public SMART goals by team (private goals only counted)",
    )
    _config_args(pdf)
    d = sub.add_parser(
        "diff",
        help="what changed in the goals between two git refs, for a pull request",
        description="Compare the goal data at git ref BASE with HEAD (default: the working "
        "tree): added, removed and changed teams, people, KPIs, objectives, key results and "
        "goals, field by field, new check-ins and the resulting score changes. Items are "
        "matched by id; reordering is not a change. Private goals are left out unless "
        "--include-private.",
        epilog="exit status: 0 diff made, 1 diff made and it has review warnings (a target "
        "made easier or a key result removed while its period runs, a broken chain...), "
        "2 usage, git or data errors.\nexamples:\n  okrsite diff origin/main\n"
        "  okrsite diff origin/main HEAD --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("base", metavar="BASE", help="the git ref to compare from, e.g. origin/main")
    d.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        default=None,
        help="the git ref to compare to (default: the working tree)",
    )
    d.add_argument("--format", choices=("markdown", "json"), default="markdown")
    _config_args(d)
    d.add_argument(
        "--include-private",
        action="store_true",
        help="include private goals (never for a public pull-request comment)",
    )
    init = sub.add_parser(
        "init",
        help="start a new okrsite site that builds at once",
        description="Write a new site into DIR: mkdocs.yml (Material, no external fonts, "
        "search, okrsite), a small goals/ to edit (organisation, KPIs, this quarter's "
        "company OKRs, one person's goals, each with its schema line), docs/index.md, a "
        ".gitignore, a requirements.txt pinning this okrsite, and two GitHub workflows: "
        "goals.yml checks pull requests, publish.yml publishes the site on GitHub Pages. "
        "With --empty, the organisation is the company alone, with no examples: the "
        "start for okrsite import. Refuses to overwrite files unless --force.",
        epilog="examples:\n  okrsite init my-okrs --name Acme && cd my-okrs && mkdocs serve\n"
        "  okrsite init my-okrs --name Acme --empty && cd my-okrs && okrsite import okrs.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("directory", nargs="?", default=".", metavar="DIR")
    init.add_argument("--name", default="Acme", help="the organisation's name")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument(
        "--empty",
        action="store_true",
        help="no example people, KPIs, OKRs or goals: the company alone, for okrsite import",
    )
    # The day the example goals are dated around (default: today): for tests of a site
    # made on a given day, such as a quarter's last.
    init.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    imp = sub.add_parser(
        "import",
        help="turn a spreadsheet of OKRs (CSV or XLSX) into goal files",
        description="Read objectives and key results (and optionally goals) from FILE, one "
        "key result a row (or one check-in a row: rows with the same kr_id add check-ins "
        "and goals to one key result). The columns: "
        + ", ".join(COLUMNS)
        + "; required: "
        + ", ".join(REQUIRED)
        + ". Blank cells under period/team/objective/owner repeat "
        "the row above (merged cells); 42% and 1,200 are read as numbers; blank rows are "
        "skipped. Teams, people and KPIs are matched to the site's by id, name or email "
        "(case and accents do not count); unknown teams and people are added to "
        "org.yaml (or refused: --unknown refuse), unknown KPIs to the KPI file. "
        "'current' becomes a check-in dated by the date column, else today while the "
        "period runs, else the period's last day. Writes PERIOD/TEAM.yaml (and people's "
        "goal files) in the goals folder. A file the sheet would change is overwritten "
        "only with --force; files it would not change are left alone.",
        epilog="examples:\n  okrsite import okrs-2026-q3.csv --dry-run\n"
        "  okrsite import okrs-2026-q3.csv\n  okrsite import plan.xlsx --unknown refuse --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE")
    _config_args(imp, today=False)
    imp.add_argument("--force", action="store_true", help="overwrite goal files that differ")
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be written (new, changed, unchanged) and write nothing",
    )
    imp.add_argument(
        "--unknown",
        choices=("add", "refuse"),
        default="add",
        help="a team or person the site does not know: add it to org.yaml (default), or "
        "refuse the row",
    )
    imp.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the import date, for 'current' check-ins without a date (default: 'today' in "
        "mkdocs.yml, else today)",
    )
    newp = sub.add_parser(
        "new-period",
        help="open the next period from the last one",
        description="Create PERIOD's OKR files from the last earlier period (or --from): "
        "each team's unfinished objectives (score below 1.0, or all with --all) are "
        "carried with 'continues:', each key result's baseline becomes its last value and "
        "check-ins start empty. Files of earlier periods are not touched. Refuses to "
        "overwrite files unless --force.",
        epilog="examples:\n  okrsite new-period 2026-Q4\n  okrsite new-period 2027-Q1 "
        "--from 2026-Q4 --team support",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    newp.add_argument("period", metavar="PERIOD")
    newp.add_argument("--from", dest="source", metavar="PERIOD")
    newp.add_argument("--team", metavar="TEAM", help="only this team")
    newp.add_argument(
        "--all", dest="carry_all", action="store_true", help="carry finished objectives too"
    )
    _config_args(newp, today=False)
    newp.add_argument("--force", action="store_true", help="overwrite existing files")
    exp = sub.add_parser(
        "export",
        help="write the OKRs and public goals as a sheet that okrsite import reads",
        description="Write every period's objectives and key results (or PERIOD's) as CSV, "
        "in the columns okrsite import reads: one row per check-in of a key result (a key "
        "result without check-ins has one row), its public goals on its rows, ids in the "
        "team, owner, kpi and reference columns. Private goals are never exported. A text "
        "a spreadsheet would run as a formula (=, +, -, @) starts with an apostrophe. "
        "Objectives without key results and goals that support no key result cannot be "
        "rows: each is named on stderr. With -o, the file is UTF-8 with a byte-order "
        "mark (as spreadsheets save 'CSV UTF-8') and is not overwritten unless --force.",
        epilog="exit status: 0 written, 2 usage or data errors.\nexamples:\n"
        "  okrsite export csv > okrs.csv\n  okrsite export csv --period 2026-Q4 -o q4.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("format", choices=("csv",), metavar="csv", help="the format: csv")
    exp.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    exp.add_argument("--period", metavar="PERIOD", help="only this period, e.g. 2026-Q4")
    _config_args(exp)
    exp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    gen = sub.add_parser(
        "generate",
        help="write okrsite's pages into the docs folder, for Zensical",
        description="Write every page okrsite generates (Markdown: the title in front "
        "matter, the rendered page in one HTML block), its stylesheet and script, the JSON "
        "export, the schemas and the print summaries into the docs folder, for an engine "
        "that runs no okrsite plugin (Zensical). Only okrsite's own files are replaced: a "
        "hand-written page, or a generated file edited since, stays; .okrsite-generated.json "
        "records what was written. Private goals are never written (as on the site).",
        epilog="examples:\n  okrsite generate && zensical build\n"
        "  okrsite generate --watch &  zensical serve   # pages follow each saved goal file",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gen.add_argument(
        "--docs-dir",
        metavar="DIR",
        help="where to write (default: docs_dir in the config file, else docs)",
    )
    gen.add_argument(
        "--watch",
        action="store_true",
        help="write again whenever a goal file or the config file changes (Ctrl-C stops)",
    )
    _config_args(gen)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        commands = {
            "pdf": make_pdf,
            "diff": make_diff,
            "validate": validate,
            "init": make_site,
            "import": import_file,
            "new-period": open_period,
            "export": export_file,
            "generate": generate_pages,
        }
        return commands[args.command](args)
    except UsageError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # `okrsite validate | head` is fine
        sys.stderr.close()
        return EXIT_CLEAN


def _config_args(parser: argparse.ArgumentParser, today: bool = True) -> None:
    """The options every command that reads a goals folder shares."""
    parser.add_argument(
        "--goals-dir",
        metavar="DIR",
        help="the goals folder (default: the plugin's goals_dir in mkdocs.yml)",
    )
    parser.add_argument(
        "-f",
        "--config-file",
        default=None,  # None: mkdocs.yml if there is one; a named file must exist
        metavar="FILE",
        help="read the okrsite plugin options from this file (default: properdocs.yml or "
        "mkdocs.yml, here or in a folder above)",
    )
    if today:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="the as-of date (default: 'today' in mkdocs.yml, else today)",
        )


if __name__ == "__main__":
    sys.exit(main())
