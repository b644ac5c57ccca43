"""`okrsite import` matching a sheet's names to the site's and to each other: every
new team, person and KPI gets an id of its own, new names are told apart by their
names only (never by an id the import just made), a cell that could mean two entries
is refused, a team_parent on a later row is the team's parent, percent cells and
confidences read as people write them, and the did-you-mean search stays bounded.
Every site is made by `okrsite init` in tmp_path, imported through the real command
line, then validated."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from test_import_site import HEADER, TODAY, do_import, init_site, read, validate

from okrsite.commands.cli import main
from okrsite.commands.importmatch import Known


def add_to_org(site: Path, people: str = "", teams: str = "") -> None:
    """Lines added to the site's org.yaml: after its teams, and at its end (people)."""
    org = site / "goals/org.yaml"
    text = org.read_text(encoding="utf-8")
    if teams:
        text = text.replace("\npeople:", teams + "\npeople:", 1)
    org.write_text(text + people, encoding="utf-8")


def test_emails_of_one_local_part_get_ids_of_their_own(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    emails = ["j.smith@acme.com", "j.smith@acme.co.uk", "a@b", "a@x.com.", "a@[1.2.3.4]"]
    rows = [
        f"2026-Q4,Customer Success,Obj {n},{e},Grow it from 1 to 2,,1,2,"
        for n, e in enumerate(emails)
    ]
    status, out = do_import(capsys, rows)
    assert status == 0, out
    people = read("goals/org.yaml")["people"]
    ids = [p["id"] for p in people]
    assert len(ids) == len(set(ids))
    by_email = {p.get("email"): p["id"] for p in people}
    assert all(e in by_email for e in emails)
    owners = [o["owner"] for o in read("goals/2026-Q4/customer-success.yaml")["objectives"]]
    assert owners[-5:] == [by_email[e] for e in emails]
    assert validate(capsys)[0] == 0


@pytest.mark.parametrize(
    "first,second",
    [("Sales+", "Sales"), ("Sales", "Sales+"), ("SALES", "Sales"), ("Sales", "SALES")],
)
def test_new_team_names_are_told_apart_by_name_in_either_order(
    tmp_path, monkeypatch, capsys, first, second
):
    """'Sales+' makes the id sales (or sales-2): 'Sales' is another name all the same;
    'SALES' and 'Sales' are one name, whichever comes first."""
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            f"2026-Q4,{first},Win more,Sam Lee,Grow ARR from 1 to 2,,1,2,",
            f"2026-Q4,{second},Grow pipeline,Sam Lee,Grow leads from 1 to 2,,1,2,",
        ],
    )
    assert status == 0, out
    new = [t for t in read("goals/org.yaml")["teams"] if t["id"].startswith("sales")]
    if first.casefold() == second.casefold():
        assert new == [{"id": "sales", "name": first, "parent": "company"}]
        assert len(read("goals/2026-Q4/sales.yaml")["objectives"]) == 2
    else:
        teams = {t["name"]: t["id"] for t in new}
        for name, title in ((first, "Win more"), (second, "Grow pipeline")):
            objectives = read(f"goals/2026-Q4/{teams[name]}.yaml")["objectives"]
            assert [o["title"] for o in objectives] == [title]
    assert validate(capsys)[0] == 0


@pytest.mark.parametrize("first,second", [("Ann Lee", "Ann Lee!"), ("Ann Lee!", "Ann Lee")])
def test_two_new_people_and_kpis_stay_two_in_either_order(
    tmp_path, monkeypatch, capsys, first, second
):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            f"2026-Q4,Customer Success,Win more,{first},Grow ARR from 1 to 2,{first},1,2,",
            f"2026-Q4,Customer Success,Grow pipeline,{second},Grow leads from 1 to 2,{second},1,2,",
        ],
    )
    assert status == 0, out
    people = {p["name"]: p["id"] for p in read("goals/org.yaml")["people"]}
    kpis = {k["name"]: k["id"] for k in read("goals/kpis.yaml")["kpis"]}
    objectives = read("goals/2026-Q4/customer-success.yaml")["objectives"][-2:]
    assert [o["owner"] for o in objectives] == [people[first], people[second]]
    assert [o["key_results"][0]["kpi"] for o in objectives] == [kpis[first], kpis[second]]
    assert people[first] != people[second] and kpis[first] != kpis[second]
    assert validate(capsys)[0] == 0


def test_an_id_of_one_and_the_name_of_another_is_refused(tmp_path, monkeypatch, capsys):
    """'Zoe' is zoe's id (folded: zoe is 'Zoë Martin') and zoe2's name: either could be
    meant. The same for teams and KPIs (init's nps is 'Net Promoter Score'); an id
    written exactly as it is still wins."""
    site = init_site(tmp_path, monkeypatch)
    add_to_org(
        site,
        people="  - {id: zoe, name: Zoë Martin, team: company}\n"
        "  - {id: zoe2, name: Zoe, team: company}\n",
        teams="  - {id: emea, name: Europe, parent: company}\n"
        "  - {id: europe-2, name: EMEA, parent: company}\n",
    )
    kpis = site / "goals/kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8")
        + "  - {id: nps-survey, name: NPS, unit: points, direction: up}\n",
        encoding="utf-8",
    )
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Customer Success,A,Zoe,Grow it from 1 to 2,,1,2,",
            "2026-Q4,Emea,B,Sam Lee,Grow it from 1 to 2,,1,2,",
            "2026-Q4,Customer Success,C,Sam Lee,Grow it from 1 to 2,NPS,1,2,",
            "2026-Q4,emea,D,zoe,Grow it from 1 to 2,nps,1,2,",
        ],
        "--unknown",
        "refuse",
    )
    assert status == 1
    assert out[:3] == [
        "okrs.csv: row 2: 'Zoe' names 2 of the person entries (zoe, zoe2): write the id "
        "of the one meant",
        "okrs.csv: row 3: 'Emea' names 2 of the team entries (emea, europe-2): write the id "
        "of the one meant",
        "okrs.csv: row 4: 'NPS' names 2 of the KPI entries (nps, nps-survey): write the id "
        "of the one meant",
    ]
    (objective,) = read("goals/2026-Q4/emea.yaml")["objectives"]
    assert objective["owner"] == "zoe" and objective["key_results"][0]["kpi"] == "nps"


def test_a_later_team_parent_of_a_new_team_is_its_parent(tmp_path, monkeypatch, capsys):
    """Row 2 adds Sales (as Sales EU's parent, under the company); row 3 says Sales is
    under EMEA: it is, as if said first."""
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Sales EU,Sales,Win,Sam Lee,Grow it from 1 to 2,,1,2,",
            "2026-Q4,Sales,EMEA,Win,Sam Lee,Grow it from 1 to 2,,1,2,",
        ],
        header="period,team,team_parent,objective,owner,key_result,kpi,baseline,target,current",
    )
    assert status == 0, out
    parents = {t["id"]: t.get("parent") for t in read("goals/org.yaml")["teams"]}
    assert parents["sales-eu"] == "sales" and parents["sales"] == "emea"
    assert parents["emea"] == "company"
    assert "added team sales (Sales, parent emea)" in out
    assert validate(capsys)[0] == 0


def test_two_team_parents_of_a_new_team_are_refused(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Sales,EMEA,Win,Sam Lee,Grow it from 1 to 2,,1,2,",
            "2026-Q4,Sales,Americas,Keep,Sam Lee,Grow it from 3 to 4,,3,4,",
            "2026-Q4,EMEA,Sales,Grow,Sam Lee,Grow it from 5 to 6,,5,6,",
        ],
        header="period,team,team_parent,objective,owner,key_result,kpi,baseline,target,current",
    )
    assert status == 1
    assert out[:2] == [
        "okrs.csv: row 3: team_parent 'Americas' differs from 'EMEA', the team_parent row 2 "
        "gave team sales: a team has one parent; write the same one (or leave it blank)",
        "okrs.csv: row 4: team_parent 'Sales' is the team 'EMEA' or a team below it: a team "
        "cannot be under itself; write another team_parent",
    ]
    parents = {t["id"]: t.get("parent") for t in read("goals/org.yaml")["teams"]}
    assert parents["sales"] == "emea" and parents["emea"] == "company"
    assert "americas" not in parents
    assert validate(capsys)[0] == 0


TREE = """\
organization: Acme
teams:
  - {id: company, name: Acme}
  - {id: region, name: Region, parent: company}
  - {id: sales, name: Sales, parent: region}
  - {id: sales-eu, name: Sales EU, parent: sales}
people:
  - {id: sam, name: Sam Lee, team: sales}
"""


def test_an_exported_team_tree_comes_back_whole(tmp_path, monkeypatch, capsys):
    """company > region > sales > sales-eu, exported (rows in file order: sales-eu's
    before sales') and imported into an empty site: the same tree."""
    src = tmp_path / "src"
    assert main(["init", str(src), "--today", TODAY, "--empty", "--name", "Acme"]) == 0
    monkeypatch.chdir(src)
    (src / "goals/org.yaml").write_text(TREE, encoding="utf-8")
    (src / "goals/2026-Q4").mkdir(exist_ok=True)
    for team in ("region", "sales-eu", "sales"):
        (src / f"goals/2026-Q4/{team}.yaml").write_text(
            f"period: 2026-Q4\nteam: {team}\nobjectives:\n  - id: o\n    title: Objective "
            f"of {team}\n    owner: sam\n    key_results:\n      - {{id: k, title: Grow it "
            "from 1 to 2, baseline: 1, target: 2}\n",
            encoding="utf-8",
        )
    assert validate(capsys)[0] == 0, validate(capsys)[1]
    sheet = tmp_path / "x.csv"
    assert main(["export", "csv", "-o", str(sheet), "--today", TODAY]) == 0
    dst = tmp_path / "dst"
    assert main(["init", str(dst), "--today", TODAY, "--empty", "--name", "Acme"]) == 0
    monkeypatch.chdir(dst)
    capsys.readouterr()
    assert main(["import", str(sheet), "--today", TODAY]) == 0, capsys.readouterr()
    parents = {t["id"]: t.get("parent") for t in read("goals/org.yaml")["teams"]}
    assert parents == {"company": None, "region": "company", "sales": "region", "sales-eu": "sales"}
    assert validate(capsys)[0] == 0


def test_percent_formatted_xlsx_cells_are_percents(tmp_path, monkeypatch, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    init_site(tmp_path, monkeypatch)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["period", "team", "objective", "owner", "key_result", "baseline", "target"])
    sheet.append(["2026-Q4", "Customer Success", "Win", "Sam Lee", "Lift it", 0.42, 0.5])
    sheet.append(["2026-Q4", "Customer Success", "Keep", "Sam Lee", "Keep it", 0.075, 1])
    sheet.append(["2026-Q4", "Customer Success", "Plain", "Sam Lee", "Plain", 0.5, 3])
    for cell in ("F2", "G2", "F3", "G3"):
        sheet[cell].number_format = "0%" if cell != "F3" else "0.0%"
    book.save("okrs.xlsx")
    capsys.readouterr()
    assert main(["import", "okrs.xlsx", "--today", TODAY]) == 0, capsys.readouterr()
    objectives = read("goals/2026-Q4/customer-success.yaml")["objectives"]
    krs = [o["key_results"][0] for o in objectives if o["title"] in ("Win", "Keep", "Plain")]
    assert [(k["baseline"], k["target"], k.get("unit")) for k in krs] == [
        (42, 50, "%"),
        (7.5, 100, "%"),
        (0.5, 3, None),
    ]


def test_confidence_reads_as_written(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    cells = ["70%", "0.7%", "100%", "0.7", "1"]
    rows = [
        f"2026-Q4,Customer Success,Obj {n},Sam Lee,Grow it from 1 to 2,,1,2,1.5,{c}"
        for n, c in enumerate([*cells, "150%", "1.5"])
    ]
    status, out = do_import(capsys, rows, header=HEADER + ",confidence")
    assert status == 1
    assert out[:2] == [
        "okrs.csv: row 7: confidence '150%' is not between 0 and 1 (write 0.7 for 70% "
        "sure of hitting the target)",
        "okrs.csv: row 8: confidence '1.5' is not between 0 and 1 (write 0.7 for 70% "
        "sure of hitting the target)",
    ]
    objectives = read("goals/2026-Q4/customer-success.yaml")["objectives"]
    got = [o["key_results"][0]["checkins"][0]["confidence"] for o in objectives[-5:]]
    assert got == [0.7, 0.007, 1, 0.7, 1]


def test_an_objective_title_written_otherwise_names_no_objective_id(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    status, out = do_import(
        capsys,
        [
            "2026-Q4,Customer Success,Grow revenue,Sam Lee,Grow it from 1 to 2,,1,2,",
            "2026-Q4,Customer Success,Grow  Revenue,Sam Lee,Grow it from 3 to 4,,3,4,",
        ],
    )
    assert status == 1
    assert out[0] == (
        "okrs.csv: row 3: objective 'Grow  Revenue' is the objective 'Grow revenue' above "
        "written otherwise: write the same title (or give each an objective_id)"
    )


def test_near_misses_are_listed_up_to_twenty(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    rows = [
        f"2026-Q4,Customer Success,Obj {n},Dana Cruz {n},Grow it from 1 to 2,,1,2,"
        for n in range(1, 31)
    ]
    status, out = do_import(capsys, rows)
    assert status == 0, out
    notes = [line for line in out if line.startswith("note: okrs.csv: row")]
    assert len(notes) == 20
    assert "did you mean 'Dana Cruz 1' (dana-cruz-1)?" in notes[0]
    more = [line for line in out if "more near misses" in line]
    assert more == [
        "note: okrs.csv: and 9 more near misses (names added that are close "
        "to a name above): check the teams, people and KPIs added below"
    ]


def crafted_names(count: int, seed: int) -> list[str]:
    """Names of 75 three-letter words, each word in at most 40 names: every name shares
    words with many others, few enough that none is too common to compare with."""
    rng = random.Random(seed)
    words = [
        "".join(t) for t in itertools.product("abcdefghijklmnopqrstuvwxyz0123456789", repeat=3)
    ]
    rng.shuffle(words)
    pool = words[: count * 75 // 40 + 100]
    uses: dict[str, int] = {}
    names = []
    for _ in range(count):
        chosen: list[str] = []
        while len(chosen) < 75:
            word = rng.choice(pool)
            if uses.get(word, 0) < 40 and word not in chosen:
                uses[word] = uses.get(word, 0) + 1
                chosen.append(word)
        names.append(" ".join(chosen))
    return names


def test_the_near_miss_search_compares_a_bounded_number_of_names():
    known = Known("person")
    for n, name in enumerate(crafted_names(600, 1)):
        known.add(f"p{n}", name)
    known.add("sam", "Sam Lee")
    cells = crafted_names(200, 2)
    for cell in cells:
        known.near(cell)
    assert known.compared <= Known.BUDGET
    assert known.compared <= len(cells) * Known.POOL
    fresh = Known("person")
    fresh.add("sam", "Sam Lee")
    assert fresh.near("Sam Le") == "; did you mean 'Sam Lee' (sam)?"


@pytest.mark.parametrize(
    ("cells", "decimal"),
    [
        (["1.200", "3,2"], ","),  # a German sheet: a decimal comma somewhere
        (["1.200,00 €", "1.800 €"], ","),
        (["1.200.000"], ","),
        (["1,200", "3.5"], "."),
        (["1,200.50"], "."),
        (["1,200,000"], "."),
        (["1.200", "1,200", "42%", "7"], None),  # nothing tells
        (["3,5", "3.5"], None),  # both: the sheet disagrees with itself
    ],
)
def test_the_decimal_mark_of_a_sheet(cells: list[str], decimal: str | None):
    from okrsite.commands.importnumbers import decimal_mark

    assert decimal_mark(cells) == decimal


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("1.200", ",", 1200.0),
        ("1.800 €", ",", 1800.0),
        ("1,200", ",", 1.2),
        ("1.200,00 €", None, 1200.0),
        ("1.200.000", None, 1200000.0),
        ("1.200", ".", 1.2),
        ("1,200", ".", 1200.0),
        ("1,200", None, 1200.0),  # the guide's thousands
        ("3,25", None, 3.25),
        ("0.125", None, 0.125),  # no thousands group starts with 0
    ],
)
def test_numbers_read_by_the_sheets_decimal_mark(text: str, decimal: str | None, value: float):
    from okrsite.commands.importnumbers import parse_number

    assert parse_number(text, decimal)[0] == value


def test_a_german_sheet_gets_its_thousands_and_an_unclear_one_is_asked(
    tmp_path, monkeypatch, capsys
):
    init_site(tmp_path, monkeypatch)
    header = HEADER + ",date"
    german = [
        '2026-Q4,Vertrieb,Mehr Umsatz,Jürgen Groß,Grow ARR,,1.200,1.800,"1.410,5",30.11.2026',
    ]
    status, out = do_import(capsys, german, header=header)
    assert status == 0, out
    kr = read("goals/2026-Q4/vertrieb.yaml")["objectives"][0]["key_results"][0]
    assert (kr["baseline"], kr["target"]) == (1200, 1800)
    assert kr["checkins"][0]["value"] == 1410.5
    assert str(kr["checkins"][0]["date"]) == "2026-11-30"
    unclear = ["2026-Q4,Sales,Sell more,Sam Lee,Grow ARR,,1.200,1.800,"]
    status, out = do_import(capsys, unclear, "--force")
    assert status != 0
    assert any(
        "baseline '1.200' could be 1.200 or 1,200" in line and "write 1200 for 1,200" in line
        for line in out
    ), out


def test_a_leading_zero_is_no_group_of_thousands():
    from okrsite.commands.importnumbers import parse_number

    assert parse_number("0,125")[0] == 0.125  # was read as 125
    assert parse_number("0.125")[0] == 0.125
