"""Build the example site and take screenshots of its key pages, light and dark.

    python scripts/screenshots.py            # writes docs/assets/screenshots/*.png

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

from playwright.sync_api import sync_playwright

from okrsite.commands.pdf import QUIET_ARGS, find_chromium

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "assets" / "screenshots"
CHROMIUM = find_chromium()
PAGES = {
    "home": "",
    "objective": "okrs/2026-q3/company/retention/",
    "goal": "goals/2026-q3/fatima/outreach/",
    "kpi": "kpis/first-response/",
    "team": "teams/support/",
    "health": "health/",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free port of 127.0.0.1 in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(["mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=list(QUIET_ARGS))
                for scheme in ("light", "dark"):
                    page = browser.new_page(
                        viewport={"width": 1280, "height": 900}, color_scheme=scheme
                    )
                    for name, url in PAGES.items():
                        page.goto(base + url)
                        path = OUT / f"{name}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=False)
                        print(path.relative_to(ROOT))
                    page.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
