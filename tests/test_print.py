"""The printable period summary and its PDF, read back with poppler."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from okrsite.model import scoring
from okrsite.site.render import fmt_score
from okrsite.source.loader import load

from orgkit import ENGINE

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TODAY = "2026-11-22"
needs_tools = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("pdftotext")),
    reason="needs Debian's chromium and poppler-utils (.ci/run installs them)",
)


def _pdf(tmp_path: Path, period: str, *extra: str) -> Path:
    out = tmp_path / f"{period}.pdf"
    run = subprocess.run(
        ["okrsite", "pdf", period, "-o", str(out), "--today", TODAY, *extra],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert f"wrote {out}" in run.stdout
    return out


def _info(pdf: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


@pytest.fixture(scope="module")
def q3_pdf(tmp_path_factory) -> Path:
    return _pdf(tmp_path_factory.mktemp("pdf"), "2026-Q3")


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _gray_pages(pdf: Path, folder: Path) -> list[tuple[int, int, bytes]]:
    """(width, height, pixels) of every page, one byte a pixel (PGM "P5")."""
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(folder / "p")], check=True)
    pages = []
    for pgm in sorted(folder.glob("p*.pgm")):
        data = pgm.read_bytes()
        magic, size, _maxval, pixels = data.split(b"\n", 3)
        assert magic == b"P5"
        width, height = map(int, size.split())
        pages.append((width, height, pixels))
    return pages


def _filled_to(width: int, height: int, pixels: bytes) -> float:
    """How far down the page its content reaches, as a share of the page above the footer
    (the page numbers at the foot are left out)."""
    body = int(height * 0.93)
    last = max(
        (y for y in range(body) if min(pixels[y * width : (y + 1) * width]) < 128), default=0
    )
    return last / body


# The example's summary was 9 A4 pages (a cover, then each team forced onto a page of its
# own, most about 75% blank); the target is about a third of that.
@needs_tools
@pytest.mark.parametrize("period", ["2026-Q3", "2026-Q4"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_example_fits_a_third_of_the_pages_with_none_mostly_blank(
    tmp_path: Path, period: str, paper: str
):
    pdf = _pdf(tmp_path, period, "--paper", paper)
    pages = _gray_pages(pdf, tmp_path)
    assert len(pages) == int(_info(pdf)["Pages"])
    assert len(pages) <= 3
    # Teams flow on from one another: every page but the last is filled to its foot, and
    # the last holds more than a heading.
    for number, page in enumerate(pages[:-1], 1):
        assert _filled_to(*page) > 0.8, f"page {number} of {len(pages)} is mostly blank"
    assert _filled_to(*pages[-1]) > 0.25


@needs_tools
def test_letter_paper(tmp_path: Path):
    info = _info(_pdf(tmp_path, "2026-Q3", "--paper", "letter"))
    assert "612 x 792" in info["Page size"]


@needs_tools
def test_pdf_text_holds_every_objective_and_score(q3_pdf: Path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(q3_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    org = load(ROOT / "goals").org
    objectives = [o for o in org.objectives.values() if o.period.key == "2026-Q3"]
    assert objectives
    for obj in objectives:
        # long titles wrap; every word run of the title is there in order
        assert " ".join(obj.title.split()[:5]) in flat, obj.title
        assert f"objective score {fmt_score(scoring.objective_score(obj))}" in flat, obj.title
    assert f"Period score {fmt_score(scoring.mean_score(objectives))}" in flat
    assert re.search(r"Page 1 of \d+", flat)
    # private goals are counted, never named
    assert "coaching plan" not in flat.lower()


def test_unknown_period_is_a_clear_error():
    run = subprocess.run(
        ["okrsite", "pdf", "2031-Q1"], cwd=ROOT, env=ENV, capture_output=True, text=True
    )
    assert run.returncode == 2
    assert "no OKRs for period '2031-Q1'; periods with OKRs: 2026-Q3, 2026-Q4" in run.stderr


def test_print_page_in_the_site_is_standalone_and_linked(tmp_path: Path):
    out = tmp_path / "site"
    subprocess.run([ENGINE, "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
    html = (out / "periods/2026-q3/print.html").read_text(encoding="utf-8")
    assert "md-header" not in html and "md-sidebar" not in html and "md-search" not in html
    assert "@page" in html and "counter(page)" in html
    assert "thead { display: table-header-group; }" in html
    assert 'href="print.html"' in (out / "periods/2026-q3/index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    current = "2026-q4" if date.today() >= date(2026, 10, 1) else "2026-q3"
    assert f'href="periods/{current}/print.html"' in home


def _with_custom_dir(root: Path, folder: str) -> Path:
    """The site's mkdocs.yml, now with the theme's custom_dir set to ``folder``."""
    yml = root / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace(
            "theme: {name: material, font: false}",
            f"theme: {{name: material, font: false, custom_dir: {folder}}}",
        ),
        encoding="utf-8",
    )
    return yml


@needs_tools
def test_pdf_uses_the_template_overrides_of_the_site(tmp_path: Path):
    """`okrsite pdf` renders with the theme's custom_dir first, as the site does: an
    override of okrsite/print.html changes the PDF as it changes the print page."""
    from orgkit import FILES, write_site

    root = write_site(tmp_path, FILES)
    override = root / "overrides" / "okrsite" / "print.html"
    override.parent.mkdir(parents=True)
    original = (ROOT / "okrsite/site/templates/okrsite/print.html").read_text(encoding="utf-8")
    marker = "Acme internal: do not forward"
    kicker = '<p class="kicker">OKR summary &middot; {{ org.name }}</p>'
    assert kicker in original
    override.write_text(original.replace(kicker, f"<p>{marker}</p>"))
    yml = _with_custom_dir(root, "overrides")
    assert "custom_dir: overrides" in yml.read_text(encoding="utf-8")
    out = tmp_path / "q3.pdf"
    run = subprocess.run(
        ["okrsite", "pdf", "2026-Q3", "-o", str(out), "--today", TODAY],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert marker in text
    assert "OKR summary" not in text


def test_a_custom_dir_that_is_not_a_folder_is_a_usage_error(tmp_path: Path, capsys):
    from okrsite.commands.cli import main

    from orgkit import FILES, write_site

    root = write_site(tmp_path, FILES)
    yml = _with_custom_dir(root, "nowhere")
    code = main(["pdf", "2026-Q3", "-f", str(yml), "-o", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"okrsite: {yml}: theme.custom_dir 'nowhere' is not a folder; create it or remove "
        "the option\n"
    )


@needs_tools
def test_a_broken_template_override_is_one_line_naming_it(tmp_path: Path):
    """An override that does not render stops `okrsite pdf` with one line naming the
    template and its line, not a traceback."""
    from orgkit import FILES, write_site

    root = write_site(tmp_path, FILES)
    override = root / "overrides" / "okrsite" / "print.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>one</p>\n{% if %}\n", encoding="utf-8")
    _with_custom_dir(root, "overrides")
    run = subprocess.run(
        ["okrsite", "pdf", "2026-Q3", "-o", str(tmp_path / "x.pdf"), "--today", TODAY],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1
    where = "overrides/okrsite/print.html:2"  # custom_dir as mkdocs.yml names it
    assert run.stderr.startswith(f"okrsite: a template cannot be rendered ({where}): ")
    assert run.stderr.endswith("; fix the override in custom_dir\n")
    assert not (tmp_path / "x.pdf").exists()


# A small running quarter with one of each thing that needs attention: a key result off
# track (no progress at 55% of the quarter), a stale one (no check-in since the quarter
# began), a KPI in alert and an objective whose chain reaches no KPI; one public goal and
# one private goal.
ATTENTION_TODAY = "2026-08-20"
ATTENTION_FILES = {
    "org.yaml": """\
        organization: Tiny Co
        teams:
          - {id: company, name: Tiny Co}
          - {id: growth, name: Growth, parent: company}
          - {id: docs, name: Docs, parent: company}
        people:
          - {id: maria, name: Maria Lopez, team: company}
          - {id: ana, name: Ana Silva, team: growth}
        """,
    "kpis.yaml": """\
        kpis:
          - id: gross-churn
            name: Monthly gross churn
            unit: "%"
            direction: down
            alert: 5.0
            history:
              - {date: 2026-06-30, value: 4.2}
              - {date: 2026-08-10, value: 5.6}
        """,
    "2026-Q3/company.yaml": """\
        period: 2026-Q3
        team: company
        objectives:
          - id: retention
            title: Keep customers longer
            owner: maria
            key_results:
              - id: churn
                title: Cut churn to 3%
                kpi: gross-churn
                baseline: 4.2
                target: 3.0
                checkins:
                  - {date: 2026-08-15, value: 3.6}
        """,
    "2026-Q3/growth.yaml": """\
        period: 2026-Q3
        team: growth
        objectives:
          - id: trials
            title: Win more trials
            owner: ana
            aligns_to: company/retention/churn
            key_results:
              - id: paid
                title: Lift paid conversion to 14%
                baseline: 8
                target: 14
                checkins:
                  - {date: 2026-08-15, value: 8}
              - id: aha
                title: Reach aha in session one
                baseline: 25
                target: 45
        """,
    "2026-Q3/docs.yaml": """\
        period: 2026-Q3
        team: docs
        objectives:
          - id: handbook
            title: Write the handbook
            owner: maria
            key_results:
              - id: chapters
                title: Publish 12 chapters
                baseline: 0
                target: 12
                checkins:
                  - {date: 2026-08-15, value: 7}
        """,
    "2026-Q3/people/ana.yaml": """\
        period: 2026-Q3
        owner: ana
        goals:
          - id: tips
            title: Ship usage tips in the app
            supports: growth/trials/paid
            metric: Users seeing a tip
            baseline: 0
            target: 100
            due: 2026-09-15
          - id: secret
            title: Zebra coaching plan for me
            visibility: private
            supports: growth/trials
            metric: Coaching sessions
            baseline: 0
            target: 6
            due: 2026-09-30
        """,
}
PRIVATE_TITLE = "Zebra coaching plan"


@pytest.fixture(scope="module")
def attention_site(tmp_path_factory) -> Path:
    from orgkit import write_site

    return write_site(tmp_path_factory.mktemp("attention"), ATTENTION_FILES)


def _site_pdf(root: Path, out: Path, *extra: str) -> Path:
    run = subprocess.run(
        ["okrsite", "pdf", "2026-Q3", "-o", str(out), "--today", ATTENTION_TODAY, *extra],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def attention_pdfs(attention_site: Path, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("attention-pdf")
    return {
        "plain": _site_pdf(attention_site, out / "plain.pdf"),
        "goals": _site_pdf(attention_site, out / "goals.pdf", "--goals"),
    }


def _rows(text: str) -> list[str]:
    """The lines of ``pdftotext -layout``, spaces collapsed: a table row is one line."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@needs_tools
def test_the_first_page_says_what_needs_attention(attention_pdfs: dict[str, Path]):
    page1 = _text(attention_pdfs["plain"], "-layout", "-f", "1", "-l", "1")
    flat = " ".join(page1.split())
    # The attention lists come first, before the KPIs, the alignment and the teams.
    start, kpis = flat.index("Needs attention"), flat.index("Company KPIs")
    attention = flat[start:kpis]
    off_track = attention[attention.index("Off track") : attention.index("KPIs in alert")]
    assert "Lift paid conversion to 14%" in off_track
    assert "Win more trials" in off_track  # its objective: no progress in either KR
    assert "Keep customers longer" not in off_track  # on pace
    alerts = attention[attention.index("KPIs in alert") : attention.index("Stale key results")]
    assert "Monthly gross churn" in alerts and "5.6%" in alerts
    stale = attention[attention.index("Stale key results") : attention.index("Broken chains")]
    assert "Reach aha in session one" in stale
    assert "Lift paid conversion" not in stale  # checked in five days ago
    broken = attention[attention.index("Broken chains") :]
    assert "Write the handbook" in broken
    assert "Win more trials" not in broken and "Keep customers longer" not in broken


@needs_tools
def test_every_key_result_row_has_its_pace_and_stale_flag(attention_pdfs: dict[str, Path]):
    text = _text(attention_pdfs["plain"], "-layout")
    teams = text[text.index("Alignment") :]
    rows = _rows(teams)

    def row(title: str) -> str:
        (found,) = [r for r in rows if r.startswith(title)]
        return found

    assert re.search(r"0\.00 RED off track 2026-08-15$", row("Lift paid conversion to 14%"))
    # no check-in yet: not started (as the period page groups it), and stale
    assert re.search(r"0\.00 RED not started none yet STALE$", row("Reach aha in session one"))
    assert re.search(r"0\.58 YELLOW on track 2026-08-15$", row("Publish 12 chapters"))
    assert "STALE" not in row("Cut churn to 3%")


@needs_tools
def test_the_goals_appendix_only_with_the_option_and_never_a_private_goal(
    attention_pdfs: dict[str, Path],
):
    plain = " ".join(_text(attention_pdfs["plain"]).split())
    with_goals = " ".join(_text(attention_pdfs["goals"]).split())
    assert "Ship usage tips in the app" not in plain and "Appendix" not in plain
    appendix = with_goals[with_goals.index("Appendix") :]
    assert "Ship usage tips in the app" in appendix
    assert "Users seeing a tip" in appendix and "Ana Silva" in appendix
    assert "1 private (counted only)" in appendix
    for text in (plain, with_goals):
        assert PRIVATE_TITLE not in text and "Coaching sessions" not in text
    # the appendix is added at the end: the summary before it is the same
    assert with_goals.startswith(plain[: plain.index("Page 1 of")])


def test_the_site_has_both_print_pages_linked_and_no_private_goal(attention_site: Path):
    from orgkit import build

    run = build(attention_site, "-q")
    assert run.returncode == 0, run.stderr
    folder = attention_site / "site" / "periods" / "2026-q3"
    plain = (folder / "print.html").read_text(encoding="utf-8")
    with_goals = (folder / "print-goals.html").read_text(encoding="utf-8")
    assert 'href="print-goals.html"' in plain and 'href="print.html"' in with_goals
    period_page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="print.html"' in period_page and 'href="print-goals.html"' in period_page
    assert "Ship usage tips in the app" in with_goals and "Ship usage tips" not in plain
    for html in (plain, with_goals):
        assert PRIVATE_TITLE not in html and "Coaching sessions" not in html


def test_pdf_help_names_the_goals_option(capsys):
    from okrsite.commands.cli import main

    assert main(["pdf", "--help"]) == 0
    assert "--goals" in capsys.readouterr().out


# A crowded running quarter: more of everything that needs attention than a list names,
# and a wider alignment tree than its section shows. Company objectives c0-c2 reach a
# KPI; teams t01-t24 align to c0 (14 of them) or c1, each objective with a key result
# off track (checked in at its baseline) and a stale one (never checked in); sub-teams
# s01-s12 align to t01; 45 teams b01-b45 align to nothing (broken chains); 14 KPIs are
# in alert.
def _crowded_files() -> dict[str, str | bytes]:
    teams = ["  - {id: company, name: Crowd Co}"]
    teams += [f"  - {{id: t{i:02d}, name: Team t{i:02d}, parent: company}}" for i in range(1, 25)]
    teams += [f"  - {{id: s{i:02d}, name: Sub s{i:02d}, parent: t01}}" for i in range(1, 13)]
    teams += [f"  - {{id: b{i:02d}, name: Lone b{i:02d}, parent: company}}" for i in range(1, 46)]
    files: dict[str, str | bytes] = {
        "org.yaml": "organization: Crowd Co\nteams:\n"
        + "\n".join(teams)
        + "\npeople:\n  - {id: ana, name: Ana Silva, team: company}\n",
        "kpis.yaml": "kpis:\n"
        + "".join(
            f"  - {{id: k{i:02d}, name: Alarm k{i:02d}, direction: up, alert: 40, "
            "history: [{date: 2026-08-01, value: 30}]}\n"
            for i in range(1, 15)
        ),
    }

    def objective(oid: str, title: str, aligns: str | None, krs: str) -> str:
        head = f"  - id: {oid}\n    title: {title}\n    owner: ana\n"
        return head + (f"    aligns_to: {aligns}\n" if aligns else "") + "    key_results:\n" + krs

    on_pace = "        checkins: [{date: 2026-08-15, value: 60}]\n"
    company = "".join(
        objective(
            f"c{i}",
            f"Company aim c{i}",
            None,
            f"      - id: k\n        title: Move k{i + 1:02d}\n        kpi: k{i + 1:02d}\n"
            "        baseline: 0\n        target: 100\n" + on_pace,
        )
        for i in range(3)
    )
    files["2026-Q3/company.yaml"] = f"period: 2026-Q3\nteam: company\nobjectives:\n{company}"
    lagging = (
        "      - id: paid\n        title: Lift {t} paid\n        baseline: 0\n        target: 100\n"
        "        checkins: [{{date: 2026-08-15, value: 0}}]\n"
        "      - {{id: aha, title: Reach {t} aha, baseline: 0, target: 10}}\n"
    )
    for i in range(1, 25):
        t = f"t{i:02d}"
        aim = "company/c0" if i <= 14 else "company/c1"
        body = objective("o", f"Team aim {t}", aim, lagging.format(t=t))
        files[f"2026-Q3/{t}.yaml"] = f"period: 2026-Q3\nteam: {t}\nobjectives:\n{body}"
    for prefix, parent, count in (("s", "t01/o", 12), ("b", None, 45)):
        for i in range(1, count + 1):
            t = f"{prefix}{i:02d}"
            kr = f"      - id: k\n        title: Do {t}\n        baseline: 0\n        target: 100\n"
            kr += on_pace
            body = objective("o", f"Team aim {t}", parent, kr)
            files[f"2026-Q3/{t}.yaml"] = f"period: 2026-Q3\nteam: {t}\nobjectives:\n{body}"
    return files


@pytest.fixture(scope="module")
def crowded_site(tmp_path_factory) -> Path:
    from orgkit import build, write_site

    root = write_site(
        tmp_path_factory.mktemp("crowded"), _crowded_files(), f"today: {ATTENTION_TODAY}"
    )
    run = build(root, "-q")
    assert run.returncode == 0, run.stderr
    return root


def _section(html: str, name: str) -> str:
    start = html.index(f'<section class="{name}">')
    return html[start : html.index("</section>", start)]


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# How many entries each "Needs attention" list of the print summary names (print.html's
# print_rows): fewer than the web page's, so that four full lists fit the first page.
PRINT_ROWS = 6


def test_each_needs_attention_list_names_six_and_says_where_the_rest_are(crowded_site: Path):
    html = (crowded_site / "site" / "periods" / "2026-q3" / "print.html").read_text("utf-8")
    attention = _section(html, "attention")
    tables = attention.split("<h3>")[1:]
    assert [re.sub(r"<[^>]+>", "", t.split("</h3>")[0]).split()[:2] for t in tables] == [
        ["Off", "track"],
        ["KPIs", "in"],
        ["Stale", "key"],
        ["Broken", "chains"],
    ]
    off, kpis, stale, broken = tables
    # the full count in each heading, the first PRINT_ROWS named, then how many more
    for table, total, more in (
        (off, 48, "and 42 more off track: each is in its team's section below"),
        (kpis, 14, "and 8 more KPIs in alert: the company KPIs below list every one"),
        (stale, 24, "and 18 more stale key results: each is flagged STALE in its team's"),
        (broken, 45, "and 39 more objectives with a broken chain: each is marked in its"),
    ):
        assert f'<span class="count">{total}</span>' in table
        assert table.count("<tr>") == PRINT_ROWS + 1  # the header row and those named
        assert more in _plain(table)
    assert 'href="./"' in off  # the period's page: print.html sits in its folder
    assert 'href="../../quality/"' in broken
    assert "Team aim b06" in broken and "Team aim b07" not in broken
    # nothing is dropped: every one is in its team's section
    teams = html[html.index('<section class="team">') :]
    for i in range(1, 46):
        assert f"Team aim b{i:02d}" in teams
    assert teams.count("STALE") == 24


def test_the_alignment_section_shows_the_top_of_the_tree_and_counts_the_rest(
    crowded_site: Path,
):
    html = (crowded_site / "site" / "periods" / "2026-q3" / "print.html").read_text("utf-8")
    alignment = _section(html, "alignment")
    text = _plain(alignment)
    # the company's objectives first, each with ten of the objectives aligned to it
    assert text.index("Company aim c0") < text.index("Company aim c1") < text.index("Team aim b01")
    assert "Team aim t10" in text and "Team aim t11" not in text  # c0's eleventh
    assert "and 4 more aligned to it directly, with 0" not in text
    assert "and 4 more aligned to it directly" in text  # t11-t14 under c0
    # t01's twelve sub-teams are counted, not listed
    assert "Team aim t01 Team t01" in text and "12 more aligned below" in text
    assert "Team aim s01" not in text
    # about forty lines: c0 (1 + 10 + 1), c1 (1 + 10), c2 (1), 16 lone objectives
    assert alignment.count("<li") == 40
    assert "Team aim b16" in text and "Team aim b17" not in text
    assert "and 29 more objectives aligned to no objective of 2026-Q3" in text
    assert 'href="map/"' in alignment
    assert "the alignment map of 2026-Q3" in text


@needs_tools
def test_the_example_alignment_is_whole_with_no_word_of_a_cut(q3_pdf: Path):
    """A tree that fits is printed whole, with nothing said about a cut."""
    flat = " ".join(_text(q3_pdf).split())
    alignment = flat[flat.index("Alignment") : flat.index("team score")]
    org = load(ROOT / "goals").org
    for obj in org.objectives.values():
        if obj.period.key == "2026-Q3":
            assert " ".join(obj.title.split()[:4]) in alignment, obj.title
    assert "more" not in alignment and "alignment map" not in alignment


@needs_tools
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_four_full_attention_lists_fit_the_first_page(
    crowded_site: Path, tmp_path: Path, paper: str
):
    pdf = _site_pdf(crowded_site, tmp_path / "crowded.pdf", "--paper", paper)
    page1 = " ".join(_text(pdf, "-f", "1", "-l", "1").split())
    for more in ("42 more off track", "8 more KPIs in alert", "18 more stale key results"):
        assert f"and {more}:" in page1
    assert "Team aim b06" in page1 and "and 39 more objectives with a broken chain" in page1
