"""Every bad input the spec names: reported as path:line: message naming the key, the
bad value and the fix; all at once; never a traceback."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from okrsite.diagnostics import DataError
from okrsite.source.loader import load

from orgkit import FILES, build, write_goals, write_site


def errors_of(tmp_path: Path, changes: dict[str, str | bytes]) -> list[str]:
    goals = write_goals(tmp_path, {**FILES, **changes})
    with pytest.raises(DataError) as info:
        load(goals)
    return [str(d) for d in info.value.diagnostics]


def one_error(tmp_path: Path, changes: dict[str, str | bytes]) -> str:
    errors = errors_of(tmp_path, changes)
    assert len(errors) == 1, errors
    return errors[0]


def swap(name: str, old: str, new: str) -> dict[str, str]:
    text = FILES[name]
    assert old in text, old
    return {name: text.replace(old, new, 1)}


def test_the_kit_is_valid(tmp_path: Path):
    org = load(write_goals(tmp_path, FILES)).org
    assert len(org.objectives) == 2 and len(org.goals) == 1


def test_yaml_syntax(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/growth.yaml", "    owner: ana\n", "    owner: [ana\n"))
    assert msg.startswith("goals/2026-Q3/growth.yaml:")
    assert "YAML syntax error" in msg


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n    owner: ana\n", "\n\t  owner: ana\n"),  # libyaml names the tab
        ("\n  - id: trials\n", "\n\t- id: trials\n"),  # "cannot start any token"
        ("\n      - id: aha\n", "\n\t    - id: aha\n"),
    ],
)
def test_tab_indentation_gets_the_fix(tmp_path: Path, old: str, new: str):
    msg = one_error(tmp_path, swap("2026-Q3/growth.yaml", old, new))
    assert msg.startswith("goals/2026-Q3/growth.yaml:") and "YAML syntax error" in msg
    assert "(indent with spaces, not tabs)" in msg


def test_unknown_key_names_key_item_and_fix(tmp_path: Path):
    errors = errors_of(
        tmp_path, swap("2026-Q3/company.yaml", "        target: 3.0\n", "        tagret: 3.0\n")
    )
    assert (
        "goals/2026-Q3/company.yaml:12: unknown key 'tagret' in key result 'churn'; did you mean 'target'?"
        in errors
    )
    assert (
        "goals/2026-Q3/company.yaml:8: missing required key 'target' in key result 'churn': add 'target: ...'"
        in errors
    )


def test_a_comma_in_an_unquoted_flow_value_gets_the_quoting_fix(tmp_path: Path):
    # YAML ends the note at the comma and reads the rest as a key without a value
    old = "{date: 2026-07-06, value: 3.6, confidence: 0.7}"
    new = "{date: 2026-07-06, value: 3.6, note: Fixed the rota, two agents left}"
    error = one_error(tmp_path, swap("2026-Q3/company.yaml", old, new))
    assert error.startswith("goals/2026-Q3/company.yaml:")
    assert "unknown key 'two agents left'" in error
    assert "a comma inside an unquoted value starts a new key" in error
    assert "in quotes" in error


def test_wrong_type(tmp_path: Path):
    msg = one_error(
        tmp_path,
        swap("2026-Q3/company.yaml", "        baseline: 4.2\n", '        baseline: "4.2%"\n'),
    )
    assert msg == (
        "goals/2026-Q3/company.yaml:11: 'baseline' in key result 'churn' must be a number, "
        "got '4.2%': write the number alone (4.2, not '4.2%'); the unit goes in 'unit'"
    )


def test_text_where_yaml_saw_a_date(tmp_path: Path):
    msg = one_error(
        tmp_path,
        swap(
            "2026-Q3/company.yaml",
            "    title: Make retention our strongest growth lever\n",
            "    title: 2026-07-01\n",
        ),
    )
    assert (
        ":5: 'title' in objective 'retention' must be text" in msg and 'title: "2026-07-01"' in msg
    )


def test_missing_required_key(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/growth.yaml", "    owner: ana\n", ""))
    assert (
        msg
        == "goals/2026-Q3/growth.yaml:4: missing required key 'owner' in objective 'trials': add 'owner: ...'"
    )


def test_bad_id(tmp_path: Path):
    msg = one_error(
        tmp_path, swap("2026-Q3/growth.yaml", "  - id: trials\n", "  - id: Trials Plan\n")
    )
    assert msg.startswith("goals/2026-Q3/growth.yaml:4: bad id 'Trials Plan' for 'id'")
    assert "lowercase letters, digits and '-'" in msg and "try 'trials-plan'" in msg


@pytest.mark.parametrize("bad", ["../../x", "a/b", "..", ".hidden"])
def test_path_like_ids_are_bad_ids(tmp_path: Path, bad: str):
    msg = one_error(
        tmp_path, swap("2026-Q3/people/ana.yaml", "  - id: tips\n", f"  - id: '{bad}'\n")
    )
    assert f"bad id '{bad}'" in msg


def test_duplicate_objective_id(tmp_path: Path):
    dup = FILES["2026-Q3/growth.yaml"].replace("period: 2026-Q3\nteam: growth\nobjectives:\n", "")
    msg = one_error(tmp_path, {"2026-Q3/growth.yaml": FILES["2026-Q3/growth.yaml"] + dup})
    assert msg.startswith(
        "goals/2026-Q3/growth.yaml:17: duplicate objective id 'trials' for team 'growth' in 2026-Q3"
    )
    assert "(first at goals/2026-Q3/growth.yaml:4)" in msg


def test_duplicate_team_across_files(tmp_path: Path):
    msg = one_error(
        tmp_path,
        {"teams-2.yaml": "teams:\n  - {id: growth, name: Growth again, parent: company}\n"},
    )
    assert msg == (
        "goals/teams-2.yaml:2: duplicate team id 'growth' (first at goals/org.yaml:5): "
        "team ids must be unique"
    )


def test_duplicate_yaml_key(tmp_path: Path):
    msg = one_error(
        tmp_path,
        swap(
            "2026-Q3/company.yaml",
            "        target: 3.0\n",
            "        target: 3.0\n        target: 2.5\n",
        ),
    )
    assert msg == (
        "goals/2026-Q3/company.yaml:13: duplicate key 'target' (first at line 12); "
        "YAML would silently keep only the last one: remove or merge one"
    )


def test_reference_to_nothing_with_did_you_mean(tmp_path: Path):
    msg = one_error(
        tmp_path, swap("2026-Q3/people/ana.yaml", "growth/trials/aha", "growth/trials/ahaa")
    )
    assert msg == (
        "goals/2026-Q3/people/ana.yaml:6: 'supports' of goal 'tips' points to "
        "'growth/trials/ahaa': objective 'growth/trials' has no key result 'ahaa'; did you mean 'aha'?"
    )


def test_reference_to_a_missing_team(tmp_path: Path):
    msg = one_error(
        tmp_path, swap("2026-Q3/growth.yaml", "company/retention/churn", "compnay/retention/churn")
    )
    assert (
        "'aligns_to' of objective 'trials' points to 'compnay/retention/churn': there is no team 'compnay'; did you mean 'company'?"
        in msg
    )


def test_reference_to_another_period_needs_its_prefix(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/people/ana.yaml", "period: 2026-Q3", "period: 2026-Q4"))
    assert msg == (
        "goals/2026-Q3/people/ana.yaml:6: 'supports' of goal 'tips' points to "
        "'growth/trials/aha': team 'growth' has no objective 'trials' in 2026-Q4; it "
        "exists in 2026-Q3: write '2026-Q3/growth/trials/aha'"
    )


@pytest.mark.parametrize(
    ("objective", "fix"),
    [
        ("retention", "; its objectives there: trials"),  # nothing close: what there is
        (
            None,
            "; it has none there: point to an objective or key result that exists, or remove the reference",
        ),
    ],
)
def test_reference_to_a_missing_objective_says_what_there_is(
    tmp_path: Path, objective: str | None, fix: str
):
    files = dict(FILES)
    if objective is None:  # growth has no OKRs in 2026-Q3 at all
        del files["2026-Q3/growth.yaml"]
        ref, want = "growth/trials/aha", "team 'growth' has no objective 'trials' in 2026-Q3"
    else:
        files["2026-Q3/people/ana.yaml"] = files["2026-Q3/people/ana.yaml"].replace(
            "growth/trials/aha", f"growth/{objective}/aha"
        )
        ref, want = f"growth/{objective}/aha", f"has no objective '{objective}' in 2026-Q3"
    with pytest.raises(DataError) as caught:
        load(write_goals(tmp_path, files))
    messages = [d.message for d in caught.value.diagnostics if f"'{ref}'" in d.message]
    assert messages and messages[0].endswith(want + fix), messages


def test_unknown_person(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/growth.yaml", "    owner: ana\n", "    owner: anna\n"))
    assert (
        "'owner' of objective 'trials' names person 'anna', who does not exist; did you mean 'ana'?"
        in msg
    )


def test_team_cycle(tmp_path: Path):
    msg = one_error(
        tmp_path,
        swap(
            "org.yaml",
            "{id: product, name: Product, parent: company",
            "{id: product, name: Product, parent: growth",
        ),
    )
    assert "team cycle: " in msg and "product" in msg and "growth" in msg
    assert msg.startswith("goals/org.yaml:")


def test_alignment_cycle(tmp_path: Path):
    company = FILES["2026-Q3/company.yaml"].replace(
        "    owner: maria\n", "    owner: maria\n    aligns_to: growth/trials\n"
    )
    msg = one_error(tmp_path, {"2026-Q3/company.yaml": company})
    assert "alignment cycle: " in msg and "growth/trials" in msg and "company/retention" in msg


@pytest.mark.parametrize("period", ["2026-Q5", "2026-H3", "26-Q1", "2026Q1"])
def test_bad_period(tmp_path: Path, period: str):
    msg = one_error(
        tmp_path, swap("2026-Q3/people/ana.yaml", "period: 2026-Q3", f"period: {period}")
    )
    assert msg == (
        f"goals/2026-Q3/people/ana.yaml:1: bad period '{period}': use YYYY-Qn "
        "(quarter 1-4), YYYY-Hn (half 1-2) or YYYY, e.g. 2026-Q3"
    )


@pytest.mark.parametrize("period", ["9999-Q4", "0000-Q1", "1066"])
def test_period_year_out_of_range(tmp_path: Path, period: str):
    # 9999-Q4 used to end in a traceback: its end is computed from January 10000.
    msg = one_error(
        tmp_path, swap("2026-Q3/people/ana.yaml", "period: 2026-Q3", f"period: {period}")
    )
    assert msg == (
        f"goals/2026-Q3/people/ana.yaml:1: bad period '{period}': the year must be between "
        "1900 and 2999"
    )


def test_overlong_id(tmp_path: Path):
    # A 300-character id used to end in "File name too long" while writing its page.
    long_id = "tips-" + "x" * 295
    msg = one_error(
        tmp_path, swap("2026-Q3/people/ana.yaml", "  - id: tips\n", f"  - id: {long_id}\n")
    )
    assert msg == (
        "goals/2026-Q3/people/ana.yaml:4: 'id' in goal #1 is too long (300 characters): an id "
        "becomes part of page addresses; keep it to 80 characters"
    )


def test_time_on_a_checkin_date(tmp_path: Path):
    msg = one_error(
        tmp_path,
        swap("2026-Q3/company.yaml", "{date: 2026-07-06,", "{date: 2026-07-06 10:00:00,"),
    )
    assert msg.startswith(
        "goals/2026-Q3/company.yaml:14: bad date 2026-07-06T10:00:00 for 'date' in check-in "
        "#1 of key result 'churn': write an ISO date YYYY-MM-DD"
    )


def test_bad_date(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/people/ana.yaml", "due: 2026-09-15", "due: 2026-13-40"))
    assert msg == (
        "goals/2026-Q3/people/ana.yaml:10: bad date '2026-13-40' for 'due' in goal 'tips': "
        "write an ISO date YYYY-MM-DD, e.g. 2026-08-15"
    )


def test_out_of_range_confidence(tmp_path: Path):
    msg = one_error(tmp_path, swap("2026-Q3/company.yaml", "confidence: 0.7", "confidence: 7"))
    assert msg == (
        "goals/2026-Q3/company.yaml:14: confidence 7 in check-in #1 of key result 'churn' is out "
        "of range: use 0..1 (0.7 means 70% likely)"
    )


def test_file_of_no_known_kind(tmp_path: Path):
    msg = one_error(tmp_path, {"notes.yaml": "meeting: Tuesday\nagenda: OKRs\n"})
    assert msg.startswith("goals/notes.yaml:1: cannot tell what kind of goal file this is")
    assert "an OKR file 'period'/'team'/'objectives'" in msg


def test_file_of_no_known_kind_suggests_the_key(tmp_path: Path):
    msg = one_error(tmp_path, {"kpi.yaml": "kpi:\n  - id: x\n"})
    assert "'kpi'; did you mean 'kpis'?" in msg


def test_non_utf8_file(tmp_path: Path):
    latin1 = "organization: Caf\u00e9 Co\n".encode("latin-1")
    msg = one_error(tmp_path, {"org2.yaml": b"teams: []\n" + latin1})
    assert msg == (
        "goals/org2.yaml:2: not UTF-8 text (byte 0xe9 at this line): save the file "
        "with UTF-8 encoding"
    )


def test_yaml_alias_refused(tmp_path: Path):
    text = (
        FILES["2026-Q3/company.yaml"]
        .replace("        baseline: 102\n", "        baseline: &b 102\n")
        .replace("        target: 110\n", "        target: *b\n")
    )
    errors = errors_of(tmp_path, {"2026-Q3/company.yaml": text})
    assert any(
        e.startswith("goals/2026-Q3/company.yaml:18: YAML aliases (*name) are not allowed")
        for e in errors
    ), errors


def test_alias_bomb_fails_fast_without_eating_memory(tmp_path: Path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(
            f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]"
        )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    errors = errors_of(tmp_path, {"bomb.yaml": "\n".join(lines) + "\n"})
    assert time.perf_counter() - start < 5
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 200_000  # KiB
    assert any("YAML aliases (*name) are not allowed" in e for e in errors)


def test_merge_keys_refused(tmp_path: Path):
    errors = errors_of(
        tmp_path, {"kpis.yaml": "kpis:\n  - <<: {direction: up}\n    id: x\n    name: X\n"}
    )
    assert any("YAML merge keys (<<) are not allowed" in e for e in errors)


def test_all_errors_of_a_run_come_together(tmp_path: Path):
    errors = errors_of(
        tmp_path,
        {
            **swap("2026-Q3/company.yaml", "        target: 3.0\n", "        tagret: 3.0\n"),
            **swap("2026-Q3/people/ana.yaml", "due: 2026-09-15", "due: 2026-13-40"),
            "notes.yaml": "meeting: Tuesday\n",
        },
    )
    files = {e.split(":")[0] for e in errors}
    assert files == {
        "goals/2026-Q3/company.yaml",
        "goals/2026-Q3/people/ana.yaml",
        "goals/notes.yaml",
    }


def test_empty_file_is_a_warning(tmp_path: Path):
    root = write_site(tmp_path, {**FILES, "empty.yaml": ""})
    loose = build(root)
    assert loose.returncode == 0, loose.stderr
    assert "goals/empty.yaml:1: empty file: skipped" in loose.stderr
    # A warning of the load, as validate reports it: in the log, not a failed build.
    assert build(root, "--strict").returncode == 0


def test_build_fails_with_every_error_and_no_traceback(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            **FILES,
            **swap("2026-Q3/company.yaml", "        target: 3.0\n", "        tagret: 3.0\n"),
            "bomb.yaml": "a: &a [1, 2]\nb: *a\n",
        },
    )
    run = build(root)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert (
        "goals/2026-Q3/company.yaml:12: unknown key 'tagret' in key result 'churn'; did you mean 'target'?"
        in run.stderr
    )
    assert "goals/bomb.yaml:2: YAML aliases" in run.stderr
    assert "errors in the goal files" in run.stderr


def test_validate_reports_data_errors_with_exit_2(tmp_path: Path):
    import subprocess

    from orgkit import ENV

    root = write_site(
        tmp_path, {**FILES, **swap("2026-Q3/growth.yaml", "    owner: ana\n", "    owner: anna\n")}
    )
    run = subprocess.run(["okrsite", "validate"], cwd=root, env=ENV, capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stdout.startswith(
        "goals/2026-Q3/growth.yaml:6: 'owner' of objective 'trials' names person 'anna'"
    )
    assert "Traceback" not in run.stderr


def test_missing_goals_folder_is_a_clear_build_error(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme: material\nplugins: [{okrsite: {goals_dir: nowhere}}]\n",
        encoding="utf-8",
    )
    run = build(tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "the goals folder" in run.stderr and "does not exist" in run.stderr


def test_validate_lists_the_load_warnings_beside_data_errors(tmp_path: Path):
    """With data errors, the load's warnings are still reported, in every format."""
    import json
    import subprocess

    root = write_site(
        tmp_path, {**FILES, "empty.yaml": "", "2026-Q3/broken.yaml": "period: 2026-Q3\nteam: ["}
    )
    run = subprocess.run(
        ["okrsite", "validate", "--format", "json"], cwd=root, capture_output=True, text=True
    )
    assert run.returncode == 2
    report = json.loads(run.stdout)
    assert report["errors"] and report["findings"] == []
    assert [w["path"] for w in report["warnings"]] == ["goals/empty.yaml"]
    text = subprocess.run(["okrsite", "validate"], cwd=root, capture_output=True, text=True)
    assert "goals/empty.yaml:1: empty file: skipped (warning)" in text.stdout
    assert "1 data error;" in text.stderr


@pytest.mark.parametrize("quote", ['"', "'"])
@pytest.mark.parametrize("after", ["", "\n\n# the end\n"])
def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path, quote: str, after: str):
    """Not at the file's last line, where the scanner gave up, and with the fix."""
    text = FILES["2026-Q3/people/ana.yaml"]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "title:" in t)
    broken = text.replace("title: ", f"title: {quote}", 1) + after
    msg = one_error(tmp_path, {"2026-Q3/people/ana.yaml": broken})
    assert msg == (
        f"goals/2026-Q3/people/ana.yaml:{line}: YAML syntax error: the quote that opens on "
        f"this line is never closed: close it with {quote}, or write the text without quotes"
    )


@pytest.mark.parametrize(
    "text", ['period: 2026-Q3\nteam: x\n"objectives" foo\n', 'period: 2026-Q3\n"team"\n']
)
def test_a_closed_quote_is_not_called_unclosed(text: str):
    from okrsite.source.yamlsafe import parse

    _doc, diags = parse(text, "g.yaml")
    assert diags and all("never closed" not in d.message for d in diags)
