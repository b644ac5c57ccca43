"""`okrsite generate`: okrsite's pages written into the docs folder for Zensical, safe to
run again (only okrsite's own files are replaced), never through a link, never outside
okrsite's folders; a MkDocs build of the same folder makes its own pages; `--watch`
follows the goal files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from okrsite.commands.cli import main
from okrsite.commands.generate import POLL_SECONDS
from okrsite.site import generated
from okrsite.site.sitefiles import is_okrsite_path

from orgkit import ENV, FILES, build, write_site


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_site(tmp_path, FILES)
    (root / "docs/guide.md").write_text("# Guide\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def generate(*args: str) -> int:
    return main(["generate", *args])


def record(root: Path) -> dict[str, str]:
    return json.loads((root / "docs" / generated.RECORD).read_text())["files"]


def test_writes_pages_with_front_matter_and_one_html_block(site, capsys):
    assert generate() == 0
    out = capsys.readouterr()
    assert "written, 0 unchanged, 0 removed" in out.out
    page = (site / "docs/teams/index.md").read_text(encoding="utf-8")
    head, body = page.split("\n---\n", 1)
    assert yaml.safe_load(head.removeprefix("---\n"))["title"] == "Teams"
    assert body.strip().startswith('<div class="okr-page">') and body.strip().endswith("</div>")
    for name in ("assets/okrsite/okrsite.css", "api/okrsite.json", "periods/2026-q3/print.html"):
        assert (site / "docs" / name).is_file(), name
    assert set(record(site)) >= {"teams/index.md", "assets/okrsite/okrsite.css"}
    assert "guide.md" not in record(site)
    # The config lacks okrsite's stylesheet, script and navigation: it says what to add.
    assert "add 'assets/okrsite/okrsite.css' to extra_css" in out.err
    assert "has no nav" in out.err and "- KPIs: kpis/index.md" in out.err


def test_a_second_run_writes_nothing(site, capsys):
    generate()
    before = {p: p.stat().st_mtime_ns for p in (site / "docs").rglob("*.md")}
    capsys.readouterr()
    assert generate() == 0
    assert " 0 written, " in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in (site / "docs").rglob("*.md")} == before


def test_a_hand_written_page_wins_and_an_edited_one_stays(site, capsys):
    (site / "docs/teams").mkdir()
    (site / "docs/teams/index.md").write_text("# Our teams, by hand\n", encoding="utf-8")
    generate()
    assert (
        "docs/teams/index.md exists, so okrsite does not generate that page"
        in capsys.readouterr().err
    )
    assert (site / "docs/teams/index.md").read_text() == "# Our teams, by hand\n"
    assert "teams/index.md" not in record(site)
    # A generated page edited below its first line is overwritten, as that line says;
    # one made one's own (without okrsite's first lines) stays.
    people = site / "docs/people/index.md"
    people.write_text(people.read_text() + "\nA line of mine.\n", encoding="utf-8")
    generate()
    assert "A line of mine." not in people.read_text()
    people.write_text("# Our people\n\nA line of mine.\n", encoding="utf-8")
    capsys.readouterr()
    generate()
    assert people.read_text() == "# Our people\n\nA line of mine.\n"
    assert "docs/people/index.md exists, so okrsite does not generate" in capsys.readouterr().err
    assert "people/index.md" not in record(site)


def test_pages_of_removed_items_go_and_empty_folders_with_them(site):
    generate()
    goal = site / "docs/goals/2026-q3/ana"
    assert goal.is_dir()
    (site / "goals/2026-Q3/people/ana.yaml").unlink()
    generate()
    assert not goal.exists() and not (site / "docs/goals/2026-q3").exists()
    assert (site / "docs/guide.md").is_file()


def test_nothing_is_written_through_a_link(site, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("outside")
    (site / "docs/okrs").symlink_to(outside, target_is_directory=True)
    (site / "docs/kpis").mkdir()
    (site / "docs/kpis/index.md").symlink_to(outside / "kpis.md")
    assert generate() == 0
    assert list(outside.iterdir()) == []
    assert (site / "docs/kpis/index.md").is_symlink()
    err = capsys.readouterr().err
    assert "docs/okrs is a symbolic link, so okrsite writes nothing there" in err
    assert "docs/kpis/index.md exists, so okrsite does not generate that page" in err


def test_a_docs_folder_that_is_a_link_is_refused(site, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("outside")
    (site / "docs").rename(site / "real-docs")
    (site / "docs").symlink_to(outside, target_is_directory=True)
    assert generate() == 2
    assert "is reached through a symbolic link" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_a_crafted_record_removes_nothing_that_is_not_okrsites(site):
    guide = site / "docs/guide.md"
    outside = site / "outside.md"
    outside.write_text("keep me\n", encoding="utf-8")
    fake = {
        "guide.md": generated.digest(guide.read_bytes()),
        "../outside.md": generated.digest(outside.read_bytes()),
        "/etc/hostname": "0" * 64,
        "teams/../../outside.md": generated.digest(outside.read_bytes()),
    }
    (site / "docs" / generated.RECORD).write_text(json.dumps({"files": fake}))
    assert generated.read_record(site / "docs") == {}
    assert generate() == 0
    assert guide.is_file() and outside.is_file()


@pytest.mark.parametrize(
    "text", ["[", "null", '{"files": [1, 2]}', '{"files": {"teams/index.md": 3}}', "x" * 100]
)
def test_a_record_that_is_not_okrsites_counts_as_none(site, text):
    (site / "docs" / generated.RECORD).write_text(text)
    assert generated.read_record(site / "docs") == {}
    assert generate() == 0
    assert (site / "docs/teams/index.md").is_file()


@pytest.mark.parametrize(
    "title",
    [
        'a "quoted" title: with # and \\ and ---',
        "line\u2028separator\u0085next\ufeffbom",
        "tab\tand \x1b escape",
        "ünïcødé ✓ 🚀 日本語",
    ],
)
def test_titles_survive_front_matter(title):
    assert yaml.safe_load("t: " + generated.yaml_string(title))["t"] == title


def test_mkdocs_builds_the_same_pages_where_generate_ran(site):
    generate()
    run = build(site, "--strict")
    assert run.returncode == 0, run.stderr
    assert "does not generate that page" not in run.stderr
    assert (site / "site/teams/index.html").is_file()
    assert (site / "site/guide/index.html").is_file()
    # A generated page made one's own (its first lines gone) is the user's: the plugin
    # says so, as for any.
    people = site / "docs/people/index.md"
    people.write_text("# People, by hand\n", encoding="utf-8")
    run = build(site)
    assert "docs/people/index.md exists, so okrsite does not generate that page" in run.stderr


def test_commands_read_properdocs_yml(site, capsys):
    (site / "mkdocs.yml").rename(site / "properdocs.yml")
    with (site / "properdocs.yml").open("a", encoding="utf-8") as f:
        f.write("docs_dir: pages\n")
    (site / "docs").rename(site / "pages")
    assert generate() == 0
    assert (site / "pages/teams/index.md").is_file()
    assert "properdocs.yml: add 'assets/okrsite/okrsite.css'" in capsys.readouterr().err


def _wait_for(check, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_watch_follows_the_goal_files(site):
    proc = subprocess.Popen(
        [sys.executable, "-m", "okrsite.commands.cli", "generate", "--watch"],
        cwd=site,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        team = site / "docs/teams/growth/index.md"
        assert _wait_for(team.is_file)
        ana = site / "goals/2026-Q3/people/ana.yaml"
        text = ana.read_text(encoding="utf-8")
        assert "title: " in text
        ana.write_text(text.replace("title: ", "title: Watched ", 1), encoding="utf-8")
        goals = site / "docs/goals/2026-q3/ana"
        assert _wait_for(lambda: any("Watched" in p.read_text() for p in goals.rglob("index.md")))
        # A save that breaks a goal file: the last good pages say what is wrong ...
        ana.write_text(text + "\n  - id: [broken\n", encoding="utf-8")
        assert _wait_for(lambda: "okr-broken" in team.read_text())
        # ... until the save that fixes it.
        ana.write_text(text, encoding="utf-8")
        assert _wait_for(lambda: "okr-broken" not in team.read_text())
        # A changed mkdocs.yml is read again.
        home = site / "docs/index.md"
        assert "as of 2026-08-01" in home.read_text()
        config = site / "mkdocs.yml"
        config.write_text(config.read_text().replace("2026-08-01", "2026-08-15"))
        assert _wait_for(lambda: "as of 2026-08-15" in home.read_text())
        # The docs folder removed while watching: said, and written again once it is back.
        assert _wait_for(
            lambda: shutil.rmtree(site / "docs", ignore_errors=True) or not (site / "docs").exists()
        )
        ana.write_text(text.replace("title: ", "title: Again ", 1), encoding="utf-8")
        time.sleep(2 * POLL_SECONDS + 1)
        (site / "docs").mkdir()
        ana.write_text(text, encoding="utf-8")
        assert _wait_for((site / "docs" / generated.RECORD).is_file)
        assert team.is_file()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert "ana.yaml:" in err  # the error, as path:line
    assert "no such folder: 'docs'" in err


@pytest.mark.parametrize(
    "path",
    [
        "index.md",
        "okrs/index.md",
        "okrs/2026-q4/company/retention/index.md",
        "goals/2026-q4/ana/tips/index.md",
        "periods/2026-q4/map/index.md",
        "periods/2026-q4/map/growth/trials/aha/part_12/index.md",
        "periods/fy2027-h1/print-goals.html",
        "rules/okr101/index.md",
        "assets/okrsite/okrsite.js",
        "api/okrsite.schema.json",
        "schemas/goals.schema.json",
    ],
)
def test_paths_okrsite_writes(path):
    assert is_okrsite_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "guide.md",
        "teams/faq.md",
        "rules/handbook.md",
        "api/index.md",
        "assets/logo.png",
        "assets/okrsite/theme.css",
        "schemas/../x.json",
        "../outside.md",
        "/etc/passwd",
        "teams\\index.md",
        "teams/index.md/",
        "teams/" + "a" * 200 + "/index.md",
        "periods/" + "/".join(["x"] * 8) + "/index.md",
        "Teams/index.md",
    ],
)
def test_paths_okrsite_never_touches(path):
    assert not is_okrsite_path(path)


def test_a_file_or_folder_in_the_way_is_named_as_such(site, capsys):
    (site / "docs/assets").mkdir()
    (site / "docs/assets/okrsite").write_text("mine\n", encoding="utf-8")
    (site / "docs/kpis/index.md").mkdir(parents=True)
    assert generate() == 0
    err = capsys.readouterr().err
    assert "docs/assets/okrsite is a file where okrsite writes a folder" in err
    assert "docs/kpis/index.md is a folder where okrsite writes a file" in err
    assert (site / "docs/assets/okrsite").read_text() == "mine\n"
    # MkDocs, in the same folder, builds, and says what it left out.
    run = build(site)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "docs/assets/okrsite is a file where okrsite needs a folder" in run.stderr


@pytest.mark.parametrize(
    "docs_dir, message",
    [
        (".", "is the project's folder"),
        ("goals", "overlap"),
        ("goals/pages", "overlap"),
        ("/tmp", "is outside the project"),
        ("../elsewhere", "is outside the project"),
        ("web/d", "reached through a symbolic link"),
    ],
)
def test_a_docs_folder_okrsite_must_not_write_into_is_refused(
    site, tmp_path_factory, capsys, docs_dir, message
):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "d").mkdir()
    (site / "web").symlink_to(outside, target_is_directory=True)
    (site / "goals/pages").mkdir()
    (site / "elsewhere").mkdir()  # ../elsewhere from the config's folder: missing or not
    with (site / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(f"docs_dir: {docs_dir}\n")
    before = sorted(p.name for p in outside.rglob("*"))
    assert generate() == 2
    assert message in capsys.readouterr().err
    # The same, with the config file named by its absolute path.
    assert generate("-f", str(site.resolve() / "mkdocs.yml")) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in outside.rglob("*")) == before


def test_the_advised_config_gives_the_plugins_navigation(site, capsys):
    """The lines `generate` asks for, pasted into mkdocs.yml: it asks for nothing more,
    and the navigation holds the hand-written pages and okrsite's index pages, not
    every goal."""
    (site / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (site / "docs/how-to").mkdir()
    (site / "docs/how-to/check-in.md").write_text("# Check in\n", encoding="utf-8")
    generate()
    err = capsys.readouterr().err
    nav = err[err.index("\nnav:\n") + 1 :]
    assert "  - index.md\n  - guide.md\n  - How to:\n      - how-to/check-in.md\n" in nav
    assert "  - OKRs:\n      - Overview: okrs/index.md\n" in nav
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "extra_css: [assets/okrsite/okrsite.css]\n"
        + "extra_javascript: [assets/okrsite/okrsite.js]\n"
        + "markdown_extensions: [okrsite.zensical]\n"
        + nav
    )
    assert generate() == 0
    err = capsys.readouterr().err
    assert "add " not in err and "nav" not in err
    run = build(site, "--strict")
    assert run.returncode == 0, run.stderr
    home = (site / "site/index.html").read_text(encoding="utf-8")
    assert 'href="how-to/check-in/"' in home and 'href="okrs/"' in home
    assert "goals/2026-q3/ana/" not in home


def test_the_zensical_extension_hands_bodies_through_unchanged():
    """okrsite.zensical gives Markdown's own output for a generated page (the body,
    untouched), and leaves every other line to Markdown."""
    import markdown

    from okrsite.site.pages import PageSpec

    body = (
        '<h1 id="t">T</h1>\n<p>a\n```\nb {{ x }} [c](javascript:1) ~~~</p>\n'
        "<pre><code>line 1\nline 2</code></pre>\n<table>\n<tr><td>1%</td></tr>\n</table>"
    )
    page = generated.markdown_page(PageSpec("teams/index.md", "T {{ y }}", "t.html"), body)
    text = page.split("\n---\n", 1)[1] + "\nafter *this*\n"
    plain = markdown.Markdown(extensions=["pymdownx.superfences", "md_in_html", "toc"])
    fast = markdown.Markdown(
        extensions=["pymdownx.superfences", "md_in_html", "toc", "okrsite.zensical"]
    )

    def squeeze(html: str) -> str:  # blank lines between blocks may differ
        return re.sub(r">\s+<", "><", html.strip())

    assert squeeze(fast.convert(text)) == squeeze(plain.convert(text))
    out = fast.reset().convert(text)
    assert out.startswith('<div class="okr-page"><h1 id="t">T</h1>')
    assert "<p>after <em>this</em></p>" in out
    assert "{" not in out and 'href="javascript' not in out


def test_a_goal_made_private_leaves_no_page_behind(site):
    """Its page goes, even when the last run was stopped before its record was written
    or the page was edited since (a page with okrsite's first line is okrsite's)."""
    generate()
    page = next((site / "docs/goals/2026-q3/ana").rglob("index.md"))
    page.write_text(page.read_text() + "\nedited\n", encoding="utf-8")
    (site / "docs" / generated.RECORD).unlink()  # as after a run stopped half-way
    ana = site / "goals/2026-Q3/people/ana.yaml"
    ana.write_text(ana.read_text().replace("    due:", "    visibility: private\n    due:"))
    assert generate() == 0
    assert not page.exists()
    for path in (site / "docs").rglob("*"):
        # (the rules' pages quote the same title as an example, from okrsite's own docs)
        if path.is_file() and "rules" not in path.parts:
            assert "Ship in-app usage tips" not in path.read_text(encoding="utf-8"), path


def test_a_preview_says_so_and_links_its_changes(site, capsys, monkeypatch):
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base"],
        cwd=site,
        check=True,
    )
    ana = site / "goals/2026-Q3/people/ana.yaml"
    ana.write_text(ana.read_text().replace("target: 35", "target: 40"), encoding="utf-8")
    monkeypatch.setenv("OKRSITE_COMPARE_TO", "HEAD")
    assert generate() == 0
    team = (site / "docs/teams/index.md").read_text(encoding="utf-8")
    assert "Preview of proposed goal changes against HEAD" in team
    assert 'href="../changes/">what changed</a>' in team
    assert (site / "docs/changes/index.md").is_file()
    assert "Changes: changes/index.md" not in capsys.readouterr().err  # not for the nav
    # preview_banner: false keeps the Changes page and drops the banner.
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("today: 2026-08-01", "today: 2026-08-01, preview_banner: false")
    )
    assert generate() == 0
    assert "Preview of proposed" not in (site / "docs/teams/index.md").read_text()
    monkeypatch.setenv("OKRSITE_COMPARE_TO", "-rf")
    assert generate() == 2
    assert "OKRSITE_COMPARE_TO" in capsys.readouterr().err


def test_findings_at_error_level_fail_as_a_strict_build_does(site, capsys):
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("today: 2026-08-01", "today: 2026-08-01, rules: {OKR204: error}")
    )
    assert generate() == 1
    err = capsys.readouterr().err
    assert "okrsite: error: goals/2026-Q3/company.yaml:8: OKR204" in err
    assert (site / "docs/teams/index.md").is_file()  # the pages are written all the same


def test_the_navigation_of_hand_written_pages_is_mkdocs_own():
    """sitefiles.nest makes the navigation MkDocs makes of a docs folder with no nav
    (the order of its walk, sections named after folders), which `generate` advises."""
    from mkdocs.utils import nest_paths

    from okrsite.site.sitefiles import nest

    walked = [
        "index.md",
        "a.md",
        "z.md",
        "guide/index.md",
        "guide/b.md",
        "guide/deep-dive/README.md",
        "guide/deep-dive/x.md",
        "how_to/a.md",
        "how_to/MixedCase/y.md",
    ]
    shuffled = sorted(walked, reverse=True)
    assert nest(shuffled) == nest_paths(walked)


def test_a_page_too_long_for_zensicals_search_is_left_out_of_it(site, capsys):
    """Zensical refuses to build when one page's searchable text exceeds its search
    field's limit: the People index of 1,500 people is left out of its search."""
    from orgkit import ORG

    people = "".join(
        f"  - {{id: p{i}, name: Person Number {i} Of The Company, team: growth}}\n"
        for i in range(1500)
    )
    (site / "goals/org.yaml").write_text(ORG + people, encoding="utf-8")
    assert generate() == 0
    head = (site / "docs/people/index.md").read_text(encoding="utf-8").split("\n---\n")[0]
    assert "search:\n  exclude: true" in head
    team = (site / "docs/teams/index.md").read_text(encoding="utf-8").split("\n---\n")[0]
    assert "search:" not in team
    err = capsys.readouterr().err  # the team of 1,500 members too
    assert "2 pages too long for Zensical's search index (people/index.md, teams/growth" in err
