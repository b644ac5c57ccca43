"""Site options and layouts the docs promise: plain .html URLs, a hand-written home,
a hand-written page at a generated path, template overrides, include_private."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from orgkit import ENGINE, ENV, FILES, build, write_site

PRIVATE = {
    "2026-Q3/people/maria.yaml": """\
period: 2026-Q3
owner: maria
goals:
  - id: hush
    title: A private commitment about mentoring
    supports: growth/trials/aha
    visibility: private
"""
}


def _links_resolve(site: Path) -> list[str]:
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for href in re.findall(r'href="([^"#?]+)', page.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "data:")):
                continue
            target = (page.parent / href).resolve()
            if href.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    return broken


def test_plain_html_urls_link_correctly(tmp_path):
    root = write_site(tmp_path, FILES)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8"
    )
    assert build(root).returncode == 0
    site = root / "site"
    assert (site / "goals/2026-q3/ana/tips/index.html").exists()
    assert _links_resolve(site) == []


def test_hand_written_home_moves_the_overview_and_keeps_the_nav(tmp_path):
    root = write_site(tmp_path, FILES)
    (root / "docs/index.md").write_text("# Our goals\n\nWelcome.\n", encoding="utf-8")
    (root / "docs/how-we-work.md").write_text("# How we work\n", encoding="utf-8")
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert 'not included in the "nav"' not in run.stderr
    site = root / "site"
    assert "Welcome." in (site / "index.html").read_text(encoding="utf-8")
    overview = (site / "okrs/index.html").read_text(encoding="utf-8")
    assert "Tiny Co" in overview and "Company KPIs" in overview
    nav = (site / "how-we-work/index.html").read_text(encoding="utf-8")
    assert "OKRs" in nav and 'href="../kpis/"' in nav and 'href="../okrs/"' in nav


def test_hand_written_page_at_a_generated_path_wins_with_a_warning(tmp_path):
    root = write_site(tmp_path, FILES)
    (root / "docs/teams").mkdir(parents=True)
    (root / "docs/teams/index.md").write_text("# Our teams, by hand\n", encoding="utf-8")
    run = build(root)
    assert run.returncode == 0
    assert "docs/teams/index.md exists, so okrsite does not generate that page" in run.stderr
    assert "Our teams, by hand" in (root / "site/teams/index.html").read_text(encoding="utf-8")
    assert build(root, "--strict").returncode != 0


def test_custom_dir_overrides_an_okrsite_template(tmp_path):
    root = write_site(tmp_path, FILES)
    (root / "overrides/okrsite").mkdir(parents=True)
    (root / "overrides/okrsite/goal.html").write_text(
        '<h1 id="goal">{{ item.title }}</h1><p class="ours">Our own goal page</p>', encoding="utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "theme: {name: material, font: false}",
            "theme: {name: material, font: false, custom_dir: overrides}",
        ),
        encoding="utf-8",
    )
    assert build(root).returncode == 0
    page = (root / "site/goals/2026-q3/ana/tips/index.html").read_text(encoding="utf-8")
    assert '<p class="ours">Our own goal page</p>' in page
    # other pages keep okrsite's templates
    assert "okr-chain" in (root / "site/okrs/2026-q3/growth/trials/index.html").read_text(
        encoding="utf-8"
    )


def test_include_private_shows_private_goals(tmp_path):
    public = write_site(tmp_path / "public", {**FILES, **PRIVATE})
    assert build(public).returncode == 0
    assert not (public / "site/goals/2026-q3/maria/hush").exists()
    restricted = write_site(
        tmp_path / "restricted",
        {**FILES, **PRIVATE},
        plugin="today: 2026-08-01, include_private: true",
    )
    assert build(restricted).returncode == 0
    page = restricted / "site/goals/2026-q3/maria/hush/index.html"
    assert "A private commitment about mentoring" in page.read_text(encoding="utf-8")
    assert 'okr-badge">private</span>' in page.read_text(encoding="utf-8")


def test_plugin_options_out_of_range_are_refused_with_the_fix(tmp_path):
    # mkdocs build and the okrsite commands check the options with one function
    # (okrsite.settings.options_from) and say the same; MkDocs' own type checks no
    # longer answer first (their words change between MkDocs versions).
    for option, message in [
        (
            "stale_after_days: 0",
            "stale_after_days must be a number of days, 1 or more, got 0; to stop stale "
            "warnings, set rules: {stale-key-result: off}",
        ),
        ("fiscal_year_start: 13", "fiscal_year_start must be a month number 1-12, got 13"),
        ("stale_after_days: true", "stale_after_days must be a number of days, 1 or more"),
        ("fiscal_year_start: abc", "fiscal_year_start must be a month number 1-12, got 'abc'"),
    ]:
        write_site(tmp_path, FILES, f"today: 2026-08-01, {option}")
        run = build(tmp_path)
        assert run.returncode == 1
        assert f"okrsite: {message}" in run.stderr and "Traceback" not in run.stderr
        # the okrsite commands read the same options from mkdocs.yml and check them alike
        check = subprocess.run(
            ["okrsite", "validate"], cwd=tmp_path, env=ENV, capture_output=True, text=True
        )
        assert check.returncode == 2, check.stderr
        assert check.stderr.startswith(f"okrsite: mkdocs.yml: {message}")
        assert "Traceback" not in check.stderr


def test_env_values_in_mkdocs_yml_are_read_as_mkdocs_reads_them(tmp_path):
    """`!ENV [VAR, default]`: the okrsite commands resolve it like MkDocs, instead of
    reading nothing (which refused a valid mkdocs.yml as 'got None')."""
    write_site(tmp_path, FILES, "today: 2026-08-01, stale_after_days: !ENV [OKR_STALE, 21]")

    def validate(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["okrsite", "validate"],
            cwd=tmp_path,
            env={**ENV, **env},
            capture_output=True,
            text=True,
        )

    assert validate().returncode != 2  # the default, 21
    assert validate(OKR_STALE="30").returncode != 2
    refused = validate(OKR_STALE="0")
    assert refused.returncode == 2
    assert "stale_after_days must be a number of days, 1 or more, got 0" in refused.stderr
    # and MkDocs agrees on both
    assert build(tmp_path).returncode == 0
    run = subprocess.run(
        [ENGINE, "build"],
        cwd=tmp_path,
        env={**ENV, "OKR_STALE": "0"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "got 0" in run.stderr


def test_a_one_day_stale_window_reads_as_english(tmp_path):
    root = write_site(tmp_path, FILES, plugin="today: 2026-08-01, stale_after_days: 1")
    assert build(root).returncode == 0
    pages = [p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html")]
    assert any("in the last 1 day" in page for page in pages)
    assert not any(" 1 days" in page for page in pages)
