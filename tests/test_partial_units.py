"""The shortcuts of `mkdocs serve`'s partial rebuilds give what the whole computation
gives: the rules checked again for the items of the edited files (and the last build's
findings of the others) are every rule's findings; one KPI's tree is its tree among all
of them; the last build's maps moved onto an edited organisation are its own maps.
(tests/test_serve_partial.py checks whole sites against full builds.)"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from okrsite import pipeline, settings, watchstate
from okrsite.model import chain
from okrsite.review import rules
from okrsite.site import alignment
from okrsite.site import partial_items as items
from okrsite.source.folder import ParseCache

REPO = Path(__file__).resolve().parent.parent


def _findings(found: list[rules.Finding]) -> list[tuple[object, ...]]:
    return [
        (f.rule.code, f.level, f.message, str(f.source), items.ref(f.item), f.team and f.team.id)
        for f in found
    ]


@pytest.fixture(scope="module")
def org_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("partial") / "org"
    generate(300, root)
    return root


EDITS = [
    ("people", "title: ", "title: Run "),  # a goal's title (a finding or not)
    ("people", "baseline: ", "baseline: 1"),  # a goal's numbers
    ("teams", "title: ", "title: Hold "),  # an objective's title: its findings and below
    ("teams", "target: ", "target: 9"),  # a key result's target
]


@pytest.mark.parametrize(("kind", "old", "new"), EDITS)
def test_rules_checked_again_for_an_edit_are_every_rules_findings(
    org_dir: Path, tmp_path: Path, kind: str, old: str, new: str
) -> None:
    root = tmp_path / "org"
    shutil.copytree(org_dir, root)
    options = settings.options_from({"today": "2026-09-20"})
    today = pipeline.as_of(options)
    cache = ParseCache()
    before = pipeline.run(root / "goals", options, today, display_base=root, cache=cache)
    edited = sorted((root / "goals").rglob(f"{kind}/*.yaml"))[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    after = pipeline.run(root / "goals", options, today, display_base=root, cache=cache)
    paths = {edited.relative_to(root).as_posix()}
    scoped = items.rule_scope(
        items.written_in(before.org, paths), items.written_in(after.org, paths), after.org
    )
    assert scoped is not None
    scope, replaced = scoped
    fresh = rules.check(after.org, today, pipeline.rule_options(options), scope)
    merged = items.merge_findings(
        before.findings, fresh, replaced, items.twins(before.org, after.org)
    )
    assert merged is not None
    assert _findings(merged) == _findings(after.findings)
    for finding in merged:  # on the new organisation's items, none of the last one's
        assert items.find(after.org, items.ref(finding.item) or "") is finding.item


@pytest.mark.parametrize("source", ["example", "generated"])
def test_one_kpis_tree_is_its_tree_among_all(org_dir: Path, source: str) -> None:
    goals = REPO / "goals" if source == "example" else org_dir / "goals"
    options = settings.options_from({"today": "2026-11-22"})
    outcome = pipeline.run(goals, options, pipeline.as_of(options))
    every = chain.org_items(outcome.org)
    trees = chain.kpi_trees(every)

    def shape(nodes: list[chain.Node]) -> list[object]:
        return [(items.ref(n.item), shape(n.children)) for n in nodes]

    for kpi in outcome.org.kpis.values():
        assert shape(chain.kpi_tree(kpi, every)) == shape(trees.get(kpi.id, []))


def test_maps_moved_onto_an_edited_organisation_are_its_maps(org_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "org"
    shutil.copytree(org_dir, root)
    options = settings.options_from({"today": "2026-09-20"})
    today = pipeline.as_of(options)
    before = pipeline.run(root / "goals", options, today)
    edited = sorted((root / "goals").rglob("people/*.yaml"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: New ", 1))
    after = pipeline.run(root / "goals", options, today)
    moved = items.rebind_maps(alignment.maps(before.org), items.twins(before.org, after.org))
    assert moved is not None
    fresh = alignment.maps(after.org)
    assert items.map_index((m.src_uri, m) for m in moved) == items.map_index(
        (m.src_uri, m) for m in fresh
    )
    assert [(m.src_uri, m.title) for m in moved] == [(m.src_uri, m.title) for m in fresh]
    drawn = {id(i) for i in items.items(after.org)}
    for page in moved:  # every item drawn is one of the new organisation's
        todo = list(page.roots)
        while todo:
            shown = todo.pop()
            assert shown.node.item is None or id(shown.node.item) in drawn
            assert all(id(g) in drawn for g in shown.goals)
            todo += shown.branches


def test_twins_pair_every_item_with_the_new_one_of_its_key() -> None:
    options = settings.options_from({"today": "2026-09-20"})
    today = pipeline.as_of(options)
    before = pipeline.run(REPO / "goals", options, today)
    after = pipeline.run(REPO / "goals", options, today)
    moved = items.twins(before.org, after.org)
    old = list(items.items(before.org))
    assert len(moved) == len(old)  # the same files: every item has its twin
    for item in old:
        twin = moved[id(item)]
        assert twin is not item and type(twin) is type(item)
        assert items.ref(twin) == items.ref(item)
        assert items.find(after.org, items.ref(item) or "") is twin
    # An item gone from the new organisation has none.
    gone = next(iter(after.org.goals))
    del after.org.goals[gone]
    assert id(before.org.goals[gone]) not in items.twins(before.org, after.org)


def test_the_watched_files_are_seen_through_links_as_mkdocs_sees_them(tmp_path: Path):
    """An edit of a file behind a link (docs/index.md as a link to the README, a linked
    folder) is a change, as MkDocs' watcher sees it; a link back up is looked into once;
    a broken link is there, changed when it is mended."""
    (tmp_path / "README.md").write_text("# Hello\n")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "a.md").write_text("a\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").symlink_to(tmp_path / "README.md")
    (docs / "shared").symlink_to(tmp_path / "shared")
    (docs / "loop").symlink_to(docs)
    (docs / "broken.md").symlink_to(tmp_path / "nowhere.md")
    before = watchstate.state([str(docs)])
    assert before[str(docs / "broken.md")] == (-1, -1)
    assert watchstate.changes(before, watchstate.state([str(docs)])) == []
    (tmp_path / "README.md").write_text("# Hello, world\n")
    (tmp_path / "shared" / "a.md").write_text("a, longer\n")
    (tmp_path / "nowhere.md").write_text("found\n")
    assert watchstate.changes(before, watchstate.state([str(docs)])) == [
        str(docs / "broken.md"),
        str(docs / "index.md"),
        str(docs / "shared" / "a.md"),
    ]
