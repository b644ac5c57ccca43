"""Render page bodies (HTML fragments) with Jinja2, escaping every text from goal files.

MkDocs' own theme environment does not autoescape, so pages are rendered here in an
environment of our own with ``autoescape=True``; data is only ever passed as values,
never compiled as template source, so ``{{ ... }}`` in a goal title stays literal.
Markdown fields go through :mod:`okrsite.site.markdown_text` (Python-Markdown within bounds,
then nh3, which keeps a small set of tags and only http(s)/mailto links: no raw HTML, no
``javascript:``).

This module holds the environment and what templates may call; the text formats are in
:mod:`~okrsite.formatting`, small markup in :mod:`~okrsite.site.widgets`, the charts'
content in :mod:`~okrsite.site.item_charts` and the questions asked of the goal graph in
:mod:`~okrsite.site.site_index`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from okrsite import __version__
from okrsite.formatting import (
    fmt_number,
    fmt_score,
    fmt_value,
    level_counts,
    period_state,
    plural,
)
from okrsite.model import chain, scoring
from okrsite.model.attention import (
    GLANCE_ROWS,
    NEEDS_ROWS,
    attention,
    cut,
    grouped,
    owner_of,
    owners,
    state_of,
    team_ranks,
)
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period, current_first, current_period
from okrsite.review.diff import GoalDiff
from okrsite.review.rule_docs import DOCS
from okrsite.review.rules import RULES
from okrsite.settings import DEFAULTS
from okrsite.site import item_charts, pages, urls
from okrsite.site.markdown_text import markdown_html
from okrsite.site.pages import PageSpec
from okrsite.site.site_index import (
    SiteIndex,
    aligned_in_period,
    has_page,
    item_title,
    kind_of,
    stale_krs,
)
from okrsite.site.stopping import StopCheck, check, never
from okrsite.site.team_view import TeamView
from okrsite.site.widgets import css_string, item_pace_chip, pace_chip, progress_bar

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"


# How many items of its tree a KPI's page shows: every one in an organisation of some
# hundred goals; level by level beyond, each cut item saying how many lie below it.
KPI_TREE_ITEMS = 400


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name and source: kept for the process (`mkdocs serve` makes
    a renderer for every rebuild) and, where the user's cache folder allows, on disk,
    as Python keeps compiled modules: compiling okrsite's templates takes half a second,
    5% of a build of 1,000 goals. A changed template (a user's custom_dir) has another
    checksum and is compiled again; each okrsite version (its templates' options) has a
    folder of its own, and the files carry Jinja's and Python's versions."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._folder: Path | None = None
        self._looked = False  # for the folder: on first use, not on import

    def folder(self) -> Path | None:
        """The folder of compiled templates on disk, if there is one to use."""
        if not self._looked:
            self._folder, self._looked = _cache_folder(), True
        return self._folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and (folder := self.folder()) is not None:
            try:
                code = (folder / f"{bucket.key}.cache").read_bytes()
            except OSError:
                return
        if code is not None:
            try:
                bucket.bytecode_from_string(code)
            except Exception:  # a file cut short (a build killed while writing): compile
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if (folder := self.folder()) is None:
            return
        path = folder / f"{bucket.key}.cache"
        try:
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        except OSError:
            self._folder = None  # a read-only or full disk: the process's copy is enough
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(code)
            os.replace(temporary, path)  # another build reads the old file or the new
        except OSError:
            self._folder = None
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _cache_folder() -> Path | None:
    """okrsite's folder in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), one
    for each okrsite version (its templates' options), made if need be. None in CI (a
    fresh machine gains nothing, and a shared runner's jobs could plant files in it), on
    Windows (no owner to check), and unless the folder is the user's own and nobody else
    may write in it: compiled templates are code, read back as such."""
    if os.environ.get("CI") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home: not a folder relative to wherever the build runs
    top = Path(base) / "okrsite"
    folder = top / f"templates-{__version__}"
    try:
        top.parent.mkdir(parents=True, exist_ok=True)  # the user's cache folder
        for path in (top, folder):
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=0o700)  # each level: parents=True would use the umask
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
    except OSError:
        return None
    return folder


_COMPILED = _CompiledTemplates()


class Renderer:
    """Renders :class:`PageSpec` bodies for one loaded organisation."""

    def __init__(
        self,
        org: Organization,
        today: date,
        template_dirs: Sequence[str | Path] = (),
        use_directory_urls: bool = True,
        home: str = pages.HOME,
        rule_levels: dict[str, str] | None = None,
        stale_after_days: int = DEFAULTS.stale_after_days,
        goal_diff: GoalDiff | None = None,
    ):
        self.org = org
        self.today = today
        self.use_directory_urls = use_directory_urls
        self.home = home
        self.rule_levels = rule_levels or {}
        self.changes = goal_diff.by_key() if goal_diff else {}
        self._kpi_trees: dict[str, list[chain.Node]] | None = None
        # A renderer of a few pages (`mkdocs serve` after an edit) makes the tree of each
        # KPI whose page it renders, not all of them at once.
        self.few_pages = False
        self._one_tree: dict[str, list[chain.Node]] = {}
        self._chain_of = _memoised(chain.chain_of)  # shared by pages and KPI trees
        # Theme dirs first, so a user's custom_dir can override any okrsite template.
        search = [str(d) for d in template_dirs] + [str(TEMPLATES)]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            # A renderer lives for one build (serve and --watch make a new one for each):
            # no need to look at every template file's time again for each page.
            auto_reload=False,
            bytecode_cache=_COMPILED,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        periods = org.periods_sorted()
        index = SiteIndex(org, today)
        score = _memoised(scoring.objective_score)
        kr_progress = _memoised(scoring.kr_progress)
        ranks = team_ranks(org)
        glance_groups = _memoised(
            lambda p: cut(grouped(index.objectives_in(p), today, ranks), GLANCE_ROWS)
        )
        self.env.globals.update(
            org=org,
            today=today,
            current_period=current_period(periods, today),
            periods=periods,
            # a team's and a person's page: the current period first, then newest first
            periods_current_first=current_first(periods, today),
            md=markdown_html,
            num=fmt_number,
            val=fmt_value,
            fmt_score=fmt_score,
            band=scoring.band,
            score=score,
            mean_score=scoring.mean_score,
            kr_progress=kr_progress,
            kr_current=scoring.kr_current,
            goal_progress=scoring.goal_progress,
            current_value=scoring.current_value,
            confidence=scoring.latest_confidence,
            kpi_state=_memoised(lambda k: scoring.kpi_state(k, today)),
            kpi_state_at=lambda k, day: scoring.kpi_state(k, min(day, today), until=day),
            expected=lambda p: scoring.expected_by_now(p, today),
            # Pace only while a period runs: before, nothing is expected yet; after,
            # the score is final.
            pace_chip=lambda value, p: (
                pace_chip(value, scoring.expected_by_now(p, today), "the period")
                if period_state(p, today) == "running"
                else Markup("")
            ),
            # An objective's or key result's own chip: "not started" before a first
            # check-in, none once done; the same states as the at-a-glance groups.
            item_pace=lambda i: (
                item_pace_chip(
                    state_of(i, today),
                    kr_progress(i) if isinstance(i, KeyResult) else score(i),
                    scoring.expected_by_now(i.period, today),
                )
                if period_state(i.period, today) == "running"
                else Markup("")
            ),
            goal_pace_chip=lambda g: pace_chip(
                scoring.goal_progress(g) if scoring.goal_pace(g, today) else None,
                scoring.goal_expected(g, today),
                "the time to its due date" if g.due else "the period",
            ),
            overdue=lambda g: scoring.is_overdue(g, today),
            kr_stale=lambda kr: scoring.kr_is_stale(kr, today, stale_after_days),
            stale_krs=lambda objectives: stale_krs(objectives, today, stale_after_days),
            stale_days=stale_after_days,
            kr_chart=lambda kr: item_charts.kr_chart(kr, today),
            goal_chart=lambda goal: item_charts.goal_chart(goal, today),
            kpi_chart=lambda kpi: item_charts.kpi_chart(kpi, today),
            team_chart=lambda team: item_charts.team_chart(team, periods, today),
            print_css=lambda: Markup((ASSETS / "print.css").read_text(encoding="utf-8")),
            css_string=css_string,
            teams_in_period=index.teams_in_period,
            goal_counts=index.goal_counts,
            change_of=self.change_of,
            chain_of=self._chain_of,
            period_state=lambda p: period_state(p, today),
            kind_of=kind_of,
            team_tree=index.team_tree,
            is_kr=lambda x: isinstance(x, KeyResult),
            plural=plural,
            bar=progress_bar,
            level_counts=level_counts,
            findings_by_team=index.findings_by_team,
            has_page=has_page,
            item_title=item_title,
            all_rules=lambda: list(RULES.values()),
            rule_doc=lambda r: DOCS[r.code],
            level_of=lambda r: self.rule_levels.get(r.code, r.level),
            kpis_ordered=lambda: index.kpis_ordered,
            kpis_in_alert=index.kpis_in_alert,
            objectives_in=index.objectives_in,
            goals_in=index.goals_in,
            private_in=index.private_in,
            has_objectives_below=index.has_objectives_below,
            cascade_roots=index.cascade_roots,
            aligned_in_period=aligned_in_period,
            kpi_tree=self.kpi_tree,
            kpi_private=lambda kpi: sum(chain.private_in_tree(r) for r in self._roots(kpi)),
            people_sorted=lambda: index.people_sorted,
            # A team page's periods: objectives, members' goals, sub-teams, what changed.
            team_periods=TeamView(index, periods, today, stale_after_days).team_periods,
            # The quarter at a glance: each period's groups and what needs attention, made
            # once a build (the home page and the period page show the same).
            needs_attention=_memoised(
                lambda p: attention(
                    org, p, today, stale_after_days, index=index, chain=self._chain_of
                )
            ),
            glance_groups=glance_groups,
            # The owners of the rows shown: the filter filters what the page shows.
            glance_owners=lambda p: owners(i for g in glance_groups(p) for i in g.shown),
            needs_rows=NEEDS_ROWS,
            owner_of=owner_of,
            state_of=lambda i: state_of(i, today),
        )

    def kpi_trees(self) -> dict[str, list[chain.Node]]:
        """Each KPI's tree of items that reach it, made once a build, when first asked."""
        if self._kpi_trees is None:
            self._kpi_trees = chain.kpi_trees(chain.org_items(self.org), self._chain_of)
        return self._kpi_trees

    def kpi_tree(self, kpi: Kpi) -> tuple[list[chain.Node], int]:
        """The tree a KPI's page shows: cut to :data:`KPI_TREE_ITEMS` items, newest
        period first (file order within one), and how many roots did not fit."""
        roots = sorted(self._roots(kpi), key=lambda root: root.item.period.start, reverse=True)
        return chain.prune(roots, KPI_TREE_ITEMS)

    def _roots(self, kpi: Kpi) -> list[chain.Node]:
        if self._kpi_trees is not None or not self.few_pages:
            return self.kpi_trees().get(kpi.id, [])
        if kpi.id not in self._one_tree:
            items = chain.org_items(self.org)
            self._one_tree[kpi.id] = chain.kpi_tree(kpi, items, self._chain_of)
        return self._one_tree[kpi.id]

    def change_of(self, item: Any) -> Any:
        """The preview's change to ``item``, if any."""
        if not self.changes:
            return None
        kind = {
            Team: "team",
            Person: "person",
            Kpi: "kpi",
            Objective: "objective",
            KeyResult: "key result",
            Goal: "goal",
        }.get(type(item))
        key = item.id if kind in ("team", "person", "kpi") else getattr(item, "key", None)
        return self.changes.get(f"{kind}:{key}")

    def render_print(
        self,
        period: Period,
        paper: str = "A4",
        goals: bool = False,
        stopped: StopCheck = never,
    ) -> str:
        """The standalone print summary of ``period`` (A4 or Letter); with ``goals``, its
        appendix of the period's public goals (private ones only counted). With a
        ``stopped`` check (not :func:`~okrsite.site.stopping.never`), rendered piece by
        piece and stopped
        (:class:`~okrsite.site.stopping.Stopped`) when it says so: at 10,000 goals a
        summary takes a second or two."""
        here = urls.print_goals_page(period) if goals else urls.print_page(period)

        def url(target: Any) -> str:
            to = target if isinstance(target, str) else urls.src_uri(target)
            return urls.relative(here, to, self.use_directory_urls)

        template = self.env.get_template("okrsite/print.html")
        context = {"period": period, "paper": paper, "url": url, "urls": urls}
        if stopped is never:  # a build: in one go, the faster way
            return template.render(**context, with_goals=goals)
        parts = []
        for n, part in enumerate(template.generate(**context, with_goals=goals)):
            parts.append(part)
            if n % 1024 == 0:
                check(stopped)
        return "".join(parts)

    def render(self, page: PageSpec) -> str:
        """The HTML body of one page."""
        here = page.src_uri

        def url(target: Any) -> str:
            if isinstance(target, str):  # a page path such as urls.KPIS or "home"
                to = self.home if target == "home" else target
                return urls.relative(here, to, self.use_directory_urls)
            return urls.relative(
                here, urls.src_uri(target), self.use_directory_urls, urls.anchor(target)
            )

        template = self.env.get_template(page.template)
        return template.render(page=page, item=page.item, url=url, urls=urls, **page.extra)


def _memoised(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Memoise a function of one item for the build: the same objective's score or
    chain is shown on many pages (its own, its team's, its parent's, its goals')."""
    cache: dict[int, Any] = {}
    keep: list[Any] = []  # holds the items so their ids stay unique

    def wrapper(item: Any) -> Any:
        key = id(item)
        if key not in cache:
            cache[key] = fn(item)
            keep.append(item)
        return cache[key]

    return wrapper
