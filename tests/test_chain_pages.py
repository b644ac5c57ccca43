"""Every KPI on a goal's path is on its page, and every KPI page lists every goal whose
chain reaches it: read from the built HTML of three organisations (the example, a
hospital written from the spec, and Ledgerly, written afresh by a new user from the
docs, with the author's intent in fixtures/ledgerly/INTENT.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from okrsite.model.chain import chain_of, kpi_trees, org_items, up
from okrsite.model.graph import Goal, Objective, Organization
from okrsite.source.loader import load

from orgkit import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ORGS = {
    "example": ROOT / "goals",
    "hospital": FIXTURES / "hospital" / "goals",
    "ledgerly": FIXTURES / "ledgerly" / "goals",
}
TODAY = "2026-11-15"


@pytest.fixture(scope="module", params=sorted(ORGS))
def built(request, tmp_path_factory) -> tuple[Organization, Path]:
    root = tmp_path_factory.mktemp(request.param)
    shutil.copytree(ORGS[request.param], root / "goals")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Chains\ntheme: {name: material, font: false}\n"
        f"plugins: [search, {{okrsite: {{today: {TODAY}}}}}]\n",
        encoding="utf-8",
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    return load(root / "goals").org, root / "site"


@pytest.fixture(scope="module", params=sorted(ORGS))
def org(request) -> Organization:
    """The organisation alone, loaded as a build loads it: the fast tier's fixture."""
    return load(ORGS[request.param]).org


def _links(html: str, start: str, end: str, kind: str) -> set[str]:
    """The ``kind/...`` pages linked between the markers ``start`` and ``end``."""
    i = html.index(start)
    part = html[i : html.index(end, i)]
    return {m for m in re.findall(rf'href="(?:\.\./)*({kind}/[^"#]+?)/?(?:#[^"]*)?"', part)}


def _page(site: Path, item: object) -> str:
    if isinstance(item, Goal):
        path = f"goals/{item.period.key.lower()}/{item.owner.id}/{item.id}"
    else:
        path = f"kpis/{item.id}"  # type: ignore[attr-defined]
    return (site / path / "index.html").read_text(encoding="utf-8")


def _goal_path(g: Goal) -> str:
    return f"goals/{g.period.key.lower()}/{g.owner.id}/{g.id}"


def test_every_goal_page_links_every_kpi_on_its_path(built):
    org, site = built
    assert org.goals
    for goal in org.goals.values():
        want = {f"kpis/{k.id}" for k in chain_of(goal).kpis}
        got = _links(_page(site, goal), '<ol class="okr-chain"', "</ol>", "kpis")
        assert got == want, goal.key


def test_every_kpi_page_lists_every_goal_whose_chain_reaches_it(built):
    org, site = built
    reached = 0
    for kpi in org.kpis.values():
        want = {_goal_path(g) for g in org.goals.values() if kpi in chain_of(g).kpis}
        got = _links(_page(site, kpi), 'id="moved-by"', "</article>", "goals")
        assert got == want, kpi.id
        reached += len(want)
    assert reached  # the organisation's goals reach KPIs at all


def test_a_kpi_tree_skips_no_level(org: Organization):
    """Each item in a KPI's tree sits under its next step up, and every item whose chain
    reaches the KPI is in the tree: walking up from any goal passes only through nodes
    of the tree, to an objective at the root."""
    trees = kpi_trees(org_items(org))
    for kpi in org.kpis.values():
        parent_of: dict[int, object] = {}
        stack = [(root, None) for root in trees.get(kpi.id, [])]
        while stack:
            node, parent = stack.pop()
            parent_of[id(node.item)] = parent
            assert kpi in chain_of(node.item).kpis
            if parent is None:
                assert isinstance(node.item, Objective)
            else:
                assert up(node.item) is parent
            stack += [(child, node.item) for child in node.children]
        for item in org_items(org):
            assert (id(item) in parent_of) == (kpi in chain_of(item).kpis), item.key


def test_a_large_kpi_tree_is_cut_level_by_level_with_counts(monkeypatch):
    """A KPI page shows at most KPI_TREE_ITEMS items of its tree below the top
    objectives; each item cut below says how many it leaves out and links to its page."""
    from datetime import date

    from okrsite.site import pages, render

    org = load(ORGS["example"]).org
    monkeypatch.setattr(render, "KPI_TREE_ITEMS", 2)
    renderer = render.Renderer(org, date(2026, 11, 22))
    spec = pages.plan(org)["kpis/gross-churn/index.md"]
    html = renderer.render(spec)
    tree = html[html.index('<section class="okr-kpi-tree"') : html.index("</section>")]
    more = re.findall(r'class="okr-tree__more"><a href="([^"]+)">([\d,]+) more items? below', tree)
    assert more, tree
    trees = kpi_trees(org_items(org))["gross-churn"]
    left_out = sum(int(n.replace(",", "")) for _, n in more)
    shown = tree.count('class="okr-tree__key-result"') + tree.count('class="okr-tree__objective"')
    shown += tree.count('href="../../goals/')
    total = sum(1 for _ in _walk(trees))
    assert shown + left_out == total  # every item is shown or counted, none twice


def _walk(nodes):
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)
