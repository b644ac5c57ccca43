"""The goal-file kinds as pydantic models: one source for validation and JSON Schema.

Each model mirrors the file format (docs/guide/file-format.md) exactly. Validation here
is about shape (types, required keys, ids, ranges); references between files are
resolved in :mod:`okrsite.source.loader`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from okrsite.limits import MAX_MARKDOWN, MAX_NUMBER, MAX_TITLE, MAX_UNIT, MAX_WEIGHT

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
PERIOD_PATTERN = r"^[0-9]{4}(-(Q[1-4]|H[12]))?$"
# team/objective[/kr], optionally prefixed by a period.
REF_PATTERN = r"^([0-9]{4}(-(Q[1-4]|H[12]))?/)?[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*){1,2}$"

# An id names a folder of the built site: keep it well under the 255 bytes a file
# name may have on disk (and readable in an address bar).
ID_MAX = 80
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX),
    Field(description=f"lowercase letters, digits and '-', at most {ID_MAX}; appears in URLs"),
]
PeriodName = Annotated[
    str, StringConstraints(pattern=PERIOD_PATTERN), Field(description="YYYY-Qn, YYYY-Hn or YYYY")
]
Ref = Annotated[
    str,
    StringConstraints(pattern=REF_PATTERN),
    Field(
        description="team/objective or team/objective/kr, optionally prefixed by a "
        "period: 2026-Q2/team/objective/kr"
    ),
]
# One line of text: no line break, control character or line separator. Titles and
# names are quoted in messages and CI annotations, where a line break could forge a
# line of its own. (Literal characters in the class: the same pattern serves pydantic's
# regex engine and the JSON Schema editors read.)
# A tab is allowed (it cannot start a line of its own), and so is one line break at the
# end: a title folded over two lines with 'title: >' ends in one. Neither are the
# direction embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): one in a
# title turns the rest of its line around on every page, badges and scores included.
# Right-to-left text needs none of them.
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
DIRECTION_CONTROL = re.compile(f"[{DIRECTION_CONTROLS}]")  # one of them, for commands
ONE_LINE = f"^[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{DIRECTION_CONTROLS}]*\n?$"
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TITLE, pattern=ONE_LINE),
    Field(description="one line"),
]
Unit = Annotated[
    str,
    StringConstraints(max_length=MAX_UNIT, pattern=ONE_LINE),
    Field(description="e.g. %, $M"),
]
# An address to match a person by (okrsite import); never shown, so loosely checked.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"
# Strict: a whole number or a decimal as YAML reads it, never true/false (YAML 1.1
# reads yes/no/on/off so) nor text ('4.2'), as the published JSON Schema says.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]
Markdown = Annotated[
    str,
    StringConstraints(max_length=MAX_MARKDOWN),
    Field(description="Markdown text (no raw HTML)"),
]


# Empty lists and mappings by factory: pydantic deep-copies a default it cannot hash,
# for every model that leaves the key out, and most items leave some out. The JSON
# Schema still shows the default, for editors.
def _empty_list() -> Any:
    return Field(default_factory=list, json_schema_extra={"default": []})


def _empty_mapping() -> Any:
    return Field(default_factory=dict, json_schema_extra={"default": {}})


Waive = Annotated[
    dict[str, Annotated[str, StringConstraints(min_length=1, max_length=MAX_MARKDOWN)]],
    Field(
        description="silence goal-quality rules for this item: rule code or name -> the "
        "reason, e.g. {kr-is-task: The migration is the outcome the board asked for}"
    ),
]


class _Strict(BaseModel):
    # Unknown keys are errors (typos like 'tagret' must not be ignored); numbers
    # are accepted where text is expected because YAML turns `id: 2026` into an int.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Checkin(_Strict):
    """A measurement of a key result or goal on a date."""

    date: dt.date
    value: Number
    confidence: (
        Annotated[
            float, Strict(), Field(ge=0, le=1, description="0..1: how likely the target is hit")
        ]
        | None
    ) = None
    note: Markdown | None = None


class Revision(_Strict):
    """A change of a key result's target during its period, and why."""

    date: dt.date
    old_target: Number
    reason: Text


class KeyResult(_Strict):
    """A measurable result: progress runs from baseline toward target."""

    id: Id
    title: Text
    kpi: Id | None = Field(None, description="the company KPI this key result moves")
    baseline: Number
    target: Number
    unit: Unit | None = None
    owner: Id | None = Field(None, description="person id; defaults to the objective's owner")
    weight: Annotated[float, Strict(), Field(gt=0, le=MAX_WEIGHT, allow_inf_nan=False)] = 1.0
    checkins: list[Checkin] = _empty_list()
    revisions: list[Revision] = Field(
        default_factory=list,
        json_schema_extra={"default": []},
        description="target changes in a running period, oldest first",
    )
    waive: Waive = _empty_mapping()


class Objective(_Strict):
    """A qualitative objective with 2-5 key results."""

    id: Id
    title: Text
    owner: Id = Field(description="person id: every objective has one owner")
    aligns_to: Ref | None = None
    continues: Ref | None = Field(
        None, description="the same objective in an earlier period: 2026-Q2/team/objective"
    )
    description: Markdown | None = None
    key_results: list[KeyResult]
    waive: Waive = _empty_mapping()


class OkrFile(_Strict):
    """The OKRs of one team for one period."""

    model_config = ConfigDict(
        title="okrsite OKR file",
        json_schema_extra={"description": "OKRs of one team for one period"},
    )
    period: PeriodName
    team: Id
    objectives: list[Objective]


class Goal(_Strict):
    """An individual SMART goal."""

    id: Id
    title: Text
    supports: Ref | None = Field(None, description="the key result it serves: team/objective/kr")
    metric: Text | None = None
    baseline: Number | None = None
    target: Number | None = None
    unit: Unit | None = None
    due: dt.date | None = None
    achievable: Markdown | None = None
    status: Literal["open", "done", "missed", "dropped"] = "open"
    visibility: Literal["public", "private"] = "public"
    checkins: list[Checkin] = _empty_list()
    waive: Waive = _empty_mapping()


class GoalFile(_Strict):
    """The SMART goals of one person for one period."""

    model_config = ConfigDict(title="okrsite SMART goal file")
    period: PeriodName
    owner: Id
    goals: list[Goal]


class Team(_Strict):
    id: Id
    name: Text
    parent: Id | None = None
    lead: Id | None = None
    waive: Waive = _empty_mapping()


class Person(_Strict):
    id: Id
    name: Text
    team: Id
    email: Annotated[str, StringConstraints(max_length=MAX_TITLE, pattern=EMAIL_PATTERN)] | None = (
        Field(
            None,
            description="matches this person to a spreadsheet's cells in okrsite import; "
            "never shown on the site",
        )
    )
    waive: Waive = _empty_mapping()


class OrgFile(_Strict):
    """The organisation: its name, teams and people (lists may span several files)."""

    model_config = ConfigDict(title="okrsite organisation file")
    organization: Text | None = None
    teams: list[Team] = _empty_list()
    people: list[Person] = _empty_list()


class Measurement(_Strict):
    date: dt.date
    value: Number


class Kpi(_Strict):
    """A company health metric with an alert threshold."""

    id: Id
    name: Text
    description: Markdown | None = None
    unit: Unit | None = None
    direction: Literal["up", "down"] = Field(
        description="up: higher is better; down: lower is better"
    )
    alert: Number | None = None
    owner: Id | None = Field(None, description="team id or person id")
    history: list[Measurement] = _empty_list()
    history_file: (
        Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE, pattern=ONE_LINE)]
        | None
    ) = Field(
        None,
        description="a CSV file of 'date,value' rows, relative to this YAML file; its rows "
        "are added to 'history'",
    )
    update_every: Literal["day", "week", "month", "quarter", "year"] | None = Field(
        None, description="how often a new measurement is expected; older data is stale"
    )
    waive: Waive = _empty_mapping()


class KpiFile(_Strict):
    """Company KPIs."""

    model_config = ConfigDict(title="okrsite KPI file")
    kpis: list[Kpi]


# Kind name -> (model, the top-level keys that mark it, a human label)
KINDS: dict[str, tuple[type[_Strict], frozenset[str], str]] = {
    "org": (OrgFile, frozenset({"organization", "teams", "people"}), "organisation file"),
    "kpis": (KpiFile, frozenset({"kpis"}), "KPI file"),
    "okrs": (OkrFile, frozenset({"objectives"}), "OKR file"),
    "goals": (GoalFile, frozenset({"goals"}), "SMART goal file"),
}
