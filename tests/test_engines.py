"""The same site on every engine: the example built with MkDocs and ProperDocs (the
plugin) and with Zensical (`okrsite generate`, then `zensical build`). Each output has
every page, the chain links of every public goal, no broken internal link, and no
private goal's text in any file; hostile texts stay text on Zensical too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from okrsite.model.chain import chain_of
from okrsite.settings import DEFAULTS
from okrsite.site import urls
from okrsite.site.generated import inert
from okrsite.source.loader import load

from orgkit import ENV, search_docs, site_files, write_site

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs", "zensical")
BIN = Path(sys.executable).parent

# A private goal added to the example: its title, metric and note must reach no file.
SECRET = "Quietly renegotiate the Zephyrine contract before the layoffs"
PRIVATE = f"""\
period: 2026-Q4
owner: lucas
goals:
  - id: secret-plan
    title: {SECRET}
    visibility: private
    supports: mid-market/pipeline/sqls
    metric: Zephyrine severance budget
    baseline: 0
    target: 3
    due: 2026-12-18
    checkins:
      - {{date: 2026-11-02, value: 1, note: "Zephyrine board says yes"}}
"""
SECRET_WORDS = ("Zephyrine", "renegotiate", "severance")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        # Zensical has an extra of its own (.ci/run installs it): see pyproject.toml
        pytest.skip(f"{name} is not installed (pip install -e '.[test,zensical]')")
    return found


# A secret in the environment of every build, as CI has: no output file may hold it.
BUILD_ENV = {**ENV, "OKRSITE_TEST_SECRET": "s3cr3t-value-from-ci"}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=BUILD_ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def build_with(engine: str, root: Path) -> Path:
    """Build the project in ``root`` with ``engine``; the built site's folder."""
    if engine == "zensical":
        run([_tool("okrsite"), "generate"], root)
        run([_tool("zensical"), "build", "--clean"], root)
    else:
        run([_tool(engine), "build", "--strict", "-f", "mkdocs.yml", "-d", "site"], root)
    return root / "site"


def copy_example(dest: Path) -> Path:
    for name in ("mkdocs.yml", "docs", "goals", "theme"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    (dest / "goals/2026-Q4/people/lucas-private.yaml").write_text(PRIVATE, encoding="utf-8")
    return dest


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory) -> tuple[str, Path]:
    root = copy_example(tmp_path_factory.mktemp(request.param))
    return request.param, build_with(request.param, root)


@pytest.fixture(scope="module")
def org():
    return load(REPO / "goals", fiscal_year_start=DEFAULTS.fiscal_year_start).org


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value and (name == "src" or (name == "href" and tag in ("a", "link"))):
                self.links.append(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file an internal link leads to, and its fragment; None for other links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
        return None
    if not parts.path:
        return page, parts.fragment
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_every_generated_page_is_built(built, org):
    engine, site = built
    for item in [*org.kpis.values(), *org.teams.values(), *org.objectives.values()]:
        page = site / urls.dest_url(urls.src_uri(item)) / "index.html"
        assert page.is_file(), (engine, page)
    for period in org.periods_sorted():
        assert (site / urls.print_page(period)).is_file(), engine
    assert json.loads((site / urls.EXPORT).read_text(encoding="utf-8"))["goals"]


def test_chain_links_of_every_public_goal(built, org):
    """A goal's page links to every item of its chain, up to the KPIs."""
    engine, site = built
    goals = [g for g in org.goals.values() if not g.private]
    assert len(goals) > 10
    for goal in goals:
        page = site / urls.dest_url(urls.src_uri(goal)) / "index.html"
        parsed = _parse(page)
        reached = set()
        for link in parsed.links:
            target = _target(site, page, link)
            if target is not None:
                reached.add(target[0].relative_to(site.resolve()).as_posix())
        chain = chain_of(goal)
        items = [*chain.steps[1:], *(r.kpi for r in chain.reaches)]
        assert items, goal.id
        for item in items:
            want = urls.dest_url(urls.src_uri(item)) + "index.html"
            assert want in reached, (engine, goal.id, want)


def test_no_broken_internal_link(built):
    engine, site = built
    site = site.resolve()
    checked = 0
    ids: dict[Path, set[str]] = {}
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # its links are relative to wherever the server shows it
        for link in _parse(page).links:
            target = _target(site, page, link)
            if target is None:
                continue
            path, fragment = target
            assert path.is_file(), (engine, page.relative_to(site), link)
            checked += 1
            if fragment and path.suffix == ".html" and re.fullmatch(r"kr-[a-z0-9-]+", fragment):
                if path not in ids:
                    ids[path] = _parse(path).ids
                assert fragment in ids[path], (engine, page.relative_to(site), link)
    assert checked > 1000


def test_no_private_text_in_any_file(built):
    engine, site = built
    for rel, text in site_files(site):
        for word in SECRET_WORDS:
            assert word not in text, (engine, rel, word)
    docs = site.parent / "docs"
    for rel, text in site_files(docs):  # what `okrsite generate` wrote too
        for word in SECRET_WORDS:
            assert word not in text, (engine, rel, word)


def test_the_private_goal_is_counted(built):
    engine, site = built
    page = (site / "okrs/2026-q4/mid-market/pipeline/index.html").read_text(encoding="utf-8")
    assert "1 private goal supports this key result" in page, engine


def test_zensical_shows_the_plugins_page_bodies(tmp_path_factory):
    """Markdown leaves okrsite's HTML alone on Zensical: each generated page's body,
    as the plugin's MkDocs build shows it, is in the Zensical page."""
    mk = build_with("mkdocs", copy_example(tmp_path_factory.mktemp("mk")))
    zs = build_with("zensical", copy_example(tmp_path_factory.mktemp("zs")))
    compared = 0
    for page in sorted(mk.rglob("index.html")):
        rel = page.relative_to(mk)
        if rel.parts[0] in ("guide", "search"):
            continue
        html = page.read_text(encoding="utf-8")
        body = re.search(
            r'<article class="md-content__inner md-typeset"[^>]*>(.*?)</article>', html, re.S
        )
        assert body, rel
        inner = body.group(1)
        start = inner.index("<h1")
        # As `okrsite generate` writes it (one line, no template or fence syntax), and
        # Zensical's search drops the attribute once it has left those parts out.
        want = inert(inner[start:].rstrip()).replace(" data-search-exclude", "")
        z = (zs / rel).read_text(encoding="utf-8").replace(" data-search-exclude", "")
        assert want in z, rel
        compared += 1
    assert compared > 50


CSS_LINES = (
    "extra_css: [assets/okrsite/okrsite.css]\n"
    "extra_javascript: [assets/okrsite/okrsite.js]\n"
    "nav: [index.md, kpis/index.md, periods/index.md, teams/index.md, people/index.md]\n"
)


@pytest.mark.parametrize("extensions", ["", "markdown_extensions: [okrsite.zensical]\n"])
def test_hostile_texts_stay_text_on_zensical(tmp_path, extensions):
    from test_injection import CORPUS, P, assert_no_payload_survives

    root = write_site(tmp_path, CORPUS)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(CSS_LINES + extensions)
    site = build_with("zensical", root)
    assert_no_payload_survives(site, "search.json")
    page = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    assert "&#123;&#123; 7*7 &#125;&#125;" in page and "&#123;&#37; raw &#37;&#125;" in page
    assert "Objective &lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = json.loads((site / "api/okrsite.json").read_text(encoding="utf-8"))
    assert data["goals"][0]["title"] == "Goal " + P


def test_search_index_holds_goals_objectives_and_kpis(built, org):
    engine, site = built
    if engine == "zensical":
        data = json.loads((site / "search.json").read_text(encoding="utf-8"))
        titles = {d["title"] for d in data["items"]}
    else:  # okrsite's index, the plugin's default
        titles = {d["title"] for d in search_docs(site)}
    goal = next(g for g in org.goals.values() if not g.private)
    objective = next(iter(org.objectives.values()))
    kpi = next(iter(org.kpis.values()))
    for wanted in (
        f"{goal.title} ({goal.period.key})",
        f"{objective.title} ({objective.period.key})",
        kpi.name,
    ):
        assert wanted in titles, (engine, wanted)


@pytest.mark.parametrize("plugin", ["macros", "markdownextradata"])
def test_goal_text_is_no_template_on_zensical(tmp_path, plugin):
    """Zensical runs the macros and extradata template plugins itself over every page:
    a goal's text must never be read as a template (it could print the build's secrets)."""
    from orgkit import FILES

    files = dict(FILES)
    files["2026-Q3/people/ana.yaml"] = files["2026-Q3/people/ana.yaml"].replace(
        "title: Ship in-app usage tips",
        "title: Ship {{ cycler.__init__.__globals__.os.environ }} {{ config.site_name }} [[ x ]] tips",
    )
    root = write_site(tmp_path, files)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("plugins: [search,", f"plugins: [search, {plugin},")
    (root / "mkdocs.yml").write_text(config + CSS_LINES, encoding="utf-8")
    site = build_with("zensical", root)
    texts = dict(site_files(site))
    assert not any("s3cr3t-value-from-ci" in t for t in texts.values())
    page = next(t for rel, t in texts.items() if rel.startswith("goals/2026-q3/ana/"))
    assert "&#123;&#123; config.site_name &#125;&#125;" in page


def test_a_fence_in_a_goal_text_opens_no_code_block_on_zensical(tmp_path):
    """Line-based Markdown syntax in goal texts (a fence opened in a description and
    closed in a check-in note, critic marks) changes nothing on the generated page."""
    from orgkit import FILES

    files = dict(FILES)
    files["2026-Q3/company.yaml"] = (
        files["2026-Q3/company.yaml"]
        .replace(
            "    owner: maria\n",
            '    owner: maria\n    description: "Intro\\n``` {.text #x}\\nand {++ critic ++}"\n',
            1,
        )
        .replace(
            "confidence: 0.7}",
            'confidence: 0.7, note: "x\\n```\\nafter the fence"}',
            1,
        )
    )
    root = write_site(tmp_path, files)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(CSS_LINES)  # Zensical's default extensions: superfences among them
    site = build_with("zensical", root)
    page = (site / "okrs/2026-q3/company/retention/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    assert "after the fence" in article and "critic" in article
    # okrsite's own HTML between the two fences is HTML, not shown as code
    assert "&lt;/p&gt;" not in article and "&lt;h2" not in article
    assert "<pre" not in article and 'id="x"' not in article
