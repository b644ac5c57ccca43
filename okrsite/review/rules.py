"""Goal-quality rules: the mistakes the domain teaches, as linter-style findings.

Each rule has a stable code (``OKR201``) and name (``kr-is-task``), a default level
and a docs page. Rules read the resolved :class:`~okrsite.model.graph.Organization` only,
so they never see a private goal unless the run includes private goals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrsite.diagnostics import printable
from okrsite.model import scoring
from okrsite.model.chain import chain_of
from okrsite.model.graph import Goal, KeyResult, Objective, Organization, Source, Team
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
             "a key result keeps a number steady: a KPI with a date"),
        Rule("OKR203", "vague-wording", WARNING,
             "vague wording with no number"),
        Rule("OKR204", "stale-key-result", WARNING,
             "no check-in within the last N days of a running period"),
        Rule("OKR205", "checkin-outside-period", WARNING,
             "a check-in is dated outside its period"),
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

TASK_VERBS = frozenset(
    [
        "launch",
        "ship",
        "run",
        "hold",
        "host",
        "build",
        "create",
        "implement",
        "deliver",
        "write",
        "complete",
        "release",
        "hire",
        "organize",
        "organise",
        "conduct",
        "migrate",
        "deploy",
        "design",
        "develop",
        "publish",
        "introduce",
        "finish",
        "attend",
        "prepare",
        "send",
        "document",
        "roll",
        "set",
        "start",
        "hold",
        "kick",
        "establish",
        "install",
    ]
)
KPI_VERBS = frozenset(["maintain", "keep", "sustain", "stay", "remain", "preserve", "protect"])
VAGUE_WORDS = frozenset(
    [
        "significantly",
        "substantially",
        "greatly",
        "dramatically",
        "better",
        "improve",
        "improved",
        "improving",
        "enhance",
        "enhanced",
        "optimize",
        "optimise",
        "various",
        "some",
        "more",
        "many",
        "several",
        "lots",
        "robust",
        "world-class",
        "best-in-class",
        "seamless",
        "streamline",
        "leverage",
        "maximize",
        "maximise",
        "minimize",
        "minimise",
        "strengthen",
        "stronger",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_DIGIT = re.compile(r"\d")


def rule_for(key: str) -> Rule | None:
    """A rule by code (``OKR201``) or name (``kr-is-task``)."""
    return RULES.get(key.upper()) or BY_NAME.get(key.lower())


@dataclass
class RuleOptions:
    """What can be configured: levels per rule and the staleness window."""

    levels: dict[str, str] = field(default_factory=dict)  # code -> level
    stale_after_days: int = DEFAULTS.stale_after_days

    def level(self, rule: Rule) -> str:
        return self.levels.get(rule.code, rule.level)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _first_word(text: str) -> str:
    words = _words(text)
    return words[0] if words else ""


def is_task(title: str) -> bool:
    """Starts with an activity verb: "Launch X", "Run 12 webinars"."""
    return _first_word(title) in TASK_VERBS


def is_vague(title: str) -> bool:
    """Vague words and no number: "Significantly improve onboarding"."""
    return not _DIGIT.search(title) and any(w in VAGUE_WORDS for w in _words(title))


class _Checker:
    def __init__(self, org: Organization, today: date, options: RuleOptions):
        self.org = org
        self.today = today
        self.options = options
        self.findings: list[Finding] = []

    def add(self, code: str, item: Any, source: Source, team: Team | None, message: str) -> None:
        rule = RULES[code]
        level = self.options.level(rule)
        if level == OFF:
            return
        waived = getattr(item, "waive", None) or {}
        if code in waived or rule.name in waived:
            return
        self.findings.append(Finding(rule, level, source, message, item, team))

    def run(self) -> list[Finding]:
        for check in (self.objectives, self.key_results, self.goals, self.history):
            check()
        self.findings.sort(key=lambda f: (f.source.path, f.source.line, f.rule.code))
        return self.findings

    def objectives(self) -> None:
        per_team: dict[tuple[str, str], list[Objective]] = {}
        for obj in self.org.objectives.values():
            per_team.setdefault((obj.team.id, obj.period.key), []).append(obj)
            n = len(obj.key_results)
            if n < 2 or n > 5:
                self.add(
                    "OKR101",
                    obj,
                    obj.source,
                    obj.team,
                    f"objective '{obj.id}' has {n} key result{'s' if n != 1 else ''}: "
                    + (
                        "add measurable results until 2-5 say what success looks like"
                        if n < 2
                        else "keep the 2-5 that matter most; more is no focus"
                    ),
                )
            first = _first_word(obj.title)
            if first in KPI_VERBS or _DIGIT.search(obj.title):
                self.add(
                    "OKR103",
                    obj,
                    obj.source,
                    obj.team,
                    f"objective '{obj.id}' (\"{obj.title}\") reads as a number to hold: "
                    'write a qualitative direction ("Make support the reason customers '
                    'stay") and put the numbers in its key results',
                )
            if chain_of(obj).broken:
                self.add(
                    "OKR401",
                    obj,
                    obj.source,
                    obj.team,
                    f"objective '{obj.id}' reaches no company KPI: link one of its key "
                    "results to a KPI with 'kpi:', or align it with 'aligns_to:' to an "
                    "objective or key result that does",
                )
        for objs in per_team.values():
            if len(objs) > 4:
                obj = objs[4]
                self.add(
                    "OKR102",
                    obj.team,
                    obj.source,
                    obj.team,
                    f"team '{obj.team.id}' has {len(objs)} objectives in "
                    f"{obj.period.key}: 2-4 keep a team focused; merge or drop some",
                )

    def key_results(self) -> None:
        stale_days = self.options.stale_after_days
        for obj in self.org.objectives.values():
            for kr in obj.key_results:
                self._kr(kr, obj, stale_days)

    def _kr(self, kr: KeyResult, obj: Objective, stale_days: int) -> None:
        team = obj.team
        if is_task(kr.title):
            self.add(
                "OKR201",
                kr,
                kr.source,
                team,
                f"key result '{kr.id}' (\"{kr.title}\") is an activity: say what "
                'changes when it is done, e.g. "Generate 200 SQLs from webinars" '
                'instead of "Run 12 webinars"',
            )
        if _first_word(kr.title) in KPI_VERBS or kr.baseline == kr.target:
            self.add(
                "OKR202",
                kr,
                kr.source,
                team,
                f"key result '{kr.id}' keeps a number where it is (baseline "
                f"{kr.baseline:g}, target {kr.target:g}): that is a KPI with a date; "
                "track it as a KPI with an alert threshold and make the key result "
                "a change",
            )
        if is_vague(kr.title):
            self.add(
                "OKR203",
                kr,
                kr.source,
                team,
                f"key result '{kr.id}' (\"{kr.title}\") is vague: name the metric and "
                'the numbers, e.g. "Raise 7-day activation from 34% to 50%"',
            )
        if scoring.kr_is_stale(kr, self.today, stale_days):
            last = kr.checkins[-1].date if kr.checkins else None
            age = scoring.last_checkin_age(kr.checkins, obj.period, self.today)
            what = f"last check-in {last.isoformat()}" if last else "no check-in yet"
            self.add(
                "OKR204",
                kr,
                kr.source,
                team,
                f"key result '{kr.id}' is stale: {what}, {age} days before "
                f"{self.today.isoformat()}; check in weekly with a value and a confidence",
            )
        self._checkins_in_period(kr, kr.checkins, obj.period, team, f"key result '{kr.id}'")

    def _checkins_in_period(
        self,
        item: Any,
        checkins: list,
        period: Any,
        team: Team | None,
        what: str,
        hide_dates: bool = False,
    ) -> None:
        outside = [c for c in checkins if not period.contains(c.date)]
        if outside:
            dates = ", ".join(c.date.isoformat() for c in outside[:3])
            if hide_dates:
                dates = "(not shown: private goal)"
            self.add(
                "OKR205",
                item,
                item.source,
                team,
                f"{what} has check-in{'s' if len(outside) > 1 else ''} dated {dates}, "
                f"outside {period.key} ({period.start.isoformat()} to "
                f"{period.end.isoformat()}): fix the date or move it to the right period",
            )

    def goals(self) -> None:
        per_person: dict[tuple[str, str], list[Goal]] = {}
        for goal in self.org.goals.values():
            per_person.setdefault((goal.owner.id, goal.period.key), []).append(goal)
            self._goal(goal)
        for goals in per_person.values():
            if len(goals) > 5:
                goal = goals[5]
                self.add(
                    "OKR301",
                    goal.owner,
                    goal.source,
                    goal.owner.team,
                    f"'{goal.owner.id}' has {len(goals)} goals in {goal.period.key}: "
                    "1-3 commitments get done; more get spread thin",
                )

    def _goal(self, g: Goal) -> None:
        team = g.owner.team
        # `okrsite validate` checks private goals too, and CI logs are read by everyone:
        # a private goal is named by its place only, never by its id, title or dates.
        name = "a private goal" if g.private else f"goal '{g.id}'"
        quoted = "" if g.private else f' ("{g.title}")'
        due = "(not shown)" if g.private or g.due is None else g.due.isoformat()
        if len(_words(g.title)) < 4 or is_vague(g.title):
            self.add(
                "OKR302",
                g,
                g.source,
                team,
                f"{name}{quoted} is not specific: say what will be "
                'different and for whom, e.g. "Reduce the onboarding flow from 7 steps '
                'to 3"',
            )
        missing = [k for k in ("metric", "baseline", "target") if getattr(g, k) is None]
        if missing:
            self.add(
                "OKR303",
                g,
                g.source,
                team,
                f"{name} is not measurable: add {', '.join(missing)} "
                "(what you measure, where it starts, where it should end)",
            )
        if not g.achievable:
            self.add(
                "OKR304",
                g,
                g.source,
                team,
                f"{name} gives no reason it is achievable: add 'achievable:' "
                "with the evidence (a pilot, a past result, the people on it)",
            )
        if g.supports is None:
            self.add(
                "OKR305",
                g,
                g.source,
                team,
                f"{name} supports nothing: point 'supports:' at the team key "
                "result it serves (team/objective/kr), or it is busywork with metrics",
            )
        if g.due is None:
            self.add(
                "OKR306",
                g,
                g.source,
                team,
                f"{name} has no due date: add 'due: YYYY-MM-DD' inside {g.period.key}",
            )
        elif not g.period.contains(g.due):
            self.add(
                "OKR306",
                g,
                g.source,
                team,
                f"{name} is due {due}, outside {g.period.key} "
                f"({g.period.start.isoformat()} to {g.period.end.isoformat()}): "
                "move the date into the period or the goal into the right period",
            )
        self._checkins_in_period(g, g.checkins, g.period, team, name, hide_dates=g.private)

    def history(self) -> None:
        """Sandbagging and unrealistic targets: runs of closed periods of one length."""
        closed: dict[str, list] = {}
        for team in self.org.teams.values():
            by_period: dict[str, list[Objective]] = {}
            for obj in team.objectives:
                if obj.period.end < self.today:
                    by_period.setdefault(obj.period.key, []).append(obj)
            closed[team.id] = sorted(by_period.items(), key=lambda kv: kv[1][0].period.sort_key())
        for team in self.org.teams.values():
            self._runs(team, closed[team.id])

    def _runs(self, team: Team, periods: list[tuple[str, list[Objective]]]) -> None:
        full_run: list[str] = []
        low_run: list[str] = []
        for key, objs in periods:
            krs = [kr for o in objs for kr in o.key_results]
            full = bool(krs) and all(scoring.kr_progress(kr) >= 1.0 for kr in krs)
            mean = scoring.mean_score(objs)
            full_run = [*full_run, key] if full else []
            low_run = [*low_run, key] if mean is not None and mean < 0.5 else []
        # Only the latest run counts: it is what the team should act on now.
        if len(full_run) >= 2:
            self.add(
                "OKR501",
                team,
                team.source,
                team,
                f"team '{team.id}' scored 1.0 on every key result in "
                f"{', '.join(full_run)}: targets are too safe; set stretch targets "
                "where 0.6-0.8 counts as success",
            )
        if len(low_run) >= 2:
            self.add(
                "OKR502",
                team,
                team.source,
                team,
                f"team '{team.id}' scored below 0.5 in {', '.join(low_run)}: targets "
                "are unrealistic, under-resourced or never updated; set fewer, "
                "reachable ones and revise them when priorities shift",
            )


def check(org: Organization, today: date, options: RuleOptions | None = None) -> list[Finding]:
    """Run every enabled rule; findings sorted by file and line."""
    return _Checker(org, today, options or RuleOptions()).run()
