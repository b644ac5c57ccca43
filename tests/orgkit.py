"""A small valid organisation to copy and break one thing at a time, and helpers to
write it and build it with the real mkdocs."""

from __future__ import annotations

import math
import os
import subprocess
import textwrap
from pathlib import Path

from okrsite.source.yamlscalars import WrittenFloat, WrittenInt

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The engine the site tests build with: MkDocs, or ProperDocs, which .ci/run also runs
# them with (OKRSITE_TEST_ENGINE=properdocs). Zensical: tests/test_engines.py.
ENGINE = os.environ.get("OKRSITE_TEST_ENGINE", "mkdocs")
ENV.pop("OKRSITE_COMPARE_TO", None)

ORG = """\
organization: Tiny Co
teams:
  - {id: company, name: Tiny Co}
  - {id: product, name: Product, parent: company, lead: maria}
  - {id: growth, name: Growth, parent: product}
people:
  - {id: maria, name: María López, team: product}
  - {id: ana, name: Ana Silva, team: growth}
"""
KPIS = """\
kpis:
  - id: gross-churn
    name: Monthly gross churn
    unit: "%"
    direction: down
    alert: 5.0
    history:
      - {date: 2026-06-30, value: 4.2}
"""
COMPANY = """\
period: 2026-Q3
team: company
objectives:
  - id: retention
    title: Make retention our strongest growth lever
    owner: maria
    key_results:
      - id: churn
        title: Reduce monthly gross churn from 4.2% to 3.0%
        kpi: gross-churn
        baseline: 4.2
        target: 3.0
        checkins:
          - {date: 2026-07-06, value: 3.6, confidence: 0.7}
      - id: nrr
        title: Grow net revenue retention from 102% to 110%
        baseline: 102
        target: 110
"""
GROWTH = """\
period: 2026-Q3
team: growth
objectives:
  - id: trials
    title: Make the product irresistible during trials
    owner: ana
    aligns_to: company/retention/churn
    key_results:
      - id: trial-to-paid
        title: Raise trial-to-paid conversion from 8% to 14%
        baseline: 8
        target: 14
      - id: aha
        title: Get 45% of trial users to the aha moment, up from 25%
        baseline: 25
        target: 45
"""
ANA = """\
period: 2026-Q3
owner: ana
goals:
  - id: tips
    title: Ship in-app usage tips for the top 5 underused features
    supports: growth/trials/aha
    metric: Trial users using 3 of the 5 features
    baseline: 18
    target: 35
    due: 2026-09-15
"""
FILES = {
    "org.yaml": ORG,
    "kpis.yaml": KPIS,
    "2026-Q3/company.yaml": COMPANY,
    "2026-Q3/growth.yaml": GROWTH,
    "2026-Q3/people/ana.yaml": ANA,
}


def write_goals(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write goal files under ``root/goals``; return the goals folder."""
    goals = root / "goals"
    for name, text in files.items():
        path = goals / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return goals


def write_site(
    root: Path, files: dict[str, str | bytes], plugin: str = "today: 2026-08-01"
) -> Path:
    """A whole MkDocs project: goals, an empty docs/ and mkdocs.yml."""
    write_goals(root, files)
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Test\ntheme: {name: material, font: false}\n"
        f"plugins: [search, {{okrsite: {{{plugin}}}}}]\n",
        encoding="utf-8",
    )
    return root


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build`` (or ``properdocs build``: ENGINE) in ``root``."""
    return subprocess.run(
        [ENGINE, "build", *args], cwd=root, env=ENV, capture_output=True, text=True
    )


def site_files(site: Path):
    """(relative path, text) of every file of a built site, gzip ones decompressed
    (whatever their name), so a scan for a text sees every word of every file, the
    search index's (search/okrsite/**.json) included."""
    import gzip

    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":  # gzip's magic number, whatever the file's name
                data = gzip.decompress(data)
            yield path.relative_to(site).as_posix(), data.decode("utf-8", "replace")


def search_docs(site: Path) -> list[dict]:
    """Every document of a built site's search index (search/okrsite/<index>/d/*.json,
    <index> as its meta.json names it), in index order: ``location``, ``title`` and
    ``summary``, as the worker shows them."""
    import json

    folder = site / "search" / "okrsite"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    docs = []
    for n in range(-(-meta["docs"] // meta["block"])):
        block = (folder / meta["index"] / f"d/{n}.json").read_text(encoding="utf-8")
        docs += [{"location": loc, "title": t, "summary": s} for loc, t, s in json.loads(block)]
    assert len(docs) == meta["docs"]
    return docs


def _kind(value: object) -> type:
    if isinstance(value, WrittenInt):
        return int
    return float if isinstance(value, WrittenFloat) else type(value)


def same(a: object, b: object) -> bool:
    """Equal and of the same type all the way down (1 == 1.0 == True to Python). A
    number okrsite keeps with its text (0755, 1_000) counts as its plain type."""
    if _kind(a) is not _kind(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))  # type: ignore[arg-type]
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)  # type: ignore[arg-type]
    return a == b
