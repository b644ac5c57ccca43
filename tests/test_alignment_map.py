"""The alignment map (issue 17): per period, every objective, key result and public goal
from the top down, read from the built HTML of the example, of a small organisation
with a broken chain, a private goal and a goal that supports nothing, and of a chain as
deep as the limits allow; the page layout of a 1,000-goal organisation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from okrsite.model.graph import Goal, KeyResult, Objective, Organization
from okrsite.site import alignment, urls
from okrsite.source.loader import load

from orgkit import (
    ANA,
    ENGINE,
    FILES,
    GROWTH,
    build,
    search_docs,
    site_files,
    write_goals,
    write_site,
)

ROOT = Path(__file__).resolve().parent.parent


class _Tree(HTMLParser):
    """Each ``li`` with an id on a map page, with the ids of the ``li`` around it;
    every id and link of the page; the most ``details`` open inside each other."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []  # (tag, id)
        self.parents: dict[str, list[str]] = {}
        self.seen: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.depth = self.max_depth = 0
        self.summaries: dict[str, str] = {}  # node id -> text of its own line
        self._line: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "details":
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if tag in ("summary",) or (tag == "div" and a.get("class") == "okr-map__line"):
            self._line = self._current()
            if self._line is not None:
                self.summaries.setdefault(self._line, "")
        if tag == "li":
            ident = a.get("id") or ""
            if a.get("class") == "okr-map__goal":  # a goal is a line of its own
                self._line = ident
                self.summaries.setdefault(ident, "")
            if ident.startswith("map-"):
                self.parents[ident] = [i for t, i in self.stack if t == "li" and i]
                self.seen.append(ident)
            self.stack.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self.depth -= 1
        if tag in ("summary", "div") or (tag == "li" and self._line in self.parents):
            self._line = None
        if tag == "li":
            while self.stack and self.stack.pop()[0] != "li":
                pass

    def handle_data(self, data: str) -> None:
        if self._line is not None:
            self.summaries[self._line] += data

    def _current(self) -> str | None:
        for tag, ident in reversed(self.stack):
            if tag == "li":
                return ident or None
        return None


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    return tree


def _fold_open(html: str, anchor: str) -> bool:
    """Whether the node ``anchor`` starts open: the first fold after its line."""
    start = html.index(f'id="{anchor}"')
    tag = html[html.index("<details", start) :]
    return " open>" in tag[: tag.index(">") + 1]


def _map_pages(site: Path, period_slug: str) -> dict[str, str]:
    """Every map page of a period, by its path in the site."""
    folder = site / "periods" / period_slug / "map"
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("index.html"))
    }


def _check_goals_under_what_they_support(org: Organization, site: Path) -> None:
    """Every public goal of each period is on its period's maps exactly once, right
    under what it supports (a goal supporting nothing: under the 'supports nothing'
    group)."""
    for period in org.periods.values():
        trees = [_parse(html) for html in _map_pages(site, period.slug).values()]
        assert trees, period.key
        seen: dict[str, list[list[str]]] = {}
        for tree in trees:
            for ident in tree.seen:
                if ident.startswith("map-g."):
                    seen.setdefault(ident, []).append(tree.parents[ident])
        goals = [g for g in org.goals.values() if g.period is period]
        assert sorted(seen) == sorted(alignment.anchor_of(g) for g in goals), period.key
        for goal in goals:
            (parents,) = seen[alignment.anchor_of(goal)]  # exactly once
            under = [p for p in parents if not p.startswith("map-g.")][-1]
            if goal.supports is None:
                assert under == "map-supports-nothing"
            elif goal.supports.period is period:
                assert under == alignment.anchor_of(goal.supports)
            else:
                assert under == "map-supports-elsewhere"


def _check_links(site: Path, period_slug: str) -> None:
    """Every link of every map page leads to a file of the site, and every fragment to
    an id on the page it names."""
    ids: dict[Path, set[str]] = {}
    for name, html in _map_pages(site, period_slug).items():
        here = (site / name).parent
        for href in _parse(html).hrefs:
            if re.match(r"[a-z]+:", href):
                continue
            path, _, frag = href.partition("#")
            target = (here / path).resolve() if path else (site / name).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (name, href)
            if frag:
                if target not in ids:
                    ids[target] = _parse(target.read_text(encoding="utf-8")).ids
                assert frag in ids[target], (name, href)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("example") / "site"
    run = subprocess.run(
        [ENGINE, "build", "-q", "-d", str(site)], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return site


def test_example_every_goal_once_under_what_it_supports(example):
    org = load(ROOT / "goals").org
    _check_goals_under_what_they_support(org, example)
    for period in org.periods.values():
        _check_links(example, period.slug)


def test_example_map_is_linked_and_titled(example):
    periods = (example / "periods" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-q4/map/"' in periods
    html = (example / "periods" / "2026-q4" / "map" / "index.html").read_text(encoding="utf-8")
    assert "<title>Alignment map 2026-Q4" in html
    assert 'data-okr-expand="okr-map-tree"' in html and 'id="okr-map-tree"' in html
    # Every objective of the period is a node; the company's open, the teams' folded.
    org = load(ROOT / "goals").org
    tree = _parse(html)
    for obj in org.objectives.values():
        if obj.period.key == "2026-Q4":
            assert alignment.anchor_of(obj) in tree.seen
    assert _fold_open(html, "map-o.company.retention")
    assert not _fold_open(html, "map-o.onboarding.effortless")
    # KPIs first, each linked to the key results that move it, on the map by anchor.
    kpis = html[html.index('id="kpis"') : html.index('id="tree"')]
    assert 'href="#map-kr.' in kpis


def test_map_is_not_indexed_for_search(example):
    docs = search_docs(example)
    [found] = [d for d in docs if d["location"].startswith("periods/2026-q4/map/")]
    # The period's map is found by its title, but its tree (every item has its own page)
    # is not indexed again, nor are the maps cut for each item.
    assert found["title"] == "Alignment map 2026-Q4"
    assert "Make the onboarding experience" not in found["summary"]
    assert "Make the onboarding experience" in json.dumps(docs)
    maps = [d["location"] for d in docs if "/map/" in d["location"]]
    assert maps and all(re.fullmatch(r"periods/[^/]+/map/", m) for m in maps)


PRIVATE_TITLE = "Quietly renegotiate the ZZSECRET vendor contract"
LOOSE = """\
period: 2026-Q3
team: growth
objectives:
  - id: loose
    title: Tidy up the onboarding emails
    owner: ana
    key_results:
      - id: emails
        title: Rewrite 12 of the 20 onboarding emails
        baseline: 0
        target: 12
"""
ANA_MORE = (
    ANA
    + f"""\
  - id: secret
    title: {PRIVATE_TITLE}
    supports: growth/trials/aha
    visibility: private
    metric: Vendors renegotiated
    baseline: 0
    target: 2
  - id: emails
    title: Write the first four onboarding emails again
    supports: growth/loose/emails
  - id: adrift
    title: Read three books about retention
"""
)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Organization, Path]:
    root = tmp_path_factory.mktemp("small")
    files = {
        **FILES,
        "2026-Q3/growth.yaml": GROWTH + LOOSE.split("objectives:\n", 1)[1],
        "2026-Q3/people/ana.yaml": ANA_MORE,
    }
    write_site(root, files)
    run = build(root)
    assert run.returncode == 0, run.stderr
    return load(root / "goals").org, root / "site"


def test_small_every_goal_once_and_links_resolve(small):
    org, site = small
    _check_goals_under_what_they_support(org, site)
    _check_links(site, "2026-q3")


def test_private_goal_only_counted(small):
    _, site = small
    for name, text in site_files(site):
        assert "ZZSECRET" not in text, name
    html = (site / "periods" / "2026-q3" / "map" / "index.html").read_text(encoding="utf-8")
    tree = _parse(html)
    assert "1 private goal" in tree.summaries["map-kr.growth.trials.aha"]
    assert "private goal" not in tree.summaries["map-kr.growth.trials.trial-to-paid"]


def test_broken_badge_where_the_chain_breaks(small):
    """The badge sits on the item where the chain stops reaching a KPI (here the root
    objective 'loose'), not again on every item below it: they get a quiet note."""
    _, site = small
    html = (site / "periods" / "2026-q3" / "map" / "index.html").read_text(encoding="utf-8")
    lines = _parse(html).summaries
    badge, note = "broken chain", "chain broken above"
    assert badge in lines["map-o.growth.loose"] and note not in lines["map-o.growth.loose"]
    for below in ("map-kr.growth.loose.emails", "map-g.ana.emails"):
        assert badge not in lines[below], below
        assert note in lines[below], below
    # The group of goals that support nothing carries the badge, once, for its goals.
    assert badge in lines["map-supports-nothing"]
    assert badge not in lines["map-g.ana.adrift"] and note in lines["map-g.ana.adrift"]
    # The chain through the company's churn key result reaches its KPI: no badge there.
    for ok in ("map-o.company.retention", "map-o.growth.trials", "map-g.ana.tips"):
        assert badge not in lines[ok] and note not in lines[ok], ok
    assert "map-o.growth.loose" in _parse(html).seen


def _kpi_line(kpis: str, name: str) -> str:
    """A KPI's own line in the map's KPI section, without the key results under it."""
    line = kpis[kpis.index(f"<strong>{name}</strong>") :]
    return re.split(r"<ul|</li>", line, maxsplit=1)[0]


def test_closed_period_kpis_as_at_its_end(example):
    """2026-Q3 is over: its map shows each KPI as it stood on 30 September, like its
    glance and its print (first response time had no data then; it is in alert now)."""
    html = (example / "periods" / "2026-q3" / "map" / "index.html").read_text(encoding="utf-8")
    kpis = html[html.index('id="kpis"') : html.index('id="tree"')]
    assert "at the period's end, 2026-09-30" in kpis
    first_response = _kpi_line(kpis, "Median first response time")
    assert "no data" in first_response and "alert" not in first_response
    now = (example / "periods" / "2026-q4" / "map" / "index.html").read_text(encoding="utf-8")
    kpis_now = now[now.index('id="kpis"') : now.index('id="tree"')]
    assert "at the period's end" not in kpis_now
    assert "alert" in _kpi_line(kpis_now, "Median first response time")


def test_no_expand_button_without_folds():
    """A map with nothing to fold offers no "Expand all"."""
    org = load(ROOT / "goals").org
    period = org.periods_sorted()[0]
    empty = alignment.MapPage(period, urls.map_page(period), "map", None, [])
    assert not empty.folds
    assert all(page.folds for page in alignment.maps(org) if page.roots)


def test_deep_chain_goes_on_over_pages(tmp_path):
    """A chain of objectives as long as the limits allow, each aligned to the last:
    every page nests at most MAP_DEPTH levels, and the chain goes on map after map."""
    levels = 29  # and the growth team's objective under the last: 30, the limit
    objectives = []
    for i in range(levels):
        align = f"\n    aligns_to: company/o{i - 1}/k" if i else ""
        objectives.append(
            f"  - id: o{i}\n    title: Level {i} objective\n    owner: maria{align}\n"
            f"    key_results:\n      - id: k\n        title: Raise level {i} from 0 to 10\n"
            "        kpi: gross-churn\n        baseline: 0\n        target: 10\n"
        )
    files = {
        **FILES,
        "2026-Q3/company.yaml": "period: 2026-Q3\nteam: company\nobjectives:\n"
        + "".join(objectives),
        "2026-Q3/growth.yaml": GROWTH.replace("company/retention/churn", "company/o28/k"),
    }
    write_site(tmp_path, files)
    run = build(tmp_path)
    assert run.returncode == 0, run.stderr
    pages = _map_pages(tmp_path / "site", "2026-q3")
    assert len(pages) > 2
    seen: list[str] = []
    for html in pages.values():
        tree = _parse(html)
        assert tree.max_depth <= alignment.MAP_DEPTH
        seen += [i for i in tree.seen if i.startswith("map-o.")]
    # Each objective is once a line under its parent (and once more as a map's root).
    for i in range(levels):
        assert 1 <= seen.count(f"map-o.company.o{i}") <= 2
    org = load(tmp_path / "goals").org
    _check_goals_under_what_they_support(org, tmp_path / "site")
    _check_links(tmp_path / "site", "2026-q3")


def test_large_organisation_laid_out_within_budget(tmp_path):
    """1,000 goals: every item is shown under its parent on exactly one page, no page
    shows more than MAP_ITEMS_MAX items, and every cut item has its map."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(1000, tmp_path)
    org = load(tmp_path / "goals").org
    pages = alignment.maps(org)
    paths = {p.src_uri for p in pages}
    assert len(paths) == len(pages)
    under: dict[int, int] = {}
    for page in pages:
        count, stack = 0, list(page.roots)
        while stack:
            view = stack.pop()
            count += 1 + len(view.goals)
            if view.below:
                assert view.below in paths
                assert not view.branches and not view.goals
            for child in view.branches:
                under[id(child.node.item)] = under.get(id(child.node.item), 0) + 1
            for goal in view.goals:
                under[id(goal)] = under.get(id(goal), 0) + 1
            stack.extend(view.branches)
        assert count <= alignment.MAP_ITEMS_MAX + 1
    items: list[Objective | KeyResult | Goal] = list(org.goals.values())
    for obj in org.objectives.values():
        items += obj.key_results
        if obj.parent is not None:
            items.append(obj)
    assert all(under.get(id(x)) == 1 for x in items)
    assert pages[0].src_uri == urls.map_page(next(iter(org.periods.values())))


def test_big_groups_go_on_over_numbered_parts(tmp_path, monkeypatch):
    """More goals support nothing than a page holds, and a key result has more goals
    than a page holds: each goes on over numbered parts of its map, linked one to the
    next, and every public goal is on exactly one page, under what it supports."""
    monkeypatch.setattr(alignment, "MAP_ITEMS", 5)
    monkeypatch.setattr(alignment, "MAP_ITEMS_MAX", 6)
    adrift = "".join(f"  - id: adrift{i}\n    title: Read book {i}\n" for i in range(13))
    busy = "".join(
        f"  - id: tip{i}\n    title: Tip {i}\n    supports: growth/trials/aha\n" for i in range(11)
    )
    write_goals(tmp_path, {**FILES, "2026-Q3/people/ana.yaml": ANA + adrift + busy})
    org = load(tmp_path / "goals").org
    pages = alignment.maps(org)
    by_src = {p.src_uri: p for p in pages}
    assert len(by_src) == len(pages)
    where: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        stack = list(page.roots)
        while stack:
            view = stack.pop()
            for goal in view.goals:
                where.setdefault(alignment.anchor_of(goal), []).append(
                    (page.src_uri, view.node.anchor)
                )
            stack.extend(view.branches)
            if view.next:  # the next part holds the same root and goes on
                nxt = by_src[view.next]
                assert nxt.root is view.node and nxt.part == page.part + 1
                assert nxt.previous == page.src_uri
    for goal in org.goals.values():
        if goal.private:
            continue
        (shown,) = where[alignment.anchor_of(goal)]  # exactly once
        home = (
            "map-supports-nothing" if goal.supports is None else alignment.anchor_of(goal.supports)
        )
        assert shown[1] == home, goal.id
    nothing = [p for p in pages if p.root is not None and p.root.group == "nothing"]
    assert [p.part for p in nothing] == [1, 2, 3, 4]
    assert nothing[1].src_uri.endswith("/nothing/part_2/index.md")
    aha = [p for p in pages if p.root is not None and p.root.anchor == "map-kr.growth.trials.aha"]
    assert len(aha) >= 3
