"""What ``okrsite import`` finds in the goals folder it imports into: the teams, people
and KPIs defined there (a sheet's cell names one by id, by name or by email, whatever
its case, accents, spaces, dashes or underscores) and the goal files already written.

The folder is read with okrsite's own reader (:func:`okrsite.source.folder.survey` and
:func:`okrsite.source.goalfile.read_goal_file`): only goal files inside the folder, no
link out of it, each within the size limits and shape-checked. A linked goals folder,
a file the folder's survey refuses, and any goal file that does not read is an
:class:`ImportSiteError`: importing into an organisation or KPIs read in part would
match against half of them, and a file written anew over one that does not read would
lose what it held unseen.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

from okrsite.commands.importrows import RowError, show_cell
from okrsite.diagnostics import INFO, WARNING
from okrsite.source import fileformat as schema
from okrsite.source.folder import LINKED_GOALS, survey
from okrsite.source.goalfile import FailedFile, read_goal_file

_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015]+")


class ImportSiteError(Exception):
    """The goals folder cannot be imported into as it is; the message says which file
    to fix."""


def fold(text: str) -> str:
    """A name as a match sees it: 'José  Núñez', 'jose-nunez' and 'JOSE_NUNEZ' fold to
    'jose nunez' (compatibility forms and accents dropped, case folded, runs of spaces,
    dashes and underscores one space)."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


_COMMON = 50  # a word in more keys than this tells none of them apart
_LONGEST = 80  # characters of a name the near-miss search looks at (a name's start tells)


def _pieces(key: str) -> set[str]:
    """The words of a folded key and their first three letters ('sam le' -> sam, le)."""
    words = key.split()
    return set(words) | {word[:3] for word in words}


@dataclass
class Known:
    """The teams, the people or the KPIs of the site (and those an import adds), to
    look a cell up in."""

    # The near-miss search compares a cell with at most POOL names (those sharing the
    # most words with it), and with at most BUDGET names over all the cells of an import:
    # crafted names sharing words with thousands of others cannot make it quadratic.
    POOL: ClassVar[int] = 200
    BUDGET: ClassVar[int] = 40_000

    kind: str  # 'team', 'person', 'KPI': as messages name one
    names: dict[str, str] = field(default_factory=dict)  # id -> name
    compared: int = 0  # names the near-miss search has compared a cell with
    _ids: set[str] = field(default_factory=set)  # the ids the site's files define
    _by_id: dict[str, set[str]] = field(default_factory=dict)  # folded id -> ids
    _by_name: dict[str, set[str]] = field(default_factory=dict)  # folded name/email -> ids
    # a word or its first three letters -> the folded keys holding it: the few keys a
    # near miss is compared with (comparing with every one is quadratic in a large org)
    _pieces: dict[str, set[str]] = field(default_factory=dict)

    def add(self, ident: str, name: str, email: str | None = None, *, new: bool = False) -> None:
        """Know one more: ``ident`` and what names it. One the import adds (``new``) is
        found by its name or email only, never by the id the import made for it: which
        name came first must not decide which names are one."""
        self.names.setdefault(ident, name)
        keys = [(self._by_name, fold(name))]
        if not new:
            self._ids.add(ident)
            keys.append((self._by_id, fold(ident)))
        for index, key in keys:
            if key:
                index.setdefault(key, set()).add(ident)
                for piece in _pieces(key):
                    self._pieces.setdefault(piece, set()).add(key)
        if email and fold(email):
            self._by_name.setdefault(fold(email), set()).add(ident)

    def find(self, cell: str) -> str | None:
        """The id ``cell`` names: a site's id written exactly as it is, else the one
        entry whose id, name or email it is, folded; None when it names none. RowError
        when it names several (one by its id, another by its name: either could be
        meant)."""
        if cell in self._ids:
            return cell
        key = fold(cell)
        found = self._by_id.get(key, set()) | self._by_name.get(key, set())
        if len(found) > 1:
            listed = ", ".join(sorted(found)[:5]) + (", ..." if len(found) > 5 else "")
            raise RowError(
                f"{show_cell(cell)} names {len(found)} of the {self.kind} entries "
                f"({listed}): write the id of the one meant"
            )
        return next(iter(found), None)

    def near(self, cell: str) -> str:
        """ "; did you mean 'Sam Lee' (sam)?" for the closest known one, or ''."""
        key = fold(cell)
        shared: Counter[str] = Counter()
        for piece in _pieces(key[:_LONGEST]):
            found = self._pieces.get(piece, set())
            if len(found) <= _COMMON:
                shared.update(found)
        pool = sorted(shared, key=lambda k: (-shared[k], k))
        pool = pool[: min(self.POOL, self.BUDGET - self.compared)]
        self.compared += len(pool)
        match = _closest(key[:_LONGEST], pool)
        if match is None:
            return ""
        ident = min(self._by_id.get(match, set()) | self._by_name.get(match, set()))
        return f"; did you mean {show_cell(self.names[ident])} ({ident})?"


def _closest(key: str, keys: list[str], cutoff: float = 0.75) -> str | None:
    """The one of ``keys`` most like ``key`` (as difflib.get_close_matches ranks them,
    each compared by its first _LONGEST characters), if like enough."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    best: tuple[float, str] | None = None
    for candidate in keys:
        matcher.set_seq1(candidate[:_LONGEST])
        if (
            matcher.real_quick_ratio() >= cutoff
            and matcher.quick_ratio() >= cutoff
            and (score := matcher.ratio()) >= cutoff
            and (best is None or (score, candidate) > best)
        ):
            best = (score, candidate)
    return best[1] if best else None


@dataclass
class Site:
    """The goals folder an import writes into, as read before anything is written."""

    teams: Known = field(default_factory=lambda: Known("team"))
    people: Known = field(default_factory=lambda: Known("person"))
    kpis: Known = field(default_factory=lambda: Known("KPI"))
    root: str | None = None  # the company: the team without a parent
    org_files: list[Path] = field(default_factory=list)
    kpi_files: list[Path] = field(default_factory=list)
    # the files that hold each team's OKRs and each person's goals of a period
    okr_files: dict[tuple[str, str], Path] = field(default_factory=dict)
    goal_files: dict[tuple[str, str], Path] = field(default_factory=dict)
    # what those files hold, to tell what writing them anew would lose: the objective
    # ids of each OKR file, the goal ids of each goal file and which of them are private
    okr_objectives: dict[Path, set[str]] = field(default_factory=dict)
    goal_ids: dict[Path, dict[str, bool]] = field(default_factory=dict)
    # and how many goals of each goal file have a status, check-ins, waivers: what a
    # row cannot carry either
    goal_extras: dict[Path, tuple[int, int, int]] = field(default_factory=dict)
    team_parents: dict[str, str | None] = field(default_factory=dict)
    # (period, team, objective, key result) -> value -> the day of its last check-in of
    # that value: an undated 'current' imported again keeps the day it was first given
    checkin_days: dict[tuple[str, str, str, str], dict[float, date]] = field(default_factory=dict)


def read_site(goals_dir: Path) -> Site:
    """Read what ``goals_dir`` holds (an empty Site when there is no such folder).

    ImportSiteError when the folder is a link (or lies in one), or when any file in it
    does not read as a goal file whose kind is known (whatever it holds, an import
    could match against half of the site, or add a second organisation)."""
    site = Site()
    linked = _linked(goals_dir)
    if linked is not None:
        raise ImportSiteError(f"{linked.as_posix()}: {LINKED_GOALS}; nothing was written")
    if not goals_dir.is_dir():
        return site
    base = goals_dir.parent
    found = survey(goals_dir, lambda path: path.relative_to(base).as_posix())
    if found.refused:  # oversized, a link out of the folder...: unread
        refused = found.refused[0]
        raise ImportSiteError(f"{_unreadable(refused.path)}\n  {refused}")
    for path in found.files:
        shown = path.relative_to(base).as_posix()
        try:
            read = read_goal_file(path, shown)
        except OSError as exc:  # unreadable (permissions), or gone since the survey
            raise ImportSiteError(
                f"{shown} cannot be read ({exc.strerror or 'an error'}): okrsite cannot tell "
                "who or what is in it; make it readable, then import again"
            ) from None
        if isinstance(read, FailedFile):
            # Whatever its kind: a file of none could be the organisation or the KPIs,
            # and a team's or person's file written anew would lose what it held
            # (private goals, check-ins) unseen. An empty file (only warned of) is none.
            if any(d.level not in (WARNING, INFO) for d in read.diagnostics):
                raise ImportSiteError(_unreadable(shown))
            continue
        model = read.model
        if read.kind == "org":
            site.org_files.append(path)
            for team in model.teams:
                site.teams.add(team.id, team.name)
                site.team_parents.setdefault(team.id, team.parent)
            for person in model.people:
                site.people.add(person.id, person.name, person.email)
        elif read.kind == "kpis":
            site.kpi_files.append(path)
            for kpi in model.kpis:
                site.kpis.add(kpi.id, kpi.name)
        elif read.kind == "okrs":
            site.okr_files.setdefault((model.period, model.team), path)
            site.okr_objectives[path] = {obj.id for obj in model.objectives}
            _note_checkin_days(site, model)
        else:
            site.goal_files.setdefault((model.period, model.owner), path)
            site.goal_ids[path] = {g.id: g.visibility == "private" for g in model.goals}
            site.goal_extras[path] = (
                sum(g.status != "open" for g in model.goals),
                sum(bool(g.checkins) for g in model.goals),
                sum(bool(g.waive) for g in model.goals),
            )
    roots = [t for t, parent in site.team_parents.items() if parent is None]
    site.root = roots[0] if roots else None
    return site


def _unreadable(shown: str) -> str:
    return (
        f"{shown} has errors, so okrsite cannot tell who or what is in it: run "
        "okrsite validate, fix them, then import again"
    )


def _linked(goals_dir: Path) -> Path | None:
    """The goals folder, or the folder it lies in as named (``sub`` of ``sub/goals``),
    that is a link: validate reads no linked goals folder, and import writes into none."""
    parts = goals_dir.parts
    named = [Path(*parts[: n + 1]) for n in range(len(parts))]
    # the folders of a relative path, all of them; of an absolute one, the last only
    # (the machine's own links above the site, /tmp on macOS, are not the site's)
    for folder in named if not goals_dir.is_absolute() else named[-1:]:
        if folder.is_symlink():
            return folder
    return None


def _note_checkin_days(site: Site, okrs: schema.OkrFile) -> None:
    """Keep the day of the last check-in of each value of each key result of ``okrs``."""
    for obj in okrs.objectives:
        for kr in obj.key_results:
            days = site.checkin_days.setdefault((okrs.period, okrs.team, obj.id, kr.id), {})
            for checkin in kr.checkins:
                days[checkin.value] = max(checkin.date, days.get(checkin.value, checkin.date))
