"""Render page bodies (HTML fragments) with Jinja2, escaping every text from goal files.

MkDocs' own theme environment does not autoescape, so pages are rendered here in an
environment of our own with ``autoescape=True``; data is only ever passed as values,
never compiled as template source, so ``{{ ... }}`` in a goal title stays literal.
Markdown fields go through :mod:`okrsite.site.markdown_text` (Python-Markdown within bounds,
then nh3, which keeps a small set of tags and only http(s)/mailto links: no raw HTML, no
``javascript:``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from okrsite.model import chain, scoring
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Organization, Person, Team
from okrsite.model.periods import Period, current_period
from okrsite.review.diff import GoalDiff
from okrsite.review.rule_docs import DOCS
from okrsite.review.rules import RULES, Finding
from okrsite.settings import DEFAULTS
from okrsite.site import charts, urls
from okrsite.site.markdown_text import markdown_html
from okrsite.site.pages import PageSpec

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"

# Charts and check-in histories are wrapped in these elements by okrsite's templates,
# marked data-search-exclude: their axis numbers, dates and values are noise in search
# results. Material's search indexer skips such elements, but only after parsing every
# tag inside them; cutting them out of the HTML it is given yields the same index at a
# fraction of the parsing (they hold most of the tags of an objective page).
_INDEXED_AWAY = re.compile(
    r'<figure class="okr-figure" data-search-exclude>.*?</figure>'
    r'|<details class="okr-checkins-details" data-search-exclude>.*?</details>',
    re.S,
)


def search_body(html: str) -> str:
    """The page body as the search indexer needs it: without charts and check-ins."""
    return _INDEXED_AWAY.sub("", html)


def fmt_number(value: float | None) -> str:
    """4.0 -> '4', 4.25 -> '4.25', 3200000 -> '3,200,000'."""
    if value is None:
        return "\u2013"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text  # -0.0001 rounds to nothing, not to "-0"


def fmt_value(value: float | None, unit: str | None = None) -> str:
    """A number with its unit: '4.2%', '$3.2M', '12 min'."""
    text = fmt_number(value)
    if value is None or not unit:
        return text
    if unit[0] in "$€£¥":
        return f"{unit[0]}{text}{unit[1:]}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"


def progress_bar(value: float | None, label: str = "Score") -> Markup:
    """A colour-banded progress bar that also says its number and band in words.

    A Python function rather than a template macro: it is drawn many times a page."""
    if value is None:
        return Markup('<span class="okr-score okr-score--none">no score</span>')
    b = scoring.band(value)
    text = fmt_score(value)
    # The bar itself is the span's ::before, filled to --okr-fill by a gradient:
    # two elements fewer per bar, and pages carry dozens of bars.
    return Markup(
        f'<span class="okr-progress okr-band--{b}" role="img" '
        f'aria-label="{escape(label)} {text} of 1.0 ({b})" '
        f'style="--okr-fill: {min(max(value, 0), 1) * 100:.1f}%">'
        f'<span class="okr-progress__value">{text}</span>'
        f'<span class="okr-band-label">{b}</span></span>'
    )


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 KPI', '2 KPIs', '3 people'."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def fmt_score(score: float | None) -> str:
    return "\u2013" if score is None else f"{score:.2f}"


def period_state(period: Period, today: date) -> str:
    if today < period.start:
        return "upcoming"
    return "running" if period.contains(today) else "closed"


class Renderer:
    """Renders :class:`PageSpec` bodies for one loaded organisation."""

    def __init__(
        self,
        org: Organization,
        today: date,
        template_dirs: Sequence[str | Path] = (),
        use_directory_urls: bool = True,
        home: str = "index.md",
        rule_levels: dict[str, str] | None = None,
        stale_after_days: int = DEFAULTS.stale_after_days,
        goal_diff: GoalDiff | None = None,
    ):
        self.org = org
        self.today = today
        self.use_directory_urls = use_directory_urls
        self.home = home
        self.rule_levels = rule_levels or {}
        self.stale_after_days = stale_after_days
        self.changes = goal_diff.by_key() if goal_diff else {}
        # Theme dirs first, so a user's custom_dir can override any okrsite template.
        search = [str(d) for d in template_dirs] + [str(TEMPLATES)]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        periods = org.periods_sorted()
        self.current = current_period(periods, today)
        self._index()
        self.env.globals.update(
            org=org,
            today=today,
            current_period=self.current,
            periods=periods,
            md=markdown_html,
            num=fmt_number,
            val=fmt_value,
            fmt_score=fmt_score,
            band=scoring.band,
            score=self._cached(scoring.objective_score),
            mean_score=scoring.mean_score,
            kr_progress=self._cached(scoring.kr_progress),
            kr_current=scoring.kr_current,
            goal_progress=scoring.goal_progress,
            current_value=scoring.current_value,
            confidence=scoring.latest_confidence,
            kpi_state=self._cached(lambda k: scoring.kpi_state(k, today)),
            kpi_state_at=lambda k, day: scoring.kpi_state(k, min(day, today), until=day),
            expected=lambda p: scoring.expected_by_now(p, today),
            pace=lambda value, p: scoring.pace(value, scoring.expected_by_now(p, today)),
            kr_stale=lambda kr: scoring.kr_is_stale(kr, today, self.stale_after_days),
            stale_krs=self.stale_krs,
            stale_days=stale_after_days,
            kr_chart=self.kr_chart,
            goal_chart=self.goal_chart,
            kpi_chart=self.kpi_chart,
            team_chart=self.team_chart,
            print_css=lambda: Markup((ASSETS / "print.css").read_text(encoding="utf-8")),
            css_string=css_string,
            teams_in_period=lambda p: sorted({o.team.id for o in self.by_period.get(p.key, [])}),
            goal_counts=self.goal_counts,
            change_of=self.change_of,
            chain_of=self._cached(chain.chain_of),
            period_state=lambda p: period_state(p, today),
            kind_of=kind_of,
            team_tree=self.team_tree,
            is_kr=lambda x: isinstance(x, KeyResult),
            plural=plural,
            bar=progress_bar,
            level_counts=level_counts,
            findings_by_team=self.findings_by_team,
            has_page=has_page,
            item_title=item_title,
            all_rules=lambda: list(RULES.values()),
            rule_doc=lambda r: DOCS[r.code],
            level_of=lambda r: self.rule_levels.get(r.code, r.level),
            kpis_ordered=lambda: self.kpis_ordered,
            kpis_in_alert=lambda: [k for k in self.kpis_ordered if scoring.kpi_state(k).alert],
            objectives_in=lambda p: self.by_period.get(p.key, []),
            goals_in=lambda p: self.goals_by_period.get(p.key, []),
            private_in=lambda p: self.private_by_period.get(p.key, 0),
            has_objectives_below=lambda t, p: (t.id, p.key) in self.teams_with_objectives,
            cascade_roots=self.cascade_roots,
            aligned_in_period=self.aligned_in_period,
            goals_under=goals_under,
            private_under=private_under,
            people_sorted=lambda: self.people_sorted,
        )

    def _index(self) -> None:
        """Per-period lists, built once so that every page reads them in O(1)."""
        org = self.org
        self.by_period: dict[str, list[Objective]] = {}
        self.teams_with_objectives: set[tuple[str, str]] = set()
        for obj in org.objectives.values():
            self.by_period.setdefault(obj.period.key, []).append(obj)
            for team in (obj.team, *obj.team.ancestors()):
                key = (team.id, obj.period.key)
                if key in self.teams_with_objectives:
                    break
                self.teams_with_objectives.add(key)
        self.goals_by_period: dict[str, list[Goal]] = {}
        for goal in org.goals.values():
            self.goals_by_period.setdefault(goal.period.key, []).append(goal)
        # Private goals of a period, whether they support anything or not: counted
        # as the public ones are (the home page counts them all too).
        self.private_by_period = org.private_by_period
        # KPIs in alert lead, then the rest in file order.
        self.kpis_ordered = sorted(org.kpis.values(), key=lambda k: not scoring.kpi_state(k).alert)
        self.people_sorted = sorted(org.people.values(), key=lambda p: (p.name.casefold(), p.id))

    def findings_by_team(self, findings: list[Finding]) -> list[tuple[Team | None, list]]:
        """Findings grouped by team, teams in tree order, the organisation-wide last."""
        groups: dict[str | None, list[Finding]] = {}
        for f in findings:
            groups.setdefault(f.team.id if f.team else None, []).append(f)
        ordered = [(t, groups[t.id]) for t, _ in self.team_tree() if t.id in groups]
        if None in groups:
            ordered.append((None, groups[None]))
        return ordered

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

    def goal_counts(self, period: Period, team: Team | None) -> dict[str, int]:
        """Public goals by status supporting the OKRs of ``team`` in ``period`` (with no
        team: every goal of the period, supporting anything or nothing), and the
        anonymous count of private ones, counted the same way."""
        counts = {"open": 0, "done": 0, "missed": 0, "dropped": 0, "private": 0}
        if team is None:
            for goal in self.goals_by_period.get(period.key, []):
                counts[goal.status] += 1
            counts["private"] = self.private_by_period.get(period.key, 0)
            return counts
        for obj in self.by_period.get(period.key, []):
            if team is not None and obj.team is not team:
                continue
            supported = [obj, *obj.key_results]
            for item in supported:
                counts["private"] += item.private_goals
                for goal in item.goals:
                    counts[goal.status] += 1
        return counts

    def render_print(self, period: Period, paper: str = "A4") -> str:
        """The standalone print summary of ``period`` (A4 or Letter)."""
        here = urls.print_page(period)

        def url(target: Any) -> str:
            to = target if isinstance(target, str) else urls.src_uri(target)
            return urls.relative(here, to, self.use_directory_urls)

        template = self.env.get_template("okrsite/print.html")
        return template.render(period=period, paper=paper, url=url, urls=urls)

    def stale_krs(self, objectives: list[Objective]) -> list[KeyResult]:
        """Key results of ``objectives`` with no recent check-in in a running period."""
        days = self.stale_after_days
        return [
            kr
            for o in objectives
            for kr in o.key_results
            if scoring.kr_is_stale(kr, self.today, days)
        ]

    def kr_chart(self, kr: KeyResult) -> Markup:
        """Check-ins against baseline and target, confidence as a second series."""
        period = kr.objective.period
        lines = [
            charts.Line(
                kr.baseline, f"baseline {fmt_value(kr.baseline, kr.unit)}", "okr-chart__baseline"
            ),
            charts.Line(kr.target, f"target {fmt_value(kr.target, kr.unit)}", "okr-chart__target"),
        ]
        if kr.revisions:
            lines.append(charts.Line(kr.original_target, "original target", "okr-chart__original"))
        points = [(c.date, c.value) for c in kr.checkins]
        conf = [(c.date, c.confidence) for c in kr.checkins if c.confidence is not None]
        latest = (
            f"latest {fmt_value(points[-1][1], kr.unit)} on {points[-1][0].isoformat()}"
            if points
            else "no check-ins yet"
        )
        desc = (
            f"{len(points)} check-ins from {period.start.isoformat()} to "
            f"{period.end.isoformat()}; baseline {fmt_value(kr.baseline, kr.unit)}, "
            f"target {fmt_value(kr.target, kr.unit)}, {latest}; progress "
            f"{fmt_score(scoring.kr_progress(kr))}."
        )
        if conf:
            desc += f" Latest confidence {conf[-1][1]:.0%}."
        return charts.line_chart(
            title=f"Check-ins: {kr.title}",
            desc=desc,
            points=points,
            start=period.start,
            end=period.end,
            lines=lines,
            second=conf,
            second_label="confidence",
            unit=_unit_suffix(kr.unit),
            ident=f"chart-kr-{kr.id}",
        )

    def goal_chart(self, goal: Goal) -> Markup | str:
        if goal.baseline is None or goal.target is None or not goal.checkins:
            return ""
        lines = [
            charts.Line(goal.baseline, "baseline", "okr-chart__baseline"),
            charts.Line(goal.target, "target", "okr-chart__target"),
        ]
        points = [(c.date, c.value) for c in goal.checkins]
        desc = (
            f"{len(points)} check-ins; baseline {fmt_value(goal.baseline, goal.unit)}, "
            f"target {fmt_value(goal.target, goal.unit)}, latest "
            f"{fmt_value(points[-1][1], goal.unit)} on {points[-1][0].isoformat()}."
        )
        conf = [(c.date, c.confidence) for c in goal.checkins if c.confidence is not None]
        return charts.line_chart(
            title=f"Check-ins: {goal.title}",
            desc=desc,
            points=points,
            start=goal.period.start,
            end=goal.period.end,
            lines=lines,
            second=conf,
            second_label="confidence",
            unit=_unit_suffix(goal.unit),
            ident="chart-goal",
        )

    def kpi_chart(self, kpi: Kpi) -> Markup | str:
        if not kpi.history:
            return ""
        points = [(h.date, h.value) for h in kpi.history]
        lines = []
        if kpi.alert is not None:
            lines.append(
                charts.Line(
                    kpi.alert, f"alert {fmt_value(kpi.alert, kpi.unit)}", "okr-chart__alert"
                )
            )
        state = scoring.kpi_state(kpi, self.today)
        desc = (
            f"{len(points)} measurements from {points[0][0].isoformat()} to "
            f"{points[-1][0].isoformat()}; current {fmt_value(state.current, kpi.unit)}"
            + (
                f"; alert threshold {fmt_value(kpi.alert, kpi.unit)}, "
                f"{'in alert' if state.alert else 'not in alert'}"
                if kpi.alert is not None
                else ""
            )
            + f"; {'higher' if kpi.direction == 'up' else 'lower'} is better."
        )
        return charts.line_chart(
            title=f"History: {kpi.name}",
            desc=desc,
            points=points,
            lines=lines,
            unit=_unit_suffix(kpi.unit),
            ident=f"chart-kpi-{kpi.id}",
        )

    def team_chart(self, team: Team) -> Markup | str:
        """The team's score per period, with the 0.6-0.8 stretch band."""
        points = []
        for period in self.org.periods_sorted():
            objs = [o for o in team.objectives if o.period == period]
            score = scoring.mean_score(objs)
            if score is not None:
                points.append((period.end, score, period.key))
        if len(points) < 2:
            return ""
        desc = (
            "Team score per period: "
            + "; ".join(f"{key} {fmt_score(score)}" for _, score, key in points)
            + ". The band marks 0.6 to 0.8, where a stretch OKR counts as a success."
        )
        return charts.line_chart(
            title=f"{team.name}: score per period",
            desc=desc,
            points=[(d, v) for d, v, _ in points],
            bands=[charts.Band(0.6, 0.8, "stretch band 0.6-0.8", "okr-chart__stretch")],
            y_range=(0.0, 1.0),
            ident=f"chart-team-{team.id}",
        )

    def cascade_roots(self, period: Period) -> list[Objective]:
        """Objectives of ``period`` that align to nothing inside the same period."""
        return [
            o
            for o in self.by_period.get(period.key, [])
            if _parent_objective(o) is None or _parent_objective(o).period != period
        ]

    @staticmethod
    def aligned_in_period(obj: Objective) -> list[Objective]:
        """Objectives aligned to ``obj`` or to one of its key results, same period."""
        kids = list(obj.aligned)
        for kr in obj.key_results:
            kids.extend(kr.aligned)
        return [k for k in kids if k.period == obj.period]

    @staticmethod
    def _cached(fn: Any) -> Any:
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

    def team_tree(self, team: Team | None = None, depth: int = 0) -> list[tuple[Team, int]]:
        """Teams depth-first from ``team`` (default the root), with their depth."""
        team = team or self.org.root
        out = [(team, depth)]
        for child in team.children:
            out.extend(self.team_tree(child, depth + 1))
        return out

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


def _parent_objective(obj: Objective) -> Objective | None:
    parent = obj.parent
    return parent.objective if isinstance(parent, KeyResult) else parent


def goals_under(kr: KeyResult) -> list[Goal]:
    """Public goals supporting ``kr`` or anything aligned below it."""
    out = list(kr.goals)
    for obj in kr.aligned:
        out.extend(obj.goals)
        for child in obj.key_results:
            out.extend(goals_under(child))
    return out


def private_under(kr: KeyResult) -> int:
    """How many private goals support ``kr`` or anything aligned below it."""
    n = kr.private_goals
    for obj in kr.aligned:
        n += obj.private_goals + sum(private_under(child) for child in obj.key_results)
    return n


def css_string(text: str) -> Markup:
    """A CSS string literal holding ``text``: every non-alphanumeric character escaped,
    so nothing in it can end the string or the style element."""
    # A hex escape swallows one following space, so each ends with one.
    out = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return Markup(f'"{out}"')


def _unit_suffix(unit: str | None) -> str:
    return "" if not unit else unit if unit == "%" else f" {unit}"


def level_counts(findings: list[Finding]) -> list[tuple[str, int]]:
    """How many findings at each level, named as the build log and CLI name them."""
    names = {"error": "error", "warning": "warning", "info": "hint"}
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.level] = counts.get(f.level, 0) + 1
    return [(names[lvl], counts[lvl]) for lvl in names if lvl in counts]


def has_page(item: Any) -> bool:
    return isinstance(item, Goal | KeyResult | Objective | Kpi | Team | Person)


def item_title(item: Any) -> str:
    return getattr(item, "title", None) or getattr(item, "name", "")


def kind_of(item: Any) -> str:
    """A human label for an item's kind."""
    return {
        Goal: "Goal", KeyResult: "Key result", Objective: "Objective", Kpi: "KPI",
        Team: "Team", Person: "Person",
    }.get(type(item), "")  # fmt: skip
