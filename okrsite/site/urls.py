"""Stable, readable page paths built from ids, and relative links between them.

Ids are checked against ``[a-z0-9][a-z0-9-]*`` at load time, so no path built here
can contain ``..``, a slash of its own or anything else that leaves the site folder.
"""

from __future__ import annotations

import functools

from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Person, Team
from okrsite.model.periods import Period
from okrsite.review.rules import Rule

KPIS = "kpis/index.md"
PERIODS = "periods/index.md"
TEAMS = "teams/index.md"
PEOPLE = "people/index.md"
QUALITY = "quality/index.md"
# The goal-quality page's address before version 2: a page that sends readers on.
HEALTH = "health/index.md"
RULES = "rules/index.md"
CHANGES = "changes/index.md"
EXPORT = "api/okrsite.json"
EXPORT_SCHEMA = "api/okrsite.schema.json"
SCHEMAS = "schemas/"


def src_uri(item: object) -> str:
    """The docs-relative source path of an item's page (key results: their objective's)."""
    if isinstance(item, Kpi):
        return f"kpis/{item.id}/index.md"
    if isinstance(item, Team):
        return f"teams/{item.id}/index.md"
    if isinstance(item, Person):
        return f"people/{item.id}/index.md"
    if isinstance(item, Period):
        return f"periods/{item.slug}/index.md"
    if isinstance(item, Objective):
        return f"okrs/{item.period.slug}/{item.team.id}/{item.id}/index.md"
    if isinstance(item, KeyResult):
        return src_uri(item.objective)
    if isinstance(item, Goal):
        return f"goals/{item.period.slug}/{item.owner.id}/{item.id}/index.md"
    if isinstance(item, Rule):
        return f"rules/{item.code.lower()}/index.md"
    raise TypeError(f"no page for {type(item).__name__}")


def map_page(period: Period) -> str:
    """The alignment map of a period: every item from the company's KPIs down to goals."""
    return f"periods/{period.slug}/map/index.md"


def print_page(period: Period) -> str:
    """The standalone print summary of a period (a static HTML file)."""
    return f"periods/{period.slug}/print.html"


def print_goals_page(period: Period) -> str:
    """The print summary of a period with its appendix of public goals (a static file)."""
    return f"periods/{period.slug}/print-goals.html"


def anchor(item: object) -> str:
    """The fragment of an item inside its page ('' for items with a page of their own)."""
    return f"kr-{item.id}" if isinstance(item, KeyResult) else ""


@functools.lru_cache(maxsize=65536)
def dest_url(src: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives the page at ``src`` (``a/index.md`` -> ``a/``)."""
    if not src.endswith(".md"):
        return src  # a static file keeps its path
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if use_directory_urls else base + "index.html"
    return stem + "/" if use_directory_urls else stem + ".html"


def relative(from_src: str, to_src: str, use_directory_urls: bool = True, frag: str = "") -> str:
    """A link from the page at ``from_src`` to the page at ``to_src``.

    Called for every link of every page, so it works on path segments directly
    rather than through ``posixpath.relpath`` (which resolves absolute paths).
    """
    here = dest_url(from_src, use_directory_urls)
    there = dest_url(to_src, use_directory_urls)
    here_dir = here.rsplit("/", 1)[0].split("/") if "/" in here else []
    there_parts = there.split("/")
    there_dir, leaf = there_parts[:-1], there_parts[-1]
    common = 0
    for a, b in zip(here_dir, there_dir, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here_dir) - common) + there_dir[common:]
    rel = "/".join(parts)
    if leaf:
        rel = f"{rel}/{leaf}" if rel else leaf
    elif rel:
        rel += "/"
    else:
        rel = "./"
    return rel + (f"#{frag}" if frag else "")
