"""Fast unit tests of the core, through its public functions: scoring, periods, the
chain, the plugin's options, the limits and the messages. Organisations are real goal
files in tmp_path, read by the real loader; nothing here builds a site."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import pytest

from okrsite import diagnostics, limits, settings
from okrsite.diagnostics import DataError, Diagnostic
from okrsite.model import periods, scoring
from okrsite.model.chain import chain_of
from okrsite.model.graph import KeyResult, Objective, Organization
from okrsite.source.loader import load

from orgkit import ANA, COMPANY, FILES, GROWTH, write_goals


def org(tmp_path: Path, changes: dict[str, str] | None = None, **options) -> Organization:
    """The kit's organisation with ``changes`` (file name -> text) written over it."""
    return load(write_goals(tmp_path, {**FILES, **(changes or {})}), **options).org


def errors(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    with pytest.raises(DataError) as caught:
        org(tmp_path, changes)
    return [d.message for d in caught.value.diagnostics]


def krs(obj: Objective) -> dict[str, KeyResult]:
    return {kr.id: kr for kr in obj.key_results}


# -- scoring -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (10, 20, 15, 0.5),  # up, half way
        (10, 20, 10, 0.0),  # up, at the baseline
        (10, 20, 20, 1.0),  # up, at the target
        (10, 20, 27, 1.0),  # up, past the target: clamped
        (10, 20, 4, 0.0),  # up, below the baseline: clamped
        (4.0, 3.0, 3.75, 0.25),  # down, a quarter of the way
        (4.0, 3.0, 2.0, 1.0),  # down, past the target: clamped
        (4.0, 3.0, 5.0, 0.0),  # down, worse than the baseline: clamped
        (-10, 10, 0, 0.5),  # across zero
    ],
)
def test_progress_up_and_down_clamped(baseline, target, current, expected):
    assert scoring.progress(baseline, target, current) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("current", "direction", "expected"),
    [
        (5, "up", 1.0),
        (6, "up", 1.0),
        (4, "up", 0.0),
        (5, "down", 1.0),
        (4, "down", 1.0),
        (6, "down", 0.0),
        (5, None, 1.0),
        (6, None, 0.0),  # no direction known: only the target itself counts
        (4, None, 0.0),
    ],
)
def test_progress_when_target_equals_baseline(current, direction, expected):
    assert scoring.progress(5, 5, current, direction) == expected


def test_key_result_progress_from_its_newest_checkin(tmp_path: Path):
    retention = org(tmp_path).objectives["2026-Q3/company/retention"]
    churn, nrr = krs(retention)["churn"], krs(retention)["nrr"]
    # churn goes down (its KPI's direction) from 4.2 to 3.0; its one check-in says 3.6
    assert scoring.kr_current(churn) == 3.6
    assert scoring.kr_progress(churn) == pytest.approx(0.5)
    assert scoring.kr_current(nrr) == 102  # no check-in: the baseline
    assert scoring.kr_progress(nrr) == 0.0


def test_a_key_result_at_its_target_from_the_start_takes_its_kpis_direction(tmp_path: Path):
    # gross churn goes down: 3.6 is better than a target of 4.2 (up, it would be worse)
    company = COMPANY.replace("        target: 3.0\n", "        target: 4.2\n")
    found = org(tmp_path, {"2026-Q3/company.yaml": company})
    churn = krs(found.objectives["2026-Q3/company/retention"])["churn"]
    assert scoring.kr_progress(churn) == 1.0


def test_the_newest_checkin_counts_not_the_last_written(tmp_path: Path):
    checkins = """\
        checkins:
          - {date: 2026-07-20, value: 106}
          - {date: 2026-07-06, value: 104}
"""
    found = org(tmp_path, {"2026-Q3/company.yaml": COMPANY + checkins})
    nrr = krs(found.objectives["2026-Q3/company/retention"])["nrr"]
    assert scoring.kr_progress(nrr) == pytest.approx(0.5)  # 102 -> 110, now 106


def _weighted(churn: float, nrr: float) -> str:
    return COMPANY.replace(
        "        kpi: gross-churn\n", f"        kpi: gross-churn\n        weight: {churn}\n"
    ).replace("        baseline: 102\n", f"        baseline: 102\n        weight: {nrr}\n")


@pytest.mark.parametrize(
    ("churn", "nrr", "score"),
    [
        (1, 1, 0.25),  # (0.5 + 0) / 2
        (3, 1, 0.375),  # (0.5 * 3 + 0 * 1) / 4
        (1, 3, 0.125),  # (0.5 * 1 + 0 * 3) / 4
        (0.5, 0.5, 0.25),  # only the ratio of the weights counts
    ],
)
def test_objective_score_weighs_its_key_results(tmp_path: Path, churn, nrr, score):
    found = org(tmp_path, {"2026-Q3/company.yaml": _weighted(churn, nrr)})
    retention = found.objectives["2026-Q3/company/retention"]
    assert scoring.objective_score(retention) == pytest.approx(score)


def test_team_and_period_scores_are_plain_means_of_objectives(tmp_path: Path):
    found = org(tmp_path)
    retention = found.objectives["2026-Q3/company/retention"]
    trials = found.objectives["2026-Q3/growth/trials"]
    assert scoring.objective_score(retention) == pytest.approx(0.25)
    assert scoring.objective_score(trials) == 0.0
    assert scoring.mean_score([retention, trials]) == pytest.approx(0.125)
    assert scoring.mean_score([]) is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (None, None),
        (0.0, scoring.RED),
        (0.394, scoring.RED),  # shown as 0.39
        (0.3999, scoring.YELLOW),  # shown as 0.40: bands go by the score as shown
        (0.4, scoring.YELLOW),  # the lower bound belongs to yellow
        (0.694, scoring.YELLOW),  # shown as 0.69
        (0.6999, scoring.GREEN),  # shown as 0.70
        (0.7, scoring.GREEN),  # ... and this one to green
        (1.0, scoring.GREEN),
    ],
)
def test_band_thresholds_at_their_boundaries(score, band):
    assert scoring.band(score) == band


def test_goal_progress_needs_numbers(tmp_path: Path):
    plain = """\
  - id: plain
    title: Pair with support for a day every month
    due: 2026-09-30
"""
    goals = org(tmp_path, {"2026-Q3/people/ana.yaml": ANA + plain}).goals
    assert scoring.goal_progress(goals["2026-Q3/ana/tips"]) == 0.0  # 18 -> 35, no check-in
    assert scoring.goal_progress(goals["2026-Q3/ana/plain"]) is None


# -- periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("1900", date(1900, 1, 1), date(1900, 12, 31)),
        ("2999-Q4", date(2999, 10, 1), date(2999, 12, 31)),
    ],
)
def test_parse_period(text: str, start: date, end: date):
    period = periods.parse_period(text)
    assert period is not None
    assert (period.key, period.start, period.end) == (text, start, end)
    assert period.slug == text.lower()
    assert period.days == (end - start).days + 1


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q5", "2026-Q0", "2026-H3", "2026-q3", "26-Q1", "2026Q1", "2026-Q3\n",
        " 2026", "1899", "3000", "2026-Q", "",
        "\u0662\u0660\u0662\u0666-Q1", "\uff12\uff10\uff12\uff16",  # digits, but not ASCII
    ],
)  # fmt: skip
def test_what_is_no_period(text: str):
    assert periods.parse_period(text) is None


@pytest.mark.parametrize(
    ("month", "text", "start", "end"),
    [
        # named after the calendar year in which the fiscal year ends
        (7, "2026", date(2025, 7, 1), date(2026, 6, 30)),
        (7, "2026-Q1", date(2025, 7, 1), date(2025, 9, 30)),
        (7, "2026-Q3", date(2026, 1, 1), date(2026, 3, 31)),
        (7, "2026-H2", date(2026, 1, 1), date(2026, 6, 30)),
        (2, "2026-Q4", date(2025, 11, 1), date(2026, 1, 31)),  # across a calendar year
        (12, "2026-Q1", date(2025, 12, 1), date(2026, 2, 28)),
        (1, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_fiscal_year_start(month: int, text: str, start: date, end: date):
    period = periods.parse_period(text, fiscal_year_start=month)
    assert period is not None and (period.start, period.end) == (start, end)


def test_the_loader_reads_periods_in_the_fiscal_year(tmp_path: Path):
    q3 = org(tmp_path, fiscal_year_start=7).periods["2026-Q3"]
    assert (q3.start, q3.end) == (date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("today", "share"),
    [
        (date(2025, 12, 31), 0.0),  # the day before
        (date(2026, 1, 1), 1 / 90),  # its first day counts as elapsed
        (date(2026, 2, 14), 45 / 90),
        (date(2026, 3, 31), 1.0),  # its last day
        (date(2026, 7, 1), 1.0),  # long after
    ],
)
def test_elapsed_share_of_a_period(today: date, share: float):
    q3 = periods.parse_period("2026-Q3", fiscal_year_start=7)  # 2026-01-01..03-31, 90 days
    assert q3 is not None and q3.days == 90
    assert scoring.expected_by_now(q3, today) == pytest.approx(share)


def test_the_current_period_is_the_shortest_running_else_the_latest_started():
    q3, h2, year, q1 = (periods.parse_period(t) for t in ("2026-Q3", "2026-H2", "2026", "2027-Q1"))
    assert q3 and h2 and year and q1
    every = [year, h2, q1, q3]
    assert periods.current_period(every, date(2026, 8, 1)) == q3
    assert periods.current_period([year, h2], date(2026, 8, 1)) == h2
    assert periods.current_period([q3, q1], date(2026, 11, 1)) == q3  # between: latest started
    assert periods.current_period([q3, q1], date(2020, 1, 1)) == q3  # before all: earliest
    assert periods.current_period([], date(2026, 8, 1)) is None
    assert sorted(every, key=periods.Period.sort_key) == [year, q3, h2, q1]
    # a team's and a person's page: the current one, then the others newest first
    assert periods.current_first(every, date(2026, 8, 1)) == [q3, q1, h2, year]
    assert periods.current_first([], date(2026, 8, 1)) == []


# -- the chain ---------------------------------------------------------------------------


TRIAL_RATE = FILES["kpis.yaml"] + "  - {id: trial-rate, name: Trial rate, direction: up}\n"


def _ids(chain) -> list[str]:
    return [step.id for step in chain.steps]


def _reaches(chain) -> list[tuple[str, str]]:
    return [(r.step.id, r.kpi.id) for r in chain.reaches]


def _moves(growth: str, baseline: int) -> str:
    """growth.yaml with the key result of ``baseline`` moving the trial-rate KPI."""
    line = f"        baseline: {baseline}\n"
    return growth.replace(line, "        kpi: trial-rate\n" + line)


def test_a_goal_climbs_to_the_kpi_of_a_key_result_on_its_path(tmp_path: Path):
    found = org(tmp_path)
    chain = chain_of(found.goals["2026-Q3/ana/tips"])
    assert _ids(chain) == ["tips", "aha", "trials", "churn", "retention"]
    assert _reaches(chain) == [("churn", "gross-churn")] and not chain.broken


def test_every_kpi_on_the_path_is_reached_at_its_step(tmp_path: Path):
    # aha moves trial-rate, and the company key result above moves gross churn: both
    found = org(tmp_path, {"kpis.yaml": TRIAL_RATE, "2026-Q3/growth.yaml": _moves(GROWTH, 25)})
    chain = chain_of(found.goals["2026-Q3/ana/tips"])
    assert _reaches(chain) == [("aha", "trial-rate"), ("churn", "gross-churn")]
    aha, churn = chain.steps[1], chain.steps[3]
    assert [k.id for k in chain.at(aha)] == ["trial-rate"]
    assert [k.id for k in chain.at(churn)] == ["gross-churn"]
    assert chain.at(chain.steps[2]) == ()  # the objective between reaches nothing itself


def test_an_objective_reaches_a_kpi_through_its_key_results(tmp_path: Path):
    # aligned to the objective, not to its KPI key result: the KPI is found through
    # the objective's key results
    growth = GROWTH.replace("aligns_to: company/retention/churn", "aligns_to: company/retention")
    chain = chain_of(
        org(tmp_path, {"2026-Q3/growth.yaml": growth}).objectives["2026-Q3/growth/trials"]
    )
    assert _ids(chain) == ["trials", "retention"]
    assert _reaches(chain) == [("retention", "gross-churn")]


def test_an_objective_aligned_to_an_objective_reaches_its_own_kpis_and_the_parents(
    tmp_path: Path,
):
    growth = GROWTH.replace("aligns_to: company/retention/churn", "aligns_to: company/retention")
    found = org(tmp_path, {"kpis.yaml": TRIAL_RATE, "2026-Q3/growth.yaml": _moves(growth, 25)})
    chain = chain_of(found.objectives["2026-Q3/growth/trials"])
    assert _reaches(chain) == [("trials", "trial-rate"), ("retention", "gross-churn")]


def test_a_goal_supporting_an_objective_reaches_all_its_key_results_kpis(tmp_path: Path):
    ana = FILES["2026-Q3/people/ana.yaml"].replace("growth/trials/aha", "growth/trials")
    found = org(
        tmp_path,
        {
            "kpis.yaml": TRIAL_RATE,
            "2026-Q3/growth.yaml": _moves(GROWTH, 8),
            "2026-Q3/people/ana.yaml": ana,
        },
    )
    chain = chain_of(found.goals["2026-Q3/ana/tips"])
    assert _ids(chain) == ["tips", "trials", "churn", "retention"]
    assert _reaches(chain) == [("trials", "trial-rate"), ("churn", "gross-churn")]


def test_a_sibling_key_results_kpi_is_not_on_the_path(tmp_path: Path):
    # trials' other key result moves a KPI too, but the goal's path runs through aha
    found = org(tmp_path, {"kpis.yaml": TRIAL_RATE, "2026-Q3/growth.yaml": _moves(GROWTH, 8)})
    assert _reaches(chain_of(found.goals["2026-Q3/ana/tips"])) == [("churn", "gross-churn")]


def test_without_a_kpi_on_the_path_the_nearest_objective_that_moves_one_is_reached(
    tmp_path: Path,
):
    # growth stands alone; its other key result moves trial-rate: the goal under aha
    # reaches it through the objective (the fallback), rather than a broken chain
    growth = _moves(GROWTH, 8).replace("    aligns_to: company/retention/churn\n", "")
    found = org(tmp_path, {"kpis.yaml": TRIAL_RATE, "2026-Q3/growth.yaml": growth})
    assert _reaches(chain_of(found.goals["2026-Q3/ana/tips"])) == [("trials", "trial-rate")]


def test_the_fallback_skips_an_objective_whose_key_results_move_no_kpi(tmp_path: Path):
    # churn moves no KPI now; trials' key results none either; the nearest objective
    # that moves one is retention, through nrr
    company = FILES["2026-Q3/company.yaml"].replace("        kpi: gross-churn\n", "")
    company = company.replace(
        "        baseline: 102\n", "        kpi: trial-rate\n        baseline: 102\n"
    )
    found = org(tmp_path, {"kpis.yaml": TRIAL_RATE, "2026-Q3/company.yaml": company})
    chain = chain_of(found.goals["2026-Q3/ana/tips"])
    assert _ids(chain) == ["tips", "aha", "trials", "churn", "retention"]
    assert _reaches(chain) == [("retention", "trial-rate")]


def test_a_chain_without_a_kpi_is_broken(tmp_path: Path):
    growth = GROWTH.replace("    aligns_to: company/retention/churn\n", "")
    found = org(tmp_path, {"2026-Q3/growth.yaml": growth})
    chain = chain_of(found.goals["2026-Q3/ana/tips"])
    assert _ids(chain) == ["tips", "aha", "trials"]
    assert chain.kpis == () and chain.broken


# -- the plugin's options ------------------------------------------------------------------


def test_the_defaults():
    defaults = settings.DEFAULTS
    assert settings.options_from(None) == defaults
    assert settings.options_from({}) == defaults
    assert settings.options_from({"today": None, "rules": None}) == defaults  # empty: default
    assert (defaults.goals_dir, defaults.today, defaults.include_private) == ("goals", None, False)
    assert (defaults.fiscal_year_start, defaults.stale_after_days) == (1, 14)
    assert (defaults.compare_to, defaults.preview_banner) == (None, None)
    assert dict(defaults.rule_levels) == {}


def test_options_as_written():
    options = settings.options_from(
        {
            "goals_dir": "okrs",
            "today": "2026-08-01",
            "include_private": True,
            "fiscal_year_start": 7,
            "stale_after_days": 3,
            "rules": {"kr-is-task": False},  # a bare `off` is false to YAML 1.1
            "compare_to": "origin/main",
            "preview_banner": False,
        }
    )
    assert options == settings.Options(
        goals_dir="okrs",
        today=date(2026, 8, 1),
        include_private=True,
        fiscal_year_start=7,
        stale_after_days=3,
        rule_levels=options.rule_levels,
        compare_to="origin/main",
        preview_banner=False,
    )
    assert list(options.rule_levels.values()) == ["off"]
    assert settings.options_from({"today": date(2026, 8, 1)}).today == date(2026, 8, 1)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (["goals_dir"], "mapping"),
        ({"goal_dir": "goals"}, "did you mean 'goals_dir'?"),
        ({"goals_dir": ""}, "goals_dir"),
        ({"goals_dir": "a\0b"}, "goals_dir"),
        ({"today": "2026-02-30"}, "today"),
        ({"today": "tomorrow"}, "today"),
        ({"today": dt.datetime(2026, 8, 1, 10, 0)}, "today"),
        ({"include_private": "false"}, "include_private"),
        ({"include_private": 1}, "include_private"),
        ({"fiscal_year_start": 0}, "fiscal_year_start"),
        ({"fiscal_year_start": 13}, "fiscal_year_start"),
        ({"fiscal_year_start": True}, "fiscal_year_start"),
        ({"fiscal_year_start": 7.0}, "fiscal_year_start"),
        ({"fiscal_year_start": "7"}, "fiscal_year_start"),
        ({"stale_after_days": 0}, "stale_after_days"),
        ({"rules": {"no-such-rule": "off"}}, "no-such-rule"),
        ({"rules": {"kr-is-task": "loud"}}, "'loud'"),
        ({"rules": ["kr-is-task"]}, "rules"),
        ({"compare_to": "--upload-pack=x"}, "compare_to"),
        ({"compare_to": "main\n"}, "compare_to"),
        ({"preview_banner": "yes"}, "preview_banner"),
    ],
)
def test_options_refused_with_one_line_naming_them(raw: object, named: str):
    with pytest.raises(settings.SettingsError) as caught:
        settings.options_from(raw)
    message = str(caught.value)
    assert named in message and message.isprintable()


def test_every_refused_option_is_named_at_once():
    with pytest.raises(settings.SettingsError) as caught:
        settings.options_from({"stale_after_days": 0, "fiscal_year_start": 13, "colour": 1})
    message = str(caught.value)
    assert all(name in message for name in ("stale_after_days", "fiscal_year_start", "colour"))


# -- limits --------------------------------------------------------------------------------


def test_the_number_range_as_messages_write_it():
    assert limits.NUMBER_RANGE == "between -1,000,000,000,000,000 and 1,000,000,000,000,000"


def test_a_title_of_the_longest_length_loads_and_one_more_is_refused(tmp_path: Path):
    def title(length: int) -> dict[str, str]:
        text = COMPANY.replace(
            "title: Grow net revenue retention from 102% to 110%", "title: " + "t" * length
        )
        return {"2026-Q3/company.yaml": text}

    found = org(tmp_path / "at", title(limits.MAX_TITLE))
    assert len(krs(found.objectives["2026-Q3/company/retention"])["nrr"].title) == limits.MAX_TITLE
    assert any(
        str(limits.MAX_TITLE) in m for m in errors(tmp_path / "over", title(limits.MAX_TITLE + 1))
    )


@pytest.mark.parametrize(
    ("weight", "loads"),
    [(limits.MAX_WEIGHT, True), (limits.MAX_WEIGHT + 0.5, False), (0.001, True), (0, False)],
)
def test_weights_within_the_limit(tmp_path: Path, weight: float, loads: bool):
    changes = {"2026-Q3/company.yaml": _weighted(weight, 1)}
    if loads:
        org(tmp_path, changes)
    else:
        assert errors(tmp_path, changes)


@pytest.mark.parametrize(
    ("number", "loads"),
    [
        (f"{limits.MAX_NUMBER:.0f}", True),
        (f"-{limits.MAX_NUMBER:.0f}", True),
        (f"{limits.MAX_NUMBER + 1:.0f}", False),
        (f"-{limits.MAX_NUMBER + 1:.0f}", False),
    ],
)
def test_numbers_within_the_range(tmp_path: Path, number: str, loads: bool):
    changes = {"2026-Q3/company.yaml": COMPANY.replace("target: 110", f"target: {number}")}
    if loads:
        org(tmp_path, changes)
    else:
        assert any(limits.NUMBER_RANGE in m for m in errors(tmp_path, changes))


# -- messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("plain", "'plain'"),
        ("two\nlines", "'two\\nlines'"),
        ("carriage\rreturn", "'carriage\\rreturn'"),
        ("\x1b[31mred", "'\\x1b[31mred'"),
        ("line\u2028separator", "'line\\u2028separator'"),
        ("next\x85line", "'next\\x85line'"),
        ("zero\u200bwidth", "'zero\\u200bwidth'"),
        ({"title": "secret"}, "{...}"),
        (["secret"], "[...]"),
        (("secret",), "[...]"),
        (date(2026, 8, 1), "2026-08-01"),
        (3.5, "3.5"),
        (None, "None"),
    ],
)
def test_show_quotes_one_printable_line(value: object, shown: str):
    assert diagnostics.show(value) == shown


def test_show_shortens_long_values():
    shown = diagnostics.show("x" * 100)
    assert len(shown) == 60 and shown.endswith("...'") and shown.startswith("'x")
    assert diagnostics.show("x" * 100, limit=20) == "'" + "x" * 15 + "...'"
    assert diagnostics.show(10**80, limit=20) == "1" + "0" * 15 + "..."


def test_printable_escapes_what_a_log_would_act_on():
    assert diagnostics.printable("goals/2026-Q3/team.yaml") == "goals/2026-Q3/team.yaml"
    assert diagnostics.printable("a\nb\tc") == "a\\nb\\tc"
    assert diagnostics.printable("latin\udce9.yaml") == "latin\\udce9.yaml"  # not UTF-8
    assert diagnostics.printable("ä ü 日本") == "ä ü 日本"  # printable text stays


def test_a_diagnostic_is_one_line_whatever_it_quotes():
    forged = Diagnostic("x\n::error file=a::y.yaml", 3, "bad\nvalue\x1b[2J")
    assert str(forged) == "x\\n::error file=a::y.yaml:3: bad\\nvalue\\x1b[2J"
    assert str(Diagnostic("goals/org.yaml", 1, "fine")) == "goals/org.yaml:1: fine"
    assert diagnostics.BAD_NAME.isprintable()


def test_data_error_counts_and_sorts_its_diagnostics():
    one = DataError([Diagnostic("b.yaml", 2, "second")])
    assert str(one).splitlines() == ["1 error in the goal files:", "  b.yaml:2: second"]
    two = DataError([Diagnostic("b.yaml", 2, "second"), Diagnostic("a.yaml", 9, "first")])
    assert str(two).splitlines()[0] == "2 errors in the goal files:"
    assert [d.path for d in two.diagnostics] == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("prodcut", "; did you mean 'product'?"),
        ("Product", "; did you mean 'product'?"),
        ("customer_success", "; did you mean 'customer-success'?"),
        ("HR", "; did you mean 'hr'?"),  # too short for a close match: the case folded
        ("R_D", "; did you mean 'r-d'?"),
        ("zzz", ""),
        (42, ""),
    ],
)
def test_did_you_mean(value: object, hint: str):
    assert diagnostics.did_you_mean(value, ["product", "customer-success", "hr", "r-d"]) == hint
