"""`okrsite init`: a new site that builds at once (mkdocs.yml, a home page, example goal
files, their JSON Schemas, a .gitignore, a requirements.txt pinning okrsite, and two
GitHub workflows: the pull-request check and the publish). It writes plain files and
never overwrites one unless told to.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from okrsite import __version__
from okrsite.commands.writeplan import CommandError, Plan
from okrsite.commands.yamlwrite import flow, quoted, schema_line
from okrsite.limits import MAX_TITLE
from okrsite.model.periods import parse_period
from okrsite.site.schema_files import SCHEMA_DIR
from okrsite.source.fileformat import DIRECTION_CONTROL


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
        if DIRECTION_CONTROL.match(ch):  # refused in every goal file's text, so here
            raise CommandError(
                f"--name holds a text-direction override (U+{ord(ch):04X}), which can make "
                "a name read as another: type the name without it"
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
# okrsite's stylesheet and script: the plugin adds them itself; listed for Zensical,
# which builds the pages `okrsite generate` writes (the Engines guide).
extra_css: [assets/okrsite/okrsite.css]
extra_javascript: [assets/okrsite/okrsite.js]
plugins:
  - search
  - okrsite:
      goals_dir: goals
markdown_extensions:
  - okrsite.zensical     # okrsite's pages through Markdown at once, for Zensical
  - admonition
  - attr_list
  - tables
"""

GITIGNORE = """\
# What the build and your tools make: never commit it (written by okrsite init).
# The site: the publish workflow builds it from goals/ every time.
/site/
# okrsite pdf's default output, made again from goals/ at any time (keep a copy for the
# board with -o board/2026-Q4.pdf).
/okrs-*.pdf
# What `okrsite generate` writes into docs/ for Zensical, made again from goals/.
/docs/.okrsite-generated.json
/docs/kpis/
/docs/periods/
/docs/teams/
/docs/people/
/docs/okrs/
/docs/goals/
/docs/quality/
/docs/rules/
/docs/changes/
/docs/health/
/docs/api/
/docs/schemas/
/docs/assets/okrsite/
.cache/
__pycache__/
.venv/
"""

REQUIREMENTS = """\
# What the workflows install (written by okrsite init): okrsite, pinned like any other
# dependency (it brings MkDocs and Material). Install it with
#   pip install -r requirements.txt
# okrsite is not on a public package index yet, so pip also looks in wheels/ next to this
# file: put the okrsite wheel there and commit it. Make the wheel from a clone of okrsite's
# repository, at the version below:
#   python -m pip install build && python -m build --wheel --outdir wheels PATH/TO/okrsite
# Or, if your company's package index has okrsite, delete the --find-links line. Or
# install it from git: replace the last line with this one, filling in where your
# okrsite lives and a tag or commit of it:
#   okrsite @ git+https://github.com/<your-org>/okrsite.git@<tag>
--find-links wheels
okrsite=={version}
"""

# The two workflows (also in okrsite's repository as ci-templates/github/goals.yml and
# publish.yml: a test holds them equal to these) start the same way: okrsite at the
# version requirements.txt pins.
_SETUP_STEPS = """\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt
"""

WORKFLOW = (
    """\
# The pull-request check (written by okrsite init). It fails on data errors and on the
# goal-quality findings your team raised to errors (`rules:` in mkdocs.yml); warnings
# appear as annotations on the pull request's lines and never fail it. Make it a required
# check of the main branch (Settings > Branches) so nothing broken reaches the site.
name: Goals
on:
  pull_request:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
"""
    + _SETUP_STEPS
    + """\
      - run: okrsite validate --format github
      - run: mkdocs build --strict
"""
)

PUBLISH_WORKFLOW = (
    """\
# Publish the site on GitHub Pages (written by okrsite init): on every push to main,
# every night (scores, pace and "stale" follow the calendar even when no file changes)
# and by hand (Actions > Publish > Run workflow). Needs Settings > Pages > Source:
# GitHub Actions. A plain `mkdocs build`: findings go to the log and never stop a
# publish, so a late check-in cannot take the site down; only data errors fail it, and
# the pull-request check (goals.yml) keeps those out of main.
name: Publish
on:
  push:
    branches: [main]
  schedule:
    - cron: "30 4 * * *"        # every night, 04:30 UTC
  workflow_dispatch:
permissions:
  contents: read
  pages: write                  # deploy-pages publishes the site
  id-token: write               # and proves to Pages which workflow built it
concurrency:                    # one deployment at a time, never cancelled halfway
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
"""
    + _SETUP_STEPS
    + """\
      - run: mkdocs build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
)


def init_site(target: Path, today: date, name: str = "Acme", empty: bool = False) -> Plan:
    """The files of a new site in ``target``, dated around ``today``; with ``empty``,
    an organisation of the company alone and no example people, KPIs, OKRs or goals
    (for a site whose goals come from ``okrsite import``). The name is checked
    (:func:`site_name`) and written as data: quoted in YAML, escaped in Markdown and
    HTML."""
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
    if empty:
        plan.files[g / "org.yaml"] = (
            "# The organisation: teams form a tree under the company; people belong to teams.\n"
            "# okrsite import adds the teams and people of your spreadsheet below; or add them\n"
            "# by hand: '- {id: support, name: Support, parent: company}' under teams, and a\n"
            "# 'people:' list of '- {id: sam, name: Sam Lee, team: support}'.\n"
            + schema_line("org", 0)
            + f"organization: {quoted(name)}\n\nteams:\n"
            f"  - {{id: company, name: {quoted(name)}}}\n"
        )
        _add_site_files(plan, target)
        return plan
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
    _add_site_files(plan, target)
    return plan


def _add_gitignore(plan: Plan, path: Path) -> None:
    """okrsite's .gitignore; beside one that exists (a repository made on GitHub has
    one), the lines of ours it lacks, added at its end, so init needs no --force."""
    try:
        existing = (
            path.read_text(encoding="utf-8") if path.is_file() and not path.is_symlink() else None
        )
    except (OSError, UnicodeDecodeError):
        existing = None  # unreadable: planned as a file of its own, refused without --force
    if existing is None:
        plan.files[path] = GITIGNORE
        return
    have = {line.strip() for line in existing.splitlines()}
    missing = [
        line
        for line in GITIGNORE.splitlines()
        if line and not line.startswith("#") and line not in have
    ]
    if not missing:
        return
    lead = "" if existing.endswith("\n") or not existing else "\n"
    plan.files[path] = existing + lead + "# Added by okrsite init\n" + "\n".join(missing) + "\n"
    plan.additions.add(path)


def _add_site_files(plan: Plan, target: Path) -> None:
    """What every new site has beside its goals: schemas, git and CI files."""
    for schema_file in sorted(SCHEMA_DIR.glob("*.schema.json")):
        plan.copies[target / "goals" / ".schemas" / schema_file.name] = schema_file
    _add_gitignore(plan, target / ".gitignore")
    plan.files[target / "requirements.txt"] = REQUIREMENTS.format(version=__version__)
    plan.files[target / ".github" / "workflows" / "goals.yml"] = WORKFLOW
    plan.files[target / ".github" / "workflows" / "publish.yml"] = PUBLISH_WORKFLOW
