"""What okrsite adds to a site, whichever engine builds it: the generated pages (a
hand-written page at the same path wins), the files published beside them (stylesheet,
script, JSON export, schemas, print summaries) and the navigation entries.

Pure planning, no MkDocs: the MkDocs/ProperDocs plugin hands these to the engine as
virtual files, ``okrsite generate`` writes them into a folder for Zensical. One plan, so
every engine shows the same pages at the same addresses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from okrsite.pipeline import Outcome
from okrsite.site import pages as page_plan
from okrsite.site import urls
from okrsite.site.alignment import MapPage
from okrsite.site.publish import published_files
from okrsite.site.render import ASSETS, Renderer
from okrsite.site.stopping import StopCheck, never

CSS = "assets/okrsite/okrsite.css"
# The page filter and the alignment map's "expand all"; every page reads whole without it.
JS = "assets/okrsite/okrsite.js"

# Every path okrsite writes, by shape: its pages (an index.md in one of its folders),
# the print summaries, its stylesheet and script, the JSON export and the schemas.
# `okrsite generate` writes, replaces and removes nothing else, whatever its record of
# earlier runs says, so a hand-written page beside okrsite's (docs/teams/faq.md,
# docs/assets/logo.png) is never its to touch.
# Ids are [a-z0-9-], at most 64 characters; the deepest page is a later part of a key
# result's alignment map (periods/2026-q4/map/team/objective/kr/part_2/index.md).
_PAGE_FOLDERS = "kpis|periods|teams|people|okrs|goals|quality|health|rules|changes"
_ID = "[a-z0-9][a-z0-9_-]{0,99}"
_OKRSITE_PATH = re.compile(
    r"index\.md"
    rf"|(?:{_PAGE_FOLDERS})/(?:{_ID}/){{0,6}}index\.md"
    rf"|periods/{_ID}/print(?:-goals)?\.html"
    r"|assets/okrsite/okrsite\.(?:css|js)"
    r"|api/okrsite(?:\.schema)?\.json"
    rf"|schemas/{_ID}\.schema\.json"
)


# The files among them that carry the organisation's data (the print summaries, the
# JSON export, the schemas) are okrsite's whatever its record says, so that no copy of
# a goal made private since outlives a lost record; a site's own stylesheet or script
# at okrsite's path wins, as with the plugin.
_DATA_PATH = re.compile(
    rf"periods/{_ID}/print(?:-goals)?\.html|api/okrsite(?:\.schema)?\.json|schemas/{_ID}\.schema\.json"
)


def is_data_path(path: str) -> bool:
    """Whether the file at this docs-relative path is one of okrsite's data files."""
    return _DATA_PATH.fullmatch(path) is not None


def is_okrsite_path(path: str) -> bool:
    """Whether okrsite could have generated the file at this docs-relative path."""
    return _OKRSITE_PATH.fullmatch(path) is not None


@dataclass(frozen=True)
class SitePlan:
    """The generated pages of a site: ``pages`` by source path, without the paths a
    hand-written page takes (``hand_written``), and where the overview goes."""

    home: str
    pages: dict[str, page_plan.PageSpec]
    hand_written: list[str]


def plan_site(
    outcome: Outcome,
    user_pages: Collection[str],
    maps: list[MapPage] | None = None,
) -> SitePlan:
    """The pages okrsite generates beside ``user_pages`` (the docs folder's own Markdown
    files, docs-relative): the overview is the home page unless there is an index.md.
    ``maps``: see :func:`okrsite.site.pages.plan`."""
    home = page_plan.HOME if page_plan.HOME not in user_pages else page_plan.HOME_FALLBACK
    planned = page_plan.plan(outcome.org, home, outcome.findings, outcome.diff, maps)
    taken = [p for p in planned if p in user_pages]
    return SitePlan(home, {p: s for p, s in planned.items() if p not in user_pages}, taken)


def hand_written_note(src_uri: str, docs_dir: str = "docs") -> str:
    """What the build says of a generated page a hand-written one replaces."""
    return (
        f"{docs_dir}/{src_uri} exists, so okrsite does not generate that page; "
        "rename the hand-written page to get the generated one"
    )


def in_the_way(path: str, taken: Collection[str]) -> str | None:
    """The file among ``taken`` (docs-relative paths of the site's own files) that
    stands where okrsite needs a folder for ``path`` (``assets/okrsite``, a file, for
    ``assets/okrsite/okrsite.css``); None when the way is free."""
    parts = path.split("/")
    for end in range(1, len(parts)):
        prefix = "/".join(parts[:end])
        if prefix in taken:
            return prefix
    return None


def in_the_way_note(blocker: str, path: str, docs_dir: str = "docs") -> str:
    """What a build says of a generated file a file of the site's stands in the way of."""
    return (
        f"{docs_dir}/{blocker} is a file where okrsite needs a folder, so {path} (and "
        "whatever else okrsite puts under it) is left out; move the file away"
    )


def refresh_tag(spec: page_plan.PageSpec, use_directory_urls: bool) -> str:
    """The tag that sends a browser from a page that moved to its new address ('' for
    every other page)."""
    moved_to = spec.extra.get("moved_to")
    if moved_to is None:
        return ""
    to = urls.relative(spec.src_uri, moved_to, use_directory_urls)
    return f'<meta http-equiv="refresh" content="0; url={escape(to)}">'


def static_files(
    outcome: Outcome,
    renderer: Renderer,
    use_directory_urls: bool,
    stopped: StopCheck = never,
) -> Iterator[tuple[str, str | Path]]:
    """(site path, text, or the packaged file to copy) of every file okrsite publishes
    beside the pages: its stylesheet and script, the JSON export and the schemas, and
    each period's print summaries (alone, and with the public goals as ``pdf --goals``).
    ``stopped``: see :meth:`~okrsite.site.render.Renderer.render_print`."""
    for asset in (CSS, JS):
        yield asset, ASSETS / asset.rsplit("/", 1)[-1]
    org, today, findings = outcome.org, renderer.today, outcome.findings
    yield from published_files(org, today, findings, use_directory_urls, stopped)
    for period in outcome.org.periods_sorted():
        yield urls.print_page(period), renderer.render_print(period, stopped=stopped)
        printed = renderer.render_print(period, goals=True, stopped=stopped)
        yield urls.print_goals_page(period), printed


def nav_entries(plan: SitePlan) -> list[dict[str, str]]:
    """okrsite's entries in a navigation: its index pages only, so the navigation does
    not grow with the organisation (detail pages are reached from them)."""
    return [{s.nav_title: s.src_uri} for s in plan.pages.values() if s.in_nav]


def mentions_okrsite(nav: Any, home: str) -> bool:
    """Whether a hand-written navigation places okrsite's index pages itself."""
    return bool(set(nav_paths(nav)) & {urls.KPIS, urls.PERIODS, urls.TEAMS, urls.PEOPLE, home})


def site_nav(nav: Any, plan: SitePlan, user_nav: Sequence[Any]) -> list[Any]:
    """The site's navigation: ``nav`` as written in the config (None when there is
    none), with okrsite's index pages added where it does not place them itself.
    ``user_nav``: the navigation the engine would make of the hand-written pages."""
    ours: list[Any] = nav_entries(plan)
    if nav is not None:
        if mentions_okrsite(nav, plan.home):
            mentioned = set(nav_paths(nav))
            if urls.CHANGES in plan.pages and urls.CHANGES not in mentioned:
                return [*nav[:1], {"Changes": urls.CHANGES}, *nav[1:]]  # a preview
            return list(nav)
        return [*nav, {"OKRs": ours}]
    if plan.home == page_plan.HOME:
        return [*ours, *user_nav]
    return [*user_nav, {"OKRs": ours}]


def nest(paths: Collection[str]) -> list[Any]:
    """A navigation of hand-written pages, as MkDocs makes one when there is no nav: in
    the order it walks the docs folder (a folder's pages, index first, then its
    folders), each folder's pages in a section named after it."""
    nested: list[Any] = []
    for path in sorted(paths, key=_walk_order):
        branch = nested
        for folder in path.split("/")[:-1]:
            title = _folder_title(folder)
            section = next((e for e in branch if isinstance(e, dict) and title in e), None)
            if section is None:
                section = {title: []}
                branch.append(section)
            branch = section[title]
        branch.append(path)
    return nested


def _walk_order(path: str) -> list[tuple[int, bool, str]]:
    *folders, name = path.split("/")
    stem = name.rsplit(".", 1)[0]
    return [(1, False, f) for f in folders] + [(0, stem not in ("index", "README"), name)]


def _folder_title(folder: str) -> str:
    title = folder.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def nav_yaml(nav: list[Any], indent: str = "") -> str:
    """A navigation as the lines of an mkdocs.yml ``nav:`` (every name and path a
    double-quoted YAML string when it is not plain)."""
    lines = []
    for entry in nav:
        if isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, list):
                    lines.append(f"{indent}- {_plain(title)}:")
                    lines.append(nav_yaml(value, indent + "    "))
                else:
                    lines.append(f"{indent}- {_plain(title)}: {_plain(value)}")
        else:
            lines.append(f"{indent}- {_plain(entry)}")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ./_-]*", text) else json.dumps(text)


def nav_paths(nav: Any) -> list[str]:
    """Every page path a navigation (as written in mkdocs.yml) names."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in nav_paths(v)]
    if isinstance(nav, list):
        return [p for v in nav for p in nav_paths(v)]
    return []


# Charts, check-in histories and a KPI's tree are wrapped in these elements by
# okrsite's templates (okrsite/site/templates), marked data-search-exclude: axis
# numbers, dates and values are noise in search results, and every item of a KPI's tree
# or of an alignment map has its own page there. Material's search indexer skips such
# elements, but only after parsing every tag inside them; cutting them out of the HTML it
# is given yields the same index at a fraction of the parsing (they hold most of the tags
# of an objective page).
_INDEXED_AWAY = re.compile(
    r'<figure class="okr-figure" data-search-exclude>.*?</figure>'
    r'|<details class="okr-checkins-details" data-search-exclude>.*?</details>'
    r'|<section class="okr-kpi-tree" data-search-exclude>.*?</section>'
    r'|<section class="okr-map" data-search-exclude>.*?</section>',
    re.S,
)


def search_body(html: str) -> str:
    """The page body as the search indexer needs it: without charts, check-ins, KPI
    trees and alignment maps."""
    return _INDEXED_AWAY.sub("", html)


# Zensical (0.0.73) refuses to build when one field of its search index holds more than
# 8,192 words: the People index of 1,400 people, the Teams index of 700 teams. A page
# whose searchable text is longer is left out of its search (each person and team has
# a page of its own there); the count is Zensical's way of splitting words, kept well
# under the limit as it cannot be exact.
SEARCH_WORDS_MAX = 6000
_WORD_SEPARATOR = re.compile(r"[\s\-_,:!=\[\]()\\\"`/]+|\.(?!\d)")
_TAG = re.compile(r"<[^>]*>")
_HEADS = re.compile(r"<thead data-search-exclude>.*?</thead>", re.S)


def too_long_for_search(html: str) -> bool:
    """Whether a page body's searchable text has more words than Zensical's search
    index takes in one field (:data:`SEARCH_WORDS_MAX`, with a margin)."""
    text = _TAG.sub(" ", _HEADS.sub("", search_body(html)))
    return len(_WORD_SEPARATOR.split(text)) > SEARCH_WORDS_MAX
