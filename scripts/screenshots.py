"""Build the example site and take screenshots of its key pages, light and dark, and of
each kind of chart, light and dark, at desktop (1280 px) and phone (390 px) width.

    python scripts/screenshots.py            # writes docs/assets/screenshots/*.png
    python scripts/screenshots.py --charts   # only the charts (chart-*.png)
    python scripts/screenshots.py --views    # only the views (view-*.png, pdf-first-page.png)
    python scripts/screenshots.py --engines  # the same pages on MkDocs and Zensical

For each chart it prints the smallest text on it as rendered, in CSS pixels.

Uses Playwright for Python with Debian's Chromium (/usr/bin/chromium): nothing is
downloaded. The site is served from a local folder on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from okrsite.commands.pdf import QUIET_ARGS, find_chromium

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "assets" / "screenshots"
CHROMIUM = find_chromium()
# The README's first picture: a goal's page with its chain up to the company KPI.
PAGES = {"goal": "goals/2026-q3/fatima/outreach/"}
# One page of each chart kind, in the example's running quarter where it has one, so
# that "so far" and the expected pace show.
CHART_PAGES = {
    "kr": "okrs/2026-q4/company/retention/",
    "goal": "goals/2026-q4/chloe/weekend-rota/",
    "kpi": "kpis/arr/",
    "team": "teams/growth/",  # the case: 0.63, then 0.42 so far
}
# The views people open first (issue 17), at both widths and in both schemes: the top of
# each page as a reader lands on it. "map-open" clicks "Expand all" first.
VIEWS = {
    "glance": "periods/2026-q4/",
    "map": "periods/2026-q4/map/",
    "map-open": "periods/2026-q4/map/",
    "team": "teams/support/",
    "person": "people/fatima/",
}
WIDTHS = {"desktop": 1280, "phone": 390}
# The smallest rendered size of a chart's text: its font size times the scale the
# browser draws it at.
SMALLEST_TEXT = """svg => Math.min(...[...svg.querySelectorAll('text')].map(
  t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free port of 127.0.0.1 in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_shots(browser: Browser, base: str) -> None:
    """Each page of PAGES, the top of it at 1280 px, light and dark."""
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        for name, url in PAGES.items():
            page.goto(base + url)
            path = OUT / f"{name}-{scheme}.png"
            page.screenshot(path=str(path), full_page=False)
            print(path.relative_to(ROOT))
        page.close()


def view_shots(browser: Browser, base: str) -> None:
    """Each page of VIEWS as a reader lands on it: view-<name>-<scheme>-<width>.png."""
    for scheme in ("light", "dark"):
        for width_name, width in WIDTHS.items():
            height = 900 if width_name == "desktop" else 844
            page = browser.new_page(
                viewport={"width": width, "height": height},
                color_scheme=scheme,
                device_scale_factor=1,
            )
            for name, url in VIEWS.items():
                page.goto(base + url)
                if name.endswith("-open"):
                    page.locator("button[data-okr-expand]").first.click()
                path = OUT / f"view-{name}-{scheme}-{width_name}.png"
                page.screenshot(path=str(path), full_page=False)
                print(path.relative_to(ROOT))
            page.close()


def pdf_first_page(env: dict[str, str]) -> None:
    """The first page of the running quarter's PDF, as poppler renders it."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "q4.pdf"
        subprocess.run(["okrsite", "pdf", "2026-Q4", "-o", str(pdf)], cwd=ROOT, env=env, check=True)
        out = OUT / "pdf-first-page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), out],
            check=True,
        )
        print(out.with_suffix(".png").relative_to(ROOT))


def chart_shots(browser: Browser, base: str) -> None:
    """The first chart's figure on each page of CHART_PAGES, light and dark, desktop
    and phone: chart-<kind>-<scheme>-<width>.png."""
    for scheme in ("light", "dark"):
        for width_name, width in WIDTHS.items():
            page = browser.new_page(
                viewport={"width": width, "height": 900},
                color_scheme=scheme,
                device_scale_factor=1,
            )
            for kind, url in CHART_PAGES.items():
                page.goto(base + url)
                figure = page.locator("figure.okr-figure").first
                smallest = figure.locator("svg.okr-chart").evaluate(SMALLEST_TEXT)
                path = OUT / f"chart-{kind}-{scheme}-{width_name}.png"
                figure.screenshot(path=str(path))
                print(f"{path.relative_to(ROOT)}  smallest text {smallest:.1f} px")
            page.close()


# The Engines guide: the same pages built by MkDocs and by Zensical, side by side.
ENGINE_SHOTS = {
    "goal": ("goals/2026-q4/chloe/weekend-rota/", 1280, "light"),
    "glance": ("periods/2026-q4/", 1280, "dark"),
    "objective": ("okrs/2026-q4/company/mid-market/", 390, "dark"),
}


def engine_shots(env: dict[str, str]) -> None:
    """engines-<engine>-<name>.png: the example built with MkDocs (the plugin) and with
    Zensical (`okrsite generate` into a copy, then `zensical build`)."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "zensical"
        copy.mkdir()
        for name in ("mkdocs.yml", "docs", "goals", "theme"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, copy / name)
        subprocess.run(["okrsite", "generate"], cwd=copy, env=env, check=True)
        subprocess.run(["zensical", "build", "--clean"], cwd=copy, env=env, check=True)
        mk = Path(tmp) / "mkdocs"
        subprocess.run(["mkdocs", "build", "-q", "-d", str(mk)], cwd=ROOT, env=env, check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=list(QUIET_ARGS))
            for engine, site in (("mkdocs", mk), ("zensical", copy / "site")):
                server, base = serve(site)
                try:
                    for name, (url, width, scheme) in ENGINE_SHOTS.items():
                        height = 1000 if width > 400 else 844
                        page = browser.new_page(
                            viewport={"width": width, "height": height}, color_scheme=scheme
                        )
                        page.goto(base + url)
                        path = OUT / f"engines-{engine}-{name}.png"
                        page.screenshot(path=str(path))
                        print(path.relative_to(ROOT))
                        page.close()
                finally:
                    server.shutdown()
            browser.close()


def main() -> int:
    if "--engines" in sys.argv[1:]:
        engine_shots({**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        return 0
    charts_only = "--charts" in sys.argv[1:]
    views_only = "--views" in sys.argv[1:]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(["mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=list(QUIET_ARGS))
                if not (charts_only or views_only):
                    page_shots(browser, base)
                if not views_only:
                    chart_shots(browser, base)
                if not charts_only:
                    view_shots(browser, base)
                browser.close()
        finally:
            server.shutdown()
        if not charts_only:
            pdf_first_page(env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
