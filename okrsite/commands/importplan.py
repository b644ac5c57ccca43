"""What the rows of an import sheet make, row by row: the teams, people and KPIs they
name (matched to the site's, or added), and the objectives, key results, check-ins
and goals of each file (the goals: :mod:`okrsite.commands.importgoals`).

A row is taken whole or not at all: everything that can refuse it (a name that
matches two people, an unknown team with ``--unknown refuse``, a check-in date outside
its period, a kr_id row that contradicts its key result) is checked before anything
of it is added.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from okrsite.commands.importgoals import Goals, add_goal, goal_checked
from okrsite.commands.importmatch import Known, Site, fold
from okrsite.commands.importrows import KR_CELLS, Row, RowError, show_cell
from okrsite.commands.orgedit import Item
from okrsite.commands.yamlwrite import DEVICE_NAMES, Flow, Ids, name_key
from okrsite.model.periods import Period, parse_period
from okrsite.source.fileformat import EMAIL_PATTERN

_COMPANY = "company"  # the root team of an organisation file import starts
_NOTES = 20  # near misses listed; the rest are counted
_EMAIL = re.compile(EMAIL_PATTERN)


def checkin_day(period: Period, given: date | None, today: date) -> date:
    """The date of a row's check-in: its date cell (inside the period, not after
    today), else today while the period runs, else the period's last day once it has
    ended. RowError for a period that has not started (a check-in cannot be in the
    future) and for a date cell outside those bounds."""
    if given is not None:
        if not period.contains(given):
            raise RowError(
                f"date {given.isoformat()} is outside {period.key} ({period.start.isoformat()} "
                f"to {period.end.isoformat()}): a check-in is dated inside its period"
            )
        if given > today:
            raise RowError(
                f"date {given.isoformat()} is after today ({today.isoformat()}): a check-in "
                "records a value measured already"
            )
        return given
    if today < period.start:
        raise RowError(
            f"{period.key} starts on {period.start.isoformat()}, after today "
            f"({today.isoformat()}): current would be a check-in in the future; clear "
            "current (and import it once the period has started)"
        )
    return min(today, period.end)


class Planned:
    """The rows read so far: what they add to the site and each file's items, in the
    order of the sheet."""

    def __init__(self, site: Site, today: date, add_unknown: bool, fiscal_year_start: int):
        self.site, self.today, self.add_unknown = site, today, add_unknown
        self.fiscal_year_start = fiscal_year_start
        self.root = site.root or _COMPANY
        self.team_ids = Ids("team", DEVICE_NAMES | set(site.teams.names))  # file names
        self.person_ids = Ids("person", DEVICE_NAMES | set(site.people.names))
        self.kpi_ids = Ids("kpi", set(site.kpis.names))
        self.new_teams: list[Item] = []
        self._new_team_at: dict[str, int] = {}  # id -> index in new_teams
        # a team this import adds -> the team_parent cell and row that set its parent
        self._parent_given: dict[str, tuple[str, str]] = {}
        self.new_people: list[Item] = []
        self._new_person_at: dict[str, int] = {}  # id -> index in new_people
        self.new_kpis: list[Item] = []
        # (period, team id) -> the objectives by id (each with its key results)
        self.okrs: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.objective_ids: dict[tuple[str, str], Ids] = {}
        self.goals: Goals = {}  # (period, person id) -> the goals' ids and the goals
        self.counts = dict.fromkeys(("objectives", "key_results", "checkins", "goals"), 0)
        self._notes: list[str] = []
        self._near_misses = 0  # notes of near misses, listed or not

    def take_notes(self) -> list[str]:
        """The notes of the row just added (near misses of names), once."""
        notes, self._notes = self._notes, []
        return notes

    def notes_left(self) -> list[str]:
        """The note for the near misses past the first _NOTES (a sheet of numbered
        names would have one a row), or none."""
        more = self._near_misses - _NOTES
        if more <= 0:
            return []
        return [
            f"and {more:,} more near misses (names added that are close to a name above): "
            "check the teams, people and KPIs added below"
        ]

    # --- names: looked up first (nothing changes), added once the row is accepted ---

    def _find(self, known: Known, column: str, cell: str, *, may_add: bool) -> str | None:
        found = known.find(cell)
        if found is None and known.kind == "team" and fold(cell) == _COMPANY:
            found = self.site.root  # 'Company' names the company, whatever its id
        if found is None and not may_add:
            fix = (
                f"add {{id: ..., name: {cell}}} to goals/org.yaml"
                if known.kind != "KPI"
                else "add it to goals/kpis.yaml"
            )
            raise RowError(
                f"{column} {show_cell(cell)} is no {known.kind} of this site"
                f"{known.near(cell)}: {fix} or use --unknown add"
            )
        return found

    def _add(self, known: Known, column: str, cell: str, extra: Item) -> str:
        """The id of the new one ``cell`` names (added on its first row)."""
        found = known.find(cell)
        if found is not None:
            return found
        near = known.near(cell)
        ids = {"team": self.team_ids, "person": self.person_ids, "KPI": self.kpi_ids}[known.kind]
        email = cell if known.kind == "person" and _EMAIL.fullmatch(cell) else None
        name = cell.split("@", 1)[0] if email else cell
        # a fresh id, never one looked up by name: known.find said no entry has this
        # name or email (two emails may share a name: j.smith@acme.com, j.smith@acme.co.uk)
        ident = ids.new(name)
        known.add(ident, name, email, new=True)
        item: Item = [("id", ident), ("name", name), *extra]
        if email:
            item.append(("email", email))
        if known.kind == "person":
            self._new_person_at[ident] = len(self.new_people)
        elif known.kind == "team":
            self._new_team_at[ident] = len(self.new_teams)
        {"team": self.new_teams, "person": self.new_people, "KPI": self.new_kpis}[
            known.kind
        ].append(item)
        if near:
            self._near_misses += 1
            if self._near_misses <= _NOTES:
                self._notes.append(f"{column} {show_cell(cell)} was added as {ident}{near}")
        return ident

    def _parent_of(self, team: str) -> str | None:
        at = self._new_team_at.get(team)
        if at is None:
            return self.site.team_parents.get(team)
        return dict(self.new_teams[at]).get("parent")

    def _check_parent(self, team: str | None, parent_id: str | None, read: Row) -> None:
        """RowError when the row's team_parent cannot be its team's parent: a team this
        import added has one from a row above already, or it is the team itself or a
        team below it. (A team of the site keeps its parent: :meth:`add` notes it.)"""
        cell, team_cell = read.texts["team_parent"], read.texts["team"]
        if team is None:  # a new team: below whatever parent, unless it is that one
            if parent_id is None and fold(cell) == fold(team_cell):
                raise RowError(_under_itself(cell, team_cell))
            return
        if team not in self._new_team_at or team == self.root:
            return
        given = self._parent_given.get(team)
        if given is not None:
            if parent_id is None or parent_id != self._parent_of(team):
                raise RowError(
                    f"team_parent {show_cell(cell)} differs from {show_cell(given[0])}, the "
                    f"team_parent {given[1]} gave team {team}: a team has one parent; write "
                    "the same one (or leave it blank)"
                )
            return
        above, seen = parent_id, set()
        while above is not None and above not in seen:
            if above == team:
                raise RowError(_under_itself(cell, team_cell))
            seen.add(above)
            above = self._parent_of(above)

    def _place(self, team: str, parent_id: str, cell: str, row_at: str) -> None:
        """A team this import added gets the team_parent of the first row giving one
        (until then it was under the company), as if that row came first."""
        at = self._new_team_at.get(team)
        if at is None or team == self.root or team in self._parent_given:
            return
        self.new_teams[at] = [
            ("parent", parent_id) if k == "parent" else (k, v) for k, v in self.new_teams[at]
        ]
        self._parent_given[team] = (cell, row_at)

    def _out_of_root(self, person: str, team: str) -> None:
        """A person this import adds went into the team of the first row naming them;
        when that was the company's (a head of a team owning a company key result, say)
        and a row of a team below it names them too, they belong to that team."""
        index = self._new_person_at.get(person)
        if index is not None and ("team", self.root) in self.new_people[index]:
            self.new_people[index] = [
                ("team", team) if pair == ("team", self.root) else pair
                for pair in self.new_people[index]
            ]

    def add(self, read: Row, row_at: str) -> None:
        """Add one checked row: its team, people, KPI, objective, key result, check-in
        and goal; RowError (and nothing added) when it cannot be."""
        row, numbers = read.texts, read.numbers
        period = parse_period(read.period, self.fiscal_year_start)
        assert period is not None  # read_row checked it
        day = checkin_day(period, read.day, self.today) if "current" in numbers else None
        site, adding = self.site, self.add_unknown
        team = self._find(site.teams, "team", row["team"], may_add=adding)
        parent = row.get("team_parent")
        parent_id = None
        if parent:
            parent_id = self._find(site.teams, "team_parent", parent, may_add=adding)
            self._check_parent(team, parent_id, read)
        people = {
            column: self._find(site.people, column, row[column], may_add=adding)
            for column in ("owner", "kr_owner", "goal_owner")
            if row.get(column)
        }
        kpi = site.kpis.find(row["kpi"]) if row.get("kpi") else None
        obj = self._objective(read, team)
        kr = self._continued(read, obj, kpi, people)
        goal_id = goal_checked(self.goals, read, people)
        # accepted: add what it names, then its items
        if parent and parent_id is None:
            parent_id = self._add(site.teams, "team_parent", parent, [("parent", self.root)])
        if team is None:
            up = parent_id if parent_id is not None else self.root
            team = self._add(site.teams, "team", row["team"], [("parent", up)])
            if team == self.root:  # the company itself: the root has no parent
                self.new_teams[-1] = [(k, v) for k, v in self.new_teams[-1] if k != "parent"]
            elif parent_id is not None:
                self._parent_given[team] = (parent or "", row_at)
        elif team in self._new_team_at:
            if parent_id is not None:
                self._place(team, parent_id, parent or "", row_at)
        elif parent_id is not None and site.team_parents.get(team, parent_id) != parent_id:
            self._notes.append(
                f"team {team} has the parent {site.team_parents[team]} in the organisation "
                f"file already: team_parent {show_cell(parent or '')} is not used"
            )
        for column, found in people.items():
            if found is None:
                people[column] = self._add(site.people, column, row[column], [("team", team)])
            elif team != self.root:
                self._out_of_root(found, team)
        if row.get("kpi") and kpi is None:
            base, target = numbers["baseline"][0], numbers["target"][0]
            unit = _unit(read)
            # a target below the baseline: lower is better
            extra = [("unit", unit), ("direction", "down" if target < base else "up")]
            kpi = self._add(site.kpis, "kpi", row["kpi"], extra)
        if obj is None:
            obj = self._new_objective(read, team, people["owner"])
        if kr is None:
            kr = self._new_kr(read, obj, kpi, people.get("kr_owner"), row_at)
        if day is not None:
            value = numbers["current"][0]
            if read.day is None:  # undated: the day this value was imported on before
                key = (read.period, team, obj["id"], kr["id"])
                earlier = self.site.checkin_days.get(key, {}).get(value)
                if earlier is not None and period.contains(earlier) and earlier <= day:
                    day = earlier
            checkin = [("date", day), ("value", value)]
            if "confidence" in numbers:
                checkin.append(("confidence", numbers["confidence"][0]))
            kr["checkins"].append(Flow(checkin))
            self.counts["checkins"] += 1
        if goal_id is not None:
            owner = people.get("goal_owner") or people["owner"]
            assert owner is not None  # added above when the site did not know them
            add_goal(self.goals, read, goal_id, owner, f"{team}/{obj['id']}/{kr['id']}")
            self.counts["goals"] += 1

    # --- objectives and key results ---------------------------------------------

    def _objective(self, read: Row, team: str | None) -> dict[str, Any] | None:
        """The objective read above that this row continues, or None for a new one."""
        if team is None:
            return None
        objectives = self.okrs.get((read.period, team), {})
        ident = read.texts.get("objective_id") or None
        if ident is None:
            ids = self.objective_ids.get((read.period, team))
            ident = ids.by_name.get(name_key(read.texts["objective"])) if ids else None
        obj = objectives.get(ident) if ident else None
        if obj is not None and obj["title"] != read.texts["objective"]:
            if not read.texts.get("objective_id"):
                raise RowError(
                    f"objective {show_cell(read.texts['objective'])} is the objective "
                    f"{show_cell(obj['title'])} above written otherwise: write the same "
                    "title (or give each an objective_id)"
                )
            raise RowError(
                f"objective_id {ident} is the objective {show_cell(obj['title'])} above: "
                "write the same title (or another objective_id)"
            )
        return obj

    def _new_objective(self, read: Row, team: str, owner: str | None) -> dict[str, Any]:
        key = (read.period, team)
        ids = self.objective_ids.setdefault(key, Ids("objective"))
        title = read.texts["objective"]
        given = read.texts.get("objective_id")
        if given:
            ids.taken.add(given)
            ids.by_name.setdefault(name_key(title), given)
        ident = given or ids(title)
        obj: dict[str, Any] = {
            "id": ident,
            "title": title,
            "owner": owner,
            "aligns_to": read.texts.get("aligns_to") or None,
            "krs": [],
            "kr_ids": Ids("kr"),
            "by_id": {},
        }
        self.okrs.setdefault(key, {})[ident] = obj
        self.counts["objectives"] += 1
        return obj

    def _continued(
        self, read: Row, obj: dict[str, Any] | None, kpi: str | None, people: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The key result read above that this row adds to (by kr_id), checked to agree
        with it; None for a new one."""
        ident = read.texts.get("kr_id")
        kr = obj["by_id"].get(ident) if obj is not None and ident else None
        if kr is None:
            missing = [c for c in ("key_result", "baseline", "target") if not read.texts.get(c)]
            if missing:
                raise RowError(
                    f"no {', '.join(missing)}, and kr_id {ident} is no key result read above "
                    "in this objective: write the key result's cells on its first row"
                )
            return None
        assert obj is not None  # a key result was found in it
        texts, numbers = read.texts, read.numbers
        # what each cell given says, as the key result holds it ('?' for a team, person
        # or KPI the site does not know: no key result read above has it)
        given = {
            "key_result": (texts.get("key_result"), kr["title"]),
            "kpi": (kpi or "?", kr["kpi"]),
            "baseline": (numbers.get("baseline", (None,))[0], kr["baseline"]),
            "target": (numbers.get("target", (None,))[0], kr["target"]),
            "unit": (_unit(read), kr["unit"]),
            "kr_owner": (people.get("kr_owner") or "?", kr["owner"] or obj["owner"]),
        }
        for column in KR_CELLS:
            value, known = given[column]
            if texts.get(column) and value != known:
                raise RowError(
                    f"{column} {show_cell(read.texts[column])} differs from key result "
                    f"{ident}'s on {kr['row']}: a row that adds to a key result leaves its "
                    "cells blank or the same"
                )
        return kr

    def _new_kr(
        self, read: Row, obj: dict[str, Any], kpi: str | None, owner: str | None, row_at: str
    ) -> dict[str, Any]:
        given = read.texts.get("kr_id")
        if given and given in obj["kr_ids"].taken:
            raise RowError(
                f"kr_id {given} is the id of another key result of this objective already"
            )
        if given:
            obj["kr_ids"].taken.add(given)
        kr: dict[str, Any] = {
            "id": given or obj["kr_ids"].new(read.texts["key_result"]),
            "title": read.texts["key_result"],
            "kpi": kpi,
            "baseline": read.numbers["baseline"][0],
            "target": read.numbers["target"][0],
            "unit": _unit(read),
            "owner": owner if owner != obj["owner"] else None,
            "checkins": [],
            "row": row_at,
        }
        obj["krs"].append(kr)
        obj["by_id"][kr["id"]] = kr
        self.counts["key_results"] += 1
        return kr


def _under_itself(cell: str, team_cell: str) -> str:
    return (
        f"team_parent {show_cell(cell)} is the team {show_cell(team_cell)} or a team below "
        "it: a team cannot be under itself; write another team_parent"
    )


def _unit(read: Row) -> str | None:
    """The key result's unit: its unit cell, else '%' when a number had a percent sign."""
    pct = any(read.numbers.get(c, (0, False))[1] for c in ("baseline", "target"))
    return read.texts.get("unit") or ("%" if pct else None)
