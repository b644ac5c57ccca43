"""The printable period summary and its PDF, read back with poppler."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from okrsite.model import scoring
from okrsite.site.render import fmt_score
from okrsite.source.loader import load

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


@needs_tools
def test_pdf_opens_with_a4_pages_and_a_sane_page_count(q3_pdf: Path):
    info = _info(q3_pdf)
    assert "A4" in info["Page size"]
    pages = int(info["Pages"])
    org = load(ROOT / "goals").org
    teams = {o.team.id for o in org.objectives.values() if o.period.key == "2026-Q3"}
    # cover + KPIs/alignment + one page per team, and not much more
    assert len(teams) + 2 <= pages <= 2 * len(teams) + 3


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


@needs_tools
def test_first_page_is_not_blank(q3_pdf: Path, tmp_path: Path):
    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-gray", str(q3_pdf), str(tmp_path / "p")],
        check=True,
    )
    pgm = next(tmp_path.glob("p*.pgm")).read_bytes()
    # PGM: header "P5\nW H\n255\n" then one byte a pixel
    header_end = pgm.index(b"\n", pgm.index(b"\n", pgm.index(b"\n") + 1) + 1) + 1
    pixels = pgm[header_end:]
    dark = sum(1 for b in pixels if b < 128)
    assert dark > len(pixels) * 0.002, "page 1 looks blank"


def test_unknown_period_is_a_clear_error():
    run = subprocess.run(
        ["okrsite", "pdf", "2031-Q1"], cwd=ROOT, env=ENV, capture_output=True, text=True
    )
    assert run.returncode == 2
    assert "no OKRs for period '2031-Q1'; periods with OKRs: 2026-Q3, 2026-Q4" in run.stderr


def test_print_page_in_the_site_is_standalone_and_linked(tmp_path: Path):
    out = tmp_path / "site"
    subprocess.run(["mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=ENV, check=True)
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
    override.write_text(original.replace('<p class="kicker">OKR summary</p>', f"<p>{marker}</p>"))
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
