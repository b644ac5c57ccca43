"""Each goal-quality rule fails on a bad example and passes on a good one, through the
real ``mkdocs build`` and the real ``okrsite validate`` console script."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from okrsite.review.rules import RULES

from orgkit import ENGINE, write_site

TODAY = "2026-08-20"

ORG = """
organization: Rules Inc
teams:
  - {id: company, name: Rules Inc, lead: ceo}
  - {id: product, name: Product, parent: company, lead: pia}
  - {id: ops, name: Ops, parent: company}
people:
  - {id: ceo, name: Cleo Executive, team: company}
  - {id: pia, name: Pia Product, team: product}
  - {id: omar, name: Omar Ops, team: ops}
"""
KPIS = """
kpis:
  - id: churn
    name: Monthly gross churn
    unit: "%"
    direction: down
    alert: 5
    history: [{date: 2026-07-31, value: 4.0}]
"""
GOOD_KR = "checkins: [{date: 2026-08-17, value: 3.8, confidence: 0.7}]"
COMPANY = f"""
period: 2026-Q3
team: company
objectives:
  - id: retention
    title: Make retention our strongest growth lever
    owner: ceo
    key_results:
      - {{id: churn, title: Reduce monthly gross churn from 4.2% to 3.0%, kpi: churn,
         baseline: 4.2, target: 3.0, {GOOD_KR}}}
      - {{id: nrr, title: Grow net revenue retention from 102% to 110%, baseline: 102,
         target: 110, {GOOD_KR}}}
"""
PRODUCT = f"""
period: 2026-Q3
team: product
objectives:
  - id: onboarding
    title: Make onboarding so good that nobody needs support
    owner: pia
    aligns_to: company/retention/churn
    key_results:
      - {{id: tickets, title: Cut new-user tickets from 320 to 192 a month, baseline: 320,
         target: 192, {GOOD_KR}}}
      - {{id: activation, title: Raise 7-day activation from 34% to 50%, baseline: 34,
         target: 50, {GOOD_KR}}}
"""
PIA = """
period: 2026-Q3
owner: pia
goals:
  - id: flow
    title: Reduce the onboarding flow from 7 steps to 3
    supports: product/onboarding/activation
    metric: Steps in the onboarding flow
    baseline: 7
    target: 3
    due: 2026-09-15
    achievable: The design is tested with 12 users.
"""
CLEAN = {
    "org.yaml": ORG,
    "kpis.yaml": KPIS,
    "2026-Q3/company.yaml": COMPANY,
    "2026-Q3/product.yaml": PRODUCT,
    "2026-Q3/people/pia.yaml": PIA,
}


def _kr(i: str, title: str, base: float = 0, target: float = 10, extra: str = GOOD_KR) -> str:
    return f"      - {{id: {i}, title: {title}, baseline: {base}, target: {target}, {extra}}}\n"


def _objective(oid: str, title: str, krs: str, align: str = "company/retention") -> str:
    return (
        f"  - id: {oid}\n    title: {title}\n    owner: omar\n"
        f"    aligns_to: {align}\n    key_results:\n{krs}"
    )


GOOD_KRS = _kr("a", "Cut incident count from 10 to 4") + _kr("b", "Cut MTTR from 90 to 30 min")
# Each rule's bad example: (file, text) added to the clean folder, and the item it names.
BAD_OPS = (
    "period: 2026-Q3\nteam: ops\nobjectives:\n"
    + _objective("lonely", "Make on-call calm for everyone", _kr("only", "Cut pages from 40 to 10"))
    + _objective("metric", "Maintain NPS above 50", GOOD_KRS)
    + _objective(
        "tasks",
        "Make releases boring",
        _kr("launch", "Launch the new pipeline")
        + _kr("uptime", "Maintain 99.9% uptime", 99.9, 99.9)
        + _kr("vague", "Significantly improve onboarding"),
    )
    + _objective(
        "stale",
        "Make support effortless for customers",
        _kr(
            "old", "Cut backlog from 300 to 100", extra="checkins: [{date: 2026-07-02, value: 250}]"
        )
        + _kr(
            "outside",
            "Cut queue from 30 to 10",
            extra="checkins: [{date: 2025-08-10, value: 20}, {date: 2026-08-18, value: 25}]",
        ),
    )
    + _objective("fifth", "Make the team proud of its tools", GOOD_KRS)
    + _objective("nokpi", "Make deploys calm and predictable", GOOD_KRS, align="")
)
BAD_GOALS = (
    "period: 2026-Q3\nowner: omar\ngoals:\n"
    + "".join(
        f"  - id: g{i}\n    title: Reduce alert noise in service {i} from 50 to 10 pages\n"
        "    supports: ops/fifth/a\n    metric: Pages a week\n    baseline: 50\n    target: 10\n"
        "    due: 2026-09-01\n    achievable: Done it before.\n"
        for i in range(1, 6)
    )
    + (
        "  - id: vague\n    title: Improve things\n    supports: ops/fifth/a\n"
        "    metric: Pages\n    baseline: 1\n    target: 2\n    due: 2026-09-01\n    achievable: Yes.\n"
        "  - id: nometric\n    title: Write the on-call handbook for the platform team\n"
        "    supports: ops/fifth/a\n    due: 2026-09-01\n    achievable: Drafted.\n"
        "  - id: norationale\n    title: Cut flaky tests in the main suite from 40 to 5\n"
        "    supports: ops/fifth/a\n    metric: Flaky tests\n    baseline: 40\n    target: 5\n"
        "    due: 2026-09-01\n"
        "  - id: orphan\n    title: Cut the build time of the monorepo from 30 to 10 min\n"
        "    metric: Minutes\n    baseline: 30\n    target: 10\n    due: 2026-09-01\n    achievable: Cache.\n"
        "  - id: late\n    title: Cut the deploy time of the web app from 20 to 5 min\n"
        "    supports: ops/fifth/a\n    metric: Minutes\n    baseline: 20\n    target: 5\n"
        "    due: 2026-11-01\n    achievable: Known fix.\n"
    )
)


def _history(period: str, current: float) -> str:
    ck = f"checkins: [{{date: {period[:4]}-{int(period[-1]) * 3:02d}-15, value: {current}}}]"
    return (
        f"period: {period}\nteam: product\nobjectives:\n"
        + _objective(
            "past",
            "Make the product loved by new users",
            _kr("x", "Raise weekly actives from 0 to 10", extra=ck)
            + _kr("y", "Raise paid seats from 0 to 10", extra=ck),
            align=f"{period}/company/retention",
        )
        + ""
    )


def _company_past(period: str) -> str:
    return (
        f"period: {period}\nteam: company\nobjectives:\n  - id: retention\n"
        "    title: Make retention our strongest growth lever\n    owner: ceo\n"
        "    key_results:\n"
        f"      - {{id: churn, title: Cut churn from 4.2% to 3.0%, kpi: churn, baseline: 4.2, target: 3.0, checkins: [{{date: {period[:4]}-{int(period[-1]) * 3:02d}-10, value: 3.6}}]}}\n"
        f"      - {{id: nrr, title: Grow NRR from 102% to 110%, baseline: 102, target: 110, checkins: [{{date: {period[:4]}-{int(period[-1]) * 3:02d}-10, value: 106}}]}}\n"
    )


BAD = {
    **CLEAN,
    "2026-Q3/ops.yaml": BAD_OPS,
    "2026-Q3/people/omar.yaml": BAD_GOALS,
    # product scored 1.0 in Q1 and Q2 (sandbagging) ...
    "2026-Q1/company.yaml": _company_past("2026-Q1"),
    "2026-Q2/company.yaml": _company_past("2026-Q2"),
    "2026-Q1/product.yaml": _history("2026-Q1", 10),
    "2026-Q2/product.yaml": _history("2026-Q2", 10),
    # ... and ops below 0.5 in Q1 and Q2 (unrealistic).
    "2026-Q1/ops.yaml": _history("2026-Q1", 2).replace("team: product", "team: ops"),
    "2026-Q2/ops.yaml": _history("2026-Q2", 2).replace("team: product", "team: ops"),
}
# rule code -> words its finding must contain (the item it names)
EXPECTED = {
    "OKR101": "objective 'lonely' has 1 key result",
    "OKR102": "team 'ops' has 6 objectives in 2026-Q3",
    "OKR103": "objective 'metric'",
    "OKR201": "key result 'launch'",
    "OKR202": "key result 'uptime'",
    "OKR203": "key result 'vague'",
    "OKR204": "key result 'old' is stale",
    "OKR205": "key result 'outside' has check-in dated 2025-08-10",
    "OKR301": "'omar' has 10 goals in 2026-Q3",
    "OKR302": "goal 'vague'",
    "OKR303": "goal 'nometric' is not measurable: add metric, baseline, target",
    "OKR304": "goal 'norationale'",
    "OKR305": "goal 'orphan' supports nothing",
    "OKR306": "goal 'late' is due 2026-11-01, outside 2026-Q3",
    "OKR401": "objective 'nokpi' reaches no company KPI",
    "OKR501": "team 'product' scored 1.0 on every key result in 2026-Q1, 2026-Q2",
    "OKR502": "team 'ops' scored below 0.5 in 2026-Q1, 2026-Q2",
}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _write(root: Path, files: dict[str, str]) -> Path:
    # lstrip: findings' line numbers count from the first line of each text
    stripped = {name: textwrap.dedent(text).lstrip() for name, text in files.items()}
    return write_site(root, stripped, plugin=f"today: {TODAY}")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict]:
    """One strict build and one validate run each of the clean and the bad folder."""
    out = {}
    for name, files in (("clean", CLEAN), ("bad", BAD)):
        root = _write(tmp_path_factory.mktemp(name), files)
        build = subprocess.run(
            [ENGINE, "build", "--strict"], cwd=root, env=ENV, capture_output=True, text=True
        )
        validate = subprocess.run(
            ["okrsite", "validate", "--format", "json"],
            cwd=root,
            env=ENV,
            capture_output=True,
            text=True,
        )
        out[name] = {
            "root": root,
            "build": build,
            "validate": validate,
            "json": json.loads(validate.stdout),
        }
    return out


def test_every_rule_has_an_expected_finding():
    assert set(EXPECTED) == set(RULES)


def test_clean_folder_builds_strict_and_validates_clean(builds):
    clean = builds["clean"]
    assert clean["build"].returncode == 0, clean["build"].stderr
    assert clean["json"]["findings"] == []
    assert clean["validate"].returncode == 0


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_rule_in_build_log(builds, code):
    log = builds["bad"]["build"].stderr
    lines = [line for line in log.splitlines() if f": {code} " in line]
    assert any(EXPECTED[code] in line for line in lines), (code, lines)
    # path:line: CODE message
    assert all(".yaml:" in line for line in lines)
    assert f": {code} " not in builds["clean"]["build"].stderr


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_rule_in_validate_json(builds, code):
    found = [f for f in builds["bad"]["json"]["findings"] if f["code"] == code]
    assert any(EXPECTED[code] in f["message"] for f in found), (code, found)
    assert all(f["path"].startswith("goals/") and f["line"] > 0 for f in found)


def test_strict_build_logs_warnings_and_hints_without_failing(builds):
    # Goal-quality warnings are advice to the goals' authors: in the log, never a
    # failed publish (a team late with its check-ins must not stop the site).
    bad = builds["bad"]["build"]
    assert bad.returncode == 0, bad.stderr
    assert "Traceback" not in bad.stderr
    lines = bad.stderr.splitlines()
    assert any(": OKR204 " in line and "warning: goals/" in line for line in lines)
    assert any("OKR304" in line for line in lines)
    assert not any(": OKR" in line and line.startswith("WARNING") for line in lines)


@pytest.mark.parametrize(
    ("levels", "fails"),
    [
        ("", False),
        ("rules: {stale-key-result: error}", True),
        ("rules: {OKR201: error, OKR204: off}", True),
        ("rules: {OKR304: error}", True),  # a hint made an error is an error
    ],
)
def test_strict_build_and_validate_agree_on_what_fails(tmp_path: Path, levels: str, fails: bool):
    """`mkdocs build --strict` fails exactly where `okrsite validate` exits non-zero."""
    stripped = {name: textwrap.dedent(text).lstrip() for name, text in BAD.items()}
    plugin = f"today: {TODAY}" + (f", {levels}" if levels else "")
    root = write_site(tmp_path, stripped, plugin=plugin)
    build = subprocess.run(
        [ENGINE, "build", "--strict"], cwd=root, env=ENV, capture_output=True, text=True
    )
    validate = subprocess.run(["okrsite", "validate"], cwd=root, env=ENV, capture_output=True)
    assert (build.returncode != 0) is fails, build.stderr
    assert validate.returncode == (1 if fails else 0)
    assert "Traceback" not in build.stderr
    # Without --strict the site is published whatever the findings say.
    loose = subprocess.run([ENGINE, "build"], cwd=root, env=ENV, capture_output=True)
    assert loose.returncode == 0


def test_health_page_lists_findings_by_team_with_links(builds):
    root = builds["bad"]["root"]
    subprocess.run([ENGINE, "build"], cwd=root, env=ENV, capture_output=True, check=True)
    html = (root / "site/quality/index.html").read_text(encoding="utf-8")
    assert 'id="team-ops"' in html and 'id="team-product"' in html
    assert 'href="../okrs/2026-q3/ops/nokpi/"' in html
    assert 'href="../rules/okr401/"' in html
    home = (root / "site/index.html").read_text(encoding="utf-8")
    total = len(builds["bad"]["json"]["findings"])
    # validate checks private goals too; the example has none, so counts agree
    assert f"{total} goal-quality findings" in home


def test_validate_exit_status_and_formats(builds):
    root = builds["bad"]["root"]
    assert builds["bad"]["validate"].returncode == 0  # warnings only
    write_site(root, {}, plugin=f"today: {TODAY}, rules: {{kr-is-task: error, OKR304: off}}")
    text = subprocess.run(
        ["okrsite", "validate"], cwd=root, env=ENV, capture_output=True, text=True
    )
    assert text.returncode == 1
    assert "goals/2026-Q3/ops.yaml:" in text.stdout and "OKR201" in text.stdout
    assert "(error)" in text.stdout and "OKR304" not in text.stdout
    gh = subprocess.run(
        ["okrsite", "validate", "--format", "github"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    lines = gh.stdout.splitlines()
    assert any(
        line.startswith("::error file=goals/2026-Q3/ops.yaml,line=")
        and "title=OKR201 kr-is-task::key result 'launch'" in line
        for line in lines
    )
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    broken = root / "goals/2026-Q3/broken.yaml"
    broken.write_text("period: 2026-Q3\nteam: ops\nobjectives: [\n", encoding="utf-8")
    data = subprocess.run(
        ["okrsite", "validate", "--format", "github"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert data.returncode == 2
    assert data.stdout.startswith("::error file=goals/2026-Q3/broken.yaml,line=")


def test_waiver_silences_one_item_and_unknown_rule_is_an_error(tmp_path):
    files = dict(BAD)
    files["2026-Q3/ops.yaml"] = BAD_OPS.replace(
        "{id: launch, title: Launch the new pipeline,",
        "{id: launch, waive: {kr-is-task: The pipeline is the outcome}, "
        "title: Launch the new pipeline,",
    )
    root = _write(tmp_path, files)
    run = subprocess.run(
        ["okrsite", "validate", "--format", "json"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    codes = [f["code"] for f in json.loads(run.stdout)["findings"]]
    assert "OKR201" not in codes and "OKR202" in codes
    (root / "goals/2026-Q3/ops.yaml").write_text(
        textwrap.dedent(files["2026-Q3/ops.yaml"]).replace("kr-is-task:", "kr-is-tsak:"),
        encoding="utf-8",
    )
    run = subprocess.run(["okrsite", "validate"], cwd=root, env=ENV, capture_output=True, text=True)
    assert run.returncode == 2
    assert (
        "'waive' names rule 'kr-is-tsak', which does not exist; did you mean 'kr-is-task'?"
        in run.stdout
    )


def test_unknown_rule_or_level_in_mkdocs_yml_fails_the_build_clearly(tmp_path):
    root = _write(tmp_path, CLEAN)
    write_site(root, {}, plugin="rules: {kr-is-tsak: error, OKR304: loud}")
    run = subprocess.run([ENGINE, "build"], cwd=root, env=ENV, capture_output=True, text=True)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "unknown rule 'kr-is-tsak' in 'rules'; did you mean 'kr-is-task'?" in run.stderr
    assert "bad level 'loud' for rule OKR304 (goal-no-rationale)" in run.stderr
