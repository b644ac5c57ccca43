"""The quarter at a glance, pinned: each rule of okrsite/model/attention.py at its edges
(not started before done, done as shown, pace while the period runs and on its last day,
the final band from the day after, the group order, team tree order), and what needs
attention in a period (off track, KPIs in alert as of the period's end, stale key
results, broken chains, goals with a broken chain counted, private ones included).
Model objects where only the rules matter; real goal files where the loader does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from okrsite.model import attention, scoring
from okrsite.model.attention import DONE, NOT_STARTED, STATES, Attention
from okrsite.model.graph import Checkin, KeyResult, Objective, Organization, Person, Source, Team
from okrsite.model.periods import parse_period
from okrsite.site.site_index import SiteIndex
from okrsite.source.loader import load

from orgkit import FILES, write_goals

Q3 = parse_period("2026-Q3")
assert Q3 is not None
SRC = Source("x.yaml", 1)
MID = date(2026, 8, 15)  # day 46 of 92: expected 0.50
OFF, RISK, ON = scoring.OFF_TRACK, scoring.AT_RISK, scoring.ON_TRACK


def team(tid: str, parent: Team | None = None) -> Team:
    t = Team(tid, tid.title(), SRC, parent)
    if parent is not None:
        parent.children.append(t)
    return t


COMPANY = team("company")
PRODUCT = team("product", COMPANY)
GROWTH = team("growth", PRODUCT)
SALES = team("sales", COMPANY)
OWNER = Person("ana", "Ana", GROWTH, SRC)


def objective(*values: float | None, owner_team: Team = GROWTH, oid: str = "o") -> Objective:
    """An objective with one key result per value, each 0 -> 100 with that check-in
    (None: no check-in)."""
    obj = Objective(oid, oid, Q3, owner_team, OWNER, SRC)
    for i, value in enumerate(values):
        checkins = [] if value is None else [Checkin(date(2026, 7, 2), value)]
        obj.key_results.append(KeyResult(f"kr{i}", "t", 0, 100, obj, SRC, checkins=checkins))
    return obj


def kr(value: float | None) -> KeyResult:
    return objective(value).key_results[0]


# -- the groups and their order ------------------------------------------------------------


def test_the_groups_in_page_order():
    assert STATES == ("off track", "at risk", "on track", "done", "not started")


# -- while the period runs: pace -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (40, ON),  # gap 0.10: on track
        (39, RISK),  # gap 0.11
        (25, RISK),  # gap 0.25: still at risk
        (24, OFF),  # gap 0.26
        (0, OFF),  # checked in at the baseline
        (80, ON),  # ahead of time
        (99.4, ON),  # 0.99 as shown: not done
        (99.6, DONE),  # 1.00 as shown
        (100, DONE),
        (None, NOT_STARTED),
    ],
)
def test_a_key_result_by_pace_while_its_period_runs(value, state):
    assert attention.state_of(kr(value), MID) == state


def test_no_checkin_is_not_started_even_at_its_target():
    # baseline = target scores 1.0 with no check-in: nothing reported, not done.
    item = kr(None)
    item.baseline = item.target = 100
    assert scoring.kr_progress(item) == 1.0
    assert attention.state_of(item, MID) == NOT_STARTED


def test_an_objective_is_started_when_any_key_result_has_a_checkin():
    assert attention.state_of(objective(None, None), MID) == NOT_STARTED
    assert attention.state_of(objective(), MID) == NOT_STARTED  # no key results, no score
    # score (0 + 60) / 2 = 0.30, gap 0.20
    assert attention.state_of(objective(None, 60), MID) == RISK
    assert attention.state_of(objective(100, 100), MID) == DONE
    assert attention.state_of(objective(100, 99.2), MID) == DONE  # 0.996 shown as 1.00
    assert attention.state_of(objective(100, 98), MID) == ON  # 0.99


def test_on_the_last_day_pace_and_from_the_next_the_final_band():
    last, after = Q3.end, date(2026, 10, 1)
    assert attention.state_of(kr(50), last) == OFF  # expected 1.00, gap 0.50
    assert attention.state_of(kr(90), last) == ON  # gap 0.10
    assert attention.state_of(kr(89), last) == RISK
    assert attention.state_of(kr(50), after) == RISK  # yellow
    assert attention.state_of(kr(89), after) == ON  # green


@pytest.mark.parametrize(
    ("value", "state"),
    [(70, ON), (69, RISK), (40, RISK), (39, OFF), (0, OFF), (100, DONE), (None, NOT_STARTED)],
)
def test_after_the_period_the_final_band(value, state):
    assert attention.state_of(kr(value), date(2027, 1, 1)) == state


def test_before_the_period_nothing_is_expected_yet():
    assert attention.state_of(kr(0), date(2026, 6, 1)) == ON
    assert attention.state_of(kr(None), date(2026, 6, 1)) == NOT_STARTED


# -- grouping ----------------------------------------------------------------------------


def test_grouped_by_state_then_team_tree_then_file_order():
    growth = objective(10, 60, oid="g")  # score 0.35: at risk; kr0 off, kr1 on
    sales = objective(30, oid="s", owner_team=SALES)  # 0.30: at risk, kr0 at risk
    company = objective(35, None, oid="c", owner_team=COMPANY)  # 0.175: off; kr1 not started
    org = Organization("X", COMPANY, {}, {}, {}, {}, {}, {})
    ranks = attention.team_ranks(org)
    assert ranks == {"company": 0, "product": 1, "growth": 2, "sales": 3}
    groups = attention.grouped([growth, sales, company], MID, ranks)
    assert [s for s, _ in groups] == list(STATES)
    names = {s: [(i.objective.id + "/" + i.id if isinstance(i, KeyResult) else i.id) for i in g]
             for s, g in groups}  # fmt: skip
    assert names == {
        OFF: ["c", "g/kr0"],
        RISK: ["c/kr0", "g", "s", "s/kr0"],  # company, then growth (under product), sales
        ON: ["g/kr1"],
        DONE: [],
        NOT_STARTED: ["c/kr1"],
    }


# -- the list cut to a budget of rows -------------------------------------------------------


def big_groups() -> list[tuple[str, list]]:
    """Off track: 3 items of growth; at risk: 2 of company, 4 of growth, 2 of sales; on
    track: 2 of sales; done and not started empty."""
    off = objective(10, 10, oid="off")  # 0.10 and its two key results
    c, g, s = (objective(30, oid=o, owner_team=t) for o, t in
               (("c", COMPANY), ("g", GROWTH), ("s", SALES)))  # fmt: skip
    g2 = objective(30, oid="g2")
    on = objective(60, oid="on", owner_team=SALES)
    org = Organization("X", COMPANY, {}, {}, {}, {}, {}, {})
    return attention.grouped([off, c, g, g2, s, on], MID, attention.team_ranks(org))


def rests(group: attention.Group) -> list[tuple[str, int, bool]]:
    return [(r.team.id, r.count, r.more) for r in group.rest]


def test_within_the_budget_every_item_is_a_row():
    groups = big_groups()
    assert [len(items) for _, items in groups] == [3, 8, 2, 0, 0]
    for budget in (13, 400):
        cut = attention.cut(groups, budget)
        assert [(g.state, g.shown, g.rest) for g in cut] == [(s, i, []) for s, i in groups]
    assert attention.GLANCE_ROWS == 400


def test_rows_in_group_order_then_the_rest_counted_per_team():
    groups = big_groups()
    cut = attention.cut(groups, 5)  # off track whole, then 2 at risk: company's 2
    assert [len(g.shown) for g in cut] == [3, 2, 0, 0, 0]
    assert [g.total for g in cut] == [3, 8, 2, 0, 0]  # headings keep their full counts
    assert cut[1].shown == groups[1][1][:2]
    assert rests(cut[0]) == []
    assert rests(cut[1]) == [("growth", 4, False), ("sales", 2, False)]
    assert rests(cut[2]) == [("sales", 2, False)]
    # a team cut in the middle: 'more', its first rows shown
    cut = attention.cut(groups, 6)
    assert rests(cut[1]) == [("growth", 3, True), ("sales", 2, False)]
    for budget in range(0, 15):  # shown and counted always add up to the whole group
        for g in attention.cut(groups, budget):
            assert len(g.shown) + sum(r.count for r in g.rest) == g.total
        assert sum(len(g.shown) for g in attention.cut(groups, budget)) == min(budget, 13)


def test_a_budget_of_nothing_counts_everything():
    cut = attention.cut(big_groups(), 0)
    assert all(not g.shown for g in cut)
    assert rests(cut[0]) == [("growth", 3, False)]
    assert [rests(g) for g in attention.cut(big_groups(), -3)] == [rests(g) for g in cut]


# -- what needs attention ------------------------------------------------------------------

KPIS = """\
kpis:
  - id: gross-churn
    name: Monthly gross churn
    unit: "%"
    direction: down
    alert: 5.0
    history:
      - {date: 2026-06-30, value: 4.2}
      - {date: 2026-10-15, value: 5.5}
  - id: nps
    name: NPS
    direction: up
    history:
      - {date: 2026-06-30, value: 10}
"""
COMPANY_Q3 = """\
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
          - {date: 2026-07-06, value: 3.6}
      - id: nrr
        title: Grow net revenue retention from 102% to 110%
        baseline: 102
        target: 110
  - id: culture
    title: A place people love to work
    owner: maria
    key_results:
      - id: enps
        title: eNPS from 10 to 40
        baseline: 10
        target: 40
        checkins:
          - {date: 2026-08-10, value: 12}
"""
GROWTH_Q3 = """\
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
        checkins:
          - {date: 2026-08-14, value: 9}
"""
ANA_Q3 = """\
period: 2026-Q3
owner: ana
goals:
  - id: tips
    title: Ship in-app usage tips
    supports: growth/trials/trial-to-paid
  - id: loose
    title: Read three books
  - id: offsite
    title: Plan the offsite
    supports: company/culture/enps
  - id: secret-a
    title: Secret A
    visibility: private
    supports: company/culture/enps
  - id: secret-b
    title: Secret B
    visibility: private
  - id: secret-c
    title: Secret C
    visibility: private
    supports: growth/trials
"""
Q4_FILES = {
    "2026-Q4/company.yaml": """\
period: 2026-Q4
team: company
objectives:
  - id: later
    title: Something later
    owner: maria
    key_results:
      - {id: k, title: From 0 to 10, baseline: 0, target: 10}
""",
    "2026-Q4/people/ana.yaml": """\
period: 2026-Q4
owner: ana
goals:
  - {id: q4-loose, title: Loose in Q4}
  - {id: q4-secret, title: Secret Q4, visibility: private}
""",
}


def example(tmp_path: Path, **options) -> Organization:
    files = {
        **FILES,
        "kpis.yaml": KPIS,
        "2026-Q3/company.yaml": COMPANY_Q3,
        "2026-Q3/growth.yaml": GROWTH_Q3,
        "2026-Q3/people/ana.yaml": ANA_Q3,
        **Q4_FILES,
    }
    return load(write_goals(tmp_path, files), **options).org


def keys(items) -> list[str]:
    return [i.key for i in items]


def test_what_needs_attention_while_the_period_runs(tmp_path: Path):
    org = example(tmp_path)
    got = attention.attention(org, org.periods["2026-Q3"], MID, 14)
    # trials 0.17 against 0.50; retention 0.25 (at risk); culture 0.07 (off)
    assert keys(got.off_track) == [
        "2026-Q3/company/culture",
        "2026-Q3/company/culture/enps",
        "2026-Q3/growth/trials",
        "2026-Q3/growth/trials/trial-to-paid",
    ]
    assert got.kpis_in_alert == []  # churn 4.2 until 2026-10-15
    # churn's check-in is 40 days old, nrr has none in 45; enps 5 days, trial-to-paid 1
    assert keys(got.stale) == ["2026-Q3/company/retention/churn", "2026-Q3/company/retention/nrr"]
    assert keys(got.broken) == ["2026-Q3/company/culture"]
    # public: loose, offsite; private: secret-a (on culture), secret-b (on nothing)
    assert got.broken_goals == 4
    assert not got.empty


def test_stale_days_is_the_callers(tmp_path: Path):
    org = example(tmp_path)
    q3 = org.periods["2026-Q3"]
    assert "2026-Q3/company/retention/churn" not in keys(
        attention.attention(org, q3, MID, 40).stale
    )
    assert "2026-Q3/company/retention/churn" in keys(attention.attention(org, q3, MID, 39).stale)


def test_a_kpi_in_alert_as_of_the_periods_end(tmp_path: Path):
    org = example(tmp_path)
    today = date(2026, 11, 1)
    q3 = attention.attention(org, org.periods["2026-Q3"], today, 14)
    q4 = attention.attention(org, org.periods["2026-Q4"], today, 14)
    assert q3.kpis_in_alert == []  # 4.2 on 2026-09-30
    assert [k.id for k in q4.kpis_in_alert] == ["gross-churn"]  # 5.5 since 2026-10-15
    assert q3.stale == []  # a period that is over has nothing stale
    # After the period: the final band; retention 0.25 is red, off track; nrr never
    # checked in: not started, not off track; churn 0.50 yellow, at risk.
    assert keys(q3.off_track)[:3] == [
        "2026-Q3/company/retention",
        "2026-Q3/company/culture",
        "2026-Q3/company/culture/enps",
    ]


def test_each_period_counts_its_own_goals(tmp_path: Path):
    org = example(tmp_path)
    q4 = attention.attention(org, org.periods["2026-Q4"], date(2026, 11, 1), 14)
    assert keys(q4.broken) == ["2026-Q4/company/later"]
    assert q4.broken_goals == 2  # q4-loose and q4-secret: nothing of Q3's


def test_with_private_goals_included_the_same_count(tmp_path: Path):
    org = example(tmp_path, include_private=True)
    got = attention.attention(org, org.periods["2026-Q3"], MID, 14)
    assert got.broken_goals == 4


def test_a_site_index_gives_the_same_answer(tmp_path: Path):
    org = example(tmp_path)
    for period in org.periods.values():
        plain = attention.attention(org, period, MID, 14)
        indexed = attention.attention(org, period, MID, 14, index=SiteIndex(org))
        assert plain == indexed


def test_nothing_to_attend_to():
    assert Attention([], [], [], [], 0).empty
    assert not Attention([], [], [], [], 1).empty


# -- who answers, how many are named, counts that cannot go below zero ----------------


def test_who_answers_for_an_item():
    obj = objective(10, 20)
    own, inherited = obj.key_results
    other = Person("sam", "Sam", SALES, SRC)
    own.owner = other
    assert attention.owner_of(own) is other
    assert attention.owner_of(inherited) is OWNER  # none of its own: its objective's
    assert attention.owner_of(obj) is OWNER
    assert attention.owners([own, inherited, obj, own]) == [OWNER, other]  # once, by name


def test_each_needs_attention_list_names_ten_then_counts():
    assert attention.NEEDS_ROWS == 10  # the scoring guide's figure


def test_private_goals_count_in_their_own_period_by_what_they_support(tmp_path: Path):
    """A private goal counts among its own period's goals with a broken chain when the
    chain of what it supports is broken, in whichever period that is; the same count
    whether private goals are shown or not. (Counted by the item's period instead, a
    goal of 2026-Q4 on a key result of 2026-Q3 hid a 2026-Q3 goal supporting nothing
    and counted itself as broken in 2026-Q4.)"""
    later = (
        "period: 2026-Q4\nowner: ana\ngoals:\n"
        "  - {id: s, title: Secret, visibility: private,"
        " supports: 2026-Q3/growth/trials/trial-to-paid}\n"
    )
    loose = "period: 2026-Q3\nowner: ana\ngoals:\n  - {id: t, title: Loose, visibility: private}\n"
    files = {**FILES, "2026-Q4/people/ana.yaml": later, "2026-Q3/people/ana-own.yaml": loose}
    q4 = parse_period("2026-Q4")
    assert q4 is not None
    for shown in (False, True):
        org = load(write_goals(tmp_path / str(shown), files), include_private=shown).org
        assert len(org.goals) == (3 if shown else 1)  # and the example's public one
        assert org.private_goals == (0 if shown else 2)
        # the key result of 2026-Q3 reaches its KPI; nothing is what the other supports
        assert attention.attention(org, org.periods["2026-Q3"], MID, 14).broken_goals == 1
        assert attention.attention(org, q4, MID, 14).broken_goals == 0
