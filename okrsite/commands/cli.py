"""The ``okrsite`` command line: ``validate``, ``diff``, ``pdf``, ``init``, ``import``
and ``new-period``.

``okrsite validate [GOALS_DIR]`` checks goal files: data errors and goal-quality
findings, as text, JSON or GitHub workflow annotations. Exit status: 0 clean (warnings
and hints allowed), 1 findings at error level, 2 usage or data errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from okrsite import settings
from okrsite.diagnostics import INFO, DataError, Diagnostic, printable, show
from okrsite.review import rules
from okrsite.source.loader import load

EXIT_CLEAN, EXIT_FINDINGS, EXIT_DATA = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``okrsite`` console script."""
    parser = argparse.ArgumentParser(
        prog="okrsite",
        description="Work with okrsite goal files (KPIs, OKRs, SMART goals).",
    )
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
        help="read the okrsite plugin options from this file (default: mkdocs.yml)",
    )
    v.add_argument("--today", metavar="YYYY-MM-DD", help="the as-of date (default: today)")
    v.add_argument(
        "--public-only",
        action="store_true",
        help="check only public goals, as the site shows them (default: all)",
    )
    pdf = sub.add_parser(
        "pdf",
        help="make the printable summary of a period as a PDF",
        description="Render the print summary of PERIOD (cover, company KPIs, alignment, "
        "then each team's objectives and key results on pages of their own) to a PDF with "
        "headless Chromium. Needs Chromium: on Debian, apt-get install chromium.",
        epilog="examples:\n  okrsite pdf 2026-Q3\n  okrsite pdf 2026-Q3 --paper letter "
        "-o board/2026-Q3.pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pdf.add_argument("period", metavar="PERIOD", help="the period, e.g. 2026-Q3")
    pdf.add_argument(
        "-o", "--output", metavar="FILE", help="where to write the PDF (default: okrs-PERIOD.pdf)"
    )
    pdf.add_argument("--paper", choices=("a4", "letter"), default="a4")
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
        "company OKRs, one person's goals, each with its schema line), docs/index.md and a "
        "GitHub workflow that validates goals on pull requests. Refuses to overwrite files "
        "unless --force.",
        epilog="example:\n  okrsite init my-okrs --name Acme && cd my-okrs && mkdocs serve",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("directory", nargs="?", default=".", metavar="DIR")
    init.add_argument("--name", default="Acme", help="the organisation's name")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    imp = sub.add_parser(
        "import",
        help="turn a spreadsheet of OKRs (CSV or XLSX) into goal files",
        description="Read objectives and key results (and optionally goals) from FILE, one "
        "key result a row, with the columns: period, team, objective, owner, key_result, "
        "baseline, target, and optionally unit, kpi, kr_owner, current, goal, goal_owner, "
        "goal_metric, goal_baseline, goal_target, goal_due, goal_achievable. Blank cells "
        "under period/team/objective/owner repeat the row above "
        "(merged cells); 42%% and 1,200 are read as numbers; a line break or tab in a name or "
        "title becomes a space; blank rows are skipped. Writes "
        "goals/PERIOD/TEAM.yaml files (and goals/org.yaml when there is none). Refuses to "
        "overwrite files unless --force.",
        epilog="example:\n  okrsite import okrs-2026-q3.csv\n  okrsite import plan.xlsx "
        "--goals-dir goals --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--goals-dir", default="goals", metavar="DIR")
    imp.add_argument("--force", action="store_true", help="overwrite existing goal files")
    imp.add_argument("--today", metavar="YYYY-MM-DD", help="date of the 'current' check-ins")
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
        }
        return commands[args.command](args)
    except UsageError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # `okrsite validate | head` is fine
        sys.stderr.close()
        return EXIT_CLEAN


class UsageError(Exception):
    """A problem with how the command was called or configured (exit status 2)."""


def _context(args: argparse.Namespace) -> tuple[settings.Options, Path, dt.date]:
    """The plugin's options from the config file (checked as ``mkdocs build`` checks
    them), the goals folder and the as-of date; a UsageError says what is wrong."""
    given_file = getattr(args, "config_file", None)
    config_file = Path(given_file or "mkdocs.yml")
    options = plugin_options(config_file, required=given_file is not None)
    base = config_file.parent if _is_file(config_file) else Path.cwd()
    given = getattr(args, "goals_dir", None)
    goals_dir = Path(given) if given else base / options.goals_dir
    try:
        found = goals_dir.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte in --goals-dir
        found = False
    if not found:
        raise UsageError(f"no such folder: {show(str(goals_dir))}")
    cli_today = getattr(args, "today", None)
    today = _date(cli_today) if cli_today else options.today or dt.date.today()
    return options, goals_dir, today


def plugin_options(config_file: Path, required: bool = False) -> settings.Options:
    """The okrsite plugin's options in an mkdocs.yml, checked by the plugin's own check
    (okrsite.settings), without importing MkDocs. A missing file gives the defaults,
    unless it was named (``required``)."""
    if not _is_file(config_file):
        if required:
            raise UsageError(f"no such config file: {show(str(config_file))}")
        return settings.DEFAULTS
    try:
        raw = settings.read_plugin_options(config_file)  # messages name the file
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None
    try:
        return settings.options_from(raw)
    except settings.SettingsError as exc:
        raise UsageError(f"{config_file}: {exc}") from None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system: no such file
        return False


def validate(args: argparse.Namespace) -> int:
    """Run ``okrsite validate``; print the report; return the exit status."""
    options, goals_dir, today = _context(args)
    out = _Report(args.format)
    try:
        result = load(
            goals_dir,
            include_private=not args.public_only,
            fiscal_year_start=options.fiscal_year_start,
            display_base=Path.cwd(),
        )
    except DataError as exc:
        out.data_errors(exc.diagnostics)
        return EXIT_DATA
    rule_options = rules.RuleOptions(dict(options.rule_levels), options.stale_after_days)
    findings = rules.check(result.org, today, rule_options)
    out.findings(result.warnings, findings)
    return EXIT_FINDINGS if any(f.level == rules.ERROR for f in findings) else EXIT_CLEAN


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
        help="read the okrsite plugin options from this file (default: mkdocs.yml)",
    )
    if today:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="the as-of date (default: 'today' in mkdocs.yml, else today)",
        )


def _wrote(paths: list[Path], next_step: str) -> None:
    base = Path.cwd()
    for path in paths:
        try:
            shown = path.resolve().relative_to(base)
        except ValueError:
            shown = path
        print(f"wrote {shown}")
    print(f"next: {next_step}")


def make_site(args: argparse.Namespace) -> int:
    """Run ``okrsite init``."""
    from okrsite.commands.scaffold import ScaffoldError, init_site

    target = Path(args.directory)
    try:
        written = init_site(target, dt.date.today(), args.name).write(args.force)
    except ScaffoldError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    where = "" if target.resolve() == Path.cwd().resolve() else f"cd {args.directory} && "
    _wrote(written, f"{where}mkdocs serve   (then edit goals/ and watch the site follow)")
    return EXIT_CLEAN


def import_file(args: argparse.Namespace) -> int:
    """Run ``okrsite import``."""
    from okrsite.commands.importer import import_sheet
    from okrsite.commands.scaffold import ScaffoldError

    path = Path(args.file)
    if not path.is_file():
        print(f"okrsite: no such file: {path}", file=sys.stderr)
        return EXIT_DATA
    try:
        result = import_sheet(path, Path(args.goals_dir), _date(args.today))
        for problem in result.problems:
            print(problem)
        written = result.plan.write(args.force)
    except (ScaffoldError, ValueError) as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    print(
        f"read {result.rows} rows: {result.objectives} objectives, {result.key_results} key "
        f"results, {result.goals} goals; {len(result.problems)} rows could not be read"
    )
    if not written:  # every row was refused
        print("nothing was written: fix the rows above and import again")
        return EXIT_FINDINGS
    _wrote(written, "okrsite validate   (then add check-ins, KPIs and team parents)")
    return EXIT_FINDINGS if result.problems else EXIT_CLEAN


def open_period(args: argparse.Namespace) -> int:
    """Run ``okrsite new-period``."""
    from okrsite.commands.scaffold import ScaffoldError, check_period, check_team, new_period

    try:  # the arguments name folders and files: checked before anything is read
        check_period(args.period)
        if args.source is not None:
            check_period(args.source, "--from")
        if args.team is not None:
            check_team(args.team)
    except ScaffoldError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    options, goals_dir, _today = _context(args)
    try:
        plan, notes = new_period(
            goals_dir,
            args.period,
            source=args.source,
            team=args.team,
            carry_all=args.carry_all,
            fiscal_year_start=options.fiscal_year_start,
        )
        written = plan.write(args.force)
    except ScaffoldError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        return EXIT_DATA
    for note in notes:
        print(note)
    _wrote(written, f"set the {args.period} targets, then okrsite validate and commit")
    return EXIT_CLEAN


def make_diff(args: argparse.Namespace) -> int:
    """Run ``okrsite diff``: the semantic diff of two refs, as Markdown or JSON."""
    from okrsite.review.diffreport import to_json, to_markdown
    from okrsite.review.diffsource import diff_refs
    from okrsite.review.gitrefs import GitError

    options, goals_dir, today = _context(args)
    try:
        result = diff_refs(
            goals_dir,
            args.base,
            args.head,
            today,
            include_private=args.include_private,
            fiscal_year_start=options.fiscal_year_start,
        )
    except GitError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        print(
            f"okrsite: {len(exc.diagnostics)} data error(s): fix the goal files, then diff again",
            file=sys.stderr,
        )
        return EXIT_DATA
    print(to_json(result) if args.format == "json" else to_markdown(result), end="")
    return EXIT_FINDINGS if result.warnings else EXIT_CLEAN


def make_pdf(args: argparse.Namespace) -> int:
    """Run ``okrsite pdf``: the period's print summary as a PDF file."""
    from okrsite.commands.pdf import PAPERS, PdfError, html_to_pdf
    from okrsite.site.render import Renderer

    options, goals_dir, today = _context(args)
    try:
        result = load(
            goals_dir,
            include_private=options.include_private,
            fiscal_year_start=options.fiscal_year_start,
            display_base=Path.cwd(),
        )
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag))
        return EXIT_DATA
    org = result.org
    period = org.periods.get(args.period)
    if period is None:
        known = ", ".join(p.key for p in org.periods_sorted()) or "none"
        print(
            f"okrsite: no OKRs for period {args.period!r}; periods with OKRs: {known}",
            file=sys.stderr,
        )
        return EXIT_DATA
    renderer = Renderer(org, today, stale_after_days=options.stale_after_days)
    html = renderer.render_print(period, paper=PAPERS[args.paper])
    out = Path(args.output or f"okrs-{period.key}.pdf")
    try:
        html_to_pdf(html, out)
    except PdfError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    print(f"wrote {out} ({PAPERS[args.paper]}, {period.key}, as of {today.isoformat()})")
    return EXIT_CLEAN


def _date(value: str | None) -> dt.date:
    """The date of a ``--today`` option (YYYY-MM-DD, a real day), or today."""
    if value is None:
        return dt.date.today()
    try:
        return settings.date(value, "--today")
    except settings.SettingsError as exc:
        raise UsageError(str(exc)) from None


def _gh_escape(text: str, prop: bool = False) -> str:
    # GitHub's workflow-command escaping: %, CR, LF always; ':' and ',' in properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


class _Report:
    def __init__(self, fmt: str):
        self.fmt = fmt

    def data_errors(self, diags: list[Diagnostic]) -> None:
        if self.fmt == "json":
            print(
                json.dumps(
                    {"errors": [_diag_json(d) for d in diags], "findings": []},
                    indent=1,
                    ensure_ascii=False,
                )
            )
        elif self.fmt == "github":
            for d in diags:
                print(_gh("error", d.path, d.line, "okrsite data error", d.message))
        else:
            for d in diags:
                print(str(d))
        print(f"okrsite: {len(diags)} data error(s); nothing else was checked", file=sys.stderr)

    def findings(self, warnings: list[Diagnostic], findings: list[rules.Finding]) -> None:
        if self.fmt == "json":
            print(
                json.dumps(
                    {
                        "errors": [],
                        "warnings": [_diag_json(d) for d in warnings],
                        "findings": [
                            {
                                "path": f.source.path,
                                "line": f.source.line,
                                "code": f.rule.code,
                                "name": f.rule.name,
                                "level": f.level,
                                "message": f.message,
                            }
                            for f in findings
                        ],
                    },
                    indent=1,
                    ensure_ascii=False,
                )
            )
        elif self.fmt == "github":
            for d in warnings:
                print(_gh(_GH_LEVEL[d.level], d.path, d.line, "okrsite", d.message))
            for f in findings:
                print(
                    _gh(
                        _GH_LEVEL[f.level],
                        f.source.path,
                        f.source.line,
                        f"{f.rule.code} {f.rule.name}",
                        f.message,
                    )
                )
        else:
            for d in warnings:
                print(f"{d} ({'note' if d.level == INFO else d.level})")
            for f in findings:
                print(f"{f} ({f.level})")
        names = {"error": "error", "warning": "warning", "info": "hint"}
        counts = {lvl: sum(f.level == lvl for f in findings) for lvl in names}
        parts = [f"{n} {names[lvl]}{'s' if n != 1 else ''}" for lvl, n in counts.items() if n]
        summary = ", ".join(parts) or "no findings"
        print(f"okrsite: {summary}", file=sys.stderr)


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    return {"path": d.path, "line": d.line, "level": d.level, "message": d.message}


def _gh(level: str, path: str, line: int, title: str, message: str) -> str:
    return (
        f"::{level} file={_gh_escape(path, True)},line={line},"
        f"title={_gh_escape(printable(title), True)}::{_gh_escape(printable(message))}"
    )


if __name__ == "__main__":
    sys.exit(main())
