"""What every browser test needs: Debian's Chromium driven by Playwright, and built
sites served on 127.0.0.1. Nothing is downloaded: the browser is /usr/bin/chromium.

A browser test module starts with ``pytestmark = browserkit.NEEDS_CHROMIUM`` and makes
its module-scoped fixtures from :func:`launch` and :func:`serve_example` (conftest counts
any use of this module as a site test).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrsite.commands.pdf import QUIET_ARGS, PdfError, find_chromium

from orgkit import ENGINE, ENV

try:
    CHROMIUM = find_chromium()
except PdfError:
    CHROMIUM = "/usr/bin/chromium"
NEEDS_CHROMIUM = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"
)
ROOT = Path(__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:
        # the browser may move on before a file was sent
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


class _Cached(_Quiet):
    """Says every file may be kept for 10 minutes, as GitHub Pages does."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def serve(directory: Path, cached: bool = False) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on 127.0.0.1: the server and its base URL. ``cached``: every
    answer says the browser may keep the file for 10 minutes."""
    handler = functools.partial(_Cached if cached else _Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def serve_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Build the example site and serve it: yields its base URL and folder."""
    site = tmp_path_factory.mktemp("example") / "site"
    subprocess.run([ENGINE, "build", "-q", "-d", str(site)], cwd=ROOT, env=ENV, check=True)
    server, base = serve(site)
    yield base, site
    server.shutdown()


def launch() -> Iterator[object]:
    """Debian's Chromium, headless, for as long as the caller's fixture lasts."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=list(QUIET_ARGS))
        yield b
        b.close()


# Resolves once the search results have not changed for ``quiet`` ms (at most 5 s).
SETTLED = """quiet => new Promise(resolve => {
  const list = document.querySelector(".md-search-result") || document.body;
  const done = () => { seen.disconnect(); resolve(true); };
  let timer = setTimeout(done, quiet);
  const seen = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(done, quiet);
  });
  seen.observe(list, {childList: true, subtree: true, characterData: true});
  setTimeout(done, 5000);
})"""


def search(page: object, query: str, timeout: float = 30.0) -> None:
    """Type ``query`` into Material's search box (opened by the caller) until a result
    shows. What is typed before Material's search worker has loaded the index is lost,
    and the words the box shows until then are Material's and change between versions:
    so the query is typed again, every 2 seconds, until a result is there; then waits
    until the results are those of the whole query (the list is still)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while True:
        box.fill("")
        # typed key by key: Material listens to keyboard events, not only to 'input'
        box.press_sequentially(query, delay=30)
        try:
            page.locator(".md-search-result__item").first.wait_for(timeout=2000)  # type: ignore[attr-defined]
            # The first results may be those of the words typed so far (a prefix
            # matches): the last query's replace them. Wait until the list is still.
            page.evaluate(SETTLED, 400)  # type: ignore[attr-defined]
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def open_and_search(page: object, query: str) -> None:
    """Open Material's search from the header (a desktop's layout) and :func:`search`."""
    page.locator("label.md-search__icon, .md-search__input").first.click()  # type: ignore[attr-defined]
    search(page, query)


def serious_violations(page: object) -> list[tuple[str, list[object]]]:
    """axe-core's serious and critical violations in okrsite's part of the page (the
    article, not Material's header and navigation): each rule's id and its first three
    elements. Skips the test where axe-playwright-python is not installed."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(page, context={"include": [[".md-content"]]})
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
