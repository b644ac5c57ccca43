"""`okrsite init` (a new site that builds at once) and `okrsite new-period` (open the
next period from the last one). Both write plain files and never overwrite one unless
told to."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrsite.commands.yamlwrite import flow, mapping, quoted
from okrsite.limits import MAX_TITLE
from okrsite.model import scoring
from okrsite.model.graph import Objective, Organization
from okrsite.model.periods import PERIOD_HINT, PERIOD_RE, YEAR_HINT, Period, parse_period
from okrsite.settings import DEFAULTS
from okrsite.site.schema_files import SCHEMA_DIR
from okrsite.source.fileformat import ID_MAX, ID_PATTERN
from okrsite.source.folder import find_goal_files
from okrsite.source.loader import load


class ScaffoldError(Exception):
    """A command could not write what it was asked to; the message says why."""


@dataclass
class Plan:
    """Files to write: path -> text. Checked for clashes before anything is written.

    With ``root``, every file must lie in a real folder under ``root``: no folder on
    the way may be a symbolic link, so nothing is written outside it.
    """

    files: dict[Path, str] = field(default_factory=dict)
    copies: dict[Path, Path] = field(default_factory=dict)
    root: Path | None = None

    def targets(self) -> list[Path]:
        """Every file the plan writes, sorted."""
        return sorted([*self.files, *self.copies])

    def write(self, force: bool) -> list[Path]:
        """Write the files (overwriting existing ones only with ``force``); return them.

        Everything that can be checked beforehand is: a ScaffoldError then means that
        nothing was written."""
        if self.root is not None:
            _check_root(self.root)
        for path in self.targets():
            _check_target(path, self.root)
        existing = [p for p in self.targets() if p.exists()]
        if existing and not force:
            listed = "\n".join(f"  {p}" for p in existing)
            raise ScaffoldError(
                f"these files exist already; nothing was written "
                f"(use --force to overwrite them):\n{listed}"
            )
        path = None
        try:
            for path, text in self.files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            for path, source in self.copies.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, path)
        except OSError as exc:  # unwritable, disk full, read-only file system...
            raise ScaffoldError(f"cannot write {path}: {exc.strerror or exc}") from None
        return self.targets()


def _check_root(root: Path) -> None:
    # The folder to write into, or the nearest of its parents that exists, must be a
    # folder (a file there would fail half-way, after other files were written).
    here = root
    while not os.path.lexists(here) and here != here.parent:
        here = here.parent
    if os.path.lexists(here) and not here.is_dir():
        what = "a link to nothing" if here.is_symlink() else "not a folder"
        raise ScaffoldError(f"{here} is {what}: name a folder to write into")


def _check_target(path: Path, root: Path | None) -> None:
    # A file is written only as a plain file, in plain folders: never through a link
    # (a goals folder comes from anyone's pull request: a linked period folder could
    # point anywhere), never over a folder, a pipe or a device.
    if root is not None:
        rel = path.relative_to(root)
        if ".." in rel.parts:
            raise ScaffoldError(f"{path} is outside {root}")
        here = root
        for part in rel.parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise ScaffoldError(
                    f"{here} is a symbolic link: okrsite writes only into real folders "
                    f"inside {root}; replace the link with a folder"
                )
            if os.path.lexists(here) and not here.is_dir():
                raise ScaffoldError(
                    f"{here} is a file where a folder is needed; move it away, nothing was written"
                )
    if path.is_symlink():
        raise ScaffoldError(
            f"{path} is a symbolic link: okrsite does not write through links; remove it, "
            "nothing was written"
        )
    if path.is_dir():
        raise ScaffoldError(
            f"{path} is a folder where okrsite writes a file; move it away, nothing was written"
        )
    if os.path.lexists(path) and not path.is_file():
        raise ScaffoldError(f"{path} is not a plain file; remove it, nothing was written")


def site_name(name: str) -> str:
    """The organisation's name for ``okrsite init``, without surrounding spaces; a
    ScaffoldError says why it cannot be a site's name."""
    for ch in name:
        category = unicodedata.category(ch)
        if category == "Cs":  # a byte that is not UTF-8, kept by Python as a surrogate
            raise ScaffoldError("--name is not UTF-8 text: type the name in UTF-8")
        if category in ("Cc", "Zl", "Zp"):
            raise ScaffoldError(
                f"--name holds a control character (U+{ord(ch):04X}): a site's name is "
                "one line of text, without tabs or line breaks"
            )
    name = name.strip()
    # Spaces and invisible characters alone (zero-width spaces...) name nothing.
    if not any(unicodedata.category(ch)[0] not in "ZC" for ch in name):
        raise ScaffoldError('--name is empty: give the organisation\'s name, e.g. --name "Acme"')
    if len(name) > MAX_TITLE:
        raise ScaffoldError(
            f"--name is {len(name)} characters long; a name has at most {MAX_TITLE}"
        )
    return name


def _theme_html(text: str) -> str:
    # Material writes site_name into its pages as it is, as text and inside attributes
    # ("{{ config.site_name }}"; MkDocs does not autoescape): the name goes there as
    # HTML. '&' becomes '&amp;' only where a browser would read a character reference
    # (&copy, &#1), so "Zoë & Co" stays as typed.
    text = re.sub(r"&(?=[A-Za-z0-9#])", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# Python-Markdown's backslash escapes (its ESCAPED_CHARS, and '|' of the tables
# extension): the name is shown as typed, never read as Markdown or attr_list syntax.
_MARKDOWN_PUNCT = frozenset("\\`*_{}[]()>#+-.!|")
_HTML_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _markdown_text(text: str) -> str:
    return "".join(
        _HTML_ENTITY.get(ch) or ("\\" + ch if ch in _MARKDOWN_PUNCT else ch) for ch in text
    )


def check_period(text: str, option: str = "PERIOD") -> str:
    """``text`` if it is exactly a period's name (ASCII digits, nothing after it), else a
    ScaffoldError naming the accepted forms. ``option`` names the argument."""
    # ASCII and a full match, whatever PERIOD_RE allows: this names folders.
    if not (text.isascii() and PERIOD_RE.fullmatch(text) and parse_period(text)):
        raise ScaffoldError(f"{option} {text!r} is not a period: {PERIOD_HINT}; {YEAR_HINT}")
    return text


def check_team(text: str) -> str:
    """``text`` if it is exactly a team id, else a ScaffoldError that says what one is."""
    if not (re.fullmatch(ID_PATTERN, text) and len(text) <= ID_MAX):
        raise ScaffoldError(
            f"--team {text!r} is not a team id: lowercase letters, digits and '-', at most "
            f"{ID_MAX}, e.g. --team customer-success"
        )
    return text


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def okr_file_head(period: str, team: str, comments: list[str]) -> list[str]:
    """The first lines of an OKR file a command writes: why it exists, the schema line
    for editors, then the file's keys up to its list of objectives."""
    return [
        *(f"# {c}" for c in comments),
        _schema_line("okrs", 1).rstrip("\n"),
        f"period: {period}",
        f"team: {team}",
        "objectives:",
    ]


def _schema_line(kind: str, depth: int) -> str:
    up = "../" * depth
    return f"# yaml-language-server: $schema={up}.schemas/{kind}.schema.json\n"


MKDOCS_YML = """\
# The site: MkDocs with Material and the okrsite plugin. Run `mkdocs serve`.
# The theme writes site_name into pages as HTML: write &lt; &gt; &quot; for < > ".
site_name: {site_name}
theme:
  name: material
  font: false            # no Google Fonts: pages load nothing from outside
  features:
    - navigation.sections
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {{icon: material/brightness-7, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {{icon: material/brightness-4, name: Switch to light mode}}
plugins:
  - search
  - okrsite:
      goals_dir: goals
markdown_extensions:
  - admonition
  - attr_list
  - tables
"""

WORKFLOW = """\
# Check the goal files on every pull request; findings appear on the changed lines.
name: Goals
on:
  pull_request:
    paths: ["goals/**", "mkdocs.yml"]
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install okrsite
      - run: okrsite validate --format github
      - run: mkdocs build --strict
"""


def init_site(target: Path, today: date, name: str = "Acme") -> Plan:
    """The files of a new site in ``target``, dated around ``today``. The name is
    checked (:func:`site_name`) and written as data: quoted in YAML, escaped in
    Markdown and HTML."""
    name = site_name(name)
    period = quarter_of(today)
    p = parse_period(period)
    assert p is not None
    due = p.end
    g = target / "goals"
    plan = Plan(root=target)
    plan.files[target / "mkdocs.yml"] = MKDOCS_YML.format(
        site_name=quoted(_theme_html(f"{name} OKRs"))
    )
    plan.files[target / "docs" / "index.md"] = (
        f"# {_markdown_text(name)} OKRs\n\n"
        "The company's KPIs, team OKRs and individual goals, published from the YAML files "
        "in `goals/`.\n\n- [The OKR overview](okrs/index.md)\n"
        "- [KPIs](kpis/index.md) · [Teams](teams/index.md) · [People](people/index.md)\n\n"
        "To change a goal, edit its file in `goals/` and open a pull request.\n"
    )
    plan.files[g / "org.yaml"] = (
        "# The organisation: teams form a tree under the company; people belong to teams.\n"
        + _schema_line("org", 0)
        + f"organization: {quoted(name)}\n\nteams:\n"
        f"  - {{id: company, name: {quoted(name)}, lead: alex}}\n"
        "  - {id: customer-success, name: Customer Success, parent: company, lead: sam}\n\n"
        "people:\n"
        "  - {id: alex, name: Alex Doe, team: company}\n"
        "  - {id: sam, name: Sam Lee, team: customer-success}\n"
    )
    plan.files[g / "kpis.yaml"] = (
        "# Company KPIs: vital signs with an alert threshold, measured continuously.\n"
        + _schema_line("kpis", 0)
        + "kpis:\n  - id: gross-churn\n    name: Monthly gross churn\n"
        "    description: Share of recurring revenue lost to cancellations each month.\n"
        '    unit: "%"\n    direction: down\n    alert: 5.0\n    owner: customer-success\n'
        f"    history:\n      - {flow([('date', today), ('value', 4.2)])}\n"
        "  - id: nps\n    name: Net Promoter Score\n    unit: NPS\n    direction: up\n"
        f"    alert: 30\n    history:\n      - {flow([('date', today), ('value', 41)])}\n"
    )
    churn_checkin = flow([("date", today), ("value", 4.2), ("confidence", 0.6)])
    nps_checkin = flow([("date", today), ("value", 41), ("confidence", 0.5)])
    plan.files[g / period / "company.yaml"] = (
        f"# OKRs of the company for {period}: one objective, 2-5 measurable key results.\n"
        + _schema_line("okrs", 1)
        + f"period: {period}\nteam: company\nobjectives:\n"
        "  - id: retention\n    title: Make retention our strongest growth lever\n"
        "    owner: alex\n    description: Keeping customers is cheaper than winning them.\n"
        "    key_results:\n"
        '      - id: churn\n        title: "Reduce monthly gross churn from 4.2% to 3.0%"\n'
        '        kpi: gross-churn\n        baseline: 4.2\n        target: 3.0\n        unit: "%"\n'
        f"        checkins:\n          - {churn_checkin}\n"
        "      - id: nps\n        title: Raise NPS from 41 to 50\n        kpi: nps\n"
        "        baseline: 41\n        target: 50\n"
        f"        checkins:\n          - {nps_checkin}\n"
    )
    plan.files[g / period / "people" / "sam.yaml"] = (
        f"# Sam's SMART goals for {period}: each supports a team key result.\n"
        + _schema_line("goals", 2)
        + f"period: {period}\nowner: sam\ngoals:\n"
        "  - id: outreach\n"
        "    title: Launch health-score outreach for the 40 least healthy accounts\n"
        "    supports: company/retention/churn\n"
        "    metric: Churn among the 40 least healthy accounts\n"
        f'    baseline: 6.0\n    target: 5.0\n    unit: "%"\n    due: {due.isoformat()}\n'
        "    achievable: A pilot on 10 accounts cut their churn by a fifth.\n"
    )
    for schema_file in sorted(SCHEMA_DIR.glob("*.schema.json")):
        plan.copies[g / ".schemas" / schema_file.name] = schema_file
    plan.files[target / ".github" / "workflows" / "goals.yml"] = WORKFLOW
    return plan


def new_period(
    goals_dir: Path,
    period: str,
    *,
    source: str | None = None,
    team: str | None = None,
    carry_all: bool = False,
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
) -> tuple[Plan, list[str]]:
    """Open ``period`` from ``source`` (default: the latest earlier period with OKRs).

    For each team (or ``team``), its unfinished objectives (score below 1.0; all with
    ``carry_all``) are carried with ``continues:``; each key result's baseline becomes
    its last value; check-ins and revisions start empty. Old files are not touched.
    Returns the plan and notes for the user.
    """
    check_period(period)
    if source is not None:
        check_period(source, "--from")
    if team is not None:
        check_team(team)
    new = parse_period(period, fiscal_year_start)
    assert new is not None  # checked above; the fiscal year start moves only the dates
    org: Organization = load(goals_dir, fiscal_year_start=fiscal_year_start).org
    earlier = [
        p
        for p in org.periods_sorted()
        if p.start < new.start and any(o.period == p for o in org.objectives.values())
    ]
    src: Period
    if source is not None:
        found = org.periods.get(source)
        if found is None:
            raise ScaffoldError(f"no OKRs for period '{source}' in {goals_dir}")
        if found.start >= new.start:
            # Carrying a period into itself (or backwards) would, with --force,
            # overwrite its own files and their check-ins.
            raise ScaffoldError(f"--from {source} must be a period that starts before {period}")
        src = found
    elif earlier:
        src = max(earlier, key=lambda p: p.start)
    else:
        raise ScaffoldError(f"no period before {period} has OKRs to carry")
    if team is not None and team not in org.teams:
        raise ScaffoldError(f"no team '{team}' in {goals_dir}")
    plan, notes = Plan(root=goals_dir), []
    by_team: dict[str, list[Objective]] = {}
    for obj in org.objectives.values():
        if obj.period == src and (team is None or obj.team.id == team):
            by_team.setdefault(obj.team.id, []).append(obj)
    existing = {f.resolve() for f in find_goal_files(goals_dir)}
    carried_by_team = {
        team_id: [o for o in objs if carry_all or (scoring.objective_score(o) or 0.0) < 1.0]
        for team_id, objs in by_team.items()
    }
    # Objectives that will exist in the new period: an alignment to one of them stays a
    # same-period reference; any other keeps pointing at the old period, explicitly.
    present = {(o.team.id, o.id) for o in org.objectives.values() if o.period == new}
    present |= {(t, o.id) for t, objs in carried_by_team.items() for o in objs}
    for team_id, carried in carried_by_team.items():
        done = [o.id for o in by_team[team_id] if o not in carried]
        if done:
            notes.append(f"{team_id}: not carried (score 1.0): {', '.join(done)}")
        if not carried:
            continue
        path = goals_dir / period / f"{team_id}.yaml"
        if path.resolve() in existing:
            notes.append(f"{team_id}: {path} exists already")
        plan.files[path] = _okr_file(period, team_id, carried, src.key, present)
    if not plan.files:
        raise ScaffoldError(
            f"nothing to carry from {src.key}" + (f" for team '{team}'" if team else "")
        )
    return plan, notes


def _okr_file(
    period: str, team: str, objectives: list[Objective], source: str, present: set[tuple[str, str]]
) -> str:
    lines = okr_file_head(
        period,
        team,
        [
            f"OKRs of team {team} for {period}, carried from {source} by okrsite new-period.",
            f"Baselines are the last values of {source}; set new targets where the old",
            "ones were reached, and add or drop key results as the team decides.",
        ],
    )
    for n, obj in enumerate(objectives):
        if n:
            lines.append("")
        aligns = None
        if obj.parent is not None:
            parent_obj = obj.parent.objective if hasattr(obj.parent, "objective") else obj.parent
            same = (parent_obj.team.id, parent_obj.id) in present
            aligns = "/".join(obj.parent.key.split("/")[1:]) if same else obj.parent.key
        krs = []
        for kr in obj.key_results:
            krs.append(
                [
                    ("id", kr.id),
                    ("title", kr.title),
                    ("kpi", kr.kpi.id if kr.kpi else None),
                    ("baseline", scoring.kr_current(kr)),
                    ("target", kr.target),
                    ("unit", kr.unit if not kr.kpi or kr.unit != kr.kpi.unit else None),
                    ("owner", kr.owner.id if kr.owner and kr.owner is not obj.owner else None),
                    ("weight", kr.weight if kr.weight != 1 else None),
                ]
            )
        lines += mapping(
            [
                ("id", obj.id),
                ("title", obj.title),
                ("owner", obj.owner.id),
                ("aligns_to", aligns),
                ("continues", obj.key),
                ("description", obj.description),
                ("key_results", krs),
            ],
            4,
            "  - ",
        )
    return "\n".join(lines) + "\n"
