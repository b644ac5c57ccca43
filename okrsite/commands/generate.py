"""``okrsite generate``: okrsite's pages written into the docs folder, for an engine that
runs no okrsite plugin (Zensical), once or again on every change of the goal files.

The same plan and renderer as the plugin (:mod:`okrsite.site.sitefiles`), so the pages,
their addresses and their links are the plugin's; :mod:`okrsite.site.generated` writes
them and touches no file that is not okrsite's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from okrsite import pipeline, settings
from okrsite.commands.context import (
    EXIT_CLEAN,
    EXIT_DATA,
    EXIT_FINDINGS,
    Context,
    UsageError,
    context,
)
from okrsite.diagnostics import INFO, DataError, Diagnostic, printable, show
from okrsite.formatting import plural
from okrsite.review import rules
from okrsite.site import generated, sitefiles, urls
from okrsite.site.pages import PageSpec
from okrsite.site.widgets import broken_banner, preview_banner
from okrsite.source.folder import ParseCache

# How often --watch looks at the goal files, in seconds.
POLL_SECONDS = 0.5


@dataclass
class Generated:
    """One run: what was written, and what the site's config still lacks."""

    report: generated.WriteReport
    pages: int
    advice: list[str]
    hand_written: list[str]


def docs_folder(ctx: Context, given: str | None) -> Path:
    """The folder to write into: ``--docs-dir``, else the config's ``docs_dir``. It must
    exist, be reached through no link (whatever is written would land where the link
    points), be neither the project's folder itself (MkDocs refuses it too) nor hold
    the goals folder or lie in it (pages would land among the goal files)."""
    project = ctx.config_file.parent
    folder = Path(given) if given else project / ctx.layout.docs_dir
    shown = show(str(folder))
    if not given and (
        Path(ctx.layout.docs_dir).is_absolute() or ".." in Path(ctx.layout.docs_dir).parts
    ):
        raise UsageError(
            f"{ctx.config_file}: docs_dir {show(ctx.layout.docs_dir)} is outside the project; "
            "okrsite writes pages only into a folder of the project (Zensical requires it too)"
        )
    if not folder.is_dir():
        raise UsageError(f"no such folder: {shown}; create it or set docs_dir")
    # The config's docs_dir is checked part by part from the project's folder, however
    # the config file was named; a folder named on the command line as it is written.
    link = _link_on_the_way(Path(ctx.layout.docs_dir), project) if not given else None
    link = link or _link_on_the_way(folder)
    if link is not None:
        raise UsageError(
            f"the docs folder {shown} is reached through a symbolic link ({show(str(link))}); "
            "okrsite writes only into a real folder (name the folder the link points to)"
        )
    real, goals = folder.resolve(), ctx.goals_dir.resolve()
    if real == project.resolve():
        raise UsageError(
            f"the docs folder {shown} is the project's folder; okrsite writes pages only into a "
            "folder of their own (docs_dir: docs)"
        )
    if real == goals or real in goals.parents or goals in real.parents:
        raise UsageError(
            f"the docs folder {shown} and the goals folder {show(str(ctx.goals_dir))} overlap; "
            "okrsite writes no page among the goal files: keep them apart"
        )
    return folder


def _link_on_the_way(folder: Path, start: Path | None = None) -> Path | None:
    """The first part of the way to ``folder`` (relative to ``start``, if given), as
    written, that is a link, if any. An absolute path named on the command line is the
    caller's: only its last part is checked."""
    if folder.is_absolute():
        return folder if folder.is_symlink() else None
    path = start or Path()
    for part in folder.parts:
        path = path / part
        if part != ".." and path.is_symlink():
            return path
    return None


def generate(
    ctx: Context,
    docs_dir: Path,
    outcome: pipeline.Outcome,
    broken: list[Diagnostic] | None = None,
    preview: tuple[str | None, bool] = (None, False),
) -> Generated:
    """Render every page of ``outcome`` and write the pages and published files into
    ``docs_dir``. ``broken``: the errors of a newer load that failed (every page says
    so, as under ``mkdocs serve``); ``preview``: the base ref of a preview and whether
    its banner shows (:func:`okrsite.settings.preview`)."""
    user_pages, ours = _pages_in(docs_dir)
    plan = sitefiles.plan_site(outcome, user_pages)
    use_directory_urls = ctx.layout.use_directory_urls
    renderer = pipeline.renderer(
        outcome,
        ctx.options,
        ctx.today,
        template_dirs=ctx.template_dirs,
        use_directory_urls=use_directory_urls,
        home=plan.home,
    )
    broken_top = str(broken_banner(broken)) if broken else ""

    def top(spec: PageSpec) -> str:
        compare_to, banner = preview
        if not banner:
            return broken_top
        changes = None
        if urls.CHANGES in plan.pages:
            changes = urls.relative(spec.src_uri, urls.CHANGES, use_directory_urls)
        return str(preview_banner(compare_to, changes)) + broken_top

    unsearched: list[str] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for spec in plan.pages.values():
            # No plugin puts a moved page's refresh into its head here: in the body,
            # browsers follow it all the same.
            refresh = sitefiles.refresh_tag(spec, use_directory_urls)
            body = renderer.render(spec)
            searchable = not sitefiles.too_long_for_search(body)
            if not searchable:
                unsearched.append(spec.src_uri)
            page = generated.markdown_page(spec, refresh + top(spec) + body, searchable)
            yield spec.src_uri, page.encode()
        for name, content in sitefiles.static_files(outcome, renderer, use_directory_urls):
            data = content.read_bytes() if isinstance(content, Path) else content.encode()
            yield name, data

    report = generated.write_folder(docs_dir, files(), found=ours)
    advice = _advice(ctx, plan, user_pages)
    if unsearched:
        advice.append(
            f"{plural(len(unsearched), 'page')} too long for Zensical's search index "
            f"({', '.join(unsearched[:3])}{', ...' if len(unsearched) > 3 else ''}) "
            "are left out of it; every item they list has a page of its own there"
        )
    return Generated(report, len(plan.pages), advice, plan.hand_written)


def _pages_in(docs_dir: Path) -> tuple[set[str], set[str]]:
    """The docs folder's files as the engines see them (dot files and dot folders left
    out, links not followed), docs-relative: its hand-written Markdown pages, and the
    files that are okrsite's (:func:`okrsite.site.generated.is_own`: its pages and
    data files, whatever the record says)."""
    hand_written: set[str] = set()
    ours: set[str] = set()
    for root, dirs, names in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(docs_dir).as_posix()
        for name in names:
            if name.startswith("."):
                continue
            path = name if rel == "." else f"{rel}/{name}"
            if generated.is_own(docs_dir, path, {}):
                ours.add(path)
            elif name.endswith(".md"):
                hand_written.add(path)
    return hand_written, ours


def _advice(ctx: Context, plan: sitefiles.SitePlan, user_pages: set[str]) -> list[str]:
    """What the config file must say for an engine without the plugin to show the
    pages as the plugin does: okrsite's stylesheet and script, and a navigation that
    places okrsite's index pages (without one, Zensical lists every page)."""
    layout, name = ctx.layout, ctx.config_file.name
    advice = []
    missing = [
        (key, path)
        for key, listed, path in (
            ("extra_css", layout.extra_css, sitefiles.CSS),
            ("extra_javascript", layout.extra_javascript, sitefiles.JS),
        )
        if path not in listed
    ]
    for key, path in missing:
        advice.append(f"{name}: add '{path}' to {key} (the pages' stylesheet and script)")
    if "okrsite.zensical" not in layout.markdown_extensions:
        advice.append(
            f"{name}: add 'okrsite.zensical' to markdown_extensions (Zensical then hands "
            "okrsite's pages through Markdown at once: a faster build, the same pages)"
        )
    if layout.nav is None:
        # The navigation the plugin makes: the hand-written pages and okrsite's.
        others = [p for p in user_pages if p != plan.home]
        nav = sitefiles.site_nav(None, _published(plan), sitefiles.nest(others))
        advice.append(
            f"{name} has no nav: without one, Zensical lists every goal in the navigation; "
            f"add this one (the plugin's), and later pages to it:\nnav:\n"
            + sitefiles.nav_yaml(nav, "  ")
        )
    elif not sitefiles.mentions_okrsite(layout.nav, plan.home):
        ours = sitefiles.nav_yaml([{"OKRs": sitefiles.nav_entries(_published(plan))}], "  ")
        advice.append(
            f"{name} has a nav without okrsite's pages: add them, e.g.\nnav:\n  ...\n{ours}"
        )
    return advice


def _published(plan: sitefiles.SitePlan) -> sitefiles.SitePlan:
    """The plan without a preview's Changes page: a navigation to paste is the
    published site's, where that page does not exist."""
    pages = {k: v for k, v in plan.pages.items() if k != urls.CHANGES}
    return sitefiles.SitePlan(plan.home, pages, plan.hand_written)


def print_run(
    result: Generated, docs_dir: Path, seconds: float, said: list[str] | None = None
) -> None:
    """One line of what a run did, the files it kept, and the config advice (unless it
    is ``said`` already)."""
    report = result.report
    shown = printable(str(docs_dir))
    print(
        f"okrsite: {plural(result.pages, 'page')} in {shown}: "
        f"{len(report.written)} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed ({seconds:.1f} s)"
    )
    for name in result.hand_written:
        print(f"okrsite: {sitefiles.hand_written_note(name, shown)}", file=sys.stderr)
    for name in report.kept[:10]:
        print(f"okrsite: {shown}/{name} {_why_kept(docs_dir, name)}", file=sys.stderr)
    if len(report.kept) > 10:
        print(f"okrsite: and {plural(len(report.kept) - 10, 'more file')} kept", file=sys.stderr)
    if result.advice != said:
        for line in result.advice:
            print(f"okrsite: {line}", file=sys.stderr)


def _why_kept(docs_dir: Path, name: str) -> str:
    """Why okrsite left a path of its own as it is, and what to do."""
    path = docs_dir / name
    if path.is_symlink():
        return "is a symbolic link, so okrsite writes nothing there; replace it with a folder"
    if not sitefiles.is_okrsite_path(name):  # on the way to one of okrsite's files
        return "is a file where okrsite writes a folder; move it away"
    if path.is_dir():
        return "is a folder where okrsite writes a file; move it away"
    return (
        "was not written by okrsite (or was edited since), so it stays; delete it to get "
        "the generated one"
    )


class _Session:
    """``okrsite generate`` once, or under ``--watch`` again and again: the config read
    anew each time (it may have changed), the last good organisation kept for when a
    save breaks a goal file, the config advice printed once until it changes."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.ctx = context(args)
        docs_folder(self.ctx, args.docs_dir)  # refused before anything is read
        self.last_good: pipeline.Outcome | None = None
        self.said: list[str] = []
        self.status = EXIT_CLEAN

    def run(self, cache: ParseCache | None) -> None:
        """One run: read the config, load the goals, write the pages (or, under
        --watch, the last good pages with the errors on top), say what happened."""
        start = time.perf_counter()
        self.status = EXIT_DATA
        try:
            self.ctx = context(self.args)
            docs_dir = docs_folder(self.ctx, self.args.docs_dir)
            preview = settings.preview(self.ctx.options, os.environ)
        except (UsageError, settings.SettingsError) as exc:
            print(f"okrsite: {exc}", file=sys.stderr)
            return
        ctx = self.ctx
        try:
            outcome = pipeline.run(
                ctx.goals_dir,
                ctx.options,
                ctx.today,
                display_base=Path.cwd(),
                compare_to=preview[0],
                cache=cache,
            )
        except pipeline.BaseRefError as exc:
            print(f"okrsite: {exc}", file=sys.stderr)
            return
        except DataError as exc:
            _say(exc.notes, [])
            for diag in exc.diagnostics:
                print(str(diag), file=sys.stderr)
            # As under `mkdocs serve`: the last good pages, each saying what to fix.
            last, errors = self.last_good, exc.diagnostics
            if self.args.watch and last and self._write(docs_dir, last, errors, preview):
                print(
                    f"okrsite: {plural(len(errors), 'data error')}: okrsite's pages show "
                    "the last good goal files, with the errors on top",
                    file=sys.stderr,
                )
            return
        self.last_good = outcome
        result = self._write(docs_dir, outcome, None, preview)
        if result is None:
            return
        # As `mkdocs build --strict` and `okrsite validate`: findings a team set to
        # error fail the run; warnings are said, and publish.
        errors_found = _say(outcome.notes, outcome.findings)
        self.status = EXIT_FINDINGS if errors_found else EXIT_CLEAN
        print_run(result, docs_dir, time.perf_counter() - start, self.said)
        self.said = result.advice
        sys.stdout.flush()

    def _write(
        self,
        docs_dir: Path,
        outcome: pipeline.Outcome,
        broken: list[Diagnostic] | None,
        preview: tuple[str | None, bool],
    ) -> Generated | None:
        """One write; None, the reason printed, when the folder cannot be written (it
        was removed while --watch runs, the disk is full)."""
        try:
            return generate(self.ctx, docs_dir, outcome, broken, preview)
        except OSError as exc:
            print(
                f"okrsite: cannot write into {printable(str(docs_dir))}: "
                f"{exc.strerror or type(exc).__name__}",
                file=sys.stderr,
            )
            return None


def _say(notes: list[Diagnostic], findings: list[rules.Finding]) -> bool:
    """Print a load's warnings and the goal-quality findings at warning and error
    level, as the plugin logs them (hints only counted: ``okrsite validate`` lists
    them); whether any finding is at error level."""
    for note in notes:
        if note.level != INFO:
            print(f"okrsite: warning: {note}", file=sys.stderr)
    hints = 0
    for finding in findings:
        if finding.level == rules.INFO:
            hints += 1
        else:
            print(f"okrsite: {finding.level}: {finding}", file=sys.stderr)
    if hints:
        print(f"okrsite: {plural(hints, 'hint')} (okrsite validate lists them)", file=sys.stderr)
    return any(f.level == rules.ERROR for f in findings)


def command(args: argparse.Namespace) -> int:
    """Run ``okrsite generate``: once (exit status 2 on data errors, when nothing is
    written, or a folder it must not write into), or with ``--watch`` again on every
    change of the goal files or the config file, until Ctrl-C."""
    session = _Session(args)
    if not args.watch:
        session.run(None)
        return session.status
    print(f"okrsite: watching {printable(str(session.ctx.goals_dir))} (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        watch(lambda: session.ctx, session.run)
    return EXIT_CLEAN


def watch(
    current: Callable[[], Context],
    run: Callable[[ParseCache], None],
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Run ``run`` now and again whenever a file under the goals folder or the config
    file (of the ``current`` context) changes, until ``stop()`` or Ctrl-C. Polling
    (twice a second): it needs no package, and works on every system and file system
    alike."""
    cache = ParseCache()
    seen = _snapshot(current())
    run(cache)
    while not stop():
        time.sleep(POLL_SECONDS)
        before = current()
        now = _snapshot(before)
        if now != seen:
            # Taken before the run reads the files: a save during the run is seen next.
            seen = now
            run(cache)
            if current().goals_dir != before.goals_dir:  # the config names another folder
                seen = _snapshot(current())


def _snapshot(ctx: Context) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under the goals folder and of the
    config file: a change in any of them means a new run."""
    out: dict[str, tuple[int, int]] = {}
    for root, _dirs, names in os.walk(ctx.goals_dir):
        for name in names:
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            out[path] = (st.st_size, st.st_mtime_ns)
    try:
        st = os.stat(ctx.config_file)
        out[str(ctx.config_file)] = (st.st_size, st.st_mtime_ns)
    except OSError:
        pass
    return out
