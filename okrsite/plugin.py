"""The MkDocs plugin: thin glue between MkDocs' events and okrsite's core.

Everything of substance (loading, validation, scoring, page planning, rendering)
lives in modules that do not import MkDocs; this file only wires them in, and
:mod:`okrsite.serve_glue` (MkDocs glue too) wires in `mkdocs serve`'s partial rebuilds.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from okrsite import pipeline, settings
from okrsite.diagnostics import INFO, DataError, Diagnostic
from okrsite.review import rules
from okrsite.serve_glue import Serving, digest
from okrsite.site import generated, search_index, sitefiles, urls
from okrsite.site.render import ASSETS, TEMPLATES
from okrsite.site.toc import toc_tokens
from okrsite.site.widgets import broken_banner, preview_banner
from okrsite.source.folder import ParseCache

log = get_plugin_logger(__name__)


def _advisory(message: str) -> None:
    """A goal-quality warning (or a load's warning): in the log for whoever reads it, but
    not a MkDocs warning, so ``mkdocs build --strict`` fails exactly where ``okrsite
    validate`` does (data errors, findings at error level) and a team that is late with
    its check-ins never stops the intranet site from publishing."""
    log.info(f"warning: {message}")


_LOG_BY_LEVEL: dict[str, Callable[[str], object]] = {
    rules.ERROR: log.error,
    rules.WARNING: _advisory,
    rules.INFO: log.info,
}


class _AsWritten(base.BaseConfigOption[Any]):
    """An option MkDocs passes on as written: okrsite.settings checks it in on_config,
    exactly as for the okrsite commands, so both accept and refuse the same values
    with the same messages (MkDocs' own type checks would answer first, in words
    that change between MkDocs versions)."""


class OkrSiteConfig(base.Config):
    """Options of the ``okrsite`` plugin (see the configuration guide); checked, and
    their defaults set, by :func:`okrsite.settings.options_from`."""

    goals_dir = _AsWritten()
    today = _AsWritten()
    include_private = _AsWritten()
    fiscal_year_start = _AsWritten()
    compare_to = _AsWritten()
    preview_banner = _AsWritten()
    rules = _AsWritten()
    stale_after_days = _AsWritten()
    search = _AsWritten()


class OkrSitePlugin(BasePlugin[OkrSiteConfig]):
    """Builds KPI, OKR and goal pages from the YAML files in ``goals_dir``."""

    def __init__(self) -> None:
        super().__init__()
        self.timings: dict[str, float] = {}
        self._bodies: dict[str, str] = {}
        self._builds = 0  # builds this instance has started
        # Parsed goal files from the last build, so a `mkdocs serve` rebuild re-reads
        # only what changed; each load keeps only the files it read.
        self._cache = ParseCache()
        self._serving = False
        # Under `mkdocs serve`: the last load without data errors, and the errors of the
        # load that failed after it (shown on every page until a save fixes them).
        self._last_good: pipeline.Outcome | None = None
        self._broken: list[Diagnostic] = []
        # okrsite's search index: each published page's documents, by source path, and
        # the pages excluded from search (by their own front matter, or forwarding pages).
        self._search_docs: dict[str, list[search_index.Doc]] = {}
        self._unsearchable: set[str] = set()
        self._paused_search: Any = None  # Material's search plugin, paused (_before_search)
        # Under `mkdocs serve`: partial rebuilds after an edit of goal files.
        self.serving = Serving(self)
        self._plan: sitefiles.SitePlan | None = None
        self._user_pages: set[str] = set()

    def on_startup(self, *, command: str, **kwargs: Any) -> None:
        """Defining this hook makes MkDocs keep this instance for every rebuild of
        `mkdocs serve`, so ``_builds`` tells a rebuild."""
        self._serving = command == "serve"

    def _time(self, phase: str, start: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - start

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.timings = {}
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.base_dir = base_dir
        # Every option, including names MkDocs only warns about, goes through the one
        # check the okrsite commands use.
        try:
            options = settings.options_from(dict(self.config))
            self.compare_to, self.preview = settings.preview(options, os.environ)
        except settings.SettingsError as e:
            raise PluginError(f"okrsite: {e}") from e
        if getattr(self, "options", None) != options:
            # mkdocs.yml changed under `mkdocs serve` (another goals_dir, other rules):
            # the last good organisation is not this site's to show any more.
            self._last_good = None
        self.options = options
        # Not resolved: the loader must see a goals folder that is a link, to refuse it.
        self.goals_dir = Path(os.path.normpath(base_dir / options.goals_dir))
        self.today = pipeline.as_of(options)
        self.own_search = options.search == "okrsite"
        self._unsearchable = set()
        # Our templates sit last in the theme's search path: a user's custom_dir wins.
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES))
        if sitefiles.CSS not in config.extra_css:
            config.extra_css.append(sitefiles.CSS)
        if sitefiles.JS not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(sitefiles.JS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.goals_dir.is_dir():
            raise PluginError(
                f"okrsite: the goals folder {self.goals_dir} does not exist; create it or set "
                "'goals_dir' under the okrsite plugin in mkdocs.yml"
            )
        if self._builds:
            # A rebuild: the last build's organisation and pages were unfrozen when it
            # ended (or failed) and are garbage now; collect them before this load
            # freezes what is alive, or they would be carried from build to build.
            gc.collect()
        self._builds += 1
        try:
            outcome = pipeline.run(
                self.goals_dir,
                self.options,
                self.today,
                display_base=self.base_dir,
                compare_to=self.compare_to,
                cache=self._cache,
                # The organisation lives as long as the build: freeze what is alive once
                # it is loaded (not what the diff leaves behind), so the collector's
                # passes while pages render never rescan it. Undone in on_post_build
                # and on_build_error (it is process-wide).
                after_load=gc.freeze,
            )
        except pipeline.BaseRefError as exc:
            _log_notes(exc.notes)  # the working tree loaded: its warnings still count
            raise PluginError(f"okrsite: {exc}") from None
        except DataError as exc:
            _log_notes(exc.notes)
            if self._last_good is None or not self._serving:
                raise PluginError(f"okrsite: {exc}") from None
            # `mkdocs serve` after an edit that broke a goal file: a failed rebuild would
            # leave the browser waiting with no sign. Build the last good organisation
            # again, every page saying what is wrong, so the save that fixes it shows.
            log.error(str(exc))
            self._broken = exc.diagnostics
            outcome = self._last_good
        else:
            self._broken = []
            self._last_good = outcome  # the renderer keeps it alive until the next build
            self.timings.update(outcome.timings)
            _log_notes(outcome.notes)
            for finding in outcome.findings:
                _LOG_BY_LEVEL[finding.level](str(finding))
        start = time.perf_counter()
        # Pages `okrsite generate` wrote into docs/ for Zensical: the plugin makes its own.
        present = [f.src_uri for f in files if not f.generated_by]
        for name in generated.own_files(Path(config.docs_dir), present):
            if (stale := files.get_file_from_path(name)) is not None:
                files.remove(stale)
        user_pages = [f.src_uri for f in files.documentation_pages()]
        plan = sitefiles.plan_site(outcome, set(user_pages))
        self.pages = plan.pages
        self._plan, self._user_pages = plan, set(user_pages)
        self.serving.reset()
        docs_label = Path(os.path.relpath(config.docs_dir, self.base_dir)).as_posix()
        for src_uri in plan.hand_written:
            log.warning(sitefiles.hand_written_note(src_uri, docs_label))
        taken = {f.src_uri for f in files}
        said: set[str] = set()

        def free(path: str) -> bool:
            blocker = sitefiles.in_the_way(path, taken)
            if blocker is not None and blocker not in said:  # once, not once a page
                said.add(blocker)
                log.warning(sitefiles.in_the_way_note(blocker, path, docs_label))
            return blocker is None

        for spec in self.pages.values():
            if not free(spec.src_uri):
                continue
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, spec.src_uri, content="", inclusion=inclusion))
        self.renderer = pipeline.renderer(
            outcome,
            self.options,
            self.today,
            template_dirs=config.theme.dirs,
            use_directory_urls=config.use_directory_urls,
            home=plan.home,
        )
        for name, content in sitefiles.static_files(
            outcome, self.renderer, config.use_directory_urls
        ):
            if not free(name):
                continue
            if isinstance(content, Path):
                if name not in files:  # a site's own stylesheet or script at that path wins
                    files.append(File.generated(config, name, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, name, content=content))
                self.serving.static_digests[name] = digest(content)
        if self.own_search and free(search_index.WORKER):
            worker = ASSETS / search_index.WORKER.rsplit("/", 1)[-1]
            files.append(File.generated(config, search_index.WORKER, abs_src_path=str(worker)))
        # Kept from the last build for pages a dirty rebuild does not render again;
        # dropped for pages gone.
        pages_now = {f.src_uri for f in files.documentation_pages()}
        self._search_docs = {k: v for k, v in self._search_docs.items() if k in pages_now}
        user_nav = sitefiles.nest([p for p in user_pages if p != plan.home])
        config.nav = sitefiles.site_nav(config.nav, plan, user_nav)
        self._time("plan", start)
        return files

    def on_page_markdown(self, markdown: str, page: Page, **kwargs: Any) -> str:
        spec = self.pages.get(page.file.src_uri) if page.file.generated_by else None
        if spec is not None:
            # Material prints titles unescaped in <title> and the navigation.
            page.meta["title"] = str(escape(spec.title))
            if "moved_to" in spec.extra:  # a forwarding page: nothing to find in it
                page.meta["search"] = {"exclude": True}
        if self.own_search:
            search = page.meta.get("search")
            if isinstance(search, dict) and search.get("exclude"):
                self._unsearchable.add(page.file.src_uri)
            # okrsite's index answers the box: Material's would be work thrown away.
            page.meta["search"] = {"exclude": True}
        return markdown

    def on_page_content(self, html: str, page: Page, **kwargs: Any) -> str:
        html = self._page_body(html, page)
        if self.own_search:
            self._index_page(html, page)
        return str(broken_banner(self._broken)) + html if self._broken else html

    def _index_page(self, body: str, page: Page) -> None:
        spec = self.pages.get(page.file.src_uri) if page.file.generated_by else None
        if page.file.src_uri in self._unsearchable:
            self._search_docs.pop(page.file.src_uri, None)
            return
        if spec is not None and spec.template == "okrsite/map.html" and spec.item.root is not None:
            return  # an item's map: its items are found by their own pages
        start = time.perf_counter()
        title = spec.title if spec is not None else str(page.title or "")
        template = spec.template if spec is not None else None
        period = getattr(getattr(spec, "item", None), "period", None)
        self._search_docs[page.file.src_uri] = search_index.page_docs(
            page.url,
            title,
            body,
            template,
            sections=spec is None,
            period=str(getattr(period, "key", "")),
        )
        self._time("search index", start)

    def search_docs(self) -> list[search_index.Doc]:
        """Every published page's search documents, in the order of the pages' build;
        none when Material's own index answers the box."""
        if not self.own_search:
            return []
        return [d for page_docs in self._search_docs.values() for d in page_docs]

    def _page_body(self, html: str, page: Page) -> str:
        spec = self.pages.get(page.file.src_uri) if page.file.generated_by else None
        if spec is None:
            return html
        start = time.perf_counter()
        body = self.serving.body(spec.src_uri, lambda: self.renderer.render(spec))
        # MkDocs types the tokens with a private TypedDict; toc_tokens makes that shape.
        page.toc = get_toc(cast(Any, toc_tokens(body)))
        self._time("render", start)
        return body

    # Material's search plugin indexes page.content in its own on_page_context
    # (priority 0). Just before it, hand it the body without the parts marked
    # data-search-exclude (charts, check-in tables); just after, put the whole body
    # back for the theme. Same index, far less HTML parsed: see search_body.
    @event_priority(50)
    def _before_search(self, context: Any, page: Page, **kwargs: Any) -> Any:
        if self.own_search:
            # okrsite's index answers the box and every page is out of Material's
            # (on_page_markdown); Material's plugin would still scan the page's whole
            # body with a regular expression, about 7% of a build of okrsite's pages.
            self._pause_material_search(kwargs["config"])
            return context
        if page.content and page.file.src_uri in self.pages and page.file.generated_by:
            self._bodies[page.file.src_uri] = page.content
            page.content = sitefiles.search_body(page.content)
        return context

    @event_priority(-50)
    def _after_search(self, context: Any, page: Page, **kwargs: Any) -> Any:
        self._resume_material_search()
        body = self._bodies.pop(page.file.src_uri, None)
        if body is not None:
            page.content = body
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    @event_priority(-100)  # after other plugins': the navigation the pages were built with
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.serving.nav, self.serving.files = nav, files
        return nav

    @event_priority(-100)
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        self.serving.env = env
        return env

    def _pause_material_search(self, config: MkDocsConfig) -> None:
        """Pause Material's search plugin while a page's context is made (see
        _before_search). Only then: Material's header draws the search box only while
        the plugin is enabled, and its on_post_build writes its (empty) index for
        whatever reads that file."""
        for key in ("material/search", "search"):
            plugin = config.plugins.get(key)
            found = getattr(plugin, "config", None)
            if type(plugin).__module__.startswith("material.") and found is not None:
                if found.get("enabled", False):
                    found["enabled"] = False
                    self._paused_search = found
                return

    def _resume_material_search(self) -> None:
        if self._paused_search is not None:
            self._paused_search["enabled"] = True
            self._paused_search = None

    def on_post_build(self, config: MkDocsConfig) -> None:
        gc.unfreeze()  # what the load froze: the build is over
        if self.own_search:
            start = time.perf_counter()
            folder = Path(config.site_dir) / search_index.FOLDER
            search_index.write_index(search_index.index_files(self.search_docs()), folder)
            self._time("search index", start)
        if self._serving and not self._broken and self._plan:
            self.serving.build_done(config, self._plan, self._user_pages)
        spent = ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
        log.info(f"{len(self.pages)} pages; time in okrsite: {spent}")

    def on_build_error(self, error: Exception) -> None:
        self._resume_material_search()
        gc.unfreeze()
        self.serving.reset()

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        spec = self.pages.get(page.file.src_uri) if page.file.generated_by else None
        if spec is not None and (refresh := sitefiles.refresh_tag(spec, config.use_directory_urls)):
            # An old address: the browser goes on to the new one at once.
            output = output.replace("<head>", f"<head>{refresh}", 1)
        if self.own_search:
            output = search_index.point_worker(output)
        if not self.preview:
            return output
        # A preview must not be indexed, and must say what it is on every page.
        output = output.replace(
            "<head>", '<head><meta name="robots" content="noindex, nofollow">', 1
        )
        changes = None
        if urls.CHANGES in self.pages:
            changes = urls.relative(page.file.src_uri, urls.CHANGES, config.use_directory_urls)
        banner = str(preview_banner(self.compare_to, changes))
        head, sep, rest = output.partition("<body")
        if not sep:
            return output
        tag_end = rest.index(">") + 1
        return head + sep + rest[:tag_end] + banner + rest[tag_end:]

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # Goal files live outside docs_dir: without this, editing them reloads nothing.
        server.watch(str(self.goals_dir))
        if self._serving:
            self.serving.install(server, config)
        return server


def _log_notes(notes: list[Diagnostic]) -> None:
    """Warnings of a load (advisory, as goal-quality warnings) and its notes of files
    not read (at info level)."""
    for note in notes:
        (log.info if note.level == INFO else _advisory)(str(note))
