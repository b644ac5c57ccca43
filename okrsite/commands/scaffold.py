"""`okrsite init`: a new site that builds at once (mkdocs.yml, a home page, example goal
files, their JSON Schemas and a CI workflow). It writes plain files and never
overwrites one unless told to.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from okrsite.commands.writeplan import CommandError, Plan
from okrsite.commands.yamlwrite import flow, quoted, schema_line
from okrsite.limits import MAX_TITLE
from okrsite.model.periods import parse_period
from okrsite.site.schema_files import SCHEMA_DIR


def site_name(name: str) -> str:
    """The organisation's name for ``okrsite init``, without surrounding spaces; a
    CommandError says why it cannot be a site's name."""
    for ch in name:
        category = unicodedata.category(ch)
        if category == "Cs":  # a byte that is not UTF-8, kept by Python as a surrogate
            raise CommandError("--name is not UTF-8 text: type the name in UTF-8")
        if category in ("Cc", "Zl", "Zp"):
            raise CommandError(
                f"--name holds a control character (U+{ord(ch):04X}): a site's name is "
                "one line of text, without tabs or line breaks"
            )
    name = name.strip()
    # Spaces and invisible characters alone (zero-width spaces...) name nothing.
    if not any(unicodedata.category(ch)[0] not in "ZC" for ch in name):
        raise CommandError('--name is empty: give the organisation\'s name, e.g. --name "Acme"')
    if len(name) > MAX_TITLE:
        raise CommandError(f"--name is {len(name)} characters long; a name has at most {MAX_TITLE}")
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


def quarter_of(day: date) -> str:
    """The calendar quarter ``day`` is in: ``2026-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


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
        + schema_line("org", 0)
        + f"organization: {quoted(name)}\n\nteams:\n"
        f"  - {{id: company, name: {quoted(name)}, lead: alex}}\n"
        "  - {id: customer-success, name: Customer Success, parent: company, lead: sam}\n\n"
        "people:\n"
        "  - {id: alex, name: Alex Doe, team: company}\n"
        "  - {id: sam, name: Sam Lee, team: customer-success}\n"
    )
    plan.files[g / "kpis.yaml"] = (
        "# Company KPIs: vital signs with an alert threshold, measured continuously.\n"
        + schema_line("kpis", 0)
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
        + schema_line("okrs", 1)
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
        + schema_line("goals", 2)
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
