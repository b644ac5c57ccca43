"""`mkdocs serve`'s partial rebuilds: MkDocs glue, like :mod:`okrsite.plugin` (this module
imports MkDocs too). The decisions are not here but in pure modules: which items an edit
touched (:mod:`okrsite.site.partial_items`) and which pages may show them
(:mod:`okrsite.site.partial`). Here: the builder MkDocs' server calls after each change,
wrapped so that an edit of goal files alone renders only those pages and runs MkDocs' own
page steps for the ones whose body changed; what is kept of the last build for that; and
the data files written after it.

What is kept between builds names items by ref, never holds an item of an organisation
that is no longer the site's, and is dropped by every full build (:meth:`Serving.reset`).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import importlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from okrsite import pipeline, watchstate
from okrsite.diagnostics import DataError
from okrsite.model.graph import Kpi, Organization
from okrsite.review import rules
from okrsite.site import partial, search_index, sitefiles, stopping
from okrsite.site import partial_items as items
from okrsite.site.alignment import MapPage
from okrsite.site.render import Renderer

if TYPE_CHECKING:
    from okrsite.plugin import OkrSitePlugin

log = get_plugin_logger("okrsite.plugin")

# Seconds after a partial rebuild before the last organisation's garbage is collected
# (the browsers reload the pages first), then before the data files are made again,
# if no edit came meanwhile: at 10,000 goals they take the processor for seconds, and
# pages are what an editor looks at.
COLLECT_DELAY = 1.5
DATA_FILES_DELAY = 5.0
# Saves that come faster than that (an editor's auto-save) leave each last organisation
# frozen, uncollected: after this many, the rebuild collects first (seconds at 10,000
# goals, once in a while) so that memory stays bounded.
MAX_UNCOLLECTED = 3


def _build_module(config: MkDocsConfig) -> Any:
    """The build module of the engine running: ProperDocs' own under `properdocs serve`
    (its page context names ProperDocs, MkDocs' names MkDocs), else MkDocs'."""
    engine = type(config).__module__.split(".", 1)[0]
    try:
        return importlib.import_module(f"{engine}.commands.build")
    except ImportError:
        return mkdocs_build


def _private_counts(org: Organization) -> tuple[object, ...]:
    """What an organisation holds of its private goals: counts, and the public items
    they support (by key)."""
    supports = {
        period: sorted(items.ref(item) or "" for item in supported)
        for period, supported in org.private_supports.items()
    }
    return (
        org.private_goals,
        org.private_unlinked,
        org.private_by_period,
        org.private_unlinked_by_period,
        supports,
    )


def digest(text: str) -> bytes:
    """A short fingerprint of a page body or data file, to tell whether it changed."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass
class Kept:
    """What a partial rebuild needs of the last build: MkDocs' config, files, navigation
    and theme environment; okrsite's page plan; the map pages that draw each item and
    the items each KPI's page shows, by ref (a KPI not there: not known)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    plan: sitefiles.SitePlan
    user_pages: set[str]
    map_index: dict[str, set[str]]
    kpi_shown: dict[str, set[str]]
    shown: Sequence[Any] | None = None  # the pages MkDocs' serve shows: the same files

    def pages_shown(self) -> Sequence[Any]:
        """MkDocs' documentation pages as `mkdocs serve` lists them (to the page
        templates), once: a partial rebuild adds and removes none."""
        if self.shown is None:
            self.shown = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        return self.shown


@dataclass
class _Checked:
    """What the rule check of an edit found: the refs whose findings changed, and
    whether their number did; and, computed on the way and used after it, the items
    written in the edited files before and after the edit and the last organisation's
    items' twins in the new one (:func:`~okrsite.site.partial_items.twins`)."""

    written_before: list[Any]
    refs: set[str] = field(default_factory=set)
    counted: bool = False
    written_after: list[Any] = field(default_factory=list)
    moved: dict[int, Any] = field(default_factory=dict)


class Serving:
    """The partial-rebuild state of one :class:`~okrsite.plugin.OkrSitePlugin`."""

    def __init__(self, plugin: OkrSitePlugin) -> None:
        self.plugin = plugin
        self.kept: Kept | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.env: Any = None
        self.digests: dict[str, bytes] = {}  # page bodies as last written
        self.static_digests: dict[str, bytes] = {}  # data files as last written
        self.ready: dict[str, str] = {}  # bodies a partial rebuild rendered already
        self._stop_job = threading.Event()  # the data files being made are out of date
        # Cleared while a rebuild looks at what changed: the data-files job waits at its
        # next step (see rebuild).
        self._job_may_run = threading.Event()
        self._job_may_run.set()
        self._job: threading.Thread | None = None  # the last one making them
        self._uncollected = 0  # partial rebuilds whose garbage is frozen still
        self._watched: watchstate.State | None = None

    def reset(self) -> None:
        """A full build starts: nothing of the last one counts."""
        self.kept, self.digests, self.static_digests, self.ready = None, {}, {}, {}

    def body(self, src_uri: str, render: Callable[[], str]) -> str:
        """A page body: the one a partial rebuild rendered, else rendered now."""
        text = self.ready.pop(src_uri, None) or render()
        self.digests[src_uri] = digest(text)
        return text

    def build_done(self, config: MkDocsConfig, plan: sitefiles.SitePlan, user: set[str]) -> None:
        """A full build is over and without errors: keep what partial rebuilds need."""
        if self.nav is None or self.files is None:
            return
        maps = [(p, s.item) for p, s in plan.pages.items() if isinstance(s.item, MapPage)]
        renderer = self.plugin.renderer
        shown = partial.kpi_shown(renderer.org.kpis.values(), renderer.kpi_tree)
        index = items.map_index(maps)
        self.kept = Kept(config, self.files, self.nav, self.env, plan, user, index, shown)

    def install(self, server: Any, config: MkDocsConfig) -> None:
        """Wrap the server's builder (MkDocs 1.6 and ProperDocs call ``server.builder()``
        after each change) so that it tries a partial rebuild first."""
        full = getattr(server, "builder", None)
        if not callable(full) or not hasattr(server, "_watched_paths"):
            return
        # The paths added to config.watch after this event are watched too.
        self._watched = watchstate.state(self._watch_list(server, config.watch))
        server.builder = lambda: self.rebuild(full, server)

    def _watch_list(self, server: Any, more: Any = ()) -> list[str]:
        return sorted({*server._watched_paths, *(os.path.abspath(p) for p in more)})

    def rebuild(self, full: Callable[[], object], server: Any) -> None:
        """A rebuild under `mkdocs serve`: only the pages the edit changes when only goal
        files changed since the last build and :meth:`_partial` can do it; else (or on
        any error) MkDocs' full build."""
        # The last partial rebuild's data-files job, if still running, waits at its next
        # step while the watched files are looked at: sharing the processor with it,
        # the thousands of small system calls of that look took seconds, not 20 ms.
        self._job_may_run.clear()
        try:
            now = watchstate.state(self._watch_list(server))
            edited = watchstate.changes(self._watched or {}, now)
            self._watched = now
            if not edited and self.kept is not None and not self._new_day():
                # The watcher's second look at a save already built (it saw the file
                # half written, then whole; or a file moved onto one of the same size
                # and time): the site, and the data files being made, are up to date.
                log.info("nothing changed since the last build")
                return
            # Those data files are out of date: this build makes them again (a partial
            # one from the newer files, a full one all). That job stops at its next
            # step, writing nothing more; a partial rebuild does not wait for it (they
            # write different files), a full build does.
            self._stop_job.set()
            self._stop_job = threading.Event()
        finally:
            self._job_may_run.set()
        goals = os.path.abspath(self.plugin.goals_dir) + os.sep
        others = [p for p in edited if not p.startswith(goals)]
        if others:
            reason = f"{self._shown(others)} changed"
        else:
            try:
                # The last organisation is garbage once this one is the site's: a pass of
                # the collector over both would take longer than the rebuild, so it is
                # paused, then kept off both (frozen) until the browsers have reloaded
                # the pages; see _rewrite_data_files.
                if self._uncollected >= MAX_UNCOLLECTED:
                    self._collect()
                with pipeline.gc_paused():
                    reason = self._partial(edited)
                    if not reason:
                        gc.freeze()
                        self._uncollected += 1
            except Exception as exc:  # any doubt: the full build says what is wrong
                reason = f"the partial rebuild failed: {exc!r}"
                self.ready = {}
        if reason:
            if self._job is not None:
                self._job.join()
            # What partial rebuilds froze (above) is the full build's to collect. Not
            # unfrozen before a partial rebuild: the next automatic collection would scan
            # the whole heap of the last build, half a second at 10,000 goals; the
            # data-files job collects it once the browsers have reloaded.
            gc.unfreeze()
            self._uncollected = 0  # the full build collects first
            self.kept = None
            log.info(f"full build ({reason})")
            full()

    def _new_day(self) -> bool:
        """Whether the site's day (today, unless the configuration fixes it) has passed
        since the last build: every page's scores and states move on."""
        plugin = self.plugin
        return plugin.options.today is None and dt.date.today() != plugin.today

    def _collect(self) -> None:
        """Collect the garbage of the last organisations (frozen with what is alive by
        the partial rebuilds); what is alive then stays out of the collector's way
        (frozen) until the next collection."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._uncollected = 0

    def _shown(self, paths: list[str]) -> str:
        base = self.plugin.base_dir
        first = Path(os.path.relpath(paths[0], base)).as_posix() if paths else "nothing"
        return first + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")

    def _partial(self, edited: list[str]) -> str:
        """Rebuild only the pages whose body the edit of goal files changes. '' when done,
        else why a full build is needed."""
        start = time.perf_counter()
        plugin, kept, old = self.plugin, self.kept, self.plugin._last_good
        engine = _build_module(kept.config) if kept is not None else mkdocs_build
        populate = getattr(engine, "_populate_page", None)
        build_page = getattr(engine, "_build_page", None)
        if kept is None or old is None or populate is None or build_page is None:
            return "no complete build to start from"
        if plugin.compare_to:
            return "a preview compares every build with its base"
        if self._new_day():
            return "a new day"
        edit = self._shown(edited)
        prefix = plugin.base_dir.as_posix().rstrip("/") + "/"
        paths = {p[len(prefix) :] if p.startswith(prefix) else p for p in edited}
        paths = {Path(p).as_posix() for p in paths}
        checked = _Checked(items.written_in(old.org, paths))
        try:
            outcome = pipeline.run(
                plugin.goals_dir,
                plugin.options,
                plugin.today,
                display_base=plugin.base_dir,
                cache=plugin._cache,
                check=lambda org: self._check(old, org, paths, checked),
            )
        except DataError:
            return "the goal files have errors"
        if _private_counts(old.org) != _private_counts(outcome.org):
            # Private goals are not in the organisation, only counted on what they
            # support: the items whose counts moved cannot be named by the edit.
            return "private goals changed"
        written = {items.ref(i) for i in [*checked.written_before, *checked.written_after]}
        candidates: set[str] = set()
        for org in (old.org, outcome.org):
            for key in written:
                if key is not None and (item := items.find(org, key)) is not None:
                    candidates.update(r for n in items.neighbours(item) if (r := items.ref(n)))
        keys = items.changed(old.org, outcome.org, candidates, plugin.today, checked.refs)
        same = items.same_layout(old.org, outcome.org, keys)
        old_maps = [s.item for s in kept.plan.pages.values() if isinstance(s.item, MapPage)]
        maps = items.rebind_maps(old_maps, checked.moved) if same else None
        plan = sitefiles.plan_site(outcome, kept.user_pages, maps)
        moved = plan.home != kept.plan.home or plan.hand_written != kept.plan.hand_written
        if why := partial.plans_differ(kept.plan.pages, plan.pages, moved):
            return why
        index = kept.map_index
        if maps is None:
            index = items.map_index(
                (p, s.item) for p, s in plan.pages.items() if isinstance(s.item, MapPage)
            )
        # The quality page names the items with findings by their titles, under their
        # teams' names, in the order of the team tree.
        listed = (
            bool(checked.refs)
            or bool(items.findings_by_ref(outcome.findings, keys))
            or any(
                f.team is not None and items.ref(f.team) in keys
                for f in (*old.findings, *outcome.findings)
            )
        )
        change = partial.Edit(old.org, outcome.org, keys, same, listed, checked.counted)
        targets = partial.pages_to_check(
            change, plan.pages, (kept.map_index, index), kept.kpi_shown
        )
        if targets is None:
            return f"the edit of {edit} touches most pages"
        retitled = {p for p, s in plan.pages.items() if s.title != kept.plan.pages[p].title}
        renderer = pipeline.renderer(
            outcome,
            plugin.options,
            plugin.today,
            template_dirs=kept.config.theme.dirs,
            use_directory_urls=kept.config.use_directory_urls,
            home=plan.home,
        )
        renderer.few_pages = True
        bodies = {}
        for src in targets | retitled:
            body = renderer.render(plan.pages[src])
            if src in retitled or digest(body) != self.digests.get(src):
                bodies[src] = body
        # From here on, this organisation is the site's: the pages hooks see are its.
        plugin._last_good, plugin.pages, plugin.renderer = outcome, plan.pages, renderer
        kept.plan, kept.map_index = plan, index
        if not same:  # the KPI trees may have changed shape: known again once shown
            kept.kpi_shown = {}
        kpis = [s.item for p, s in plan.pages.items() if p in targets and isinstance(s.item, Kpi)]
        kept.kpi_shown.update(partial.kpi_shown(kpis, renderer.kpi_tree))
        self.ready = dict(bodies)
        shown = kept.pages_shown()
        rewritten = []
        for src in bodies:
            file = kept.files.get_file_from_path(src)
            if file is None or file.page is None:
                continue  # a hand-written page in its place: not okrsite's to build
            populate(file.page, kept.config, kept.files)
            build_page(file.page, kept.config, shown, kept.nav, kept.env)
            rewritten.append(file.dest_uri)
        self.ready = {}
        spent = time.perf_counter() - start
        log.info(
            f"rebuilt {len(bodies)} of {len(plan.pages)} pages in {spent:.2f}s (edit of {edit})"
        )
        # The rewritten pages' search documents were made again as they rendered; the
        # index files follow with the data files, after the browsers reloaded.
        docs = self.plugin.search_docs()
        job = (self._job, outcome, renderer, kept, self._stop_job, docs)
        thread = threading.Thread(target=self._rewrite_data_files, args=job, daemon=True)
        thread.start()
        self._job = thread  # started: the next build may join it
        return ""

    def _check(
        self, old: pipeline.Outcome, org: Organization, paths: set[str], checked: _Checked
    ) -> list[rules.Finding]:
        """The findings of ``org`` after an edit of ``paths``: the rules of the items the
        edit touched checked again, the last build's findings of the others kept (every
        rule again when a file of teams, people or KPIs changed); ``checked`` learns what
        changed."""
        options = pipeline.rule_options(self.plugin.options)
        today = self.plugin.today
        checked.written_after = items.written_in(org, paths)
        checked.moved = items.twins(old.org, org)
        scoped = items.rule_scope(checked.written_before, checked.written_after, org)
        merged: list[rules.Finding] | None = None
        replaced: set[str] | None = None
        if scoped is not None:
            scope, replaced = scoped
            fresh = rules.check(org, today, options, scope)
            merged = items.merge_findings(old.findings, fresh, replaced, checked.moved)
        if merged is None:
            merged, replaced = rules.check(org, today, options), None
        before = items.findings_by_ref(old.findings, replaced)
        after = items.findings_by_ref(merged, replaced)
        for key in before.keys() | after.keys():
            if key is not None and before.get(key) != after.get(key):
                checked.refs.add(key)
        checked.counted = len(merged) != len(old.findings)
        return merged

    def _rewrite_data_files(
        self,
        previous: threading.Thread | None,
        outcome: pipeline.Outcome,
        renderer: Renderer,
        kept: Kept,
        stop: threading.Event,
        docs: list[search_index.Doc],
    ) -> None:
        """After a partial rebuild, once the browsers had time to reload: the search
        index files, then the print summaries and the JSON export whose content changed,
        unless the next build has begun (``stop``; see :meth:`rebuild`): then this job
        stops at its next step (a file written, a few hundred search documents, a part
        of a print summary), so that it takes the processor from that build for
        milliseconds. First the last job ends (``previous``: stopped already) and the
        garbage of the last organisation is collected."""
        if previous is not None:
            previous.join()
        if stop.wait(COLLECT_DELAY):
            return

        def stopped() -> bool:
            self._job_may_run.wait()  # a rebuild is looking at what changed
            return stop.is_set()

        # The last organisation's garbage, collected now rather than in a rebuild (a pass
        # that cannot stop: not begun while a rebuild looks at what changed).
        if stopped():
            return
        self._collect()
        written = 0
        try:
            if docs:
                files = search_index.index_files(docs, stopped)
                stopping.check(stopped)
                search_index.write_index(files, Path(kept.config.site_dir) / search_index.FOLDER)
            if stop.wait(DATA_FILES_DELAY):
                return
            use_directory_urls = kept.config.use_directory_urls
            made = sitefiles.static_files(outcome, renderer, use_directory_urls, stopped)
            for name, content in made:
                if isinstance(content, Path) or name not in self.static_digests:
                    continue
                fingerprint = digest(content)
                file = kept.files.get_file_from_path(name)
                if fingerprint == self.static_digests[name] or file is None:
                    continue
                stopping.check(stopped)
                temporary = file.abs_dest_path + ".okrsite-tmp"
                with open(temporary, "w", encoding="utf-8") as out:
                    out.write(content)
                os.replace(temporary, file.abs_dest_path)  # never seen half written
                self.static_digests[name] = fingerprint
                written += 1
        except stopping.Stopped:
            return
        except Exception as exc:
            if stop.is_set():
                return
            self.kept = None  # the next build is a full one
            log.error(f"the data files were not updated: {exc!r}")
            return
        log.info(f"updated {written} data files")
