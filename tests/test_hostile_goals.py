"""Hostile and messy goal folders, as anyone's pull request could make them: the goals
folder is a jail, YAML 1.1 does not change text behind the author's back, every size
and number is bounded, every reference error sits at the line of its key, and a
private goal's text and values never reach a message.

Each case asserts the exact outcome: our message with its file and line, or the
value the site gets. Part of the adversarial suite (tests/test_hostile_*.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrsite.commands.cli import main
from okrsite.diagnostics import DataError
from okrsite.limits import MAX_FILE_BYTES, MAX_FOLDER_BYTES
from okrsite.source.loader import load

from orgkit import (
    ANA,
    COMPANY,
    FILES,
    GROWTH,
    KPIS,
    build,
    site_files,
    write_goals,
    write_site,
)

SECRET = "TOPSECRET-7f3a"  # in files outside the goals folder: must never appear


def errors(goals: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(goals)
    return [str(d) for d in info.value.diagnostics]


def swapped(name: str, old: str, new: str) -> dict[str, str]:
    text = FILES[name]
    assert old in text, old
    return {**FILES, name: text.replace(old, new, 1)}


def outside_secret(tmp_path: Path, name: str = "secret.csv") -> Path:
    path = tmp_path / name
    path.write_text(f"date,value\n2026-07-01,{SECRET}\n", encoding="utf-8")
    return path


# -- the goals folder is a jail -------------------------------------------------------

LINK_OUT = (
    "is a link to a file outside the goals folder, which okrsite never reads (a pull "
    "request could point it at any file on the build machine): put the file itself here"
)


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "secret"])
def test_a_link_out_of_the_goals_folder_is_refused_unread(tmp_path: Path, target: str):
    goals = write_goals(tmp_path, FILES)
    real = outside_secret(tmp_path) if target == "secret" else Path(target)
    (goals / "2026-Q3" / "evil.yaml").symlink_to(real)
    assert errors(goals) == [f"goals/2026-Q3/evil.yaml:1: {LINK_OUT}"]


def test_a_link_inside_the_goals_folder_is_read(tmp_path: Path):
    files = {k: v for k, v in FILES.items() if k != "2026-Q3/people/ana.yaml"}
    goals = write_goals(tmp_path, {**files, "shared/ana.yaml": ANA})
    (goals / "2026-Q3" / "people").mkdir(parents=True)
    (goals / "2026-Q3" / "people" / "ana.yaml").symlink_to(goals / "shared" / "ana.yaml")
    # Both names are read: the same goal twice is a duplicate, reported as such.
    assert errors(goals) == [
        "goals/shared/ana.yaml:4: duplicate goal id 'tips' for 'ana' in 2026-Q3 (first at "
        "goals/2026-Q3/people/ana.yaml:4): rename one"
    ]


def test_a_linked_folder_is_refused(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_text(f"title: {SECRET}\n", encoding="utf-8")
    (goals / "more").symlink_to(elsewhere, target_is_directory=True)
    (goals / "loop").symlink_to(goals, target_is_directory=True)
    assert errors(goals) == [
        f"goals/{name}:1: is a link to a folder, which okrsite does not follow (goal files "
        "come only from inside the goals folder): move the files here"
        for name in ("loop", "more")
    ]


def test_a_fifo_is_refused_without_hanging(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    os.mkfifo(goals / "pipe.yaml")
    assert errors(goals) == [
        "goals/pipe.yaml:1: is not a regular file: okrsite reads only regular files"
    ]


def test_an_oversized_goal_file_is_refused_by_its_size(tmp_path: Path):
    big = "# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    goals = write_goals(tmp_path, {**FILES, "big.yaml": big})
    size = len(big.encode())
    assert errors(goals) == [
        f"goals/big.yaml:1: is {size:,} bytes, over okrsite's limit of {MAX_FILE_BYTES:,} "
        "bytes for one goal file: split it (goal files may be spread over any number of files)"
    ]


HISTORY_KPI = KPIS.replace("    history:\n", "    history_file: NAME\n    history:\n")


def history_kpi(name: str) -> str:
    return HISTORY_KPI.replace("NAME", name)


def history_error(name: str) -> str:
    return (
        f"goals/kpis.yaml:7: 'history_file' of KPI 'gross-churn' names '{name}', outside "
        "the goals folder: okrsite reads no file outside it; put the CSV file in the goals "
        "folder and name it relative to this YAML file"
    )


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "/proc/self/environ", "../secret.csv", "a/../../secret.csv"]
)
def test_history_file_outside_the_goals_folder_is_refused(tmp_path: Path, name: str):
    outside_secret(tmp_path)
    goals = write_goals(tmp_path, {**FILES, "kpis.yaml": history_kpi(name)})
    found = errors(goals)
    assert found == [history_error(name)]
    assert SECRET not in "".join(found) and "root:" not in "".join(found)


def test_history_file_linked_out_is_refused(tmp_path: Path):
    goals = write_goals(tmp_path, {**FILES, "kpis.yaml": history_kpi("h.csv")})
    (goals / "h.csv").symlink_to(outside_secret(tmp_path))
    assert errors(goals) == [history_error("h.csv")]


def test_history_file_inside_by_a_detour_is_read(tmp_path: Path):
    files = {
        **FILES,
        "kpis.yaml": history_kpi("data/../data/h.csv"),
        "data/h.csv": "date,value\n2026-07-31,4.4\n",
    }
    kpi = load(write_goals(tmp_path, files)).org.kpis["gross-churn"]
    assert [(c.date.isoformat(), c.value) for c in kpi.history] == [
        ("2026-06-30", 4.2),
        ("2026-07-31", 4.4),
    ]


def test_history_csv_cells_with_line_separators_split_no_row(tmp_path: Path):
    files = {
        **FILES,
        "kpis.yaml": history_kpi("h.csv"),
        "h.csv": 'date,value\n2026-07-31,"4.4\u2028"\n2026-08-31,"x\ny"\n',
    }
    assert errors(write_goals(tmp_path, files)) == [
        "goals/h.csv:4: bad value 'x\\ny': write a number between -1,000,000,000,000,000 "
        "and 1,000,000,000,000,000, e.g. 4.2"
    ]


def test_history_csv_with_a_huge_cell_is_an_error(tmp_path: Path):
    files = {
        **FILES,
        "kpis.yaml": history_kpi("h.csv"),
        "h.csv": 'date,value\n2026-07-31,"' + "9" * 200_000 + '"\n',
    }
    assert errors(write_goals(tmp_path, files)) == [
        "goals/h.csv:2: cannot read this CSV row (an unclosed quote or an oversized cell): "
        "write 'date,value' rows"
    ]


@pytest.mark.parametrize("name", ["ana.YAML", "ana.Yml", "ana.yAmL"])
def test_goal_files_with_upper_case_extensions_are_read(tmp_path: Path, name: str):
    files = {k: v for k, v in FILES.items() if k != "2026-Q3/people/ana.yaml"}
    org = load(write_goals(tmp_path, {**files, f"2026-Q3/people/{name}": ANA})).org
    assert list(org.goals) == ["2026-Q3/ana/tips"]


def test_files_that_are_not_goal_files_are_named(tmp_path: Path, capsys):
    goals = write_goals(
        tmp_path,
        {**FILES, "README.md": "# notes\n", "2026-Q3/people/ana.yaml.bak": ANA, ".hidden": "x"},
    )
    notes = [str(d) for d in load(goals).warnings]
    note = (
        ":1: not read: only .yaml and .yml files are goal files (a CSV file is read when a "
        "KPI's 'history_file' names it)"
    )
    assert notes == [f"goals/2026-Q3/people/ana.yaml.bak{note}", f"goals/README.md{note}"]
    # validate shows them as notes, not warnings; a strict build is not failed by them.
    assert main(["validate", str(goals), "--today", "2026-08-01"]) == 0
    assert f"goals/README.md{note} (note)" in capsys.readouterr().out
    run = build(write_site(tmp_path, {}))
    assert run.returncode == 0
    assert f"INFO    -  okrsite: goals/README.md{note}" in run.stderr
    assert "WARNING -  okrsite: goals/README.md" not in run.stderr


# -- YAML 1.1 typing keeps text as written ----------------------------------------------


@pytest.mark.parametrize("written", ["0755", "0x1f", "0o17", "1_000", "12:30", "1.50", "+5"])
def test_an_id_that_yaml_reads_as_a_number_stays_as_written(tmp_path: Path, written: str):
    """id: 0755 is the page 0755, not 493; title: 1_000 is '1_000', not '1000'."""
    goal_id = written.replace(":", "-").replace("_", "-").replace(".", "-").replace("+", "p")
    files = swapped("2026-Q3/people/ana.yaml", "  - id: tips\n", f"  - id: {goal_id}\n")
    files["2026-Q3/people/ana.yaml"] = (
        files["2026-Q3/people/ana.yaml"]
        .replace(
            "    title: Ship in-app usage tips for the top 5 underused features\n",
            f"    title: {written}\n",
        )
        .replace("    metric: Trial users using 3 of the 5 features\n", f"    metric: {written}\n")
    )
    org = load(write_goals(tmp_path, files)).org
    goal = org.goals[f"2026-Q3/ana/{goal_id}"]
    assert (goal.id, goal.title, goal.metric) == (goal_id, written, written)
    assert goal_id != "493" and (written not in ("0755", "0x1f", "0o17") or goal_id == written)


def test_a_note_at_a_time_of_day_stays_text(tmp_path: Path):
    files = swapped(
        "2026-Q3/company.yaml",
        "          - {date: 2026-07-06, value: 3.6, confidence: 0.7}\n",
        "          - date: 2026-07-06\n            value: 3.6\n            note: 12:30\n",
    )
    kr = load(write_goals(tmp_path, files)).org.objectives["2026-Q3/company/retention"]
    assert kr.key_results[0].checkins[0].note == "12:30"


@pytest.mark.parametrize(
    ("written", "shown"),
    [("yes", "true/false True"), ("off", "true/false False"), ("~", "empty None")],
)
def test_a_title_yaml_reads_as_no_text_gets_the_quoting_fix(
    tmp_path: Path, written: str, shown: str
):
    files = swapped(
        "2026-Q3/growth.yaml",
        "    title: Make the product irresistible during trials\n",
        f"    title: {written}\n",
    )
    assert errors(write_goals(tmp_path, files)) == [
        f"goals/2026-Q3/growth.yaml:5: 'title' in objective 'trials' must be text, got {shown}: "
        'put it in quotes, e.g. title: "..." (unquoted, YAML reads yes/no/on/off/true/false '
        "as true/false, null and ~ as empty, and dates as dates)"
    ]


# -- bounds ---------------------------------------------------------------------------

RANGE = "numbers in goal files lie between -1,000,000,000,000,000 and 1,000,000,000,000,000"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1.0e+308", "1.0e+308"),
        ("-2.0e+15", "-2.0e+15"),
        ("9" * 5000, "9" * 56 + "..."),  # over Python's 4,300 digits for int()
    ],
)
def test_numbers_out_of_range_are_refused_with_the_range(tmp_path: Path, written: str, shown: str):
    files = swapped(
        "2026-Q3/growth.yaml", "        baseline: 8\n", f"        baseline: {written}\n"
    )
    assert errors(write_goals(tmp_path, files)) == [
        f"goals/2026-Q3/growth.yaml:11: 'baseline' in key result 'trial-to-paid' is out of "
        f"range, got {shown}: {RANGE}"
    ]


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan"])
def test_infinite_numbers_are_refused(tmp_path: Path, written: str):
    files = swapped("2026-Q3/growth.yaml", "        target: 14\n", f"        target: {written}\n")
    (message,) = errors(write_goals(tmp_path, files))
    assert message.startswith(
        f"goals/2026-Q3/growth.yaml:12: 'target' in key result 'trial-to-paid' must be a "
        f"number, got {written}"
    )


@pytest.mark.parametrize("weight", ["1.0e+308", "1001", "0", "-1"])
def test_weights_are_bounded(tmp_path: Path, weight: str):
    files = swapped(
        "2026-Q3/growth.yaml",
        "        target: 14\n",
        f"        target: 14\n        weight: {weight}\n",
    )
    assert errors(write_goals(tmp_path, files)) == [
        f"goals/2026-Q3/growth.yaml:13: weight {weight} in key result 'trial-to-paid' is out "
        "of range: a weight is more than 0 and at most 1,000, relative to the other key results"
    ]


@pytest.mark.parametrize(
    ("key", "limit", "why"),
    [
        ("title", 300, "a title is one line on every page that lists it"),
        ("description", 10_000, "okrsite's limit for Markdown texts"),
    ],
)
def test_long_texts_are_refused_with_the_limit(tmp_path: Path, key: str, limit: int, why: str):
    text = "x" * (limit + 1)
    if key == "title":
        old, new = "Make the product irresistible during trials", text
    else:
        old, new = "    owner: ana\n", f"    owner: ana\n    {key}: {text}\n"
    files = swapped("2026-Q3/growth.yaml", old, new)
    wanted = f"'{key}' in objective 'trials' is too long ({limit + 1:,} characters): {why}"
    assert errors(write_goals(tmp_path, files)) == [
        f"goals/2026-Q3/growth.yaml:{7 if key == 'description' else 5}: {wanted}; keep it "
        f"to {limit:,} characters"
    ]


def test_a_fifty_megabyte_title_is_refused_before_parsing(tmp_path: Path):
    files = {
        **FILES,
        "2026-Q3/growth.yaml": GROWTH.replace(
            "Make the product irresistible during trials", "x" * (3 * MAX_FILE_BYTES)
        ),
    }
    (message,) = errors(write_goals(tmp_path, files))
    assert message.startswith("goals/2026-Q3/growth.yaml:1: is ")
    assert message.endswith("split it (goal files may be spread over any number of files)")


def test_a_long_unit_is_refused(tmp_path: Path):
    files = swapped("kpis.yaml", '    unit: "%"\n', f"    unit: {'u' * 41}\n")
    assert errors(write_goals(tmp_path, files)) == [
        "goals/kpis.yaml:4: 'unit' in KPI 'gross-churn' is too long (41 characters): a unit "
        "is shown beside every number; keep it to 40 characters"
    ]


# -- every reference error at the line of its key --------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "start"),
    [
        (
            "2026-Q3/growth.yaml",
            "    owner: ana\n",
            "    owner: ruy\n",
            6,
            "'owner' of objective 'trials' names person 'ruy'",
        ),
        (
            "2026-Q3/company.yaml",
            "        kpi: gross-churn\n",
            "        kpi: wastage\n",
            10,
            "'kpi' of key result 'churn' names KPI 'wastage'",
        ),
        (
            "2026-Q3/people/ana.yaml",
            "    supports: growth/trials/aha\n",
            "    supports: growth/stale/waste\n",
            6,
            "'supports' of goal 'tips' points to 'growth/stale/waste'",
        ),
        (
            "2026-Q3/growth.yaml",
            "    aligns_to: company/retention/churn\n",
            "    aligns_to: company/retention/nope\n",
            7,
            "'aligns_to' of objective 'trials' points to 'company/retention/nope'",
        ),
        (
            "org.yaml",
            "  - {id: ana, name: Ana Silva, team: growth}\n",
            "  - id: ana\n    name: Ana Silva\n    team: grwoth\n",
            10,
            "'team' of person 'ana' names team 'grwoth'",
        ),
        (
            "org.yaml",
            "  - {id: growth, name: Growth, parent: product}\n",
            "  - id: growth\n    name: Growth\n    parent: prodct\n",
            7,
            "'parent' of team 'growth' names team 'prodct'",
        ),
        (
            "2026-Q3/growth.yaml",
            "    owner: ana\n",
            "    owner: ana\n    waive:\n      no-such-rule: because\n",
            8,
            "'waive' names rule 'no-such-rule', which does not exist",
        ),
    ],
)
def test_reference_errors_point_at_their_key(
    tmp_path: Path, name: str, old: str, new: str, line: int, start: str
):
    found = errors(write_goals(tmp_path, swapped(name, old, new)))
    # (a team with an unknown parent is also a second root: that error has its own line)
    assert next(m for m in found if start in m).startswith(f"goals/{name}:{line}: {start}")


def test_an_alignment_cycle_points_at_the_aligns_to_line(tmp_path: Path):
    files = swapped(
        "2026-Q3/company.yaml",
        "    owner: maria\n",
        "    owner: maria\n    aligns_to: growth/trials/aha\n",
    )
    found = errors(write_goals(tmp_path, files))
    assert [m.split(": alignment cycle")[0] for m in found] == ["goals/2026-Q3/company.yaml:7"]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("kpis: []\na: &x [1]\nb:\n  - 2\n  - *x\n", [5]),
        ("kpis: []\na: &x [1]\nb: 2\nc: *x\nd: [*x, *x, *x]\n", [4, 5]),
        (
            'kpis: []\na: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
            [3, 4, 5],
        ),
    ],
    ids=["list-item", "value-and-flow", "bomb"],
)
def test_aliases_are_reported_at_the_alias_once_a_line(tmp_path: Path, text: str, lines: list):
    goals = write_goals(tmp_path, {**FILES, "x.yaml": text})
    message = (
        "YAML aliases (*name) are not allowed in goal files: they can expand into huge "
        "documents; write the value out in full"
    )
    assert errors(goals) == [f"goals/x.yaml:{n}: {message}" for n in lines]


# -- privacy: a private goal's text and values never reach a message -------------------

PRIVATE = """\
period: 2026-Q3
owner: ana
goals:
  - id: secret-raise
    title: TOPSECRET-7f3a negotiate a raise
    visibility: private
    supports: growth/trials/aha
    metric: TOPSECRET-7f3a salary
    baseline: 1
    target: 2
    due: 2026-09-30
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    baseline: 1\n",
            "    baseline: TOPSECRET-7f3a\n",
            "goals/2026-Q3/people/ana-private.yaml:9: 'baseline' in private goal #1 must be a "
            "number, got (not shown: private goal): write the number alone (4.2, not '4.2%'); "
            "the unit goes in 'unit'",
        ),
        (
            "    due: 2026-09-30\n",
            "    due: TOPSECRET-7f3a\n",
            "goals/2026-Q3/people/ana-private.yaml:11: bad date (not shown: private goal) for "
            "'due' in private goal #1: write an ISO date YYYY-MM-DD, e.g. 2026-08-15",
        ),
        (
            "    target: 2\n",
            "    target: 2\n    TOPSECRET-7f3a: 1\n",
            "goals/2026-Q3/people/ana-private.yaml:11: unknown key (not shown: private goal) in "
            "private goal #1; known keys here: achievable, baseline, checkins, due, id, metric, "
            "status, supports, target, title, unit, visibility, waive",
        ),
        (
            "    supports: growth/trials/aha\n",
            "    supports: growth/topsecret/x\n",
            "goals/2026-Q3/people/ana-private.yaml:7: 'supports' of private goal #1 points to no "
            "key result that exists (reference not shown: private goal): check its period, team, "
            "objective and key result ids",
        ),
        (
            "  - id: secret-raise\n",
            "  - id: Topsecret-7f3a\n",
            "goals/2026-Q3/people/ana-private.yaml:4: bad id (not shown: private goal) for 'id' "
            "in private goal #1: ids use lowercase letters, digits and '-', starting with a "
            "letter or digit",
        ),
        (
            "    visibility: private\n",
            "    visibility: Private\n",
            "goals/2026-Q3/people/ana-private.yaml:6: bad value (not shown: private goal) for "
            "'visibility' in private goal #1: use one of 'public' or 'private'",
        ),
    ],
)
def test_errors_in_a_private_goal_show_no_text_or_value(
    tmp_path: Path, capsys, old: str, new: str, message: str
):
    text = PRIVATE.replace(old, new)
    assert old in PRIVATE
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-private.yaml": text})
    assert errors(goals) == [message]
    for extra in ([], ["--public-only"], ["--format", "json"], ["--format", "github"]):
        assert main(["validate", str(goals), *extra]) == 2
        out = capsys.readouterr()
        assert "7f3a" not in (out.out + out.err).lower()
        assert "secret-raise" not in out.out + out.err


def test_a_private_duplicate_goal_id_is_not_shown(tmp_path: Path):
    twice = PRIVATE + PRIVATE.split("goals:\n", 1)[1]
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-private.yaml": twice})
    assert errors(goals) == [
        "goals/2026-Q3/people/ana-private.yaml:12: duplicate goal id (not shown: private "
        "goal) for 'ana' in 2026-Q3 (first at goals/2026-Q3/people/ana-private.yaml:4): "
        "rename one"
    ]


def test_findings_on_a_private_goal_show_no_text(tmp_path: Path, capsys):
    vague = PRIVATE.replace("    due: 2026-09-30\n", "    due: 2027-01-15\n").replace(
        "    supports: growth/trials/aha\n", ""
    )
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-private.yaml": vague})
    assert main(["validate", str(goals), "--today", "2026-08-01"]) == 0
    out = capsys.readouterr().out
    assert "goals/2026-Q3/people/ana-private.yaml:4: OKR305 a private goal supports nothing" in out
    assert "a private goal is due (not shown), outside 2026-Q3" in out
    assert "7f3a" not in out.lower() and "secret-raise" not in out and "2027-01-15" not in out


def test_private_goals_are_counted_alike_on_every_page(tmp_path: Path):
    unlinked = PRIVATE.replace("    supports: growth/trials/aha\n", "").replace(
        "secret-raise", "other"
    )
    root = write_site(
        tmp_path,
        {
            **FILES,
            "2026-Q3/people/ana-private.yaml": PRIVATE,
            "2026-Q3/people/ana-unlinked.yaml": unlinked,
        },
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    pages = dict(site_files(root / "site"))
    assert "7f3a" not in "".join(pages.values()).lower()
    home = pages["index.html"]
    assert "1 public goal, 2 private goals" in home
    period = next(text for name, text in pages.items() if name.endswith("2026-q3/index.html"))
    assert "1 public goal &middot; 2 private" in period
    printed = next(
        text for name, text in pages.items() if "print" in name and "2026-q3" in name.lower()
    )
    assert "; 2 private (not itemised)" in printed


# -- no traceback from the CLI on a hostile folder --------------------------------------


def test_validate_on_a_jailbreak_folder_exits_2_without_traceback(tmp_path: Path):
    goals = write_goals(tmp_path, {**FILES, "kpis.yaml": history_kpi("/proc/self/environ")})
    (goals / "x.yaml").symlink_to("/proc/self/environ")
    env = {**os.environ, "CI_TOKEN": SECRET}
    run = subprocess.run(
        [sys.executable, "-m", "okrsite.commands.cli", "validate", str(goals), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and SECRET not in run.stdout + run.stderr
    assert [e["line"] for e in json.loads(run.stdout)["errors"]] == [7, 1]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("x\n::error file=a::forged.yaml", "x\\n::error file=a::forged.yaml"),
        ("tab\there.yaml", "tab\\there.yaml"),
        ("zero\u200bwidth.yaml", "zero\\u200bwidth.yaml"),
        (os.fsdecode(b"latin\xe9.yaml"), "latin\\udce9.yaml"),
        ("folder\nname/ana.yaml", "folder\\nname"),
    ],
)
def test_a_name_that_could_forge_a_message_is_refused_escaped(
    tmp_path: Path, capsys, name: str, shown: str
):
    goals = write_goals(tmp_path, {**FILES, name: ANA.replace("id: tips", "id: other")})
    wanted = (
        f"goals/2026-Q3/{shown}:1: the name holds a line break, a control or invisible "
        "character, or bytes that are not UTF-8: rename it with plain characters"
    ).replace("goals/2026-Q3/", "goals/")
    assert errors(goals) == [wanted]
    assert main(["validate", str(goals), "--format", "github"]) == 2
    # One annotation line: the name cannot start a workflow command of its own.
    assert capsys.readouterr().out.count("\n") == 1


def test_a_goals_folder_over_the_total_limit_is_refused_whole(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    chunk = b"# padding\n" * (MAX_FILE_BYTES // 10 - 1)
    count = MAX_FOLDER_BYTES // len(chunk) + 1
    for i in range(count):
        (goals / f"pad-{i:03}.yaml").write_bytes(chunk)
    total = sum(p.stat().st_size for p in goals.rglob("*.yaml"))
    assert errors(goals) == [
        f"goals:1: the goal files hold {total:,} bytes together, over okrsite's limit of "
        f"{MAX_FOLDER_BYTES:,} bytes for a goals folder: archive past periods elsewhere"
    ]


def test_the_security_page_states_the_limits_in_force():
    from okrsite import limits
    from okrsite.source.fileformat import ID_MAX

    page = (Path(__file__).parent.parent / "docs" / "guide" / "security.md").read_text()
    rows = {
        "one goal file (or history CSV file)": f"{limits.MAX_FILE_BYTES:,} bytes",
        "all goal files of a goals folder together": f"{limits.MAX_FOLDER_BYTES:,} bytes",
        "a title, name, metric, reason": f"{limits.MAX_TITLE:,} characters",
        "a unit": f"{limits.MAX_UNIT:,} characters",
        "a Markdown text (`description`, `note`, `achievable`)": (
            f"{limits.MAX_MARKDOWN:,} characters"
        ),
        "an id": f"{ID_MAX} characters",
        "every number (baseline, target, value, alert...)": (
            f"between -{limits.MAX_NUMBER:,.0f} and {limits.MAX_NUMBER:,.0f}"
        ),
        "a key result's weight": f"at most {limits.MAX_WEIGHT:,.0f}",
        "lists and mappings nested": f"{limits.MAX_DEPTH} levels",
        "teams one under another (`parent`), objectives aligned one under another "
        "(`aligns_to`)": f"{limits.MAX_CHAIN} in one chain",
    }
    for what, limit in rows.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| {what} |"))
        assert limit in row, (what, row)


def test_numbers_at_the_limits_draw_no_nan_or_infinity(tmp_path: Path):
    """The widest range, a zero range, tiny weights: every score, bar and chart finite."""
    growth = GROWTH.replace(
        "        baseline: 8\n        target: 14\n",
        "        baseline: -1.0e+15\n        target: 1.0e+15\n        weight: 1000\n"
        "        checkins:\n"
        "          - {date: 2026-07-06, value: 1.0e+15, confidence: 1}\n"
        "          - {date: 2026-07-13, value: -1.0e+15, confidence: 0}\n"
        "          - {date: 2026-07-20, value: 0.000000001}\n",
    ).replace(
        "        baseline: 25\n        target: 45\n",
        "        baseline: 5\n        target: 5\n        weight: 0.000001\n"
        "        checkins:\n          - {date: 2026-07-06, value: 5}\n",
    )
    kpis = KPIS.replace("    alert: 5.0\n", "    alert: -1.0e+15\n").replace(
        "      - {date: 2026-06-30, value: 4.2}\n",
        "      - {date: 2026-06-30, value: 1.0e+15}\n      - {date: 2026-07-30, value: -1.0e+15}\n",
    )
    root = write_site(tmp_path, {**FILES, "2026-Q3/growth.yaml": growth, "kpis.yaml": kpis})
    run = build(root)
    assert run.returncode == 0, run.stderr
    import re

    pattern = re.compile(r"\b(nan|NaN|inf|Infinity)\b")
    found = [
        name
        for name, text in site_files(root / "site")
        if name.endswith((".html", ".json", ".svg")) and pattern.search(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    "period", ["\u0662\u0660\u0662\u0666-Q3", "\uff12\uff10\uff12\uff16-Q3", "2026-Q3\n"]
)
def test_a_period_in_other_digits_is_refused(tmp_path: Path, period: str):
    """Unicode digits match a regular expression's \\d: a period of its own, a page of
    its own, unless refused."""
    files = swapped("2026-Q3/growth.yaml", "period: 2026-Q3\n", f"period: {json.dumps(period)}\n")
    (message,) = errors(write_goals(tmp_path, files))
    assert message.startswith("goals/2026-Q3/growth.yaml:1: bad period ")


# -- found by an attacker's try: CI log forgery, echoes, numbers YAML 1.1 changes -----

FORGED = "::error file=evil.yaml,line=1::FORGED"


@pytest.mark.parametrize("mark", ["\\u202e", "\\u202a", "\\u2066", "\\u2069"])
def test_a_title_cannot_turn_the_rest_of_its_line_around(tmp_path: Path, mark: str):
    """A right-to-left override in a title reversed the team name, score and badges
    after it on the alignment map (found by an attacker): refused, and not echoed."""
    files = swapped(
        "2026-Q3/growth.yaml",
        "        title: Raise trial-to-paid conversion from 8% to 14%\n",
        f'        title: "Raise trial-to-paid {mark}conversion"\n',
    )
    (message,) = errors(write_goals(tmp_path, files))
    assert "text-direction override" in message and "goals/2026-Q3/growth.yaml:10:" in message
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in message)


@pytest.mark.parametrize("sep", ["\\n", "\\r", "\\u2028", "\\x1b[2K"])
def test_a_title_cannot_forge_a_ci_log_line(tmp_path: Path, capsys, sep: str):
    files = swapped(
        "2026-Q3/growth.yaml",
        "        title: Raise trial-to-paid conversion from 8% to 14%\n",
        f'        title: "Run 12 webinars{sep}{FORGED}"\n',
    )
    goals = write_goals(tmp_path, files)
    (message,) = errors(goals)
    assert message.startswith(
        "goals/2026-Q3/growth.yaml:10: 'title' in key result 'trial-to-paid' holds a line "
        "break, a control character or a text-direction override, got 'Run 12 webinars"
    )
    assert message.endswith(
        "keep it to one line of plain text (a longer text goes in 'description')"
    )
    for fmt in ("text", "github", "json"):
        main(["validate", str(goals), "--format", fmt])
        out = capsys.readouterr()
        for line in (out.out + out.err).splitlines():
            assert not line.startswith("::error file=evil"), line
        assert "\x1b" not in out.out + out.err and "\r" not in out.out + out.err


@pytest.mark.parametrize("sep", ["\\r", "\\x1b[2K\\x1b[1A", "\\u0085", "\\v"])
def test_an_echoed_value_is_one_printable_line(tmp_path: Path, capsys, sep: str):
    files = swapped(
        "2026-Q3/growth.yaml", "        baseline: 8\n", f'        baseline: "4.2{sep}x"\n'
    )
    goals = write_goals(tmp_path, files)
    assert main(["validate", str(goals)]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.isascii() and out[:-1].isprintable()


def test_goals_written_as_a_mapping_echo_nothing_of_it(tmp_path: Path, capsys):
    text = (
        "period: 2026-Q3\nowner: ana\ngoals:\n  id: raise-talk\n"
        "  title: TOPSECRET-7f3a negotiate my raise\n  visibility: private\n"
    )
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-p.yaml": text})
    assert errors(goals) == [
        "goals/2026-Q3/people/ana-p.yaml:3: 'goals' must be a list of items ('- ...' lines), "
        "got a mapping {...}"
    ]
    main(["validate", str(goals), "--format", "github"])
    assert "7f3a" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("2026-Q3/people/ana.yaml", "a history file is a visible .csv file"),
        (".env", "a history file is a visible .csv file"),
        (".hidden/h.csv", "a history file is a visible .csv file"),
        ("link.csv", "a history file is a visible .csv file"),  # a link to a goal file
        ("folder.csv", "which is not a regular file"),
        ("loop.csv", "outside the goals folder"),  # a link to itself: leads nowhere
        ("a" * 280 + ".csv", "which does not exist"),
    ],
)
def test_history_file_reads_only_visible_csv_files(tmp_path: Path, capsys, name: str, why: str):
    files = {
        **FILES,
        "kpis.yaml": history_kpi(name),
        ".env": "TOKEN=ghp_SECRETVALUE\n",
        ".hidden/h.csv": "TOKEN=ghp_SECRETVALUE\n",
    }
    goals = write_goals(tmp_path, files)
    (goals / "link.csv").symlink_to(goals / "2026-Q3" / "people" / "ana.yaml")
    (goals / "folder.csv").mkdir()
    (goals / "loop.csv").symlink_to(goals / "loop.csv")
    found = errors(goals)
    assert next(m for m in found if "history_file" in m).startswith(
        "goals/kpis.yaml:7: 'history_file' of KPI 'gross-churn' names "
    )
    assert why in " ".join(found)
    assert "SECRETVALUE" not in " ".join(found) and "Ship in-app" not in " ".join(found)


@pytest.mark.parametrize("value", ['""', '"a\\u0000b.csv"'])
def test_history_file_must_be_a_name(tmp_path: Path, value: str):
    (message,) = errors(write_goals(tmp_path, {**FILES, "kpis.yaml": history_kpi(value)}))
    assert message.startswith("goals/kpis.yaml:7: 'history_file' in KPI 'gross-churn' ")


def test_the_goals_folder_itself_may_not_be_a_link(tmp_path: Path, capsys):
    elsewhere = write_goals(tmp_path / "elsewhere", FILES)
    root = write_site(tmp_path / "site", FILES)
    import shutil

    shutil.rmtree(root / "goals")
    (root / "goals").symlink_to(elsewhere, target_is_directory=True)
    link = (
        "the goals folder is a link, which okrsite does not follow (a pull request could "
        "point it at any folder of the build machine): make it a real folder"
    )
    assert main(["validate", "-f", str(root / "mkdocs.yml")]) == 2
    assert f":1: {link}" in capsys.readouterr().out
    run = build(root)
    assert run.returncode == 1 and link in run.stderr
    assert not (root / "site" / "index.html").exists()


def test_a_link_loop_and_deep_folders_are_no_traceback(tmp_path: Path):
    goals = write_goals(tmp_path, FILES)
    (goals / "loop.yaml").symlink_to(goals / "loop.yaml")
    deep = goals.joinpath(*["a"] * 30)
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("kpis: []\n")
    found = errors(goals)
    assert found == [
        "goals/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a:1: folders nested more than 20 "
        "levels deep in the goals folder are not read: move the files up",
        "goals/loop.yaml:1: is a link that leads nowhere (a loop of links?): put the file "
        "itself here",
    ]


@pytest.mark.parametrize(
    ("key", "written", "line"),
    [("baseline", "no", 11), ("target", "yes", 12), ("weight", "on", 13)],
)
def test_yes_and_no_are_no_numbers(tmp_path: Path, key: str, written: str, line: int):
    old = {"baseline": "        baseline: 8\n", "target": "        target: 14\n"}.get(
        key, "        target: 14\n"
    )
    new = f"        {key}: {written}\n" if key != "weight" else old + f"        weight: {written}\n"
    (message,) = errors(write_goals(tmp_path, swapped("2026-Q3/growth.yaml", old, new)))
    shown = "True" if written in ("yes", "on") else "False"
    assert message == (
        f"goals/2026-Q3/growth.yaml:{line}: '{key}' in key result 'trial-to-paid' must be a "
        f"number, got true/false {shown} (YAML reads yes/no/on/off/true/false unquoted as "
        "true/false): write the number"
    )


def test_a_confidence_of_true_is_refused(tmp_path: Path):
    files = swapped("2026-Q3/company.yaml", "confidence: 0.7}", "confidence: true}")
    (message,) = errors(write_goals(tmp_path, files))
    assert message.startswith("goals/2026-Q3/company.yaml:14: 'confidence' in check-in #1")


@pytest.mark.parametrize("written", ["010", "0100", "0x1f", "0b11", "12:30", "-012"])
def test_numbers_yaml_reads_otherwise_are_refused_with_the_fix(tmp_path: Path, written: str):
    files = swapped("2026-Q3/growth.yaml", "        target: 14\n", f"        target: {written}\n")
    assert errors(write_goals(tmp_path, files)) == [
        f"goals/2026-Q3/growth.yaml:12: 'target' in key result 'trial-to-paid' is written "
        f"'{written}', which YAML 1.1 reads as another number (a leading 0 means octal, 0x "
        "hexadecimal, 0b binary, ':' base 60): write the number in plain decimals, e.g. 100 "
        "for 0100"
    ]


def test_private_keys_and_rule_names_are_not_shown(tmp_path: Path):
    twice = PRIVATE.replace("    target: 2\n", "    target: 2\n    TOPKEY: 1\n    TOPKEY: 2\n")
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-private.yaml": twice})
    assert errors(goals) == [
        "goals/2026-Q3/people/ana-private.yaml:12: duplicate key (not shown: private goal) "
        "(first at line 11); YAML would silently keep only the last one: remove or merge one"
    ]
    waived = PRIVATE.replace("    target: 2\n", "    target: 2\n    waive: {ZQX99: because}\n")
    goals = write_goals(tmp_path / "w", {**FILES, "2026-Q3/people/ana-private.yaml": waived})
    assert errors(goals) == [
        "goals/2026-Q3/people/ana-private.yaml:11: 'waive' names rule (not shown: private "
        "goal), which does not exist; see the rules page for codes"
    ]


def test_negative_zero_shows_as_zero(tmp_path: Path):
    files = swapped("2026-Q3/growth.yaml", "        baseline: 8\n", "        baseline: -0.0\n")
    files["2026-Q3/company.yaml"] = COMPANY.replace(
        "value: 3.6, confidence: 0.7", "value: -0.0001, confidence: -0.0"
    )
    run = build(write_site(tmp_path, files))
    assert run.returncode == 0, run.stderr
    pages = dict(site_files(tmp_path / "site"))
    api = json.loads(pages["api/okrsite.json"])
    import re

    negative_zero = re.compile(r"(?<![\w-])-0(?![\d.,])|-0\.0(?!\d)")
    for name in (
        "okrs/2026-q3/growth/trials/index.html",
        "okrs/2026-q3/company/retention/index.html",
        "quality/index.html",
        "api/okrsite.json",
    ):
        assert not negative_zero.findall(pages[name]), name
    assert api["organization"]


def test_a_period_of_private_goals_only_has_no_page(tmp_path: Path):
    later = (
        PRIVATE.replace("period: 2026-Q3", "period: 2027-Q1")
        .replace("    supports: growth/trials/aha\n", "")
        .replace("2026-09-30", "2027-02-15")
    )
    run = build(write_site(tmp_path, {**FILES, "2027-Q1/people/ana.yaml": later}))
    assert run.returncode == 0, run.stderr
    names = [name for name, _ in site_files(tmp_path / "site")]
    assert not [n for n in names if "2027" in n]
    assert "2027" not in "".join(text for _, text in site_files(tmp_path / "site"))


# -- what a well-meaning author writes still works ----------------------------------


def test_a_folded_title_a_tab_and_a_long_waive_reason_are_fine(tmp_path: Path):
    files = swapped(
        "2026-Q3/growth.yaml",
        "    title: Make the product irresistible during trials\n",
        "    title: >\n      Make the product irresistible\n      during trials\n"
        "    waive:\n      kr-is-task: |\n        The board asked for it.\n        Twice.\n",
    )
    files["2026-Q3/company.yaml"] = COMPANY.replace(
        "Grow net revenue retention from 102% to 110%", '"Grow net revenue\\tretention"'
    )
    org = load(write_goals(tmp_path, files)).org
    trials = org.objectives["2026-Q3/growth/trials"]
    assert trials.title == "Make the product irresistible during trials\n"
    assert org.objectives["2026-Q3/company/retention"].key_results[1].title == (
        "Grow net revenue\tretention"
    )


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ('"4.2"', "write the number without quotes, e.g. baseline: 4.2"),
        ("'  7 '", "write the number without quotes, e.g. baseline: 7"),
        (
            "1e3",
            "YAML 1.1 reads an exponent without a decimal point and a sign as text: "
            "write 1.0e+3 or 1000 for 1e3",
        ),
    ],
)
def test_a_number_written_as_text_gets_the_right_fix(tmp_path: Path, written: str, fix: str):
    files = swapped(
        "2026-Q3/growth.yaml", "        baseline: 8\n", f"        baseline: {written}\n"
    )
    (message,) = errors(write_goals(tmp_path, files))
    assert message.startswith(
        "goals/2026-Q3/growth.yaml:11: 'baseline' in key result 'trial-to-paid' must be a "
        "number, got the text "
    )
    assert message.endswith(fix)


def test_a_quoted_number_in_a_private_goal_stays_hidden(tmp_path: Path):
    text = PRIVATE.replace("    baseline: 1\n", '    baseline: "987654"\n')
    goals = write_goals(tmp_path, {**FILES, "2026-Q3/people/ana-private.yaml": text})
    assert errors(goals) == [
        "goals/2026-Q3/people/ana-private.yaml:9: 'baseline' in private goal #1 must be a "
        "number, got the text (not shown: private goal): write the number without quotes, "
        "e.g. baseline: 4.2"
    ]


def test_a_broken_organisation_file_is_not_also_missing(tmp_path: Path):
    goals = write_goals(tmp_path, swapped("org.yaml", "name: Tiny Co}", "name: [Tiny Co]}"))
    found = errors(goals)
    assert [m for m in found if "no organisation file" in m] == []
    assert found[0].startswith("goals/org.yaml:3: 'name' in team 'company' must be text")


# -- chains of links are short ----------------------------------------------------------


def _aligned_chain(count: int) -> dict[str, str]:
    """FILES with Growth's OKR file replaced by ``count`` objectives, each aligned to the
    previous one's key result, the first to the company's: a chain of count + 1."""
    lines = ["period: 2026-Q3", "team: growth", "objectives:"]
    for i in range(count):
        above = "company/retention/churn" if i == 0 else f"growth/o{i - 1}/k"
        lines += [
            f"  - id: o{i}",
            f"    title: Objective number {i} of a long chain",
            "    owner: ana",
            f"    aligns_to: {above}",
            "    key_results:",
            f"      - {{id: k, title: Raise metric {i} from 1 to 2, baseline: 1, target: 2}}",
            f"      - {{id: j, title: Raise other {i} from 1 to 2, baseline: 1, target: 2}}",
        ]
    files = {**FILES, "2026-Q3/growth.yaml": "\n".join(lines) + "\n"}
    files.pop("2026-Q3/people/ana.yaml")
    return files


CHAIN = (
    "'aligns_to' makes a chain of more than 30 objectives, each aligned to the next: "
    "align this objective to one higher up"
)


def test_an_alignment_chain_of_thirty_objectives_is_allowed(tmp_path: Path):
    load(write_goals(tmp_path, _aligned_chain(29)))  # the company's objective and 29


def test_a_longer_alignment_chain_is_refused_where_it_passes_the_limit(tmp_path: Path):
    # The 31st objective's aligns_to (o29, line 3 + 29 * 7 + 4) is refused.
    assert errors(write_goals(tmp_path, _aligned_chain(30))) == [
        f"goals/2026-Q3/growth.yaml:{3 + 29 * 7 + 4}: {CHAIN}"
    ]


def test_an_alignment_chain_of_thousands_is_refused_without_a_traceback(tmp_path: Path, capsys):
    """Pages, scores and chains walk these links: 1,200 objectives in one chain made
    every build fail with Python's RecursionError."""
    root = write_site(tmp_path, _aligned_chain(1200))
    run = build(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    assert f"goals/2026-Q3/growth.yaml:{3 + 29 * 7 + 4}: {CHAIN}" in run.stderr
    assert main(["validate", str(root / "goals")]) == 2
    out = capsys.readouterr().out.splitlines()
    # every 30th objective starts a new chain, and each such cut is reported once
    assert len(out) == 1200 // 30 and all(line.endswith(CHAIN) for line in out)


def test_a_chain_of_teams_longer_than_thirty_is_refused(tmp_path: Path):
    teams = ["  - {id: company, name: Tiny Co}"]
    teams += [
        f"  - {{id: t{i}, name: Team {i}, parent: {'company' if i == 0 else f't{i - 1}'}}}"
        for i in range(40)
    ]
    org = FILES["org.yaml"].replace("  - {id: company, name: Tiny Co}\n", "\n".join(teams) + "\n")
    # company is 1, t0 is 2, ..., t29 is 31: the first past the limit, on line 4 + 29
    assert errors(write_goals(tmp_path, {**FILES, "org.yaml": org})) == [
        "goals/org.yaml:33: 'parent' makes a chain of more than 30 teams, each under the "
        "next: give this team a parent higher up"
    ]
