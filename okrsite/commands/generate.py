"""``okrsite generate``: okrsite's pages written into the docs folder, for an engine that
runs no okrsite plugin (Zensical), once or again on every change of the goal files.

The same plan and renderer as the plugin (:mod:`okrsite.site.sitefiles`), so the pages,
their addresses and their links are the plugin's; :mod:`okrsite.site.generated` writes
them and never touches a file it did not write.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from okrsite import pipeline
from okrsite.commands.context import Context, UsageError
from okrsite.diagnostics import Diagnostic, printable, show
from okrsite.formatting import plural
from okrsite.site import generated, sitefiles
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
    """The folder to write into: ``--docs-dir``, else the config's ``docs_dir``; it must
    exist and not be a link (whatever is written would land where the link points)."""
    folder = Path(given) if given else ctx.config_file.parent / ctx.layout.docs_dir
    if folder.is_symlink():
        raise UsageError(
            f"the docs folder {show(str(folder))} is a symbolic link; okrsite writes only into "
            "a real folder (use the folder it points to)"
        )
    if not folder.is_dir():
        raise UsageError(f"no such folder: {show(str(folder))}; create it or set docs_dir")
    return folder


def generate(
    ctx: Context,
    docs_dir: Path,
    outcome: pipeline.Outcome,
    broken: list[Diagnostic] | None = None,
    compare_to: str | None = None,
) -> Generated:
    """Render every page of ``outcome`` and write the pages and published files into
    ``docs_dir``. ``broken``: the errors of a newer load that failed (every page says
    so, as under ``mkdocs serve``); ``compare_to``: the base of a preview."""
    user_pages = _hand_written_pages(docs_dir)
    plan = sitefiles.plan_site(outcome, user_pages)
    renderer = pipeline.renderer(
        outcome,
        ctx.options,
        ctx.today,
        template_dirs=ctx.template_dirs,
        use_directory_urls=ctx.layout.use_directory_urls,
        home=plan.home,
    )
    top = str(broken_banner(broken)) if broken else ""
    if compare_to:
        top = str(preview_banner(compare_to)) + top

    def files() -> Iterator[tuple[str, bytes]]:
        for spec in plan.pages.values():
            # No plugin puts a moved page's refresh into its head here: in the body,
            # browsers follow it all the same.
            refresh = sitefiles.refresh_tag(spec, ctx.layout.use_directory_urls)
            body = refresh + top + renderer.render(spec)
            yield spec.src_uri, generated.markdown_page(spec, body).encode()
        for name, content in sitefiles.static_files(
            outcome, renderer, ctx.layout.use_directory_urls
        ):
            data = content.read_bytes() if isinstance(content, Path) else content.encode()
            yield name, data

    report = generated.write_folder(docs_dir, files())
    return Generated(report, len(plan.pages), _advice(ctx, plan), plan.hand_written)


def _hand_written_pages(docs_dir: Path) -> set[str]:
    """The docs folder's Markdown pages that okrsite did not write (docs-relative), as
    the engines see them: dot files and dot folders left out, links not followed. A
    recorded page edited since counts as okrsite's here: the write keeps it, and says
    so."""
    ours = set(generated.read_record(docs_dir))
    found: set[str] = set()
    for root, dirs, names in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(docs_dir).as_posix()
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = name if rel == "." else f"{rel}/{name}"
                if path not in ours:
                    found.add(path)
    return found


def _advice(ctx: Context, plan: sitefiles.SitePlan) -> list[str]:
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
    if layout.nav is None or not sitefiles.mentions_okrsite(layout.nav, plan.home):
        entries = "".join(
            f"\n      - {title}: {path}"
            for entry in sitefiles.nav_entries(plan)
            for title, path in entry.items()
        )
        what = "has no nav" if layout.nav is None else "has a nav without okrsite's pages"
        advice.append(
            f"{name} {what}: without one, Zensical lists every goal in the navigation; "
            f"add okrsite's index pages, e.g.\n  nav:\n    - OKRs:{entries}"
        )
    return advice


def print_run(result: Generated, docs_dir: Path, seconds: float) -> None:
    """One line of what a run did, the files it kept, and the config advice."""
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
        what = (
            "is a symbolic link, so okrsite writes nothing there; replace it with a folder"
            if (docs_dir / name).is_symlink()
            else "was not written by okrsite (or was edited since), so it stays; remove it "
            "to get the generated one"
        )
        print(f"okrsite: {shown}/{name} {what}", file=sys.stderr)
    if len(report.kept) > 10:
        print(f"okrsite: and {plural(len(report.kept) - 10, 'more file')} kept", file=sys.stderr)
    for line in result.advice:
        print(f"okrsite: {line}", file=sys.stderr)


def watch(
    ctx: Context,
    run: Callable[[ParseCache], None],
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Run ``run`` now and again whenever a file under the goals folder or the config
    file changes, until ``stop()`` or Ctrl-C. Polling (twice a second): it needs no
    package, and works on every system and file system alike."""
    cache = ParseCache()
    seen = _snapshot(ctx)
    run(cache)
    while not stop():
        time.sleep(POLL_SECONDS)
        now = _snapshot(ctx)
        if now != seen:
            seen = now
            run(cache)


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
