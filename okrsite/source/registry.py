"""What a load has built so far, by id, and how its messages point at a key.

The :class:`Registry` is shared by the steps of :mod:`okrsite.source.loader` (the
organisation, KPIs, OKR files, goal files): it holds what each step built for the
next to look up, the diagnostics of the run, and which files were broken (a reference
into a broken file is not reported again: that file's own error is the one to fix).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from okrsite.diagnostics import WARNING, Diagnostic, did_you_mean, show
from okrsite.model.graph import Goal, KeyResult, Kpi, Objective, Person, Source, Team
from okrsite.model.periods import PERIOD_HINT, PERIOD_RE, YEAR_HINT, YEARS, Period, parse_period
from okrsite.review import rules
from okrsite.source.goalfile import FailedFile, ParsedFile


class Registry:
    """Everything read so far, the run's diagnostics, and the lookups that report a
    missing team, person or period with a did-you-mean."""

    def __init__(
        self,
        goals_dir: Path,
        base: Path,
        include_private: bool,
        fiscal_year_start: int,
        diags: list[Diagnostic],
    ):
        self.goals_dir = goals_dir
        self.base = base
        self.include_private = include_private
        self.fiscal_year_start = fiscal_year_start
        self.diags = diags
        self.teams: dict[str, Team] = {}
        self.people: dict[str, Person] = {}
        self.kpis: dict[str, Kpi] = {}
        self.periods: dict[str, Period] = {}
        self.objectives: dict[str, Objective] = {}
        self.goals: dict[str, Goal] = {}
        self.goal_sources: dict[str, Source] = {}  # every goal, private ones too
        # What broken files were about ("org", "kpis", "period/team", "*"), and the
        # keys of objectives dropped for a bad owner.
        self.broken: set[str] = set()
        # A team lost its 'parent' to a reported error (a cycle, a chain too long).
        self.team_parent_cut = False
        self.private = 0
        self.private_unlinked = 0
        self.private_by_period: dict[str, int] = {}
        self.private_supports: dict[str, list[Objective | KeyResult]] = {}
        self.private_unlinked_by_period: dict[str, int] = {}
        self.shown_periods: set[str] = set()  # periods of OKRs or of goals the site shows
        self.history_files: set[Path] = set()  # CSV files read, resolved
        # Where each 'parent' and 'aligns_to' is written: cycles are reported there.
        self.parent_src: dict[str, Where] = {}
        self.align_src: dict[int, Where] = {}

    def error(self, src: Where, message: str) -> None:
        """Report an error at ``src``."""
        self.diags.append(Diagnostic(src.path, src.line, message))

    def duplicate(self, src: Source, what: str, ident: str, where: str, first: Source) -> None:
        """Report a second item with the id of an earlier one."""
        # Top-level ids are unique across the organisation; nested ones within a scope.
        fix = f"{what} ids must be unique" if not where else "rename one"
        shown = ident if ident.startswith("(") else f"'{ident}'"
        self.error(src, f"duplicate {what} id {shown}{where} (first at {first}): {fix}")

    def note_failed(self, failed: list[FailedFile]) -> None:
        """Remember what broken files were about: a reference into one of them is not
        reported again (its file's own error is the one to fix)."""
        for f in failed:
            data = f.data if isinstance(f.data, dict) else {}
            if f.kind == "okrs":
                period = data.get("period")
                # A file with a bad period could have held any period's OKRs.
                valid = isinstance(period, str) and PERIOD_RE.match(period)
                self.broken.add(f"{period if valid else '*'}/{data.get('team')}")
            elif f.kind in ("org", "kpis"):
                self.broken.add(f.kind)
            elif f.kind is None and any(d.level != WARNING for d in f.diagnostics):
                self.broken.add("*")  # unreadable: it could have held anything

    def waive(self, waive: dict[str, str], at: KeySources, private: bool = False) -> dict[str, str]:
        """Check that every waived rule exists; keep them by code. An unknown rule is
        reported at its own line under 'waive'."""
        out = {}
        for key, reason in waive.items():
            rule = rules.rule_for(key)
            if rule is None:
                pool = [*rules.RULES, *rules.BY_NAME]
                named = "(not shown: private goal)" if private else show(key, 40)
                self.error(
                    at("waive", key),
                    f"'waive' names rule {named}, which does not exist"
                    + (did_you_mean(key, pool) or "; see the rules page for codes"),
                )
                continue
            out[rule.code] = reason
        return out

    def shown_dir(self) -> str:
        """The goals folder as messages show it."""
        try:
            return self.goals_dir.relative_to(self.base).as_posix() or "."
        except ValueError:
            return self.goals_dir.as_posix()

    def team(self, ident: str, src: Where, key: str, what: str) -> Team | None:
        """The team ``ident``, or None after reporting that it does not exist."""
        team = self.teams.get(ident)
        if team is None and not self.broken & {"org", "*"}:
            self.error(
                src,
                f"'{key}'{what} names team '{ident}', which does not exist"
                + did_you_mean(ident, self.teams),
            )
        return team

    def person(self, ident: str, src: Where, key: str, what: str) -> Person | None:
        """The person ``ident``, or None after reporting that they do not exist."""
        person = self.people.get(ident)
        if person is None and not self.broken & {"org", "*"}:
            hint = did_you_mean(ident, self.people) or ": add them to 'people' in org.yaml"
            self.error(src, f"'{key}'{what} names person '{ident}', who does not exist{hint}")
        return person

    def period(self, name: str, src: Source) -> Period | None:
        """The period ``name`` (one object per name), or None after reporting it bad."""
        period = self.periods.get(name)
        if period is None:
            period = parse_period(name, self.fiscal_year_start)
            if period is None:
                match = PERIOD_RE.match(name)
                hint = YEAR_HINT if match and int(match[1]) not in YEARS else PERIOD_HINT
                self.error(src, f"bad period {show(name)}: {hint}")
                return None
            self.periods[name] = period
        return period


class KeySources:
    """Where the keys of one item (a team, a KPI, an objective...) are written: a
    reference error is reported at the line of the key that holds it (``owner: ruy``),
    not at the item's first line."""

    __slots__ = ("file", "item", "loc")

    def __init__(self, file: ParsedFile, loc: tuple[Any, ...]):
        self.file = file
        self.loc = loc
        self.item = Source(file.path, file.doc.line(loc))

    def __call__(self, *keys: str) -> KeySource:
        return KeySource(self, keys)


class KeySource:
    """The place of one key, looked up only when a message needs it: most references
    resolve, and a load makes tens of thousands of them."""

    __slots__ = ("item", "keys")

    def __init__(self, item: KeySources, keys: tuple[str, ...]):
        self.item = item
        self.keys = keys

    @property
    def path(self) -> str:
        return self.item.file.path

    @property
    def line(self) -> int:
        return self.item.file.doc.line((*self.item.loc, *self.keys))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


Where = Source | KeySource  # where a message points
