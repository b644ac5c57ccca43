"""Fast unit tests of okrsite.source and okrsite.model: real goal files in tmp_path,
loaded by the real loader, no site build.

They pin the loader's resolution rules (what a reference resolves to, the message and
line when it does not), privacy (a private goal is a number unless the site includes
private goals), a KPI's CSV history, the parse cache, and the model's graph questions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from okrsite.diagnostics import INFO, DataError
from okrsite.limits import NUMBER_RANGE
from okrsite.model.chain import kpi_trees, org_items, private_in_tree, prune
from okrsite.model.graph import Organization, parent_objective
from okrsite.model.queries import all_key_results, team_objectives
from okrsite.source.folder import ParseCache, find_goal_files
from okrsite.source.goalfile import ParsedFile
from okrsite.source.loader import LoadResult, load

from orgkit import FILES, write_goals

ANA = "2026-Q3/people/ana.yaml"
PRIVATE_GOAL = """\
  - id: secret-plan
    title: My secret plan to reorganise the team
    visibility: private
    supports: {ref}
"""


def _load(tmp_path: Path, files: dict[str, str], **options: bool) -> LoadResult:
    return load(write_goals(tmp_path, files), **options)


def _errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(DataError) as caught:
        _load(tmp_path, files)
    return [str(d) for d in caught.value.diagnostics]


def _org(tmp_path: Path, files: dict[str, str] = FILES, **options: bool) -> Organization:
    return _load(tmp_path, files, **options).org


# -- resolution --------------------------------------------------------------------


def test_a_goal_supporting_a_key_result_is_linked_both_ways(tmp_path: Path):
    org = _org(tmp_path)
    goal = org.goals["2026-Q3/ana/tips"]
    kr = goal.supports
    assert kr is not None and kr.key == "2026-Q3/growth/trials/aha"
    assert kr.goals == [goal]
    assert org.people["ana"].goals == [goal]


def test_an_objective_aligned_to_a_key_result_hangs_below_it(tmp_path: Path):
    org = _org(tmp_path)
    trials = org.objectives["2026-Q3/growth/trials"]
    churn = trials.parent
    assert churn is not None and churn.key == "2026-Q3/company/retention/churn"
    assert churn.aligned == [trials]
    assert parent_objective(trials) is org.objectives["2026-Q3/company/retention"]
    assert parent_objective(org.objectives["2026-Q3/company/retention"]) is None


def test_a_period_prefixed_reference_resolves_like_a_plain_one(tmp_path: Path):
    files = {**FILES, ANA: FILES[ANA].replace("growth/trials/aha", "2026-Q3/growth/trials/aha")}
    goal = _org(tmp_path, files).goals["2026-Q3/ana/tips"]
    assert goal.supports is not None and goal.supports.key == "2026-Q3/growth/trials/aha"


def test_a_reference_to_a_missing_key_result_is_reported_at_its_line(tmp_path: Path):
    files = {**FILES, ANA: FILES[ANA].replace("growth/trials/aha", "growth/trials/ahaa")}
    assert _errors(tmp_path, files) == [
        "goals/2026-Q3/people/ana.yaml:6: 'supports' of goal 'tips' points to "
        "'growth/trials/ahaa': objective 'growth/trials' has no key result 'ahaa'; "
        "did you mean 'aha'?"
    ]


def test_a_reference_to_a_missing_team_is_reported_at_its_line(tmp_path: Path):
    growth = "2026-Q3/growth.yaml"
    files = {**FILES, growth: FILES[growth].replace("company/retention", "compny/retention")}
    assert _errors(tmp_path, files) == [
        "goals/2026-Q3/growth.yaml:7: 'aligns_to' of objective 'trials' points to "
        "'compny/retention/churn': there is no team 'compny'; did you mean 'company'?"
    ]


def test_an_alignment_cycle_is_reported_once_and_broken(tmp_path: Path):
    company = "2026-Q3/company.yaml"
    files = {
        **FILES,
        company: FILES[company].replace(
            "    owner: maria\n", "    owner: maria\n    aligns_to: growth/trials\n", 1
        ),
    }
    errors = _errors(tmp_path, files)
    assert len(errors) == 1
    assert errors[0].startswith("goals/2026-Q3/company.yaml:7: alignment cycle: ")


# -- privacy -----------------------------------------------------------------------


def test_a_private_goal_is_only_a_count_without_include_private(tmp_path: Path):
    files = {**FILES, ANA: FILES[ANA] + PRIVATE_GOAL.format(ref="growth/trials/aha")}
    org = _org(tmp_path, files)
    assert list(org.goals) == ["2026-Q3/ana/tips"]
    kr = org.objectives["2026-Q3/growth/trials"].key_results[1]
    assert (kr.id, kr.private_goals, [g.id for g in kr.goals]) == ("aha", 1, ["tips"])
    assert (org.private_goals, org.private_unlinked) == (1, 0)
    assert org.private_by_period == {"2026-Q3": 1}
    assert [g.id for g in org.people["ana"].goals] == ["tips"]


def test_a_private_goal_is_a_goal_with_include_private(tmp_path: Path):
    files = {**FILES, ANA: FILES[ANA] + PRIVATE_GOAL.format(ref="growth/trials/aha")}
    org = _org(tmp_path, files, include_private=True)
    secret = org.goals["2026-Q3/ana/secret-plan"]
    assert secret.private and secret in org.people["ana"].goals
    assert org.private_goals == 0


def test_a_private_goal_supporting_nothing_counts_as_unlinked(tmp_path: Path):
    files = {
        **FILES,
        ANA: FILES[ANA] + PRIVATE_GOAL.format(ref="x").replace("    supports: x\n", ""),
    }
    org = _org(tmp_path, files)
    assert (org.private_goals, org.private_unlinked) == (1, 1)


def test_a_private_goals_bad_reference_is_reported_without_its_text(tmp_path: Path):
    files = {**FILES, ANA: FILES[ANA] + PRIVATE_GOAL.format(ref="growth/trials/nope")}
    assert _errors(tmp_path, files) == [
        "goals/2026-Q3/people/ana.yaml:14: 'supports' of private goal #2 points to no key "
        "result that exists (reference not shown: private goal): check its period, team, "
        "objective and key result ids"
    ]


def test_a_period_only_private_goals_name_has_no_page(tmp_path: Path):
    later = "period: 2026-Q4\nowner: ana\ngoals:\n" + PRIVATE_GOAL.format(ref="x").replace(
        "    supports: x\n", ""
    )
    org = _org(tmp_path, {**FILES, "2026-Q4/people/ana.yaml": later})
    assert list(org.periods) == ["2026-Q3"]
    assert org.private_by_period == {"2026-Q4": 1}


# -- a KPI's CSV history -------------------------------------------------------------


def _with_history(csv_text: str, name: str = "churn.csv") -> dict[str, str]:
    kpis = FILES["kpis.yaml"] + f"    history_file: {name}\n"
    return {**FILES, "kpis.yaml": kpis, "churn.csv": csv_text}


def test_csv_history_merges_with_inline_history_oldest_first(tmp_path: Path):
    csv_text = 'date,value\n2026-05-31,4.4\n\n 2026-04-30 , 4.6 \n2026-03-31,"1,234.5"\n'
    result = _load(tmp_path, _with_history(csv_text))
    history = result.org.kpis["gross-churn"].history
    assert [(c.date.isoformat(), c.value) for c in history] == [
        ("2026-03-31", 1234.5),
        ("2026-04-30", 4.6),
        ("2026-05-31", 4.4),
        ("2026-06-30", 4.2),
    ]
    # A history file read for a KPI is data, not a file passed over.
    assert not [w for w in result.warnings if w.level == INFO]


def test_csv_history_rows_are_reported_at_their_own_lines(tmp_path: Path):
    csv_text = "date,value\n2026-04-30,4.6\n\n2026-05-31,4.4,x\n2026-13-01,4\n2026-05-15,lots\n"
    assert _errors(tmp_path, _with_history(csv_text)) == [
        "goals/churn.csv:4: expected 2 columns 'date,value', got 3: write one "
        "'YYYY-MM-DD,number' row a line",
        "goals/churn.csv:5: bad date '2026-13-01': write an ISO date YYYY-MM-DD, e.g. 2026-08-15",
        f"goals/churn.csv:6: bad value 'lots': write a number {NUMBER_RANGE}, e.g. 4.2",
    ]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../churn.csv", "outside the goals folder"),
        (".churn.csv", "a history file is a visible .csv file"),
        ("missing.csv", "which does not exist next to goals/kpis.yaml"),
    ],
)
def test_csv_history_file_outside_hidden_or_missing_is_refused(
    tmp_path: Path, name: str, says: str
):
    (tmp_path / "churn.csv").write_text("2026-04-30,4.6\n", encoding="utf-8")
    files = _with_history("2026-04-30,4.6\n", name)
    files[".churn.csv"] = "2026-04-30,4.6\n"
    (error,) = _errors(tmp_path, files)
    assert error.startswith("goals/kpis.yaml:9: 'history_file' of KPI 'gross-churn' names ")
    assert says in error


# -- the parse cache -------------------------------------------------------------------


def _cached(cache: ParseCache, goals: Path) -> dict[str, ParsedFile]:
    out = {}
    for path in find_goal_files(goals):
        result = cache.read(path, path.relative_to(goals.parent).as_posix())
        assert isinstance(result, ParsedFile)
        out[path.name] = result
    return out


def test_parse_cache_rereads_only_a_changed_file(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    cache = ParseCache()
    load(goals, cache=cache)
    before = _cached(cache, goals)
    assert len(cache) == len(FILES)
    ana = goals / ANA
    ana.write_text(FILES[ANA].replace("due: 2026-09-15", "due: 2026-09-16"), encoding="utf-8")
    stat = ana.stat()
    os.utime(ana, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    org = load(goals, cache=cache).org
    after = _cached(cache, goals)
    assert org.goals["2026-Q3/ana/tips"].due.isoformat() == "2026-09-16"
    changed = [name for name in before if before[name] is not after[name]]
    assert changed == ["ana.yaml"]


def test_parse_cache_keeps_only_the_files_of_the_latest_load(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    cache = ParseCache()
    load(goals, cache=cache)
    (goals / ANA).unlink()
    org = load(goals, cache=cache).org
    assert len(cache) == len(FILES) - 1
    assert org.goals == {}
    cache.retain(set())
    assert len(cache) == 0


# -- graph questions -------------------------------------------------------------------

MAYA = """\
period: 2026-Q3
owner: maria
goals:
  - id: interviews
    title: Interview twenty churned customers about why they left
    supports: company/retention/churn
"""


def _outline(node, depth: int = 0) -> list[str]:
    lines = [f"{'  ' * depth}{type(node.item).__name__} {node.item.id}"]
    for child in node.children:
        lines += _outline(child, depth + 1)
    return lines


def test_a_kpi_tree_holds_every_item_whose_chain_reaches_the_kpi(tmp_path: Path):
    files = {
        **FILES,
        "2026-Q3/people/maria.yaml": MAYA,
        ANA: FILES[ANA] + PRIVATE_GOAL.format(ref="growth/trials/trial-to-paid"),
    }
    org = _org(tmp_path, files)
    trees = kpi_trees(org_items(org))
    assert list(trees) == ["gross-churn"]  # no key result moves another KPI
    [root] = trees["gross-churn"]
    # Key results, then goals, then aligned objectives; every level between a goal and
    # the KPI is there. nrr moves no KPI of its own, so it reaches its objective's.
    assert _outline(root) == [
        "Objective retention",
        "  KeyResult churn",
        "    Goal interviews",
        "    Objective trials",
        "      KeyResult trial-to-paid",
        "      KeyResult aha",
        "        Goal tips",
        "  KeyResult nrr",
    ]
    assert private_in_tree(root) == 1  # the private goal under trial-to-paid
    # Pruned level by level: the roots always; a node keeps all its children or none,
    # and then counts the items it no longer shows.
    [whole], more_roots = prune([root], 400)
    assert _outline(whole) == _outline(root) and more_roots == 0
    [cut], _ = prune([root], 3)
    assert _outline(cut) == ["Objective retention", "  KeyResult churn", "  KeyResult nrr"]
    assert [c.more for c in cut.children] == [5, 0] and cut.more == 0
    [bare], _ = prune([root], 1)
    assert (bare.children, bare.more) == ([], 7)
    assert prune([root, root], 1)[1] == 1  # the roots count too
    assert _outline(root)[-1] == "  KeyResult nrr"  # the tree itself is left whole
    churn = root.children[0]
    assert [n.item.id for n in churn.goals] == ["interviews"]
    assert [n.item.id for n in churn.branches] == ["trials"]


def test_a_kpi_trees_children_are_key_results_then_goals_then_objectives(tmp_path: Path):
    """Whatever order the items come in: under retention, its key results, then a goal
    that supports the objective itself."""
    direct = MAYA.replace("company/retention/churn", "company/retention")
    org = _org(tmp_path, {**FILES, "2026-Q3/people/maria.yaml": direct})
    for items in (org_items(org), list(reversed(org_items(org)))):
        [root] = kpi_trees(items)["gross-churn"]
        kinds = [type(c.item).__name__ for c in root.children]
        assert kinds == ["KeyResult", "KeyResult", "Goal"], kinds


def test_team_objectives_and_all_key_results(tmp_path: Path):
    org = _org(tmp_path)
    q3 = org.periods["2026-Q3"]
    assert [o.id for o in team_objectives(org.teams["growth"], q3)] == ["trials"]
    assert team_objectives(org.teams["product"], q3) == []
    assert [kr.key for kr in all_key_results(org)] == [
        "2026-Q3/company/retention/churn",
        "2026-Q3/company/retention/nrr",
        "2026-Q3/growth/trials/trial-to-paid",
        "2026-Q3/growth/trials/aha",
    ]
