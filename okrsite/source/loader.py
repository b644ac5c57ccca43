"""Read a goals folder into a resolved :class:`~okrsite.model.graph.Organization`.

Every problem of a run is collected and raised together as one
:class:`~okrsite.diagnostics.DataError`, each as ``path:line: message`` naming the
key, the bad value and the fix. Private goals are validated like any other, then
dropped here, before anything downstream can see them.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import math
import operator
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrsite.diagnostics import INFO, WARNING, DataError, Diagnostic, did_you_mean, show
from okrsite.limits import MAX_FILE_BYTES, MAX_NUMBER, NUMBER_RANGE
from okrsite.model.graph import (
    Checkin,
    Goal,
    KeyResult,
    Kpi,
    Objective,
    Organization,
    Person,
    Revision,
    Source,
    Team,
    parent_objective,
)
from okrsite.model.periods import (
    PERIOD_HINT,
    PERIOD_RE,
    YEAR_HINT,
    YEARS,
    Period,
    parse_period,
)
from okrsite.review import rules
from okrsite.settings import DEFAULTS
from okrsite.source import fileformat as schema
from okrsite.source.folder import (
    FailedFile,
    ParseCache,
    ParsedFile,
    read_goal_file,
    resolved,
    survey,
)


@dataclass
class LoadResult:
    """A loaded organisation and the warnings and notes (level INFO: files not read)
    met on the way; errors raise."""

    org: Organization
    warnings: list[Diagnostic] = field(default_factory=list)
    files: int = 0


def load(
    goals_dir: Path | str,
    *,
    include_private: bool = False,
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
    display_base: Path | str | None = None,
    cache: ParseCache | None = None,
) -> LoadResult:
    """Load, validate and resolve every goal file under ``goals_dir``.

    Paths in messages are shown relative to ``display_base`` (default: the parent
    of ``goals_dir``, so they read ``goals/2026-Q3/product.yaml``).
    Raises :class:`DataError` with every error found.

    ``cache``: parsed files kept from an earlier load of the same folder by the
    caller (the MkDocs plugin keeps one for `mkdocs serve`); without one every file
    is read afresh and nothing is kept.
    """
    with gc_paused():
        return _load(Path(goals_dir), include_private, fiscal_year_start, display_base, cache)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of the block.

    Reading a goal folder allocates millions of small objects that all stay alive
    (values, models, the graph). Every few hundred allocations the collector wakes up
    and, as generations fill, rescans everything alive so far: at 10,000 goals that
    was 40% of a first load and 70% of a reload from the file cache. Nothing here
    needs a cycle collected before the load ends, so collection resumes afterwards
    as usual, and its next pass finds the garbage, if any.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(
    goals_dir: Path,
    include_private: bool,
    fiscal_year_start: int,
    display_base: Path | str | None,
    cache: ParseCache | None,
) -> LoadResult:
    base = Path(display_base) if display_base is not None else goals_dir.parent
    diags: list[Diagnostic] = []
    parsed: list[ParsedFile] = []
    failed: list[FailedFile] = []
    # Paths as shown in messages: relative to base when under it. String work, not
    # Path.relative_to: this runs for every file (4,000 at 10,000 goals).
    prefix = base.as_posix().rstrip("/") + "/"

    def shown_path(path: Path) -> str:
        posix = path.as_posix()
        return posix[len(prefix) :] if posix.startswith(prefix) else posix

    found = survey(goals_dir, shown_path)
    if found.too_big:
        raise DataError(found.refused)
    files = found.files
    for refusal in found.refused:  # unread: it could have held anything
        diags.append(refusal)
        failed.append(FailedFile([refusal]))
    read: set[tuple[str, str]] = set()
    for path in files:
        shown = shown_path(path)
        if cache is None:
            result = read_goal_file(path, shown)
        else:
            result = cache.read(path, shown)
            read.add((str(path), shown))
        if isinstance(result, ParsedFile):
            parsed.append(result)
        else:
            diags.extend(result.diagnostics)
            failed.append(result)
    if cache is not None:
        cache.retain(read)
    builder = _Builder(goals_dir, base, include_private, fiscal_year_start, diags)
    builder.note_failed(failed)
    org = builder.build(parsed)
    # Nothing in the goals folder is passed over in silence (a 'lena.txt' meant as
    # goals, a backup 'lena.yaml.bak'); history files read for a KPI are data.
    for path in found.others:
        if resolved(path) not in builder.history_files:
            diags.append(
                Diagnostic(
                    shown_path(path),
                    1,
                    "not read: only .yaml and .yml files are goal files (a CSV file is "
                    "read when a KPI's 'history_file' names it)",
                    INFO,
                )
            )
    errors = [d for d in diags if d.level not in (WARNING, INFO)]
    if errors or org is None:
        raise DataError(errors)
    notes = sorted(d for d in diags if d.level in (WARNING, INFO))
    return LoadResult(org, notes, len(files))


class _Builder:
    """Turns validated files into linked objects, checking every reference."""

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
        self.broken: set[str] = set()
        self.team_cycle = False
        self.private = 0
        self.private_unlinked = 0
        self.private_by_period: dict[str, int] = {}
        self.shown_periods: set[str] = set()  # periods of OKRs or of goals the site shows
        self.history_files: set[Path] = set()  # CSV files read, resolved
        # Where each 'parent' and 'aligns_to' is written: cycles are reported there.
        self.parent_src: dict[str, Where] = {}
        self.align_src: dict[int, Where] = {}

    def error(self, src: Where, message: str) -> None:
        self.diags.append(Diagnostic(src.path, src.line, message))

    def _duplicate(self, src: Source, what: str, ident: str, where: str, first: Source) -> None:
        # Top-level ids are unique across the organisation; nested ones within a scope.
        fix = f"{what} ids must be unique" if not where else "rename one"
        shown = ident if ident.startswith("(") else f"'{ident}'"
        self.error(src, f"duplicate {what} id {shown}{where} (first at {first}): {fix}")

    def note_failed(self, failed: list[FailedFile]) -> None:
        """Remember what broken files were about: a reference into one of them is not
        reported again (its file's own error is the one to fix)."""
        self.broken: set[str] = set()
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

    def build(self, parsed: list[ParsedFile]) -> Organization | None:
        by_kind: dict[str, list[ParsedFile]] = {k: [] for k in schema.KINDS}
        for item in parsed:
            by_kind[item.kind].append(item)
        name = self._org(by_kind["org"])
        self._kpis(by_kind["kpis"])
        okrs = [self._okr_file(p) for p in by_kind["okrs"]]
        for pending in okrs:
            self._align(pending)
        self._alignment_cycles()
        for p in by_kind["goals"]:
            self._goal_file(p)
        root = self._root(by_kind["org"])
        if root is None or name is None:
            return None
        # A period only private goals name gets no page: its name would tell of them.
        self.periods = {k: p for k, p in self.periods.items() if k in self.shown_periods}
        return Organization(
            name,
            root,
            self.teams,
            self.people,
            self.kpis,
            self.periods,
            self.objectives,
            self.goals,
            self.private,
            self.private_unlinked,
            self.private_by_period,
        )

    # -- organisation -------------------------------------------------------
    def _org(self, files: list[ParsedFile]) -> str | None:
        name: str | None = None
        name_src: Source | None = None
        raw_teams: list[tuple[schema.Team, Source, _KeySources]] = []
        raw_people: list[tuple[schema.Person, Source, _KeySources]] = []
        for p in files:
            m: schema.OrgFile = p.model
            if m.organization is not None:
                src = Source(p.path, p.doc.line(("organization",)))
                if name_src is not None:
                    self.error(
                        src,
                        f"'organization' is given twice (also at {name_src}): "
                        "give the company's name once",
                    )
                else:
                    name, name_src = m.organization, src
            for i, t in enumerate(m.teams):
                at = _KeySources(p, ("teams", i))
                raw_teams.append((t, at.item, at))
            for i, person in enumerate(m.people):
                at = _KeySources(p, ("people", i))
                raw_people.append((person, at.item, at))
        if not files:
            if not self.broken & {"org", "*"}:  # else the broken file's error says it
                self.diags.append(
                    Diagnostic(
                        self._shown_dir(),
                        1,
                        "no organisation file found: add an org.yaml with "
                        "'organization', 'teams' and 'people' (see the file format)",
                    )
                )
            return None
        if name is None:
            self.diags.append(
                Diagnostic(
                    files[0].path,
                    1,
                    "missing required key 'organization': add 'organization: <company name>' once",
                )
            )
        for t, src, at in raw_teams:
            if t.id in self.teams:
                self._duplicate(src, "team", t.id, "", self.teams[t.id].source)
                continue
            waive = self._waive(t.waive, at)
            self.teams[t.id] = Team(t.id, t.name, src, waive=waive)
        for person, src, at in raw_people:
            if person.id in self.people:
                self._duplicate(src, "person", person.id, "", self.people[person.id].source)
                continue
            team = self._team(person.team, at("team"), "team", f" of person '{person.id}'")
            if team is None:
                continue
            obj = Person(person.id, person.name, team, src, waive=self._waive(person.waive, at))
            self.people[person.id] = obj
            team.members.append(obj)
        for t, src, at in raw_teams:
            team = self.teams.get(t.id)
            if team is None or team.source != src:
                continue
            if t.parent is not None:
                self.parent_src[t.id] = at("parent")
                team.parent = self._team(t.parent, at("parent"), "parent", f" of team '{t.id}'")
                if team.parent is not None:
                    team.parent.children.append(team)
            if t.lead is not None:
                team.lead = self._person(t.lead, at("lead"), "lead", f" of team '{t.id}'")
        self._team_cycles()
        return name

    def _waive(
        self, waive: dict[str, str], at: _KeySources, private: bool = False
    ) -> dict[str, str]:
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

    def _shown_dir(self) -> str:
        try:
            return self.goals_dir.relative_to(self.base).as_posix() or "."
        except ValueError:
            return self.goals_dir.as_posix()

    def _team_cycles(self) -> None:
        done: set[str] = set()
        for team in self.teams.values():
            trail: list[Team] = []
            on_trail: set[str] = set()
            node: Team | None = team
            while node is not None and node.id not in done:
                if node.id in on_trail:
                    cycle = [*trail[trail.index(node) :], node]
                    self.team_cycle = True
                    self.error(
                        self.parent_src.get(node.id, node.source),
                        "team cycle: "
                        + " -> ".join(t.id for t in cycle)
                        + " (each 'parent' leads back here): one of them must have "
                        "another parent, or none if it is the company",
                    )
                    for t in cycle:  # break it so later walks end
                        if t.parent is not None and t in t.parent.children:
                            t.parent.children.remove(t)
                        t.parent = None if t is node else t.parent
                    break
                trail.append(node)
                on_trail.add(node.id)
                node = node.parent
            done.update(on_trail)

    def _root(self, files: list[ParsedFile]) -> Team | None:
        if not files:
            return None
        roots = [t for t in self.teams.values() if t.parent is None]
        if not self.teams:
            self.diags.append(
                Diagnostic(
                    files[0].path,
                    1,
                    "no teams: add a 'teams' list "
                    "with at least the company itself (a team with no parent)",
                )
            )
            return None
        if len(roots) > 1 and self.team_cycle:
            return None  # breaking the cycle made the extra root: the cycle is the error
        if len(roots) > 1:
            names = ", ".join(f"'{t.id}' ({t.source})" for t in roots)
            self.error(
                roots[1].source,
                f"{len(roots)} teams have no parent: {names}; exactly "
                "one team (the company) is the root: give the others a 'parent'",
            )
            return None
        return roots[0] if roots else None

    # -- lookups with did-you-mean -----------------------------------------
    def _team(self, ident: str, src: Where, key: str, what: str) -> Team | None:
        team = self.teams.get(ident)
        if team is None and not self.broken & {"org", "*"}:
            self.error(
                src,
                f"'{key}'{what} names team '{ident}', which does not exist"
                + did_you_mean(ident, self.teams),
            )
        return team

    def _person(self, ident: str, src: Where, key: str, what: str) -> Person | None:
        person = self.people.get(ident)
        if person is None and not self.broken & {"org", "*"}:
            hint = did_you_mean(ident, self.people) or ": add them to 'people' in org.yaml"
            self.error(src, f"'{key}'{what} names person '{ident}', who does not exist{hint}")
        return person

    def _period(self, name: str, src: Source) -> Period | None:
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

    # -- KPIs ----------------------------------------------------------------
    def _kpis(self, files: list[ParsedFile]) -> None:
        for p in files:
            for i, k in enumerate(p.model.kpis):
                at = _KeySources(p, ("kpis", i))
                src = at.item
                if k.id in self.kpis:
                    self._duplicate(src, "KPI", k.id, "", self.kpis[k.id].source)
                    continue
                owner: Team | Person | None = None
                if k.owner is not None:
                    owner = self.teams.get(k.owner) or self.people.get(k.owner)
                    if owner is None:
                        self.error(
                            at("owner"),
                            f"'owner' of KPI '{k.id}' names '{k.owner}', which is "
                            "neither a team nor a person"
                            + did_you_mean(k.owner, [*self.teams, *self.people]),
                        )
                points = [Checkin(h.date, h.value) for h in k.history]
                if k.history_file:
                    points += self._csv_history(p, k.history_file, at("history_file"), k.id)
                history = sorted(points, key=lambda c: c.date)
                self.kpis[k.id] = Kpi(
                    k.id,
                    k.name,
                    k.direction,
                    src,
                    k.description,
                    k.unit,
                    k.alert,
                    owner,
                    history,
                    update_every=k.update_every,
                    waive=self._waive(k.waive, at),
                )

    # -- OKRs ------------------------------------------------------------------
    def _okr_file(self, p: ParsedFile) -> list[tuple[Objective, schema.Objective, Source]]:
        m: schema.OkrFile = p.model
        pending: list[tuple[Objective, schema.Objective, _KeySources]] = []
        period = self._period(m.period, Source(p.path, p.doc.line(("period",))))
        team = self._team(
            m.team, Source(p.path, p.doc.line(("team",))), "team", " of this OKR file"
        )
        if period is None or team is None:
            return pending
        self.shown_periods.add(period.key)
        for i, o in enumerate(m.objectives):
            at = _KeySources(p, ("objectives", i))
            src = at.item
            key = f"{period.key}/{team.id}/{o.id}"
            if key in self.objectives:
                where = f" for team '{team.id}' in {period.key}"
                self._duplicate(src, "objective", o.id, where, self.objectives[key].source)
                continue
            owner = self._person(o.owner, at("owner"), "owner", f" of objective '{o.id}'")
            if owner is None:
                self.broken.add(key)  # references to it need no error of their own
                continue
            obj = Objective(o.id, o.title, period, team, owner, src, o.description, o.aligns_to)
            obj.waive = self._waive(o.waive, at)
            owner.objectives.append(obj)
            seen: dict[str, Source] = {}
            for j, k in enumerate(o.key_results):
                kat = _KeySources(p, ("objectives", i, "key_results", j))
                ksrc = kat.item
                if k.id in seen:
                    where = f" in objective '{o.id}'"
                    self._duplicate(ksrc, "key result", k.id, where, seen[k.id])
                    continue
                seen[k.id] = ksrc
                kr = KeyResult(
                    k.id,
                    k.title,
                    k.baseline,
                    k.target,
                    obj,
                    ksrc,
                    unit=k.unit,
                    weight=k.weight,
                    checkins=_checkins(k.checkins),
                    revisions=sorted(
                        (Revision(r.date, r.old_target, r.reason) for r in k.revisions),
                        key=_BY_DATE,
                    ),
                )
                kr.waive = self._waive(k.waive, kat)
                kr.owner = (
                    self._person(k.owner, kat("owner"), "owner", f" of key result '{k.id}'")
                    if k.owner
                    else owner
                )
                if kr.owner is not None and kr.owner is not owner:
                    kr.owner.key_results.append(kr)
                if k.kpi is not None:
                    kr.kpi = self.kpis.get(k.kpi)
                    if kr.kpi is None:
                        if not self.broken & {"kpis", "*"}:
                            self.error(
                                kat("kpi"),
                                f"'kpi' of key result '{k.id}' names KPI '{k.kpi}', "
                                "which does not exist" + did_you_mean(k.kpi, self.kpis),
                            )
                    else:
                        kr.kpi.key_results.append(kr)
                        if kr.unit is None:
                            kr.unit = kr.kpi.unit
                obj.key_results.append(kr)
            self.objectives[key] = obj
            team.objectives.append(obj)
            pending.append((obj, o, at))
        return pending

    def resolve(
        self,
        ref: str,
        period: Period,
        src: Where,
        key: str,
        what: str,
        *,
        private: bool = False,
    ) -> Objective | KeyResult | None:
        """Resolve ``team/objective[/kr]`` (optionally period-prefixed) or report why not.
        For a ``private`` goal the message names neither the reference nor its parts."""
        parts = ref.split("/")
        readings: list[tuple[str, list[str]]] = []
        if PERIOD_RE.match(parts[0]) and len(parts) in (3, 4):
            readings.append((parts[0], parts[1:]))
        if len(parts) in (2, 3):
            readings.append((period.key, parts))
        problems = []
        in_broken_file = False
        for period_key, rest in readings:
            found, problem = self._lookup(period_key, rest)
            if found is not None:
                return found
            scopes = {
                f"{period_key}/{rest[0]}",
                f"{period_key}/{rest[0]}/{rest[1]}",
                f"*/{rest[0]}",
                "*",
            }
            in_broken_file |= bool(self.broken & scopes)
            problems.append(problem)
        if in_broken_file:
            return None  # it may be in a file whose own error is already reported
        if private:
            self.error(
                src,
                f"'{key}'{what} points to no key result that exists (reference not shown: "
                "private goal): check its period, team, objective and key result ids",
            )
        else:
            self.error(src, f"'{key}'{what} points to '{ref}': {problems[0]}")
        return None

    def _lookup(self, period_key: str, rest: list[str]) -> tuple[Any, str]:
        team_id, obj_id = rest[0], rest[1]
        if period_key not in self.periods:
            return None, (
                f"there are no OKRs for period {period_key}"
                + did_you_mean(period_key, self.periods)
            )
        if team_id not in self.teams:
            return None, f"there is no team '{team_id}'" + did_you_mean(team_id, self.teams)
        obj = self.objectives.get(f"{period_key}/{team_id}/{obj_id}")
        if obj is None:
            same = [o.id for o in self.teams[team_id].objectives if o.period.key == period_key]
            elsewhere = [o.period.key for o in self.teams[team_id].objectives if o.id == obj_id]
            hint = did_you_mean(obj_id, same)
            if not hint and elsewhere:
                hint = (
                    f"; it exists in {elsewhere[0]}: write "
                    f"'{elsewhere[0]}/{team_id}/{'/'.join(rest[1:])}'"
                )
            return None, (f"team '{team_id}' has no objective '{obj_id}' in {period_key}" + hint)
        if len(rest) == 2:
            return obj, ""
        kr = next((k for k in obj.key_results if k.id == rest[2]), None)
        if kr is None:
            return None, (
                f"objective '{team_id}/{obj_id}' has no key result '{rest[2]}'"
                + did_you_mean(rest[2], [k.id for k in obj.key_results])
            )
        return kr, ""

    def _align(self, pending: list[tuple[Objective, schema.Objective, _KeySources]]) -> None:
        for obj, raw, at in pending:
            if raw.continues is not None:
                self._continues(obj, raw.continues, at("continues"))
            ref = raw.aligns_to
            if ref is None:
                continue
            src = self.align_src[id(obj)] = at("aligns_to")
            parent = self.resolve(ref, obj.period, src, "aligns_to", f" of objective '{obj.id}'")
            if parent is None:
                continue
            if parent is obj or (isinstance(parent, KeyResult) and parent.objective is obj):
                self.error(
                    src,
                    f"objective '{obj.id}' aligns to itself ('{ref}'): align it "
                    "to an objective or key result of a parent team",
                )
                continue
            obj.parent = parent
            parent.aligned.append(obj)

    def _continues(self, obj: Objective, ref: str, src: Where) -> None:
        earlier = self.resolve(ref, obj.period, src, "continues", f" of objective '{obj.id}'")
        if earlier is None:
            return
        if isinstance(earlier, KeyResult) or earlier.period.start >= obj.period.start:
            self.error(
                src,
                f"'continues' of objective '{obj.id}' must name the same "
                f"objective in an earlier period (period/team/objective), got '{ref}'",
            )
            return
        obj.continues = earlier
        earlier.continued_by.append(obj)

    def _csv_history(self, p: ParsedFile, name: str, src: Where, kpi_id: str) -> list[Checkin]:
        """Rows of a ``date,value`` CSV file inside the goals folder, named relative to
        the YAML file. The goals folder is a jail: an absolute path, a '..' out of it
        or a link out of it is refused at the 'history_file' line, unread."""
        where = f"'history_file' of KPI '{kpi_id}'"
        jail = self.goals_dir.resolve()
        path = resolved(p.file.parent / name)
        if Path(name).is_absolute() or path is None or not path.is_relative_to(jail):
            self.error(
                src,
                f"{where} names {show(name)}, outside the goals folder: okrsite reads no "
                "file outside it; put the CSV file in the goals folder and name it "
                "relative to this YAML file",
            )
            return []
        # Only a visible .csv file: not a goal file, not '.env' or another hidden file
        # (a bad row's cell is quoted in messages).
        hidden = any(part.startswith(".") and part != ".." for part in Path(name).parts)
        csv_named = name.lower().endswith(".csv") and path.name.lower().endswith(".csv")
        if hidden or not csv_named or path.name.startswith("."):  # (path: a link's target)
            self.error(
                src,
                f"{where} names {show(name)}: a history file is a visible .csv file of "
                "'date,value' rows in the goals folder; name one",
            )
            return []
        try:
            info = path.stat()
        except OSError:
            info = None
        if info is None:
            self.error(
                src,
                f"{where} names {show(name)}, which does not exist next to {p.path}: give "
                "a path relative to the YAML file",
            )
            return []
        self.history_files.add(path)
        shown = (Path(p.path).parent / name).as_posix()  # escaped by Diagnostic
        if not stat.S_ISREG(info.st_mode):
            self.error(
                src, f"{where} names {show(name)}, which is not a regular file: name a .csv file"
            )
            return []
        if info.st_size > MAX_FILE_BYTES:
            self.error(
                src,
                f"{where}: {shown} is {info.st_size:,} bytes, over okrsite's limit of "
                f"{MAX_FILE_BYTES:,} bytes for one file: keep fewer rows (weekly, not "
                "hourly) or split the history",
            )
            return []
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.error(Source(shown, 1), "not UTF-8 text: save the CSV file with UTF-8 encoding")
            return []
        except OSError:
            self.error(src, f"{where} names {show(name)}, which cannot be read: name a .csv file")
            return []
        points = []
        # newline="": line breaks inside quoted cells are the csv module's business,
        # and a U+2028 in a cell splits no row (str.splitlines() would).
        reader = csv.reader(io.StringIO(text, newline=""))
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                self.error(
                    Source(shown, reader.line_num),
                    "cannot read this CSV row (an unclosed quote or an oversized cell): "
                    "write 'date,value' rows",
                )
                break
            number = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            if number == 1 and cells[0].lower() == "date":
                continue  # a header row
            if len(cells) != 2:
                self.error(  # the row itself is not echoed: only the cell in question
                    Source(shown, number),
                    f"expected 2 columns 'date,value', got {len(cells)}: write one "
                    "'YYYY-MM-DD,number' row a line",
                )
                continue
            try:
                day = dt.date.fromisoformat(cells[0])
            except ValueError:
                self.error(
                    Source(shown, number),
                    f"bad date {show(cells[0])}: write an ISO date YYYY-MM-DD, e.g. 2026-08-15",
                )
                continue
            try:
                value = float(cells[1].replace(",", "").rstrip("%"))
                if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                    raise ValueError
            except ValueError:
                self.error(
                    Source(shown, number),
                    f"bad value {show(cells[1])}: write a number {NUMBER_RANGE}, e.g. 4.2",
                )
                continue
            points.append(Checkin(day, value))
        return points

    def _alignment_cycles(self) -> None:
        done: set[int] = set()
        for start in self.objectives.values():
            trail: list[Objective] = []
            on_trail: set[int] = set()
            node: Objective | None = start
            while node is not None and id(node) not in done:
                if id(node) in on_trail:
                    cycle = [*trail[trail.index(node) :], node]
                    self.error(
                        self.align_src.get(id(node), node.source),
                        "alignment cycle: "
                        + " -> ".join(f"{o.team.id}/{o.id}" for o in cycle)
                        + " (each 'aligns_to' leads back here): align one of them to "
                        "something higher up instead",
                    )
                    _detach(node)
                    break
                trail.append(node)
                on_trail.add(id(node))
                node = parent_objective(node)
            done.update(on_trail)

    # -- SMART goals -----------------------------------------------------------
    def _goal_file(self, p: ParsedFile) -> None:
        m: schema.GoalFile = p.model
        period = self._period(m.period, Source(p.path, p.doc.line(("period",))))
        owner = self._person(
            m.owner, Source(p.path, p.doc.line(("owner",))), "owner", " of this goal file"
        )
        if period is None or owner is None:
            return
        for i, g in enumerate(m.goals):
            at = _KeySources(p, ("goals", i))
            src = at.item
            key = f"{period.key}/{owner.id}/{g.id}"
            # A private goal's id, title and values stay out of every message.
            private = g.visibility == "private"
            if key in self.goal_sources:
                where = f" for '{owner.id}' in {period.key}"
                shown_id = "(not shown: private goal)" if private else g.id
                self._duplicate(src, "goal", shown_id, where, self.goal_sources[key])
                continue
            supports = None
            if g.supports is not None:
                what = f" of private goal #{i + 1}" if private else f" of goal '{g.id}'"
                supports = self.resolve(
                    g.supports, period, at("supports"), "supports", what, private=private
                )
            goal = Goal(
                g.id,
                g.title,
                period,
                owner,
                src,
                supports,
                g.metric,
                g.baseline,
                g.target,
                g.unit,
                g.due,
                g.achievable,
                g.status,
                g.visibility == "private",
                _checkins(g.checkins),
            )
            goal.waive = self._waive(g.waive, at, private)
            self.goal_sources[key] = src
            if goal.private and not self.include_private:
                # The public principle: from here on a private goal is only a number.
                self.private += 1
                self.private_by_period[period.key] = self.private_by_period.get(period.key, 0) + 1
                if supports is None:
                    self.private_unlinked += 1
                else:
                    supports.private_goals += 1
                continue
            self.goals[key] = goal
            self.shown_periods.add(period.key)
            owner.goals.append(goal)
            if supports is not None:
                supports.goals.append(goal)


def _checkins(raw: list[schema.Checkin]) -> list[Checkin]:
    # Oldest first; on the same date the later one in the file is the newer (the sort
    # is stable). 130,000 of them at 10,000 goals: a list and an attrgetter, no lambda.
    out = [Checkin(c.date, c.value, c.confidence, c.note) for c in raw]
    out.sort(key=_BY_DATE)
    return out


_BY_DATE = operator.attrgetter("date")


def _detach(obj: Objective) -> None:
    if obj.parent is not None and obj in obj.parent.aligned:
        obj.parent.aligned.remove(obj)
    obj.parent = None


class _KeySources:
    """Where the keys of one item (a team, a KPI, an objective...) are written: a
    reference error is reported at the line of the key that holds it (``owner: ruy``),
    not at the item's first line."""

    __slots__ = ("file", "item", "loc")

    def __init__(self, file: ParsedFile, loc: tuple[Any, ...]):
        self.file = file
        self.loc = loc
        self.item = Source(file.path, file.doc.line(loc))

    def __call__(self, *keys: str) -> _KeySource:
        return _KeySource(self, keys)


class _KeySource:
    """The place of one key, looked up only when a message needs it: most references
    resolve, and a load makes tens of thousands of them."""

    __slots__ = ("item", "keys")

    def __init__(self, item: _KeySources, keys: tuple[str, ...]):
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


Where = Source | _KeySource  # where a message points
