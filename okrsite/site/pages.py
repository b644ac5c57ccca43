"""Which pages the site has: one per KPI, period, team, person, objective and public goal.

Pure planning: a :class:`PageSpec` names its path, plain-text title, template and
the item it shows. Rendering happens later, page by page (:mod:`okrsite.site.render`),
so a 15,000-page site never holds all its HTML at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrsite.model.graph import Organization
from okrsite.review.diff import GoalDiff
from okrsite.review.rules import RULES, Finding
from okrsite.site import alignment, urls

HOME = "index.md"
HOME_FALLBACK = "okrs/index.md"  # where the overview goes when docs/ has an index.md


@dataclass(frozen=True)
class PageSpec:
    """One generated page."""

    src_uri: str
    title: str  # plain text from the goal files: escape before it reaches HTML
    template: str
    item: Any = None
    in_nav: bool = False
    nav_title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def plan(
    org: Organization,
    home: str = HOME,
    findings: list[Finding] | None = None,
    goal_diff: GoalDiff | None = None,
    maps: list[alignment.MapPage] | None = None,
) -> dict[str, PageSpec]:
    """Every generated page by its source path, in a stable order. ``maps``: the
    alignment maps of ``org`` when known (`mkdocs serve` moves the last ones onto an
    edited organisation whose maps keep their layout), else laid out here."""
    findings = findings or []
    pages: list[PageSpec] = [
        PageSpec(
            home,
            org.name,
            "okrsite/overview.html",
            in_nav=True,
            nav_title="Overview",
            extra={"findings": findings},
        ),
        PageSpec(urls.KPIS, "KPIs", "okrsite/kpis.html", in_nav=True, nav_title="KPIs"),
        PageSpec(urls.PERIODS, "Periods", "okrsite/periods.html", in_nav=True, nav_title="Periods"),
        PageSpec(urls.TEAMS, "Teams", "okrsite/teams.html", in_nav=True, nav_title="Teams"),
        PageSpec(urls.PEOPLE, "People", "okrsite/people.html", in_nav=True, nav_title="People"),
        PageSpec(
            urls.QUALITY,
            "Goal quality",
            "okrsite/quality.html",
            in_nav=True,
            nav_title="Goal quality",
            extra={"findings": findings},
        ),
        # Links and bookmarks to the old address keep working.
        PageSpec(
            urls.HEALTH, "Goal quality", "okrsite/moved.html", extra={"moved_to": urls.QUALITY}
        ),
        PageSpec(urls.RULES, "Goal-quality rules", "okrsite/rules.html"),
    ]
    if goal_diff is not None:
        pages.insert(
            1,
            PageSpec(
                urls.CHANGES,
                "Changes in this preview",
                "okrsite/changes.html",
                in_nav=True,
                nav_title="Changes",
                extra={"diff": goal_diff},
            ),
        )
    for kpi in org.kpis.values():
        pages.append(PageSpec(urls.src_uri(kpi), kpi.name, "okrsite/kpi.html", kpi))
    for period in org.periods_sorted():
        pages.append(
            PageSpec(urls.src_uri(period), f"OKRs {period.key}", "okrsite/period.html", period)
        )
    # The alignment maps: each period's, then the maps of its items cut from it.
    for page in alignment.maps(org) if maps is None else maps:
        pages.append(PageSpec(page.src_uri, page.title, "okrsite/map.html", page))
    for team in org.teams.values():
        pages.append(PageSpec(urls.src_uri(team), team.name, "okrsite/team.html", team))
    for person in org.people.values():
        pages.append(PageSpec(urls.src_uri(person), person.name, "okrsite/person.html", person))
    for obj in org.objectives.values():
        # the period in the title: the same objective may be set again next quarter
        title = f"{obj.title} ({obj.period.key})"
        pages.append(PageSpec(urls.src_uri(obj), title, "okrsite/objective.html", obj))
    for goal in org.goals.values():
        title = f"{goal.title} ({goal.period.key})"
        pages.append(PageSpec(urls.src_uri(goal), title, "okrsite/goal.html", goal))
    for rule in RULES.values():
        pages.append(
            PageSpec(urls.src_uri(rule), f"{rule.code} {rule.name}", "okrsite/rule.html", rule)
        )
    return {p.src_uri: p for p in pages}
