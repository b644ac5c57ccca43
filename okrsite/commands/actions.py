"""What each ``okrsite`` command does once its arguments are parsed
(:mod:`okrsite.commands.cli` parses them). Each returns the exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import TemplateSyntaxError

from okrsite import pipeline
from okrsite.commands.context import (
    EXIT_CLEAN,
    EXIT_DATA,
    EXIT_FINDINGS,
    context,
)
from okrsite.commands.report import Report
from okrsite.diagnostics import DataError, printable
from okrsite.formatting import plural
from okrsite.review import rules

if TYPE_CHECKING:
    from okrsite.commands.importer import Imported


def validate(args: argparse.Namespace) -> int:
    """Run ``okrsite validate``; print the report; return the exit status."""
    ctx = context(args)
    out = Report(args.format)
    try:
        outcome = pipeline.run(
            ctx.goals_dir,
            ctx.options,
            ctx.today,
            display_base=Path.cwd(),
            include_private=not args.public_only,
        )
    except DataError as exc:
        out.data_errors(exc.diagnostics, exc.notes)
        return EXIT_DATA
    out.findings(outcome.notes, outcome.findings)
    return EXIT_FINDINGS if any(f.level == rules.ERROR for f in outcome.findings) else EXIT_CLEAN


def wrote(paths: list[Path], next_step: str) -> None:
    """Print each written file (relative to the current folder) and the next step."""
    for path in paths:
        print(f"wrote {_relative(path)}")
    print(f"next: {next_step}")


def make_site(args: argparse.Namespace) -> int:
    """Run ``okrsite init``."""
    from okrsite.commands.context import given_date
    from okrsite.commands.scaffold import init_site
    from okrsite.commands.writeplan import CommandError

    target = Path(args.directory)
    try:
        today = given_date(args.today) or dt.date.today()
        written = init_site(target, today, args.name, empty=args.empty).write(args.force)
    except CommandError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    where = "" if target.resolve() == Path.cwd().resolve() else f"cd {args.directory} && "
    if args.empty:
        wrote(written, f"{where}okrsite import YOUR-SHEET.csv   (then mkdocs serve)")
    else:
        wrote(written, f"{where}mkdocs serve   (then edit goals/ and watch the site follow)")
    return EXIT_CLEAN


def import_file(args: argparse.Namespace) -> int:
    """Run ``okrsite import``."""
    from okrsite.commands.importcheck import PlannedFilesError
    from okrsite.commands.importer import (
        ImportFileError,
        ImportSiteError,
        OrgEditError,
        import_sheet,
    )
    from okrsite.commands.writeplan import CommandError

    path = Path(args.file)
    if not path.is_file():
        print(f"okrsite: no such file: {path}", file=sys.stderr)
        return EXIT_DATA
    ctx = context(args, goals_must_exist=False)  # import may create the goals folder
    try:
        result = import_sheet(
            path,
            ctx.goals_dir,
            ctx.today,
            unknown=args.unknown,
            fiscal_year_start=ctx.options.fiscal_year_start,
            # A dry run lists the files that need --force; it checks the whole plan
            force=args.force or args.dry_run,
        )
        for line in [*result.problems, *result.notes]:
            print(line)
        if args.dry_run:
            written = []
            _dry_run(result)
        else:
            unchanged = [p for p in result.plan.files if result.plan.status(p) == "unchanged"]
            written = result.plan.write(args.force, skip_unchanged=True)
    except PlannedFilesError as exc:
        # A dry run checks the plan --force would write: errors that only --force
        # would meet are said to be --force's, after what the plain import meets.
        forced = exc.only_forced() if args.dry_run and not args.force else None
        print(f"okrsite: {forced or exc}", file=sys.stderr)
        return EXIT_DATA
    except (ImportFileError, ImportSiteError, OrgEditError, CommandError, ValueError) as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    print(
        f"read {plural(result.rows, 'row')}: {plural(result.objectives, 'objective')}, "
        f"{plural(result.key_results, 'key result')}, {plural(result.checkins, 'check-in')}, "
        f"{plural(result.goals, 'goal')}; {plural(len(result.problems), 'row')} could not "
        "be read"
    )
    if not result.rows:  # every row was refused
        print("nothing was written: fix the rows above and import again")
        return EXIT_FINDINGS
    if args.dry_run:
        print("nothing was written (--dry-run)")
        return EXIT_FINDINGS if result.problems else EXIT_CLEAN
    for same in unchanged:
        print(f"unchanged {_relative(same)}")
    for addition in result.additions:
        print(f"added {addition}")
    if written:
        wrote(written, "okrsite validate   (then check what was added to org.yaml and the KPIs)")
    elif result.problems:
        print("nothing was written: the rows that would change anything were not imported")
    else:
        print("nothing was written: the goal files hold what this sheet says already")
    return EXIT_FINDINGS if result.problems else EXIT_CLEAN


def _dry_run(result: Imported) -> None:
    """Print what ``okrsite import`` would write, file by file, and what it would add."""
    for target in result.plan.targets():
        status = result.plan.status(target)
        if status == "unchanged":
            print(f"unchanged {_relative(target)}")
            continue
        if status == "changed":
            status = "lines added" if target in result.plan.additions else "changed: needs --force"
        print(f"would write {_relative(target)} ({status})")
    for addition in result.additions:
        print(f"would add {addition}")


def _relative(path: Path) -> Path:
    """``path`` relative to the current folder where it is under it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def open_period(args: argparse.Namespace) -> int:
    """Run ``okrsite new-period``."""
    from okrsite.commands.newperiod import check_period, check_team, new_period
    from okrsite.commands.writeplan import CommandError

    try:  # the arguments name folders and files: checked before anything is read
        check_period(args.period)
        if args.source is not None:
            check_period(args.source, "--from")
        if args.team is not None:
            check_team(args.team)
    except CommandError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    ctx = context(args)
    try:
        plan, notes = new_period(
            ctx.goals_dir,
            args.period,
            source=args.source,
            team=args.team,
            carry_all=args.carry_all,
            fiscal_year_start=ctx.options.fiscal_year_start,
        )
        written = plan.write(args.force)
    except CommandError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        return EXIT_DATA
    for note in notes:
        print(note)
    wrote(written, f"set the {args.period} targets, then okrsite validate and commit")
    return EXIT_CLEAN


def make_diff(args: argparse.Namespace) -> int:
    """Run ``okrsite diff``: the semantic diff of two refs, as Markdown or JSON."""
    from okrsite.review.diffreport import to_json, to_markdown
    from okrsite.review.diffsource import diff_refs
    from okrsite.review.gitrefs import GitError

    ctx = context(args)
    try:
        with pipeline.gc_paused():  # two loads of all that stays alive: see gc_paused
            result = diff_refs(
                ctx.goals_dir,
                args.base,
                args.head,
                ctx.today,
                include_private=args.include_private,
                fiscal_year_start=ctx.options.fiscal_year_start,
            )
    except GitError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        print(
            f"okrsite: {plural(len(exc.diagnostics), 'data error')}: fix the goal files, then "
            "diff again",
            file=sys.stderr,
        )
        return EXIT_DATA
    print(to_json(result) if args.format == "json" else to_markdown(result), end="")
    return EXIT_FINDINGS if result.warnings else EXIT_CLEAN


def make_pdf(args: argparse.Namespace) -> int:
    """Run ``okrsite pdf``: the period's print summary as a PDF file."""
    from okrsite.commands.pdf import PAPERS, PdfError, html_to_pdf

    ctx = context(args)
    try:
        outcome = pipeline.run(ctx.goals_dir, ctx.options, ctx.today, display_base=Path.cwd())
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag))
        return EXIT_DATA
    org = outcome.org
    period = org.periods.get(args.period)
    if period is None:
        known = ", ".join(p.key for p in org.periods_sorted()) or "none"
        print(
            f"okrsite: no OKRs for period {args.period!r}; periods with OKRs: {known}",
            file=sys.stderr,
        )
        return EXIT_DATA
    renderer = pipeline.renderer(outcome, ctx.options, ctx.today, template_dirs=ctx.template_dirs)
    try:
        html = renderer.render_print(period, paper=PAPERS[args.paper], goals=args.goals)
    except jinja2.TemplateError as exc:
        # A template override in the theme's custom_dir: the site's build reports it in
        # MkDocs' way; here one line naming the template. The PDF renders with custom_dir
        # and okrsite's templates only, not the theme's own.
        where = ""
        if isinstance(exc, TemplateSyntaxError):
            where = f" ({printable(f'{exc.filename}:{exc.lineno}')})"
        problem = printable(exc.message or type(exc).__name__)
        print(
            f"okrsite: a template cannot be rendered{where}: {problem}; fix the override in "
            "custom_dir",
            file=sys.stderr,
        )
        return EXIT_DATA
    out = Path(args.output or f"okrs-{period.key}.pdf")
    try:
        html_to_pdf(html, out)
    except PdfError as exc:
        print(f"okrsite: {exc}", file=sys.stderr)
        return EXIT_DATA
    print(f"wrote {out} ({PAPERS[args.paper]}, {period.key}, as of {ctx.today.isoformat()})")
    return EXIT_CLEAN


def export_file(args: argparse.Namespace) -> int:
    """Run ``okrsite export csv``: the OKRs and public goals as a sheet that ``okrsite
    import`` reads back; to stdout, or to ``-o FILE`` (not over a file without --force)."""
    from okrsite.commands.export_sheet import export_sheet
    from okrsite.diagnostics import show

    ctx = context(args)
    try:  # never the private goals: the sheet leaves the site's audience behind
        outcome = pipeline.run(
            ctx.goals_dir, ctx.options, ctx.today, display_base=Path.cwd(), include_private=False
        )
    except DataError as exc:
        for diag in exc.diagnostics:
            print(str(diag), file=sys.stderr)
        return EXIT_DATA
    period = None
    if args.period is not None:
        periods = outcome.org.periods_sorted()
        period = next((p.key for p in periods if p.key.upper() == args.period.upper()), None)
        if period is None:
            known = ", ".join(p.key for p in periods) or "none"
            print(
                f"okrsite: no OKRs for period {show(args.period)}; periods with OKRs: {known}",
                file=sys.stderr,
            )
            return EXIT_DATA
    sheet = export_sheet(outcome.org, period)
    for note in sheet.skipped:
        print(f"okrsite: {note}", file=sys.stderr)
    if args.output is None:
        # UTF-8 whatever the terminal's encoding: `export csv > okrs.csv` on Windows
        # would otherwise write cp1252 (or fail on '→'), which import refuses to read.
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(sheet.csv_text)
        else:
            stream.write(sheet.csv_text.encode("utf-8"))
            stream.flush()
        return EXIT_CLEAN
    # Never through a link (it could lead to any file), nor into a pipe or a device.
    target = Path(args.output)
    if target.is_symlink() or (os.path.lexists(target) and not target.is_file()):
        what = "a symbolic link" if target.is_symlink() else "not a plain file"
        print(
            f"okrsite: {show(args.output)} is {what}: okrsite writes only plain files; "
            "remove it or name another file, nothing was written",
            file=sys.stderr,
        )
        return EXIT_DATA
    try:  # with a byte-order mark: spreadsheets then read the accents as UTF-8
        with open(args.output, "w" if args.force else "x", encoding="utf-8-sig", newline="") as f:
            f.write(sheet.csv_text)
    except FileExistsError:
        print(f"okrsite: {show(args.output)} exists: add --force to overwrite it", file=sys.stderr)
        return EXIT_DATA
    except (OSError, ValueError) as exc:  # a missing folder, a NUL byte in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a file name"
        print(f"okrsite: cannot write {show(args.output)}: {reason}", file=sys.stderr)
        return EXIT_DATA
    wrote(
        [Path(args.output)],
        f"open it in a spreadsheet ({plural(len(sheet.rows) - 1, 'row')}); okrsite import "
        "reads it back",
    )
    return EXIT_CLEAN


def generate_pages(args: argparse.Namespace) -> int:
    """Run ``okrsite generate`` (:func:`okrsite.commands.generate.command`)."""
    from okrsite.commands.generate import command

    return command(args)
