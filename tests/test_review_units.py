"""Fast unit tests of review (rules, diffs, git refs) and of the import's cell reading.

Goal files are written to tmp_path and loaded in this process; the rules and the diff
run on what was loaded. Each rule's threshold is pinned at its boundary: the last value
that passes and the first that fails, so a changed threshold fails a test.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from okrsite.commands.importnumbers import parse_number
from okrsite.commands.importrows import RowError, column_letter, column_name
from okrsite.commands.importrows import read_row as read_import_row
from okrsite.model.graph import Organization
from okrsite.review import rules
from okrsite.review.diff import ADDED, CHANGED, REMOVED, FieldChange, compare
from okrsite.review.gitrefs import GitError, check_ref
from okrsite.review.rule_words import is_task, is_vague
from okrsite.source.loader import load

from orgkit import write_goals

TODAY = date(2026, 8, 20)  # inside 2026-Q3 (July to September)

ORG = """
organization: Units Inc
teams:
  - {id: company, name: Units Inc, lead: ceo}
  - {id: sales, name: Sales, parent: company, lead: sam}
people:
  - {id: ceo, name: Cleo Executive, team: company}
  - {id: sam, name: Sam Seller, team: sales}
"""
KPIS = """
kpis:
  - {id: churn, name: Monthly gross churn, unit: "%", direction: down, alert: 5,
     history: [{date: 2026-07-31, value: 4.0}]}
"""


def kr(n: int, checkin: str = "2026-08-17", value: float = 3.8, **fields: object) -> str:
    """A key result that breaks no rule: an outcome, numbers, a KPI, a fresh check-in."""
    values = {
        "id": f"kr{n}",
        "title": f"Reduce churn in segment {n} from 4.2% to 3.0%",
        "kpi": "churn",
        "baseline": 4.2,
        "target": 3.0,
        **fields,
    }
    inner = ", ".join(f"{k}: {v}" for k, v in values.items())
    return f"{{{inner}, checkins: [{{date: {checkin}, value: {value}}}]}}"


def objective(ident: str, krs: list[str], title: str = "Make retention our edge") -> str:
    lines = [f"  - id: {ident}", f"    title: {title}", "    owner: sam", "    key_results:"]
    return "\n".join([*lines, *(f"      - {k}" for k in krs)])


def okr_file(period: str, objectives: list[str], team: str = "sales") -> str:
    return f"period: {period}\nteam: {team}\nobjectives:\n" + "\n".join(objectives) + "\n"


def goal(ident: str, title: str = "Reduce the onboarding flow from 7 steps to 3") -> str:
    return (
        f"  - {{id: {ident}, title: {title}, supports: sales/win/kr1, metric: Steps,"
        " baseline: 7, target: 3, due: 2026-09-15, achievable: A tested design}"
    )


def goals_file(goals: list[str]) -> str:
    return "period: 2026-Q3\nowner: sam\ngoals:\n" + "\n".join(goals) + "\n"


def org_of(root: Path, files: dict[str, str]) -> Organization:
    goals = write_goals(root, {"org.yaml": ORG, "kpis.yaml": KPIS, **files})
    return load(goals, include_private=True).org


def findings(
    root: Path, files: dict[str, str], today: date = TODAY, **options: Any
) -> list[rules.Finding]:
    return rules.check(org_of(root, files), today, rules.RuleOptions(**options))


def codes(root: Path, files: dict[str, str], today: date = TODAY, **options: Any) -> set[str]:
    return {f.rule.code for f in findings(root, files, today, **options)}


WIN = objective("win", [kr(1), kr(2)])


def test_a_clean_organisation_breaks_no_rule(tmp_path):
    files = {"2026-Q3/sales.yaml": okr_file("2026-Q3", [WIN])}
    assert findings(tmp_path, files) == []


# --- thresholds, each at its boundary ---------------------------------------------


@pytest.mark.parametrize(("count", "fires"), [(1, True), (2, False), (5, False), (6, True)])
def test_key_result_count_is_2_to_5(tmp_path, count, fires):
    files = {
        "2026-Q3/sales.yaml": okr_file("2026-Q3", [objective("win", [kr(n) for n in range(count)])])
    }
    assert ("OKR101" in codes(tmp_path, files)) is fires


@pytest.mark.parametrize(("count", "fires"), [(4, False), (5, True)])
def test_a_team_has_at_most_4_objectives_in_a_period(tmp_path, count, fires):
    objs = [objective(f"o{i}", [kr(1), kr(2)]) for i in range(count)]
    found = findings(tmp_path, {"2026-Q3/sales.yaml": okr_file("2026-Q3", objs)})
    hits = [f for f in found if f.rule.code == "OKR102"]
    assert bool(hits) is fires
    if fires:  # reported once, at the first objective over the limit
        assert len(hits) == 1 and hits[0].item.id == "sales"
        assert "has 5 objectives in 2026-Q3" in hits[0].message


@pytest.mark.parametrize(
    ("today", "stale_after_days", "fires"),
    [
        (date(2026, 8, 15), 14, False),  # 14 days after the last check-in
        (date(2026, 8, 16), 14, True),  # 15 days
        (date(2026, 8, 16), 15, False),  # the window is the option, not a constant
        (date(2026, 10, 30), 14, False),  # the period is over: nothing to check in
    ],
)
def test_a_key_result_is_stale_after_the_window(tmp_path, today, stale_after_days, fires):
    krs = [kr(1, checkin="2026-08-01"), kr(2, checkin="2026-08-01")]
    files = {"2026-Q3/sales.yaml": okr_file("2026-Q3", [objective("win", krs)])}
    found = codes(tmp_path, files, today, stale_after_days=stale_after_days)
    assert ("OKR204" in found) is fires


def test_stale_counts_from_the_period_start_without_a_check_in(tmp_path):
    krs = [
        "{id: kr1, title: Reduce churn from 4.2% to 3.0%, kpi: churn, baseline: 4.2, target: 3}",
        kr(2),
    ]
    files = {"2026-Q3/sales.yaml": okr_file("2026-Q3", [objective("win", krs)])}
    # 2026-07-01 + 14 days: not stale yet; a day later it is
    assert "OKR204" not in codes(tmp_path, files, date(2026, 7, 15))
    stale = [f for f in findings(tmp_path, files, date(2026, 7, 16)) if f.rule.code == "OKR204"]
    assert [f.item.id for f in stale] == ["kr1"]
    assert "no check-in yet, 15 days before 2026-07-16" in stale[0].message


@pytest.mark.parametrize(("count", "fires"), [(5, False), (6, True)])
def test_a_person_has_at_most_5_goals_in_a_period(tmp_path, count, fires):
    files = {
        "2026-Q3/sales.yaml": okr_file("2026-Q3", [WIN]),
        "2026-Q3/people/sam.yaml": goals_file([goal(f"g{i}") for i in range(count)]),
    }
    assert ("OKR301" in codes(tmp_path, files)) is fires


@pytest.mark.parametrize(
    ("title", "fires"),
    [
        ("Cut onboarding steps", True),  # 3 words
        ("Cut onboarding flow steps", False),  # 4 words
        ("Cut 7 steps", True),  # digits are no words
        ("Significantly improve the onboarding flow", True),  # vague, no number
        ("Significantly improve the onboarding flow to 3 steps", False),
    ],
)
def test_a_goal_title_is_specific_from_4_words_without_vague_wording(tmp_path, title, fires):
    files = {
        "2026-Q3/sales.yaml": okr_file("2026-Q3", [WIN]),
        "2026-Q3/people/sam.yaml": goals_file([goal("g", title)]),
    }
    assert ("OKR302" in codes(tmp_path, files)) is fires


def history(q1: float, q2: float) -> dict[str, str]:
    """Two closed quarters of team sales whose key results end at ``q1`` and ``q2`` of
    the way from 0 to 10 (progress = value / 10)."""

    def quarter(period: str, day: str, value: float) -> str:
        krs = [
            kr(n, checkin=day, value=value * 10, baseline=0, target=10, kpi="null") for n in (1, 2)
        ]
        return okr_file(period, [objective("win", krs)])

    return {
        "2026-Q1/sales.yaml": quarter("2026-Q1", "2026-03-20", q1),
        "2026-Q2/sales.yaml": quarter("2026-Q2", "2026-06-20", q2),
    }


@pytest.mark.parametrize(
    ("q1", "q2", "fires"),
    [(1.0, 1.0, True), (0.99, 1.0, False), (1.0, 0.99, False)],
)
def test_sandbagging_is_two_closed_periods_in_a_row_at_1(tmp_path, q1, q2, fires):
    assert ("OKR501" in codes(tmp_path, history(q1, q2))) is fires


@pytest.mark.parametrize(
    ("q1", "q2", "fires"),
    [(0.49, 0.49, True), (0.5, 0.49, False), (0.49, 0.5, False)],
)
def test_unrealistic_targets_is_two_closed_periods_in_a_row_below_half(tmp_path, q1, q2, fires):
    assert ("OKR502" in codes(tmp_path, history(q1, q2))) is fires


def test_a_running_period_is_no_part_of_a_run(tmp_path):
    # Q2 ends 2026-06-30: on that day it still runs, so Q1 alone is no run of two
    assert "OKR501" not in codes(tmp_path, history(1.0, 1.0), date(2026, 6, 30))
    assert "OKR501" in codes(tmp_path, history(1.0, 1.0), date(2026, 7, 1))


# --- wording --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "task"),
    [("Launch the new plan", True), ("Run 12 webinars", True), ("Generate 200 SQLs", False)],
)
def test_a_task_starts_with_an_activity_verb(title, task):
    assert is_task(title) is task


@pytest.mark.parametrize(
    ("title", "vague"),
    [
        ("Significantly improve onboarding", True),
        ("Improve onboarding from 7 steps to 3", False),  # a number makes it concrete
        ("Reduce onboarding steps", False),
    ],
)
def test_vague_is_a_vague_word_and_no_number(title, vague):
    assert is_vague(title) is vague


def test_wording_rules_on_key_results_and_objectives(tmp_path):
    krs = [
        kr(1, title="Launch the referral programme"),  # a task
        kr(2, title="Maintain churn under 5%"),  # holds a number: a KPI
        kr(3, title="Significantly better retention"),  # vague
        kr(4, baseline=3.0, target=3.0),  # baseline = target: a KPI
    ]
    obj = objective("win", krs, title="Keep churn under 5%")
    found = findings(tmp_path, {"2026-Q3/sales.yaml": okr_file("2026-Q3", [obj])})
    by_code = sorted((f.rule.code, getattr(f.item, "id", None)) for f in found)
    assert by_code == [
        ("OKR103", "win"),
        ("OKR201", "kr1"),
        ("OKR202", "kr2"),
        ("OKR202", "kr4"),
        ("OKR203", "kr3"),
    ]


# --- levels, off, waivers -------------------------------------------------------------


ONE_KR = {"2026-Q3/sales.yaml": okr_file("2026-Q3", [objective("win", [kr(1)])])}


def test_a_rule_reports_at_its_default_level(tmp_path):
    [finding] = findings(tmp_path, ONE_KR)
    assert (finding.rule.code, finding.level) == ("OKR101", rules.WARNING)
    assert rules.RULES["OKR304"].level == rules.INFO


@pytest.mark.parametrize("level", [rules.ERROR, rules.WARNING, rules.INFO])
def test_a_configured_level_replaces_the_default(tmp_path, level):
    [finding] = findings(tmp_path, ONE_KR, levels={"OKR101": level})
    assert finding.level == level and finding.rule.level == rules.WARNING


def test_off_turns_a_rule_off_and_no_other(tmp_path):
    assert findings(tmp_path, ONE_KR, levels={"OKR101": rules.OFF}) == []
    assert [f.rule.code for f in findings(tmp_path, ONE_KR, levels={"OKR102": rules.OFF})] == [
        "OKR101"
    ]


@pytest.mark.parametrize("key", ["OKR101", "key-result-count"])
def test_an_item_waives_a_rule_by_code_or_name(tmp_path, key):
    obj = objective("win", [kr(1)]).replace(
        "    owner: sam", f"    owner: sam\n    waive: {{{key}: One result is the whole aim}}"
    )
    assert findings(tmp_path, {"2026-Q3/sales.yaml": okr_file("2026-Q3", [obj])}) == []


def test_rule_for_finds_a_rule_by_code_or_name_in_any_case():
    assert rules.rule_for("okr201") is rules.RULES["OKR201"]
    assert rules.rule_for("KR-IS-TASK") is rules.RULES["OKR201"]
    assert rules.rule_for("kr-is-tsak") is None
    assert rules.LEVELS == ("error", "warning", "info", "off")


def test_codes_and_names_are_unique_and_stable():
    assert len(rules.BY_NAME) == len(rules.RULES)
    assert all(code == rule.code for code, rule in rules.RULES.items())
    assert {r.level for r in rules.RULES.values()} <= {rules.WARNING, rules.INFO}


# --- the diff -------------------------------------------------------------------------


def test_compare_names_every_added_removed_and_changed_field(tmp_path):
    base = org_of(
        tmp_path / "base",
        {
            "2026-Q3/sales.yaml": okr_file(
                "2026-Q3", [WIN, objective("old", [kr(1), kr(2)], title="Open Spain")]
            ),
        },
    )
    win = objective("win", [kr(1, target=2.5), kr(2)], title="Make retention our lasting edge")
    head = org_of(
        tmp_path / "head",
        {"2026-Q3/sales.yaml": okr_file("2026-Q3", [win, objective("new", [kr(1), kr(2)])])},
    )
    diff = compare(base, head, TODAY, "main", "HEAD")
    assert (diff.base, diff.head) == ("main", "HEAD")
    got = {(c.kind, c.key, c.status): c for c in diff.changes}
    assert set(got) == {
        ("objective", "2026-Q3/sales/new", ADDED),
        ("objective", "2026-Q3/sales/old", REMOVED),
        ("objective", "2026-Q3/sales/win", CHANGED),
        ("key result", "2026-Q3/sales/new/kr1", ADDED),
        ("key result", "2026-Q3/sales/new/kr2", ADDED),
        ("key result", "2026-Q3/sales/old/kr1", REMOVED),
        ("key result", "2026-Q3/sales/old/kr2", REMOVED),
        ("key result", "2026-Q3/sales/win/kr1", CHANGED),
    }
    changed = got[("objective", "2026-Q3/sales/win", CHANGED)]
    assert changed.fields == [
        FieldChange("title", "Make retention our edge", "Make retention our lasting edge")
    ]
    assert changed.group == "Team Sales"
    target = got[("key result", "2026-Q3/sales/win/kr1", CHANGED)]
    assert target.fields == [FieldChange("target", 3.0, 2.5)]
    assert target.checkins == []  # the same check-in on both sides is no new one
    assert diff.counts()["objective"] == {ADDED: 1, REMOVED: 1, CHANGED: 1}
    # the period runs on TODAY: a moved target and removed key results are flagged
    assert diff.warnings == [
        'Team Sales, key result "Reduce churn in segment 1 from 4.2% to 3.0%" (2026-Q3): '
        "target changed (3 → 2.5) while the period runs, with no 'revisions' entry giving "
        "the reason",
        'Team Sales, key result "Reduce churn in segment 1 from 4.2% to 3.0%" (2026-Q3) was '
        "removed while the period runs",
        'Team Sales, key result "Reduce churn in segment 2 from 4.2% to 3.0%" (2026-Q3) was '
        "removed while the period runs",
    ]


def test_compare_of_an_organisation_with_itself_is_empty(tmp_path):
    files = {"2026-Q3/sales.yaml": okr_file("2026-Q3", [WIN])}
    org = org_of(tmp_path, files)
    again = org_of(tmp_path / "again", files)
    diff = compare(org, again, TODAY)
    assert (diff.changes, diff.warnings, diff.notes) == ([], [], [])


def test_a_new_check_in_is_a_change_without_changed_fields(tmp_path):
    base = org_of(tmp_path / "base", {"2026-Q3/sales.yaml": okr_file("2026-Q3", [WIN])})
    krs = [kr(1).replace("]}", ", {date: 2026-08-19, value: 3.5}]}"), kr(2)]
    head = org_of(
        tmp_path / "head", {"2026-Q3/sales.yaml": okr_file("2026-Q3", [objective("win", krs)])}
    )
    [change] = compare(base, head, TODAY).changes
    assert (change.kind, change.key, change.fields) == ("key result", "2026-Q3/sales/win/kr1", [])
    assert [(c.date, c.value) for c in change.checkins] == [(date(2026, 8, 19), 3.5)]
    assert change.score is not None and change.score[0] < change.score[1]


# --- git refs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "says"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("main\nx", "control character"),
        ("main\x7f", "control character"),
        ("-rf", "starts with '-'"),
        ("--output=x", "starts with '-'"),
        ("main..feature", "is a range"),
        ("main...feature", "is a range"),
    ],
)
def test_a_ref_git_could_misread_is_refused_before_git_runs(tmp_path, ref, says):
    # tmp_path is no repository: the refusal comes before git is asked anything
    with pytest.raises(GitError, match=says) as caught:
        check_ref(tmp_path, ref)
    assert "\n" not in str(caught.value)


def test_a_ref_is_resolved_to_its_commit_id(tmp_path):
    def git(*args: str) -> str:
        run = subprocess.run(
            ["git", "-C", str(tmp_path), *args], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    git("init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    git("add", "a.txt")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    git("tag", "v1.0")
    git("branch", "feature/x")
    commit = git("rev-parse", "HEAD")
    for ref in ("main", "HEAD", "v1.0", "feature/x", commit, commit[:8]):
        assert check_ref(tmp_path, ref) == commit
    with pytest.raises(GitError, match="'nope' is not in this repository"):
        check_ref(tmp_path, "nope")


# --- the import's cells ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("42", (42.0, False)),
        ("42%", (42.0, True)),
        ("1,200", (1200.0, False)),
        ("1.200,5", (1200.5, False)),
        ("3,5", (3.5, False)),
        ("$3", (3.0, False)),
        ("\u22125", (-5.0, False)),
    ],
)
def test_numbers_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["nan", "inf", "1_000", "$3k", "", "12,34,5"])
def test_what_is_no_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_column_names_and_letters():
    assert column_name(" Key Result ") == column_name("key-result") == "key_result"
    assert column_name("KR") == "key_result" and column_name("Quarter") == "period"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_a_row_is_checked_cell_by_cell():
    row = {c: "x" for c in ("team", "objective", "owner", "key_result")}
    read = read_import_row({**row, "period": "2026-q3", "baseline": "10%", "target": "20"})
    assert (read.period, read.numbers) == (
        "2026-Q3",
        {"baseline": (10.0, True), "target": (20.0, False)},
    )
    with pytest.raises(RowError, match="period '2026-H3' is not a period"):
        read_import_row({**row, "period": "2026-H3", "baseline": "1", "target": "2"})
    with pytest.raises(RowError, match="no baseline"):
        read_import_row({**row, "period": "2026-Q3", "target": "2"})


@pytest.mark.parametrize(("checkin", "fires"), [("2026-08-20", False), ("2026-08-21", True)])
def test_a_check_in_dated_after_today_is_flagged(tmp_path, checkin, fires):
    """Dated after the build's day, a check-in already counts in every score: one pull
    request could mark work done ahead of time (the day itself is fine)."""
    win = objective("win", [kr(1), kr(2, checkin=checkin)])
    found = [
        f
        for f in findings(tmp_path, {"2026-Q3/sales.yaml": okr_file("2026-Q3", [win])})
        if f.rule.code == "OKR205"
    ]
    assert bool(found) is fires
    if fires:
        assert "key result 'kr2'" in found[0].message and "2026-08-21" in found[0].message


@pytest.mark.parametrize(
    "title",
    [
        # a newcomer's French key results, flagged as activities before
        "Passer de 1,200 à 1,450 couverts par semaine",
        "Faire monter la note Google de 4.3 à 4.6",
        "Augmenter le ticket moyen de 38 € à 44 €",
        "Die Kundenzufriedenheit von 4,1 auf 4,5 steigern",
        "Lanzar la nueva web para el cliente",
        "Aumentar a retenção pelo programa de fidelidade",
        "Lanciare il nuovo sito della scuola",
        "Lanceer de nieuwe website voor klanten",
    ],
)
def test_titles_in_another_language_are_not_judged_by_english_words(title: str):
    from okrsite.review.rule_words import holds_steady, is_metric, is_task, is_vague

    assert not any(rule(title) for rule in (is_task, holds_steady, is_metric, is_vague))


@pytest.mark.parametrize(
    "title",
    [
        "Launch Zephyr",  # no small word of any language: read as English
        "Launch the De Luca partnership",  # one of each: English
        "Launch the Casa de la Cultura website",  # two names' words against one English
        "Do the rebrand in the Café de Flore style",
        "Make 300 cold calls in Los Angeles",  # one foreign small word is a name's
        "Run the roadshow in Le Mans",
    ],
)
def test_english_titles_with_foreign_names_are_still_judged(title: str):
    from okrsite.review.rule_lexicon import reads_english, tokens
    from okrsite.review.rule_words import is_task

    if title == "Launch the Casa de la Cultura website":
        assert not reads_english(tokens(title))  # the line is drawn by counting: 2 > 1, 2
        return
    assert reads_english(tokens(title)) and is_task(title)


def test_a_title_in_another_language_is_unmeasured_only_without_a_number():
    from okrsite.review.rule_words import is_unmeasured

    assert is_unmeasured("Améliorer la satisfaction des clients")
    assert not is_unmeasured("Passer de 1,200 à 1,450 couverts par semaine")
