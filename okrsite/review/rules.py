"""Goal-quality rules: the mistakes the domain teaches, as linter-style findings.

Each rule has a stable code (``OKR201``) and name (``kr-is-task``), a default level
and a docs page (:mod:`okrsite.review.rule_docs`). This module holds the rules, their
levels and :func:`check`, which runs the checks (:mod:`okrsite.review.rule_checks`) and
turns what they report into findings at the configured levels. Rules read the resolved
:class:`~okrsite.model.graph.Organization` only, so they never see a private goal unless
the run includes private goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrsite.diagnostics import printable
from okrsite.model.graph import Organization, Source, Team
from okrsite.review.rule_checks import Scope, run_checks
from okrsite.settings import DEFAULTS

ERROR, WARNING, INFO, OFF = "error", "warning", "info", "off"
LEVELS = (ERROR, WARNING, INFO, OFF)


@dataclass(frozen=True)
class Rule:
    """A goal-quality rule."""

    code: str
    name: str
    level: str
    summary: str


@dataclass(frozen=True)
class Finding:
    """One rule broken by one item."""

    rule: Rule
    level: str
    source: Source
    message: str
    item: Any = field(default=None, compare=False)
    team: Team | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return printable(f"{self.source}: {self.rule.code} {self.message}")


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule("OKR101", "key-result-count", WARNING,
             "an objective has fewer than 2 or more than 5 key results"),
        Rule("OKR102", "too-many-objectives", WARNING,
             "a team has more than 4 objectives in a period"),
        Rule("OKR103", "objective-is-metric", WARNING,
             "an objective is a number to hold, not a direction"),
        Rule("OKR201", "kr-is-task", WARNING,
             "a key result is an activity or task, not an outcome"),
        Rule("OKR202", "kr-is-kpi", WARNING,
             "a key result or goal keeps a number steady: a KPI with a date"),
        Rule("OKR203", "vague-wording", WARNING,
             "vague wording with no number"),
        Rule("OKR204", "stale-key-result", WARNING,
             "no check-in within the last N days of a running period"),
        Rule("OKR205", "checkin-outside-period", WARNING,
             "a check-in is dated outside its period or after today"),
        Rule("OKR301", "too-many-goals", WARNING,
             "a person has more than 5 goals in a period"),
        Rule("OKR302", "goal-not-specific", WARNING,
             "S: the goal's title is not concrete"),
        Rule("OKR303", "goal-not-measurable", WARNING,
             "M: the goal has no metric, baseline and target"),
        Rule("OKR304", "goal-no-rationale", INFO,
             "A: the goal says nothing about why it is achievable"),
        Rule("OKR305", "goal-supports-nothing", WARNING,
             "R: the goal supports no key result (a broken chain)"),
        Rule("OKR306", "goal-not-time-bound", WARNING,
             "T: the goal has no due date inside its period"),
        Rule("OKR401", "objective-reaches-no-kpi", WARNING,
             "an objective reaches no company KPI (a broken chain)"),
        Rule("OKR501", "sandbagging", WARNING,
             "a team scored 1.0 on everything for 2 or more periods in a row"),
        Rule("OKR502", "unrealistic-targets", WARNING,
             "a team scored below 0.5 for 2 or more periods in a row"),
    ]
}  # fmt: skip
BY_NAME = {r.name: r for r in RULES.values()}


def rule_for(key: str) -> Rule | None:
    """A rule by code (``OKR201``) or name (``kr-is-task``)."""
    return RULES.get(key.upper()) or BY_NAME.get(key.lower())


@dataclass
class RuleOptions:
    """What can be configured: levels per rule and the staleness window."""

    levels: dict[str, str] = field(default_factory=dict)  # code -> level
    stale_after_days: int = DEFAULTS.stale_after_days

    def level(self, rule: Rule) -> str:
        """The level ``rule`` is reported at: as configured, else its default."""
        return self.levels.get(rule.code, rule.level)


def check(
    org: Organization,
    today: date,
    options: RuleOptions | None = None,
    scope: Scope | None = None,
) -> list[Finding]:
    """Run every enabled rule; findings sorted by file and line. ``scope``: only the
    rules of these items (see :class:`~okrsite.review.rule_checks.Scope`)."""
    chosen = options or RuleOptions()
    findings: list[Finding] = []

    def report(code: str, item: Any, source: Source, team: Team | None, message: str) -> None:
        rule = RULES[code]
        level = chosen.level(rule)
        if level == OFF:
            return
        # The loader keeps an item's waivers by code, whichever way the file named them.
        if code in (getattr(item, "waive", None) or {}):
            return
        findings.append(Finding(rule, level, source, message, item, team))

    run_checks(org, today, chosen.stale_after_days, report, scope)
    findings.sort(key=lambda f: (f.source.path, f.source.line, f.rule.code))
    return findings
