"""The resolved goal graph: plain objects linked to each other, no MkDocs, no YAML.

Built by :mod:`okrsite.source.loader`; read by scoring, the chain walk and rendering.
Private goals never become :class:`Goal` objects unless the site is built with
``include_private``; they exist only as counts on the key result they support.

Each linked item's repr is its kind and key: the generated one follows every link (a
goal's owner's goals' owner...), and one failing test's message grew to gigabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from okrsite.model.periods import Period


@dataclass(slots=True, frozen=True)
class Source:
    """Where an item was written: shown in error messages."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(slots=True)
class Checkin:
    date: date
    value: float
    confidence: float | None = None
    note: str | None = None


@dataclass(slots=True, frozen=True)
class Revision:
    date: date
    old_target: float
    reason: str


@dataclass(slots=True, eq=False)
class Person:
    id: str
    name: str
    team: Team
    source: Source
    goals: list[Goal] = field(default_factory=list)
    # Objectives and key results this person owns, for their page.
    objectives: list[Objective] = field(default_factory=list)
    key_results: list[KeyResult] = field(default_factory=list)
    waive: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Person({self.id!r})"


@dataclass(slots=True, eq=False)
class Team:
    id: str
    name: str
    source: Source
    parent: Team | None = None
    lead: Person | None = None
    children: list[Team] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    waive: dict[str, str] = field(default_factory=dict)

    def ancestors(self) -> list[Team]:
        """Parent, grandparent, ... up to the root."""
        chain, team = [], self.parent
        while team is not None:
            chain.append(team)
            team = team.parent
        return chain

    def __repr__(self) -> str:
        return f"Team({self.id!r})"


@dataclass(slots=True, eq=False)
class Kpi:
    id: str
    name: str
    direction: str  # "up" | "down"
    source: Source
    description: str | None = None
    unit: str | None = None
    alert: float | None = None
    owner: Team | Person | None = None
    history: list[Checkin] = field(default_factory=list)  # oldest first
    update_every: str | None = None
    key_results: list[KeyResult] = field(default_factory=list)
    waive: dict[str, str] = field(default_factory=dict)

    @property
    def current(self) -> float | None:
        return self.history[-1].value if self.history else None

    def __repr__(self) -> str:
        return f"Kpi({self.id!r})"


@dataclass(slots=True, eq=False)
class KeyResult:
    id: str
    title: str
    baseline: float
    target: float
    objective: Objective
    source: Source
    owner: Person | None = None
    unit: str | None = None
    weight: float = 1.0
    kpi: Kpi | None = None
    checkins: list[Checkin] = field(default_factory=list)  # oldest first
    goals: list[Goal] = field(default_factory=list)
    private_goals: int = 0
    aligned: list[Objective] = field(default_factory=list)  # objectives aligned to this KR
    revisions: list[Revision] = field(default_factory=list)  # oldest first
    waive: dict[str, str] = field(default_factory=dict)

    @property
    def original_target(self) -> float:
        """The target as first set, before any revision."""
        return self.revisions[0].old_target if self.revisions else self.target

    @property
    def key(self) -> str:
        return f"{self.objective.key}/{self.id}"

    @property
    def period(self) -> Period:
        return self.objective.period

    def __repr__(self) -> str:
        return f"KeyResult({self.key!r})"


@dataclass(slots=True, eq=False)
class Objective:
    id: str
    title: str
    period: Period
    team: Team
    owner: Person
    source: Source
    description: str | None = None
    parent: Objective | KeyResult | None = None
    key_results: list[KeyResult] = field(default_factory=list)
    aligned: list[Objective] = field(default_factory=list)  # objectives aligned to this one
    goals: list[Goal] = field(default_factory=list)  # goals supporting the objective itself
    continues: Objective | None = None  # the same objective in an earlier period
    continued_by: list[Objective] = field(default_factory=list)
    private_goals: int = 0  # private goals supporting the objective itself
    waive: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.period.key}/{self.team.id}/{self.id}"

    def __repr__(self) -> str:
        return f"Objective({self.key!r})"


def parent_objective(obj: Objective) -> Objective | None:
    """The objective ``obj`` aligns to: directly, or through the key result it aligns
    to; None for a top-level objective."""
    parent = obj.parent
    return parent.objective if isinstance(parent, KeyResult) else parent


@dataclass(slots=True, eq=False)
class Goal:
    id: str
    title: str
    period: Period
    owner: Person
    source: Source
    supports: KeyResult | Objective | None = None
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    unit: str | None = None
    due: date | None = None
    achievable: str | None = None
    status: str = "open"
    private: bool = False
    checkins: list[Checkin] = field(default_factory=list)
    waive: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.period.key}/{self.owner.id}/{self.id}"

    def __repr__(self) -> str:
        return f"Goal({self.key!r})"


@dataclass(slots=True)
class Organization:
    """Everything the site shows, resolved and cross-linked."""

    name: str
    root: Team
    teams: dict[str, Team]
    people: dict[str, Person]
    kpis: dict[str, Kpi]
    periods: dict[str, Period]
    objectives: dict[str, Objective]  # by key "period/team/objective"
    goals: dict[str, Goal]  # public goals (all goals with include_private) by key
    private_goals: int = 0  # how many private goals were dropped
    private_unlinked: int = 0  # ... of which support nothing (or nothing found)
    # ... by period key, linked or not: every count of a period's goals includes them.
    private_by_period: dict[str, int] = field(default_factory=dict)
    # By the period of the goal: what each private goal supports (an item of any
    # period, once per goal), and how many support nothing. Only public items are held:
    # enough to tell whether a private goal's chain is broken, and nothing of the goal.
    private_supports: dict[str, list[Objective | KeyResult]] = field(default_factory=dict)
    private_unlinked_by_period: dict[str, int] = field(default_factory=dict)

    def periods_sorted(self) -> list[Period]:
        return sorted(self.periods.values(), key=Period.sort_key)
