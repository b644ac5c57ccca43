"""The checks behind the goal-quality rules: which item breaks which rule, and a message
that says what to change.

A check names its rule by code only; :func:`okrsite.review.rules.check` turns what is
reported into findings, at the configured level, leaving out rules turned off and
findings an item waives. Checks read the resolved organisation only, so they never see
a private goal unless the run includes private goals, and name one by its place only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from okrsite.model import scoring
from okrsite.model.chain import chain_of
from okrsite.model.graph import Goal, KeyResult, Objective, Organization, Person, Source, Team
from okrsite.review.rule_lexicon import tokens
from okrsite.review.rule_words import holds_steady, is_metric, is_task, is_unmeasured, is_vague

# (rule code, the item that breaks it, where, its team, the message)
Report = Callable[[str, Any, Source, Team | None, str], None]


@dataclass(frozen=True)
class Scope:
    """The items to check again after an edit (``mkdocs serve``): the rules of these
    objectives (and of their key results), of these goals, the counts and runs of these
    teams (objectives per period, past scores) and of these people (goals per period).
    Every rule reads one item, or one team's or person's own list: nothing else."""

    objectives: Sequence[Objective]
    goals: Sequence[Goal]
    teams: Sequence[Team]
    people: Sequence[Person]


def run_checks(
    org: Organization, today: date, stale_days: int, report: Report, scope: Scope | None = None
) -> None:
    """Run every check over ``org`` on ``today``, reporting each rule an item breaks.
    ``stale_days``: the days without a check-in after which a key result is stale.
    ``scope``: only the rules of these items (the whole organisation when None)."""
    if scope is None:
        scope = Scope(
            list(org.objectives.values()),
            list(org.goals.values()),
            list(org.teams.values()),
            list(org.people.values()),
        )
    _Checks(scope, today, stale_days, report).run()


class _Checks:
    """Every check over one organisation; each broken rule goes to ``report``."""

    def __init__(self, scope: Scope, today: date, stale_days: int, report: Report):
        self.scope = scope
        self.today = today
        self.stale_days = stale_days
        self.add = report

    def run(self) -> None:
        """Every check, in turn."""
        for check in (self.objectives, self.key_results, self.goals, self.history):
            check()

    def objectives(self) -> None:
        """Key results per objective, objectives per team, numbers as objectives, chains."""
        for obj in self.scope.objectives:
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
            if is_metric(obj.title):
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
        per_team: dict[tuple[str, str], list[Objective]] = {}
        for team in self.scope.teams:
            for obj in team.objectives:  # in file order, as the organisation's
                per_team.setdefault((team.id, obj.period.key), []).append(obj)
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
        """The wording of every key result, its check-ins and their dates."""
        for obj in self.scope.objectives:
            for kr in obj.key_results:
                self._kr(kr, obj, self.stale_days)

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
        if holds_steady(kr.title) or kr.baseline == kr.target:
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
        if is_vague(kr.title) or is_unmeasured(kr.title):
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
        span = f"{period.key} ({period.start.isoformat()} to {period.end.isoformat()})"
        # Dated after the build's day (inside the period or not): its value already
        # counts in every score, as if the work were done.
        future = [c for c in checkins if c.date > self.today]
        for found, why in (
            (outside, f"outside {span}: fix the date or move it to the right period"),
            (
                future,
                f"after today ({self.today.isoformat()}): it already counts in the scores; "
                "date a check-in on the day it was measured",
            ),
        ):
            if not found:
                continue
            dates = ", ".join(c.date.isoformat() for c in found[:3])
            if hide_dates:
                dates = "(not shown: private goal)"
            plural = "s" if len(found) > 1 else ""
            self.add(
                "OKR205",
                item,
                item.source,
                team,
                f"{what} has check-in{plural} dated {dates}, {why}",
            )

    def goals(self) -> None:
        """Goals per person, and each goal against SMART."""
        for goal in self.scope.goals:
            self._goal(goal)
        per_person: dict[tuple[str, str], list[Goal]] = {}
        for person in self.scope.people:
            for goal in person.goals:  # the goals the organisation holds, in file order
                per_person.setdefault((person.id, goal.period.key), []).append(goal)
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
        # a number is one of the title's words: "Hold 12 customer interviews" has four
        if len(tokens(g.title)) < 4 or is_vague(g.title):
            self.add(
                "OKR302",
                g,
                g.source,
                team,
                f"{name}{quoted} is not specific: say what will be "
                'different and for whom, e.g. "Reduce the onboarding flow from 7 steps '
                'to 3"',
            )
        if g.baseline is not None and g.baseline == g.target:
            numbers = "" if g.private else f" (baseline {g.baseline:g}, target {g.target:g})"
            self.add(
                "OKR202",
                g,
                g.source,
                team,
                f"{name} keeps a number where it is{numbers}: that is a KPI with a date; "
                "track it as a KPI with an alert threshold and make the goal a change",
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
        for team in self.scope.teams:
            by_period: dict[str, list[Objective]] = {}
            for obj in team.objectives:
                if obj.period.end < self.today:
                    by_period.setdefault(obj.period.key, []).append(obj)
            closed[team.id] = sorted(by_period.items(), key=lambda kv: kv[1][0].period.sort_key())
        for team in self.scope.teams:
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
